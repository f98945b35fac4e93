//! The shift chip: honest tables prove and verify; every single-cell mutation, wrong claimed
//! result, flipped proof byte and forged row is rejected. (Its operations are polkavm's: the
//! machine that uses `ShiftOp::apply` agrees with polkavm on every shift and rotation opcode,
//! `tests/machine.rs`.)

mod common;

use agentic_air::{ext, Base, BinaryFieldElement, Ext};
use agentic_pcs::test_utils::Rng;
use agentic_polkavm_proof::{
	bus,
	shift::{self, columns, Shift, ShiftOp},
};
use common::{forged_row_accepted, op_field, set, word, Chip};

impl Chip for Shift {
	type Op = ShiftOp;
	const BUS: u32 = bus::SHIFT;

	fn ops() -> &'static [ShiftOp] {
		&ShiftOp::ALL
	}

	fn apply(op: ShiftOp, a: u64, b: u64) -> u64 {
		op.apply(a, b)
	}

	fn tuple(op: ShiftOp, a: u64, b: u64, c: u64) -> Vec<Base> {
		shift::tuple(op, a, b, c)
	}

	fn trace(ops: &[(ShiftOp, u64, u64)], num_vars: u32) -> Vec<Vec<Base>> {
		shift::trace(ops, num_vars)
	}

	fn received(t: &[Vec<Base>], row: usize) -> Vec<Base> {
		use columns::*;
		let op = op_field(t, FLAGS, ShiftOp::ALL.len(), row);
		vec![
			op,
			word(t, A, row),
			word(t, A + 32, row),
			word(t, B, row),
			t[B_HI][row],
			word(t, C, row),
			word(t, C + 32, row),
		]
	}
}

#[test]
fn the_chip_analyzes_within_the_degree_budget() {
	let info = agentic_air::analyze(&Shift).expect("analyze");
	assert_eq!(info.width, columns::WIDTH);
	assert_eq!(info.max_degree, 3, "x^n from six amount bits, two factors at a time; a flag × a bit × a weight");
	assert_eq!(columns::WIDTH, 316, "308 before x^(n mod 4) and x^(n mod 16) were committed");
	assert!(info.unused_columns.is_empty(), "every column is constrained: {:?}", info.unused_columns);
}

#[test]
fn honest_tables_prove_and_verify() {
	let edges = [0, 1, u64::MAX, 1 << 63, 0x8000_0000, 0x7fff_ffff, 31, 32, 63, 64 + 5];
	common::honest_tables_prove::<Shift>(&mut Rng(0x5417), &edges);
}

/// The mutation suite: 2 × 200 single-cell mutations at random columns (every column of the
/// chip is determined by its request, the packed value and power included), in two halves so
/// that the test threads share the work.
#[test]
fn proofs_of_mutated_tables_are_rejected() {
	mutation_suite(0x5eed_5417);
}

#[test]
fn proofs_of_mutated_tables_are_rejected_second_half() {
	mutation_suite(0x5eed_5418);
}

fn mutation_suite(seed: u64) {
	// Every tenth case a column of the power's partial products, the others anywhere.
	let case = std::cell::Cell::new(0u64);
	let per_column = common::mutations_are_rejected::<Shift>(&mut Rng(seed), 200, |rng, _| {
		case.set(case.get() + 1);
		if case.get() % 10 == 0 {
			columns::POW2 + rng.below(8) as usize
		} else {
			rng.below(columns::WIDTH as u64) as usize
		}
	});
	assert!(per_column[columns::PACKED..].iter().any(|&n| n > 0));
	assert!(per_column[columns::POW2..columns::POW4].iter().any(|&n| n > 0));
	assert!(per_column[columns::POW4..].iter().any(|&n| n > 0));
}

#[test]
fn a_wrong_result_is_rejected() {
	common::wrong_results_are_rejected::<Shift>(&mut Rng(0xbad5), 40);
}

#[test]
fn flipped_proof_bytes_are_rejected() {
	common::flipped_bytes_are_rejected::<Shift>(&mut Rng(0xf11c), 300);
}

/// Row 1 takes `donor`'s witness (every column but the flags) for its own operation.
fn witness_of(t: &mut [Vec<Base>], donor: (ShiftOp, u64, u64)) {
	let donor = shift::trace(&[donor], 1);
	for column in columns::A..columns::WIDTH {
		t[column][1] = donor[column][0];
	}
}

/// Sets row 1's result bits from its (possibly forged) `lo` cells as a 64-bit left shift reads
/// them: `c_q = lo_q`.
fn result_from_lo(t: &mut [Vec<Base>]) {
	for q in 0..64 {
		t[columns::C + q][1] = t[columns::LO + q][1];
	}
}

/// One forged row per rule, each a false claim with the most favourable witness: all rejected.
#[test]
fn forged_rows_are_rejected() {
	use columns::*;
	let a = 0x8123_4567_89ab_cdefu64;
	// Non-bit product cells: E has degree 4 over B, so x^4 = Σ_k c_k x^k with c_k in B, and
	// adding (c_0, c_1, c_2, c_3, 1) to lo_0..lo_4 leaves lo + x^64 hi unchanged while the
	// result read from lo changes: "a << 3" claimed as something else.
	assert!(!forged_row_accepted::<Shift>((ShiftOp::Left64, a, 3), |t| {
		let relation = ext::Coordinates::new().of(Ext::from_value(1 << 4));
		for (k, c) in relation.iter().enumerate() {
			t[LO + k][1] = t[LO + k][1].add(c);
		}
		t[LO + 4][1] = t[LO + 4][1].add(&Base::one());
		result_from_lo(t);
	}));
	// A 32-bit shift that uses bit 5 of its amount (35 is 3 for `_32` forms).
	assert!(!forged_row_accepted::<Shift>((ShiftOp::Left32, 0x1234, 35), |t| {
		witness_of(t, (ShiftOp::Left64, 0x1234, 35));
		for q in 32..64 {
			t[C + q][1] = Base::zero();
		}
	}));
	// `sar` answered as a logical shift right, and a rotation answered as a shift.
	assert!(!forged_row_accepted::<Shift>((ShiftOp::ArithmeticRight64, a, 4), |t| {
		witness_of(t, (ShiftOp::Right64, a, 4))
	}));
	assert!(!forged_row_accepted::<Shift>((ShiftOp::ArithmeticRight32, 0x8000_0000, 4), |t| {
		witness_of(t, (ShiftOp::Right32, 0x8000_0000, 4))
	}));
	assert!(!forged_row_accepted::<Shift>((ShiftOp::RotateLeft64, a, 8), |t| {
		witness_of(t, (ShiftOp::Left64, a, 8))
	}));
	assert!(!forged_row_accepted::<Shift>((ShiftOp::RotateRight32, 0xf00f, 8), |t| {
		witness_of(t, (ShiftOp::Right32, 0xf00f, 8))
	}));
	// A right shift packed left to right, and a 32-bit result not sign-extended.
	assert!(!forged_row_accepted::<Shift>((ShiftOp::Right64, a, 8), |t| {
		witness_of(t, (ShiftOp::Left64, a, 8));
		for q in 0..56 {
			t[C + q][1] = Base::from_value(((a >> (q + 8)) & 1) as u32 ^ 1);
		}
	}));
	assert!(!forged_row_accepted::<Shift>((ShiftOp::Left32, 1, 31), |t| {
		for q in 32..64 {
			set(t, C + q, 0);
		}
	}));
	// Another amount's power: "a << 3" with x^4 and its product.
	assert!(!forged_row_accepted::<Shift>((ShiftOp::Left64, a, 3), |t| {
		let b_bits: Vec<Base> = (B..B_HI).map(|c| t[c][1]).collect();
		witness_of(t, (ShiftOp::Left64, a, 4));
		for (i, value) in b_bits.into_iter().enumerate() {
			t[B + i][1] = value;
		}
	}));
	// Three flags set: `shl64 + rotl64 + shr64` selects the reversed packing (the two left flags
	// cancel) and computes `c_q = lo_(63-q) + hi_q`, claimed as "shl(a, 4)" (under the old ids it
	// packed to `sar64`'s and only the pairwise products refused it; now the row receives the
	// three flags' tags, which no sender sends).
	assert!(!forged_row_accepted::<Shift>((ShiftOp::Left64, a, 4), |t| {
		witness_of(t, (ShiftOp::Right64, a, 4));
		for op in [ShiftOp::Left64, ShiftOp::RotateLeft64, ShiftOp::Right64] {
			set(t, FLAGS + op as usize, 1);
		}
		for q in 0..64 {
			t[C + q][1] = t[LO + 63 - q][1].add(&t[HI + q][1]);
		}
	}));
}

/// The power's partial products (session 20). "a << 2" with the witness of an amount whose bits
/// differ from 2's in bit 0, 2 or 4 (the claimed amount's bits kept), so that exactly one of
/// `x^(n mod 4)`, `x^(n mod 16)` and `x^n` is another amount's: each is refused, by a constraint
/// of its own; and a partial product altered on a padding row is refused too.
#[test]
fn another_amounts_partial_powers_are_rejected() {
	use agentic_air::check_trace;
	use agentic_zerocheck::prover::prove_tables_unchecked;
	use columns::*;
	let a = 0x8123_4567_89ab_cdefu64;
	let claimed = [(ShiftOp::Left64, 3, 4), (ShiftOp::Left64, a, 2), (ShiftOp::Left64, 5, 6)];
	let mut refused_by = std::collections::BTreeSet::new();
	for donor in [3, 6, 18] {
		let forge = |t: &mut Vec<Vec<Base>>| {
			let b_bits: Vec<Base> = (B..B_HI).map(|c| t[c][1]).collect();
			witness_of(t, (ShiftOp::Left64, a, donor));
			for (i, value) in b_bits.into_iter().enumerate() {
				t[B + i][1] = value;
			}
		};
		assert!(!forged_row_accepted::<Shift>(claimed[1], forge), "x^{donor}'s products for x^2");
		let mut trace = shift::trace(&claimed, 2);
		forge(&mut trace);
		let violation = check_trace(&Shift, &trace, 3).expect_err("another amount's power");
		assert_eq!(violation.row, 1);
		refused_by.insert(violation.constraint);
	}
	assert_eq!(refused_by.len(), 3, "x^(n mod 4), x^(n mod 16) and x^n each by their own: {refused_by:?}");
	let statement = common::statement::<Shift>(&claimed);
	for column in [POW2, POW4 + 3] {
		let mut trace = shift::trace(&claimed, 2);
		trace[column][3] = trace[column][3].add(&Base::one());
		assert_eq!(check_trace(&Shift, &trace, 3).expect_err("padding").row, 3);
		let proof = prove_tables_unchecked(&[&Shift], &statement, &common::CONFIG, &[&trace]).expect("unchecked");
		assert!(!common::verify::<Shift>(&statement, &proof), "column {column} on a padding row");
	}
}

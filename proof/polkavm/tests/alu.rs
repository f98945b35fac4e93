//! The ALU chip: its operations are polkavm's (checked against polkavm's interpreter), honest
//! tables prove and verify, and every single-cell mutation of a table, every wrong claimed
//! result, every flipped proof byte and every forged row is rejected by the verifier.

mod common;

use agentic_air::{Base, BinaryFieldElement};
use agentic_pcs::test_utils::Rng;
use agentic_polkavm_proof::{
	alu::{self, columns, Alu, AluOp},
	bus,
};
use common::{forged_row_accepted, op_field, random_op, set, set_bits, word, Chip};

impl Chip for Alu {
	type Op = AluOp;
	const BUS: u32 = bus::ALU;

	fn ops() -> &'static [AluOp] {
		&AluOp::ALL
	}

	fn apply(op: AluOp, a: u64, b: u64) -> u64 {
		op.apply(a, b)
	}

	fn tuple(op: AluOp, a: u64, b: u64, c: u64) -> Vec<Base> {
		alu::tuple(op, a, b, c)
	}

	fn trace(ops: &[(AluOp, u64, u64)], num_vars: u32) -> Vec<Vec<Base>> {
		alu::trace(ops, num_vars)
	}

	fn received(t: &[Vec<Base>], row: usize) -> Vec<Base> {
		use columns::*;
		let op = op_field(t, FLAGS, AluOp::ALL.len(), row);
		vec![
			op,
			word(t, A, row),
			word(t, A + 32, row),
			word(t, B, row),
			word(t, B + 32, row),
			word(t, C, row),
			word(t, C + 32, row),
		]
	}
}

#[test]
fn the_chip_analyzes_within_the_degree_budget() {
	let info = agentic_air::analyze(&Alu).expect("analyze");
	assert_eq!(info.width, columns::WIDTH);
	assert_eq!(info.max_degree, 3, "flag × two bits, and the bus leaves of one receive");
	let own = info.constraints.iter().filter(|c| c.kind == agentic_air::ConstraintKind::Air);
	assert!(own.clone().all(|c| c.degree <= 3), "flag × product of two bits");
	assert!(info.unused_columns.is_empty(), "every column is constrained: {:?}", info.unused_columns);
}

/// Runs `a0 = a0 <op> a1` (or the branch that computes equality) in polkavm's interpreter.
fn polkavm_result(op: AluOp, a: u64, b: u64) -> u64 {
	use polkavm::{BackendKind, Config, Engine, InterruptKind, Module, ModuleConfig, ProgramBlob, Reg};
	let line = match op {
		AluOp::Add64 => "a0 = a0 + a1",
		AluOp::Sub64 => "a0 = a0 - a1",
		AluOp::Add32 => "i32 a0 = a0 + a1",
		AluOp::Sub32 => "i32 a0 = a0 - a1",
		AluOp::And => "a0 = a0 & a1",
		AluOp::Or => "a0 = a0 | a1",
		AluOp::Xor => "a0 = a0 ^ a1",
		AluOp::LessUnsigned => "a0 = a0 <u a1",
		AluOp::LessSigned => "a0 = a0 <s a1",
		AluOp::Equal => "a2 = 0\njump @eq if a0 == a1\na0 = 0\nret\n@eq:\na0 = 1",
	};
	let source = format!("%isa = revive_v1\n%stack_size = 4096\npub @step:\n{line}\nret\n");
	let blob = agentic_example_agents::assemble_agent(&source).expect("assembles");
	let mut config = Config::new();
	config.set_backend(Some(BackendKind::Interpreter));
	let engine = Engine::new(&config).expect("engine");
	let parsed = ProgramBlob::parse(blob.into()).expect("parses");
	let entry = parsed.exports().next().expect("export").program_counter();
	let module = Module::from_blob(&engine, &ModuleConfig::new(), parsed).expect("module");
	let mut instance = module.instantiate().expect("instance");
	instance.prepare_call_untyped(entry, &[a, b]);
	assert!(matches!(instance.run().expect("runs"), InterruptKind::Finished));
	instance.reg(Reg::A0)
}

#[test]
fn operations_are_polkavms() {
	let mut rng = Rng(0xa1u64 << 32 | 0x2026);
	for op in AluOp::ALL {
		for _ in 0..24 {
			let (_, a, b) = random_op::<Alu>(&mut rng);
			assert_eq!(op.apply(a, b), polkavm_result(op, a, b), "{op:?}({a:#x}, {b:#x})");
		}
	}
}

#[test]
fn honest_tables_prove_and_verify() {
	common::honest_tables_prove::<Alu>(
		&mut Rng(0x0a1),
		&[0, 1, u64::MAX, 1 << 63, (1 << 63) - 1, 0xffff_ffff, 1 << 31],
	);
}

/// The mutation suite of the chip: 2 × 200 single-cell mutations at random columns. The equality
/// inverses take part where they are determined (an `Equal` row whose operands differ in the
/// low word only: `u` is the inverse of that difference and `v` is free, so not mutated).
#[test]
fn proofs_of_mutated_tables_are_rejected() {
	mutation_suite(0x5eed_a100_2026);
}

/// The second half (the test threads share the work).
#[test]
fn proofs_of_mutated_tables_are_rejected_second_half() {
	mutation_suite(0x5eed_a100_2027);
}

fn mutation_suite(seed: u64) {
	let per_column = common::mutations_are_rejected::<Alu>(&mut Rng(seed), 200, |rng, request| {
		let column = rng.below(columns::WIDTH as u64) as usize;
		if column < columns::INV {
			return column;
		}
		let a = rng.next();
		*request = (AluOp::Equal, a, a ^ (1 + rng.below(u32::MAX as u64)));
		columns::INV
	});
	assert!(per_column[columns::FLAGS..columns::A].iter().any(|&n| n > 0) && per_column[columns::INV] > 0);
}

#[test]
fn a_wrong_result_is_rejected() {
	common::wrong_results_are_rejected::<Alu>(&mut Rng(0xbadc), 40);
}

#[test]
fn flipped_proof_bytes_are_rejected() {
	common::flipped_bytes_are_rejected::<Alu>(&mut Rng(0xf11b), 300);
}

/// Recomputes row 1's carry chain in the field from its (possibly forged) flags and operand
/// cells, so that a forgery is not caught by a chain it did not bother to fix.
fn fix_carries(t: &mut [Vec<Base>]) {
	use columns::*;
	let s = [AluOp::Sub64, AluOp::Sub32, AluOp::LessUnsigned, AluOp::LessSigned]
		.iter()
		.fold(Base::zero(), |acc, &op| acc.add(&t[FLAGS + op as usize][1]));
	let mut k = s;
	for i in 0..64 {
		let (a, b) = (t[A + i][1], t[B + i][1].add(&s));
		k = a.mul(&b).add(&k.mul(&a.add(&b)));
		t[CARRY + i][1] = k;
	}
}

/// One forged row per constraint family, each a wrong claimed result with the most favourable
/// witness a cheat has: every one must be rejected.
#[test]
fn forged_rows_are_rejected() {
	use columns::*;
	let (a, b) = (0x8000_0001_ffff_fff3u64, 0x0000_0002_0000_0005u64);
	// Carries all zero: "a + b = a ^ b".
	assert!(!forged_row_accepted::<Alu>((AluOp::Add64, a, b), |t| {
		set_bits(t, C, a ^ b);
		set_bits(t, CARRY, 0);
	}));
	// A subtraction computed as an addition (carry-in 0, b not inverted).
	assert!(!forged_row_accepted::<Alu>((AluOp::Sub64, a, b), |t| {
		let add = alu::trace(&[(AluOp::Add64, a, b)], 1);
		for column in C..INV {
			t[column][1] = add[column][0];
		}
	}));
	// The high half of a 32-bit result not the sign extension of bit 31.
	assert!(!forged_row_accepted::<Alu>((AluOp::Add32, 0x7fff_ffff, 1), |t| set_bits(t, C, 0x8000_0000)));
	// A signed comparison answered as the unsigned one: -1 < 1 is true, claimed false.
	assert!(!forged_row_accepted::<Alu>((AluOp::LessSigned, u64::MAX, 1), |t| set(t, C, 0)));
	// An unsigned comparison's answer flipped (the borrow is determined by the chain).
	assert!(!forged_row_accepted::<Alu>((AluOp::LessUnsigned, 5, 9), |t| set(t, C, 0)));
	// Three flags set: and + or + xor computes 0, claiming "5 < 9 is false" (it packed to the
	// id of `LessUnsigned` under the old ids; now the row receives the three flags' tags, which
	// no sender sends).
	assert!(!forged_row_accepted::<Alu>((AluOp::LessUnsigned, 5, 9), |t| {
		for op in AluOp::ALL {
			set(t, FLAGS + op as usize, u32::from(matches!(op, AluOp::And | AluOp::Or | AluOp::Xor)));
		}
		fix_carries(t);
		set_bits(t, C, 0);
	}));
	// Equality claimed for operands that differ in the low word, in the high word only, and
	// inequality claimed for equal operands (with every choice of inverse witness tried).
	for (a, b) in [(7, 8), (7, 7 | 1 << 40)] {
		assert!(!forged_row_accepted::<Alu>((AluOp::Equal, a, b), |t| {
			set(t, C, 1);
			set(t, INV, 0);
			set(t, INV + 1, 0);
		}));
	}
	for (u, v) in [(0, 0), (1, 0), (0, 1), (0x1234, 0x5678)] {
		assert!(!forged_row_accepted::<Alu>((AluOp::Equal, 7, 7), |t| {
			set(t, C, 0);
			set(t, INV, u);
			set(t, INV + 1, v);
		}));
	}
	// An operand bit that is not a bit: a = 2 written as a_0 = x (the field element 2), a_1 = 0
	// packs to the same word, and "2 & 1" then computes x, claiming 2 & 1 = 2.
	assert!(!forged_row_accepted::<Alu>((AluOp::And, 2, 1), |t| {
		set(t, A, 2);
		set(t, A + 1, 0);
		fix_carries(t);
		set(t, C, 2);
	}));
}

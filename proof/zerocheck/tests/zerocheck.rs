//! Trace proofs: valid traces prove and verify; invalid traces, other statements, other AIRs
//! and tampered proofs are rejected by the verifier.

#![allow(clippy::needless_range_loop)]

mod common;

use agentic_air::{Air, AirBuilder, Base, BinaryFieldElement};
use agentic_zerocheck::{
	prover::{prove, prove_forged, prove_unchecked, Forgery},
	verify, Boundary, Config, PublicColumn, Statement, TraceProof, ZerocheckError,
};
use codec::{DecodeAll, Encode};
use common::{Counter, MulChain, Rng};

/// Few queries keep the tests fast; soundness against these tests does not depend on them.
const CONFIG: Config = Config { num_queries: 24, grinding_bits: 2, max_stacked_values: u64::MAX };

fn num_vars(r: u64) -> u32 {
	64 - r.leading_zeros()
}

/// The counter's statement: `R` transitions from `start`, its initial and final bits claimed.
fn counter_statement(air: &Counter, start: u64, r: u64) -> Statement {
	let trace = air.trace(start, num_vars(r));
	let mut boundaries = Vec::new();
	for i in 0..air.bits {
		boundaries.push(Boundary { column: i as u32, row: 0, value: trace[i][0] });
		boundaries.push(Boundary { column: i as u32, row: r, value: trace[i][r as usize] });
	}
	Statement { context: b"counter test".to_vec(), active_rows: r, boundaries, public_columns: vec![] }
}

fn mul_statement(r: u64) -> Statement {
	Statement { context: b"mul chain test".to_vec(), active_rows: r, boundaries: vec![], public_columns: vec![] }
}

#[test]
fn valid_traces_prove_and_verify() {
	for bits in [1usize, 2, 5, 8] {
		let air = Counter { bits };
		for r in [1u64, 2, 3, 5, 7, 8, 31, 100] {
			let start = (r * 7) % 9;
			let statement = counter_statement(&air, start, r);
			let trace = air.trace(start, num_vars(r));
			let proof = prove(&air, &statement, &CONFIG, &trace).expect("prove");
			verify(&air, &statement, &CONFIG, &proof).unwrap_or_else(|e| panic!("bits {bits} R {r}: {e}"));
		}
	}
	for r in [1u64, 2, 6, 64] {
		let trace = MulChain::trace(3, r, num_vars(r), 0);
		let proof = prove(&MulChain, &mul_statement(r), &CONFIG, &trace).expect("prove");
		verify(&MulChain, &mul_statement(r), &CONFIG, &proof).expect("verify");
	}
}

#[test]
fn padding_rows_are_free_and_row_r_is_bound() {
	// R = 5: rows 0..=5 are the run, rows 6 and 7 padding.
	let r = 5;
	let pad = 0xdead_beef;
	let trace = MulChain::trace(9, r, 3, pad);
	let proof = prove(&MulChain, &mul_statement(r), &CONFIG, &trace).expect("padding is free");
	verify(&MulChain, &mul_statement(r), &CONFIG, &proof).expect("verify");
	// Row R is the state after the last transition: changing it breaks transition R - 1.
	let mut bad = trace.clone();
	bad[1][r as usize] = bad[1][r as usize].add(&Base::one());
	assert!(
		matches!(prove(&MulChain, &mul_statement(r), &CONFIG, &bad), Err(ZerocheckError::Violation(v)) if v.row == 4)
	);
	let proof = prove_unchecked(&MulChain, &mul_statement(r), &CONFIG, &bad).expect("unchecked");
	assert!(verify(&MulChain, &mul_statement(r), &CONFIG, &proof).is_err());
}

#[test]
fn the_prover_refuses_invalid_traces_and_statements() {
	let air = Counter { bits: 4 };
	let statement = counter_statement(&air, 0, 6);
	let mut trace = air.trace(0, 3);
	trace[air.bit(2)][3] = Base::one().add(&trace[air.bit(2)][3]);
	assert!(matches!(prove(&air, &statement, &CONFIG, &trace), Err(ZerocheckError::Violation(_))));

	let trace = air.trace(1, 3);
	assert!(matches!(prove(&air, &statement, &CONFIG, &trace), Err(ZerocheckError::BoundaryViolation { row: 0, .. })));

	let trace = air.trace(0, 4);
	assert!(matches!(prove(&air, &statement, &CONFIG, &trace), Err(ZerocheckError::BadShape(_))));
	let mut statement = counter_statement(&air, 0, 6);
	statement.active_rows = 0;
	assert!(matches!(prove(&air, &statement, &CONFIG, &air.trace(0, 3)), Err(ZerocheckError::BadShape(_))));
	let mut statement = counter_statement(&air, 0, 6);
	statement.boundaries.push(Boundary { column: 99, row: 0, value: Base::zero() });
	assert!(matches!(prove(&air, &statement, &CONFIG, &air.trace(0, 3)), Err(ZerocheckError::BadShape(_))));
}

/// The mutation suite for stage 2: one cell of a valid trace changed at a seeded random row
/// and column (on the run's rows `0..=R`, where every cell is constrained), proven anyway,
/// must be rejected by the verifier.
#[test]
fn proofs_of_mutated_traces_are_rejected() {
	let mut rng = Rng(0x5eed_2026_1126);
	let mut cases = 0;
	for round in 0..1000 {
		let (air_is_counter, r) = (round % 2 == 0, 1 + rng.below(40));
		let n = num_vars(r);
		let row = rng.below(r + 1) as usize;
		let delta = Base::from_value(1 + rng.below(u32::MAX as u64) as u32);
		let verdict = if air_is_counter {
			let air = Counter { bits: 6 };
			let start = rng.below(64);
			let statement = counter_statement(&air, start, r);
			let mut trace = air.trace(start, n);
			let column = rng.below(air.width() as u64) as usize;
			trace[column][row] = trace[column][row].add(&delta);
			assert!(agentic_air::check_trace(&air, &trace, r).is_err());
			let proof = prove_unchecked(&air, &statement, &CONFIG, &trace).expect("unchecked");
			verify(&air, &statement, &CONFIG, &proof)
		} else {
			let statement = mul_statement(r);
			let mut trace = MulChain::trace(rng.next() as u32, r, n, 0);
			let column = rng.below(2) as usize;
			trace[column][row] = trace[column][row].add(&delta);
			assert!(agentic_air::check_trace(&MulChain, &trace, r).is_err());
			let proof = prove_unchecked(&MulChain, &statement, &CONFIG, &trace).expect("unchecked");
			verify(&MulChain, &statement, &CONFIG, &proof)
		};
		// The honest sumcheck of a trace that violates a constraint does not sum to 0; each round's
		// value at 1 follows from the claim, so the rounds lead the final check astray.
		assert_eq!(verdict, Err(ZerocheckError::FinalCheckFailed), "mutation {round} (R {r}, row {row})");
		cases += 1;
	}
	assert_eq!(cases, 1000);
}

#[test]
fn forged_round_polynomials_fail_the_final_check() {
	let mut rng = Rng(0xf0f0);
	for case in 0..40 {
		let r = 1 + rng.below(30);
		let n = num_vars(r);
		let mut trace = MulChain::trace(rng.next() as u32, r, n, 0);
		let row = rng.below(r + 1) as usize;
		trace[case % 2][row] = trace[case % 2][row].add(&Base::from_value(1 + rng.below(1000) as u32));
		let proof = prove_forged(&MulChain, &mul_statement(r), &CONFIG, &trace, Forgery::Rounds).expect("forged");
		assert_eq!(
			verify(&MulChain, &mul_statement(r), &CONFIG, &proof),
			Err(ZerocheckError::FinalCheckFailed),
			"case {case}"
		);
	}
	// Forging the rounds of a valid trace changes nothing that holds: its sum is already 0.
	let trace = MulChain::trace(4, 6, 3, 0);
	let proof = prove_forged(&MulChain, &mul_statement(6), &CONFIG, &trace, Forgery::Rounds).expect("forged");
	verify(&MulChain, &mul_statement(6), &CONFIG, &proof).expect("a zero forgery is the honest proof");
}

/// Forged rounds plus one sent value solved to pass the final check: the opening, which binds
/// every sent value (current and next row) to the commitment, must catch it.
#[test]
fn sent_values_other_than_the_committed_ones_fail_the_opening() {
	let mut rng = Rng(0xabba);
	for case in 0..24 {
		let r = 1 + rng.below(30);
		let n = num_vars(r);
		let mut trace = MulChain::trace(rng.next() as u32, r, n, 0);
		let row = rng.below(r + 1) as usize;
		trace[1][row] = trace[1][row].add(&Base::from_value(1 + rng.below(1000) as u32));
		// MulChain's constraints are linear in cur(0) (in `first · (x + 1)` and `x · y`) and in
		// next(0) and next(1).
		let forgery = [Forgery::RoundsAndCur(0), Forgery::RoundsAndNext(0), Forgery::RoundsAndNext(1)][case % 3];
		let proof = prove_forged(&MulChain, &mul_statement(r), &CONFIG, &trace, forgery).expect("forged");
		let verdict = verify(&MulChain, &mul_statement(r), &CONFIG, &proof);
		assert!(matches!(verdict, Err(ZerocheckError::Opening(_))), "case {case} ({forgery:?}): {verdict:?}");
	}
}

#[test]
fn a_wrong_boundary_value_is_rejected() {
	let air = Counter { bits: 5 };
	let r = 11;
	let trace = air.trace(3, num_vars(r));
	for b in 0..10 {
		let mut statement = counter_statement(&air, 3, r);
		statement.boundaries[b].value = statement.boundaries[b].value.add(&Base::one());
		assert!(matches!(prove(&air, &statement, &CONFIG, &trace), Err(ZerocheckError::BoundaryViolation { .. })));
		let proof = prove_unchecked(&air, &statement, &CONFIG, &trace).expect("unchecked");
		assert!(matches!(verify(&air, &statement, &CONFIG, &proof), Err(ZerocheckError::Opening(_))), "boundary {b}");
	}
}

#[test]
fn public_columns_bind_the_column() {
	let r = 6;
	let trace = MulChain::trace(5, r, 3, 0);
	let statement =
		|values: Vec<Base>| Statement { public_columns: vec![PublicColumn { column: 1, values }], ..mul_statement(r) };
	let good = statement(trace[1].clone());
	let proof = prove(&MulChain, &good, &CONFIG, &trace).expect("prove");
	verify(&MulChain, &good, &CONFIG, &proof).expect("verify");
	for row in 0..8 {
		let mut values = trace[1].clone();
		values[row] = values[row].add(&Base::from_value(0x40));
		let bad = statement(values);
		assert!(matches!(prove(&MulChain, &bad, &CONFIG, &trace), Err(ZerocheckError::BoundaryViolation { .. })));
		let proof = prove_unchecked(&MulChain, &bad, &CONFIG, &trace).expect("unchecked");
		let expected = Err(ZerocheckError::PublicColumnMismatch { column: 1 });
		assert_eq!(verify(&MulChain, &bad, &CONFIG, &proof), expected, "row {row}");
		// And the good proof does not verify against the other table (which is in the
		// statement, so every challenge differs).
		let good_proof = prove(&MulChain, &good, &CONFIG, &trace).expect("prove");
		assert!(verify(&MulChain, &bad, &CONFIG, &good_proof).is_err());
	}
}

/// A shape that stacks more than `Config::max_stacked_values` is refused by the prover (before
/// it commits to anything: a worker learns that a run is too long without proving it) and by
/// the verifier, with the values it stacks; at the bound it proves and verifies.
#[test]
fn the_stacks_are_bounded_by_the_config() {
	let air = Counter { bits: 4 };
	let r = 9;
	let statement = counter_statement(&air, 2, r);
	let trace = air.trace(2, num_vars(r));
	let proof = prove(&air, &statement, &CONFIG, &trace).expect("prove");
	let values = proof.stacked_values();
	assert!(values >= 1 << num_vars(r), "{values}");
	let at = Config { max_stacked_values: values, ..CONFIG };
	let below = Config { max_stacked_values: values - 1, ..CONFIG };
	assert_eq!(prove(&air, &statement, &below, &trace), Err(ZerocheckError::StacksTooLarge(values)));
	assert_eq!(verify(&air, &statement, &below, &proof), Err(ZerocheckError::StacksTooLarge(values)));
	assert_eq!(prove(&air, &statement, &at, &trace).as_ref(), Ok(&proof));
	verify(&air, &statement, &at, &proof).expect("at the bound");
}

#[test]
fn a_proof_verifies_only_against_its_own_statement_air_and_config() {
	let air = Counter { bits: 4 };
	let r = 9;
	let statement = counter_statement(&air, 2, r);
	let proof = prove(&air, &statement, &CONFIG, &air.trace(2, num_vars(r))).expect("prove");
	verify(&air, &statement, &CONFIG, &proof).expect("verify");

	let mut other = statement.clone();
	other.context.push(0);
	assert!(verify(&air, &other, &CONFIG, &proof).is_err(), "other context");
	let mut other = statement.clone();
	other.active_rows = 10;
	assert!(verify(&air, &other, &CONFIG, &proof).is_err(), "other R, same n");
	let mut other = statement.clone();
	other.boundaries.pop();
	assert!(verify(&air, &other, &CONFIG, &proof).is_err(), "fewer boundaries");
	assert!(verify(&air, &statement, &Config { num_queries: 25, ..CONFIG }, &proof).is_err(), "other config");

	/// The counter with one more (true) constraint: another AIR.
	struct Stricter(Counter);
	impl Air for Stricter {
		fn width(&self) -> usize {
			self.0.width()
		}
		fn eval<AB: AirBuilder>(&self, b: &mut AB) {
			self.0.eval(b);
			b.assert_bool(b.cur(self.0.carry(1)));
		}
	}
	assert!(verify(&Stricter(Counter { bits: 4 }), &statement, &CONFIG, &proof).is_err(), "other AIR");
}

fn flip(bytes: &[u8], at: usize, mask: u8) -> Vec<u8> {
	let mut bytes = bytes.to_vec();
	bytes[at] ^= mask;
	bytes
}

fn decode(bytes: &[u8]) -> Option<TraceProof> {
	TraceProof::decode_all(&mut &bytes[..]).ok()
}

#[test]
fn tampered_proofs_are_rejected() {
	let air = Counter { bits: 3 };
	let r = 5;
	let statement = counter_statement(&air, 1, r);
	let proof = prove(&air, &statement, &CONFIG, &air.trace(1, num_vars(r))).expect("prove");
	let bytes = proof.encode();
	// Everything before the opening (roots, rounds, values) byte by byte; the opening (whose
	// every bit the commitment's own tests flip) at seeded positions.
	// The opening comes last.
	let opening_start = bytes.len() - proof.opening.encode().len();
	let mut rng = Rng(77);
	let positions: Vec<usize> = (0..opening_start)
		.chain((0..400).map(|_| opening_start + rng.below((bytes.len() - opening_start) as u64) as usize))
		.collect();
	for at in positions {
		let mask = 1u8 << (at % 8);
		if let Some(tampered) = decode(&flip(&bytes, at, mask)) {
			assert!(
				verify(&air, &statement, &CONFIG, &tampered).is_err(),
				"byte {at} of {} flipped was accepted",
				bytes.len()
			);
		}
	}
}

#[test]
fn proofs_of_the_wrong_size_are_malformed() {
	let r = 6;
	let trace = MulChain::trace(2, r, 3, 0);
	let proof = prove(&MulChain, &mul_statement(r), &CONFIG, &trace).expect("prove");
	let malformed = |proof: TraceProof| {
		let verdict = verify(&MulChain, &mul_statement(r), &CONFIG, &proof);
		assert!(matches!(verdict, Err(ZerocheckError::Malformed(_))), "{verdict:?}");
	};
	let mut p = proof.clone();
	p.tables[0].rounds.pop();
	malformed(p);
	let mut p = proof.clone();
	let first = p.tables[0].rounds[0].clone();
	p.tables[0].rounds.push(first);
	malformed(p);
	let mut p = proof.clone();
	p.tables[0].rounds[1].push(0);
	malformed(p);
	let mut p = proof.clone();
	p.tables[0].rounds[2].pop();
	malformed(p);
	let mut p = proof.clone();
	p.tables[0].cur.push(0);
	malformed(p);
	let mut p = proof.clone();
	p.tables[0].next.pop();
	malformed(p);
	// A bus part where nothing interacts.
	let mut p = proof.clone();
	p.bus = Some(agentic_zerocheck::BusProof { outputs: [1; 4], layers: vec![], leaves: vec![] });
	malformed(p);
	// A proof for a run of another length (another n) is malformed here.
	let other = prove(&MulChain, &mul_statement(9), &CONFIG, &MulChain::trace(2, 9, 4, 0)).expect("prove");
	malformed(other);
}

/// A column no constraint reads is accepted only when a claim binds it.
struct WithFreeColumn;

impl Air for WithFreeColumn {
	fn width(&self) -> usize {
		3
	}
	fn eval<AB: AirBuilder>(&self, b: &mut AB) {
		MulChain.eval(b);
	}
}

#[test]
fn a_column_nothing_binds_is_refused() {
	let r = 3;
	let mut trace = MulChain::trace(2, r, 2, 0);
	trace.push(vec![Base::from_value(5); 4]);
	let refused = prove(&WithFreeColumn, &mul_statement(r), &CONFIG, &trace);
	assert!(matches!(refused, Err(ZerocheckError::BadShape(_))), "{refused:?}");
	let mut statement = mul_statement(r);
	statement.public_columns.push(PublicColumn { column: 2, values: trace[2].clone() });
	let proof = prove(&WithFreeColumn, &statement, &CONFIG, &trace).expect("a public column binds it");
	verify(&WithFreeColumn, &statement, &CONFIG, &proof).expect("verify");
	assert!(matches!(verify(&WithFreeColumn, &mul_statement(r), &CONFIG, &proof), Err(ZerocheckError::BadShape(_))));
}

#[test]
fn out_of_range_query_counts_are_refused() {
	let trace = MulChain::trace(2, 3, 2, 0);
	for num_queries in [0u16, 1025] {
		let verdict = prove(&MulChain, &mul_statement(3), &Config { num_queries, ..CONFIG }, &trace);
		assert!(matches!(verdict, Err(ZerocheckError::BadShape(_))), "{num_queries}");
	}
}

/// The highest degree allowed: `next(x) = x^15` (degree 15, 16 with `active`), so the round
/// polynomials have degree 17 and 18 values.
struct Power15;

impl Air for Power15 {
	fn width(&self) -> usize {
		1
	}
	fn eval<AB: AirBuilder>(&self, b: &mut AB) {
		let x = b.cur(0);
		let mut power = x.clone();
		for _ in 1..15 {
			power = power * x.clone();
		}
		b.assert_transition(b.next(0) + power);
	}
}

#[test]
fn the_largest_degree_proves_and_its_mutations_are_rejected() {
	let info = agentic_air::analyze(&Power15).expect("analyze");
	assert_eq!(info.max_degree, 16);
	let mut rng = Rng(0x15);
	for r in [1u64, 4, 13, 31] {
		let n = num_vars(r);
		let mut column = vec![Base::zero(); 1 << n];
		column[0] = Base::from_value(rng.next() as u32 | 2);
		for i in 1..=r as usize {
			column[i] = column[i - 1].pow(15);
		}
		let statement = Statement {
			context: vec![],
			active_rows: r,
			boundaries: vec![Boundary { column: 0, row: 0, value: column[0] }],
			public_columns: vec![],
		};
		let trace = vec![column];
		let proof = prove(&Power15, &statement, &CONFIG, &trace).expect("prove");
		assert!(
			proof.tables[0].rounds.iter().all(|round| round.len() == 16),
			"q of degree 16: 16 values, its 17th from the claim"
		);
		verify(&Power15, &statement, &CONFIG, &proof).expect("verify");
		let mut bad = trace.clone();
		let row = 1 + rng.below(r) as usize;
		bad[0][row] = bad[0][row].add(&Base::one());
		let proof = prove_unchecked(&Power15, &statement, &CONFIG, &bad).expect("unchecked");
		assert_eq!(verify(&Power15, &statement, &CONFIG, &proof), Err(ZerocheckError::FinalCheckFailed));
	}
}

/// Every-row constraints hold on padding rows too: a non-bit there is caught.
#[test]
fn every_row_constraints_bind_padding_rows() {
	let air = Counter { bits: 3 };
	let r = 4; // rows 5, 6, 7 are padding
	let statement = counter_statement(&air, 0, r);
	for row in 5..8 {
		let mut trace = air.trace(0, num_vars(r));
		trace[air.bit(1)][row] = Base::from_value(2);
		let proof = prove_unchecked(&air, &statement, &CONFIG, &trace).expect("unchecked");
		assert_eq!(verify(&air, &statement, &CONFIG, &proof), Err(ZerocheckError::FinalCheckFailed), "row {row}");
	}
}

/// Forty bit columns (two packed polynomials: 32 and 8 columns) and their weighted sum
/// `c = Σ_i (i + 1) b_i`, with bit column 3 public.
struct Bits;

impl Bits {
	const BITS: usize = 40;

	fn trace(n: u32, seed: u64) -> Vec<Vec<Base>> {
		let mut rng = Rng(seed);
		let rows = 1usize << n;
		let mut trace: Vec<Vec<Base>> =
			(0..Self::BITS).map(|_| (0..rows).map(|_| Base::from_value(rng.below(2) as u32)).collect()).collect();
		let sum = (0..rows).map(|i| Self::sum(&trace, i)).collect();
		trace.push(sum);
		trace
	}

	fn sum(trace: &[Vec<Base>], row: usize) -> Base {
		(0..Self::BITS).fold(Base::zero(), |acc, k| acc.add(&trace[k][row].mul(&Base::from_value(k as u32 + 1))))
	}

	fn statement(trace: &[Vec<Base>], r: u64) -> Statement {
		let public = PublicColumn { column: 3, values: trace[3].clone() };
		Statement { context: b"bits test".to_vec(), active_rows: r, boundaries: vec![], public_columns: vec![public] }
	}
}

impl Air for Bits {
	fn width(&self) -> usize {
		Self::BITS + 1
	}

	fn eval<AB: AirBuilder>(&self, b: &mut AB) {
		// Declared out of order and one twice: the same bit columns.
		for k in (0..Self::BITS).rev().chain([7]) {
			b.assert_bit_column(k);
		}
		let sum = (0..Self::BITS)
			.map(|k| b.cur(k) * b.constant(Base::from_value(k as u32 + 1)))
			.fold(b.cur(Self::BITS), |acc, term| acc + term);
		b.assert_zero(sum);
	}
}

/// Bit columns are committed packed: a valid trace proves, and a cell that is not a bit (the
/// weighted sum kept, so that only the packing can tell) is refused by the row checker and, proven
/// anyway, by the verifier; so are a flipped bit, a public bit column and a boundary on a bit
/// column.
#[test]
fn bit_columns_are_committed_packed_and_must_be_bits() {
	let info = agentic_air::analyze(&Bits).expect("analyze");
	assert_eq!(info.bit_columns, (0..Bits::BITS as u32).collect::<Vec<_>>());
	for (n, r) in [(1u32, 1u64), (3, 6), (6, 50)] {
		let trace = Bits::trace(n, 0x5eed_0b17 + n as u64);
		let statement = Bits::statement(&trace, r);
		let proof = prove(&Bits, &statement, &CONFIG, &trace).expect("prove");
		verify(&Bits, &statement, &CONFIG, &proof).unwrap_or_else(|e| panic!("n {n}: {e}"));
		let mut rng = Rng(0x5eed_0b18 + n as u64);
		for case in 0..24 {
			let (row, column) = (rng.below(1 << n) as usize, rng.below(Bits::BITS as u64) as usize);
			let mut bad = trace.clone();
			if case % 2 == 0 {
				// Not a bit; the sum still holds.
				let value = Base::from_value(2 + rng.below(u32::MAX as u64 - 2) as u32);
				bad[column][row] = value;
			} else {
				// A flipped bit, the sum left: a constraint refuses it too.
				bad[column][row] = bad[column][row].add(&Base::one());
			}
			if case % 2 == 0 {
				bad[Bits::BITS][row] = Bits::sum(&bad, row);
			}
			let statement = Bits::statement(&bad, r);
			let violation = agentic_air::check_trace(&Bits, &bad, r).expect_err("checked");
			assert_eq!(violation.row, row as u64);
			if case % 2 == 0 {
				assert_eq!(violation.constraint, info.constraints.len() + column, "the bit column's check");
			}
			assert!(matches!(prove(&Bits, &statement, &CONFIG, &bad), Err(ZerocheckError::Violation(_))));
			let proof = prove_unchecked(&Bits, &statement, &CONFIG, &bad).expect("unchecked");
			assert!(
				verify(&Bits, &statement, &CONFIG, &proof).is_err(),
				"n {n} case {case}: row {row} column {column}"
			);
		}
	}
	// A bit column's value at the final point solved so that the final check passes (the sum
	// is linear in it), in both packs, first and last columns: only the packed opening refuses
	// it. (Bit column 3 is public, so it is left out: its public check comes first.)
	// The trace's sum column is changed on one row, so that the solved value is not the true one
	// (on a valid trace it would be).
	let mut trace = Bits::trace(4, 9);
	trace[Bits::BITS][5] = trace[Bits::BITS][5].add(&Base::from_value(77));
	let statement = Bits::statement(&trace, 12);
	for k in [0u32, 31, 32, 39] {
		let proof = prove_forged(&Bits, &statement, &CONFIG, &trace, Forgery::RoundsAndCur(k)).expect("forged");
		let result = verify(&Bits, &statement, &CONFIG, &proof);
		assert!(matches!(result, Err(ZerocheckError::Opening(_))), "bit column {k}: {result:?}");
	}
	// A boundary on a bit column has no claim to become: refused.
	let trace = Bits::trace(2, 1);
	let mut statement = Bits::statement(&trace, 3);
	statement.boundaries.push(Boundary { column: 5, row: 0, value: trace[5][0] });
	assert!(matches!(prove(&Bits, &statement, &CONFIG, &trace), Err(ZerocheckError::BadShape(_))));
}

/// A column declared a bit that is read on the next row, or that does not exist, is refused.
#[test]
fn bit_columns_read_on_the_next_row_are_refused() {
	struct NextBit(usize);
	impl Air for NextBit {
		fn width(&self) -> usize {
			2
		}
		fn eval<AB: AirBuilder>(&self, b: &mut AB) {
			b.assert_bit_column(self.0);
			b.assert_transition(b.next(0) + b.cur(1));
		}
	}
	assert_eq!(agentic_air::analyze(&NextBit(0)), Err(agentic_air::AirError::BadBitColumn(0)));
	assert_eq!(agentic_air::analyze(&NextBit(2)), Err(agentic_air::AirError::BadBitColumn(2)));
	assert_eq!(agentic_air::analyze(&NextBit(1)).map(|i| i.bit_columns), Ok(vec![1]));
}

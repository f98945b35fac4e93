//! What every chip's tests share: a chip answers requests `(op, a, b)` with `c = op(a, b)` on
//! its bus, the verifier sends the requests itself, and the same checks run on every chip
//! (honest tables, the mutation suite, wrong results, flipped bytes, forged rows).

#![allow(dead_code)]

pub mod programs;

use agentic_air::{check_trace, Air, Base, BinaryFieldElement, Direction};
use agentic_pcs::test_utils::Rng;
use agentic_zerocheck::{
	prover::{prove_tables, prove_tables_unchecked},
	verify_tables, Config, PublicInteraction, TableStatement, Tables, TraceProof,
};
use codec::{DecodeAll, Encode};

pub const CONFIG: Config = Config { num_queries: 16, grinding_bits: 2, max_stacked_values: u64::MAX };

/// A chip under test.
pub trait Chip: Air + Default + Sync {
	/// Its operations.
	type Op: Copy + core::fmt::Debug + PartialEq + 'static;
	/// Its bus.
	const BUS: u32;
	/// Every operation.
	fn ops() -> &'static [Self::Op];
	/// The reference semantics.
	fn apply(op: Self::Op, a: u64, b: u64) -> u64;
	/// The tuple a request sends.
	fn tuple(op: Self::Op, a: u64, b: u64, c: u64) -> Vec<Base>;
	/// The table answering `ops`.
	fn trace(ops: &[(Self::Op, u64, u64)], num_vars: u32) -> Vec<Vec<Base>>;
	/// The tuple row `row` of a (possibly forged) table receives.
	fn received(trace: &[Vec<Base>], row: usize) -> Vec<Base>;
}

/// Operands that hit the edges (0, 1, all ones, sign bits, 32-bit boundaries, amounts that
/// keep bit 5 or high bits) half the time.
pub fn operand(rng: &mut Rng) -> u64 {
	const EDGES: [u64; 11] =
		[0, 1, u64::MAX, 1 << 63, (1 << 63) - 1, 0xffff_ffff, 1 << 31, 0x7fff_ffff, 0x1_0000_0000, 32, 63];
	match rng.below(4) {
		0 => EDGES[rng.below(EDGES.len() as u64) as usize],
		1 => rng.below(70),
		_ => rng.next(),
	}
}

/// A random request; equal operands often enough for equality and comparisons to see both
/// outcomes.
pub fn random_op<C: Chip>(rng: &mut Rng) -> (C::Op, u64, u64) {
	let op = C::ops()[rng.below(C::ops().len() as u64) as usize];
	let a = operand(rng);
	let b = if rng.below(4) == 0 { a } else { operand(rng) };
	(op, a, b)
}

pub fn num_vars(r: usize) -> u32 {
	usize::BITS - r.leading_zeros()
}

/// The statement of a chip answering `ops`: the verifier sends each request with its result.
pub fn statement<C: Chip>(ops: &[(C::Op, u64, u64)]) -> Tables {
	Tables {
		context: b"chip test".to_vec(),
		tables: vec![TableStatement { active_rows: ops.len() as u64, boundaries: vec![], public_columns: vec![] }],
		public_interactions: ops
			.iter()
			.map(|&(op, a, b)| PublicInteraction {
				bus: C::BUS,
				direction: Direction::Send,
				fields: C::tuple(op, a, b, C::apply(op, a, b)),
			})
			.collect(),
	}
}

pub fn prove<C: Chip>(statement: &Tables, trace: &[Vec<Base>]) -> TraceProof {
	prove_tables(&[&C::default()], statement, &CONFIG, &[trace]).expect("an honest table proves")
}

pub fn verify<C: Chip>(statement: &Tables, proof: &TraceProof) -> bool {
	verify_tables(&[&C::default()], statement, &CONFIG, proof).is_ok()
}

/// Every operation on every pair of `edges`, then random tables of several heights: each
/// satisfies the chip row by row, proves and verifies.
pub fn honest_tables_prove<C: Chip>(rng: &mut Rng, edges: &[u64]) {
	let mut all = Vec::new();
	for &op in C::ops() {
		for &a in edges {
			for &b in edges {
				all.push((op, a, b));
			}
		}
	}
	let mut cases = vec![all];
	for r in [1usize, 2, 7, 8, 33] {
		cases.push((0..r).map(|_| random_op::<C>(rng)).collect());
	}
	for ops in cases {
		let trace = C::trace(&ops, num_vars(ops.len()));
		check_trace(&C::default(), &trace, ops.len() as u64).expect("honest rows satisfy the chip");
		let statement = statement::<C>(&ops);
		let proof = prove::<C>(&statement, &trace);
		assert!(verify::<C>(&statement, &proof), "{} operations", ops.len());
	}
}

/// The mutation suite of a chip: `cases` tables, each with one cell changed at a seeded random
/// row below `R` and a column drawn by `column` (which may rewrite the request so that the
/// column is determined there): the checked prover must refuse the table and the verifier must
/// reject its unchecked proof. Returns how often each column was mutated.
pub fn mutations_are_rejected<C: Chip>(
	rng: &mut Rng,
	cases: usize,
	column: impl Fn(&mut Rng, &mut (C::Op, u64, u64)) -> usize,
) -> Vec<u32> {
	let mut per_column = vec![0u32; C::default().width()];
	for _ in 0..cases {
		let r = 1 + rng.below(12) as usize;
		let mut ops: Vec<_> = (0..r).map(|_| random_op::<C>(rng)).collect();
		let row = rng.below(r as u64) as usize;
		let column = column(rng, &mut ops[row]);
		let mut trace = C::trace(&ops, num_vars(r));
		let delta =
			if rng.below(2) == 0 { Base::one() } else { Base::from_value(1 + rng.below(u32::MAX as u64) as u32) };
		trace[column][row] = trace[column][row].add(&delta);
		let statement = statement::<C>(&ops);
		assert!(
			prove_tables(&[&C::default()], &statement, &CONFIG, &[&trace]).is_err(),
			"the checked prover accepts a mutation of column {column}, row {row}"
		);
		let proof = prove_tables_unchecked(&[&C::default()], &statement, &CONFIG, &[&trace]).expect("unchecked");
		assert!(!verify::<C>(&statement, &proof), "mutation of column {column}, row {row} of {ops:?} accepted");
		per_column[column] += 1;
	}
	per_column
}

/// A proof of true requests fails against a statement with one field of one request changed,
/// and a wrong result cannot be proven at all.
pub fn wrong_results_are_rejected<C: Chip>(rng: &mut Rng, cases: usize) {
	for case in 0..cases {
		let ops: Vec<_> = (0..1 + rng.below(10) as usize).map(|_| random_op::<C>(rng)).collect();
		let trace = C::trace(&ops, num_vars(ops.len()));
		let honest = statement::<C>(&ops);
		let proof = prove::<C>(&honest, &trace);
		assert!(verify::<C>(&honest, &proof));
		let mut other = honest.clone();
		let i = rng.below(ops.len() as u64) as usize;
		let field = rng.below(7) as usize;
		let fields = &mut other.public_interactions[i].fields;
		fields[field] = fields[field].add(&Base::from_value(1 << rng.below(32)));
		assert!(!verify::<C>(&other, &proof), "case {case}: field {field} of request {i} changed");
		let (op, a, b) = ops[i];
		let mut wrong = honest.clone();
		wrong.public_interactions[i].fields = C::tuple(op, a, b, C::apply(op, a, b) ^ (1 << rng.below(64)));
		assert!(prove_tables(&[&C::default()], &wrong, &CONFIG, &[&trace]).is_err());
	}
}

/// Flipped bytes of a valid proof fail to decode or to verify.
pub fn flipped_bytes_are_rejected<C: Chip>(rng: &mut Rng, flips: usize) {
	let ops: Vec<_> = (0..6).map(|_| random_op::<C>(rng)).collect();
	let statement = statement::<C>(&ops);
	let bytes = prove::<C>(&statement, &C::trace(&ops, num_vars(ops.len()))).encode();
	for _ in 0..flips {
		let mut tampered = bytes.clone();
		let at = rng.below(bytes.len() as u64) as usize;
		tampered[at] ^= 1 << rng.below(8);
		if let Ok(proof) = TraceProof::decode_all(&mut &tampered[..]) {
			assert!(!verify::<C>(&statement, &proof), "byte {at} of {} flipped was accepted", bytes.len());
		}
	}
}

/// A table whose row 1 (of three requests) is rewritten by `forge`, and a statement that sends
/// exactly what the forged row receives: the row's own constraints are all that stand between
/// the forgery and acceptance. Asserts the checked prover refuses it; returns whether the
/// verifier accepted it.
pub fn forged_row_accepted<C: Chip>(op: (C::Op, u64, u64), forge: impl Fn(&mut Vec<Vec<Base>>)) -> bool {
	let first = C::ops()[0];
	let ops = vec![(first, 3, 4), op, (first, 5, 6)];
	let mut trace = C::trace(&ops, num_vars(ops.len()));
	// The honest row receives exactly its request (so a forgery is refused for what it forges,
	// not because the statement reads the row differently).
	assert_eq!(C::received(&trace, 1), C::tuple(op.0, op.1, op.2, C::apply(op.0, op.1, op.2)), "{op:?}");
	forge(&mut trace);
	let mut statement = statement::<C>(&ops);
	// The forged row's operands and result as sent, under the requested operation's id (a
	// sender only ever sends an operation's id).
	statement.public_interactions[1].fields = C::received(&trace, 1);
	statement.public_interactions[1].fields[0] = C::tuple(op.0, 0, 0, 0)[0];
	assert!(
		prove_tables(&[&C::default()], &statement, &CONFIG, &[&trace]).is_err(),
		"the checked prover accepts {op:?}"
	);
	let proof = prove_tables_unchecked(&[&C::default()], &statement, &CONFIG, &[&trace]).expect("unchecked");
	verify::<C>(&statement, &proof)
}

/// Sets row 1 of `column`.
pub fn set(trace: &mut [Vec<Base>], column: usize, value: u32) {
	trace[column][1] = Base::from_value(value);
}

/// Sets row 1 of the 64 columns from `first` to the bits of `value`.
pub fn set_bits(trace: &mut [Vec<Base>], first: usize, value: u64) {
	for i in 0..64 {
		set(trace, first + i, ((value >> i) & 1) as u32);
	}
}

/// `Σ_i cells[i] x^i` over 32 cells of row `row`: a word as a chip packs it.
pub fn word(trace: &[Vec<Base>], first: usize, row: usize) -> Base {
	(0..32).fold(Base::zero(), |acc, i| acc.add(&Base::from_value(1 << i).mul(&trace[first + i][row])))
}

/// The operation field of row `row` as the chip receives it: `Σ_i x^i · flag_i`.
pub fn op_field(trace: &[Vec<Base>], flags: usize, count: usize, row: usize) -> Base {
	(0..count).fold(Base::zero(), |acc, i| acc.add(&Base::from_value(1 << i).mul(&trace[flags + i][row])))
}

/// Adds a random nonzero value to cell `(table, column, row)` of an honest run witness, then
/// requires the checked prover to refuse the traces and the verifier to reject the proof the
/// unchecked prover makes of them under the honest statement.
pub fn assert_run_mutant_rejected(
	rng: &mut Rng,
	program: &agentic_polkavm_proof::program::ProgramTable,
	witness: &agentic_polkavm_proof::vm::Witness,
	(table, column, row): (usize, usize, usize),
	what: &str,
) {
	use agentic_polkavm_proof::{vm, Table};
	let (statement, airs) = vm::run_statement(program, &witness.claim, &witness.shape).expect("statement");
	let mut traces = witness.traces.clone();
	let delta = if rng.below(2) == 0 { Base::one() } else { Base::from_value(1 + rng.below(u32::MAX as u64) as u32) };
	traces[table][column][row] = traces[table][column][row].add(&delta);
	let airs: Vec<&Table> = airs.iter().collect();
	let traces: Vec<&[Vec<Base>]> = traces.iter().map(|t| t.as_slice()).collect();
	assert!(prove_tables(&airs, &statement, &CONFIG, &traces).is_err(), "{what}: the checked prover accepts it");
	let proof = prove_tables_unchecked(&airs, &statement, &CONFIG, &traces).expect("unchecked");
	let proof = vm::RunProof { proof, ..witness.shape.clone() };
	assert!(vm::verify(program, &witness.claim, &proof, &CONFIG).is_err(), "{what}: mutated and accepted");
}

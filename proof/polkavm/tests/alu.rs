//! The ALU chip: its operations are polkavm's (checked against polkavm's interpreter), honest
//! tables prove and verify, and every single-cell mutation of a table, every wrong claimed
//! result and every flipped proof byte is rejected by the verifier.

use agentic_air::{check_trace, Base, BinaryFieldElement, Direction};
use agentic_pcs::test_utils::Rng;
use agentic_polkavm_proof::{
	alu::{self, columns, Alu, AluOp},
	bus,
};
use agentic_zerocheck::{
	prover::{prove_tables, prove_tables_unchecked},
	verify_tables, Config, PublicInteraction, TableStatement, Tables, TraceProof,
};
use codec::{DecodeAll, Encode};

const CONFIG: Config = Config { num_queries: 16 };

/// Operands that hit the edges (0, 1, all ones, sign bits, 32-bit boundaries) half the time.
fn operand(rng: &mut Rng) -> u64 {
	const EDGES: [u64; 9] = [0, 1, u64::MAX, 1 << 63, (1 << 63) - 1, 0xffff_ffff, 1 << 31, 0x7fff_ffff, 0x1_0000_0000];
	match rng.below(4) {
		0 => EDGES[rng.below(EDGES.len() as u64) as usize],
		1 => rng.below(8),
		_ => rng.next(),
	}
}

/// A random request; equal operands often enough for `Equal` and the comparisons to see both
/// outcomes.
fn random_op(rng: &mut Rng) -> (AluOp, u64, u64) {
	let op = AluOp::ALL[rng.below(AluOp::ALL.len() as u64) as usize];
	let a = operand(rng);
	let b = if rng.below(4) == 0 { a } else { operand(rng) };
	(op, a, b)
}

fn num_vars(r: usize) -> u32 {
	usize::BITS - r.leading_zeros()
}

/// The statement of a chip answering `ops`: the verifier sends each request with its result.
fn statement(ops: &[(AluOp, u64, u64)]) -> Tables {
	Tables {
		context: b"alu test".to_vec(),
		tables: vec![TableStatement { active_rows: ops.len() as u64, boundaries: vec![], public_columns: vec![] }],
		public_interactions: ops
			.iter()
			.map(|&(op, a, b)| PublicInteraction {
				bus: bus::ALU,
				direction: Direction::Send,
				fields: alu::tuple(op, a, b, op.apply(a, b)),
			})
			.collect(),
	}
}

fn prove(statement: &Tables, trace: &[Vec<Base>]) -> TraceProof {
	prove_tables(&[&Alu], statement, &CONFIG, &[trace]).expect("an honest table proves")
}

fn verify(statement: &Tables, proof: &TraceProof) -> bool {
	verify_tables(&[&Alu], statement, &CONFIG, proof).is_ok()
}

#[test]
fn the_chip_analyzes_within_the_degree_budget() {
	let info = agentic_air::analyze(&Alu).expect("analyze");
	assert_eq!(info.width, columns::WIDTH);
	assert_eq!(info.max_degree, 3, "flag × two bits, and the running product of one receive");
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
			let (_, a, b) = random_op(&mut rng);
			assert_eq!(op.apply(a, b), polkavm_result(op, a, b), "{op:?}({a:#x}, {b:#x})");
		}
	}
}

#[test]
fn honest_tables_prove_and_verify() {
	let mut rng = Rng(0x0a1);
	// Every operation on every edge pair, then random tables of several heights.
	let edges = [0u64, 1, u64::MAX, 1 << 63, (1 << 63) - 1, 0xffff_ffff, 1 << 31];
	let mut all = Vec::new();
	for op in AluOp::ALL {
		for &a in &edges {
			for &b in &edges {
				all.push((op, a, b));
			}
		}
	}
	let mut cases = vec![all];
	for r in [1usize, 2, 7, 8, 33] {
		cases.push((0..r).map(|_| random_op(&mut rng)).collect());
	}
	for ops in cases {
		let trace = alu::trace(&ops, num_vars(ops.len()));
		check_trace(&Alu, &trace, ops.len() as u64).expect("honest rows satisfy the chip");
		let statement = statement(&ops);
		let proof = prove(&statement, &trace);
		assert!(verify(&statement, &proof), "{} operations", ops.len());
	}
}

/// The mutation suite of the chip: one cell of an honest table changed at a seeded random row
/// below `R` and a random column, proven through the unchecked prover: the checked prover must
/// refuse the table and the verifier must reject the proof. The equality inverses take part
/// where they are determined (an `Equal` row whose operands differ in the low word only).
#[test]
fn proofs_of_mutated_tables_are_rejected() {
	let mut rng = Rng(0x5eed_a100_2026);
	let mut cases = 0;
	let mut per_column = vec![0u32; columns::WIDTH];
	while cases < 400 {
		let r = 1 + rng.below(12) as usize;
		let mut ops: Vec<_> = (0..r).map(|_| random_op(&mut rng)).collect();
		let row = rng.below(r as u64) as usize;
		let mut column = rng.below(columns::WIDTH as u64) as usize;
		if column >= columns::INV {
			// Make the row an `Equal` whose operands differ in the low word only: u is then
			// the inverse of that difference, and v is free (so it is not mutated).
			let a = rng.next();
			ops[row] = (AluOp::Equal, a, a ^ (1 + rng.below(u32::MAX as u64)));
			column = columns::INV;
		}
		let mut trace = alu::trace(&ops, num_vars(r));
		let delta =
			if rng.below(2) == 0 { Base::one() } else { Base::from_value(1 + rng.below(u32::MAX as u64) as u32) };
		trace[column][row] = trace[column][row].add(&delta);
		let statement = statement(&ops);
		assert!(
			prove_tables(&[&Alu], &statement, &CONFIG, &[&trace]).is_err(),
			"the checked prover accepts a mutation of column {column}, row {row}"
		);
		let proof = prove_tables_unchecked(&[&Alu], &statement, &CONFIG, &[&trace]).expect("unchecked");
		assert!(!verify(&statement, &proof), "mutation of column {column}, row {row} of {ops:?} accepted");
		per_column[column] += 1;
		cases += 1;
	}
	let flags = &per_column[columns::FLAGS..columns::A];
	assert!(flags.iter().any(|&n| n > 0) && per_column[columns::INV] > 0);
}

#[test]
fn a_wrong_result_is_rejected() {
	let mut rng = Rng(0xbadc);
	for case in 0..40 {
		let ops: Vec<_> = (0..1 + rng.below(10) as usize).map(|_| random_op(&mut rng)).collect();
		let trace = alu::trace(&ops, num_vars(ops.len()));
		let honest = statement(&ops);
		let proof = prove(&honest, &trace);
		assert!(verify(&honest, &proof));
		// The same proof against a statement claiming another result, operand or operation for
		// one request.
		let mut other = honest.clone();
		let i = rng.below(ops.len() as u64) as usize;
		let field = rng.below(7) as usize;
		let fields = &mut other.public_interactions[i].fields;
		fields[field] = fields[field].add(&Base::from_value(1 << rng.below(32)));
		assert!(!verify(&other, &proof), "case {case}: field {field} of request {i} changed");
		// And a prover that computes the wrong result cannot even build the table it needs.
		let (op, a, b) = ops[i];
		let mut wrong = honest.clone();
		wrong.public_interactions[i].fields = alu::tuple(op, a, b, op.apply(a, b) ^ (1 << rng.below(64)));
		assert!(prove_tables(&[&Alu], &wrong, &CONFIG, &[&trace]).is_err());
	}
}

#[test]
fn flipped_proof_bytes_are_rejected() {
	let mut rng = Rng(0xf11b);
	let ops: Vec<_> = (0..6).map(|_| random_op(&mut rng)).collect();
	let statement = statement(&ops);
	let bytes = prove(&statement, &alu::trace(&ops, num_vars(ops.len()))).encode();
	for _ in 0..300 {
		let mut tampered = bytes.clone();
		let at = rng.below(bytes.len() as u64) as usize;
		tampered[at] ^= 1 << rng.below(8);
		if let Ok(proof) = TraceProof::decode_all(&mut &tampered[..]) {
			assert!(!verify(&statement, &proof), "byte {at} of {} flipped was accepted", bytes.len());
		}
	}
}

/// The tuple row `row` of `trace` receives, as the chip's constraints read it.
fn received(trace: &[Vec<Base>], row: usize) -> Vec<Base> {
	let cell = |column: usize| trace[column][row];
	let op = (0..AluOp::ALL.len())
		.fold(Base::zero(), |acc, i| acc.add(&Base::from_value(i as u32).mul(&cell(columns::FLAGS + i))));
	let word =
		|first: usize| (0..32).fold(Base::zero(), |acc, i| acc.add(&Base::from_value(1 << i).mul(&cell(first + i))));
	vec![
		op,
		word(columns::A),
		word(columns::A + 32),
		word(columns::B),
		word(columns::B + 32),
		word(columns::C),
		word(columns::C + 32),
	]
}

/// A table whose row 1 is rewritten by `forge` (columns and values) and a statement that
/// sends exactly what the forged row receives: the row's own constraints are all that stand
/// between the forgery and acceptance. Returns whether the verifier accepted it.
fn forged_row_accepted(op: (AluOp, u64, u64), forge: impl Fn(&mut Vec<Vec<Base>>)) -> bool {
	let ops = vec![(AluOp::Add64, 3, 4), op, (AluOp::Xor, 5, 6)];
	let mut trace = alu::trace(&ops, num_vars(ops.len()));
	forge(&mut trace);
	let mut statement = statement(&ops);
	statement.public_interactions[1].fields = received(&trace, 1);
	assert!(prove_tables(&[&Alu], &statement, &CONFIG, &[&trace]).is_err(), "the checked prover accepts {op:?}");
	let proof = prove_tables_unchecked(&[&Alu], &statement, &CONFIG, &[&trace]).expect("unchecked");
	verify(&statement, &proof)
}

fn set(trace: &mut [Vec<Base>], column: usize, value: u32) {
	trace[column][1] = Base::from_value(value);
}

fn set_bits(trace: &mut [Vec<Base>], first: usize, value: u64) {
	for i in 0..64 {
		set(trace, first + i, ((value >> i) & 1) as u32);
	}
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
	assert!(!forged_row_accepted((AluOp::Add64, a, b), |t| {
		set_bits(t, C, a ^ b);
		set_bits(t, CARRY, 0);
	}));
	// A subtraction computed as an addition (carry-in 0, b not inverted).
	assert!(!forged_row_accepted((AluOp::Sub64, a, b), |t| {
		let add = alu::trace(&[(AluOp::Add64, a, b)], 1);
		for column in C..INV {
			t[column][1] = add[column][0];
		}
	}));
	// The high half of a 32-bit result not the sign extension of bit 31.
	assert!(!forged_row_accepted((AluOp::Add32, 0x7fff_ffff, 1), |t| set_bits(t, C, 0x8000_0000)));
	// A signed comparison answered as the unsigned one: -1 < 1 is true, claimed false.
	assert!(!forged_row_accepted((AluOp::LessSigned, u64::MAX, 1), |t| set(t, C, 0)));
	// An unsigned comparison's answer flipped (the borrow is determined by the chain).
	assert!(!forged_row_accepted((AluOp::LessUnsigned, 5, 9), |t| set(t, C, 0)));
	// Three flags set (an odd count, so they sum to 1): and + or + xor computes 0 and packs to
	// the id of `LessUnsigned`, claiming "5 < 9 is false".
	assert!(!forged_row_accepted((AluOp::LessUnsigned, 5, 9), |t| {
		for op in AluOp::ALL {
			set(t, FLAGS + op as usize, u32::from(matches!(op, AluOp::And | AluOp::Or | AluOp::Xor)));
		}
		fix_carries(t);
		set_bits(t, C, 0);
	}));
	// Equality claimed for operands that differ in the low word, in the high word only, and
	// inequality claimed for equal operands (with every choice of inverse witness tried).
	for (a, b) in [(7, 8), (7, 7 | 1 << 40)] {
		assert!(!forged_row_accepted((AluOp::Equal, a, b), |t| {
			set(t, C, 1);
			set(t, INV, 0);
			set(t, INV + 1, 0);
		}));
	}
	for (u, v) in [(0, 0), (1, 0), (0, 1), (0x1234, 0x5678)] {
		assert!(!forged_row_accepted((AluOp::Equal, 7, 7), |t| {
			set(t, C, 0);
			set(t, INV, u);
			set(t, INV + 1, v);
		}));
	}
	// An operand bit that is not a bit: a = 2 written as a_0 = x (the field element 2), a_1 = 0
	// packs to the same word, and "2 & 1" then computes x, claiming 2 & 1 = 2.
	assert!(!forged_row_accepted((AluOp::And, 2, 1), |t| {
		set(t, A, 2);
		set(t, A + 1, 0);
		fix_carries(t);
		set(t, C, 2);
	}));
}

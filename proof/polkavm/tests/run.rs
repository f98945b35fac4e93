//! Proofs of whole runs: random programs over registers, control flow and memory prove and
//! verify; a changed claim, another program, a mutated cell of any table and flipped
//! proof bytes are rejected.

mod common;

use agentic_pcs::test_utils::Rng;
use agentic_polkavm_proof::{
	cpu::columns,
	program::ProgramTable,
	vm::{self, Claim, Output, RunError, RunInput, RunProof},
};
use agentic_verifier::exec;
use agentic_zerocheck::Config;
use common::programs::{random_program, Mix};

const CONFIG: Config = Config { num_queries: 16, grinding_bits: 2, max_stacked_values: u64::MAX };

/// One invocation on an empty input.
fn once() -> RunInput {
	RunInput { inputs: vec![Vec::new()], ..RunInput::default() }
}
/// Two thousand instruction steps and an invocation start (1000 and the memory).
const STEP_LIMIT: u64 = 3200;

/// Random programs (registers and control flow, every other one with loads and stores) whose
/// single run returns within the step limit.
fn provable_programs(rng: &mut Rng, count: usize) -> Vec<ProgramTable> {
	let mut programs = Vec::new();
	while programs.len() < count {
		let mix = if programs.len() % 2 == 0 { Mix::Memory } else { Mix::Registers };
		let blob = random_program(rng, mix);
		let program = ProgramTable::from_blob(&blob, "step").expect("inside the subset");
		match vm::witness(&program, &once(), STEP_LIMIT) {
			Ok(_) => programs.push(program),
			Err(RunError::Unprovable) => {},
			Err(e) => panic!("{e:?}"),
		}
	}
	programs
}

/// Random programs over the whole subset whose three-invocation run has a witness in which
/// some invocation traps (`trap`, with its rollback).
fn trapping_programs(rng: &mut Rng, count: usize) -> Vec<ProgramTable> {
	let mut programs = Vec::new();
	while programs.len() < count {
		let blob = random_program(rng, Mix::Everything);
		let program = ProgramTable::from_blob(&blob, "step").expect("inside the subset");
		let run = RunInput { inputs: vec![Vec::new(); 3], ..RunInput::default() };
		if let Ok(witness) = vm::witness(&program, &run, 3 * STEP_LIMIT) {
			if witness.claim.outputs.iter().any(|output| output.trapped) {
				programs.push(program);
			}
		}
	}
	programs
}

#[test]
fn runs_prove_and_verify() {
	let mut rng = Rng(0xc0de_2026);
	let (mut instructions, mut accesses) = (0, 0);
	for program in provable_programs(&mut rng, 12) {
		let (claim, proof) = vm::prove(&program, &once(), STEP_LIMIT, &CONFIG).expect("a returning run proves");
		vm::verify(&program, &claim, &proof, &CONFIG).expect("and verifies");
		instructions += proof.instructions;
		accesses += proof.accesses;
	}
	assert!(instructions > 100 && accesses > 10, "{instructions} instructions and {accesses} accesses proven");
}

/// Several invocations of one program in one proof: each starts from the entry point with
/// fresh registers and the initial memory (lazy reset: a word's first access in an invocation
/// reads its initial value, whatever the previous invocation stored).
#[test]
fn several_invocations_prove_and_verify() {
	// Three invocations, each within the limit of one.
	let limit = 3 * STEP_LIMIT;
	let mut rng = Rng(0x1a2_2026);
	let mut programs = 0;
	for _ in 0..200 {
		if programs == 4 {
			break;
		}
		let blob = random_program(&mut rng, Mix::Memory);
		let program = ProgramTable::from_blob(&blob, "step").expect("inside the subset");
		let run = RunInput { inputs: vec![Vec::new(); 3], ..RunInput::default() };
		let (claim, proof) = match vm::prove(&program, &run, limit, &CONFIG) {
			Ok(proven) => proven,
			Err(RunError::Unprovable) => continue,
			Err(e) => panic!("{e:?}"),
		};
		vm::verify(&program, &claim, &proof, &CONFIG).expect("verifies");
		let (single, _) = vm::prove(&program, &once(), limit, &CONFIG).expect("one invocation proves");
		let invocation = single.steps;
		assert_eq!(claim.steps, 3 * invocation, "each invocation runs the same from the same memory");
		programs += 1;
	}
	assert_eq!(programs, 4, "four provable programs among 200");
}

#[test]
fn a_changed_claim_or_another_program_is_rejected() {
	let mut rng = Rng(0xc1a1_2026);
	let programs = provable_programs(&mut rng, 4);
	for (i, program) in programs.iter().enumerate() {
		let (claim, proof) = vm::prove(program, &once(), STEP_LIMIT, &CONFIG).expect("proves");
		let rejected = |claim: &Claim| vm::verify(program, claim, &proof, &CONFIG).is_err();
		assert!(rejected(&Claim { steps: claim.steps + 1, ..claim.clone() }));
		assert!(rejected(&Claim { steps: claim.steps - 1, ..claim.clone() }));
		assert!(rejected(&Claim { inputs: vec![Vec::new(); 2], outputs: vec![Output::default(); 2], ..claim.clone() }));
		assert!(rejected(&Claim { outputs: vec![Output { trapped: false, data: vec![0] }], ..claim.clone() }));
		// The same proof for another program, and the heights changed.
		let other = &programs[(i + 1) % programs.len()];
		assert!(vm::verify(other, &claim, &proof, &CONFIG).is_err());
		for shape in [
			RunProof { instructions: proof.instructions + 1, ..proof.clone() },
			RunProof { alu_requests: proof.alu_requests + 1, ..proof.clone() },
			RunProof { instructions: 0, ..proof.clone() },
		] {
			assert!(vm::verify(program, &claim, &shape, &CONFIG).is_err());
		}
	}
}

/// The mutation suite of the CPU table: one cell of one table of an honest witness of three
/// invocations (of programs that return, and of programs over the whole subset with a trapping
/// invocation) changed (a CPU cell on rows `0..=R`, where every cell is determined, half the
/// time on a row that starts an invocation or on row `R` and in a column the invocations
/// carry; a final read counter of the program or jump table; an access-chip cell; a RAM
/// word's final cell or initial-value counter), proven through the unchecked prover: the
/// checked prover refuses the witness and the verifier rejects the proof.
/// (In two halves, so that the test threads share the work.)
#[test]
fn proofs_of_mutated_runs_are_rejected() {
	mutation_suite(0x5eed_c0de, 75);
}

#[test]
fn proofs_of_mutated_runs_are_rejected_second_half() {
	mutation_suite(0x5eed_c0df, 75);
}

fn mutation_suite(seed: u64, cases: usize) {
	use agentic_air::{Base, BinaryFieldElement};
	use agentic_polkavm_proof::{cpu::fields, memory::columns as memory_columns, Table};

	let mut rng = Rng(seed);
	let mut programs = provable_programs(&mut rng, 6);
	programs.extend(trapping_programs(&mut rng, 2));
	let mut per_table = std::collections::BTreeMap::new();
	for case in 0..cases {
		let program = &programs[case % programs.len()];
		let run = RunInput { inputs: vec![Vec::new(); 3], ..RunInput::default() };
		let witness = vm::witness(program, &run, 3 * STEP_LIMIT).expect("provable");
		let (statement, airs) = vm::run_statement(program, &witness.claim, &witness.shape).expect("statement");
		let traces = &witness.traces;
		let find = |table: Table| airs.iter().position(|&t| t == table).unwrap_or(0);
		let index = match rng.below(8) {
			0 => find(Table::Program),
			1 => find(Table::Jumps),
			2 | 3 => find(Table::Access),
			4 => find(Table::Ram),
			_ => 0,
		};
		let (column, row) = match airs[index] {
			Table::Cpu(_) => {
				let r = witness.shape.instructions;
				if rng.below(2) == 0 {
					let starts: Vec<usize> =
						(0..=r as usize).filter(|&i| traces[0][columns::E][i] == Base::one()).collect();
					assert_eq!(starts.len(), 4, "three starts and row R");
					let carried = [
						columns::E,
						columns::K,
						columns::T_INV,
						columns::OUT,
						columns::FIELDS + fields::PC,
						columns::REGS + 2 * rng.below(13) as usize + rng.below(2) as usize,
						columns::T,
					];
					(carried[rng.below(carried.len() as u64) as usize], starts[rng.below(4) as usize])
				} else {
					(rng.below(columns::WIDTH as u64) as usize, rng.below(r + 1) as usize)
				}
			},
			Table::Program => (fields::COUNT, rng.below(program.rows.len() as u64) as usize),
			Table::Access => {
				let rows = statement.tables[index].active_rows;
				(rng.below(memory_columns::WIDTH as u64) as usize, rng.below(rows) as usize)
			},
			// A word's final cell or its initial-value counter (columns 3..8), on a touched word
			// when there is one.
			Table::Ram => {
				let touched: Vec<usize> = (0..statement.tables[index].active_rows as usize)
					.filter(|&i| traces[index][5][i] != Base::zero())
					.collect();
				let row = touched.first().copied().unwrap_or(0);
				(3 + rng.below(5) as usize, row)
			},
			_ => (2, rng.below(statement.tables[index].active_rows) as usize),
		};
		let what = format!("case {case}: table {index}, column {column}, row {row}");
		common::assert_run_mutant_rejected(&mut rng, program, &witness, (index, column, row), &what);
		*per_table.entry(format!("{:?}", airs[index])).or_insert(0) += 1;
	}
	assert!(per_table.len() >= 2, "{per_table:?}");
}

#[test]
fn flipped_proof_bytes_are_rejected() {
	use codec::{DecodeAll, Encode};
	let mut rng = Rng(0xf11d);
	let program = &provable_programs(&mut rng, 1)[0];
	let (claim, proof) = vm::prove(program, &once(), STEP_LIMIT, &CONFIG).expect("proves");
	let bytes = proof.encode();
	for _ in 0..200 {
		let mut tampered = bytes.clone();
		let at = rng.below(bytes.len() as u64) as usize;
		tampered[at] ^= 1 << rng.below(8);
		if let Ok(proof) = RunProof::decode_all(&mut &tampered[..]) {
			assert!(vm::verify(program, &claim, &proof, &CONFIG).is_err(), "byte {at} of {} flipped", bytes.len());
		}
	}
}

/// The prover's output is pinned: a fixed run's proof hashes to a recorded digest. A change
/// meant to leave the proofs as they were (a faster prover) must keep it; a change of the
/// proof's format records the new digest (with the pallet's fixtures and the runtime's
/// `spec_version`). The digest is the transcript's challenge after the proof's bytes.
#[test]
fn a_fixed_runs_proof_is_pinned() {
	use codec::Encode;
	// Of a few random programs, the one with the most steps (with memory: the even ones).
	let mut rng = Rng(0xd16e_2026);
	let steps = |program: &ProgramTable| vm::witness(program, &once(), STEP_LIMIT).map_or(0, |w| w.claim.steps);
	let programs = provable_programs(&mut rng, 6);
	let program = programs.iter().max_by_key(|p| steps(p)).expect("programs");
	let (claim, proof) = vm::prove(program, &once(), STEP_LIMIT, &CONFIG).expect("proves");
	let bytes = proof.encode();
	let mut transcript = agentic_pcs::Transcript::new(b"agentic/test/proof-digest");
	transcript.absorb_bytes(b"proof", &bytes);
	let digest = agentic_air::BinaryFieldElement::poly(&transcript.challenge()).value();
	assert_eq!(
		(proof.instructions, bytes.len(), format!("{digest:032x}")),
		(30, 42_895, "45240aeed8947ce14f278907e987f024".to_string()),
		"the proof of a fixed run changed ({} steps)",
		claim.steps
	);
}

/// No state: the random programs make no state calls.
struct NoState;

impl exec::StateAccess for NoState {
	fn depth(&self) -> u8 {
		0
	}
	fn load_page(&mut self, index: u32) -> Result<[u8; agentic_polkavm_proof::state::PAGE], exec::ExecError> {
		Err(exec::ExecError::PageUnavailable(index))
	}
}

/// Random programs over the whole subset (`input_len` calls, `trap`, dynamic jumps and accesses
/// anywhere), three invocations each: when polkavm raises no trap of its own the run has a
/// witness, whose steps and trapped invocations are exec.rs's; some of those with traps prove
/// and verify. The other runs are refused as unprovable, and so are the runs exec.rs cannot
/// finish within the limit.
#[test]
fn random_runs_with_traps_agree_with_reexecution() {
	let mut rng = Rng(0x5709);
	let limit = 3 * STEP_LIMIT;
	let (mut witnessed, mut trapped, mut proven, mut refused) = (0, 0, 0, 0);
	for _ in 0..60 {
		let blob = random_program(&mut rng, Mix::Everything);
		let program = ProgramTable::from_blob(&blob, "step").expect("inside the subset");
		let run = RunInput { inputs: vec![Vec::new(), vec![1, 2, 3], Vec::new()], ..RunInput::default() };
		let inputs: Vec<&[u8]> = run.inputs.iter().map(Vec::as_slice).collect();
		let reference = agentic_verifier::program::Program::load(&blob).expect("an agent");
		let result = exec::run(&reference, &mut NoState, &inputs, None, limit);
		let witness = match vm::witness(&program, &run, limit) {
			Ok(witness) => witness,
			Err(RunError::Unprovable) => {
				refused += 1;
				continue;
			},
			Err(e) => panic!("{e:?}"),
		};
		let result = result.expect("re-execution finishes what the witness finishes");
		assert_eq!(witness.claim.steps, result.steps, "steps");
		let outcomes: Vec<Output> =
			result.outputs.iter().map(|o| Output { trapped: o.trapped, data: o.data.clone() }).collect();
		assert_eq!(witness.claim.outputs, outcomes, "trapped invocations");
		witnessed += 1;
		let traps = outcomes.iter().filter(|o| o.trapped).count();
		trapped += traps;
		if traps > 0 && proven < 3 {
			let (claim, proof) = vm::prove(&program, &run, limit, &CONFIG).expect("proves");
			vm::verify(&program, &claim, &proof, &CONFIG).expect("verifies");
			proven += 1;
		}
	}
	assert!(
		witnessed >= 10 && trapped >= 6 && proven == 3 && refused >= 5,
		"{witnessed} witnessed ({trapped} traps), {refused} refused"
	);
}

/// A register flag moved to another register (the instruction names `r_k`, the row flags
/// `r_j`): the index binding `rd = Σ x^k d_k` refuses it, as it does for `ra` and `rb`.
#[test]
fn a_moved_register_flag_is_rejected() {
	use agentic_air::{Base, BinaryFieldElement};
	use agentic_zerocheck::prover::{prove_tables, prove_tables_unchecked};

	let mut rng = Rng(0xf1a9);
	let program = &provable_programs(&mut rng, 1)[0];
	let witness = vm::witness(program, &once(), STEP_LIMIT).expect("provable");
	let (statement, airs) = vm::run_statement(program, &witness.claim, &witness.shape).expect("statement");
	let airs: Vec<_> = airs.iter().collect();
	let mut cases = 0;
	for flags in [columns::D, columns::A, columns::B] {
		let cpu = &witness.traces[0];
		let Some((row, k)) = (0..witness.shape.instructions as usize)
			.find_map(|row| (0..13).find(|&k| cpu[flags + k][row] == Base::one()).map(|k| (row, k)))
		else {
			continue;
		};
		let mut traces = witness.traces.clone();
		let j = (k + 2) % 13;
		traces[0][flags + k][row] = Base::zero();
		traces[0][flags + j][row] = Base::one();
		let traces: Vec<&[Vec<Base>]> = traces.iter().map(|t| t.as_slice()).collect();
		assert!(prove_tables(&airs, &statement, &CONFIG, &traces).is_err());
		let proof = prove_tables_unchecked(&airs, &statement, &CONFIG, &traces).expect("unchecked");
		let proof = RunProof { proof, ..witness.shape.clone() };
		assert!(
			vm::verify(program, &witness.claim, &proof, &CONFIG).is_err(),
			"flag group {flags}: r{k} moved to r{j}"
		);
		cases += 1;
	}
	assert!(cases >= 2);
}

/// `end` and `taken` are committed (session 20) and the transitions read them instead of their
/// expressions: altered on a row of each kind (a return, a trap and a row that does not end for
/// `end`; a taken branch, a branch not taken and a row without a branch for `taken`; row `R` and
/// a padding row for both), the row checker names that row and the proof is rejected.
#[test]
fn a_wrong_end_or_taken_is_rejected() {
	use agentic_air::{check_trace, Base, BinaryFieldElement};
	use agentic_polkavm_proof::cpu::signal;

	let mut rng = Rng(0xe2d_7a4e);
	let mut programs = provable_programs(&mut rng, 4);
	programs.extend(trapping_programs(&mut rng, 1));
	let run = RunInput { inputs: vec![Vec::new(); 3], ..RunInput::default() };
	let mut seen = std::collections::BTreeSet::new();
	for program in &programs {
		let witness = vm::witness(program, &run, 3 * STEP_LIMIT).expect("provable");
		let (_, airs) = vm::run_statement(program, &witness.claim, &witness.shape).expect("statement");
		let cpu = &witness.traces[0];
		let r = witness.shape.instructions as usize;
		let on = |column: usize, row: usize| cpu[column][row] == Base::one();
		let signal = |bit: usize, row: usize| on(columns::SIGNALS + bit, row);
		let mut cases = Vec::new();
		for row in 0..cpu[0].len() {
			let end = if row >= r {
				"end past the last instruction"
			} else if signal(signal::DYN, row) && on(columns::RET, row) {
				"end at a return"
			} else if signal(signal::TRAP, row) {
				"end at a trap"
			} else {
				"end on a row that does not end"
			};
			let taken = if row >= r {
				"taken past the last instruction"
			} else if on(columns::TAKEN, row) {
				"taken at a taken branch"
			} else if signal(signal::BRANCH, row) {
				"taken at a branch not taken"
			} else {
				"taken on a row without a branch"
			};
			let past = if row == r {
				"(row R)"
			} else if row > r {
				"(padding)"
			} else {
				""
			};
			cases.extend([(columns::END, end, past, row), (columns::TAKEN, taken, past, row)]);
		}
		for (column, kind, past, row) in cases {
			if !seen.insert((kind, past)) {
				continue;
			}
			let mut trace = cpu.clone();
			trace[column][row] = trace[column][row].add(&Base::one());
			let violation = check_trace(&airs[0], &trace, r as u64).expect_err(kind);
			assert_eq!(violation.row, row as u64, "{kind} {past}");
			common::assert_run_mutant_rejected(&mut rng, program, &witness, (0, column, row), kind);
		}
	}
	assert_eq!(seen.len(), 10, "every kind of row, with row R and a padding row: {seen:?}");
}

/// One of each of the VM's tables (the CPU's for a table of `2^8` rows).
fn every_table() -> [agentic_polkavm_proof::Table; 13] {
	use agentic_polkavm_proof::{cpu::Cpu, Table};
	[
		Table::Cpu(Cpu { num_vars: 8, entry: 0, stack_top: 0x1000 }),
		Table::Program,
		Table::Jumps,
		Table::Alu,
		Table::Shift,
		Table::Access,
		Table::Ram,
		Table::RoImage,
		Table::HostCalls,
		Table::HostBytes,
		Table::State,
		Table::Constants,
		Table::Inputs,
	]
}

/// Every table's compiled constraint sum (the prover's `agentic_air::circuit`) is its
/// constraints' weighted sum at random points of random lines.
#[test]
fn every_tables_circuit_is_its_weighted_constraint_sum() {
	for (seed, table) in every_table().iter().enumerate() {
		agentic_air::circuit::testing::assert_agrees_on_lines(table, seed as u64);
	}
}

/// Every table whose interactions are affine has them as affine forms (the prover's
/// `agentic_air::interactions`), which give its gates, fingerprints and bus leaves at random
/// points. A table with an interaction that is not affine has no forms.
#[test]
fn every_tables_interaction_forms_are_its_interactions() {
	use agentic_air::interactions::{testing::assert_agrees, InteractionForms};
	let mut affine = Vec::new();
	for (seed, table) in every_table().iter().enumerate() {
		let info = agentic_air::analyze(table).expect("analyze");
		if !info.interactions.iter().all(|i| i.affine()) {
			assert!(InteractionForms::compile(table).is_none(), "{table:?}");
			continue;
		}
		assert_agrees(table, seed as u64);
		affine.push(format!("{table:?}"));
	}
	// The four large tables at least.
	for name in ["Cpu", "Alu", "Shift", "Access"] {
		assert!(affine.iter().any(|t| t.starts_with(name)), "{name} in {affine:?}");
	}
}

/// Every table makes all its interactions whether or not the builder wants its constraints (the
/// CPU, access, ALU and shift AIRs skip theirs where only the bus leaves are wanted): at random points its
/// bus leaves alone are those of the full evaluation.
#[test]
fn every_table_makes_its_interactions_without_its_constraints() {
	use agentic_air::{analyze, bus_leaves, combine_with_leaves, Ext, Values, MAX_INDEX_BIT};
	let mut rng = Rng(0x1eaf_2026);
	for table in &every_table() {
		let info = analyze(table).expect("analyze");
		let mut random = |count: usize| -> Vec<Ext> { (0..count).map(|_| rng.ext()).collect() };
		let (cur, next, bits) = (random(info.width), random(info.width), random(MAX_INDEX_BIT as usize + 1));
		let (challenges, weights) = (random(info.max_fields() + 2), random(info.constraints.len()));
		let selectors = [0, 1, 2, 3].map(|_| rng.ext());
		let values = Values { cur: &cur, next: &next, selectors, index_bits: &bits, challenges: &challenges };
		let (_, leaves) = combine_with_leaves(table, values, &weights).expect("one weight per constraint");
		assert_eq!(bus_leaves(table, values), leaves, "{table:?}");
	}
}

/// The zerocheck prover takes a table's bus leaves past its constraints' degree from the lines
/// of each interaction's gate and fingerprint where every interaction is affine: on a line
/// through two random points, the leaves of such a table at other nodes are the products of
/// its parts' lines. The CPU and access tables, the ones whose rounds split, are affine.
#[test]
fn affine_tables_leaves_on_a_line_are_their_parts_lines() {
	use agentic_air::{analyze, bus_leaves, interaction_parts, BinaryFieldElement, Direction, Ext, Values};
	use agentic_air::{Selector, MAX_INDEX_BIT};
	use agentic_polkavm_proof::Table;
	let mut rng = Rng(0x11e5_2026);
	let line = |lo: &Ext, hi: &Ext, x: &Ext| lo.add(&x.mul(&lo.add(hi)));
	for table in &every_table() {
		let info = analyze(table).expect("analyze");
		let affine = info.interactions.iter().all(|i| i.affine());
		if matches!(table, Table::Cpu(_) | Table::Access) {
			assert!(affine, "{table:?}: its rounds would evaluate the AIR at every node");
		}
		if !affine || !info.interacts() {
			continue;
		}
		let mut random = |count: usize| -> Vec<Ext> { (0..count).map(|_| rng.ext()).collect() };
		let ends = [0, 1].map(|_| (random(info.width), random(MAX_INDEX_BIT as usize + 1), random(4)));
		let challenges = random(info.max_fields() + 2);
		fn values<'a>((cur, bits, selectors): &'a (Vec<Ext>, Vec<Ext>, Vec<Ext>), challenges: &'a [Ext]) -> Values<'a> {
			Values { cur, next: &[], selectors: [0, 1, 2, 3].map(|s| selectors[s]), index_bits: bits, challenges }
		}
		let (mut lo, mut hi) = (Vec::new(), Vec::new());
		interaction_parts(table, values(&ends[0], &challenges), &mut lo);
		interaction_parts(table, values(&ends[1], &challenges), &mut hi);
		assert_eq!((lo.len(), hi.len()), (info.interactions.len(), info.interactions.len()));
		for d in [2u128, 3, 7, 13] {
			let x = Ext::from_value(d);
			let on_line = |a: &[Ext], b: &[Ext]| -> Vec<Ext> { a.iter().zip(b).map(|(a, b)| line(a, b, &x)).collect() };
			let point =
				(on_line(&ends[0].0, &ends[1].0), on_line(&ends[0].1, &ends[1].1), on_line(&ends[0].2, &ends[1].2));
			let want = bus_leaves(table, values(&point, &challenges));
			let (mut send, mut receive) = (Ext::one(), Ext::one());
			for (interaction, ((direction, g0, f0), (_, g1, f1))) in info.interactions.iter().zip(lo.iter().zip(&hi)) {
				assert_eq!(*direction, interaction.direction, "{table:?}: the analysis's order");
				let gate = line(g0, g1, &x);
				let factor = gate.mul(&line(f0, f1, &x)).add(&Ext::one()).add(&gate);
				match direction {
					Direction::Send => send = send.mul(&factor),
					Direction::Receive => receive = receive.mul(&factor),
				}
			}
			let active = point.2[Selector::Active.index()];
			let pad = Ext::one().add(&active);
			let from_parts = (active.mul(&send).add(&pad), active.mul(&receive).add(&pad));
			assert_eq!(from_parts, want, "{table:?} at node {d}");
		}
	}
}

#[test]
fn the_cpu_analyzes_within_the_degree_budget() {
	use agentic_polkavm_proof::{cpu::Cpu, Table};
	let info = agentic_air::analyze(&Table::Cpu(Cpu { num_vars: 8, entry: 0, stack_top: 0x1000 })).expect("analyze");
	assert_eq!(info.width, columns::WIDTH);
	assert_eq!(columns::WIDTH, 148, "146 before `end` and `taken` were committed");
	assert_eq!(info.max_degree, 12, "the bus leaves: active, and send slots of degree 11 in all");
	let constraints = info.constraints.iter().map(|c| c.degree).max();
	assert_eq!(constraints, Some(4), "7 with `end` and `taken` as expressions (the next pc)");
	assert!(info.unused_columns.is_empty(), "{:?}", info.unused_columns);
	// The timestamps read the index bits the table has.
	assert!(agentic_air::analyze(&Cpu { num_vars: 3, entry: 0, stack_top: 0 })
		.expect("analyze")
		.index_bits
		.iter()
		.all(|&j| j < 3));
}

/// The bus fingerprints' soundness term at the chain's bound rests on this: a table's rows
/// carry at most as many bus tuples as it has columns, so a proof's tuples number at most its
/// stacked values (`docs/proof-system.md`, "Buses by a GKR grand product", soundness).
#[test]
fn every_table_has_at_most_as_many_bus_slots_as_columns() {
	for table in every_table() {
		let info = agentic_air::analyze(&table).expect("analyze");
		assert!(
			info.interactions.len() <= info.width,
			"{table:?}: {} slots, {} columns",
			info.interactions.len(),
			info.width
		);
	}
}

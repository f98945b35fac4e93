//! Host calls and state: the example agents' invocations prove and verify, and their claims
//! agree with re-execution (`agentic_verifier::exec`, the chain's semantics) in steps, output and
//! pages; a changed input, time, depth, page, output or step count is rejected; mutated cells of
//! the host-call, host-byte, state, constants and inputs tables are rejected.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use agentic_air::{Base, BinaryFieldElement};
use agentic_example_agents as examples;
use agentic_pcs::test_utils::Rng;
use agentic_polkavm_proof::{
	program::ProgramTable,
	state::PAGE,
	vm::{self, Claim, Output, Page, RunError, RunInput, RunProof},
	Table,
};
use agentic_verifier::exec::{self, ExecError, StateAccess};
use agentic_zerocheck::Config;

const CONFIG: Config = Config { num_queries: 16, grinding_bits: 2, max_stacked_values: u64::MAX };
const STEP_LIMIT: u64 = 1 << 20;

struct Pages<'a>(&'a RunInput);

impl StateAccess for Pages<'_> {
	fn depth(&self) -> u8 {
		self.0.depth
	}
	fn load_page(&mut self, index: u32) -> Result<[u8; PAGE], ExecError> {
		Ok(self.0.pages.get(&index).copied().unwrap_or([0; PAGE]))
	}
}

/// Proves a run, checks the claim against re-execution, verifies the proof; returns
/// the claim, the proof and the state after the run.
fn prove_and_compare(program: &ProgramTable, blob: &[u8], run: &RunInput) -> (Claim, RunProof, RunInput) {
	let (claim, proof) = vm::prove(program, run, STEP_LIMIT, &CONFIG).expect("the run proves");
	vm::verify(program, &claim, &proof, &CONFIG).expect("and verifies");

	let reference = agentic_verifier::program::Program::load(blob).expect("a valid agent");
	let inputs: Vec<&[u8]> = run.inputs.iter().map(Vec::as_slice).collect();
	let result = exec::run(&reference, &mut Pages(run), &inputs, run.time, STEP_LIMIT).expect("re-execution runs");
	assert_eq!(claim.steps, result.steps, "steps as re-execution counts them");
	let outputs: Vec<Output> =
		result.outputs.iter().map(|o| Output { trapped: o.trapped, data: o.data.clone() }).collect();
	assert_eq!(claim.outputs, outputs, "the outputs");
	let touched: BTreeSet<u32> = claim.pages.iter().map(|page| page.index).collect();
	assert_eq!(touched, result.touched, "the touched pages");
	for page in &claim.pages {
		let expected = result.written.get(&page.index).copied().unwrap_or(page.old);
		assert_eq!(page.new, expected, "page {}", page.index);
	}
	let mut after = run.clone();
	for page in &claim.pages {
		after.pages.insert(page.index, page.new);
	}
	(claim, proof, after)
}

fn table(blob: &[u8]) -> ProgramTable {
	ProgramTable::from_blob(blob, "step").expect("the example agents are inside the v1 subset")
}

/// One input per run: the state carries from run to run.
fn one(input: Vec<u8>, state: &RunInput) -> RunInput {
	RunInput { inputs: vec![input], ..state.clone() }
}

/// The counter of `docs/agent-abi.md`: three inputs as three runs of one invocation each (the
/// state carrying over), and as one run of three invocations; both agree with re-execution.
#[test]
fn the_counter_counts_in_proven_steps() {
	let blob = examples::counter();
	let program = table(&blob);
	let inputs = [Vec::new(), 5u64.to_le_bytes().to_vec(), b"x".to_vec()];
	let fresh = RunInput { depth: examples::depth::COUNTER, ..RunInput::default() };
	let mut state = fresh.clone();
	let mut outputs = Vec::new();
	for input in &inputs {
		let (claim, proof, after) = prove_and_compare(&program, &blob, &one(input.clone(), &state));
		assert!(
			proof.host_calls >= 4 && proof.host_bytes >= 24,
			"{} calls, {} bytes",
			proof.host_calls,
			proof.host_bytes
		);
		outputs.push(u64::from_le_bytes(claim.outputs[0].data.clone().try_into().expect("8 bytes")));
		state = after;
	}
	assert_eq!(outputs, [1, 6, 7]);
	let all = RunInput { inputs: inputs.to_vec(), ..fresh };
	let (claim, _, after) = prove_and_compare(&program, &blob, &all);
	let outputs: Vec<u64> =
		claim.outputs.iter().map(|o| u64::from_le_bytes(o.data.clone().try_into().expect("8 bytes"))).collect();
	assert_eq!(outputs, [1, 6, 7]);
	assert_eq!(after.pages, state.pages, "the same state either way");
}

#[test]
fn the_other_example_agents_prove() {
	let transfer =
		|from: u64, to: u64, amount: u64| [from.to_le_bytes(), to.to_le_bytes(), amount.to_le_bytes()].concat();
	let cases: [(Vec<u8>, u8, Vec<u8>, Option<u64>); 5] = [
		(examples::token_ledger(), examples::depth::TOKEN_LEDGER, transfer(u64::MAX, 3, 100), None),
		(examples::token_ledger(), examples::depth::TOKEN_LEDGER, transfer(3, 512, 1), None),
		(examples::clock(), examples::depth::CLOCK, Vec::new(), Some(1_700_000_000_000)),
		(examples::page_toucher(), 4, 3u64.to_le_bytes().to_vec(), None),
		(examples::hash_chain(), examples::depth::HASH_CHAIN, 10u64.to_le_bytes().to_vec(), None),
	];
	for (blob, depth, input, time) in cases {
		let program = table(&blob);
		let mut pages = BTreeMap::new();
		pages.insert(0, core::array::from_fn(|i| i as u8));
		prove_and_compare(&program, &blob, &RunInput { inputs: vec![input.clone(), input], depth, time, pages });
	}
}

/// An agent that makes each call with the registers given, stores each result and outputs them
/// all at the end.
fn calls_agent(calls: &[(u32, u64, u64, u64)]) -> Vec<u8> {
	let set = |reg: &str, value: u64| {
		if value < 1 << 31 {
			format!("{reg} = {value}\n")
		} else {
			let shift = value.trailing_zeros();
			assert_eq!(value >> shift, 1, "a power of two");
			format!("{reg} = 1\n{reg} = {reg} << {shift}\n")
		}
	};
	let results = 0x20f00;
	let mut source = String::from("%isa = revive_v1\n%rw_data_size = 4096\n%stack_size = 4096\npub @step:\n");
	for (i, &(index, a0, a1, a2)) in calls.iter().enumerate() {
		source += &(set("a0", a0) + &set("a1", a1) + &set("a2", a2));
		source += &format!("ecalli {index}\nu64 [{}] = a0\n", results + 8 * i);
	}
	source += &format!("a0 = {results}\na1 = {}\necalli 5\nret\n", 8 * calls.len());
	examples::assemble_agent(&source).expect("assembles")
}

/// Every outcome branch of every call, with exec.rs's answers: clamped and empty input reads
/// (offsets at, past and far past the input's end), state ranges that end exactly at the state's
/// end, one byte past it, or start past it or at 2^63, full outputs, zero-length calls with an
/// unmapped pointer, and lengths whose gas uses the high length bits (300, 512, 4097, 65536).
#[test]
fn every_outcome_of_every_call_is_exec_rs() {
	const INPUT_LEN: u32 = 0;
	const INPUT_READ: u32 = 1;
	const STATE_LEN: u32 = 2;
	const STATE_READ: u32 = 3;
	const STATE_WRITE: u32 = 4;
	const OUTPUT: u32 = 5;
	const TIME: u32 = 6;
	let buffer = 0x20000;
	let unmapped = 0x10;
	let calls = [
		(INPUT_LEN, 0, 0, 0),
		(STATE_LEN, 0, 0, 0),
		(TIME, 0, 0, 0),
		(INPUT_READ, buffer, 0, 5),
		(INPUT_READ, buffer, 18, 100),
		(INPUT_READ, buffer, 20, 4),
		(INPUT_READ, buffer, 25, 4),
		(INPUT_READ, buffer, 1 << 40, 4),
		(INPUT_READ, buffer, 3, 65536),
		(STATE_READ, 600, buffer, 4),
		(STATE_READ, 508, buffer, 4),
		(STATE_READ, 509, buffer, 4),
		(STATE_READ, 1 << 63, buffer, 1),
		(STATE_READ, 0, unmapped, 0),
		(STATE_WRITE, 100, buffer, 300),
		(STATE_WRITE, 0, buffer, 512),
		(STATE_WRITE, 512, buffer, 1),
		(OUTPUT, buffer, 10, 0),
		(OUTPUT, buffer, 4087, 0),
		(OUTPUT, buffer, 4097, 0),
		(OUTPUT, buffer, 0, 0),
		(OUTPUT, unmapped, 0, 0),
	];
	let blob = calls_agent(&calls);
	let program = table(&blob);
	let mut pages = BTreeMap::new();
	pages.insert(1, core::array::from_fn(|i| (i * 7) as u8));
	let input: Vec<u8> = (100..120).collect();
	let run = RunInput { inputs: vec![input], depth: 1, time: Some(5), pages };
	let (claim, _, _) = prove_and_compare(&program, &blob, &run);
	let results: Vec<u64> =
		claim.outputs[0].data[10..].chunks(8).map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes"))).collect();
	assert_eq!(results, [20, 512, 5, 5, 2, 0, 0, 0, 17, 1, 0, 1, 1, 0, 0, 0, 1, 0, 2, 2, 0, 0]);
}

/// An agent that traps (`trap`) on some inputs after it has written state and output: an input
/// of one byte traps at once; on any other input the agent reads state bytes 0..16 (as the
/// invocation finds them), copies 16 bytes of its input buffer to state offset 0, writes four of
/// those bytes again at offset 2, reads eight bytes of page 1, outputs the state bytes it read
/// first and then its buffer, and traps if the input's first byte is odd.
const TRAPPER: &str = "
%isa = revive_v1
%rw_data_size = 4096
%stack_size = 4096
pub @step:
ecalli 0
jump @trap if a0 == 1
a0 = 0
a1 = 0x20200
a2 = 16
ecalli 3
a0 = 0x20000
a1 = 0
a2 = 16
ecalli 1
a0 = 0
a1 = 0x20000
a2 = 16
ecalli 4
a0 = 2
a1 = 0x20004
a2 = 4
ecalli 4
a0 = 300
a1 = 0x20100
a2 = 8
ecalli 3
a0 = 0x20200
a1 = 16
ecalli 5
a0 = 0x20000
a1 = 16
ecalli 5
a1 = u8 [0x20000]
a1 = a1 & 1
jump @trap if a1 != 0
ret
@trap:
trap
";

/// Invocations that trap have their state writes and output discarded, as exec.rs discards
/// them, in one proof with invocations that return: the rollback restores each touched byte
/// once (bytes written twice, bytes only read, a trap before any state access, a trap in the
/// last invocation), and the next invocation reads the state as it was before the trap.
#[test]
fn trapping_invocations_roll_back_as_exec_rs_does() {
	let blob = examples::assemble_agent(TRAPPER).expect("assembles");
	let program = table(&blob);
	let mut pages = BTreeMap::new();
	pages.insert(0, core::array::from_fn(|i| (i * 3) as u8));
	pages.insert(1, core::array::from_fn(|i| (i * 5) as u8));
	let inputs = vec![vec![2; 16], (1..17).collect(), vec![9], (10..26).collect(), vec![3; 5]];
	let run = RunInput { inputs, depth: 2, time: None, pages };
	let (claim, proof, after) = prove_and_compare(&program, &blob, &run);
	let trapped: Vec<bool> = claim.outputs.iter().map(|output| output.trapped).collect();
	assert_eq!(trapped, [false, true, true, false, true]);
	// The fourth invocation finds the first one's writes: the second's were rolled back.
	assert_eq!(claim.outputs[3].data, [vec![2; 16], (10..26).collect::<Vec<u8>>()].concat());
	let mut expected = run.pages[&0];
	expected[..16].copy_from_slice(&(10..26).collect::<Vec<u8>>());
	expected[2..6].copy_from_slice(&[14, 15, 16, 17]);
	assert_eq!(after.pages[&0], expected, "the returning invocations' writes, and only theirs");
	assert_eq!(after.pages[&1], run.pages[&1]);
	// Each full invocation moves 16 + input + 16 + 4 + 8 + 32 bytes; the two trapping ones that
	// touched state restore 16 + 8 bytes each; the third moves none.
	assert_eq!(proof.host_bytes, 92 + (92 + 24) + 0 + 92 + (81 + 24));

	// Every invocation trapping, and a run that traps before touching anything.
	let run = RunInput { inputs: vec![vec![1; 16], vec![0]], depth: 2, ..RunInput::default() };
	let (claim, _, after) = prove_and_compare(&program, &blob, &run);
	assert!(claim.outputs.iter().all(|output| output.trapped && output.data.is_empty()));
	assert!(claim.pages.iter().all(|page| page.new == page.old) && after.pages.values().all(|page| *page == [0; PAGE]));
	let run = RunInput { inputs: vec![vec![0]], depth: 2, ..RunInput::default() };
	let (claim, proof, _) = prove_and_compare(&program, &blob, &run);
	assert!(claim.outputs[0].trapped && claim.pages.is_empty() && proof.host_bytes == 0);
}

/// A trapping invocation's claims: the trapped flag of any invocation flipped, or output data
/// claimed for a trapped one (refused as malformed), is rejected.
#[test]
fn a_changed_trap_claim_is_rejected() {
	let blob = examples::assemble_agent(TRAPPER).expect("assembles");
	let program = table(&blob);
	let run = RunInput { inputs: vec![vec![4; 16], vec![5; 16]], depth: 2, ..RunInput::default() };
	let (claim, proof, _) = prove_and_compare(&program, &blob, &run);
	let rejected = |claim: &Claim| vm::verify(&program, claim, &proof, &CONFIG).is_err();
	let mut flipped = claim.clone();
	flipped.outputs[0].trapped = true;
	flipped.outputs[0].data.clear();
	assert!(rejected(&flipped));
	let mut flipped = claim.clone();
	flipped.outputs[1].trapped = false;
	assert!(rejected(&flipped));
	let mut with_data = claim.clone();
	with_data.outputs[1].data = vec![5; 16];
	assert_eq!(vm::verify(&program, &with_data, &proof, &CONFIG), Err(RunError::BadClaim));
}

/// Consistent forgeries of traps (review TR-1, TR-2): the witness built with one lie and proven
/// under the claim that lie supports. A trap that restores nothing (its writes kept), a rollback
/// that leaves one byte as the trapping invocation wrote it, a trapping invocation claimed to
/// return (its output published), and a returning invocation claimed to trap are all rejected;
/// the honest witness proven the same way is accepted.
#[test]
fn forged_traps_and_rollbacks_are_rejected() {
	use agentic_polkavm_proof::vm::forge::{forged_witness, Forgery};

	let blob = examples::assemble_agent(TRAPPER).expect("assembles");
	let program = table(&blob);
	let run = RunInput { inputs: vec![vec![2; 16], vec![1; 16]], depth: 2, ..RunInput::default() };
	let honest = vm::witness(&program, &run, STEP_LIMIT).expect("provable");
	assert!(accepted_under(&program, &honest.claim, &honest.shape, &honest.traces));
	for forgery in [Forgery::SkipRollback, Forgery::DropFirstRestore, Forgery::TrapAsReturn(1)] {
		let forged = forged_witness(&program, &run, STEP_LIMIT, forgery).expect("a witness");
		assert_ne!(forged.claim, honest.claim, "{forgery:?} changes the claim");
		assert!(!accepted_under(&program, &forged.claim, &forged.shape, &forged.traces), "{forgery:?} accepted");
	}
	let forged = forged_witness(&program, &run, STEP_LIMIT, Forgery::DropFirstRestore).expect("a witness");
	assert_eq!(forged.claim.pages[0].new[0], 1, "the trapping invocation's write kept");

	// A returning invocation claimed to trap, in an agent that touches no state (so that only
	// the trapped flag is wrong).
	let blob = examples::assemble_agent("%isa = revive_v1\n%stack_size = 4096\npub @step:\nret\n").expect("assembles");
	let program = table(&blob);
	let run = RunInput { inputs: vec![Vec::new(), Vec::new()], ..RunInput::default() };
	let forged = forged_witness(&program, &run, STEP_LIMIT, Forgery::ReturnAsTrap(1)).expect("a witness");
	assert!(forged.claim.outputs[1].trapped);
	assert!(!accepted_under(&program, &forged.claim, &forged.shape, &forged.traces), "a return claimed as a trap");
	let honest = vm::witness(&program, &run, STEP_LIMIT).expect("provable");
	assert!(accepted_under(&program, &honest.claim, &honest.shape, &honest.traces));
}

#[test]
fn reading_the_time_without_one_is_unprovable() {
	let program = table(&examples::clock());
	let run = RunInput { inputs: vec![Vec::new()], depth: examples::depth::CLOCK, ..RunInput::default() };
	assert_eq!(vm::prove(&program, &run, STEP_LIMIT, &CONFIG).err(), Some(RunError::Unprovable));
}

/// A claim changed after proving (the claim is absorbed first, so these fail on the
/// transcript as well as on the tables; the tests above and the mutation suite prove under
/// forged statements).
#[test]
fn a_changed_claim_is_rejected() {
	let blob = examples::counter();
	let program = table(&blob);
	let mut pages = BTreeMap::new();
	pages.insert(0, [0; PAGE]);
	pages.get_mut(&0).expect("page 0")[..8].copy_from_slice(&41u64.to_le_bytes());
	let run = RunInput { inputs: vec![1u64.to_le_bytes().to_vec()], depth: 2, time: None, pages };
	let (claim, proof, _) = prove_and_compare(&program, &blob, &run);
	let rejected = |claim: &Claim| vm::verify(&program, claim, &proof, &CONFIG).is_err();
	assert!(!rejected(&claim));
	let with = |change: &dyn Fn(&mut Claim)| {
		let mut changed = claim.clone();
		change(&mut changed);
		changed
	};
	let cases: Vec<(&str, Claim)> = vec![
		("steps + 1", with(&|c| c.steps += 1)),
		("steps - 1", with(&|c| c.steps -= 1)),
		("an input byte", with(&|c| c.inputs[0][0] ^= 1)),
		("a shorter input", with(&|c| c.inputs[0].truncate(7))),
		("a longer input", with(&|c| c.inputs[0].push(0))),
		(
			"another input",
			with(&|c| {
				c.inputs.push(Vec::new());
				c.outputs.push(c.outputs[0].clone());
			}),
		),
		("no output", with(&|c| c.outputs[0].data.clear())),
		("a trapped output", with(&|c| c.outputs[0] = Output { trapped: true, data: Vec::new() })),
		("the depth", with(&|c| c.depth = 3)),
		("a time declared", with(&|c| c.time = Some(1))),
		("an output byte", with(&|c| c.outputs[0].data[0] ^= 1)),
		("a shorter output", with(&|c| c.outputs[0].data.truncate(7))),
		("a longer output", with(&|c| c.outputs[0].data.push(0))),
		("an old page byte", with(&|c| c.pages[0].old[0] ^= 1)),
		("an old page byte nobody read", with(&|c| c.pages[0].old[200] ^= 1)),
		("a new page byte", with(&|c| c.pages[0].new[0] ^= 1)),
		("a new page byte nobody wrote", with(&|c| c.pages[0].new[200] ^= 1)),
		("no page", with(&|c| c.pages.clear())),
		("an extra untouched page", with(&|c| c.pages.push(Page { index: 1, old: [0; PAGE], new: [0; PAGE] }))),
		("another page", with(&|c| c.pages[0].index = 1)),
	];
	for (what, changed) in cases {
		assert!(rejected(&changed), "{what}: accepted");
	}
}

/// Whether the verifier accepts `traces` proven (without the prover's checks) under the
/// statement of `claim`.
fn accepted_under(program: &ProgramTable, claim: &Claim, shape: &RunProof, traces: &[Vec<Vec<Base>>]) -> bool {
	let (statement, airs) = vm::run_statement(program, claim, shape).expect("statement");
	let airs: Vec<&Table> = airs.iter().collect();
	let traces: Vec<&[Vec<Base>]> = traces.iter().map(|t| t.as_slice()).collect();
	let proof =
		agentic_zerocheck::prover::prove_tables_unchecked(&airs, &statement, &CONFIG, &traces).expect("unchecked");
	vm::verify(program, claim, &RunProof { proof, ..shape.clone() }, &CONFIG).is_ok()
}

/// A claimed page that the run never touched, with a state table built honestly for it (no
/// access, so its cells balance on their own): only the touched-page argument refuses it.
#[test]
fn an_untouched_page_cannot_be_claimed() {
	use agentic_polkavm_proof::state;

	let blob = examples::page_toucher();
	let program = table(&blob);
	let run = RunInput { inputs: vec![2u64.to_le_bytes().to_vec()], depth: 4, ..RunInput::default() };
	let witness = vm::witness(&program, &run, STEP_LIMIT).expect("provable");
	assert_eq!(witness.claim.pages.len(), 2);
	let mut forged = witness.claim.clone();
	forged.pages.push(Page { index: 2, old: [0; PAGE], new: [0; PAGE] });
	forged.steps += 1200;
	let (_, airs) = vm::run_statement(&program, &forged, &witness.shape).expect("statement");
	let index = airs.iter().position(|&t| t == Table::State).expect("a state table");
	let mut traces = witness.traces.clone();
	let height = traces[index][0].len();
	assert_eq!(height, 1024, "the third page keeps the table's height");
	let pages: Vec<_> = forged.pages.iter().map(|p| (p.index, p.old, p.new)).collect();
	let mut columns = state::public_columns(&pages, 10);
	for column in state::columns::PUBLIC..state::columns::WIDTH {
		let mut values = traces[index][column][..2 * PAGE].to_vec();
		values.resize(height, Base::zero());
		columns.push(values);
	}
	traces[index] = columns;
	assert!(!accepted_under(&program, &forged, &witness.shape, &traces), "an untouched page accepted");
}

/// The clock's witness proven under a claim that declares no time (the constants table,
/// rebuilt for that claim, has the same height but no time row): its `consensus_time` read
/// finds nothing to read. (A claim changed after proving fails on the transcript alone; this
/// proves under the changed claim.)
#[test]
fn a_time_read_needs_a_declared_time() {
	use agentic_polkavm_proof::host;

	let program = table(&examples::clock());
	let run = RunInput { inputs: vec![Vec::new()], time: Some(77), ..RunInput::default() };
	let witness = vm::witness(&program, &run, STEP_LIMIT).expect("provable");
	let forged = Claim { time: None, ..witness.claim.clone() };
	let (_, airs) = vm::run_statement(&program, &forged, &witness.shape).expect("statement");
	let index = airs.iter().position(|&t| t == Table::Constants).expect("a constants table");
	let mut traces = witness.traces.clone();
	let entries = host::constant_entries(PAGE as u64, None, &[Vec::new()]);
	let mut columns = host::constant_columns(&entries, 2);
	columns.push((0..4).map(|i| if i < entries.len() { Base::one() } else { Base::zero() }).collect());
	traces[index] = columns;
	assert!(!accepted_under(&program, &forged, &witness.shape, &traces), "a time read without a time accepted");
}

/// The mutation suite of the host tables: one committed cell of an honest witness changed
/// (any cell of an active host-call or host-byte row, a state byte's last timestamp or flags,
/// a final read counter of the constants or inputs table, a CPU host column), proven through
/// the unchecked prover: the checked prover refuses it and the verifier rejects the proof.
#[test]
fn proofs_of_mutated_host_tables_are_rejected() {
	use agentic_polkavm_proof::{cpu::columns as cpu_columns, host, state};

	let transfer = [3u64.to_le_bytes(), 300u64.to_le_bytes(), 40u64.to_le_bytes()].concat();
	let mut ledger_pages = BTreeMap::new();
	let mut page = [0u8; PAGE];
	page[24..32].copy_from_slice(&1000u64.to_le_bytes());
	ledger_pages.insert(0, page);
	let runs = [
		(
			examples::counter(),
			RunInput { inputs: vec![5u64.to_le_bytes().to_vec(), Vec::new()], ..RunInput::default() },
		),
		(
			examples::token_ledger(),
			RunInput { inputs: vec![transfer], depth: examples::depth::TOKEN_LEDGER, time: None, pages: ledger_pages },
		),
		(examples::clock(), RunInput { inputs: vec![Vec::new()], time: Some(77), ..RunInput::default() }),
		(
			examples::assemble_agent(TRAPPER).expect("assembles"),
			RunInput { inputs: vec![vec![1; 16], vec![2; 16], vec![9]], depth: 2, ..RunInput::default() },
		),
	];
	let mut rng = Rng(0x4057_2026);
	let mut per_table = BTreeMap::new();
	for case in 0..60 {
		let (blob, invocation) = &runs[case % runs.len()];
		let program = table(blob);
		let witness = vm::witness(&program, invocation, STEP_LIMIT).expect("provable");
		let (statement, airs) = vm::run_statement(&program, &witness.claim, &witness.shape).expect("statement");
		let traces = &witness.traces;
		let present: Vec<Table> = [Table::HostCalls, Table::HostBytes, Table::State, Table::Constants, Table::Inputs]
			.into_iter()
			.filter(|t| airs.contains(t))
			.collect();
		let chosen = if rng.below(5) == 0 { airs[0] } else { present[rng.below(present.len() as u64) as usize] };
		let index = airs.iter().position(|&t| t == chosen).expect("present");
		let rows = statement.tables[index].active_rows;
		let (column, row) = match chosen {
			Table::HostCalls => (rng.below(host::call_columns::WIDTH as u64) as usize, rng.below(rows) as usize),
			Table::HostBytes => (rng.below(host::byte_columns::WIDTH as u64) as usize, rng.below(rows) as usize),
			Table::State => {
				let committed = state::columns::WIDTH - state::columns::PUBLIC;
				(state::columns::PUBLIC + rng.below(committed as u64) as usize, rng.below(rows) as usize)
			},
			// The final read counters (the other columns are public).
			Table::Constants => (4, rng.below(rows) as usize),
			Table::Inputs => (3, rng.below(rows) as usize),
			// The CPU's host columns and the invocation's (`OUT` to `T`), on a row that calls.
			_ => {
				let calls: Vec<usize> = (0..witness.shape.instructions as usize)
					.filter(|&i| {
						traces[index][cpu_columns::SIGNALS + agentic_polkavm_proof::cpu::signal::HOST][i] == Base::one()
					})
					.collect();
				let row = calls[rng.below(calls.len() as u64) as usize];
				(cpu_columns::OUT + rng.below((cpu_columns::END - cpu_columns::OUT) as u64) as usize, row)
			},
		};
		let what = format!("case {case}: {chosen:?}, column {column}, row {row}");
		common::assert_run_mutant_rejected(&mut rng, &program, &witness, (index, column, row), &what);
		*per_table.entry(format!("{chosen:?}")).or_insert(0) += 1;
	}
	assert!(per_table.len() >= 5, "{per_table:?}");
}

#[test]
fn the_host_tables_analyze_within_the_degree_budget() {
	for (table, width, degree) in [(Table::HostCalls, 87, 11), (Table::HostBytes, 361, 11), (Table::State, 10, 4)] {
		let info = agentic_air::analyze(&table).expect("analyze");
		assert_eq!(info.width, width, "{table:?}");
		assert_eq!(info.max_degree, degree, "{table:?}");
		assert!(info.unused_columns.is_empty(), "{table:?}: {:?}", info.unused_columns);
	}
}

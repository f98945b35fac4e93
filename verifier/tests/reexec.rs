//! Re-execution verifier: honest runs verify; every tampering is rejected.

use agentic_example_agents as examples;
use agentic_primitives::{
	inputs_commitment, outputs_commitment,
	state::{StateTree, WitnessError, PAGE_SIZE},
	Input, Inputs,
};
use agentic_verifier::{
	program::{Program, ProgramError},
	reexec::{build_evidence, verify_loaded, Execution, ReexecVerifier},
	Claim, Verifier, VerifyError,
};
use proptest::prelude::*;

const LIMIT: u64 = 10_000_000;

fn inputs(list: &[&[u8]]) -> Inputs {
	Inputs::try_from(list.iter().map(|i| Input::try_from(i.to_vec()).unwrap()).collect::<Vec<_>>()).unwrap()
}

fn claim_for(state: &StateTree, exec: &Execution, time: Option<u64>) -> Claim {
	Claim {
		state_depth: state.depth(),
		old_root: state.root(),
		new_root: exec.new_state.root(),
		steps: exec.result.steps,
		inputs_commitment: inputs_commitment(&exec.evidence.inputs),
		outputs_commitment: outputs_commitment(&exec.result.outputs),
		time,
	}
}

struct Case {
	program: Vec<u8>,
	state: StateTree,
	exec: Execution,
	claim: Claim,
}

fn case(program: Vec<u8>, state: StateTree, ins: &[&[u8]], time: Option<u64>) -> Case {
	let loaded = Program::load(&program).unwrap();
	let exec = build_evidence(&loaded, &state, inputs(ins), time, LIMIT).unwrap();
	let claim = claim_for(&state, &exec, time);
	Case { program, state, exec, claim }
}

fn counter_case() -> Case {
	case(
		examples::counter(),
		StateTree::new(examples::depth::COUNTER).unwrap(),
		&[b"", &5u64.to_le_bytes(), b"x"],
		None,
	)
}

fn verify(c: &Case) -> Result<(), VerifyError> {
	ReexecVerifier.verify(&c.program, &c.claim, &c.exec.evidence)
}

fn transfer(from: u64, to: u64, amount: u64) -> Vec<u8> {
	[from.to_le_bytes(), to.to_le_bytes(), amount.to_le_bytes()].concat()
}

#[test]
fn counter_counts_and_verifies() {
	let c = counter_case();
	let outs: Vec<u64> =
		c.exec.result.outputs.iter().map(|o| u64::from_le_bytes(o.data.clone().try_into().unwrap())).collect();
	assert_eq!(outs, vec![1, 6, 7]);
	assert_eq!(&c.exec.new_state.page(0).unwrap()[..8], &7u64.to_le_bytes());
	assert!(c.exec.result.steps > 0);
	assert_eq!(verify(&c), Ok(()));
}

#[test]
fn token_ledger_moves_funds() {
	let mint = transfer(u64::MAX, 3, 100);
	let pay = transfer(3, 300, 40);
	let overdraw = transfer(300, 3, 41);
	let bad_account = transfer(3, 512, 1);
	let c = case(
		examples::token_ledger(),
		StateTree::new(examples::depth::TOKEN_LEDGER).unwrap(),
		&[&mint, &pay, &overdraw, &bad_account, b"short"],
		None,
	);
	let status: Vec<u8> = c.exec.result.outputs.iter().map(|o| o.data[0]).collect();
	assert_eq!(status, vec![0, 0, 1, 2, 3]);
	let balance = |i: usize| {
		let at = i * 8;
		u64::from_le_bytes(
			c.exec.new_state.page((at / PAGE_SIZE) as u32).unwrap()[at % PAGE_SIZE..][..8].try_into().unwrap(),
		)
	};
	assert_eq!((balance(3), balance(300)), (60, 40));
	// Only the two pages holding accounts 3 and 300 were touched.
	assert_eq!(c.exec.result.touched.len(), 2);
	assert_eq!(verify(&c), Ok(()));
}

#[test]
fn hash_chain_cost_grows_with_rounds() {
	let state = StateTree::new(examples::depth::HASH_CHAIN).unwrap();
	let short = case(examples::hash_chain(), state.clone(), &[&10u64.to_le_bytes()], None);
	let long = case(examples::hash_chain(), state, &[&1010u64.to_le_bytes()], None);
	let per_round = (long.exec.result.steps - short.exec.result.steps) / 1000;
	assert!(per_round >= 10 && per_round <= 20, "{per_round} steps per round");
	assert_eq!(verify(&long), Ok(()));
	assert_ne!(short.claim.new_root, long.claim.new_root);
}

#[test]
fn tampered_new_root_is_rejected() {
	let mut c = counter_case();
	c.claim.new_root.0[0] ^= 1;
	assert_eq!(verify(&c), Err(VerifyError::NewRootMismatch));
	c.claim.new_root = c.claim.old_root;
	assert_eq!(verify(&c), Err(VerifyError::NewRootMismatch));
}

#[test]
fn tampered_witness_page_is_rejected() {
	let mut c = counter_case();
	c.exec.evidence.witness.pages[0].data[0] ^= 1;
	assert_eq!(verify(&c), Err(VerifyError::Witness(WitnessError::RootMismatch)));
}

#[test]
fn stale_old_root_is_rejected() {
	let mut c = counter_case();
	c.claim.old_root = c.claim.new_root;
	assert_eq!(verify(&c), Err(VerifyError::Witness(WitnessError::RootMismatch)));
}

#[test]
fn wrong_program_is_rejected() {
	let mut c = counter_case();
	c.program = examples::hash_chain();
	assert!(verify(&c).is_err());
	c.program = examples::token_ledger();
	assert!(verify(&c).is_err());
}

#[test]
fn wrong_step_counts_are_rejected() {
	let mut c = counter_case();
	let steps = c.claim.steps;
	c.claim.steps = steps - 1;
	assert_eq!(verify(&c), Err(VerifyError::StepsExceeded));
	c.claim.steps = steps + 1;
	assert_eq!(verify(&c), Err(VerifyError::StepsMismatch { declared: steps + 1, used: steps }));
	c.claim.steps = 0;
	assert_eq!(verify(&c), Err(VerifyError::StepsExceeded));
}

#[test]
fn tampered_inputs_are_rejected() {
	let mut c = counter_case();
	c.exec.evidence.inputs[1][0] ^= 1;
	assert_eq!(verify(&c), Err(VerifyError::InputsMismatch));
	// Even with a matching commitment, other inputs give other outputs and another root.
	c.claim.inputs_commitment = inputs_commitment(&c.exec.evidence.inputs);
	assert_eq!(verify(&c), Err(VerifyError::OutputsMismatch));
	c.claim.outputs_commitment = {
		let loaded = Program::load(&c.program).unwrap();
		let rerun = build_evidence(&loaded, &c.state, c.exec.evidence.inputs.clone(), None, LIMIT).unwrap();
		outputs_commitment(&rerun.result.outputs)
	};
	assert_eq!(verify(&c), Err(VerifyError::NewRootMismatch));
}

#[test]
fn tampered_outputs_are_rejected() {
	let mut c = counter_case();
	c.claim.outputs_commitment.0[31] ^= 1;
	assert_eq!(verify(&c), Err(VerifyError::OutputsMismatch));
}

#[test]
fn a_page_outside_the_witness_is_an_error_not_zeros() {
	// The ledger touches pages 0 and 9; drop page 9 from an honest witness built for both,
	// and re-prove only page 0, so that the multiproof itself is valid.
	let pay = transfer(3, 300, 0);
	let c = case(examples::token_ledger(), StateTree::new(examples::depth::TOKEN_LEDGER).unwrap(), &[&pay], None);
	let mut evidence = c.exec.evidence.clone();
	evidence.witness = c.state.witness(&[0u32].into_iter().collect()).unwrap();
	assert_eq!(
		ReexecVerifier.verify(&c.program, &c.claim, &evidence),
		Err(VerifyError::PageNotInWitness((300 * 8 / PAGE_SIZE) as u32))
	);
	// An empty witness does not open anything either.
	evidence.witness.pages.clear();
	evidence.witness.proof.clear();
	assert_eq!(ReexecVerifier.verify(&c.program, &c.claim, &evidence), Err(VerifyError::PageNotInWitness(0)));
}

#[test]
fn witness_of_another_depth_is_rejected() {
	let mut c = counter_case();
	c.claim.state_depth = 1;
	assert_eq!(verify(&c), Err(VerifyError::WitnessDepthMismatch));
}

#[test]
fn time_reads_come_from_the_declared_time() {
	let state = StateTree::new(examples::depth::CLOCK).unwrap();
	let mut c = case(examples::clock(), state, &[b""], Some(1_700_000_000_000));
	assert_eq!(c.exec.result.outputs[0].data, 1_700_000_000_000u64.to_le_bytes());
	assert_eq!(verify(&c), Ok(()));
	c.claim.time = Some(1_700_000_000_001);
	assert_eq!(verify(&c), Err(VerifyError::OutputsMismatch));
	c.claim.time = None;
	assert_eq!(verify(&c), Err(VerifyError::TimeNotDeclared));
}

#[test]
fn a_trapping_invocation_is_rolled_back() {
	// Writes 8 bytes of 0xff to the state, outputs them, then traps.
	let src = "%isa = revive_v1\n%rw_data_size = 64\npub @step:\na0 = -1\nu64 [0x20000] = a0\na0 = 0\na1 = 0x20000\na2 = 8\necalli 4\na0 = 0x20000\na1 = 8\necalli 5\ntrap\n";
	let program = examples::assemble_agent(src).unwrap();
	let c = case(program, StateTree::new(0).unwrap(), &[b"", b""], None);
	assert!(c.exec.result.outputs.iter().all(|o| o.trapped && o.data.is_empty()));
	assert!(c.exec.result.written.is_empty());
	assert_eq!(c.claim.new_root, c.claim.old_root);
	assert_eq!(verify(&c), Ok(()));
}

#[test]
fn memory_does_not_persist_between_invocations() {
	// Increments a u64 in guest memory (not in state) and outputs it: always 1.
	let src = "%isa = revive_v1\n%rw_data_size = 64\npub @step:\na1 = u64 [0x20000]\na1 = a1 + 1\nu64 [0x20000] = a1\na0 = 0x20000\na1 = 8\necalli 5\nret\n";
	let program = examples::assemble_agent(src).unwrap();
	let c = case(program, StateTree::new(0).unwrap(), &[b"", b"", b""], None);
	for o in &c.exec.result.outputs {
		assert_eq!(o.data, 1u64.to_le_bytes());
	}
}

#[test]
fn out_of_bounds_state_access_is_reported_to_the_guest() {
	// state_read at offset state_len - 4 of 8 bytes: the host returns ERR_OUT_OF_BOUNDS (1),
	// which the program outputs as one byte.
	let src = "%isa = revive_v1\n%rw_data_size = 64\npub @step:\na0 = 252\na1 = 0x20000\na2 = 8\necalli 3\nu8 [0x20010] = a0\na0 = 0x20010\na1 = 1\necalli 5\nret\n";
	let program = examples::assemble_agent(src).unwrap();
	let c = case(program, StateTree::new(0).unwrap(), &[b""], None);
	assert_eq!(c.exec.result.outputs[0].data, vec![1u8]);
	assert!(c.exec.result.touched.is_empty());
	assert_eq!(verify(&c), Ok(()));
}

#[test]
fn invalid_programs_are_refused() {
	assert!(matches!(Program::load(b"not a program"), Err(ProgramError::Malformed(_))));
	let no_step = examples::assemble_agent("%isa = revive_v1\npub @main:\nret\n").unwrap();
	assert!(matches!(Program::load(&no_step), Err(ProgramError::MissingStepExport)));
	let wrong_isa = examples::assemble_agent("%isa = latest64\npub @step:\nret\n").unwrap();
	assert!(matches!(Program::load(&wrong_isa), Err(ProgramError::WrongInstructionSet)));
	let huge = examples::assemble_agent("%isa = revive_v1\n%rw_data_size = 2000000\npub @step:\nret\n").unwrap();
	assert!(matches!(Program::load(&huge), Err(ProgramError::MemoryTooLarge)));
}

#[test]
fn same_run_same_result() {
	let a = counter_case();
	let b = counter_case();
	assert_eq!(a.claim, b.claim);
	let loaded = Program::load(&a.program).unwrap();
	assert_eq!(verify_loaded(&loaded, &a.claim, &a.exec.evidence), Ok(()));
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(64))]

	/// Flipping any bit of the encoded evidence or claim makes verification fail (or the
	/// evidence no longer decodes).
	#[test]
	fn flipped_evidence_bytes_are_rejected(at in any::<usize>(), bit in 0u8..8) {
		use codec::{Decode, Encode};
		let c = counter_case();
		let mut bytes = c.exec.evidence.encode();
		let at = at % bytes.len();
		bytes[at] ^= 1 << bit;
		if let Ok(evidence) = agentic_primitives::ReexecEvidence::decode(&mut &bytes[..]) {
			prop_assert!(ReexecVerifier.verify(&c.program, &c.claim, &evidence).is_err());
		}
	}
}

#[test]
fn example_import_order_is_the_abi_order() {
	assert_eq!(examples::ABI_IMPORTS, agentic_primitives::abi::HOST_CALLS);
}

#[test]
fn an_ecalli_without_an_import_is_refused_at_load() {
	let program = examples::assemble_agent("%isa = revive_v1\npub @step:\necalli 7\nret\n").unwrap();
	assert!(matches!(Program::load(&program), Err(ProgramError::UnknownHostCallIndex(7))));
}

#[test]
fn a_padded_witness_is_rejected() {
	let pay = transfer(3, 300, 0);
	let c = case(examples::token_ledger(), StateTree::new(examples::depth::TOKEN_LEDGER).unwrap(), &[&pay], None);
	let mut evidence = c.exec.evidence.clone();
	evidence.witness = c.state.witness(&[0u32, 5, 9].into_iter().collect()).unwrap();
	assert_eq!(ReexecVerifier.verify(&c.program, &c.claim, &evidence), Err(VerifyError::UntouchedWitnessPages));
}

#[test]
fn host_work_is_metered() {
	use agentic_primitives::abi;
	// Reads the whole 64 KiB state (256 pages) in one host call.
	let src = "%isa = revive_v1\n%rw_data_size = 65536\npub @step:\na0 = 0\na1 = 0x20000\na2 = 65536\necalli 3\nret\n";
	let program = examples::assemble_agent(src).unwrap();
	let c = case(program.clone(), StateTree::new(8).unwrap(), &[b""], None);
	let host = abi::HOST_CALL_STEPS + 65536 / abi::BYTES_PER_STEP + 256 * abi::PAGE_STEPS;
	let start = abi::INVOCATION_STEPS + 65536u64.div_ceil(abi::MEMORY_BYTES_PER_STEP);
	// Five instructions (one basic block, ended by `ret`) plus the host's charges.
	assert_eq!(c.exec.result.steps, host + start + 5);
	assert_eq!(verify(&c), Ok(()));
	// Without enough steps for the host's work the run fails, wherever the limit falls.
	let loaded = Program::load(&program).unwrap();
	let short = build_evidence(&loaded, &c.state, inputs(&[b""]), None, c.exec.result.steps - 1);
	assert!(short.is_err());
}

#[test]
fn a_huge_input_offset_reads_nothing_on_every_platform() {
	// input_read(dst, offset = 2^32, 8): the offset must not wrap to 0 on 32-bit hosts.
	let src = "%isa = revive_v1\n%rw_data_size = 64\npub @step:\na0 = 0x20000\na1 = 0x100000000\na2 = 8\necalli 1\nu8 [0x20010] = a0\na0 = 0x20010\na1 = 1\necalli 5\nret\n";
	let program = examples::assemble_agent(src).unwrap();
	let c = case(program, StateTree::new(0).unwrap(), &[b"abcdefgh"], None);
	assert_eq!(c.exec.result.outputs[0].data, vec![0u8]);
}

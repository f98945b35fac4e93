//! Re-execution: verify a transition by running the program again on the submitted inputs and
//! state witness.
//!
//! The check, in order (each failure is its own [`VerifyError`]):
//! 1. the inputs hash to `inputs_commitment`;
//! 2. the witness is for a state of the agent's depth and opens `old_root`;
//! 3. the program runs with a step limit of exactly the declared steps, reading state only from
//!    the witness (a page outside it fails the check; it is never read as zeros);
//! 4. it touched every page of the witness (no padding) and used exactly the declared steps;
//! 5. its outputs hash to `outputs_commitment`;
//! 6. the witness with the written pages substituted roots to `new_root`.
//!
//! [`build_evidence`] is the other side: run against the whole state and keep what the check
//! needs.

use agentic_primitives::{
	inputs_commitment, outputs_commitment,
	state::{Page, StateTree, StateWitness, WitnessError},
	AgentId, Evidence, Inputs, ReexecEvidence, StateRoot, Submission, TimeRead,
};
use alloc::{collections::BTreeMap, vec::Vec};

use crate::{
	exec::{self, ExecError, RunResult, StateAccess},
	program::{Program, ProgramError},
	Claim, Verifier, VerifyError,
};

/// The re-execution verifier.
pub struct ReexecVerifier;

impl Verifier for ReexecVerifier {
	type Evidence = ReexecEvidence;

	fn verify(&self, program: &[u8], claim: &Claim, evidence: &ReexecEvidence) -> Result<(), VerifyError> {
		let program = Program::load(program).map_err(VerifyError::Program)?;
		verify_loaded(&program, claim, evidence)
	}
}

/// [`ReexecVerifier::verify`] for an already loaded program.
pub fn verify_loaded(program: &Program, claim: &Claim, evidence: &ReexecEvidence) -> Result<(), VerifyError> {
	let witness = &evidence.witness;
	let pages = crate::open_evidence(claim, &evidence.inputs, witness)?;
	let mut backend = WitnessState { depth: witness.depth, pages };
	let inputs: Vec<&[u8]> = evidence.inputs.iter().map(|i| i.as_slice()).collect();
	let result = exec::run(program, &mut backend, &inputs, claim.time, claim.steps).map_err(|e| match e {
		ExecError::StepLimitExceeded => VerifyError::StepsExceeded,
		ExecError::PageUnavailable(i) => VerifyError::PageNotInWitness(i),
		ExecError::TimeNotDeclared => VerifyError::TimeNotDeclared,
		ExecError::Vm => VerifyError::Vm,
	})?;
	if result.touched.len() != witness.pages.len() {
		// Every touched page came from the witness, so fewer touched pages means padding.
		return Err(VerifyError::UntouchedWitnessPages);
	}
	if result.steps != claim.steps {
		return Err(VerifyError::StepsMismatch { declared: claim.steps, used: result.steps });
	}
	if outputs_commitment(&result.outputs) != claim.outputs_commitment {
		return Err(VerifyError::OutputsMismatch);
	}
	crate::check_new_root(claim, witness, &result.written)
}

/// Serves pages from an opened witness only.
struct WitnessState {
	depth: u8,
	pages: BTreeMap<u32, Page>,
}

impl StateAccess for WitnessState {
	fn depth(&self) -> u8 {
		self.depth
	}
	fn load_page(&mut self, index: u32) -> Result<Page, ExecError> {
		self.pages.get(&index).copied().ok_or(ExecError::PageUnavailable(index))
	}
}

/// Serves pages from a whole state.
struct FullState<'a>(&'a StateTree);

impl StateAccess for FullState<'_> {
	fn depth(&self) -> u8 {
		self.0.depth()
	}
	fn load_page(&mut self, index: u32) -> Result<Page, ExecError> {
		self.0.page(index).copied().ok_or(ExecError::PageUnavailable(index))
	}
}

/// What an off-chain run produced: the evidence and everything the submission states.
#[derive(Clone, Debug)]
pub struct Execution {
	/// The state root before the run.
	pub old_root: StateRoot,
	/// The run's result (steps, outputs, written pages).
	pub result: RunResult,
	/// The evidence for the transition.
	pub evidence: ReexecEvidence,
	/// The state after the run.
	pub new_state: StateTree,
}

/// Why an off-chain run could not produce evidence.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum BuildError {
	/// The program is not a valid agent.
	Program(ProgramError),
	/// The run failed as a whole.
	Exec(ExecError),
	/// The touched pages do not fit a witness.
	Witness(WitnessError),
}

/// Runs `program` on the whole `state` and builds the re-execution evidence for the
/// transition (the touched pages' old contents and their multiproof).
pub fn build_evidence(
	program: &Program,
	state: &StateTree,
	inputs: Inputs,
	time: Option<u64>,
	step_limit: u64,
) -> Result<Execution, BuildError> {
	let refs: Vec<&[u8]> = inputs.iter().map(|i| i.as_slice()).collect();
	let result = exec::run(program, &mut FullState(state), &refs, time, step_limit).map_err(BuildError::Exec)?;
	let witness = if result.touched.is_empty() {
		StateWitness { depth: state.depth(), ..Default::default() }
	} else {
		state.witness(&result.touched).map_err(BuildError::Witness)?
	};
	let mut new_state = state.clone();
	for (index, page) in &result.written {
		new_state.set_page(*index, *page).map_err(BuildError::Witness)?;
	}
	Ok(Execution { old_root: state.root(), result, evidence: ReexecEvidence { inputs, witness }, new_state })
}

impl Execution {
	/// The (unsigned) submission claiming this run's transition for `agent` with nonce `seq`.
	/// `time` must be what the run was given (its `moment`), with the block the oracle
	/// recorded it at. Dependencies and vector clock are left empty.
	pub fn submission(&self, agent: AgentId, seq: u64, time: Option<TimeRead>) -> Submission {
		Submission {
			agent,
			seq,
			old_root: self.old_root,
			new_root: self.new_state.root(),
			steps: self.result.steps,
			inputs_commitment: inputs_commitment(&self.evidence.inputs),
			outputs_commitment: outputs_commitment(&self.result.outputs),
			time,
			depends_on: Default::default(),
			vector_clock: Default::default(),
			evidence: Evidence::Reexec(self.evidence.clone()),
		}
	}
}

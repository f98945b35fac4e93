//! The `Ligerito` mode: verify a transition by checking a validity proof of the run against
//! the submission's public data (`docs/proof-system.md`, "The submission statement").
//!
//! The check, in order (each failure is its own [`VerifyError`]):
//! 1. the outputs hash to `outputs_commitment` and the inputs to `inputs_commitment`;
//! 2. the witness is for a state of the agent's depth and opens `old_root`;
//! 3. the written pages are witness pages, strictly ascending, each changed;
//! 4. the witness with the written pages substituted roots to `new_root`;
//! 5. the proof decodes, exactly, as a [`RunProof`], whose opening stacks at most
//!    [`MAX_STACKED_VALUES`] (the shapes the chain's benchmarks cover);
//! 6. it verifies, at the chain's security parameters, against the claim made of the declared
//!    steps, the inputs, the depth, the time, the witness's pages (old and new) and the outputs.
//!
//! The proof binds the run to exactly the pages it touched (its state table), so the witness
//! can be neither padded nor short; the roots are checked here, natively, over the touched
//! pages only, as in re-execution. [`build_evidence`] (feature `prover`) is the worker's side.

use agentic_polkavm_proof::vm::{self, Page as ClaimedPage, RunProof};
use agentic_primitives::{abi, outputs_commitment, state::Page, LigeritoEvidence, MAX_STACKED_VALUES};
use alloc::collections::BTreeMap;
use codec::DecodeWithMemLimit;

use crate::{Claim, Verifier, VerifyError};

/// Why a program has no program table (refused for the `Ligerito` mode at registration).
pub use agentic_polkavm_proof::program::ProgramError as TableError;
/// A program's table: what a proof's instructions are looked up in ([`program_table`]).
pub use agentic_polkavm_proof::program::ProgramTable;
/// Why a run proof was refused or could not be made.
pub use agentic_polkavm_proof::vm::RunError;

/// The Ligerito-mode verifier.
pub struct LigeritoVerifier;

impl Verifier for LigeritoVerifier {
	type Evidence = LigeritoEvidence;

	fn verify(&self, program: &[u8], claim: &Claim, evidence: &LigeritoEvidence) -> Result<(), VerifyError> {
		// The cheap checks first, then the program table (review LS-2).
		let (pages, proof) = check_public_data(claim, evidence)?;
		let table = program_table(program)?;
		verify_proof(&table, claim, evidence, pages, &proof)
	}
}

/// The program table of an agent's blob: what the proof's instructions are looked up in.
/// Registration refuses a `Ligerito`-mode program without one, so a failure here is not the
/// submitter's fault.
pub fn program_table(program: &[u8]) -> Result<ProgramTable, VerifyError> {
	ProgramTable::from_blob(program, abi::EXPORT_STEP).map_err(VerifyError::ProgramTable)
}

/// [`LigeritoVerifier::verify`] for an already built program table.
pub fn verify_with_table(table: &ProgramTable, claim: &Claim, evidence: &LigeritoEvidence) -> Result<(), VerifyError> {
	let (pages, proof) = check_public_data(claim, evidence)?;
	verify_proof(table, claim, evidence, pages, &proof)
}

/// The touched pages, old and new.
type Pages = (BTreeMap<u32, Page>, BTreeMap<u32, Page>);

/// Steps 1 to 5: everything but the proof's verification. Returns the touched pages and the
/// decoded proof.
fn check_public_data(claim: &Claim, evidence: &LigeritoEvidence) -> Result<(Pages, RunProof), VerifyError> {
	if outputs_commitment(&evidence.outputs) != claim.outputs_commitment {
		return Err(VerifyError::OutputsMismatch);
	}
	let old = crate::open_evidence(claim, &evidence.inputs, &evidence.witness)?;
	let written = written_pages(&old, evidence)?;
	crate::check_new_root(claim, &evidence.witness, &written)?;
	let proof = decode_proof(&evidence.proof)?;
	check_stacked_values(&proof)?;
	Ok(((old, written), proof))
}

/// The most memory decoding a proof may take: a proof of [`MAX_PROOF_LEN`] bytes decodes into
/// about as many (its values are fixed-width), but containers cost more in memory than on the
/// wire (an empty row is one byte sent and a vector's header in memory), so without a limit a
/// proof of empty containers could make the decoder ask for more than the runtime's heap and
/// trap (review SB-4).
///
/// [`MAX_PROOF_LEN`]: agentic_primitives::MAX_PROOF_LEN
pub const MAX_PROOF_DECODE_MEMORY: usize = 2 * agentic_primitives::MAX_PROOF_LEN as usize;

/// Decodes a run proof, all of `bytes` and within [`MAX_PROOF_DECODE_MEMORY`].
fn decode_proof(bytes: &[u8]) -> Result<RunProof, VerifyError> {
	let mut input = bytes;
	let proof = RunProof::decode_with_mem_limit(&mut input, MAX_PROOF_DECODE_MEMORY)
		.map_err(|_| VerifyError::ProofMalformed)?;
	if !input.is_empty() {
		return Err(VerifyError::ProofMalformed);
	}
	Ok(proof)
}

/// The values the openings of `evidence`'s proof stack (bounded by [`MAX_STACKED_VALUES`]), or
/// `None` if the proof does not decode.
pub fn stacked_values(evidence: &LigeritoEvidence) -> Option<u64> {
	decode_proof(&evidence.proof).ok().map(|proof| proof.proof.stacked_values())
}

/// Refuses a proof whose opening stacks more than [`MAX_STACKED_VALUES`].
fn check_stacked_values(proof: &RunProof) -> Result<(), VerifyError> {
	let values = proof.proof.stacked_values();
	if values > MAX_STACKED_VALUES {
		return Err(VerifyError::StacksTooLarge { values });
	}
	Ok(())
}

/// The chain's proof parameters, for prover and verifier alike: the default security
/// parameters and the stacks bounded by [`MAX_STACKED_VALUES`], so that a worker finds a run
/// too long for one proof from its trace's shape, before proving it (review SB-7).
pub fn config() -> agentic_zerocheck::Config {
	agentic_zerocheck::Config { max_stacked_values: MAX_STACKED_VALUES, ..Default::default() }
}

/// Step 6: the proof against the claim made of the public data.
fn verify_proof(
	table: &ProgramTable,
	claim: &Claim,
	evidence: &LigeritoEvidence,
	(old, written): Pages,
	proof: &RunProof,
) -> Result<(), VerifyError> {
	let run = vm::Claim {
		steps: claim.steps,
		inputs: evidence.inputs.iter().map(|input| input.to_vec()).collect(),
		depth: claim.state_depth,
		time: claim.time,
		pages: old
			.iter()
			.map(|(&index, page)| ClaimedPage { index, old: *page, new: written.get(&index).copied().unwrap_or(*page) })
			.collect(),
		outputs: evidence
			.outputs
			.iter()
			.map(|output| vm::Output { trapped: output.trapped, data: output.data.clone() })
			.collect(),
	};
	vm::verify(table, &run, proof, &config()).map_err(VerifyError::Proof)
}

/// The written pages by index: each a witness page, strictly ascending, each with new content
/// (one encoding per transition, so that evidence cannot be padded).
fn written_pages(old: &BTreeMap<u32, Page>, evidence: &LigeritoEvidence) -> Result<BTreeMap<u32, Page>, VerifyError> {
	let mut written = BTreeMap::new();
	let mut previous = None;
	for page in evidence.written.iter() {
		let ascending = previous.is_none_or(|p| p < page.index);
		if !ascending || old.get(&page.index).is_none_or(|before| *before == page.data) {
			return Err(VerifyError::WrittenPages);
		}
		previous = Some(page.index);
		written.insert(page.index, page.data);
	}
	Ok(written)
}

#[cfg(feature = "prover")]
pub use prover::{build_evidence, BuildError, Execution};

#[cfg(feature = "prover")]
mod prover {
	use super::*;
	use agentic_primitives::{
		inputs_commitment,
		state::{StateTree, StateWitness, WitnessError, WitnessPage},
		AgentId, Evidence, Inputs, Output, StateRoot, Submission, TimeRead,
	};
	use alloc::vec::Vec;
	use codec::Encode;
	use sp_core::bounded::BoundedVec;

	/// What an off-chain run produced: the Ligerito evidence and everything the submission
	/// states.
	#[derive(Clone, Debug)]
	pub struct Execution {
		/// The state root before the run.
		pub old_root: StateRoot,
		/// The steps the run charged.
		pub steps: u64,
		/// The evidence for the transition.
		pub evidence: LigeritoEvidence,
		/// The state after the run.
		pub new_state: StateTree,
	}

	/// Why an off-chain run could not produce Ligerito evidence.
	#[derive(Clone, PartialEq, Eq, Debug)]
	pub enum BuildError {
		/// The program has no program table (it is outside the v1 subset).
		Program(agentic_polkavm_proof::program::ProgramError),
		/// The run cannot be proven (see [`vm::RunError`]).
		Run(vm::RunError),
		/// The touched pages do not fit a witness.
		Witness(WitnessError),
		/// The evidence is larger than a submission may carry (the proof's size in bytes, or
		/// 0 for too many outputs or written pages).
		TooLarge(usize),
		/// The proof's opening stacks more than
		/// [`MAX_STACKED_VALUES`](agentic_primitives::MAX_STACKED_VALUES) (the values they
		/// stack): the run is too long for one proof.
		StacksTooLarge(u64),
	}

	/// Runs the program on the whole `state`, proves the run and builds the Ligerito evidence
	/// for the transition (the touched pages' old contents and their multiproof, the written
	/// pages, the outputs and the proof).
	pub fn build_evidence(
		table: &ProgramTable,
		state: &StateTree,
		inputs: Inputs,
		time: Option<u64>,
		step_limit: u64,
	) -> Result<Execution, BuildError> {
		let pages = state
			.pages()
			.iter()
			.enumerate()
			.filter(|(_, page)| page.iter().any(|&byte| byte != 0))
			.map(|(index, page)| (index as u32, *page))
			.collect();
		let run = vm::RunInput {
			inputs: inputs.iter().map(|input| input.to_vec()).collect(),
			depth: state.depth(),
			time,
			pages,
		};
		let (claim, proof) = vm::prove(table, &run, step_limit, &super::config()).map_err(|e| match e {
			RunError::Zerocheck(agentic_zerocheck::ZerocheckError::StacksTooLarge(values)) => {
				BuildError::StacksTooLarge(values)
			},
			e => BuildError::Run(e),
		})?;
		let touched = claim.pages.iter().map(|page| page.index).collect();
		let witness = if claim.pages.is_empty() {
			StateWitness { depth: state.depth(), ..Default::default() }
		} else {
			state.witness(&touched).map_err(BuildError::Witness)?
		};
		let mut new_state = state.clone();
		let mut written = Vec::new();
		for page in claim.pages.iter().filter(|page| page.new != page.old) {
			new_state.set_page(page.index, page.new).map_err(BuildError::Witness)?;
			written.push(WitnessPage { index: page.index, data: page.new });
		}
		let outputs: Vec<Output> =
			claim.outputs.iter().map(|o| Output { trapped: o.trapped, data: o.data.clone() }).collect();
		let encoded = proof.encode();
		let size = encoded.len();
		let evidence = LigeritoEvidence {
			inputs,
			outputs: BoundedVec::try_from(outputs).map_err(|_| BuildError::TooLarge(0))?,
			witness,
			written: BoundedVec::try_from(written).map_err(|_| BuildError::TooLarge(0))?,
			proof: BoundedVec::try_from(encoded).map_err(|_| BuildError::TooLarge(size))?,
		};
		Ok(Execution { old_root: state.root(), steps: claim.steps, evidence, new_state })
	}

	impl Execution {
		/// The (unsigned) submission claiming this run's transition for `agent` with nonce
		/// `seq`. `time` must be what the run was given (its `moment`), with the block the
		/// oracle recorded it at. Dependencies and vector clock are left empty.
		pub fn submission(&self, agent: AgentId, seq: u64, time: Option<TimeRead>) -> Submission {
			Submission {
				agent,
				seq,
				old_root: self.old_root,
				new_root: self.new_state.root(),
				steps: self.steps,
				inputs_commitment: inputs_commitment(&self.evidence.inputs),
				outputs_commitment: outputs_commitment(&self.evidence.outputs),
				time,
				depends_on: Default::default(),
				vector_clock: Default::default(),
				evidence: Evidence::Ligerito(self.evidence.clone()),
			}
		}
	}
}

//! # Agentic verifier
//!
//! Checks that an agent's program really took its state from `old_root` to `new_root`.
//!
//! - [`program`]: loading and validating an agent program against the agent ABI v1.
//! - [`exec`]: the one execution engine (polkavm's interpreter with exact step metering and the
//!   ABI's host calls) used both off-chain by the prover worker and on-chain by re-execution, so
//!   the two cannot disagree.
//! - [`reexec`]: the re-execution verifier, and the builder of its evidence.
//! - [`ligerito`]: the validity-proof verifier, and (feature `prover`) the builder of its
//!   evidence.
//!
//! Verification modes sit behind the [`Verifier`] trait; the runtime and the worker call
//! [`verify`], which picks the implementation for the evidence's mode.
//!
//! `no_std` with `alloc`: the runtime compiles this crate to Wasm and uses only standard host
//! functions (none at all, in fact: hashing is done in Wasm).

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub mod exec;
pub mod ligerito;
pub mod program;
pub mod reexec;

use agentic_primitives::{
	inputs_commitment,
	state::{Page, StateWitness, WitnessError},
	Evidence, Input, RejectionReason, StateRoot, Submission,
};
use alloc::collections::BTreeMap;
use sp_core::H256;

/// The public statement a submission makes, independent of the evidence for it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Claim {
	/// Depth of the agent's state tree, from the registry.
	pub state_depth: u8,
	/// Root before.
	pub old_root: StateRoot,
	/// Claimed root after.
	pub new_root: StateRoot,
	/// Claimed exact step count.
	pub steps: u64,
	/// Commitment to the inputs.
	pub inputs_commitment: H256,
	/// Commitment to the outputs.
	pub outputs_commitment: H256,
	/// The consensus time every time read returns, if the submission declares one. The caller
	/// checks it against the time oracle.
	pub time: Option<u64>,
}

impl Claim {
	/// The claim a submission makes about an agent with a state tree of `state_depth`.
	pub fn of(submission: &Submission, state_depth: u8) -> Self {
		Claim {
			state_depth,
			old_root: submission.old_root,
			new_root: submission.new_root,
			steps: submission.steps,
			inputs_commitment: submission.inputs_commitment,
			outputs_commitment: submission.outputs_commitment,
			time: submission.time.map(|t| t.moment),
		}
	}
}

/// Why a claim was not verified. Every variant but [`VerifyError::Program`],
/// [`VerifyError::ProgramTable`] and [`VerifyError::Vm`] means the evidence is wrong: the
/// submitter's fault.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum VerifyError {
	/// The agent's program does not load (it was validated at registration, so this is not the
	/// submitter's fault).
	Program(program::ProgramError),
	/// The agent's program has no `Ligerito` program table (registration refuses such a program
	/// in that mode, so this is not the submitter's fault).
	ProgramTable(agentic_polkavm_proof::program::ProgramError),
	/// The inputs do not match `inputs_commitment`.
	InputsMismatch,
	/// The witness is not for a state of the agent's depth.
	WitnessDepthMismatch,
	/// The witness does not open `old_root`.
	Witness(WitnessError),
	/// The execution touched a page the witness does not hold.
	PageNotInWitness(u32),
	/// The witness holds pages the execution never touched (evidence must be minimal, so that
	/// its size, and the fee and weight that follow from it, cannot be padded).
	UntouchedWitnessPages,
	/// The execution read the consensus time but the submission declares none.
	TimeNotDeclared,
	/// The execution needs more steps than declared.
	StepsExceeded,
	/// The execution finished in fewer steps than declared.
	StepsMismatch {
		/// Declared.
		declared: u64,
		/// Used.
		used: u64,
	},
	/// The outputs do not match `outputs_commitment`.
	OutputsMismatch,
	/// The execution ends in another state than `new_root`.
	NewRootMismatch,
	/// The evidence's written pages are not witness pages, not strictly ascending, or not
	/// changed.
	WrittenPages,
	/// The validity proof does not decode.
	ProofMalformed,
	/// The validity proof's opening stacks more values than
	/// [`MAX_STACKED_VALUES`](agentic_primitives::MAX_STACKED_VALUES) allows (refused before
	/// anything is verified).
	StacksTooLarge {
		/// The values they stack.
		values: u64,
	},
	/// The validity proof does not verify against the claim.
	Proof(agentic_polkavm_proof::vm::RunError),
	/// The virtual machine failed in a way a valid program cannot cause.
	Vm,
}

impl VerifyError {
	/// Why the evidence is wrong, if the error proves it wrong (the submitter's fault, so its
	/// bond is slashed); `None` for a failure that is not the submitter's doing.
	pub fn rejection_reason(&self) -> Option<RejectionReason> {
		Some(match self {
			VerifyError::Program(_) | VerifyError::ProgramTable(_) | VerifyError::Vm => return None,
			VerifyError::InputsMismatch => RejectionReason::InputsMismatch,
			VerifyError::WitnessDepthMismatch => RejectionReason::WitnessDepthMismatch,
			VerifyError::Witness(_) => RejectionReason::InvalidWitness,
			VerifyError::PageNotInWitness(_) => RejectionReason::PageNotInWitness,
			VerifyError::UntouchedWitnessPages => RejectionReason::UntouchedWitnessPages,
			VerifyError::TimeNotDeclared => RejectionReason::TimeNotDeclared,
			VerifyError::StepsExceeded => RejectionReason::StepsExceeded,
			VerifyError::StepsMismatch { .. } => RejectionReason::StepsMismatch,
			VerifyError::OutputsMismatch => RejectionReason::OutputsMismatch,
			VerifyError::NewRootMismatch => RejectionReason::NewRootMismatch,
			VerifyError::WrittenPages => RejectionReason::InvalidWrittenPages,
			VerifyError::ProofMalformed | VerifyError::StacksTooLarge { .. } | VerifyError::Proof(_) => {
				RejectionReason::InvalidProof
			},
		})
	}
}

/// The checks both modes start with: the inputs against their commitment, the witness's depth,
/// and its opening of `old_root` (a witness without pages opens nothing: the run may then touch
/// no page). Returns the witness's pages.
fn open_evidence(claim: &Claim, inputs: &[Input], witness: &StateWitness) -> Result<BTreeMap<u32, Page>, VerifyError> {
	if inputs_commitment(inputs) != claim.inputs_commitment {
		return Err(VerifyError::InputsMismatch);
	}
	if witness.depth != claim.state_depth {
		return Err(VerifyError::WitnessDepthMismatch);
	}
	if witness.pages.is_empty() {
		// Nothing to open: a multiproof would be padding (one encoding per transition).
		if !witness.proof.is_empty() {
			return Err(VerifyError::Witness(WitnessError::ProofTooLong));
		}
		return Ok(BTreeMap::new());
	}
	witness.open(&claim.old_root).map_err(VerifyError::Witness)
}

/// The check both modes end with: the witness with the written pages substituted roots to
/// `new_root` (nothing written: the old root).
fn check_new_root(claim: &Claim, witness: &StateWitness, written: &BTreeMap<u32, Page>) -> Result<(), VerifyError> {
	let new_root =
		if written.is_empty() { claim.old_root } else { witness.root_after(written).map_err(VerifyError::Witness)? };
	if new_root != claim.new_root {
		return Err(VerifyError::NewRootMismatch);
	}
	Ok(())
}

/// A verification mode.
pub trait Verifier {
	/// The evidence this mode takes.
	type Evidence;
	/// Checks `claim` about an execution of `program` against `evidence`.
	fn verify(&self, program: &[u8], claim: &Claim, evidence: &Self::Evidence) -> Result<(), VerifyError>;
}

/// Verifies a claim with the verifier for the evidence's mode.
pub fn verify(program: &[u8], claim: &Claim, evidence: &Evidence) -> Result<(), VerifyError> {
	match evidence {
		Evidence::Reexec(e) => reexec::ReexecVerifier.verify(program, claim, e),
		Evidence::Ligerito(e) => ligerito::LigeritoVerifier.verify(program, claim, e),
	}
}

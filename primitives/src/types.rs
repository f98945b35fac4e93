//! Identifiers and the submission format.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::{bounded::BoundedVec, ConstU32, H256};

use crate::state::{StateWitness, WitnessPage, MAX_WITNESS_PAGES};

/// Identifies an agent. Assigned sequentially by the registry at registration.
pub type AgentId = u32;
/// Commitment to an agent's state: see [`crate::state`].
pub type StateRoot = H256;
/// blake2-256 of an agent's PolkaVM program blob.
pub type ProgramHash = H256;
/// Number of accepted transitions of an agent since registration.
pub type Version = u64;
/// The key an agent signs its submissions with.
pub type AgentPublic = sp_core::sr25519::Public;
/// A signature by an [`AgentPublic`].
pub type AgentSignature = sp_core::sr25519::Signature;

/// Most inputs one submission may carry.
pub const MAX_INPUTS: u32 = 256;
/// Largest single input, in bytes.
pub const MAX_INPUT_LEN: u32 = 4096;
/// Most agents one submission may depend on (and most entries of its vector clock).
pub const MAX_DEPENDENCIES: u32 = 16;
/// Largest validity proof accepted as evidence, in bytes: 3 MiB, below a block's normal-class
/// length (3.75 MiB; the rest of the evidence must fit beside it). A proof of 2^16 instructions
/// is about 0.4 MB since session 15 (`docs/benchmarks.md`, "Session 15"), so
/// [`MAX_STACKED_VALUES`] is what stops long runs.
pub const MAX_PROOF_LEN: u32 = 3 * 1024 * 1024;
/// Most values a validity proof's opening may stack: the first commitment's size, a power of
/// two (`2^N`, the stacked polynomial's variables `N`, every table's columns side by side):
/// `2^26` values. It bounds the shape of the proofs the chain verifies (the tables' heights,
/// which the submitter chooses, and with them the bus's product circuit, whose stack is at most
/// the trace's) to the shapes its benchmarks verify: the submissions pallet's benchmarks verify
/// two proofs at this bound (one at the `Ligerito` mode's other limits, one long run of a small program) and
/// charge for both (`docs/proof-system.md`, "The worst proof shape"). A proof of at most
/// [`MAX_PROOF_LEN`] bytes could otherwise stack far more (recursive openings grow with the
/// logarithm of the stacks).
pub const MAX_STACKED_VALUES: u64 = 1 << 26;

/// One input message handed to one invocation of the agent's `step` export.
pub type Input = BoundedVec<u8, ConstU32<MAX_INPUT_LEN>>;
/// The inputs of a submission, one per invocation, in execution order.
pub type Inputs = BoundedVec<Input, ConstU32<MAX_INPUTS>>;

/// How the chain checks an agent's transitions. Chosen at registration.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen, Debug)]
pub enum VerificationMode {
	/// The runtime re-executes the program on the submitted inputs and state witness.
	Reexec,
	/// A succinct validity proof of the execution (`docs/proof-system.md`).
	Ligerito,
}

/// Life-cycle state of an agent.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen, Debug)]
pub enum AgentStatus {
	/// Accepts submissions.
	Active,
	/// Retired by its owner: accepts nothing more; its bond is unbonding.
	Retired,
}

/// `agent` at `version`: what a submission read from another agent.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen, Debug)]
pub struct Dependency {
	/// The agent whose state was read.
	pub agent: AgentId,
	/// The version of that agent's state that was read.
	pub version: Version,
}

/// The consensus time an execution read, and where the chain recorded it.
///
/// Every `consensus_time` host call of one submission returns `moment`; the chain accepts the
/// submission only if its time oracle recorded `moment` at block `block`.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen, Debug)]
pub struct TimeRead {
	/// Block at which the oracle recorded `moment`.
	pub block: u32,
	/// Consensus time in milliseconds since the Unix epoch.
	pub moment: u64,
}

/// Evidence for the re-execution mode: everything the program reads.
#[derive(Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug)]
pub struct ReexecEvidence {
	/// The inputs, one per invocation of `step`.
	pub inputs: Inputs,
	/// Every state page the execution read or wrote, with a Merkle multiproof against `old_root`.
	pub witness: StateWitness,
}

/// Evidence for the Ligerito mode: the run's public data and a validity proof of the run
/// (`docs/proof-system.md`, "The submission statement").
#[derive(Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug)]
pub struct LigeritoEvidence {
	/// The inputs, one per invocation of `step`.
	pub inputs: Inputs,
	/// What each invocation produced, one per input.
	pub outputs: BoundedVec<Output, ConstU32<MAX_INPUTS>>,
	/// Every state page the run read or wrote, with a Merkle multiproof against `old_root`.
	pub witness: StateWitness,
	/// The new contents of the witness's pages the run changed, strictly ascending by index.
	pub written: BoundedVec<WitnessPage, ConstU32<MAX_WITNESS_PAGES>>,
	/// The SCALE encoding of the run proof (`agentic_polkavm_proof::vm::RunProof`).
	pub proof: BoundedVec<u8, ConstU32<MAX_PROOF_LEN>>,
}

/// What a `Ligerito`-mode agent and its submissions may be, beyond what every agent and
/// submission may be.
///
/// A Ligerito verification costs what the proof's openings and the statement's public tables
/// cost (the program's instructions, its mapped memory, the inputs, the touched pages, the
/// outputs), not what the steps cost. The submissions pallet's `submit_ligerito` benchmark
/// verifies a real submission at every one of these limits at once with its stacks at
/// [`MAX_STACKED_VALUES`], `submit_ligerito_long_run` a long run of a small program, and
/// the chain refuses what goes beyond them and charges both (`docs/proof-system.md`, "The worst
/// proof shape"). They were set when a proof was about 2 MB for even an empty run and grow as
/// the proofs shrink. Beside them, the evidence holds a proof of at most [`MAX_PROOF_LEN`] bytes
/// and a witness of at most `max_pages` pages and `max_pages · MAX_STATE_DEPTH` hashes, so a
/// whole `Ligerito` submission is at most a few KiB above `MAX_PROOF_LEN`.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen, Debug)]
pub struct LigeritoLimits {
	/// Largest program blob, in bytes (checked at registration).
	pub max_program_len: u32,
	/// Most guest memory the program maps (read-only data, read-write data and stack, each
	/// rounded up to 4 KiB pages as PolkaVM maps them), in bytes (checked at registration).
	pub max_memory: u32,
	/// Most inputs (invocations) per submission.
	pub max_inputs: u32,
	/// Most input bytes per submission, all inputs together.
	pub max_input_bytes: u32,
	/// Most output bytes per submission, all outputs together.
	pub max_output_bytes: u32,
	/// Most state pages a run may touch (the witness's pages).
	pub max_pages: u32,
}

/// The limits of the `Ligerito` mode (see [`LigeritoLimits`]).
pub const LIGERITO_LIMITS: LigeritoLimits = LigeritoLimits {
	max_program_len: 4 * 1024,
	max_memory: 16 * 1024,
	max_inputs: 1,
	max_input_bytes: 1024,
	max_output_bytes: 1024,
	max_pages: 4,
};

impl LigeritoLimits {
	/// Whether a program of `len` bytes mapping `memory` bytes is within the limits.
	pub fn admits_program(&self, len: usize, memory: u64) -> bool {
		len <= self.max_program_len as usize && memory <= u64::from(self.max_memory)
	}

	/// Whether `evidence` is within the limits: its inputs, its outputs (one per input), the
	/// witness's pages and hashes, and the written pages. Cheap: lengths only.
	pub fn admits(&self, evidence: &LigeritoEvidence) -> bool {
		let input_bytes: usize = evidence.inputs.iter().map(|input| input.len()).sum();
		let output_bytes: usize = evidence.outputs.iter().map(|output| output.data.len()).sum();
		let pages = self.max_pages as usize;
		evidence.inputs.len() <= self.max_inputs as usize
			&& input_bytes <= self.max_input_bytes as usize
			&& evidence.outputs.len() == evidence.inputs.len()
			&& output_bytes <= self.max_output_bytes as usize
			&& evidence.witness.pages.len() <= pages
			&& evidence.witness.proof.len() <= pages * crate::state::MAX_STATE_DEPTH as usize
			&& evidence.written.len() <= pages
	}
}

/// What a submission offers as proof that its transition is correct.
#[derive(Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug)]
pub enum Evidence {
	/// Inputs and state witness to re-execute.
	Reexec(ReexecEvidence),
	/// The run's public data and a validity proof of it.
	Ligerito(LigeritoEvidence),
}

impl Evidence {
	/// The inputs, one per invocation of `step`.
	pub fn inputs(&self) -> &Inputs {
		match self {
			Evidence::Reexec(evidence) => &evidence.inputs,
			Evidence::Ligerito(evidence) => &evidence.inputs,
		}
	}

	/// The verification mode this evidence is for.
	pub fn mode(&self) -> VerificationMode {
		match self {
			Evidence::Reexec(_) => VerificationMode::Reexec,
			Evidence::Ligerito(_) => VerificationMode::Ligerito,
		}
	}
}

/// A claimed state transition `old_root -> new_root` of one agent, with its evidence.
#[derive(Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug)]
pub struct Submission {
	/// The agent whose state moves.
	pub agent: AgentId,
	/// The agent's submission nonce: equals the chain's count of this agent's processed
	/// submissions (accepted or rejected), so that no signed submission can be replayed.
	pub seq: u64,
	/// The agent's state root before; must be the root the chain holds.
	pub old_root: StateRoot,
	/// The agent's state root after.
	pub new_root: StateRoot,
	/// Exact number of PolkaVM gas units (steps) the execution consumed.
	pub steps: u64,
	/// [`inputs_commitment`] of the inputs.
	pub inputs_commitment: H256,
	/// [`outputs_commitment`] of what the program emitted.
	pub outputs_commitment: H256,
	/// The consensus time the program read, if it read any.
	pub time: Option<TimeRead>,
	/// Other agents' states this transition read, with their versions, sorted by agent, one
	/// entry per agent.
	pub depends_on: BoundedVec<Dependency, ConstU32<MAX_DEPENDENCIES>>,
	/// The agent's vector clock: the latest version of each agent it has causally seen,
	/// sorted by agent id, one entry per agent.
	pub vector_clock: BoundedVec<Dependency, ConstU32<MAX_DEPENDENCIES>>,
	/// The evidence.
	pub evidence: Evidence,
}

/// Domain separator of submission signatures.
pub const SUBMISSION_SIGNING_DOMAIN: &[u8] = b"agentic/submission/v1";

impl Submission {
	/// The 32 bytes the agent key signs: blake2-256 of the domain, the chain's genesis hash and
	/// the SCALE-encoded submission. The genesis hash stops a submission from being replayed on
	/// another chain.
	pub fn signing_payload(&self, genesis_hash: &H256) -> [u8; 32] {
		let mut buf = alloc::vec::Vec::with_capacity(64 + self.encoded_size());
		buf.extend_from_slice(SUBMISSION_SIGNING_DOMAIN);
		buf.extend_from_slice(genesis_hash.as_bytes());
		self.encode_to(&mut buf);
		crate::blake2_256(&buf)
	}

	/// Size of the evidence in bytes, as the fee formula counts it.
	pub fn evidence_len(&self) -> u32 {
		u32::try_from(self.evidence.encoded_size()).unwrap_or(u32::MAX)
	}
}

/// A [`Submission`] with the agent key's signature over [`Submission::signing_payload`].
#[derive(Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug)]
pub struct SignedSubmission {
	/// The submission.
	pub submission: Submission,
	/// sr25519 signature by the agent's registered key.
	pub signature: AgentSignature,
}

/// Commitment to a list of inputs: blake2-256 over a domain tag and their SCALE encoding.
pub fn inputs_commitment(inputs: &[Input]) -> H256 {
	commit(b"agentic/inputs/v1", &inputs.encode())
}

/// What one invocation of `step` produced.
#[derive(Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug, Default)]
pub struct Output {
	/// The invocation trapped: its state writes were discarded and `data` is empty.
	pub trapped: bool,
	/// The bytes the invocation emitted with the `output` host call.
	pub data: alloc::vec::Vec<u8>,
}

/// Commitment to the outputs of a run: one [`Output`] per invocation, in order.
pub fn outputs_commitment(outputs: &[Output]) -> H256 {
	commit(b"agentic/outputs/v1", &outputs.encode())
}

fn commit(domain: &[u8], encoded: &[u8]) -> H256 {
	let mut buf = alloc::vec::Vec::with_capacity(domain.len() + encoded.len());
	buf.extend_from_slice(domain);
	buf.extend_from_slice(encoded);
	H256(crate::blake2_256(&buf))
}

/// What the registry holds about an agent.
#[derive(Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen, Debug)]
pub struct AgentInfo<AccountId, BlockNumber> {
	/// The account that registered the agent and owns its bond and fee balance.
	pub owner: AccountId,
	/// The key that signs the agent's submissions.
	pub key: AgentPublic,
	/// Hash of the agent's program; the blob is stored by the registry under this hash.
	pub program_hash: ProgramHash,
	/// How transitions are verified.
	pub mode: VerificationMode,
	/// Depth of the state's page tree: the state holds `2^state_depth` pages.
	pub state_depth: u8,
	/// Current state root.
	pub state_root: StateRoot,
	/// Accepted transitions so far.
	pub version: Version,
	/// Processed submissions so far (accepted or rejected): the next submission's `seq`.
	pub nonce: u64,
	/// Life-cycle state.
	pub status: AgentStatus,
	/// Block of registration.
	pub registered_at: BlockNumber,
}

/// Why the chain rejected a submission's evidence (and slashed the agent's bond).
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen, Debug)]
pub enum RejectionReason {
	/// The inputs do not match the inputs commitment.
	InputsMismatch,
	/// The witness is for a state of another depth.
	WitnessDepthMismatch,
	/// The witness does not open the old root.
	InvalidWitness,
	/// The execution touched a page outside the witness.
	PageNotInWitness,
	/// The witness holds pages the execution never touched.
	UntouchedWitnessPages,
	/// The execution read the consensus time but none was declared.
	TimeNotDeclared,
	/// The execution needs more steps than declared.
	StepsExceeded,
	/// The execution used fewer steps than declared.
	StepsMismatch,
	/// The outputs do not match the outputs commitment.
	OutputsMismatch,
	/// The execution ends in another state than the new root.
	NewRootMismatch,
	/// The evidence's written pages are not witness pages, not ascending, or not changed.
	InvalidWrittenPages,
	/// The validity proof does not decode or does not verify against the submission's claim.
	InvalidProof,
}

/// Why the transaction pool refuses a submission, as the `u8` of
/// `InvalidTransaction::Custom`. Refusals with a standard meaning use the standard variants
/// instead: a bad signature is `BadProof`, a replayed `seq` is `Stale`, a `seq` ahead of the
/// chain is `Future`, a short prepaid fee balance is `Payment`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u8)]
pub enum InvalidSubmission {
	/// No agent with this id.
	UnknownAgent = 1,
	/// The agent is retired.
	AgentRetired = 2,
	/// `old_root` is not the agent's current root.
	StateMismatch = 3,
	/// The agent's bond is below the minimum.
	InsufficientBond = 4,
	/// More steps than one submission may re-execute.
	TooManySteps = 5,
	/// The evidence's mode is not the agent's.
	WrongMode = 6,
	/// The declared time is not what the oracle recorded at that block.
	UnknownTime = 7,
	/// A dependency names an unknown agent, the agent itself or a version not reached, or the
	/// dependencies are not sorted by agent with one entry each.
	InvalidDependency = 8,
	/// The vector clock is unsorted, repeats an agent, names an unknown agent or a future
	/// version, or does not cover `depends_on`.
	InvalidVectorClock = 9,
	// 10 was `ModeNotSupported`, the refusal of every `Ligerito` submission before their
	// weight was benchmarked.
	/// The declared time was recorded before the time of this agent's previous accepted
	/// transition that read the time: an agent's time never runs backwards.
	TimeRegressed = 11,
	/// The evidence goes beyond its mode's limits (for `Ligerito`, [`LIGERITO_LIMITS`]).
	ExceedsModeLimits = 12,
	/// The evidence has no input: there is no run to verify, and no transition.
	NoInputs = 13,
}

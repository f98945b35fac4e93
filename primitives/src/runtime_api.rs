//! The runtime API every client reads agents through (polkadot.js: `api.call.agentApi.*`).

use alloc::vec::Vec;
use codec::{Decode, Encode};
use scale_info::TypeInfo;
use sp_core::H256;

use crate::{AgentId, AgentInfo, Version};

/// Limits a submission must respect, so workers can size their batches.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct SubmissionLimits {
	/// Most steps one submission may declare.
	pub max_steps: u64,
	/// Largest program blob, in bytes.
	pub max_program_len: u32,
	/// Largest state depth.
	pub max_state_depth: u8,
	/// Most inputs per submission.
	pub max_inputs: u32,
	/// Largest input, in bytes.
	pub max_input_len: u32,
	/// Most pages one witness may carry.
	pub max_witness_pages: u32,
}

/// The latest checkpoint and one agent's place in it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct CheckpointProof {
	/// The checkpoint root the proof is against.
	pub root: H256,
	/// The agent.
	pub agent: AgentId,
	/// The agent's state root committed in the checkpoint.
	pub state_root: H256,
	/// The agent's version committed in the checkpoint.
	pub version: Version,
	/// Sibling hashes, leaf level first (see [`crate::checkpoint::verify_inclusion`]).
	pub siblings: Vec<H256>,
}

sp_api::decl_runtime_apis! {
	/// Agents, checkpoints, consensus time and fees.
	///
	/// Version 2 added [`AgentApi::ligerito_limits`].
	#[api_version(2)]
	pub trait AgentApi<AccountId, BlockNumber, Balance>
	where
		AccountId: codec::Codec,
		BlockNumber: codec::Codec,
		Balance: codec::Codec,
	{
		/// One agent's record.
		fn agent(id: AgentId) -> Option<AgentInfo<AccountId, BlockNumber>>;
		/// Up to `count` agents with ids from `start`, in id order.
		fn agents(start: AgentId, count: u32) -> Vec<(AgentId, AgentInfo<AccountId, BlockNumber>)>;
		/// The checkpoint root as of this block.
		fn checkpoint_root() -> H256;
		/// The inclusion proof of `agent` in the checkpoint as of this block, if it is
		/// registered and already folded into the checkpoint.
		fn checkpoint_proof(agent: AgentId) -> Option<CheckpointProof>;
		/// The consensus time (ms since the Unix epoch), once the oracle has one.
		fn consensus_time() -> Option<u64>;
		/// The consensus time the oracle recorded at `block`, while in its history.
		fn consensus_time_at(block: u32) -> Option<u64>;
		/// The fee of a submission with these dimensions.
		fn quote_fee(steps: u64, evidence_len: u32) -> Balance;
		/// The limits a submission must respect.
		fn submission_limits() -> SubmissionLimits;
		/// What a `Ligerito`-mode agent and its submissions may be beyond
		/// [`Self::submission_limits`] (proofs up to `MAX_PROOF_LEN` bytes), or `None` where
		/// agents cannot register in that mode.
		#[api_version(2)]
		fn ligerito_limits() -> Option<crate::LigeritoLimits>;
	}
}

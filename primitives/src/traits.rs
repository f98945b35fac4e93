//! The seams between Agentic's pallets.
//!
//! Each pallet implements one of these traits and consumes the others through its `Config`, so
//! every pallet can be tested against a mock runtime on its own, and a runtime wires the real
//! pallets together.

use alloc::vec::Vec;
use sp_runtime::{DispatchError, DispatchResult, Weight};

use crate::{AgentId, AgentInfo, StateRoot, Version};

/// Read and advance agents in the registry.
pub trait AgentDirectory<AccountId, BlockNumber> {
	/// The agent's record, if registered (active or retired).
	fn agent(agent: AgentId) -> Option<AgentInfo<AccountId, BlockNumber>>;
	/// The program blob stored under the agent's program hash.
	fn program(agent: AgentId) -> Option<Vec<u8>>;
	/// Records an accepted transition: sets the root, bumps version and nonce. Returns the new
	/// version.
	fn apply_transition(agent: AgentId, new_root: StateRoot) -> Result<Version, DispatchError>;
	/// Records a rejected submission: bumps the nonce only, so it cannot be replayed.
	fn consume_nonce(agent: AgentId) -> DispatchResult;
}

/// Bonds backing agents, held from their owners' balances.
pub trait AgentBonds<AccountId, Balance> {
	/// The smallest bond an active agent must keep.
	fn minimum_bond() -> Balance;
	/// Holds `amount` from `owner` as the new agent's bond. Fails below [`Self::minimum_bond`].
	fn bond_new(owner: &AccountId, agent: AgentId, amount: Balance) -> DispatchResult;
	/// The bond currently backing the agent (excluding what is unbonding).
	fn active_bond(agent: AgentId) -> Balance;
	/// Starts unbonding the whole bond (the agent retires).
	fn unbond_all(agent: AgentId) -> DispatchResult;
	/// Slashes the configured penalty from the agent's bond; returns what was slashed.
	fn slash(agent: AgentId) -> Balance;
}

/// Prepaid fee balances of agents.
pub trait AgentFees<AccountId, Balance> {
	/// Adds `amount` from `owner` to the agent's prepaid balance.
	fn top_up(owner: &AccountId, agent: AgentId, amount: Balance) -> DispatchResult;
	/// The agent's prepaid balance.
	fn prepaid(agent: AgentId) -> Balance;
	/// The fee of a submission with these dimensions, under the current parameters.
	fn quote(steps: u64, evidence_len: u32) -> Balance;
	/// Charges `fee` from the agent's prepaid balance. Fails, charging nothing, if it is short.
	fn charge(agent: AgentId, fee: Balance) -> DispatchResult;
}

/// The consensus time kept by the time oracle.
pub trait ConsensusTime {
	/// The current consensus time (ms since the Unix epoch), once one exists.
	fn now() -> Option<u64>;
	/// The consensus time recorded at `block`, while it is within the oracle's history.
	fn at(block: u32) -> Option<u64>;
}

/// Told about every accepted transition (the checkpoint pallet folds them per block).
pub trait OnAgentTransition {
	/// `agent` now has `root` at `version`.
	fn on_transition(agent: AgentId, root: StateRoot, version: Version);
	/// What one call of [`Self::on_transition`] costs, including work it defers to the end of the
	/// block. Callers add it to their own weight.
	fn weight() -> Weight;
}

impl OnAgentTransition for () {
	fn on_transition(_: AgentId, _: StateRoot, _: Version) {}
	fn weight() -> Weight {
		Weight::zero()
	}
}

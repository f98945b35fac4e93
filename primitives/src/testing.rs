//! Test doubles for the pallet seams (`std` only): an in-memory [`AgentDirectory`] for pallets
//! tested without the registry.

use alloc::{collections::BTreeMap, vec::Vec};
use core::cell::RefCell;
use sp_core::H256;
use sp_runtime::{DispatchError, DispatchResult};

use crate::{
	traits::AgentDirectory, AgentId, AgentInfo, AgentPublic, AgentStatus, StateRoot, VerificationMode, Version,
};

std::thread_local! {
	static AGENTS: RefCell<BTreeMap<AgentId, AgentInfo<u64, u64>>> = const { RefCell::new(BTreeMap::new()) };
}

/// An agent directory in a thread-local map, for mock runtimes with `u64` accounts and block
/// numbers. Tests set owners and statuses directly; transitions advance roots, versions and
/// nonces as the registry does.
pub struct MockAgents;

impl MockAgents {
	/// Registers (or overwrites) `agent`, owned by `owner`, with `status`.
	pub fn set(agent: AgentId, owner: u64, status: AgentStatus) {
		let info = AgentInfo {
			owner,
			key: AgentPublic::from_raw([0; 32]),
			program_hash: H256::zero(),
			mode: VerificationMode::Reexec,
			state_depth: 0,
			state_root: H256::zero(),
			version: 0,
			nonce: 0,
			status,
			registered_at: 0,
		};
		AGENTS.with(|agents| agents.borrow_mut().insert(agent, info));
	}

	/// Registers a new active agent owned by `owner`, with the next free id.
	pub fn add(owner: u64) -> AgentId {
		let id = AGENTS.with(|agents| agents.borrow().keys().next_back().map_or(0, |last| last + 1));
		Self::set(id, owner, AgentStatus::Active);
		id
	}

	/// Sets the status of a registered `agent`.
	pub fn set_status(agent: AgentId, status: AgentStatus) {
		AGENTS.with(|agents| {
			if let Some(info) = agents.borrow_mut().get_mut(&agent) {
				info.status = status;
			}
		});
	}

	/// Forgets `agent`.
	pub fn remove(agent: AgentId) {
		AGENTS.with(|agents| agents.borrow_mut().remove(&agent));
	}

	/// Forgets every agent.
	pub fn clear() {
		AGENTS.with(|agents| agents.borrow_mut().clear());
	}
}

impl AgentDirectory<u64, u64> for MockAgents {
	fn agent(agent: AgentId) -> Option<AgentInfo<u64, u64>> {
		AGENTS.with(|agents| agents.borrow().get(&agent).cloned())
	}

	fn program(_agent: AgentId) -> Option<Vec<u8>> {
		None
	}

	fn apply_transition(agent: AgentId, new_root: StateRoot) -> Result<Version, DispatchError> {
		AGENTS.with(|agents| {
			let mut agents = agents.borrow_mut();
			let info = agents.get_mut(&agent).ok_or(DispatchError::Other("unknown agent"))?;
			info.state_root = new_root;
			info.version += 1;
			info.nonce += 1;
			Ok(info.version)
		})
	}

	fn consume_nonce(agent: AgentId) -> DispatchResult {
		AGENTS.with(|agents| {
			let mut agents = agents.borrow_mut();
			let info = agents.get_mut(&agent).ok_or(DispatchError::Other("unknown agent"))?;
			info.nonce += 1;
			Ok(())
		})
	}
}

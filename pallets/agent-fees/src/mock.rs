//! A mock runtime: frame-system, pallet-balances and this pallet, with an in-memory agent
//! directory.

use crate as pallet_agent_fees;
use agentic_primitives::{
	traits::AgentDirectory, AgentId, AgentInfo, AgentPublic, AgentStatus, StateRoot, VerificationMode, Version,
};
use core::cell::RefCell;
use frame_support::{derive_impl, parameter_types, traits::tokens::imbalance::ResolveTo};
use frame_system::EnsureRoot;
use sp_core::H256;
use sp_runtime::{BuildStorage, DispatchError, DispatchResult};
use std::collections::BTreeMap;

type Block = frame_system::mocking::MockBlock<Test>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system::Pallet<Test>;
	#[runtime::pallet_index(1)]
	pub type Balances = pallet_balances::Pallet<Test>;
	#[runtime::pallet_index(2)]
	pub type Fees = pallet_agent_fees::Pallet<Test>;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
}

/// Owns agent [`ALICE_AGENT`].
pub const ALICE: u64 = 1;
/// Owns agent [`BOB_AGENT`].
pub const BOB: u64 = 2;
/// Owns no agent.
pub const CHARLIE: u64 = 3;
/// Receives the charged fees.
pub const COLLECTOR: u64 = 99;
/// Free balance of Alice, Bob and Charlie at genesis.
pub const INITIAL_BALANCE: u64 = 1_000;
/// Alice's agent.
pub const ALICE_AGENT: AgentId = 0;
/// Bob's agent.
pub const BOB_AGENT: AgentId = 1;
/// An id no agent has.
pub const UNKNOWN_AGENT: AgentId = 77;
/// The fee parameters at genesis.
pub const GENESIS_PARAMS: agentic_primitives::FeeParams<u64> =
	agentic_primitives::FeeParams { base: 10, per_step: 2, per_kib: 5 };

parameter_types! {
	pub const CollectorAccount: u64 = COLLECTOR;
}

impl pallet_agent_fees::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Agents = MockAgents;
	type FeeDestination = ResolveTo<CollectorAccount, Balances>;
	type FeeOrigin = EnsureRoot<u64>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockAgents;
}

thread_local! {
	static AGENTS: RefCell<BTreeMap<AgentId, AgentInfo<u64, u64>>> = const { RefCell::new(BTreeMap::new()) };
}

/// An in-memory agent directory.
pub struct MockAgents;

impl MockAgents {
	/// Registers a new active agent owned by `owner`; returns its id.
	pub fn add(owner: u64) -> AgentId {
		AGENTS.with(|agents| {
			let mut agents = agents.borrow_mut();
			let id = agents.keys().next_back().map_or(0, |last| last + 1);
			agents.insert(
				id,
				AgentInfo {
					owner,
					key: AgentPublic::from_raw([0u8; 32]),
					program_hash: H256::zero(),
					mode: VerificationMode::Reexec,
					state_depth: 0,
					state_root: H256::zero(),
					version: 0,
					nonce: 0,
					status: AgentStatus::Active,
					registered_at: 0,
				},
			);
			id
		})
	}

	/// Forgets `agent`.
	pub fn remove(agent: AgentId) {
		AGENTS.with(|agents| agents.borrow_mut().remove(&agent));
	}

	/// Forgets all agents.
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

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64> for MockAgents {
	fn create_agent(owner: &u64) -> AgentId {
		MockAgents::add(*owner)
	}
}

/// Genesis: Alice, Bob and Charlie hold [`INITIAL_BALANCE`], the collector the existential
/// deposit; Alice owns [`ALICE_AGENT`], Bob [`BOB_AGENT`]; the fee parameters are
/// [`GENESIS_PARAMS`]. Block 1, so events are recorded.
pub fn new_test_ext() -> sp_io::TestExternalities {
	MockAgents::clear();
	assert_eq!(MockAgents::add(ALICE), ALICE_AGENT);
	assert_eq!(MockAgents::add(BOB), BOB_AGENT);

	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(ALICE, INITIAL_BALANCE), (BOB, INITIAL_BALANCE), (CHARLIE, INITIAL_BALANCE), (COLLECTOR, 1)],
		..Default::default()
	}
	.assimilate_storage(&mut t)
	.unwrap();
	pallet_agent_fees::GenesisConfig::<Test> { params: GENESIS_PARAMS }.assimilate_storage(&mut t).unwrap();
	let mut ext: sp_io::TestExternalities = t.into();
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` in [`new_test_ext`], then checks the pallet's invariant.
pub fn run_test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Fees::do_try_state().expect("invariant holds");
	});
}

//! A test runtime: `frame_system`, `pallet_balances` and this pallet, with an in-memory agent
//! registry ([`MockAgents`]).

use crate as pallet_agent_staking;
use agentic_primitives::{
	traits::AgentDirectory, AgentId, AgentInfo, AgentStatus, StateRoot, VerificationMode, Version,
};
use core::cell::RefCell;
use frame_support::{derive_impl, parameter_types, traits::tokens::imbalance::ResolveTo};
use sp_core::{sr25519, H256};
use sp_runtime::{BuildStorage, DispatchError, DispatchResult};
use std::collections::BTreeMap;

type Block = frame_system::mocking::MockBlock<Test>;
/// The account and block number types of [`Test`].
pub type AccountId = u64;
pub type BlockNumber = u64;

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
	pub type AgentStaking = pallet_agent_staking::Pallet<Test>;
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

pub const MINIMUM_BOND: u64 = 100;
pub const SLASH_AMOUNT: u64 = 30;
pub const UNBONDING_DELAY: u64 = 10;
pub const MAX_CHUNKS: u32 = 3;

pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
/// Has too little to bond the minimum.
pub const POOR: AccountId = 3;
pub const TREASURY: AccountId = 999;
pub const INITIAL_BALANCE: u64 = 1_000;

parameter_types! {
	pub const MinimumBond: u64 = MINIMUM_BOND;
	pub const SlashAmount: u64 = SLASH_AMOUNT;
	pub const UnbondingDelay: u64 = UNBONDING_DELAY;
	pub const MaxUnbondingChunks: u32 = MAX_CHUNKS;
	pub const TreasuryAccount: AccountId = TREASURY;
}

impl pallet_agent_staking::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Agents = MockAgents;
	type MinimumBond = MinimumBond;
	type SlashAmount = SlashAmount;
	type UnbondingDelay = UnbondingDelay;
	type MaxUnbondingChunks = MaxUnbondingChunks;
	type Slashed = ResolveTo<TreasuryAccount, Balances>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockAgents;
}

thread_local! {
	static AGENTS: RefCell<BTreeMap<AgentId, AgentInfo<AccountId, BlockNumber>>> = const { RefCell::new(BTreeMap::new()) };
}

/// An agent registry kept in a thread-local map; tests set owners and statuses directly.
pub struct MockAgents;

impl MockAgents {
	/// Registers (or overwrites) `agent` with `owner` and `status`.
	pub fn set(agent: AgentId, owner: AccountId, status: AgentStatus) {
		let info = AgentInfo {
			owner,
			key: sr25519::Public::from_raw([0; 32]),
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

	/// Sets the status of a registered `agent`.
	pub fn set_status(agent: AgentId, status: AgentStatus) {
		AGENTS.with(|agents| {
			if let Some(info) = agents.borrow_mut().get_mut(&agent) {
				info.status = status;
			}
		});
	}

	/// Forgets every agent.
	pub fn clear() {
		AGENTS.with(|agents| agents.borrow_mut().clear());
	}
}

impl AgentDirectory<AccountId, BlockNumber> for MockAgents {
	fn agent(agent: AgentId) -> Option<AgentInfo<AccountId, BlockNumber>> {
		AGENTS.with(|agents| agents.borrow().get(&agent).cloned())
	}

	fn program(_agent: AgentId) -> Option<Vec<u8>> {
		None
	}

	fn apply_transition(_agent: AgentId, _new_root: StateRoot) -> Result<Version, DispatchError> {
		Err(DispatchError::Other("not supported by MockAgents"))
	}

	fn consume_nonce(_agent: AgentId) -> DispatchResult {
		Err(DispatchError::Other("not supported by MockAgents"))
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId> for MockAgents {
	fn create_agent(owner: &AccountId) -> AgentId {
		let id = AGENTS.with(|agents| agents.borrow().keys().next_back().map_or(0, |last| last + 1));
		Self::set(id, *owner, AgentStatus::Active);
		id
	}
}

/// Genesis: ALICE and BOB hold [`INITIAL_BALANCE`], POOR holds 50, the treasury holds the
/// existential deposit; no agents; block 1.
pub fn new_test_ext() -> sp_io::TestExternalities {
	MockAgents::clear();
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(ALICE, INITIAL_BALANCE), (BOB, INITIAL_BALANCE), (POOR, 50), (TREASURY, 1)],
		..Default::default()
	}
	.assimilate_storage(&mut t)
	.unwrap();
	let mut ext: sp_io::TestExternalities = t.into();
	ext.execute_with(|| System::set_block_number(1));
	ext
}

//! A test runtime: `frame_system`, `pallet_balances` and this pallet, with an in-memory agent
//! registry ([`MockAgents`]).

use crate as pallet_agent_staking;
#[cfg(feature = "runtime-benchmarks")]
use agentic_primitives::AgentId;
use frame_support::{derive_impl, parameter_types, traits::tokens::imbalance::ResolveTo};
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;
/// The account type of [`Test`].
pub type AccountId = u64;

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

pub use agentic_primitives::testing::MockAgents;

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId> for MockAgents {
	fn create_agent(owner: &AccountId) -> AgentId {
		MockAgents::add(*owner)
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

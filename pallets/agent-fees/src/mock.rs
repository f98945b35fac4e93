//! A mock runtime: frame-system, pallet-balances and this pallet, with an in-memory agent
//! directory.

use crate as pallet_agent_fees;
use agentic_primitives::AgentId;
use frame_support::{derive_impl, parameter_types, traits::tokens::imbalance::ResolveTo};
use frame_system::EnsureRoot;
use sp_runtime::BuildStorage;

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

pub use agentic_primitives::testing::MockAgents;

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

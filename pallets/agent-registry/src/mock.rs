//! A runtime with the registry and recording stand-ins for bonds, fees and checkpoints.

use crate as pallet_agent_registry;
use agentic_primitives::{
	traits::{AgentBonds, AgentFees, OnAgentTransition},
	AgentId, StateRoot, Version,
};
use core::cell::RefCell;
use frame_support::{derive_impl, parameter_types};
use sp_runtime::{BuildStorage, DispatchResult};
use std::collections::BTreeMap;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Registry: pallet_agent_registry,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
}

pub const MIN_BOND: u64 = 100;

thread_local! {
	/// Bonds taken: agent -> (owner, amount); `None` amount means unbonding.
	pub static BONDS: RefCell<BTreeMap<AgentId, (u64, u64, bool)>> = RefCell::new(BTreeMap::new());
	/// Prepaid fees: agent -> amount.
	pub static PREPAID: RefCell<BTreeMap<AgentId, u64>> = RefCell::new(BTreeMap::new());
	/// Transitions reported for the checkpoint.
	pub static TRANSITIONS: RefCell<Vec<(AgentId, StateRoot, Version)>> = RefCell::new(Vec::new());
}

/// Bonds: refuses amounts below `MIN_BOND`.
pub struct MockBonds;
impl AgentBonds<u64, u64> for MockBonds {
	fn minimum_bond() -> u64 {
		MIN_BOND
	}
	fn bond_new(owner: &u64, agent: AgentId, amount: u64) -> DispatchResult {
		if amount < MIN_BOND {
			return Err("BelowMinimum".into());
		}
		BONDS.with(|b| b.borrow_mut().insert(agent, (*owner, amount, false)));
		Ok(())
	}
	fn active_bond(agent: AgentId) -> u64 {
		BONDS.with(|b| b.borrow().get(&agent).filter(|x| !x.2).map(|x| x.1).unwrap_or(0))
	}
	fn unbond_all(agent: AgentId) -> DispatchResult {
		BONDS.with(|b| b.borrow_mut().get_mut(&agent).map(|x| x.2 = true)).ok_or("UnknownBond")?;
		Ok(())
	}
	fn slash(_agent: AgentId) -> u64 {
		0
	}
}

/// Fees: a top-up above 1_000_000 fails, so tests can see a failing registration roll back.
pub struct MockFees;
impl AgentFees<u64, u64> for MockFees {
	fn top_up(_owner: &u64, agent: AgentId, amount: u64) -> DispatchResult {
		if amount > 1_000_000 {
			return Err("InsufficientBalance".into());
		}
		PREPAID.with(|p| *p.borrow_mut().entry(agent).or_default() += amount);
		Ok(())
	}
	fn prepaid(agent: AgentId) -> u64 {
		PREPAID.with(|p| p.borrow().get(&agent).copied().unwrap_or(0))
	}
	fn quote(steps: u64, _evidence_len: u32) -> u64 {
		steps
	}
	fn charge(_agent: AgentId, _fee: u64) -> DispatchResult {
		Ok(())
	}
}

pub struct MockCheckpoint;
impl OnAgentTransition for MockCheckpoint {
	fn on_transition(agent: AgentId, root: StateRoot, version: Version) {
		TRANSITIONS.with(|t| t.borrow_mut().push((agent, root, version)));
	}
	fn weight() -> frame_support::weights::Weight {
		frame_support::weights::Weight::zero()
	}
}

parameter_types! {
	pub const MaxProgramLen: u32 = 64 * 1024;
	pub const MaxStateDepth: u8 = 10;
	/// On, so that the tests reach the `Ligerito` program check; a test turns it off.
	pub static LigeritoEnabled: bool = true;
}

impl pallet_agent_registry::Config for Test {
	type Currency = Balances;
	type Bonds = MockBonds;
	type Fees = MockFees;
	type OnTransition = MockCheckpoint;
	type MaxProgramLen = MaxProgramLen;
	type MaxStateDepth = MaxStateDepth;
	type LigeritoEnabled = LigeritoEnabled;
	type WeightInfo = ();
}

pub const ALICE: u64 = 1;
pub const BOB: u64 = 2;

pub fn new_test_ext() -> sp_io::TestExternalities {
	BONDS.with(|b| b.borrow_mut().clear());
	PREPAID.with(|p| p.borrow_mut().clear());
	TRANSITIONS.with(|t| t.borrow_mut().clear());
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(ALICE, 1_000_000), (BOB, 1_000_000)],
		..Default::default()
	}
	.assimilate_storage(&mut t)
	.unwrap();
	let mut ext: sp_io::TestExternalities = t.into();
	ext.execute_with(|| System::set_block_number(1));
	ext
}

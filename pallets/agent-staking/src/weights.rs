//! Weights for `pallet_agent_staking`.
//!
//! PLACEHOLDER NUMBERS: these were not produced by the benchmark CLI. They are to be regenerated
//! from the runtime with `frame-omni-bencher v1 benchmark pallet --pallet=pallet_agent_staking`
//! once the runtime exists. The shape (storage reads and writes per call) follows the pallet's
//! code: `Bonds`, the owner's `Balances::Holds` and `Balances::Account`, and the registry's
//! agent record for `unbond`.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]
#![allow(dead_code)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_agent_staking`.
pub trait WeightInfo {
	fn bond_extra() -> Weight;
	fn unbond() -> Weight;
	fn withdraw_unbonded() -> Weight;
	fn slash() -> Weight;
}

/// Weights for `pallet_agent_staking` using the Substrate node and recommended hardware.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `AgentStaking::Bonds` (r:1 w:1)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Storage: `Balances::Account` (r:1 w:1)
	fn bond_extra() -> Weight {
		Weight::from_parts(40_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `AgentStaking::Bonds` (r:1 w:1)
	/// Storage: `AgentRegistry::Agents` (r:1 w:0)
	fn unbond() -> Weight {
		Weight::from_parts(25_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `AgentStaking::Bonds` (r:1 w:1)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Storage: `Balances::Account` (r:1 w:1)
	fn withdraw_unbonded() -> Weight {
		Weight::from_parts(45_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `AgentStaking::Bonds` (r:1 w:1)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Storage: `Balances::Account` (r:2 w:2)
	/// Storage: `Balances::TotalIssuance` (r:1 w:1)
	fn slash() -> Weight {
		Weight::from_parts(60_000_000, 6_000)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	/// Storage: `AgentStaking::Bonds` (r:1 w:1)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Storage: `Balances::Account` (r:1 w:1)
	fn bond_extra() -> Weight {
		Weight::from_parts(40_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	/// Storage: `AgentStaking::Bonds` (r:1 w:1)
	/// Storage: `AgentRegistry::Agents` (r:1 w:0)
	fn unbond() -> Weight {
		Weight::from_parts(25_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	/// Storage: `AgentStaking::Bonds` (r:1 w:1)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Storage: `Balances::Account` (r:1 w:1)
	fn withdraw_unbonded() -> Weight {
		Weight::from_parts(45_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	/// Storage: `AgentStaking::Bonds` (r:1 w:1)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Storage: `Balances::Account` (r:2 w:2)
	/// Storage: `Balances::TotalIssuance` (r:1 w:1)
	fn slash() -> Weight {
		Weight::from_parts(60_000_000, 6_000)
			.saturating_add(RocksDbWeight::get().reads(5_u64))
			.saturating_add(RocksDbWeight::get().writes(5_u64))
	}
}

//! Weights for `pallet_agent_fees`.
//!
//! PLACEHOLDERS: these numbers were written by hand, not measured. They must be regenerated
//! from the runtime with the benchmarks in `benchmarking.rs`, e.g.
//!
//! ```text
//! frame-omni-bencher v1 benchmark pallet --runtime <runtime.wasm> --pallet pallet_agent_fees \
//!     --extrinsic "*" --template <template.hbs> --output pallets/agent-fees/src/weights.rs
//! ```
//!
//! The storage counts are estimates: `Agents` (1 read of the registry), `Prepaid` (1 read,
//! 1 write), `Balances::Holds` and `System::Account` of the owner (1 read, 1 write each), and
//! for `charge` the fee destination's `System::Account`.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens, unused_imports, missing_docs, dead_code)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_agent_fees`.
pub trait WeightInfo {
	fn set_fee_params() -> Weight;
	fn top_up() -> Weight;
	fn withdraw() -> Weight;
	/// `AgentFees::charge`, for the submission pallet to account.
	fn charge() -> Weight;
}

/// Weights for `pallet_agent_fees` using the Substrate node and recommended hardware.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `AgentFees::Params` (r:0 w:1)
	fn set_fee_params() -> Weight {
		Weight::from_parts(8_000_000, 0)
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `AgentRegistry::Agents` (r:1 w:0)
	/// Storage: `AgentFees::Prepaid` (r:1 w:1)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Storage: `System::Account` (r:1 w:1)
	fn top_up() -> Weight {
		Weight::from_parts(45_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `AgentRegistry::Agents` (r:1 w:0)
	/// Storage: `AgentFees::Prepaid` (r:1 w:1)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Storage: `System::Account` (r:1 w:1)
	fn withdraw() -> Weight {
		Weight::from_parts(45_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `AgentRegistry::Agents` (r:1 w:0)
	/// Storage: `AgentFees::Prepaid` (r:1 w:1)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Storage: `System::Account` (r:2 w:2)
	fn charge() -> Weight {
		Weight::from_parts(50_000_000, 6_000)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	/// Storage: `AgentFees::Params` (r:0 w:1)
	fn set_fee_params() -> Weight {
		Weight::from_parts(8_000_000, 0)
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	/// Storage: `AgentRegistry::Agents` (r:1 w:0)
	/// Storage: `AgentFees::Prepaid` (r:1 w:1)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Storage: `System::Account` (r:1 w:1)
	fn top_up() -> Weight {
		Weight::from_parts(45_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	/// Storage: `AgentRegistry::Agents` (r:1 w:0)
	/// Storage: `AgentFees::Prepaid` (r:1 w:1)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Storage: `System::Account` (r:1 w:1)
	fn withdraw() -> Weight {
		Weight::from_parts(45_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	/// Storage: `AgentRegistry::Agents` (r:1 w:0)
	/// Storage: `AgentFees::Prepaid` (r:1 w:1)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Storage: `System::Account` (r:2 w:2)
	fn charge() -> Weight {
		Weight::from_parts(50_000_000, 6_000)
			.saturating_add(RocksDbWeight::get().reads(5_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
}

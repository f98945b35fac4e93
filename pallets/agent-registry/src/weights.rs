//! Weights for `pallet-agent-registry`.
//!
//! PLACEHOLDER NUMBERS: these are conservative estimates shaped like generated weights. They
//! are to be replaced by weights generated from the runtime with `frame-omni-bencher` (the chain
//! issue); the benchmarks in `benchmarking.rs` already run as tests.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens, unused_imports, missing_docs, dead_code)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet-agent-registry`.
pub trait WeightInfo {
	fn register(l: u32, ) -> Weight;
	/// Registration in `Ligerito` mode of a new program of `l` bytes, at most the mode's limit
	/// (validation, program table, storage). Until a runtime's weights are generated with this
	/// benchmark, its default is `Weight::MAX`: no block can take such a registration.
	fn register_ligerito(_l: u32, ) -> Weight {
		Weight::MAX
	}
	fn update_key() -> Weight;
	fn retire() -> Weight;
}

/// Weights for `pallet-agent-registry` using the chain's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// `l` is the program length in bytes (0 for a stored program).
	fn register(l: u32, ) -> Weight {
		Weight::from_parts(150_000_000, 10_000)
			.saturating_add(Weight::from_parts(20_000, 1).saturating_mul(l.into()))
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(8_u64))
	}
	fn update_key() -> Weight {
		Weight::from_parts(20_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn retire() -> Weight {
		Weight::from_parts(60_000_000, 8_000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	fn register(l: u32, ) -> Weight {
		Weight::from_parts(150_000_000, 10_000)
			.saturating_add(Weight::from_parts(20_000, 1).saturating_mul(l.into()))
			.saturating_add(RocksDbWeight::get().reads(6_u64))
			.saturating_add(RocksDbWeight::get().writes(8_u64))
	}
	/// A test placeholder (the mock runtimes' only).
	fn register_ligerito(l: u32, ) -> Weight {
		Weight::from_parts(200_000_000, 10_000)
			.saturating_add(Weight::from_parts(100_000, 1).saturating_mul(l.into()))
			.saturating_add(RocksDbWeight::get().reads(6_u64))
			.saturating_add(RocksDbWeight::get().writes(8_u64))
	}
	fn update_key() -> Weight {
		Weight::from_parts(20_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn retire() -> Weight {
		Weight::from_parts(60_000_000, 8_000)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(5_u64))
	}
}

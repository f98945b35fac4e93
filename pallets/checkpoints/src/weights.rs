//! Weights for `pallet-checkpoints`.
//!
//! PLACEHOLDER NUMBERS: conservative estimates shaped like generated weights, to be replaced by
//! weights generated from the runtime with `frame-omni-bencher`; the benchmarks in
//! `benchmarking.rs` already run as tests.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens, unused_imports, missing_docs, dead_code)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet-checkpoints`.
pub trait WeightInfo {
	/// Folding `k` changed agents into the checkpoint at the end of a block.
	fn on_finalize(k: u32, ) -> Weight;
}

/// Weights for `pallet-checkpoints` using the chain's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn on_finalize(k: u32, ) -> Weight {
		Weight::from_parts(10_000_000, 1_500)
			// 32 levels of two reads, one hash and one write per changed agent.
			.saturating_add(Weight::from_parts(3_000_000, 2_600).saturating_mul(k.into()))
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().reads((64_u64).saturating_mul(k.into())))
			.saturating_add(T::DbWeight::get().writes(2_u64))
			.saturating_add(T::DbWeight::get().writes((34_u64).saturating_mul(k.into())))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	fn on_finalize(k: u32, ) -> Weight {
		Weight::from_parts(10_000_000, 1_500)
			.saturating_add(Weight::from_parts(3_000_000, 2_600).saturating_mul(k.into()))
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().reads((64_u64).saturating_mul(k.into())))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
			.saturating_add(RocksDbWeight::get().writes((34_u64).saturating_mul(k.into())))
	}
}

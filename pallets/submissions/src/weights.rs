//! Weights for `pallet-agent-submissions`.
//!
//! PLACEHOLDER NUMBERS: conservative estimates shaped like generated weights, to be replaced by
//! weights generated from the runtime with `frame-omni-bencher`; the benchmarks in
//! `benchmarking.rs` already run as tests.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens, unused_imports, missing_docs, dead_code)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet-agent-submissions`.
pub trait WeightInfo {
	/// Verifying and applying a submission of `k` thousand steps and `e` KiB of evidence.
	fn submit(k: u32, e: u32, p: u32, ) -> Weight;
	/// Pool validation of a submission with `e` KiB of evidence.
	fn authorize_submit(e: u32, ) -> Weight;
	/// Verifying and applying a `Ligerito`-mode submission at the mode's limits. Until a
	/// runtime's weights are generated with this benchmark, its default is `Weight::MAX`: no
	/// block can take such a submission, rather than one underweighted by orders of magnitude.
	fn submit_ligerito() -> Weight {
		Weight::MAX
	}
	/// The same submission with its proof's last byte changed: verified up to its last checks and
	/// rejected, the agent slashed. Defaults to `Weight::MAX` as [`Self::submit_ligerito`].
	fn submit_ligerito_rejected() -> Weight {
		Weight::MAX
	}
	/// Verifying and applying a `Ligerito`-mode submission of a long run of a small program,
	/// whose proof's opening stacks values at its bound. Defaults to `Weight::MAX` as
	/// [`Self::submit_ligerito`].
	fn submit_ligerito_long_run() -> Weight {
		Weight::MAX
	}
}

/// Weights for `pallet-agent-submissions` using the chain's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn submit(k: u32, e: u32, p: u32, ) -> Weight {
		Weight::from_parts(300_000_000, 20_000)
			.saturating_add(Weight::from_parts(50_000_000, 0).saturating_mul(k.into()))
			.saturating_add(Weight::from_parts(5_000_000, 1_100).saturating_mul(e.into()))
			.saturating_add(Weight::from_parts(20_000_000, 1_100).saturating_mul(p.into()))
			.saturating_add(T::DbWeight::get().reads(10_u64))
			.saturating_add(T::DbWeight::get().writes(6_u64))
	}
	fn authorize_submit(e: u32, ) -> Weight {
		Weight::from_parts(120_000_000, 10_000)
			.saturating_add(Weight::from_parts(2_000_000, 0).saturating_mul(e.into()))
			.saturating_add(T::DbWeight::get().reads(8_u64))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	fn submit(k: u32, e: u32, p: u32, ) -> Weight {
		Weight::from_parts(300_000_000, 20_000)
			.saturating_add(Weight::from_parts(50_000_000, 0).saturating_mul(k.into()))
			.saturating_add(Weight::from_parts(5_000_000, 1_100).saturating_mul(e.into()))
			.saturating_add(Weight::from_parts(20_000_000, 1_100).saturating_mul(p.into()))
			.saturating_add(RocksDbWeight::get().reads(10_u64))
			.saturating_add(RocksDbWeight::get().writes(6_u64))
	}
	fn authorize_submit(e: u32, ) -> Weight {
		Weight::from_parts(120_000_000, 10_000)
			.saturating_add(Weight::from_parts(2_000_000, 0).saturating_mul(e.into()))
			.saturating_add(RocksDbWeight::get().reads(8_u64))
	}
	/// A test placeholder (the mock runtimes' only).
	fn submit_ligerito() -> Weight {
		Weight::from_parts(2_000_000_000, 20_000)
			.saturating_add(RocksDbWeight::get().reads(10_u64))
			.saturating_add(RocksDbWeight::get().writes(6_u64))
	}
	/// A test placeholder (the mock runtimes' only).
	fn submit_ligerito_rejected() -> Weight {
		Weight::from_parts(2_000_000_000, 20_000)
			.saturating_add(RocksDbWeight::get().reads(12_u64))
			.saturating_add(RocksDbWeight::get().writes(8_u64))
	}
	/// A test placeholder (the mock runtimes' only).
	fn submit_ligerito_long_run() -> Weight {
		Weight::from_parts(2_500_000_000, 30_000)
			.saturating_add(RocksDbWeight::get().reads(10_u64))
			.saturating_add(RocksDbWeight::get().writes(6_u64))
	}
}

//! Weights for `pallet_time_oracle`.
//!
//! PLACEHOLDER WEIGHTS: these numbers were written by hand, in the shape the benchmark CLI
//! produces, so the pallet can be wired and tested. They are NOT measured. Regenerate this file
//! from the runtime with `frame-omni-bencher v1 benchmark pallet --pallet=pallet_time_oracle
//! --extrinsic=* --steps=50 --repeat=20 ...` before any production use.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]
#![allow(dead_code)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_time_oracle`.
pub trait WeightInfo {
	fn report_time() -> Weight;
	fn set_authorities(a: u32, ) -> Weight;
	fn on_finalize(a: u32, ) -> Weight;
}

/// Weights for `pallet_time_oracle` using the Substrate node and recommended hardware.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `TimeOracle::Authorities` (r:1 w:0)
	/// Proof: `TimeOracle::Authorities` (`max_values`: Some(1), `max_size`: Some(3202), added: 3697, mode: `MaxEncodedLen`)
	/// Storage: `TimeOracle::Reports` (r:1 w:1)
	/// Proof: `TimeOracle::Reports` (`max_values`: None, `max_size`: Some(60), added: 2535, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	fn report_time() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `3300`
		//  Estimated: `4687`
		// Minimum execution time: 25_000_000 picoseconds.
		Weight::from_parts(26_000_000, 4687)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `TimeOracle::Authorities` (r:1 w:1)
	/// Proof: `TimeOracle::Authorities` (`max_values`: Some(1), `max_size`: Some(3202), added: 3697, mode: `MaxEncodedLen`)
	/// Storage: `TimeOracle::Reports` (r:0 w:100)
	/// Proof: `TimeOracle::Reports` (`max_values`: None, `max_size`: Some(60), added: 2535, mode: `MaxEncodedLen`)
	/// The range of component `a` is `[1, 100]`.
	fn set_authorities(a: u32, ) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `100 + a * (32 ±0)`
		//  Estimated: `4687`
		// Minimum execution time: 12_000_000 picoseconds.
		Weight::from_parts(12_000_000, 4687)
			// Standard Error: 2_000
			.saturating_add(Weight::from_parts(3_000_000, 0).saturating_mul(a.into()))
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(a.into())))
	}
	/// Storage: `TimeOracle::Authorities` (r:1 w:0)
	/// Proof: `TimeOracle::Authorities` (`max_values`: Some(1), `max_size`: Some(3202), added: 3697, mode: `MaxEncodedLen`)
	/// Storage: `TimeOracle::Reports` (r:100 w:0)
	/// Proof: `TimeOracle::Reports` (`max_values`: None, `max_size`: Some(60), added: 2535, mode: `MaxEncodedLen`)
	/// Storage: `TimeOracle::Now` (r:1 w:1)
	/// Proof: `TimeOracle::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `TimeOracle::History` (r:0 w:2)
	/// Proof: `TimeOracle::History` (`max_values`: None, `max_size`: Some(24), added: 2499, mode: `MaxEncodedLen`)
	/// The range of component `a` is `[1, 100]`.
	fn on_finalize(a: u32, ) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `150 + a * (92 ±0)`
		//  Estimated: `4687 + a * (2535 ±0)`
		// Minimum execution time: 8_000_000 picoseconds.
		Weight::from_parts(8_000_000, 4687)
			// Standard Error: 2_000
			.saturating_add(Weight::from_parts(4_000_000, 0).saturating_mul(a.into()))
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(a.into())))
			.saturating_add(T::DbWeight::get().writes(3_u64))
			.saturating_add(Weight::from_parts(0, 2535).saturating_mul(a.into()))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	/// Storage: `TimeOracle::Authorities` (r:1 w:0)
	/// Proof: `TimeOracle::Authorities` (`max_values`: Some(1), `max_size`: Some(3202), added: 3697, mode: `MaxEncodedLen`)
	/// Storage: `TimeOracle::Reports` (r:1 w:1)
	/// Proof: `TimeOracle::Reports` (`max_values`: None, `max_size`: Some(60), added: 2535, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	fn report_time() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `3300`
		//  Estimated: `4687`
		// Minimum execution time: 25_000_000 picoseconds.
		Weight::from_parts(26_000_000, 4687)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	/// Storage: `TimeOracle::Authorities` (r:1 w:1)
	/// Proof: `TimeOracle::Authorities` (`max_values`: Some(1), `max_size`: Some(3202), added: 3697, mode: `MaxEncodedLen`)
	/// Storage: `TimeOracle::Reports` (r:0 w:100)
	/// Proof: `TimeOracle::Reports` (`max_values`: None, `max_size`: Some(60), added: 2535, mode: `MaxEncodedLen`)
	/// The range of component `a` is `[1, 100]`.
	fn set_authorities(a: u32, ) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `100 + a * (32 ±0)`
		//  Estimated: `4687`
		// Minimum execution time: 12_000_000 picoseconds.
		Weight::from_parts(12_000_000, 4687)
			// Standard Error: 2_000
			.saturating_add(Weight::from_parts(3_000_000, 0).saturating_mul(a.into()))
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
			.saturating_add(RocksDbWeight::get().writes((1_u64).saturating_mul(a.into())))
	}
	/// Storage: `TimeOracle::Authorities` (r:1 w:0)
	/// Proof: `TimeOracle::Authorities` (`max_values`: Some(1), `max_size`: Some(3202), added: 3697, mode: `MaxEncodedLen`)
	/// Storage: `TimeOracle::Reports` (r:100 w:0)
	/// Proof: `TimeOracle::Reports` (`max_values`: None, `max_size`: Some(60), added: 2535, mode: `MaxEncodedLen`)
	/// Storage: `TimeOracle::Now` (r:1 w:1)
	/// Proof: `TimeOracle::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `TimeOracle::History` (r:0 w:2)
	/// Proof: `TimeOracle::History` (`max_values`: None, `max_size`: Some(24), added: 2499, mode: `MaxEncodedLen`)
	/// The range of component `a` is `[1, 100]`.
	fn on_finalize(a: u32, ) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `150 + a * (92 ±0)`
		//  Estimated: `4687 + a * (2535 ±0)`
		// Minimum execution time: 8_000_000 picoseconds.
		Weight::from_parts(8_000_000, 4687)
			// Standard Error: 2_000
			.saturating_add(Weight::from_parts(4_000_000, 0).saturating_mul(a.into()))
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(a.into())))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
			.saturating_add(Weight::from_parts(0, 2535).saturating_mul(a.into()))
	}
}

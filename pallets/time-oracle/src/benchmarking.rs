//! Benchmarks of the time oracle.

#![cfg(feature = "runtime-benchmarks")]

use super::*;
use crate::Pallet as TimeOracle;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{EnsureOrigin, Get, Hooks, UnixTime},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::SaturatedConversion;

/// `count` distinct accounts named `name`.
fn accounts<T: Config>(name: &'static str, count: u32) -> Vec<T::AccountId> {
	(0..count).map(|i| account(name, i, 0)).collect()
}

/// Makes `accounts` the authority set.
fn set_authority_set<T: Config>(accounts: Vec<T::AccountId>) {
	let bounded: BoundedVec<T::AccountId, T::MaxAuthorities> =
		accounts.try_into().expect("at most MaxAuthorities accounts");
	Authorities::<T>::put(bounded);
}

/// The local clock in ms.
fn local_now<T: Config>() -> u64 {
	T::LocalTime::now().as_millis().saturated_into()
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// The worst case: a full authority set with the caller last, and a previous report to
	/// replace.
	#[benchmark]
	fn report_time() {
		let caller: T::AccountId = whitelisted_caller();
		let mut set = accounts::<T>("authority", T::MaxAuthorities::get().saturating_sub(1));
		set.push(caller.clone());
		set_authority_set::<T>(set);
		frame_system::Pallet::<T>::set_block_number(2u32.into());
		let moment = local_now::<T>();
		Reports::<T>::insert(&caller, Report { moment, at: 1u32.into() });

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), moment);

		assert_eq!(Reports::<T>::get(&caller), Some(Report { moment, at: 2u32.into() }));
	}

	/// `a` authorities, all with reports, replaced by `a` new ones: every report is removed.
	#[benchmark]
	fn set_authorities(a: Linear<1, { T::MaxAuthorities::get() }>) -> Result<(), BenchmarkError> {
		let old = accounts::<T>("old", a);
		let moment = local_now::<T>();
		for who in &old {
			Reports::<T>::insert(who, Report { moment, at: 1u32.into() });
		}
		set_authority_set::<T>(old.clone());
		let new: BoundedVec<T::AccountId, T::MaxAuthorities> =
			accounts::<T>("new", a).try_into().map_err(|_| BenchmarkError::Stop("too many authorities"))?;
		let origin = T::AuthorityOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, new.clone());

		assert_eq!(Authorities::<T>::get(), new);
		assert!(old.iter().all(|who| Reports::<T>::get(who).is_none()));
		Ok(())
	}

	/// `a` authorities all reported in this block; a previous consensus time exists and a
	/// history entry is pruned.
	#[benchmark]
	fn on_finalize(a: Linear<1, { T::MaxAuthorities::get() }>) {
		let depth = T::HistoryDepth::get();
		let block = depth.saturating_add(1);
		let n: BlockNumberFor<T> = block.into();
		frame_system::Pallet::<T>::set_block_number(n);
		let set = accounts::<T>("authority", a);
		let moment = local_now::<T>();
		for (i, who) in set.iter().enumerate() {
			Reports::<T>::insert(who, Report { moment: moment.saturating_add(i as u64), at: n });
		}
		set_authority_set::<T>(set);
		Now::<T>::put(0);
		History::<T>::insert(block - depth, 0);

		#[block]
		{
			<TimeOracle<T> as Hooks<BlockNumberFor<T>>>::on_finalize(n);
		}

		let expected = moment.saturating_add((a as u64 - 1) / 2);
		assert_eq!(Now::<T>::get(), Some(expected));
		assert_eq!(History::<T>::get(block), Some(expected));
		assert_eq!(History::<T>::get(block - depth), None);
	}

	impl_benchmark_test_suite!(TimeOracle, crate::mock::new_test_ext(), crate::mock::Test);
}

//! Benchmarks of `pallet_agent_staking`: each call, plus [`AgentBonds::slash`], which the
//! submissions pallet charges when it rejects a submission.
//!
//! Every benchmark measures the largest record: a bond with [`Config::MaxUnbondingChunks`] chunks.

#![cfg(feature = "runtime-benchmarks")]

use super::*;
use crate::Pallet as AgentStaking;
use agentic_primitives::{traits::AgentBonds, AgentId};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{
		fungible::{Balanced, Inspect, InspectHold, MutateHold},
		tokens::Precision,
		Get,
	},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::traits::{Saturating, Zero};

fn hold_reason<T: Config>() -> T::RuntimeHoldReason {
	HoldReason::AgentBond.into()
}

/// Gives `who` `amount` plus the existential deposit.
fn fund<T: Config>(who: &T::AccountId, amount: BalanceOf<T>) {
	let amount = amount.saturating_add(T::Currency::minimum_balance());
	// Dropping the debt raises the total issuance to match.
	let _ = T::Currency::deposit(who, amount, Precision::Exact).expect("deposit into an account works");
}

/// A new active agent of `owner` whose bond has `active` in the active part and
/// `MaxUnbondingChunks` chunks of `per_chunk` each, unlocking at blocks 1, 2, ...; the owner's hold
/// matches.
fn setup_bond<T: Config>(owner: &T::AccountId, active: BalanceOf<T>, per_chunk: BalanceOf<T>) -> AgentId {
	let agent = T::BenchmarkHelper::create_agent(owner);
	// The helper may have bonded the agent already (a runtime registers it with the minimum
	// bond): release that hold, so that the owner's hold is exactly the bond set up here.
	if let Some(old) = Bonds::<T>::get(agent) {
		T::Currency::release(&hold_reason::<T>(), owner, old.total(), Precision::Exact).expect("the old bond is held");
	}
	let max = T::MaxUnbondingChunks::get();
	let unbonding: BoundedVec<_, T::MaxUnbondingChunks> = (1..=max)
		.map(|i| UnbondingChunk { amount: per_chunk, unlock_at: BlockNumberFor::<T>::from(i) })
		.collect::<alloc::vec::Vec<_>>()
		.try_into()
		.expect("exactly MaxUnbondingChunks chunks");
	let bond = Bond::<T> { owner: owner.clone(), active, unbonding };
	let total = bond.total();
	fund::<T>(owner, total);
	T::Currency::hold(&hold_reason::<T>(), owner, total).expect("funded above");
	Bonds::<T>::insert(agent, bond);
	agent
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn bond_extra() {
		let owner: T::AccountId = whitelisted_caller();
		let agent = setup_bond::<T>(&owner, T::MinimumBond::get(), 1u32.into());
		let extra = T::MinimumBond::get().max(1u32.into());
		fund::<T>(&owner, extra);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner.clone()), agent, extra);

		let bond = Bonds::<T>::get(agent).expect("bonded");
		assert_eq!(bond.active, T::MinimumBond::get().saturating_add(extra));
		assert_eq!(T::Currency::balance_on_hold(&hold_reason::<T>(), &owner), bond.total());
	}

	#[benchmark]
	fn unbond() {
		let owner: T::AccountId = whitelisted_caller();
		let amount: BalanceOf<T> = 1u32.into();
		// Active agent (the minimum is checked), full chunk list (the new chunk merges).
		let agent = setup_bond::<T>(&owner, T::MinimumBond::get().saturating_add(amount), 1u32.into());

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), agent, amount);

		let bond = Bonds::<T>::get(agent).expect("bonded");
		assert_eq!(bond.active, T::MinimumBond::get());
		assert_eq!(bond.unbonding.len() as u32, T::MaxUnbondingChunks::get());
	}

	#[benchmark]
	fn withdraw_unbonded() {
		let owner: T::AccountId = whitelisted_caller();
		// Every chunk matured and nothing active: the whole record goes.
		let agent = setup_bond::<T>(&owner, Zero::zero(), 1u32.into());
		frame_system::Pallet::<T>::set_block_number(T::MaxUnbondingChunks::get().into());

		#[extrinsic_call]
		_(RawOrigin::Signed(owner.clone()), agent);

		assert!(Bonds::<T>::get(agent).is_none());
		assert!(T::Currency::balance_on_hold(&hold_reason::<T>(), &owner).is_zero());
	}

	#[benchmark]
	fn slash() {
		let owner: T::AccountId = whitelisted_caller();
		// Nothing active and chunks small enough that the slash goes through all of them.
		let max: BalanceOf<T> = T::MaxUnbondingChunks::get().into();
		let per_chunk = (T::SlashAmount::get() / max).max(1u32.into());
		let agent = setup_bond::<T>(&owner, Zero::zero(), per_chunk);
		let expected = T::SlashAmount::get().min(per_chunk.saturating_mul(max));
		let slashed;

		#[block]
		{
			slashed = <AgentStaking<T> as AgentBonds<T::AccountId, BalanceOf<T>>>::slash(agent);
		}

		assert_eq!(slashed, expected);
	}

	impl_benchmark_test_suite!(AgentStaking, crate::mock::new_test_ext(), crate::mock::Test);
}

//! Benchmarks of `pallet_agent_fees`: every call, and [`AgentFees::charge`] for the submission
//! pallet to account.

#![cfg(feature = "runtime-benchmarks")]

use super::*;
use crate::Pallet as Fees;
use agentic_primitives::{traits::AgentFees, AgentId, FeeParams};
use frame_benchmarking::v2::*;
use frame_support::traits::{
	fungible::{Balanced, Inspect},
	tokens::Precision,
	EnsureOrigin,
};
use frame_system::RawOrigin;
use sp_runtime::traits::Saturating;

/// A convenient amount: the existential deposit (at least 1).
fn unit<T: Config>() -> BalanceOf<T> {
	T::Currency::minimum_balance().max(1u32.into())
}

/// A whitelisted owner funded with 1000 units, owning a new agent.
fn owner_with_agent<T: Config>() -> Result<(T::AccountId, AgentId), BenchmarkError> {
	let owner: T::AccountId = whitelisted_caller();
	let funds = unit::<T>().saturating_mul(1_000u32.into());
	let debt = T::Currency::deposit(&owner, funds, Precision::Exact)
		.map_err(|_| BenchmarkError::Stop("cannot fund the agent owner"))?;
	drop(debt);
	let agent = T::BenchmarkHelper::create_agent(&owner);
	Ok((owner, agent))
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn set_fee_params() -> Result<(), BenchmarkError> {
		let origin = T::FeeOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let params = FeeParams { base: unit::<T>(), per_step: unit::<T>(), per_kib: unit::<T>() };

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, params);

		assert_eq!(Params::<T>::get(), params);
		Ok(())
	}

	#[benchmark]
	fn top_up() -> Result<(), BenchmarkError> {
		let (owner, agent) = owner_with_agent::<T>()?;
		let before = Prepaid::<T>::get(agent);
		let amount = unit::<T>().saturating_mul(100u32.into());

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), agent, amount);

		assert_eq!(Prepaid::<T>::get(agent), before.saturating_add(amount));
		Ok(())
	}

	#[benchmark]
	fn withdraw() -> Result<(), BenchmarkError> {
		let (owner, agent) = owner_with_agent::<T>()?;
		<Fees<T> as AgentFees<_, _>>::top_up(&owner, agent, unit::<T>().saturating_mul(100u32.into()))?;
		// Everything: the entry and possibly the hold are removed.
		let amount = Prepaid::<T>::get(agent);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), agent, amount);

		assert!(!Prepaid::<T>::contains_key(agent));
		Ok(())
	}

	#[benchmark]
	fn charge() -> Result<(), BenchmarkError> {
		let (owner, agent) = owner_with_agent::<T>()?;
		let fee = unit::<T>().saturating_mul(10u32.into());
		<Fees<T> as AgentFees<_, _>>::top_up(&owner, agent, unit::<T>().saturating_mul(100u32.into()))?;
		let before = Prepaid::<T>::get(agent);

		#[block]
		{
			<Fees<T> as AgentFees<_, _>>::charge(agent, fee)?;
		}

		assert_eq!(Prepaid::<T>::get(agent), before.saturating_sub(fee));
		Ok(())
	}

	impl_benchmark_test_suite!(Fees, crate::mock::new_test_ext(), crate::mock::Test);
}

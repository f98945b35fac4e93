//! Benchmarks for the registry (benchmarks v2; they also run as tests).

use super::*;
use agentic_example_agents as examples;
use frame_benchmarking::v2::*;
use frame_support::traits::fungible::Mutate;
use frame_system::RawOrigin;
use sp_runtime::Saturating;

fn funded<T: Config>() -> T::AccountId {
	let who: T::AccountId = whitelisted_caller();
	let amount = T::Bonds::minimum_bond().saturating_mul(1000u32.into());
	let _ = T::Currency::set_balance(&who, amount);
	who
}

/// A valid program of at least `len` bytes: the hash chain agent padded with read-only data.
fn program_of_len(len: u32) -> Vec<u8> {
	let padding = alloc::format!("%ro_data_size = {len}\n");
	let source =
		examples::HASH_CHAIN_SRC.replacen("%isa = revive_v1\n", &alloc::format!("%isa = revive_v1\n{padding}"), 1);
	let mut src = source;
	if len > 0 {
		let hex: alloc::string::String = core::iter::repeat("ab").take(len as usize).collect();
		src = src.replacen("%ro_data_size", &alloc::format!("%ro_data = {hex}\n%ro_data_size"), 1);
	}
	examples::assemble_agent(&src).expect("padded hash chain assembles")
}

/// A counter agent owned by `owner`, with the minimum bond and no prepaid fees.
fn registered_counter<T: Config>(owner: &T::AccountId) -> AgentId {
	Pallet::<T>::do_register(
		owner.clone(),
		ProgramSource::Blob(BoundedVec::try_from(examples::counter()).expect("fits")),
		AgentPublic::from_raw([1; 32]),
		VerificationMode::Reexec,
		0,
		None,
		T::Bonds::minimum_bond(),
		Zero::zero(),
	)
	.expect("registers")
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// Registration with a new program blob of about `l` bytes (validation and storage).
	#[benchmark]
	fn register(l: Linear<0, 60_000>) {
		let owner = funded::<T>();
		let program = BoundedVec::try_from(program_of_len(l)).expect("below MaxProgramLen");
		let id = NextAgentId::<T>::get();
		#[extrinsic_call]
		_(
			RawOrigin::Signed(owner.clone()),
			ProgramSource::Blob(program),
			AgentPublic::from_raw([1; 32]),
			VerificationMode::Reexec,
			4,
			None,
			T::Bonds::minimum_bond(),
			T::Bonds::minimum_bond(),
		);
		assert_eq!(Agents::<T>::get(id).map(|a| a.owner), Some(owner));
	}

	/// Registration in `Ligerito` mode with a new program of about `l` bytes, at most the mode's
	/// limit, dense with code (the program table has a row per instruction): validation, the
	/// program table, storage.
	#[benchmark]
	fn register_ligerito(l: Linear<0, 4_096>) {
		let owner = funded::<T>();
		let program = examples::mirror_sized(l as usize);
		let program = BoundedVec::try_from(program).expect("below MaxProgramLen");
		let id = NextAgentId::<T>::get();
		#[extrinsic_call]
		register(
			RawOrigin::Signed(owner.clone()),
			ProgramSource::Blob(program),
			AgentPublic::from_raw([1; 32]),
			VerificationMode::Ligerito,
			4,
			None,
			T::Bonds::minimum_bond(),
			T::Bonds::minimum_bond(),
		);
		assert_eq!(Agents::<T>::get(id).map(|a| a.owner), Some(owner));
	}

	#[benchmark]
	fn update_key() {
		let owner = funded::<T>();
		let id = registered_counter::<T>(&owner);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, AgentPublic::from_raw([2; 32]));
		assert_eq!(Agents::<T>::get(id).map(|a| a.key), Some(AgentPublic::from_raw([2; 32])));
	}

	#[benchmark]
	fn retire() {
		let owner = funded::<T>();
		let id = registered_counter::<T>(&owner);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id);
		assert_eq!(Agents::<T>::get(id).map(|a| a.status), Some(AgentStatus::Retired));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}

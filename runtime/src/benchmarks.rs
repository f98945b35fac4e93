//! Runtime benchmarks: the pallets benchmarked, and the set-up the agent pallets' benchmarks ask
//! the runtime for (registered, bonded, funded agents and a key that signs in the runtime).
//!
//! Run with `frame-omni-bencher v1 benchmark pallet --runtime <the Wasm built with the
//! runtime-benchmarks feature> --pallet <name> --extrinsic "*"`.

use crate::{configs::MinimumBond, AccountId, AgentRegistry, Balances, UNIT};
use agentic_example_agents as examples;
use agentic_primitives::{AgentId, AgentPublic, AgentSignature, VerificationMode};
use alloc::vec::Vec;
use frame_support::{traits::fungible::Mutate, BoundedVec};
use sp_core::crypto::KeyTypeId;

frame_benchmarking::define_benchmarks!(
	[pallet_agent_registry, crate::AgentRegistry]
	[pallet_agent_staking, crate::AgentStaking]
	[pallet_agent_fees, crate::AgentFees]
	[pallet_time_oracle, crate::TimeOracle]
	[pallet_checkpoints, crate::Checkpoints]
	[pallet_agent_submissions, crate::AgentSubmissions]
);

/// The benchmark agents' signing key lives in the benchmark's keystore under this type.
const BENCH_KEY: KeyTypeId = KeyTypeId(*b"agbn");

/// The benchmark agents' key (created in the keystore on first use, the same every time).
fn bench_key() -> AgentPublic {
	sp_io::crypto::sr25519_generate(BENCH_KEY, Some(b"//agentic-benchmark".to_vec()))
}

fn fund(who: &AccountId) {
	let _ = Balances::set_balance(who, 1_000_000 * UNIT);
}

fn register(owner: AccountId, program: Vec<u8>, depth: u8, mode: VerificationMode) -> AgentId {
	AgentRegistry::do_register(
		owner,
		pallet_agent_registry::ProgramSource::Blob(BoundedVec::try_from(program).expect("example fits")),
		bench_key(),
		mode,
		depth,
		None,
		MinimumBond::get(),
		10_000 * UNIT,
	)
	.expect("benchmark agent registers")
}

/// Set-up for the agent pallets' benchmarks.
pub struct AgentBenchmarkHelper;

impl pallet_agent_staking::BenchmarkHelper<AccountId> for AgentBenchmarkHelper {
	fn create_agent(owner: &AccountId) -> AgentId {
		fund(owner);
		register(owner.clone(), examples::counter(), examples::depth::COUNTER, VerificationMode::Reexec)
	}
}

impl pallet_agent_fees::BenchmarkHelper<AccountId> for AgentBenchmarkHelper {
	fn create_agent(owner: &AccountId) -> AgentId {
		fund(owner);
		register(owner.clone(), examples::counter(), examples::depth::COUNTER, VerificationMode::Reexec)
	}
}

impl pallet_agent_submissions::BenchmarkHelper for AgentBenchmarkHelper {
	fn register_agent(program: Vec<u8>, depth: u8, mode: VerificationMode) -> AgentId {
		let owner = AccountId::new([7; 32]);
		fund(&owner);
		register(owner, program, depth, mode)
	}

	fn sign(payload: &[u8; 32]) -> AgentSignature {
		sp_io::crypto::sr25519_sign(BENCH_KEY, &bench_key(), payload).expect("the benchmark key is in the keystore")
	}
}

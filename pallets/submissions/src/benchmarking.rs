//! Benchmarks for submissions (benchmarks v2; they also run as tests).
//!
//! The workload is the hash chain example agent: `k` thousand steps of ARX rounds, and `e`
//! inputs of 1 KiB each, so that evidence size and the number of invocations grow together
//! (one invocation per KiB is the most expensive way to spend evidence bytes), with its program
//! grown to `p` KiB by unreachable code (loading and reading the program is paid per KiB).
//!
//! The `Ligerito` mode's benchmarks check real validity proofs, which the runtime cannot make
//! (the prover needs `std`): checked-in fixtures ([`crate::fixtures`]), one at every one of the
//! mode's limits, one of a long run of a small program, both stacking values at their bound.

use super::*;
use agentic_example_agents as examples;
use agentic_primitives::{state::StateTree, Input, Inputs, VerificationMode};
use agentic_verifier::{program::Program, reexec::build_evidence};
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::traits::Authorize;
use frame_system::RawOrigin;

/// Steps of one hash chain round (measured by the verifier tests: between 10 and 20).
const STEPS_PER_ROUND: u32 = 15;

fn signed_submission<T: Config>(k: u32, e: u32, p: u32) -> (AgentId, SignedSubmission) {
	let program = examples::hash_chain_sized(p as usize * 1024);
	let agent =
		T::BenchmarkHelper::register_agent(program.clone(), examples::depth::HASH_CHAIN, VerificationMode::Reexec);
	let rounds = u64::from(k) * 1000 / u64::from(STEPS_PER_ROUND);
	let inputs: Vec<Input> = (0..e.max(1))
		.map(|i| {
			let mut bytes = alloc::vec![0u8; 1024];
			if i == 0 {
				bytes[..8].copy_from_slice(&rounds.to_le_bytes());
			}
			Input::truncate_from(bytes)
		})
		.collect();
	let inputs = Inputs::truncate_from(inputs);
	let state = StateTree::new(examples::depth::HASH_CHAIN).expect("small depth");
	let loaded = Program::load(&program).expect("example loads");
	let exec = build_evidence(&loaded, &state, inputs, None, T::MaxSteps::get()).expect("runs within MaxSteps");
	assert!(exec.result.steps >= u64::from(k) * 900, "the workload runs about k thousand steps");
	let submission = exec.submission(agent, 0, None);
	let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
	let signature = T::BenchmarkHelper::sign(&submission.signing_payload(&genesis));
	(agent, SignedSubmission { submission, signature })
}

/// A checked-in `Ligerito` submission (`fixture`) for a newly registered agent, signed; with
/// its proof's last byte changed if `tampered`.
fn signed_ligerito<T: Config>(
	fixture: fn() -> (Vec<u8>, u8, agentic_primitives::Submission),
	tampered: bool,
) -> (AgentId, SignedSubmission) {
	let (program, depth, mut submission) = fixture();
	let agent = T::BenchmarkHelper::register_agent(program, depth, VerificationMode::Ligerito);
	submission.agent = agent;
	if let (true, Evidence::Ligerito(evidence)) = (tampered, &mut submission.evidence) {
		let last = evidence.proof.len().saturating_sub(1);
		if let Some(byte) = evidence.proof.get_mut(last) {
			*byte ^= 1;
		}
	}
	let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
	let signature = T::BenchmarkHelper::sign(&submission.signing_payload(&genesis));
	(agent, SignedSubmission { submission, signature })
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// Stage 2: re-execution of `k` thousand steps over `e` KiB of inputs, fee, root update.
	#[benchmark]
	fn submit(k: Linear<0, 1_000>, e: Linear<1, 64>, p: Linear<1, 256>) {
		let (agent, signed) = signed_submission::<T>(k, e, p);
		#[extrinsic_call]
		_(RawOrigin::Authorized, Box::new(signed));
		assert_eq!(T::Agents::agent(agent).map(|a| a.version), Some(1));
	}

	/// Stage 2 in the `Ligerito` mode: a real validity proof of a run at every one of the mode's
	/// limits checked, fee, root update.
	#[benchmark]
	fn submit_ligerito() {
		let (agent, signed) = signed_ligerito::<T>(crate::fixtures::ligerito_limits, false);
		#[extrinsic_call]
		submit(RawOrigin::Authorized, Box::new(signed));
		assert_eq!(T::Agents::agent(agent).map(|a| a.version), Some(1));
	}

	/// The same submission with its proof's last byte changed (a Merkle sibling of the trace
	/// opening's last level), which only that level's Merkle check refuses: verified up to its
	/// column checks, rejected, nonce consumed, fee charged, bond slashed.
	#[benchmark]
	fn submit_ligerito_rejected() {
		let (agent, signed) = signed_ligerito::<T>(crate::fixtures::ligerito_limits, true);
		#[extrinsic_call]
		submit(RawOrigin::Authorized, Box::new(signed));
		assert_eq!(T::Agents::agent(agent).map(|a| (a.version, a.nonce)), Some((0, 1)));
	}

	/// Stage 2 in the `Ligerito` mode for a long run of a small program, whose opening stacks
	/// values at their bound: its bytes go to the tall trace tables rather than the public ones.
	#[benchmark]
	fn submit_ligerito_long_run() {
		let (agent, signed) = signed_ligerito::<T>(crate::fixtures::ligerito_long_run, false);
		#[extrinsic_call]
		submit(RawOrigin::Authorized, Box::new(signed));
		assert_eq!(T::Agents::agent(agent).map(|a| a.version), Some(1));
	}

	/// Stage 1: the pool checks, dominated by hashing the payload and one sr25519 verification.
	#[benchmark]
	fn authorize_submit(e: Linear<1, 64>) -> Result<(), BenchmarkError> {
		let (_, signed) = signed_submission::<T>(0, e, 1);
		let call = Call::<T>::submit { signed: Box::new(signed) };
		#[block]
		{
			call.authorize(TransactionSource::External).ok_or("submit is authorized")?.map_err(|_| "valid")?;
		}
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}

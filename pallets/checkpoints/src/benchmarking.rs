//! Benchmarks for the checkpoint fold (benchmarks v2; they also run as tests).

use super::*;
use frame_benchmarking::v2::*;

#[benchmarks]
mod benchmarks {
	use super::*;

	/// Folding `k` changed agents, spread over the id space so that their paths share little.
	#[benchmark]
	fn on_finalize(k: Linear<0, 1_000>) {
		for i in 0..k {
			let agent = i.wrapping_mul(2_654_435_761);
			<Pallet<T> as OnAgentTransition>::on_transition(agent, H256::repeat_byte(i as u8), 1);
		}
		let n = frame_system::Pallet::<T>::block_number();
		#[block]
		{
			<Pallet<T> as Hooks<BlockNumberFor<T>>>::on_finalize(n);
		}
		assert_eq!(Pending::<T>::iter().count(), 0);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}

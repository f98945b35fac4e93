//! Unit tests of the time oracle.

use crate::{mock::*, pallet::lower_median, Authorities, Error, Event, History, Now, Report, Reports};
use agentic_primitives::traits::ConsensusTime;
use frame_support::{
	assert_noop, assert_ok,
	traits::{Get, Hooks, OnInitialize},
	weights::Weight,
	BoundedVec,
};
use sp_runtime::DispatchError;

type Oracle = crate::Pallet<Test>;

/// Finalizes the current block and initializes the next one.
fn next_block() {
	System::run_to_block::<AllPalletsWithSystem>(System::block_number() + 1);
}

fn report(who: u64, moment: u64) -> sp_runtime::DispatchResult {
	TimeOracle::report_time(RuntimeOrigin::signed(who), moment)
}

fn authorities(accounts: Vec<u64>) -> BoundedVec<u64, <Test as crate::Config>::MaxAuthorities> {
	BoundedVec::try_from(accounts).unwrap()
}

#[test]
fn genesis_sets_authorities() {
	new_test_ext().execute_with(|| {
		assert_eq!(Authorities::<Test>::get().into_inner(), vec![1, 2, 3, 4]);
		assert_eq!(Now::<Test>::get(), None);
	});
}

#[test]
fn report_time_works() {
	new_test_ext().execute_with(|| {
		assert_ok!(report(1, START + 5));
		assert_eq!(Reports::<Test>::get(1), Some(Report { moment: START + 5, at: 1 }));
		System::assert_last_event(Event::TimeReported { who: 1, moment: START + 5 }.into());
		// Reports take effect only at the end of the block.
		assert_eq!(Now::<Test>::get(), None);
		next_block();
		assert_eq!(Now::<Test>::get(), Some(START + 5));
	});
}

#[test]
fn report_time_requires_signed_origin() {
	new_test_ext().execute_with(|| {
		assert_noop!(TimeOracle::report_time(RuntimeOrigin::root(), START), DispatchError::BadOrigin);
		assert_noop!(TimeOracle::report_time(RuntimeOrigin::none(), START), DispatchError::BadOrigin);
	});
}

#[test]
fn report_time_rejects_non_authority() {
	new_test_ext().execute_with(|| {
		assert_noop!(report(5, START), Error::<Test>::NotAuthority);
		assert_eq!(Reports::<Test>::get(5), None);
	});
}

#[test]
fn report_time_once_per_block() {
	new_test_ext().execute_with(|| {
		assert_ok!(report(1, START));
		assert_noop!(report(1, START + 1), Error::<Test>::AlreadyReported);
		// Another authority may still report in this block.
		assert_ok!(report(2, START + 1));

		next_block();
		MockTime::set(START + 6_000);
		assert_ok!(report(1, START + 6_000));
		assert_eq!(Reports::<Test>::get(1), Some(Report { moment: START + 6_000, at: 2 }));
		System::assert_last_event(Event::TimeReported { who: 1, moment: START + 6_000 }.into());
	});
}

#[test]
fn report_time_rejects_out_of_bounds() {
	new_test_ext().execute_with(|| {
		assert_noop!(report(1, START + MAX_DRIFT + 1), Error::<Test>::OutOfBounds);
		assert_noop!(report(1, START - MAX_DRIFT - 1), Error::<Test>::OutOfBounds);
		assert_noop!(report(1, 0), Error::<Test>::OutOfBounds);
		assert_noop!(report(1, u64::MAX), Error::<Test>::OutOfBounds);
		// The bound itself is allowed, on both sides.
		assert_ok!(report(1, START + MAX_DRIFT));
		assert_ok!(report(2, START - MAX_DRIFT));
	});
}

#[test]
fn bounds_follow_the_local_clock() {
	new_test_ext().execute_with(|| {
		MockTime::set(START + 60_000);
		assert_noop!(report(1, START), Error::<Test>::OutOfBounds);
		assert_ok!(report(1, START + 60_000 - MAX_DRIFT));
	});
}

/// Runs one block in which `reports[i]` is reported by authority `i + 1`; returns the consensus
/// time after it.
fn consensus_of(reports: &[u64]) -> Option<u64> {
	let mut result = None;
	new_test_ext().execute_with(|| {
		for (i, moment) in reports.iter().enumerate() {
			assert_ok!(report(i as u64 + 1, *moment));
		}
		next_block();
		result = Now::<Test>::get();
	});
	result
}

#[test]
fn consensus_is_the_lower_median() {
	// The outlier sits at the edge of the allowed window; the honest clocks are near START.
	let wild = START + MAX_DRIFT;
	// One report: it is the consensus time, whatever it is.
	assert_eq!(consensus_of(&[wild]), Some(wild));
	// Two: the lower one.
	assert_eq!(consensus_of(&[wild, START]), Some(START));
	// Three (one faulty of 2f + 1 = 3): the middle one, within the honest range.
	assert_eq!(consensus_of(&[wild, START - 10, START + 10]), Some(START + 10));
	// Four: the lower of the two middle ones.
	assert_eq!(consensus_of(&[wild, START - 10, START, START + 10]), Some(START));
	// A low outlier cannot pull it down either.
	assert_eq!(consensus_of(&[START - MAX_DRIFT, START - 10, START + 10]), Some(START - 10));
}

#[test]
fn no_reports_no_consensus() {
	new_test_ext().execute_with(|| {
		next_block();
		next_block();
		assert_eq!(Now::<Test>::get(), None);
		assert_eq!(History::<Test>::iter().count(), 0);
		assert_eq!(<Oracle as ConsensusTime>::now(), None);
	});
}

#[test]
fn stale_reports_are_ignored() {
	new_test_ext().execute_with(|| {
		// Block 1: three authorities agree on START.
		for who in 1..=3 {
			assert_ok!(report(who, START));
		}
		next_block();
		assert_eq!(Now::<Test>::get(), Some(START));

		// Block 1 + REPORT_VALIDITY: the block-1 reports still count and outvote the fourth.
		System::run_to_block::<AllPalletsWithSystem>(1 + REPORT_VALIDITY);
		MockTime::set(START + 10_000);
		assert_ok!(report(4, START + 10_000));
		next_block();
		assert_eq!(Now::<Test>::get(), Some(START));

		// One block later they are stale: only the fourth report counts.
		assert_eq!(System::block_number(), 2 + REPORT_VALIDITY);
		next_block();
		assert_eq!(Now::<Test>::get(), Some(START + 10_000));
	});
}

#[test]
fn consensus_stays_without_fresh_reports() {
	new_test_ext().execute_with(|| {
		assert_ok!(report(1, START));
		System::run_to_block::<AllPalletsWithSystem>(10);
		assert_eq!(Now::<Test>::get(), Some(START));
		assert_eq!(History::<Test>::get(9), Some(START));
	});
}

#[test]
fn consensus_never_decreases() {
	new_test_ext().execute_with(|| {
		assert_ok!(report(1, START + 1_000));
		assert_ok!(report(2, START + 1_000));
		next_block();
		assert_eq!(Now::<Test>::get(), Some(START + 1_000));

		// The clocks go back (and the local clock with them): the candidate is lower.
		MockTime::set(START - 1_000);
		for who in 1..=4 {
			assert_ok!(report(who, START - 1_000));
		}
		next_block();
		assert_eq!(Now::<Test>::get(), Some(START + 1_000));
		assert_eq!(History::<Test>::get(2), Some(START + 1_000));

		// It moves on as soon as the median passes it.
		MockTime::set(START + 2_000);
		for who in 1..=4 {
			assert_ok!(report(who, START + 2_000));
		}
		next_block();
		assert_eq!(Now::<Test>::get(), Some(START + 2_000));
	});
}

#[test]
fn history_is_recorded_and_pruned() {
	new_test_ext().execute_with(|| {
		// Nothing is recorded before the first consensus time.
		next_block();
		assert_eq!(History::<Test>::get(1), None);

		// Block 2 onwards: one report per block, a second later each time.
		for block in 2..=12u64 {
			assert_eq!(System::block_number(), block);
			let moment = START + block * 1_000;
			MockTime::set(moment);
			assert_ok!(report(1, moment));
			next_block();
			assert_eq!(History::<Test>::get(block as u32), Some(moment));
		}

		// Finalized up to 12: the last HISTORY_DEPTH blocks remain.
		let kept: Vec<u32> = (12 - HISTORY_DEPTH + 1..=12).collect();
		let mut recorded: Vec<u32> = History::<Test>::iter_keys().collect();
		recorded.sort();
		assert_eq!(recorded, kept);
		assert_eq!(History::<Test>::get(12 - HISTORY_DEPTH), None);
		for block in kept {
			assert_eq!(History::<Test>::get(block), Some(START + block as u64 * 1_000));
		}
	});
}

#[test]
fn consensus_time_trait_and_public_fns() {
	new_test_ext().execute_with(|| {
		assert_eq!(<Oracle as ConsensusTime>::now(), None);
		assert_eq!(<Oracle as ConsensusTime>::at(1), None);

		assert_ok!(report(1, START));
		next_block();
		MockTime::set(START + 6_000);
		assert_ok!(report(1, START + 6_000));
		next_block();

		assert_eq!(<Oracle as ConsensusTime>::now(), Some(START + 6_000));
		assert_eq!(<Oracle as ConsensusTime>::at(1), Some(START));
		assert_eq!(<Oracle as ConsensusTime>::at(2), Some(START + 6_000));
		// The current block is not finalized yet.
		assert_eq!(<Oracle as ConsensusTime>::at(3), None);

		assert_eq!(Oracle::consensus_time(), Some(START + 6_000));
		assert_eq!(Oracle::time_at(1), Some(START));
		assert_eq!(Oracle::time_at(3), None);
	});
}

#[test]
fn set_authorities_works() {
	new_test_ext().execute_with(|| {
		assert_ok!(TimeOracle::set_authorities(RuntimeOrigin::root(), authorities(vec![5, 6])));
		assert_eq!(Authorities::<Test>::get().into_inner(), vec![5, 6]);
		System::assert_last_event(Event::AuthoritiesSet { count: 2 }.into());

		assert_ok!(report(5, START));
		assert_noop!(report(1, START), Error::<Test>::NotAuthority);
	});
}

#[test]
fn set_authorities_requires_authority_origin() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			TimeOracle::set_authorities(RuntimeOrigin::signed(1), authorities(vec![5])),
			DispatchError::BadOrigin
		);
		assert_noop!(
			TimeOracle::set_authorities(RuntimeOrigin::none(), authorities(vec![5])),
			DispatchError::BadOrigin
		);
		assert_eq!(Authorities::<Test>::get().into_inner(), vec![1, 2, 3, 4]);
	});
}

#[test]
fn set_authorities_refuses_duplicates() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			TimeOracle::set_authorities(RuntimeOrigin::root(), authorities(vec![5, 6, 5])),
			Error::<Test>::DuplicateAuthority
		);
		assert_eq!(Authorities::<Test>::get().into_inner(), vec![1, 2, 3, 4]);
	});
}

#[test]
fn set_authorities_accepts_empty_set() {
	new_test_ext().execute_with(|| {
		assert_ok!(report(1, START));
		assert_ok!(TimeOracle::set_authorities(RuntimeOrigin::root(), authorities(vec![])));
		System::assert_last_event(Event::AuthoritiesSet { count: 0 }.into());
		next_block();
		assert_eq!(Now::<Test>::get(), None);
	});
}

#[test]
fn reports_of_removed_authorities_are_ignored() {
	new_test_ext().execute_with(|| {
		assert_ok!(report(1, START - 1_000));
		assert_ok!(report(2, START + 1_000));
		assert_ok!(TimeOracle::set_authorities(RuntimeOrigin::root(), authorities(vec![2, 3, 4])));
		// The leaving authority's report is gone; those who stay keep theirs.
		assert_eq!(Reports::<Test>::get(1), None);
		assert_eq!(Reports::<Test>::get(2), Some(Report { moment: START + 1_000, at: 1 }));
		next_block();
		// With account 1's report the lower median would be START - 1_000.
		assert_eq!(Now::<Test>::get(), Some(START + 1_000));
	});
}

#[test]
fn reports_of_non_authorities_in_storage_are_ignored() {
	new_test_ext().execute_with(|| {
		Reports::<Test>::insert(9, Report { moment: START - 1_000, at: 1 });
		assert_ok!(report(1, START));
		next_block();
		assert_eq!(Now::<Test>::get(), Some(START));
	});
}

#[test]
fn on_initialize_accounts_for_on_finalize() {
	new_test_ext().execute_with(|| {
		use crate::WeightInfo;
		let db: frame_support::weights::RuntimeDbWeight = <Test as frame_system::Config>::DbWeight::get();
		let expected = db.reads(1).saturating_add(<() as WeightInfo>::on_finalize(4));
		assert_eq!(<TimeOracle as OnInitialize<u64>>::on_initialize(2), expected);
		assert_ok!(TimeOracle::set_authorities(RuntimeOrigin::root(), authorities(vec![7])));
		let expected = db.reads(1).saturating_add(<() as WeightInfo>::on_finalize(1));
		assert_eq!(<TimeOracle as Hooks<u64>>::on_initialize(2), expected);
		assert!(expected.any_gt(Weight::zero()));
	});
}

#[test]
fn lower_median_picks_index_len_minus_one_over_two() {
	assert_eq!(lower_median(&mut []), None);
	assert_eq!(lower_median(&mut [7]), Some(7));
	assert_eq!(lower_median(&mut [9, 3]), Some(3));
	assert_eq!(lower_median(&mut [9, 3, 5]), Some(5));
	assert_eq!(lower_median(&mut [9, 3, 5, 1]), Some(3));
	assert_eq!(lower_median(&mut [9, 3, 5, 1, 100]), Some(5));
}

#[test]
#[should_panic(expected = "genesis: duplicate authority")]
fn genesis_refuses_duplicates() {
	use sp_runtime::BuildStorage;
	let _ = crate::GenesisConfig::<Test> { authorities: vec![1, 1] }.build_storage();
}

#[test]
fn integrity_test_passes() {
	new_test_ext().execute_with(|| {
		<TimeOracle as Hooks<u64>>::integrity_test();
	});
}

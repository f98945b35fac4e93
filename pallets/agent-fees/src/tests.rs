//! Tests of the pallet against the mock runtime.

use crate::{mock::*, Error, Event, HoldReason, Prepaid};
use agentic_primitives::{traits::AgentFees as AgentFeesT, FeeParams};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
};
use sp_runtime::{DispatchError, TokenError};

/// Funds `who` holds for prepaid fees.
fn held(who: u64) -> u64 {
	Balances::balance_on_hold(&RuntimeHoldReason::Fees(HoldReason::PrepaidFees), &who)
}

fn free(who: u64) -> u64 {
	Balances::balance(&who)
}

fn charge(agent: u32, fee: u64) -> sp_runtime::DispatchResult {
	<Fees as AgentFeesT<u64, u64>>::charge(agent, fee)
}

fn prepaid(agent: u32) -> u64 {
	<Fees as AgentFeesT<u64, u64>>::prepaid(agent)
}

// --- genesis and parameters ---

#[test]
fn genesis_sets_params() {
	run_test(|| {
		assert_eq!(Fees::fee_params(), GENESIS_PARAMS);
	});
}

#[test]
fn genesis_config_serde_round_trip() {
	use frame_support::__private::serde_json;
	let config = crate::GenesisConfig::<Test> { params: FeeParams { base: 1, per_step: 2, per_kib: 3 } };
	let json = serde_json::to_string(&config).unwrap();
	assert_eq!(json, r#"{"params":{"base":1,"perStep":2,"perKib":3}}"#);
	let back: crate::GenesisConfig<Test> = serde_json::from_str(&json).unwrap();
	assert_eq!(back.params, config.params);
	assert!(serde_json::from_str::<crate::GenesisConfig<Test>>(r#"{"params":{"base":1,"perStep":2}}"#).is_err());
}

#[test]
fn set_fee_params_works() {
	run_test(|| {
		let params = FeeParams { base: 7, per_step: 0, per_kib: 100 };
		assert_ok!(Fees::set_fee_params(RuntimeOrigin::root(), params));
		assert_eq!(Fees::fee_params(), params);
		assert_eq!(crate::Params::<Test>::get(), params);
		System::assert_last_event(Event::<Test>::FeeParamsSet { params }.into());
	});
}

#[test]
fn set_fee_params_requires_fee_origin() {
	run_test(|| {
		let params = FeeParams { base: 7, per_step: 0, per_kib: 100 };
		assert_noop!(Fees::set_fee_params(RuntimeOrigin::signed(ALICE), params), DispatchError::BadOrigin);
		assert_noop!(Fees::set_fee_params(RuntimeOrigin::none(), params), DispatchError::BadOrigin);
		assert_eq!(Fees::fee_params(), GENESIS_PARAMS);
	});
}

#[test]
fn quote_follows_the_formula_and_the_params() {
	run_test(|| {
		// GENESIS_PARAMS: base 10, per_step 2, per_kib 5.
		assert_eq!(Fees::quote_fee(0, 0), 10);
		assert_eq!(Fees::quote_fee(100, 0), 10 + 2 * 100);
		// Started KiB are charged in full.
		assert_eq!(Fees::quote_fee(0, 1), 10 + 5);
		assert_eq!(Fees::quote_fee(0, 1024), 10 + 5);
		assert_eq!(Fees::quote_fee(3, 2049), 10 + 2 * 3 + 5 * 3);
		assert_eq!(<Fees as AgentFeesT<u64, u64>>::quote(3, 2049), Fees::quote_fee(3, 2049));
		// Saturates instead of overflowing.
		assert_eq!(Fees::quote_fee(u64::MAX, u32::MAX), u64::MAX);

		let params = FeeParams { base: 1, per_step: 3, per_kib: 1_000 };
		assert_ok!(Fees::set_fee_params(RuntimeOrigin::root(), params));
		assert_eq!(Fees::quote_fee(10, 5_000), 1 + 30 + 5_000);
		assert_eq!(<Fees as AgentFeesT<u64, u64>>::quote(10, 5_000), 1 + 30 + 5_000);

		assert_ok!(Fees::set_fee_params(RuntimeOrigin::root(), FeeParams::default()));
		assert_eq!(Fees::quote_fee(1_000_000, 1_000_000), 0);
	});
}

// --- top_up ---

#[test]
fn top_up_works() {
	run_test(|| {
		let issuance = Balances::total_issuance();
		assert_ok!(Fees::top_up(RuntimeOrigin::signed(ALICE), ALICE_AGENT, 100));
		assert_eq!(prepaid(ALICE_AGENT), 100);
		assert_eq!(held(ALICE), 100);
		assert_eq!(free(ALICE), INITIAL_BALANCE - 100);
		System::assert_has_event(
			pallet_balances::Event::<Test>::Held {
				reason: RuntimeHoldReason::Fees(HoldReason::PrepaidFees),
				who: ALICE,
				amount: 100,
			}
			.into(),
		);
		System::assert_last_event(Event::<Test>::ToppedUp { agent: ALICE_AGENT, amount: 100 }.into());

		// Top-ups add up.
		assert_ok!(Fees::top_up(RuntimeOrigin::signed(ALICE), ALICE_AGENT, 50));
		assert_eq!(prepaid(ALICE_AGENT), 150);
		assert_eq!(held(ALICE), 150);
		assert_eq!(free(ALICE), INITIAL_BALANCE - 150);
		System::assert_last_event(Event::<Test>::ToppedUp { agent: ALICE_AGENT, amount: 50 }.into());

		// Nothing is minted or burnt, and other agents are untouched.
		assert_eq!(Balances::total_issuance(), issuance);
		assert_eq!(prepaid(BOB_AGENT), 0);
	});
}

#[test]
fn one_owner_one_hold_separate_balances() {
	run_test(|| {
		let second = MockAgents::add(ALICE);
		assert_ok!(Fees::top_up(RuntimeOrigin::signed(ALICE), ALICE_AGENT, 100));
		assert_ok!(Fees::top_up(RuntimeOrigin::signed(ALICE), second, 30));
		assert_eq!(prepaid(ALICE_AGENT), 100);
		assert_eq!(prepaid(second), 30);
		assert_eq!(held(ALICE), 130);

		// The shared hold does not let one agent spend the other's balance.
		assert_noop!(Fees::withdraw(RuntimeOrigin::signed(ALICE), second, 31), Error::<Test>::InsufficientPrepaid);
		assert_noop!(charge(second, 31), Error::<Test>::InsufficientPrepaid);

		assert_ok!(charge(second, 30));
		assert_eq!(prepaid(second), 0);
		assert_eq!(prepaid(ALICE_AGENT), 100);
		assert_eq!(held(ALICE), 100);
	});
}

#[test]
fn top_up_fails_for_non_owner() {
	run_test(|| {
		assert_noop!(Fees::top_up(RuntimeOrigin::signed(BOB), ALICE_AGENT, 100), Error::<Test>::NotOwner);
		assert_noop!(Fees::top_up(RuntimeOrigin::signed(CHARLIE), ALICE_AGENT, 100), Error::<Test>::NotOwner);
	});
}

#[test]
fn top_up_fails_for_unknown_agent() {
	run_test(|| {
		assert_noop!(Fees::top_up(RuntimeOrigin::signed(ALICE), UNKNOWN_AGENT, 100), Error::<Test>::UnknownAgent);
	});
}

#[test]
fn top_up_fails_for_zero() {
	run_test(|| {
		assert_noop!(Fees::top_up(RuntimeOrigin::signed(ALICE), ALICE_AGENT, 0), Error::<Test>::ZeroAmount);
	});
}

#[test]
fn top_up_fails_unsigned() {
	run_test(|| {
		assert_noop!(Fees::top_up(RuntimeOrigin::none(), ALICE_AGENT, 100), DispatchError::BadOrigin);
		assert_noop!(Fees::top_up(RuntimeOrigin::root(), ALICE_AGENT, 100), DispatchError::BadOrigin);
	});
}

#[test]
fn top_up_fails_beyond_free_balance() {
	run_test(|| {
		assert_noop!(
			Fees::top_up(RuntimeOrigin::signed(ALICE), ALICE_AGENT, INITIAL_BALANCE + 1),
			TokenError::FundsUnavailable
		);
		// The existential deposit cannot be held.
		assert_noop!(
			Fees::top_up(RuntimeOrigin::signed(ALICE), ALICE_AGENT, INITIAL_BALANCE),
			TokenError::FundsUnavailable
		);
		assert_ok!(Fees::top_up(RuntimeOrigin::signed(ALICE), ALICE_AGENT, INITIAL_BALANCE - 1));
		assert_eq!(free(ALICE), 1);
		assert_eq!(prepaid(ALICE_AGENT), INITIAL_BALANCE - 1);
	});
}

#[test]
fn trait_top_up_works() {
	run_test(|| {
		assert_ok!(<Fees as AgentFeesT<u64, u64>>::top_up(&ALICE, ALICE_AGENT, 60));
		assert_eq!(prepaid(ALICE_AGENT), 60);
		assert_eq!(held(ALICE), 60);
		assert_eq!(free(ALICE), INITIAL_BALANCE - 60);
		System::assert_last_event(Event::<Test>::ToppedUp { agent: ALICE_AGENT, amount: 60 }.into());

		assert_noop!(<Fees as AgentFeesT<u64, u64>>::top_up(&ALICE, ALICE_AGENT, 0), Error::<Test>::ZeroAmount);
		assert_noop!(
			<Fees as AgentFeesT<u64, u64>>::top_up(&ALICE, ALICE_AGENT, INITIAL_BALANCE),
			TokenError::FundsUnavailable
		);
	});
}

// --- withdraw ---

#[test]
fn withdraw_works() {
	run_test(|| {
		assert_ok!(Fees::top_up(RuntimeOrigin::signed(ALICE), ALICE_AGENT, 100));

		assert_ok!(Fees::withdraw(RuntimeOrigin::signed(ALICE), ALICE_AGENT, 40));
		assert_eq!(prepaid(ALICE_AGENT), 60);
		assert_eq!(held(ALICE), 60);
		assert_eq!(free(ALICE), INITIAL_BALANCE - 60);
		System::assert_last_event(Event::<Test>::Withdrawn { agent: ALICE_AGENT, amount: 40 }.into());

		// Withdrawing everything removes the entry and the hold.
		assert_ok!(Fees::withdraw(RuntimeOrigin::signed(ALICE), ALICE_AGENT, 60));
		assert!(!Prepaid::<Test>::contains_key(ALICE_AGENT));
		assert_eq!(held(ALICE), 0);
		assert_eq!(free(ALICE), INITIAL_BALANCE);
		System::assert_last_event(Event::<Test>::Withdrawn { agent: ALICE_AGENT, amount: 60 }.into());
	});
}

#[test]
fn withdraw_fails_beyond_prepaid() {
	run_test(|| {
		assert_noop!(Fees::withdraw(RuntimeOrigin::signed(ALICE), ALICE_AGENT, 1), Error::<Test>::InsufficientPrepaid);
		assert_ok!(Fees::top_up(RuntimeOrigin::signed(ALICE), ALICE_AGENT, 100));
		assert_noop!(
			Fees::withdraw(RuntimeOrigin::signed(ALICE), ALICE_AGENT, 101),
			Error::<Test>::InsufficientPrepaid
		);
	});
}

#[test]
fn withdraw_fails_for_non_owner() {
	run_test(|| {
		assert_ok!(Fees::top_up(RuntimeOrigin::signed(ALICE), ALICE_AGENT, 100));
		assert_noop!(Fees::withdraw(RuntimeOrigin::signed(BOB), ALICE_AGENT, 10), Error::<Test>::NotOwner);
		assert_noop!(Fees::withdraw(RuntimeOrigin::none(), ALICE_AGENT, 10), DispatchError::BadOrigin);
	});
}

#[test]
fn withdraw_fails_for_unknown_agent() {
	run_test(|| {
		assert_noop!(Fees::withdraw(RuntimeOrigin::signed(ALICE), UNKNOWN_AGENT, 10), Error::<Test>::UnknownAgent);
	});
}

#[test]
fn withdraw_fails_for_zero() {
	run_test(|| {
		assert_ok!(Fees::top_up(RuntimeOrigin::signed(ALICE), ALICE_AGENT, 100));
		assert_noop!(Fees::withdraw(RuntimeOrigin::signed(ALICE), ALICE_AGENT, 0), Error::<Test>::ZeroAmount);
	});
}

// --- charge ---

#[test]
fn charge_works() {
	run_test(|| {
		assert_ok!(Fees::top_up(RuntimeOrigin::signed(ALICE), ALICE_AGENT, 100));
		let issuance = Balances::total_issuance();

		assert_ok!(charge(ALICE_AGENT, 30));
		assert_eq!(prepaid(ALICE_AGENT), 70);
		assert_eq!(held(ALICE), 70);
		assert_eq!(free(ALICE), INITIAL_BALANCE - 100);
		assert_eq!(free(COLLECTOR), 1 + 30);
		// The fee moved to the collector: nothing was burnt.
		assert_eq!(Balances::total_issuance(), issuance);
		System::assert_last_event(Event::<Test>::FeeCharged { agent: ALICE_AGENT, fee: 30 }.into());

		// Charging the whole balance empties it.
		assert_ok!(charge(ALICE_AGENT, 70));
		assert!(!Prepaid::<Test>::contains_key(ALICE_AGENT));
		assert_eq!(held(ALICE), 0);
		assert_eq!(free(COLLECTOR), 1 + 100);
		System::assert_last_event(Event::<Test>::FeeCharged { agent: ALICE_AGENT, fee: 70 }.into());
	});
}

#[test]
fn charge_fails_when_short_and_charges_nothing() {
	run_test(|| {
		assert_noop!(charge(ALICE_AGENT, 1), Error::<Test>::InsufficientPrepaid);

		assert_ok!(Fees::top_up(RuntimeOrigin::signed(ALICE), ALICE_AGENT, 100));
		// Bob's funds held for his agent do not cover Alice's.
		assert_ok!(Fees::top_up(RuntimeOrigin::signed(BOB), BOB_AGENT, 500));
		System::reset_events();

		assert_noop!(charge(ALICE_AGENT, 101), Error::<Test>::InsufficientPrepaid);
		assert_eq!(prepaid(ALICE_AGENT), 100);
		assert_eq!(held(ALICE), 100);
		assert_eq!(free(COLLECTOR), 1);
		assert!(System::events().is_empty());
	});
}

#[test]
fn charge_of_zero_does_nothing() {
	run_test(|| {
		assert_ok!(Fees::top_up(RuntimeOrigin::signed(ALICE), ALICE_AGENT, 100));
		System::reset_events();
		let root = sp_io::storage::root(sp_runtime::StateVersion::V1);

		assert_ok!(charge(ALICE_AGENT, 0));
		// Not even an empty balance or an unknown agent fails a zero charge.
		assert_ok!(charge(BOB_AGENT, 0));
		assert_ok!(charge(UNKNOWN_AGENT, 0));

		assert_eq!(sp_io::storage::root(sp_runtime::StateVersion::V1), root);
		assert!(System::events().is_empty());
		assert_eq!(prepaid(ALICE_AGENT), 100);
		assert_eq!(free(COLLECTOR), 1);
	});
}

#[test]
fn charge_fails_for_unknown_agent() {
	// Not `run_test`: the agent vanishing from the directory breaks the invariant on purpose.
	new_test_ext().execute_with(|| {
		assert_ok!(Fees::top_up(RuntimeOrigin::signed(ALICE), ALICE_AGENT, 100));
		MockAgents::remove(ALICE_AGENT);
		assert_noop!(charge(ALICE_AGENT, 10), Error::<Test>::UnknownAgent);
		assert_noop!(Fees::withdraw(RuntimeOrigin::signed(ALICE), ALICE_AGENT, 10), Error::<Test>::UnknownAgent);
	});
}

#[test]
fn try_state_detects_a_broken_invariant() {
	new_test_ext().execute_with(|| {
		assert_ok!(Fees::top_up(RuntimeOrigin::signed(ALICE), ALICE_AGENT, 100));
		assert_ok!(Fees::do_try_state());
		Prepaid::<Test>::insert(ALICE_AGENT, 99);
		assert!(Fees::do_try_state().is_err());
		Prepaid::<Test>::insert(ALICE_AGENT, 100);
		assert_ok!(Fees::do_try_state());
		// Zero balances must not be stored.
		Prepaid::<Test>::insert(BOB_AGENT, 0);
		assert!(Fees::do_try_state().is_err());
	});
}

#[test]
fn trait_top_up_refuses_an_account_that_does_not_own_the_agent() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			<Fees as agentic_primitives::traits::AgentFees<u64, u64>>::top_up(&BOB, ALICE_AGENT, 100),
			Error::<Test>::NotOwner
		);
		assert_ok!(<Fees as agentic_primitives::traits::AgentFees<u64, u64>>::top_up(&ALICE, ALICE_AGENT, 100));
	});
}

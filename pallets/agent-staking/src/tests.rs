//! Tests of `pallet_agent_staking` against the mock runtime.

use crate::{mock::*, Bond, Bonds, Error, Event, HoldReason, UnbondingChunk};
use agentic_primitives::{traits::AgentBonds, AgentId, AgentStatus};
use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::InspectHold, Hooks},
};
use sp_runtime::{DispatchError, TokenError};

/// Runs `f` in a fresh test externality, then checks the pallet's invariants (every owner's hold
/// equals the sum of its agents' bonds).
fn test(f: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		f();
		AgentStaking::do_try_state().expect("invariants hold");
	});
}

fn held(who: AccountId) -> u64 {
	Balances::balance_on_hold(&HoldReason::AgentBond.into(), &who)
}

fn free(who: AccountId) -> u64 {
	Balances::free_balance(who)
}

/// Registers `agent` as an active agent of `owner` and bonds `amount` for it.
fn register(agent: AgentId, owner: AccountId, amount: u64) {
	MockAgents::set(agent, owner, AgentStatus::Active);
	assert_ok!(AgentStaking::bond_new(&owner, agent, amount));
}

fn chunk(amount: u64, unlock_at: u64) -> UnbondingChunk<u64, u64> {
	UnbondingChunk { amount, unlock_at }
}

fn chunks(agent: AgentId) -> Vec<UnbondingChunk<u64, u64>> {
	AgentStaking::bond_of(agent).expect("bonded").unbonding.into_inner()
}

fn active(agent: AgentId) -> u64 {
	AgentStaking::active_bond(agent)
}

// ---- bond_new / minimum_bond / active_bond ----

#[test]
fn minimum_bond_is_the_configured_one() {
	test(|| assert_eq!(AgentStaking::minimum_bond(), MINIMUM_BOND));
}

#[test]
fn bond_new_holds_and_records() {
	test(|| {
		MockAgents::set(0, ALICE, AgentStatus::Active);
		assert_ok!(AgentStaking::bond_new(&ALICE, 0, 150));

		assert_eq!(AgentStaking::bond_of(0), Some(Bond { owner: ALICE, active: 150, unbonding: Default::default() }));
		assert_eq!(active(0), 150);
		assert_eq!(held(ALICE), 150);
		assert_eq!(free(ALICE), INITIAL_BALANCE - 150);
		System::assert_last_event(Event::Bonded { agent: 0, owner: ALICE, amount: 150 }.into());
	});
}

#[test]
fn bond_new_at_exactly_the_minimum_works() {
	test(|| {
		register(0, ALICE, MINIMUM_BOND);
		assert_eq!(active(0), MINIMUM_BOND);
	});
}

#[test]
fn bond_new_below_minimum_fails() {
	test(|| {
		assert_noop!(AgentStaking::bond_new(&ALICE, 0, MINIMUM_BOND - 1), Error::<Test>::BelowMinimum);
		assert_eq!(held(ALICE), 0);
	});
}

#[test]
fn bond_new_twice_fails() {
	test(|| {
		register(0, ALICE, 150);
		assert_noop!(AgentStaking::bond_new(&ALICE, 0, 150), Error::<Test>::AlreadyBonded);
		assert_noop!(AgentStaking::bond_new(&BOB, 0, 150), Error::<Test>::AlreadyBonded);
		assert_eq!(held(ALICE), 150);
		assert_eq!(held(BOB), 0);
	});
}

#[test]
fn bond_new_without_free_balance_fails() {
	test(|| {
		// POOR has 50 in all.
		assert_noop!(AgentStaking::bond_new(&POOR, 0, MINIMUM_BOND), TokenError::FundsUnavailable);
		// The existential deposit cannot be held either.
		assert_noop!(AgentStaking::bond_new(&ALICE, 0, INITIAL_BALANCE), TokenError::FundsUnavailable);
		assert!(AgentStaking::bond_of(0).is_none());
		assert_ok!(AgentStaking::bond_new(&ALICE, 0, INITIAL_BALANCE - 1));
		assert_eq!(free(ALICE), 1);
	});
}

#[test]
fn active_bond_of_unbonded_agent_is_zero() {
	test(|| assert_eq!(active(7), 0));
}

#[test]
fn one_owner_holds_the_sum_of_its_bonds() {
	test(|| {
		register(0, ALICE, 150);
		register(1, ALICE, 200);
		assert_eq!(held(ALICE), 350);
		assert_eq!(active(0), 150);
		assert_eq!(active(1), 200);
	});
}

// ---- bond_extra ----

#[test]
fn bond_extra_works() {
	test(|| {
		register(0, ALICE, 150);
		assert_ok!(AgentStaking::bond_extra(RuntimeOrigin::signed(ALICE), 0, 50));

		assert_eq!(active(0), 200);
		assert_eq!(held(ALICE), 200);
		assert_eq!(free(ALICE), INITIAL_BALANCE - 200);
		System::assert_last_event(Event::Bonded { agent: 0, owner: ALICE, amount: 50 }.into());
	});
}

#[test]
fn bond_extra_errors() {
	test(|| {
		register(0, ALICE, 150);
		assert_noop!(AgentStaking::bond_extra(RuntimeOrigin::signed(ALICE), 1, 50), Error::<Test>::UnknownBond);
		assert_noop!(AgentStaking::bond_extra(RuntimeOrigin::signed(BOB), 0, 50), Error::<Test>::NotOwner);
		assert_noop!(AgentStaking::bond_extra(RuntimeOrigin::signed(ALICE), 0, 0), Error::<Test>::ZeroAmount);
		assert_noop!(
			AgentStaking::bond_extra(RuntimeOrigin::signed(ALICE), 0, INITIAL_BALANCE - 150),
			TokenError::FundsUnavailable
		);
		assert_noop!(AgentStaking::bond_extra(RuntimeOrigin::none(), 0, 50), DispatchError::BadOrigin);
		assert_eq!(active(0), 150);
	});
}

// ---- unbond ----

#[test]
fn unbond_works() {
	test(|| {
		register(0, ALICE, 150);
		assert_ok!(AgentStaking::unbond(RuntimeOrigin::signed(ALICE), 0, 50));

		assert_eq!(active(0), 100);
		assert_eq!(chunks(0), vec![chunk(50, 1 + UNBONDING_DELAY)]);
		// Unbonding money stays held.
		assert_eq!(held(ALICE), 150);
		System::assert_last_event(Event::Unbonding { agent: 0, amount: 50, unlock_at: 1 + UNBONDING_DELAY }.into());
	});
}

#[test]
fn unbond_below_minimum_fails_for_active_agent() {
	test(|| {
		register(0, ALICE, 150);
		assert_noop!(AgentStaking::unbond(RuntimeOrigin::signed(ALICE), 0, 51), Error::<Test>::BelowMinimum);
		assert_noop!(AgentStaking::unbond(RuntimeOrigin::signed(ALICE), 0, 150), Error::<Test>::BelowMinimum);
		assert_eq!(active(0), 150);
	});
}

#[test]
fn unbond_below_minimum_allowed_for_retired_agent() {
	test(|| {
		register(0, ALICE, 150);
		MockAgents::set_status(0, AgentStatus::Retired);
		assert_ok!(AgentStaking::unbond(RuntimeOrigin::signed(ALICE), 0, 120));
		assert_eq!(active(0), 30);
		assert_ok!(AgentStaking::unbond(RuntimeOrigin::signed(ALICE), 0, 30));
		assert_eq!(active(0), 0);
		assert_eq!(chunks(0), vec![chunk(150, 1 + UNBONDING_DELAY)]);
	});
}

#[test]
fn unbond_errors() {
	test(|| {
		register(0, ALICE, 150);
		MockAgents::set_status(0, AgentStatus::Retired);
		assert_noop!(AgentStaking::unbond(RuntimeOrigin::signed(ALICE), 0, 151), Error::<Test>::InsufficientActiveBond);
		assert_noop!(AgentStaking::unbond(RuntimeOrigin::signed(ALICE), 1, 10), Error::<Test>::UnknownBond);
		assert_noop!(AgentStaking::unbond(RuntimeOrigin::signed(BOB), 0, 10), Error::<Test>::NotOwner);
		assert_noop!(AgentStaking::unbond(RuntimeOrigin::signed(ALICE), 0, 0), Error::<Test>::ZeroAmount);
		assert_noop!(AgentStaking::unbond(RuntimeOrigin::none(), 0, 10), DispatchError::BadOrigin);
	});
}

#[test]
fn unbond_of_agent_unknown_to_the_registry_fails() {
	test(|| {
		// A bond the registry has no record of.
		assert_ok!(AgentStaking::bond_new(&ALICE, 5, 150));
		assert_noop!(AgentStaking::unbond(RuntimeOrigin::signed(ALICE), 5, 10), Error::<Test>::UnknownAgent);
	});
}

#[test]
fn unbonds_in_the_same_block_share_a_chunk() {
	test(|| {
		register(0, ALICE, 300);
		assert_ok!(AgentStaking::unbond(RuntimeOrigin::signed(ALICE), 0, 10));
		assert_ok!(AgentStaking::unbond(RuntimeOrigin::signed(ALICE), 0, 20));
		assert_eq!(chunks(0), vec![chunk(30, 1 + UNBONDING_DELAY)]);
		assert_eq!(active(0), 270);
	});
}

#[test]
fn unbond_merges_into_the_last_chunk_when_full() {
	test(|| {
		register(0, ALICE, 500);
		for block in 1..=u64::from(MAX_CHUNKS) {
			System::set_block_number(block);
			assert_ok!(AgentStaking::unbond(RuntimeOrigin::signed(ALICE), 0, 10 * block));
		}
		assert_eq!(chunks(0), vec![chunk(10, 11), chunk(20, 12), chunk(30, 13)]);

		System::set_block_number(7);
		assert_ok!(AgentStaking::unbond(RuntimeOrigin::signed(ALICE), 0, 40));
		assert_eq!(chunks(0), vec![chunk(10, 11), chunk(20, 12), chunk(70, 7 + UNBONDING_DELAY)]);
		assert_eq!(active(0), 500 - 100);
		assert_eq!(held(ALICE), 500);
		System::assert_last_event(Event::Unbonding { agent: 0, amount: 40, unlock_at: 7 + UNBONDING_DELAY }.into());
	});
}

// ---- unbond_all ----

#[test]
fn unbond_all_moves_the_whole_active_bond() {
	test(|| {
		register(0, ALICE, 150);
		assert_ok!(AgentStaking::unbond(RuntimeOrigin::signed(ALICE), 0, 20));
		System::set_block_number(3);
		assert_ok!(AgentStaking::unbond_all(0));

		assert_eq!(active(0), 0);
		assert_eq!(chunks(0), vec![chunk(20, 11), chunk(130, 13)]);
		assert_eq!(held(ALICE), 150);
		System::assert_last_event(Event::Unbonding { agent: 0, amount: 130, unlock_at: 13 }.into());
	});
}

#[test]
fn unbond_all_with_nothing_active_does_nothing() {
	test(|| {
		register(0, ALICE, 150);
		assert_ok!(AgentStaking::unbond_all(0));
		System::reset_events();
		assert_ok!(AgentStaking::unbond_all(0));
		assert!(System::events().is_empty());
		assert_eq!(chunks(0), vec![chunk(150, 11)]);
	});
}

#[test]
fn unbond_all_without_bond_fails() {
	test(|| {
		assert_noop!(AgentStaking::unbond_all(0), Error::<Test>::UnknownBond);
	});
}

// ---- withdraw_unbonded ----

#[test]
fn withdraw_before_the_delay_fails() {
	test(|| {
		register(0, ALICE, 150);
		assert_ok!(AgentStaking::unbond(RuntimeOrigin::signed(ALICE), 0, 50));
		System::set_block_number(UNBONDING_DELAY);
		assert_noop!(
			AgentStaking::withdraw_unbonded(RuntimeOrigin::signed(ALICE), 0),
			Error::<Test>::NothingToWithdraw
		);
		assert_eq!(held(ALICE), 150);
	});
}

#[test]
fn withdraw_after_the_delay_releases() {
	test(|| {
		register(0, ALICE, 150);
		assert_ok!(AgentStaking::unbond(RuntimeOrigin::signed(ALICE), 0, 50));
		System::set_block_number(1 + UNBONDING_DELAY);
		assert_ok!(AgentStaking::withdraw_unbonded(RuntimeOrigin::signed(ALICE), 0));

		assert_eq!(held(ALICE), 100);
		assert_eq!(free(ALICE), INITIAL_BALANCE - 100);
		// The active bond remains, so the record does.
		assert_eq!(AgentStaking::bond_of(0), Some(Bond { owner: ALICE, active: 100, unbonding: Default::default() }));
		System::assert_last_event(Event::Withdrawn { agent: 0, amount: 50 }.into());
	});
}

#[test]
fn withdraw_releases_only_matured_chunks() {
	test(|| {
		register(0, ALICE, 300);
		assert_ok!(AgentStaking::unbond(RuntimeOrigin::signed(ALICE), 0, 10));
		System::set_block_number(2);
		assert_ok!(AgentStaking::unbond(RuntimeOrigin::signed(ALICE), 0, 20));
		System::set_block_number(3);
		assert_ok!(AgentStaking::unbond(RuntimeOrigin::signed(ALICE), 0, 40));

		System::set_block_number(12);
		assert_ok!(AgentStaking::withdraw_unbonded(RuntimeOrigin::signed(ALICE), 0));
		assert_eq!(chunks(0), vec![chunk(40, 13)]);
		assert_eq!(held(ALICE), 300 - 30);
		System::assert_last_event(Event::Withdrawn { agent: 0, amount: 30 }.into());
	});
}

#[test]
fn withdrawing_everything_removes_the_bond() {
	test(|| {
		register(0, ALICE, 150);
		MockAgents::set_status(0, AgentStatus::Retired);
		assert_ok!(AgentStaking::unbond_all(0));
		System::set_block_number(100);
		assert_ok!(AgentStaking::withdraw_unbonded(RuntimeOrigin::signed(ALICE), 0));

		assert!(AgentStaking::bond_of(0).is_none());
		assert!(!Bonds::<Test>::contains_key(0));
		assert_eq!(held(ALICE), 0);
		assert_eq!(free(ALICE), INITIAL_BALANCE);
		System::assert_last_event(Event::Withdrawn { agent: 0, amount: 150 }.into());
	});
}

#[test]
fn withdraw_errors() {
	test(|| {
		register(0, ALICE, 150);
		assert_noop!(
			AgentStaking::withdraw_unbonded(RuntimeOrigin::signed(ALICE), 0),
			Error::<Test>::NothingToWithdraw
		);
		assert_ok!(AgentStaking::unbond(RuntimeOrigin::signed(ALICE), 0, 50));
		System::set_block_number(100);
		assert_noop!(AgentStaking::withdraw_unbonded(RuntimeOrigin::signed(BOB), 0), Error::<Test>::NotOwner);
		assert_noop!(AgentStaking::withdraw_unbonded(RuntimeOrigin::signed(ALICE), 1), Error::<Test>::UnknownBond);
		assert_noop!(AgentStaking::withdraw_unbonded(RuntimeOrigin::none(), 0), DispatchError::BadOrigin);
	});
}

// ---- slash ----

#[test]
fn slash_takes_from_the_active_bond() {
	test(|| {
		register(0, ALICE, 150);
		assert_ok!(AgentStaking::unbond(RuntimeOrigin::signed(ALICE), 0, 50));
		let issuance = Balances::total_issuance();

		assert_eq!(AgentStaking::slash(0), SLASH_AMOUNT);

		assert_eq!(active(0), 100 - SLASH_AMOUNT);
		assert_eq!(chunks(0), vec![chunk(50, 11)]);
		assert_eq!(held(ALICE), 150 - SLASH_AMOUNT);
		assert_eq!(free(ALICE), INITIAL_BALANCE - 150);
		assert_eq!(free(TREASURY), 1 + SLASH_AMOUNT);
		assert_eq!(Balances::total_issuance(), issuance);
		System::assert_last_event(Event::Slashed { agent: 0, amount: SLASH_AMOUNT }.into());
	});
}

#[test]
fn slash_spills_into_unbonding_newest_first() {
	test(|| {
		register(0, ALICE, 150);
		MockAgents::set_status(0, AgentStatus::Retired);
		assert_ok!(AgentStaking::unbond(RuntimeOrigin::signed(ALICE), 0, 20));
		System::set_block_number(2);
		assert_ok!(AgentStaking::unbond(RuntimeOrigin::signed(ALICE), 0, 15));
		System::set_block_number(3);
		assert_ok!(AgentStaking::unbond(RuntimeOrigin::signed(ALICE), 0, 105));
		// Active 10, chunks 20 (oldest), 15, 105 (newest).
		assert_eq!(AgentStaking::slash(0), SLASH_AMOUNT);
		assert_eq!(active(0), 0);
		assert_eq!(chunks(0), vec![chunk(20, 11), chunk(15, 12), chunk(85, 13)]);

		assert_eq!(AgentStaking::slash(0), SLASH_AMOUNT);
		assert_eq!(AgentStaking::slash(0), SLASH_AMOUNT);
		assert_eq!(chunks(0), vec![chunk(20, 11), chunk(15, 12), chunk(25, 13)]);
		// The newest chunk empties and is dropped; the rest comes from the next one.
		assert_eq!(AgentStaking::slash(0), SLASH_AMOUNT);
		assert_eq!(chunks(0), vec![chunk(20, 11), chunk(10, 12)]);

		assert_eq!(held(ALICE), 150 - 4 * SLASH_AMOUNT);
		assert_eq!(free(TREASURY), 1 + 4 * SLASH_AMOUNT);
		System::assert_last_event(Event::Slashed { agent: 0, amount: SLASH_AMOUNT }.into());
	});
}

#[test]
fn slash_is_capped_at_the_whole_bond() {
	test(|| {
		register(0, ALICE, 100);
		MockAgents::set_status(0, AgentStatus::Retired);
		assert_ok!(AgentStaking::unbond(RuntimeOrigin::signed(ALICE), 0, 95));
		for _ in 0..3 {
			assert_eq!(AgentStaking::slash(0), SLASH_AMOUNT);
		}
		// 10 left: 5 active, 5 unbonding.
		assert_eq!(AgentStaking::slash(0), 10);
		System::assert_last_event(Event::Slashed { agent: 0, amount: 10 }.into());
		assert_eq!(AgentStaking::bond_of(0), Some(Bond { owner: ALICE, active: 0, unbonding: Default::default() }));
		assert_eq!(held(ALICE), 0);
		assert_eq!(free(ALICE), INITIAL_BALANCE - 100);
		assert_eq!(free(TREASURY), 1 + 100);

		// Nothing left: nothing slashed, nothing emitted.
		System::reset_events();
		assert_eq!(AgentStaking::slash(0), 0);
		assert!(System::events().is_empty());
	});
}

#[test]
fn slash_of_unknown_agent_returns_zero() {
	test(|| {
		assert_eq!(AgentStaking::slash(42), 0);
		assert!(System::events().is_empty());
	});
}

#[test]
fn slash_touches_only_the_slashed_agents_bond() {
	test(|| {
		register(0, ALICE, 150);
		register(1, ALICE, 200);
		assert_eq!(AgentStaking::slash(1), SLASH_AMOUNT);
		assert_eq!(active(0), 150);
		assert_eq!(active(1), 200 - SLASH_AMOUNT);
		assert_eq!(held(ALICE), 350 - SLASH_AMOUNT);
	});
}

#[test]
fn slashed_unbonding_withdraws_what_is_left() {
	test(|| {
		register(0, ALICE, 100);
		MockAgents::set_status(0, AgentStatus::Retired);
		assert_ok!(AgentStaking::unbond_all(0));
		assert_eq!(AgentStaking::slash(0), SLASH_AMOUNT);
		System::set_block_number(1 + UNBONDING_DELAY);
		assert_ok!(AgentStaking::withdraw_unbonded(RuntimeOrigin::signed(ALICE), 0));
		System::assert_last_event(Event::Withdrawn { agent: 0, amount: 100 - SLASH_AMOUNT }.into());
		assert!(AgentStaking::bond_of(0).is_none());
		assert_eq!(free(ALICE), INITIAL_BALANCE - SLASH_AMOUNT);
	});
}

// ---- configuration ----

#[test]
fn integrity_test_passes() {
	test(AgentStaking::integrity_test);
}

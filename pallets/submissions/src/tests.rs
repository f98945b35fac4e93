//! Submission tests through the real pallets and the real transaction pipeline
//! (`AuthorizeCall` -> validate -> apply).

use crate::{mock::*, Error, Event};
use agentic_example_agents as examples;
use agentic_primitives::{
	checkpoint,
	state::{StateTree, WitnessPage, PAGE_SIZE},
	Dependency, Evidence, Input, InvalidSubmission, LigeritoEvidence, RejectionReason, SignedSubmission, TimeRead,
	VerificationMode, LIGERITO_LIMITS,
};
use frame_support::{
	assert_noop, assert_ok,
	dispatch::GetDispatchInfo,
	pallet_prelude::TransactionSource,
	traits::{fungible::InspectHold, Hooks},
	BoundedVec,
};
use sp_core::{Encode, Pair, H256};
use sp_runtime::{
	traits::{Applyable, Checkable},
	transaction_validity::{InvalidTransaction, TransactionValidityError},
	DispatchError,
};

type PoolResult = Result<
	sp_runtime::DispatchResultWithInfo<sp_runtime::traits::PostDispatchInfoOf<RuntimeCall>>,
	TransactionValidityError,
>;

/// Validates a submission as the pool would, then applies it as block import would.
fn submit(signed: SignedSubmission) -> PoolResult {
	let call = RuntimeCall::Submissions(crate::Call::submit { signed: Box::new(signed) });
	let xt = Extrinsic::new_transaction(call, (frame_system::AuthorizeCall::<Test>::new(),));
	let info = xt.get_dispatch_info();
	let len = xt.encoded_size();
	let checked = Checkable::check(xt, &frame_system::ChainContext::<Test>::default()).expect("general tx");
	checked.validate::<Test>(TransactionSource::External, &info, len)?;
	checked.apply::<Test>(&info, len)
}

fn pool_error(signed: SignedSubmission) -> InvalidTransaction {
	match submit(signed) {
		Err(TransactionValidityError::Invalid(e)) => e,
		other => panic!("expected a pool refusal, got {other:?}"),
	}
}

fn custom(code: InvalidSubmission) -> InvalidTransaction {
	InvalidTransaction::Custom(code as u8)
}

fn end_block() {
	let n = System::block_number();
	TimeOracle::on_finalize(n);
	Checkpoints::on_finalize(n);
	System::set_block_number(n + 1);
}

fn counter_worker() -> Worker {
	Worker::register(ALICE, examples::counter(), 0, 1)
}

fn bond_held(who: u64) -> u64 {
	Balances::balance_on_hold(&pallet_agent_staking::HoldReason::AgentBond.into(), &who)
}

#[test]
fn a_valid_transition_is_accepted_charged_and_checkpointed() {
	new_test_ext().execute_with(|| {
		let mut w = counter_worker();
		let (signed, state) = w.prepare(&[b"", &41u64.to_le_bytes()], None);
		let sub = signed.submission.clone();
		let fee = FEES.quote(sub.steps, sub.evidence_len());
		let collected = Balances::free_balance(COLLECTOR);
		assert_ok!(submit(signed).unwrap());
		let info = pallet_agent_registry::Agents::<Test>::get(w.id).unwrap();
		assert_eq!((info.state_root, info.version, info.nonce), (state.root(), 1, 1));
		assert_eq!(Balances::free_balance(COLLECTOR), collected + fee);
		assert_eq!(pallet_agent_fees::Prepaid::<Test>::get(w.id), PREPAID - fee);
		System::assert_last_event(
			Event::TransitionAccepted {
				agent: w.id,
				seq: 0,
				old_root: sub.old_root,
				new_root: state.root(),
				version: 1,
				steps: sub.steps,
				fee,
				depends_on: Default::default(),
			}
			.into(),
		);
		w.accepted(state);
		// The next transition builds on the new root.
		let (next, state) = w.prepare(&[b""], None);
		assert_ok!(submit(next).unwrap());
		w.accepted(state);
		assert_eq!(&w.state.page(0).unwrap()[..8], &43u64.to_le_bytes());
		end_block();
		assert_checkpoint_matches_registry();
	});
}

/// The checkpoint root equals a recomputation over every registered agent.
fn assert_checkpoint_matches_registry() {
	let leaves: Vec<(u32, H256)> = pallet_agent_registry::Agents::<Test>::iter()
		.map(|(id, a)| (id, checkpoint::leaf(id, &a.state_root, a.version)))
		.collect();
	assert!(!leaves.is_empty());
	let root = pallet_checkpoints::Root::<Test>::get();
	assert_eq!(root, checkpoint::root_of_all(&leaves));
	for (id, leaf) in leaves {
		assert!(checkpoint::verify_inclusion(&root, id, &leaf, &Checkpoints::inclusion_proof(id)));
	}
}

#[test]
fn two_agents_run_independently_and_both_land_in_the_checkpoint() {
	new_test_ext().execute_with(|| {
		let mut counter = counter_worker();
		let mut ledger = Worker::register(BOB, examples::token_ledger(), examples::depth::TOKEN_LEDGER, 2);
		let mint = [u64::MAX.to_le_bytes(), 7u64.to_le_bytes(), 500u64.to_le_bytes()].concat();
		let (a, sa) = counter.prepare(&[b""], None);
		let (b, sb) = ledger.prepare(&[&mint], None);
		assert_ok!(submit(b).unwrap());
		assert_ok!(submit(a).unwrap());
		counter.accepted(sa);
		ledger.accepted(sb);
		end_block();
		assert_checkpoint_matches_registry();
		let pay = [7u64.to_le_bytes(), 8u64.to_le_bytes(), 200u64.to_le_bytes()].concat();
		let (b, sb) = ledger.prepare(&[&pay], None);
		assert_ok!(submit(b).unwrap());
		ledger.accepted(sb);
		end_block();
		assert_checkpoint_matches_registry();
		assert_eq!(pallet_agent_registry::Agents::<Test>::get(ledger.id).unwrap().version, 2);
		assert_eq!(pallet_agent_registry::Agents::<Test>::get(counter.id).unwrap().version, 1);
	});
}

/// Re-signs a tampered submission (so only the evidence is wrong) and expects a slash.
fn assert_slashed(w: &Worker, signed: SignedSubmission, reason: RejectionReason) {
	let before = pallet_agent_registry::Agents::<Test>::get(w.id).unwrap();
	let treasury = Balances::free_balance(TREASURY);
	let held = bond_held(ALICE);
	let seq = signed.submission.seq;
	let prepaid = pallet_agent_fees::Prepaid::<Test>::get(w.id);
	let fee = FEES.quote(signed.submission.steps, signed.submission.evidence_len()).min(prepaid);
	let collected = Balances::free_balance(COLLECTOR);
	assert_ok!(submit(signed.clone()).unwrap());
	System::assert_last_event(Event::TransitionRejected { agent: w.id, seq, reason, fee, slashed: SLASH }.into());
	// Wrong evidence pays the fee it would have paid, and the slash on top.
	assert_eq!(Balances::free_balance(COLLECTOR), collected + fee);
	assert_eq!(pallet_agent_fees::Prepaid::<Test>::get(w.id), prepaid - fee);
	let after = pallet_agent_registry::Agents::<Test>::get(w.id).unwrap();
	assert_eq!((after.state_root, after.version, after.nonce), (before.state_root, before.version, before.nonce + 1));
	assert_eq!(Balances::free_balance(TREASURY), treasury + SLASH);
	assert_eq!(bond_held(ALICE), held - SLASH);
	// The rejected submission cannot be replayed to slash again.
	assert_eq!(pool_error(signed), InvalidTransaction::Stale);
}

#[test]
fn a_tampered_new_root_is_rejected_and_slashed() {
	new_test_ext().execute_with(|| {
		let w = counter_worker();
		let (signed, _) = w.prepare(&[b""], None);
		let mut sub = signed.submission;
		sub.new_root.0[0] ^= 1;
		assert_slashed(&w, w.sign(sub), RejectionReason::NewRootMismatch);
	});
}

#[test]
fn a_tampered_witness_page_is_rejected_and_slashed() {
	new_test_ext().execute_with(|| {
		let w = counter_worker();
		let (signed, _) = w.prepare(&[b""], None);
		let mut sub = signed.submission;
		let Evidence::Reexec(ref mut e) = sub.evidence else { unreachable!() };
		e.witness.pages[0].data[3] ^= 1;
		assert_slashed(&w, w.sign(sub), RejectionReason::InvalidWitness);
	});
}

#[test]
fn too_few_declared_steps_are_rejected_and_slashed() {
	new_test_ext().execute_with(|| {
		let w = counter_worker();
		let (signed, _) = w.prepare(&[b""], None);
		let mut sub = signed.submission;
		sub.steps -= 1;
		assert_slashed(&w, w.sign(sub), RejectionReason::StepsExceeded);
	});
}

#[test]
fn wrong_program_evidence_is_rejected_and_slashed() {
	new_test_ext().execute_with(|| {
		// Evidence produced by running the hash chain, claimed for a counter agent.
		let w = counter_worker();
		let mut impostor =
			Worker { id: w.id, pair: w.pair.clone(), program: examples::hash_chain(), state: w.state.clone(), seq: 0 };
		impostor.seq = 0;
		let (signed, _) = impostor.prepare(&[&3u64.to_le_bytes()], None);
		assert!(submit(signed.clone()).unwrap().is_ok());
		assert!(matches!(
			System::events().last().unwrap().event,
			RuntimeEvent::Submissions(Event::TransitionRejected { .. })
		));
		assert_eq!(pool_error(signed), InvalidTransaction::Stale);
	});
}

#[test]
fn tampered_inputs_and_outputs_are_rejected_with_their_reasons() {
	new_test_ext().execute_with(|| {
		let w = counter_worker();
		let (signed, _) = w.prepare(&[&5u64.to_le_bytes()], None);
		let mut sub = signed.submission.clone();
		let Evidence::Reexec(ref mut e) = sub.evidence else { unreachable!() };
		e.inputs[0][0] ^= 1;
		assert_slashed(&w, w.sign(sub), RejectionReason::InputsMismatch);

		let (signed, _) = Worker { seq: 1, ..clone_worker(&w) }.prepare(&[b""], None);
		let mut sub = signed.submission;
		sub.outputs_commitment = H256::repeat_byte(1);
		// One slash already took the bond below the minimum: top it up first.
		assert_ok!(Staking::bond_extra(RuntimeOrigin::signed(ALICE), w.id, SLASH));
		assert_slashed(&w, w.sign(sub), RejectionReason::OutputsMismatch);
	});
}

fn clone_worker(w: &Worker) -> Worker {
	Worker { id: w.id, pair: w.pair.clone(), program: w.program.clone(), state: w.state.clone(), seq: w.seq }
}

#[test]
fn the_pool_refuses_bad_submissions_with_distinct_errors() {
	new_test_ext().execute_with(|| {
		let mut w = counter_worker();
		let (signed, state) = w.prepare(&[b""], None);

		// Unknown agent.
		let mut sub = signed.submission.clone();
		sub.agent = 77;
		assert_eq!(pool_error(w.sign(sub)), custom(InvalidSubmission::UnknownAgent));

		// Wrong signature: signed by another key, or the submission changed after signing.
		let other = sp_core::sr25519::Pair::from_seed(&[9; 32]);
		assert_eq!(pool_error(sign_with(&other, signed.submission.clone())), InvalidTransaction::BadProof);
		let mut changed = signed.clone();
		changed.submission.steps += 1;
		assert_eq!(pool_error(changed), InvalidTransaction::BadProof);

		// A sequence number ahead of the chain.
		let mut sub = signed.submission.clone();
		sub.seq = 5;
		assert_eq!(pool_error(w.sign(sub)), InvalidTransaction::Future);

		// Too many steps.
		let mut sub = signed.submission.clone();
		sub.steps = MaxSteps::get() + 1;
		assert_eq!(pool_error(w.sign(sub)), custom(InvalidSubmission::TooManySteps));

		// No input: nothing to verify.
		let mut sub = signed.submission.clone();
		if let Evidence::Reexec(evidence) = &mut sub.evidence {
			evidence.inputs = Default::default();
		}
		assert_eq!(pool_error(w.sign(sub)), custom(InvalidSubmission::NoInputs));

		// Evidence of another mode.
		let mut sub = signed.submission.clone();
		sub.evidence = Evidence::Ligerito(agentic_primitives::LigeritoEvidence {
			inputs: Default::default(),
			outputs: Default::default(),
			witness: Default::default(),
			written: Default::default(),
			proof: BoundedVec::truncate_from(vec![1, 2, 3]),
		});
		assert_eq!(pool_error(w.sign(sub)), custom(InvalidSubmission::WrongMode));

		// None of the refusals changed anything: the honest one still goes in, once.
		assert_ok!(submit(signed.clone()).unwrap());
		w.accepted(state);
		assert_eq!(pool_error(signed.clone()), InvalidTransaction::Stale);

		// A stale old root with the right sequence number.
		let mut sub = signed.submission.clone();
		sub.seq = 1;
		assert_eq!(pool_error(w.sign(sub)), custom(InvalidSubmission::StateMismatch));
	});
}

#[test]
fn a_submission_signed_for_another_chain_is_refused() {
	new_test_ext().execute_with(|| {
		let w = counter_worker();
		let (signed, _) = w.prepare(&[b""], None);
		let payload = signed.submission.signing_payload(&H256::repeat_byte(0xaa));
		let foreign = SignedSubmission { submission: signed.submission, signature: w.pair.sign(&payload) };
		assert_eq!(pool_error(foreign), InvalidTransaction::BadProof);
	});
}

#[test]
fn bond_and_fee_balance_are_required() {
	new_test_ext().execute_with(|| {
		let w = counter_worker();
		let (signed, _) = w.prepare(&[b""], None);
		// Drain the prepaid balance: the pool refuses with Payment.
		assert_ok!(Fees::withdraw(RuntimeOrigin::signed(ALICE), w.id, PREPAID));
		assert_eq!(pool_error(signed.clone()), InvalidTransaction::Payment);
		assert_ok!(Fees::top_up(RuntimeOrigin::signed(ALICE), w.id, PREPAID));
		// Slash below the minimum bond: the pool refuses with InsufficientBond.
		let mut bad = signed.submission.clone();
		bad.new_root = H256::zero();
		assert_ok!(submit(w.sign(bad)).unwrap());
		let mut next = signed.submission.clone();
		next.seq = 1;
		assert_eq!(pool_error(w.sign(next)), custom(InvalidSubmission::InsufficientBond));
	});
}

#[test]
fn a_retired_agent_accepts_nothing() {
	new_test_ext().execute_with(|| {
		let w = counter_worker();
		let (signed, _) = w.prepare(&[b""], None);
		assert_ok!(Registry::retire(RuntimeOrigin::signed(ALICE), w.id));
		assert_eq!(pool_error(signed), custom(InvalidSubmission::AgentRetired));
	});
}

#[test]
fn declared_time_must_match_the_oracle() {
	new_test_ext().execute_with(|| {
		let mut w = Worker::register(ALICE, examples::clock(), examples::depth::CLOCK, 3);
		let moment = 1_700_000_000_100;
		assert_ok!(TimeOracle::report_time(RuntimeOrigin::signed(ALICE), moment));
		end_block();
		assert_eq!(TimeOracle::time_at(1), Some(moment));
		// The program reads the time: a submission must declare it.
		let (wrong, _) = w.prepare(&[b""], Some(TimeRead { block: 1, moment: moment + 1 }));
		assert_eq!(pool_error(wrong), custom(InvalidSubmission::UnknownTime));
		let (unknown_block, _) = w.prepare(&[b""], Some(TimeRead { block: 9, moment }));
		assert_eq!(pool_error(unknown_block), custom(InvalidSubmission::UnknownTime));
		let (right, state) = w.prepare(&[b""], Some(TimeRead { block: 1, moment }));
		assert_ok!(submit(right).unwrap());
		w.accepted(state);
		assert_eq!(&w.state.page(0).unwrap()[..8], &moment.to_le_bytes());

		// Time moves on; the agent may read the newer time, then never the older one again.
		MockTime::set(moment + 1_000);
		assert_ok!(TimeOracle::report_time(RuntimeOrigin::signed(ALICE), moment + 1_000));
		end_block();
		let later = TimeOracle::time_at(2).unwrap();
		assert!(later > moment);
		let (newer, state) = w.prepare(&[b""], Some(TimeRead { block: 2, moment: later }));
		assert_ok!(submit(newer).unwrap());
		w.accepted(state);
		let (older, _) = w.prepare(&[b""], Some(TimeRead { block: 1, moment }));
		assert_eq!(pool_error(older), custom(InvalidSubmission::TimeRegressed));
		assert_eq!(pallet_agent_submissions_last_time(w.id), Some(2));
	});
}

#[test]
fn a_time_read_without_a_declared_time_is_slashed() {
	new_test_ext().execute_with(|| {
		let w = Worker::register(ALICE, examples::clock(), examples::depth::CLOCK, 3);
		// Build honest evidence with a time, then drop the time from the claim.
		let (signed, _) = w.prepare(&[b""], Some(TimeRead { block: 0, moment: 5 }));
		let mut sub = signed.submission;
		sub.time = None;
		let signed = w.sign(sub);
		let fee = FEES.quote(signed.submission.steps, signed.submission.evidence_len());
		assert_ok!(submit(signed).unwrap());
		System::assert_last_event(
			Event::TransitionRejected {
				agent: w.id,
				seq: 0,
				reason: RejectionReason::TimeNotDeclared,
				fee,
				slashed: SLASH,
			}
			.into(),
		);
	});
}

#[test]
fn dependencies_and_vector_clocks_are_checked() {
	new_test_ext().execute_with(|| {
		let mut a = counter_worker();
		let mut b = Worker::register(BOB, examples::counter(), 0, 2);
		let (sb, state) = b.prepare(&[b""], None);
		assert_ok!(submit(sb).unwrap());
		b.accepted(state);
		let dep = |agent, version| Dependency { agent, version };
		let with = |deps: Vec<Dependency>, clock: Vec<Dependency>| {
			let (signed, _) = a.prepare(&[b""], None);
			let mut sub = signed.submission;
			sub.depends_on = BoundedVec::truncate_from(deps);
			sub.vector_clock = BoundedVec::truncate_from(clock);
			a.sign(sub)
		};
		let bad_dep = custom(InvalidSubmission::InvalidDependency);
		let bad_clock = custom(InvalidSubmission::InvalidVectorClock);
		assert_eq!(pool_error(with(vec![dep(b.id, 2)], vec![dep(b.id, 2)])), bad_dep, "future version");
		assert_eq!(pool_error(with(vec![dep(55, 0)], vec![dep(55, 0)])), bad_dep, "unknown agent");
		assert_eq!(pool_error(with(vec![dep(a.id, 0)], vec![dep(a.id, 0)])), bad_dep, "itself");
		assert_eq!(pool_error(with(vec![dep(b.id, 1), dep(b.id, 1)], vec![dep(b.id, 1)])), bad_dep, "repeated");
		assert_eq!(pool_error(with(vec![], vec![dep(a.id, 5)])), bad_clock, "own clock ahead of the chain");
		assert_eq!(pool_error(with(vec![dep(b.id, 1)], vec![])), bad_clock, "clock misses a dependency");
		assert_eq!(pool_error(with(vec![dep(b.id, 1)], vec![dep(b.id, 0)])), bad_clock, "clock behind a dependency");
		assert_eq!(pool_error(with(vec![], vec![dep(b.id, 1), dep(a.id, 0)])), bad_clock, "unsorted clock");
		assert_eq!(pool_error(with(vec![], vec![dep(b.id, 3)])), bad_clock, "clock ahead of the chain");
		// A consistent one is accepted and its dependencies are in the event.
		let good = with(vec![dep(b.id, 1)], vec![dep(a.id, 0), dep(b.id, 1)]);
		assert_ok!(submit(good).unwrap());
		assert!(matches!(
			&System::events().last().unwrap().event,
			RuntimeEvent::Submissions(Event::TransitionAccepted { depends_on, .. }) if depends_on[..] == [dep(b.id, 1)]
		));
		let _ = &mut a;
	});
}

#[test]
fn submit_needs_the_authorized_origin() {
	new_test_ext().execute_with(|| {
		let w = counter_worker();
		let (signed, _) = w.prepare(&[b""], None);
		assert_noop!(
			Submissions::submit(RuntimeOrigin::signed(ALICE), Box::new(signed.clone())),
			DispatchError::BadOrigin
		);
		assert_noop!(Submissions::submit(RuntimeOrigin::none(), Box::new(signed.clone())), DispatchError::BadOrigin);
		// Dispatch re-checks stage 1 even for the authorized origin.
		let mut stale = signed;
		stale.submission.seq = 3;
		assert_noop!(
			Submissions::submit(frame_system::RawOrigin::Authorized.into(), Box::new(w.sign(stale.submission))),
			Error::<Test>::FutureSubmission
		);
	});
}

#[test]
fn the_pool_tag_is_agent_and_sequence() {
	new_test_ext().execute_with(|| {
		use frame_support::traits::Authorize;
		let w = counter_worker();
		let (signed, _) = w.prepare(&[b""], None);
		let call = crate::Call::<Test>::submit { signed: Box::new(signed) };
		let (valid, _) = call.authorize(TransactionSource::External).unwrap().unwrap();
		assert_eq!(valid.provides, vec![("AgentSubmission", (w.id, 0u64)).encode()]);
		assert!(valid.requires.is_empty());
		assert_eq!(valid.longevity, SubmissionLongevity::get());
	});
}

#[test]
fn a_padded_witness_is_rejected_and_slashed() {
	new_test_ext().execute_with(|| {
		// The ledger touches pages 0 and 9 for this transfer; add page 5, untouched.
		let w = Worker::register(ALICE, examples::token_ledger(), examples::depth::TOKEN_LEDGER, 4);
		let pay = [3u64.to_le_bytes(), 300u64.to_le_bytes(), 0u64.to_le_bytes()].concat();
		let (signed, _) = w.prepare(&[&pay], None);
		let mut sub = signed.submission;
		let Evidence::Reexec(ref mut e) = sub.evidence else { unreachable!() };
		e.witness = w.state.witness(&[0u32, 5, 9].into_iter().collect()).unwrap();
		assert_slashed(&w, w.sign(sub), RejectionReason::UntouchedWitnessPages);
	});
}

#[test]
fn submit_weight_includes_the_checkpoint_fold() {
	new_test_ext().execute_with(|| {
		use agentic_primitives::traits::OnAgentTransition;
		let w = counter_worker();
		let (signed, _) = w.prepare(&[b""], None);
		let call = crate::Call::<Test>::submit { signed: Box::new(signed.clone()) };
		let weight = |program_len: u32| {
			<() as crate::WeightInfo>::submit(
				crate::kilo_steps(signed.submission.steps),
				crate::evidence_kib(&signed),
				crate::program_kib(program_len),
			) + <Checkpoints as OnAgentTransition>::weight()
		};
		// Before dispatch: the largest program an agent may have.
		let max = <Test as crate::Config>::MaxProgramLen::get();
		assert_eq!(call.get_dispatch_info().call_weight, weight(max));
		assert!(<Checkpoints as OnAgentTransition>::weight().ref_time() > 0);
		// After: the agent's own program, the difference refunded.
		let post = Submissions::submit(frame_system::RawOrigin::Authorized.into(), Box::new(signed.clone())).unwrap();
		let len = examples::counter().len() as u32;
		assert!(crate::program_kib(len) < crate::program_kib(max));
		assert_eq!(post.actual_weight, Some(weight(len)));
		assert!(weight(len).ref_time() < weight(max).ref_time());
	});
}

fn pallet_agent_submissions_last_time(agent: u32) -> Option<u32> {
	crate::LastTimeBlock::<Test>::get(agent)
}

/// The agent of the checked-in Ligerito fixture (the mirror agent at the mode's limits),
/// registered in the `Ligerito` mode, and its first submission, signed.
fn ligerito_agent() -> (Worker, SignedSubmission) {
	let (program, depth, mut submission) = crate::fixtures::ligerito_limits();
	let pair = sp_core::sr25519::Pair::from_seed(&[9; 32]);
	let id = register_in(ALICE, program.clone(), depth, VerificationMode::Ligerito, &pair);
	// A run of about 465,000 steps pays about as many in fees: more than the `PREPAID` of the
	// registration.
	<Fees as agentic_primitives::traits::AgentFees<u64, u64>>::top_up(&ALICE, id, 5 * PREPAID).expect("funded");
	submission.agent = id;
	let w = Worker { id, pair, program, state: StateTree::new(depth).unwrap(), seq: 0 };
	let signed = w.sign(submission);
	(w, signed)
}

fn ligerito_evidence(sub: &mut agentic_primitives::Submission) -> &mut LigeritoEvidence {
	match &mut sub.evidence {
		Evidence::Ligerito(evidence) => evidence,
		Evidence::Reexec(_) => panic!("a Ligerito submission"),
	}
}

#[test]
fn the_ligerito_fixture_is_at_the_mode_limits_and_verifies() {
	let (program, depth, mut submission) = crate::fixtures::ligerito_limits();
	let limits = LIGERITO_LIMITS;
	let table = agentic_verifier::ligerito::program_table(&program).expect("inside the subset");
	assert!(program.len() as u32 <= limits.max_program_len && program.len() as u32 + 64 >= limits.max_program_len);
	assert_eq!(table.mapped_memory(), u64::from(limits.max_memory));
	// Every public table the program decides: read-only data and a jump table; the deepest
	// state.
	assert!(table.regions[0].len > 0 && !table.jump_table.is_empty());
	assert_eq!(depth, agentic_primitives::state::MAX_STATE_DEPTH);
	let claim = agentic_verifier::Claim::of(&submission, depth);
	let evidence = ligerito_evidence(&mut submission);
	assert!(limits.admits(evidence));
	let input_bytes: usize = evidence.inputs.iter().map(|i| i.len()).sum();
	let output_bytes: usize = evidence.outputs.iter().map(|o| o.data.len()).sum();
	assert_eq!(
		(evidence.inputs.len(), input_bytes, output_bytes, evidence.witness.pages.len()),
		(
			limits.max_inputs as usize,
			limits.max_input_bytes as usize,
			limits.max_output_bytes as usize,
			limits.max_pages as usize
		)
	);
	// Its proof is about as long, or stacks as many values, as a proof may (one more round
	// would cross a power of two and one of the bounds).
	let evidence = ligerito_evidence(&mut submission);
	let (proof, values) = (evidence.proof.len(), agentic_verifier::ligerito::stacked_values(evidence).unwrap());
	let bound = agentic_primitives::MAX_STACKED_VALUES;
	assert!(
		proof * 10 >= agentic_primitives::MAX_PROOF_LEN as usize * 9 || (values <= bound && 2 * values > bound),
		"a proof of {proof} bytes stacking {values} values"
	);
	if let Err(e) = agentic_verifier::verify(&program, &claim, &submission.evidence) {
		panic!("the fixture no longer verifies ({e:?}): remake it as crate::fixtures says");
	}
}

/// The weight of a `Ligerito` submission charges the fixture at the limits and the long run
/// together: it rests on each having a trace opening of the largest stack the bound allows
/// (`2^26` values, and so the largest bus circuit too).
#[test]
fn the_long_run_fixture_verifies_and_both_open_the_largest_stack() {
	let (program, depth, mut submission) = crate::fixtures::ligerito_long_run();
	let table = agentic_verifier::ligerito::program_table(&program).expect("inside the subset");
	assert!(LIGERITO_LIMITS.admits_program(program.len(), table.mapped_memory()));
	let claim = agentic_verifier::Claim::of(&submission, depth);
	let evidence = ligerito_evidence(&mut submission);
	assert!(LIGERITO_LIMITS.admits(evidence));
	let values = agentic_verifier::ligerito::stacked_values(evidence).expect("decodes");
	let (_, _, mut at_limits) = crate::fixtures::ligerito_limits();
	let limits_values = agentic_verifier::ligerito::stacked_values(ligerito_evidence(&mut at_limits)).unwrap();
	let bound = agentic_primitives::MAX_STACKED_VALUES;
	for v in [values, limits_values] {
		assert!(v == bound, "stacks of {values} and {limits_values} values, not both {bound}: remake the fixtures");
	}
	if let Err(e) = agentic_verifier::verify(&program, &claim, &submission.evidence) {
		panic!("the fixture no longer verifies ({e:?}): remake it as crate::fixtures says");
	}
}

#[test]
fn a_valid_ligerito_transition_is_accepted_at_the_weight_of_either_outcome() {
	new_test_ext().execute_with(|| {
		use crate::WeightInfo;
		use agentic_primitives::traits::OnAgentTransition;
		let (w, signed) = ligerito_agent();
		let call = crate::Call::<Test>::submit { signed: Box::new(signed.clone()) };
		// Computation: the larger of the two outcomes at the limits plus the long run.
		let (rejected, long_run) =
			(<() as WeightInfo>::submit_ligerito_rejected(), <() as WeightInfo>::submit_ligerito_long_run());
		assert!(rejected.all_gte(<() as WeightInfo>::submit_ligerito()));
		let charged = rejected.max(long_run).set_ref_time(rejected.ref_time() + long_run.ref_time());
		let weight = charged + <Checkpoints as OnAgentTransition>::weight();
		assert_eq!(call.get_dispatch_info().call_weight, weight);
		assert_ok!(submit(signed.clone()).unwrap());
		let info = pallet_agent_registry::Agents::<Test>::get(w.id).unwrap();
		assert_eq!((info.state_root, info.version, info.nonce), (signed.submission.new_root, 1, 1));
		assert!(matches!(
			System::events().last().map(|e| &e.event),
			Some(RuntimeEvent::Submissions(Event::TransitionAccepted { version: 1, .. }))
		));
		end_block();
		assert_checkpoint_matches_registry();
		assert_eq!(pool_error(signed), InvalidTransaction::Stale);
	});
}

#[test]
fn a_tampered_ligerito_proof_is_rejected_and_slashed() {
	new_test_ext().execute_with(|| {
		let (w, signed) = ligerito_agent();
		let mut sub = signed.submission.clone();
		// The benchmark of the rejected path changes the last byte; any other is refused too.
		let proof = &mut ligerito_evidence(&mut sub).proof;
		let last = proof.len() - 1;
		*proof.get_mut(last).unwrap() ^= 1;
		assert_slashed(&w, w.sign(sub), RejectionReason::InvalidProof);
	});
}

#[test]
fn a_ligerito_transition_to_another_root_is_rejected_and_slashed() {
	new_test_ext().execute_with(|| {
		let (w, signed) = ligerito_agent();
		let mut sub = signed.submission.clone();
		sub.new_root = H256::repeat_byte(7);
		assert_slashed(&w, w.sign(sub), RejectionReason::NewRootMismatch);
	});
}

#[test]
fn ligerito_evidence_beyond_the_mode_limits_is_refused_by_the_pool() {
	new_test_ext().execute_with(|| {
		let (w, signed) = ligerito_agent();
		let refused = |change: &dyn Fn(&mut LigeritoEvidence)| {
			let mut sub = signed.submission.clone();
			change(ligerito_evidence(&mut sub));
			pool_error(w.sign(sub))
		};
		let limit = custom(InvalidSubmission::ExceedsModeLimits);
		assert_eq!(refused(&|e| e.inputs = Default::default()), custom(InvalidSubmission::NoInputs));
		// A second input, with the input bytes still within their limit.
		let second = |e: &mut LigeritoEvidence| {
			let first = e.inputs[0][..1023].to_vec();
			e.inputs = vec![Input::truncate_from(first), Input::truncate_from(vec![1])].try_into().unwrap();
			let output = e.outputs[0].clone();
			e.outputs = vec![output.clone(), output].try_into().unwrap();
		};
		assert_eq!(refused(&second), limit);
		assert_eq!(refused(&|e| e.inputs.get_mut(0).unwrap().try_push(1).unwrap()), limit);
		assert_eq!(refused(&|e| e.outputs.get_mut(0).unwrap().data.push(1)), limit);
		let page = WitnessPage { index: 1 << 10, data: [0; PAGE_SIZE] };
		assert_eq!(refused(&|e| e.witness.pages.try_push(page.clone()).unwrap()), limit);
		assert_eq!(refused(&|e| e.written.try_push(page.clone()).unwrap()), limit);
		let hashes = (LIGERITO_LIMITS.max_pages * agentic_primitives::state::MAX_STATE_DEPTH as u32) as usize;
		assert_eq!(refused(&|e| e.witness.proof = vec![H256::zero(); hashes + 1].try_into().unwrap()), limit);
		// An output fewer than inputs.
		assert_eq!(refused(&|e| e.outputs = Default::default()), limit);
		// None of them changed anything: the honest one still goes in.
		assert_ok!(submit(signed).unwrap());
	});
}

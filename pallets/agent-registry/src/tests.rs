//! Registry tests: every call's success and every error.

use crate::{mock::*, AgentDirectory, Agents, Error, Event, NextAgentId, ProgramSource, ProgramUsers, Programs};
use agentic_example_agents as examples;
use agentic_primitives::{state::empty_root, AgentPublic, AgentStatus, StateRoot, VerificationMode};
use frame_support::{assert_noop, assert_ok, BoundedVec};
use sp_core::H256;

fn key(n: u8) -> AgentPublic {
	AgentPublic::from_raw([n; 32])
}

fn blob(program: Vec<u8>) -> ProgramSource<MaxProgramLen> {
	ProgramSource::Blob(BoundedVec::try_from(program).unwrap())
}

fn register_counter(owner: u64) -> u32 {
	let id = NextAgentId::<Test>::get();
	assert_ok!(Registry::register(
		RuntimeOrigin::signed(owner),
		blob(examples::counter()),
		key(7),
		VerificationMode::Reexec,
		0,
		None,
		MIN_BOND,
		500
	));
	id
}

#[test]
fn register_stores_program_agent_bond_and_fees() {
	new_test_ext().execute_with(|| {
		let id = register_counter(ALICE);
		let info = Agents::<Test>::get(id).unwrap();
		let hash = H256(agentic_primitives::blake2_256(&examples::counter()));
		assert_eq!(info.owner, ALICE);
		assert_eq!(info.key, key(7));
		assert_eq!(info.program_hash, hash);
		assert_eq!(info.state_root, empty_root(0));
		assert_eq!((info.version, info.nonce, info.status), (0, 0, AgentStatus::Active));
		assert_eq!(Programs::<Test>::get(hash).unwrap().into_inner(), examples::counter());
		assert_eq!(BONDS.with(|b| b.borrow().get(&id).copied()), Some((ALICE, MIN_BOND, false)));
		assert_eq!(PREPAID.with(|p| p.borrow().get(&id).copied()), Some(500));
		assert_eq!(TRANSITIONS.with(|t| t.borrow().clone()), vec![(id, empty_root(0), 0)]);
		System::assert_has_event(Event::ProgramStored { hash, len: examples::counter().len() as u32 }.into());
		System::assert_last_event(
			Event::Registered {
				agent: id,
				owner: ALICE,
				program_hash: hash,
				mode: VerificationMode::Reexec,
				state_root: empty_root(0),
			}
			.into(),
		);
		assert_eq!(<Registry as AgentDirectory<_, _>>::program(id), Some(examples::counter()));
	});
}

#[test]
fn register_by_hash_reuses_the_blob_and_honours_initial_root() {
	new_test_ext().execute_with(|| {
		let first = register_counter(ALICE);
		let hash = Agents::<Test>::get(first).unwrap().program_hash;
		let root = StateRoot::repeat_byte(9);
		assert_ok!(Registry::register(
			RuntimeOrigin::signed(BOB),
			ProgramSource::Stored(hash),
			key(8),
			VerificationMode::Reexec,
			3,
			Some(root),
			MIN_BOND,
			0
		));
		let second = Agents::<Test>::get(first + 1).unwrap();
		assert_eq!((second.program_hash, second.state_root, second.state_depth), (hash, root, 3));
		assert_eq!(ProgramUsers::<Test>::get(hash), 2);
		// No prepaid fee entry for a zero top-up.
		assert_eq!(PREPAID.with(|p| p.borrow().get(&(first + 1)).copied()), None);
	});
}

#[test]
fn register_refuses_bad_programs_with_distinct_errors() {
	new_test_ext().execute_with(|| {
		let reg = |program: ProgramSource<MaxProgramLen>| {
			Registry::register(
				RuntimeOrigin::signed(ALICE),
				program,
				key(1),
				VerificationMode::Reexec,
				0,
				None,
				MIN_BOND,
				0,
			)
		};
		assert_noop!(reg(blob(b"garbage".to_vec())), Error::<Test>::MalformedProgram);
		let no_step = examples::assemble_agent("%isa = revive_v1\npub @main:\nret\n").unwrap();
		assert_noop!(reg(blob(no_step)), Error::<Test>::MissingStepExport);
		let wrong_isa = examples::assemble_agent("%isa = latest64\npub @step:\nret\n").unwrap();
		assert_noop!(reg(blob(wrong_isa)), Error::<Test>::WrongInstructionSet);
		let huge = examples::assemble_agent("%isa = revive_v1\n%rw_data_size = 4000000\npub @step:\nret\n").unwrap();
		assert_noop!(reg(blob(huge)), Error::<Test>::ProgramMemoryTooLarge);
		assert_noop!(reg(ProgramSource::Stored(H256::repeat_byte(1))), Error::<Test>::UnknownProgram);
	});
}

#[test]
fn register_refuses_an_import_outside_the_abi() {
	new_test_ext().execute_with(|| {
		// Build a blob whose import table names a host call ABI v1 does not have.
		let mut program = examples::counter();
		let at = program.windows(10).position(|w| w == b"state_read").unwrap();
		program[at..at + 10].copy_from_slice(b"state_rEAD");
		assert_noop!(
			Registry::register(
				RuntimeOrigin::signed(ALICE),
				blob(program),
				key(1),
				VerificationMode::Reexec,
				0,
				None,
				MIN_BOND,
				0
			),
			Error::<Test>::UnknownHostCall
		);
	});
}

/// A `Ligerito`-mode agent's program must be inside the proof system's subset: the counter
/// registers; a program with a multiplication is refused with the instruction's opcode, given
/// as a blob or as a blob a re-execution agent stored.
#[test]
fn ligerito_mode_needs_a_program_inside_the_subset() {
	new_test_ext().execute_with(|| {
		let reg = |program| {
			Registry::register(
				RuntimeOrigin::signed(ALICE),
				program,
				key(1),
				VerificationMode::Ligerito,
				0,
				None,
				MIN_BOND,
				0,
			)
		};
		let id = NextAgentId::<Test>::get();
		assert_ok!(reg(blob(examples::counter())));
		assert_eq!(Agents::<Test>::get(id).unwrap().mode, VerificationMode::Ligerito);

		let multiplies =
			examples::assemble_agent("%isa = revive_v1\n%stack_size = 4096\npub @step:\na0 = a1 * a2\nret\n")
				.expect("assembles");
		let table = agentic_verifier::ligerito::program_table(&multiplies).err().expect("outside the subset");
		let agentic_verifier::VerifyError::ProgramTable(
			agentic_verifier::ligerito::TableError::UnsupportedInstruction { name, opcode, .. },
		) = table
		else {
			panic!("{table:?}")
		};
		assert_eq!(name, "mul_64");
		assert_noop!(reg(blob(multiplies.clone())), Error::<Test>::UnsupportedInstruction { opcode });
		// Stored by a re-execution agent, then named by hash.
		assert_ok!(Registry::register(
			RuntimeOrigin::signed(ALICE),
			blob(multiplies.clone()),
			key(2),
			VerificationMode::Reexec,
			0,
			None,
			MIN_BOND,
			0
		));
		let hash = H256(agentic_primitives::blake2_256(&multiplies));
		assert_noop!(reg(ProgramSource::Stored(hash)), Error::<Test>::UnsupportedInstruction { opcode });
		// Inside the subset but not provable: the `step` export in the middle of a basic block
		// (the assembler's `%no_fallthrough` puts it after `a0 = 1` without starting a block).
		// Re-execution takes it.
		let mid_block = examples::assemble_agent(
			"%isa = revive_v1\n%stack_size = 4096\n@start:\na0 = 1\npub @step: %no_fallthrough\na1 = 2\nret\n",
		)
		.expect("assembles");
		assert!(matches!(
			agentic_verifier::ligerito::program_table(&mid_block),
			Err(agentic_verifier::VerifyError::ProgramTable(
				agentic_verifier::ligerito::TableError::ExportNotBlockStart(_)
			))
		));
		assert_noop!(reg(blob(mid_block.clone())), Error::<Test>::ProgramNotProvable);
		assert_ok!(Registry::register(
			RuntimeOrigin::signed(ALICE),
			blob(mid_block),
			key(3),
			VerificationMode::Reexec,
			0,
			None,
			MIN_BOND,
			0
		));
		// The counter, stored, in Ligerito mode.
		let counter = H256(agentic_primitives::blake2_256(&examples::counter()));
		assert_ok!(reg(ProgramSource::Stored(counter)));
		// Inside the subset but beyond the mode's limits: a larger program, more mapped memory.
		let limits = agentic_primitives::LIGERITO_LIMITS;
		let large = examples::hash_chain_sized(limits.max_program_len as usize + 1024);
		assert_noop!(reg(blob(large)), Error::<Test>::ExceedsModeLimits);
		let stack = format!("%stack_size = {}", limits.max_memory);
		let roomy = examples::assemble_agent(&examples::COUNTER_SRC.replace("%stack_size = 4096", &stack)).unwrap();
		assert_noop!(reg(blob(roomy)), Error::<Test>::ExceedsModeLimits);
		// The length is refused before the table is built: a long program with an instruction
		// outside the subset is refused for its length.
		let long_multiplying = examples::assemble_agent(&format!(
			"{}\n@padding:\n{}",
			examples::COUNTER_SRC,
			"a0 = a0 * a1\n".repeat(limits.max_program_len as usize / 2)
		))
		.unwrap();
		assert!(long_multiplying.len() > limits.max_program_len as usize);
		assert_noop!(reg(blob(long_multiplying.clone())), Error::<Test>::ExceedsModeLimits);
		// So is a stored one, before it is read.
		assert_ok!(Registry::register(
			RuntimeOrigin::signed(ALICE),
			blob(long_multiplying.clone()),
			key(2),
			VerificationMode::Reexec,
			0,
			None,
			MIN_BOND,
			0
		));
		let long = H256(agentic_primitives::blake2_256(&long_multiplying));
		assert_noop!(reg(ProgramSource::Stored(long)), Error::<Test>::ExceedsModeLimits);
		let stack = format!("%stack_size = {}", limits.max_memory - 4096);
		let fits = examples::assemble_agent(&examples::COUNTER_SRC.replace("%stack_size = 4096", &stack)).unwrap();
		assert_ok!(reg(blob(fits)));
		// A chain that has not enabled the mode refuses it.
		LigeritoEnabled::set(false);
		assert_noop!(reg(blob(examples::counter())), Error::<Test>::ModeNotSupported);
	});
}

#[test]
fn register_refuses_bad_parameters() {
	new_test_ext().execute_with(|| {
		let reg = |mode, depth, bond, prepaid| {
			Registry::register(
				RuntimeOrigin::signed(ALICE),
				blob(examples::counter()),
				key(1),
				mode,
				depth,
				None,
				bond,
				prepaid,
			)
		};
		assert_noop!(reg(VerificationMode::Reexec, 11, MIN_BOND, 0), Error::<Test>::StateDepthTooLarge);
		// The bond and fee stand-ins fail: nothing of the registration remains.
		assert_noop!(reg(VerificationMode::Reexec, 0, MIN_BOND - 1, 0), "BelowMinimum");
		assert_noop!(reg(VerificationMode::Reexec, 0, MIN_BOND, 2_000_000), "InsufficientBalance");
		assert_eq!(NextAgentId::<Test>::get(), 0);
		NextAgentId::<Test>::put(u32::MAX);
		assert_noop!(reg(VerificationMode::Reexec, 0, MIN_BOND, 0), Error::<Test>::AgentIdsExhausted);
	});
}

#[test]
fn update_key_by_owner_only() {
	new_test_ext().execute_with(|| {
		let id = register_counter(ALICE);
		assert_noop!(Registry::update_key(RuntimeOrigin::signed(BOB), id, key(2)), Error::<Test>::NotOwner);
		assert_noop!(Registry::update_key(RuntimeOrigin::signed(ALICE), id + 1, key(2)), Error::<Test>::UnknownAgent);
		assert_ok!(Registry::update_key(RuntimeOrigin::signed(ALICE), id, key(2)));
		assert_eq!(Agents::<Test>::get(id).unwrap().key, key(2));
		System::assert_last_event(Event::KeyUpdated { agent: id, key: key(2) }.into());
	});
}

#[test]
fn retire_unbonds_and_frees_the_program() {
	new_test_ext().execute_with(|| {
		let id = register_counter(ALICE);
		let hash = Agents::<Test>::get(id).unwrap().program_hash;
		assert_noop!(Registry::retire(RuntimeOrigin::signed(BOB), id), Error::<Test>::NotOwner);
		assert_ok!(Registry::retire(RuntimeOrigin::signed(ALICE), id));
		System::assert_last_event(Event::Retired { agent: id }.into());
		assert_eq!(Agents::<Test>::get(id).unwrap().status, AgentStatus::Retired);
		assert_eq!(BONDS.with(|b| b.borrow().get(&id).copied()), Some((ALICE, MIN_BOND, true)));
		assert!(Programs::<Test>::get(hash).is_none());
		assert_noop!(Registry::retire(RuntimeOrigin::signed(ALICE), id), Error::<Test>::AgentRetired);
		assert_noop!(Registry::update_key(RuntimeOrigin::signed(ALICE), id, key(3)), Error::<Test>::AgentRetired);
		assert_noop!(
			<Registry as AgentDirectory<_, _>>::apply_transition(id, H256::zero()),
			Error::<Test>::AgentRetired
		);
	});
}

#[test]
fn a_shared_program_stays_while_any_user_is_active() {
	new_test_ext().execute_with(|| {
		let a = register_counter(ALICE);
		let b = register_counter(BOB);
		let hash = Agents::<Test>::get(a).unwrap().program_hash;
		assert_eq!(ProgramUsers::<Test>::get(hash), 2);
		assert_ok!(Registry::retire(RuntimeOrigin::signed(ALICE), a));
		assert!(Programs::<Test>::get(hash).is_some());
		assert_ok!(Registry::retire(RuntimeOrigin::signed(BOB), b));
		assert!(Programs::<Test>::get(hash).is_none());
	});
}

#[test]
fn directory_advances_versions_and_nonces() {
	new_test_ext().execute_with(|| {
		let id = register_counter(ALICE);
		let root = H256::repeat_byte(5);
		assert_eq!(<Registry as AgentDirectory<_, _>>::apply_transition(id, root), Ok(1));
		assert_ok!(<Registry as AgentDirectory<_, _>>::consume_nonce(id));
		let info = Agents::<Test>::get(id).unwrap();
		assert_eq!((info.state_root, info.version, info.nonce), (root, 1, 2));
		assert_noop!(<Registry as AgentDirectory<_, _>>::apply_transition(id + 9, root), Error::<Test>::UnknownAgent);
		assert_noop!(<Registry as AgentDirectory<_, _>>::consume_nonce(id + 9), Error::<Test>::UnknownAgent);
	});
}

#[test]
fn agents_paginate() {
	new_test_ext().execute_with(|| {
		for _ in 0..5 {
			register_counter(ALICE);
		}
		let page: Vec<u32> = Registry::agents_from(1, 3).into_iter().map(|(id, _)| id).collect();
		assert_eq!(page, vec![1, 2, 3]);
		assert_eq!(Registry::agents_from(4, 10).len(), 1);
		assert!(Registry::agents_from(9, 10).is_empty());
	});
}

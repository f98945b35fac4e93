//! Checkpoint tests: the incremental root equals a recomputation over all agents.

use crate::{mock::*, Event, Nodes, Pending, Root};
use agentic_primitives::{checkpoint, traits::OnAgentTransition};
use frame_support::traits::Hooks;
use sp_core::H256;
use sp_runtime::DigestItem;
use std::collections::BTreeMap;

fn note(agent: u32, root: u8, version: u64) {
	<Checkpoints as OnAgentTransition>::on_transition(agent, H256::repeat_byte(root), version);
}

fn end_block() {
	let n = System::block_number();
	Checkpoints::on_finalize(n);
}

fn digest_root() -> Option<H256> {
	System::digest().logs().iter().rev().find_map(|d| match d {
		DigestItem::Other(p) => checkpoint::parse_digest(p),
		_ => None,
	})
}

#[test]
fn empty_chain_has_the_empty_root_and_announces_it() {
	new_test_ext().execute_with(|| {
		assert_eq!(Root::<Test>::get(), checkpoint::empty_root());
		end_block();
		assert_eq!(digest_root(), Some(checkpoint::empty_root()));
		System::assert_last_event(
			Event::CheckpointCommitted { number: 1, root: checkpoint::empty_root(), changed: 0 }.into(),
		);
	});
}

#[test]
fn root_matches_recomputation_over_all_agents_across_blocks() {
	new_test_ext().execute_with(|| {
		let mut model: BTreeMap<u32, H256> = BTreeMap::new();
		let mut seed = 7u64;
		for block in 1..=20u64 {
			System::set_block_number(block);
			for _ in 0..(seed % 7) {
				seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
				let agent = (seed >> 40) as u32 % 50 * 1_000_003;
				let version = block;
				note(agent, (seed >> 8) as u8, version);
				model.insert(agent, checkpoint::leaf(agent, &H256::repeat_byte((seed >> 8) as u8), version));
			}
			seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
			end_block();
			let everything: Vec<(u32, H256)> = model.iter().map(|(a, l)| (*a, *l)).collect();
			let expected = checkpoint::root_of_all(&everything);
			assert_eq!(Root::<Test>::get(), expected, "block {block}");
			assert_eq!(digest_root(), Some(expected));
			assert_eq!(Pending::<Test>::iter().count(), 0);
		}
		let root = Root::<Test>::get();
		for (agent, leaf) in &model {
			assert!(checkpoint::verify_inclusion(&root, *agent, leaf, &Checkpoints::inclusion_proof(*agent)));
			let wrong = checkpoint::leaf(*agent, &H256::repeat_byte(0xee), 999);
			assert!(!checkpoint::verify_inclusion(&root, *agent, &wrong, &Checkpoints::inclusion_proof(*agent)));
		}
	});
}

#[test]
fn the_last_note_of_an_agent_in_a_block_wins() {
	new_test_ext().execute_with(|| {
		note(5, 1, 1);
		note(5, 2, 2);
		end_block();
		assert_eq!(Root::<Test>::get(), checkpoint::root_of_all(&[(5, checkpoint::leaf(5, &H256::repeat_byte(2), 2))]));
		System::assert_last_event(
			Event::CheckpointCommitted { number: 1, root: Root::<Test>::get(), changed: 1 }.into(),
		);
	});
}

#[test]
fn storage_holds_only_the_changed_paths() {
	new_test_ext().execute_with(|| {
		note(0, 1, 0);
		end_block();
		// One leaf and its 32 ancestors (the root included).
		assert_eq!(Nodes::<Test>::iter().count(), 33);
		note(1, 1, 0);
		end_block();
		// The sibling leaf shares every ancestor.
		assert_eq!(Nodes::<Test>::iter().count(), 34);
	});
}

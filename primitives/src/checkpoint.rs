//! The checkpoint: one commitment over every agent's `(state_root, version)`.
//!
//! A sparse binary Merkle tree of depth 32 indexed by [`AgentId`]:
//!
//! ```text
//! leaf(agent, root, version) = blake2_256(0x10 || agent_le || root || version_le)
//! node(l, r)                 = blake2_256(0x11 || l || r)
//! empty subtree at level 0   = 32 zero bytes; level i+1 = node(empty_i, empty_i)
//! ```
//!
//! Only non-empty nodes are stored. Updating `k` changed agents costs `k x 32` hashes and
//! storage accesses: the cost grows with the agents changed in a block, not with all agents.
//! [`update`] does that against any [`NodeStore`]; [`root_of_all`] recomputes the root from
//! scratch from a full list of leaves, so tests can check one against the other.

use alloc::vec::Vec;
use sp_core::H256;

use crate::{blake2_256, AgentId, StateRoot, Version};

/// Depth of the agent tree: one leaf per possible [`AgentId`].
pub const DEPTH: u8 = 32;

const LEAF_TAG: u8 = 0x10;
const NODE_TAG: u8 = 0x11;

/// The leaf that commits to one agent's state.
pub fn leaf(agent: AgentId, root: &StateRoot, version: Version) -> H256 {
	let mut buf = [0u8; 1 + 4 + 32 + 8];
	buf[0] = LEAF_TAG;
	buf[1..5].copy_from_slice(&agent.to_le_bytes());
	buf[5..37].copy_from_slice(root.as_bytes());
	buf[37..].copy_from_slice(&version.to_le_bytes());
	H256(blake2_256(&buf))
}

/// An inner node.
pub fn node(left: &H256, right: &H256) -> H256 {
	let mut buf = [0u8; 65];
	buf[0] = NODE_TAG;
	buf[1..33].copy_from_slice(left.as_bytes());
	buf[33..].copy_from_slice(right.as_bytes());
	H256(blake2_256(&buf))
}

/// Hashes of empty subtrees, `empty[level]` for levels `0..=DEPTH`.
pub fn empty_hashes() -> [H256; DEPTH as usize + 1] {
	let mut out = [H256::zero(); DEPTH as usize + 1];
	for level in 0..DEPTH as usize {
		out[level + 1] = node(&out[level], &out[level]);
	}
	out
}

/// Root of the tree with no agent.
pub fn empty_root() -> H256 {
	empty_hashes()[DEPTH as usize]
}

/// Storage of the non-empty nodes, keyed by `(level, index)`; level 0 holds leaves at index
/// `agent`, level 32 holds the root at index 0.
pub trait NodeStore {
	/// The node, if not empty.
	fn get(&self, level: u8, index: u32) -> Option<H256>;
	/// Stores a non-empty node.
	fn set(&mut self, level: u8, index: u32, hash: H256);
	/// Forgets a node that became empty.
	fn remove(&mut self, level: u8, index: u32);
}

/// Writes the changed leaves (`(agent, leaf)`, any order, later entries win) and recomputes
/// the path of each to the root. Returns the new root.
pub fn update<S: NodeStore>(store: &mut S, changed: &[(AgentId, H256)]) -> H256 {
	let empty = empty_hashes();
	let mut indices: Vec<u32> = Vec::with_capacity(changed.len());
	for (agent, hash) in changed {
		if *hash == empty[0] {
			store.remove(0, *agent);
		} else {
			store.set(0, *agent, *hash);
		}
		indices.push(*agent);
	}
	indices.sort_unstable();
	indices.dedup();
	for level in 0..DEPTH {
		let e = &empty[level as usize];
		let mut parents: Vec<u32> = indices.iter().map(|i| i / 2).collect();
		parents.dedup();
		for &p in &parents {
			let left = store.get(level, p * 2).unwrap_or(*e);
			let right = store.get(level, p * 2 + 1).unwrap_or(*e);
			let hash = node(&left, &right);
			if hash == empty[level as usize + 1] {
				store.remove(level + 1, p);
			} else {
				store.set(level + 1, p, hash);
			}
		}
		indices = parents;
	}
	store.get(DEPTH, 0).unwrap_or(empty[DEPTH as usize])
}

/// The sibling path of `agent`, from the leaf level up.
pub fn proof<S: NodeStore>(store: &S, agent: AgentId) -> Vec<H256> {
	let empty = empty_hashes();
	let mut index = agent;
	(0..DEPTH)
		.map(|level| {
			let sibling = store.get(level, index ^ 1).unwrap_or(empty[level as usize]);
			index /= 2;
			sibling
		})
		.collect()
}

/// Checks that `leaf` sits at `agent` under `root`, given its sibling path.
pub fn verify_inclusion(root: &H256, agent: AgentId, leaf: &H256, siblings: &[H256]) -> bool {
	if siblings.len() != DEPTH as usize {
		return false;
	}
	let mut hash = *leaf;
	let mut index = agent;
	for sibling in siblings {
		hash = if index % 2 == 0 { node(&hash, sibling) } else { node(sibling, &hash) };
		index /= 2;
	}
	hash == *root
}

/// The root over a complete list of leaves, computed from scratch (layer by layer, filling
/// gaps with empty subtrees). Independent of any [`NodeStore`]; used to cross-check [`update`].
pub fn root_of_all(leaves: &[(AgentId, H256)]) -> H256 {
	let empty = empty_hashes();
	let mut layer: Vec<(u32, H256)> = leaves.iter().copied().filter(|(_, h)| *h != empty[0]).collect();
	layer.sort_by_key(|(i, _)| *i);
	layer.dedup_by_key(|(i, _)| *i);
	for level in 0..DEPTH as usize {
		let mut next = Vec::with_capacity(layer.len());
		let mut i = 0;
		while i < layer.len() {
			let (index, hash) = layer[i];
			let (l, r) = if index % 2 == 0 {
				match layer.get(i + 1) {
					Some((j, h)) if *j == index + 1 => {
						i += 1;
						(hash, *h)
					},
					_ => (hash, empty[level]),
				}
			} else {
				(empty[level], hash)
			};
			next.push((index / 2, node(&l, &r)));
			i += 1;
		}
		layer = next;
	}
	layer.first().map(|(_, h)| *h).unwrap_or(empty[DEPTH as usize])
}

#[cfg(test)]
mod tests {
	use super::*;
	use alloc::collections::BTreeMap;
	use proptest::prelude::*;

	#[derive(Default)]
	struct MapStore(BTreeMap<(u8, u32), H256>);
	impl NodeStore for MapStore {
		fn get(&self, level: u8, index: u32) -> Option<H256> {
			self.0.get(&(level, index)).copied()
		}
		fn set(&mut self, level: u8, index: u32, hash: H256) {
			self.0.insert((level, index), hash);
		}
		fn remove(&mut self, level: u8, index: u32) {
			self.0.remove(&(level, index));
		}
	}

	#[test]
	fn empty_tree() {
		assert_eq!(root_of_all(&[]), empty_root());
		let mut store = MapStore::default();
		assert_eq!(update(&mut store, &[]), empty_root());
	}

	#[test]
	fn extreme_agent_ids() {
		let mut store = MapStore::default();
		let leaves = [(0, leaf(0, &H256::repeat_byte(1), 1)), (u32::MAX, leaf(u32::MAX, &H256::repeat_byte(2), 3))];
		let root = update(&mut store, &leaves);
		assert_eq!(root, root_of_all(&leaves));
		for (agent, l) in leaves {
			assert!(verify_inclusion(&root, agent, &l, &proof(&store, agent)));
		}
	}

	proptest! {
		/// Incremental updates over several blocks agree with a from-scratch recomputation, and
		/// every agent's inclusion proof verifies while tampered ones do not.
		#[test]
		fn incremental_matches_recomputation(
			blocks in proptest::collection::vec(
				proptest::collection::vec((0u32..64, any::<u8>()), 0..6), 1..6),
		) {
			let mut store = MapStore::default();
			let mut all: BTreeMap<u32, H256> = BTreeMap::new();
			let mut root = empty_root();
			for (n, block) in blocks.iter().enumerate() {
				let changed: Vec<(u32, H256)> = block
					.iter()
					.map(|(agent, b)| (*agent * 977, leaf(*agent * 977, &H256::repeat_byte(*b), n as u64)))
					.collect();
				for (a, l) in &changed {
					all.insert(*a, *l);
				}
				root = update(&mut store, &changed);
				let everything: Vec<_> = all.iter().map(|(a, l)| (*a, *l)).collect();
				prop_assert_eq!(root, root_of_all(&everything));
			}
			for (agent, l) in &all {
				let path = proof(&store, *agent);
				prop_assert!(verify_inclusion(&root, *agent, l, &path));
				let mut bad = path.clone();
				bad[(*agent % 32) as usize].0[0] ^= 1;
				prop_assert!(!verify_inclusion(&root, *agent, l, &bad));
				prop_assert!(!verify_inclusion(&root, agent ^ 1, l, &path));
				prop_assert!(!verify_inclusion(&root, *agent, &leaf(*agent, &H256::zero(), 99), &path));
			}
		}
	}
}

/// Prefix of the checkpoint's `DigestItem::Other` payload in every block header.
pub const DIGEST_PREFIX: [u8; 4] = *b"agck";

/// The digest payload announcing checkpoint `root`: [`DIGEST_PREFIX`] followed by the root.
pub fn digest_payload(root: &H256) -> Vec<u8> {
	let mut out = Vec::with_capacity(36);
	out.extend_from_slice(&DIGEST_PREFIX);
	out.extend_from_slice(root.as_bytes());
	out
}

/// The checkpoint root in a `DigestItem::Other` payload, if it is one.
pub fn parse_digest(payload: &[u8]) -> Option<H256> {
	let rest = payload.strip_prefix(&DIGEST_PREFIX[..])?;
	(rest.len() == 32).then(|| H256::from_slice(rest))
}

#[cfg(test)]
mod digest_tests {
	use super::*;

	#[test]
	fn digest_round_trips_and_rejects_others() {
		let root = H256::repeat_byte(3);
		assert_eq!(parse_digest(&digest_payload(&root)), Some(root));
		assert_eq!(parse_digest(b"agck"), None);
		assert_eq!(parse_digest(&[0u8; 36]), None);
		let mut long = digest_payload(&root);
		long.push(0);
		assert_eq!(parse_digest(&long), None);
	}
}

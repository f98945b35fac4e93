//! The commitments' Merkle trees, with 26-byte nodes.
//!
//! A tree over `2^L` leaves (`L ≥ 1`): a leaf is BLAKE3 of its row's SHA-256
//! ([`crate::hash::row_hash`]; ligerito's leaf, which its commitment computes) cut to
//! [`NODE_BYTES`]; an inner node is BLAKE3 of its two children cut to [`NODE_BYTES`];
//! the root, BLAKE3 of the top two nodes, is kept whole (32 bytes, what [`crate::Commitment`]
//! holds and the transcript absorbs). Binding needs collision resistance, and 26 bytes give
//! 104 bits of it (the birthday bound), above the protocol's 100; a whole-digest tree sends
//! 23% more bytes per sibling, the bulk of a proof's Merkle part.
//!
//! An opening of several leaves is one multiproof: layer by layer from the leaves, the
//! sibling of every known node that is not itself known, in increasing index order. The
//! verifier knows `L` (from the layout), so every node's depth is fixed, and leaves and inner
//! nodes hash inputs of different lengths (32 and 52 bytes).

use alloc::vec::Vec;

/// Bytes of a leaf digest and of an inner node.
pub const NODE_BYTES: usize = 26;

/// A leaf digest or an inner node.
pub type Node = [u8; NODE_BYTES];

/// The first [`NODE_BYTES`] bytes of a digest.
pub(crate) fn truncate(digest: &[u8; 32]) -> Node {
	let mut node = [0u8; NODE_BYTES];
	node.copy_from_slice(&digest[..NODE_BYTES]);
	node
}

/// The leaf of a row whose SHA-256 is `row_digest`.
pub(crate) fn leaf(row_digest: &[u8; 32]) -> Node {
	truncate(blake3::hash(row_digest).as_bytes())
}

/// BLAKE3 of two children, whole.
fn parent(left: &Node, right: &Node) -> [u8; 32] {
	let mut message = [0u8; 2 * NODE_BYTES];
	message[..NODE_BYTES].copy_from_slice(left);
	message[NODE_BYTES..].copy_from_slice(right);
	*blake3::hash(&message).as_bytes()
}

/// A whole tree, kept by the prover to open leaves.
#[cfg(feature = "prover")]
#[derive(Clone, Debug)]
pub(crate) struct MerkleTree {
	/// `layers[0]` the leaves, each next layer half the one before, the last of two nodes.
	layers: Vec<Vec<Node>>,
	root: [u8; 32],
}

#[cfg(feature = "prover")]
impl MerkleTree {
	/// The tree over `leaves`, a power of two of them, at least two.
	pub(crate) fn new(leaves: Vec<Node>) -> MerkleTree {
		assert!(leaves.len() >= 2 && leaves.len().is_power_of_two(), "a power of two of leaves, at least two");
		let mut layers = alloc::vec![leaves];
		while layers[layers.len() - 1].len() > 2 {
			let below = &layers[layers.len() - 1];
			let next = parents(below);
			layers.push(next);
		}
		let top = &layers[layers.len() - 1];
		let root = parent(&top[0], &top[1]);
		MerkleTree { layers, root }
	}

	/// The leaves.
	#[cfg(test)]
	pub(crate) fn leaves(&self) -> &[Node] {
		&self.layers[0]
	}

	/// The root.
	pub(crate) fn root(&self) -> [u8; 32] {
		self.root
	}

	/// The multiproof of the leaves at `queries` (sorted, distinct, below the leaf count).
	pub(crate) fn prove(&self, queries: &[usize]) -> Vec<Node> {
		let mut siblings = Vec::new();
		let mut known: Vec<usize> = queries.to_vec();
		for layer in &self.layers {
			let mut next = Vec::with_capacity(known.len());
			let mut i = 0;
			while i < known.len() {
				let index = known[i];
				if index % 2 == 0 && known.get(i + 1) == Some(&(index + 1)) {
					i += 2;
				} else {
					siblings.push(layer[index ^ 1]);
					i += 1;
				}
				next.push(index / 2);
			}
			known = next;
		}
		siblings
	}
}

/// Each pair's parent, cut.
#[cfg(feature = "prover")]
fn parents(below: &[Node]) -> Vec<Node> {
	let pair = |p: &[Node]| truncate(&parent(&p[0], &p[1]));
	#[cfg(feature = "parallel")]
	{
		use rayon::prelude::*;
		below.par_chunks_exact(2).map(pair).collect()
	}
	#[cfg(not(feature = "parallel"))]
	{
		below.chunks_exact(2).map(pair).collect()
	}
}

/// Whether `siblings` prove that the tree of `2^log_leaves` leaves with root `root` has
/// `leaves[i]` at `queries[i]` (`queries` sorted, distinct, below `2^log_leaves`; checked). Uses
/// every sibling exactly once or fails; never panics.
pub(crate) fn verify(root: &[u8; 32], log_leaves: u32, leaves: &[Node], queries: &[usize], siblings: &[Node]) -> bool {
	if log_leaves == 0 || log_leaves >= usize::BITS || leaves.len() != queries.len() || queries.is_empty() {
		return false;
	}
	if queries.windows(2).any(|w| w[0] >= w[1]) || queries[queries.len() - 1] >> log_leaves != 0 {
		return false;
	}
	let mut known: Vec<(usize, Node)> = queries.iter().copied().zip(leaves.iter().copied()).collect();
	let mut siblings = siblings.iter();
	for depth in 0..log_leaves {
		let top = depth + 1 == log_leaves;
		let mut next = Vec::with_capacity(known.len());
		let mut i = 0;
		while i < known.len() {
			let (index, node) = known[i];
			let (left, right) = if index % 2 == 0 && known.get(i + 1).is_some_and(|k| k.0 == index + 1) {
				i += 2;
				(node, known[i - 1].1)
			} else {
				i += 1;
				let Some(sibling) = siblings.next() else { return false };
				if index % 2 == 0 {
					(node, *sibling)
				} else {
					(*sibling, node)
				}
			};
			let digest = parent(&left, &right);
			if top {
				// The top layer's two nodes: one parent, the root.
				return siblings.next().is_none() && i == known.len() && digest == *root;
			}
			next.push((index / 2, truncate(&digest)));
		}
		known = next;
	}
	false
}

#[cfg(all(test, feature = "prover"))]
mod tests {
	use super::*;

	fn leaves(count: usize, seed: u8) -> Vec<Node> {
		(0..count).map(|i| truncate(blake3::hash(&[seed, (i >> 8) as u8, i as u8]).as_bytes())).collect()
	}

	/// Query sets of every kind: single leaves, siblings together, both ends, every leaf.
	fn query_sets(count: usize) -> Vec<Vec<usize>> {
		let mut sets = alloc::vec![
			alloc::vec![0],
			alloc::vec![count - 1],
			alloc::vec![0, 1],
			alloc::vec![0, count - 1],
			(0..count).collect::<Vec<_>>(),
		];
		if count >= 8 {
			sets.push(alloc::vec![1, 2, 5, count - 2]);
			sets.push((0..count).step_by(3).collect());
		}
		sets
	}

	#[test]
	fn multiproofs_verify_and_have_the_expected_size() {
		for log in 1..=7u32 {
			let count = 1usize << log;
			let all = leaves(count, 1);
			let tree = MerkleTree::new(all.clone());
			for queries in query_sets(count) {
				let opened: Vec<Node> = queries.iter().map(|&q| all[q]).collect();
				let siblings = tree.prove(&queries);
				assert!(verify(&tree.root(), log, &opened, &queries, &siblings), "{log} {queries:?}");
				// One sibling per layer for a lone leaf; none when every leaf is opened.
				if queries.len() == 1 {
					assert_eq!(siblings.len(), log as usize);
				}
				if queries.len() == count {
					assert!(siblings.is_empty());
				}
			}
		}
	}

	/// Every change is refused, at every depth: a leaf, a sibling, a query moved, the root, a
	/// sibling more or fewer, another depth.
	#[test]
	fn tampered_multiproofs_are_rejected() {
		for log in 1..=7u32 {
			tampered_at_depth(log);
		}
	}

	fn tampered_at_depth(log: u32) {
		let count = 1usize << log;
		let all = leaves(count, 2);
		let tree = MerkleTree::new(all.clone());
		let root = tree.root();
		for queries in query_sets(count) {
			let opened: Vec<Node> = queries.iter().map(|&q| all[q]).collect();
			let siblings = tree.prove(&queries);
			for i in 0..opened.len() {
				let mut bad = opened.clone();
				bad[i][NODE_BYTES - 1] ^= 1;
				assert!(!verify(&root, log, &bad, &queries, &siblings), "leaf {i} of {queries:?}");
			}
			for i in 0..siblings.len() {
				let mut bad = siblings.clone();
				bad[i][0] ^= 0x80;
				assert!(!verify(&root, log, &opened, &queries, &bad), "sibling {i} of {queries:?}");
			}
			if queries.len() < count {
				let free = (0..count).find(|q| !queries.contains(q)).unwrap();
				let mut moved = queries.clone();
				let at = moved.iter().position(|&q| q > free).unwrap_or(moved.len() - 1);
				moved[at] = free;
				moved.sort_unstable();
				assert!(!verify(&root, log, &opened, &moved, &siblings), "moved {queries:?}");
			}
			let mut other_root = root;
			other_root[31] ^= 1;
			assert!(!verify(&other_root, log, &opened, &queries, &siblings));
			let mut more = siblings.clone();
			more.push(all[0]);
			assert!(!verify(&root, log, &opened, &queries, &more));
			if !siblings.is_empty() {
				assert!(!verify(&root, log, &opened, &queries, &siblings[1..]));
			}
			assert!(!verify(&root, log - 1, &opened, &queries, &siblings));
			assert!(!verify(&root, log + 1, &opened, &queries, &siblings));
		}
	}

	/// The guards on the query list and the depth, each tested with a proof that would pass
	/// without it (review MK-1, MK-3): a query past the leaves that the hashing alone would read
	/// as the leaf `2^L` below it, a query without a leaf, and depths no tree has.
	#[test]
	fn malformed_query_lists_and_depths_are_rejected() {
		let log = 6;
		let count = 1usize << log;
		let all = leaves(count, 4);
		let tree = MerkleTree::new(all.clone());
		let root = tree.root();
		let five = tree.prove(&[5]);
		assert!(verify(&root, log, &[all[5]], &[5], &five));
		assert!(!verify(&root, log, &[all[5]], &[5 + count], &five), "past the leaves");
		let three = tree.prove(&[3]);
		assert!(!verify(&root, log, &[all[3]], &[3, 9], &three), "fewer leaves than queries");
		assert!(!verify(&root, log, &[], &[], &[]), "nothing");
		for depth in [0, usize::BITS, u32::MAX] {
			assert!(!verify(&root, depth, &[all[5]], &[5], &five), "depth {depth}");
		}
		// Unsorted and repeated lists: refused by the order check, and (defence in depth) by
		// the top layer, where more than one node would remain.
		let siblings = tree.prove(&[3, 9]);
		assert!(!verify(&root, log, &[all[9], all[3]], &[9, 3], &siblings), "unsorted");
		assert!(!verify(&root, log, &[all[3], all[3]], &[3, 3], &siblings), "repeated");
	}

	/// The prover's leaves are ligerito's leaf layer, which must be what the verifier
	/// recomputes from an opened row (review MK-9).
	#[test]
	fn the_leaves_are_what_the_verifier_recomputes() {
		use crate::{hash::row_hash, prover::commit, Base, Params};
		let values: Vec<Base> = (0..1u32 << 10).map(|i| Base::from_value(i.wrapping_mul(0x9e37_79b9))).collect();
		let params = Params { log_leaf_width: 3, num_queries: 8, grinding_bits: 0 };
		let committed = commit(&params, &[&values[..]]).unwrap();
		let leaves = committed.tree_leaves();
		for q in [0, 1, 77, leaves.len() - 1] {
			assert_eq!(leaves[q], leaf(&row_hash(&committed.encoded_row(q))), "leaf {q}");
		}
	}
}

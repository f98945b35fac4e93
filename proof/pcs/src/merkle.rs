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

/// The leaves of rows whose SHA-256 digests are `row_digests`: [`leaf`] of each, sixteen at a
/// time where the CPU can (`sixteen`), on every core with feature `parallel`.
#[cfg(feature = "prover")]
pub(crate) fn leaves(row_digests: &[[u8; 32]]) -> Vec<Node> {
	let group = |digests: &[[u8; 32]], out: &mut [Node]| {
		#[cfg(all(feature = "hardware-accel", target_arch = "x86_64"))]
		if let (Ok(digests), true) = (<&[[u8; 32]; AT_ONCE]>::try_from(digests), sixteen::available()) {
			// SAFETY: the CPU has the instructions (checked).
			let hashes = unsafe { sixteen::hash(digests, 32) };
			out.iter_mut().zip(&hashes).for_each(|(node, hash)| *node = truncate(hash));
			return;
		}
		out.iter_mut().zip(digests).for_each(|(node, digest)| *node = leaf(digest));
	};
	in_groups(row_digests, AT_ONCE, 1, group)
}

/// Each pair's parent, cut: sixteen pairs at a time where the CPU can (`sixteen`), on every
/// core with feature `parallel`.
#[cfg(feature = "prover")]
fn parents(below: &[Node]) -> Vec<Node> {
	let group = |nodes: &[Node], out: &mut [Node]| {
		#[cfg(all(feature = "hardware-accel", target_arch = "x86_64"))]
		if nodes.len() == 2 * AT_ONCE && sixteen::available() {
			let messages: [[u8; 2 * NODE_BYTES]; AT_ONCE] = core::array::from_fn(|l| {
				let mut message = [0u8; 2 * NODE_BYTES];
				message[..NODE_BYTES].copy_from_slice(&nodes[2 * l]);
				message[NODE_BYTES..].copy_from_slice(&nodes[2 * l + 1]);
				message
			});
			// SAFETY: the CPU has the instructions (checked).
			let hashes = unsafe { sixteen::hash(&messages, 2 * NODE_BYTES) };
			out.iter_mut().zip(&hashes).for_each(|(node, hash)| *node = truncate(hash));
			return;
		}
		out.iter_mut().zip(nodes.chunks_exact(2)).for_each(|(node, p)| *node = truncate(&parent(&p[0], &p[1])));
	};
	in_groups(below, 2 * AT_ONCE, 2, group)
}

/// Hashes the prover computes at once (`sixteen`).
#[cfg(feature = "prover")]
const AT_ONCE: usize = 16;

/// Calls of a group's hashing per task, with feature `parallel`.
#[cfg(feature = "parallel")]
const CALLS_PER_TASK: usize = 16;

/// One node per `ratio` items of `items` (a multiple of `ratio` of them), `group` filling the
/// nodes of each `per_call` items in turn (the last call may have fewer); with feature
/// `parallel`, [`CALLS_PER_TASK`] calls per task on every core, each writing its own nodes.
#[cfg(feature = "prover")]
fn in_groups<T: Sync>(
	items: &[T],
	per_call: usize,
	ratio: usize,
	group: impl Fn(&[T], &mut [Node]) + Sync,
) -> Vec<Node> {
	// Zeroed by the allocator (pages mapped as they are written, on the core that writes them).
	let mut out = alloc::vec![[0u8; NODE_BYTES]; items.len() / ratio];
	let calls = |items: &[T], out: &mut [Node]| {
		items.chunks(per_call).zip(out.chunks_mut(per_call / ratio)).for_each(|(items, out)| group(items, out))
	};
	#[cfg(feature = "parallel")]
	{
		use rayon::prelude::*;
		let task = per_call * CALLS_PER_TASK;
		items.par_chunks(task).zip(out.par_chunks_mut(task / ratio)).for_each(|(items, out)| calls(items, out));
	}
	#[cfg(not(feature = "parallel"))]
	calls(items, &mut out);
	out
}

/// BLAKE3 of sixteen messages of one length, at most a block (64 bytes), side by side in
/// AVX-512 registers: the prover's trees hash a million such messages (the leaves' 32 bytes,
/// the nodes' 52), and one hash at a time leaves most of a vector idle. Each lane is the BLAKE3
/// specification's hash of a one-block input: one compression of the zero-padded block with
/// the key `IV`, counter 0, the block's length and the flags `CHUNK_START | CHUNK_END | ROOT`,
/// the first eight words of its output (tested against the `blake3` crate).
#[cfg(all(feature = "prover", feature = "hardware-accel", target_arch = "x86_64"))]
mod sixteen {
	use core::arch::x86_64::{
		__m512i, _mm512_add_epi32, _mm512_loadu_si512, _mm512_ror_epi32, _mm512_set1_epi32, _mm512_storeu_si512,
		_mm512_xor_si512,
	};

	/// Messages hashed at once.
	const LANES: usize = super::AT_ONCE;

	/// BLAKE3's initial vector (SHA-256's).
	const IV: [u32; 8] =
		[0x6A09_E667, 0xBB67_AE85, 0x3C6E_F372, 0xA54F_F53A, 0x510E_527F, 0x9B05_688C, 0x1F83_D9AB, 0x5BE0_CD19];
	/// The message words' order in the next round.
	const PERMUTATION: [usize; 16] = [2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8];
	/// `CHUNK_START | CHUNK_END | ROOT`.
	const ONE_BLOCK_ROOT: u32 = 1 | 2 | 8;

	/// Whether this CPU runs [`hash`].
	pub(crate) fn available() -> bool {
		crate::field::x86::has_avx512f()
	}

	/// The quarter-round `G` on state words `a, b, c, d` with message words `x, y`.
	#[target_feature(enable = "avx512f")]
	#[inline]
	fn g(v: &mut [__m512i; 16], [a, b, c, d]: [usize; 4], x: __m512i, y: __m512i) {
		v[a] = _mm512_add_epi32(_mm512_add_epi32(v[a], v[b]), x);
		v[d] = _mm512_ror_epi32::<16>(_mm512_xor_si512(v[d], v[a]));
		v[c] = _mm512_add_epi32(v[c], v[d]);
		v[b] = _mm512_ror_epi32::<12>(_mm512_xor_si512(v[b], v[c]));
		v[a] = _mm512_add_epi32(_mm512_add_epi32(v[a], v[b]), y);
		v[d] = _mm512_ror_epi32::<8>(_mm512_xor_si512(v[d], v[a]));
		v[c] = _mm512_add_epi32(v[c], v[d]);
		v[b] = _mm512_ror_epi32::<7>(_mm512_xor_si512(v[b], v[c]));
	}

	/// BLAKE3 of the first `len` bytes of each of `messages` (all of them if `len` is more).
	///
	/// # Safety
	/// The CPU has AVX-512F ([`available`]).
	#[target_feature(enable = "avx512f")]
	pub(crate) unsafe fn hash<const N: usize>(messages: &[[u8; N]; LANES], len: usize) -> [[u8; 32]; LANES] {
		const { assert!(N <= 64) };
		let len = len.min(N);
		// Word `j` of every lane's zero-padded block, lane by lane.
		let mut words = [[0u32; LANES]; 16];
		for (l, message) in messages.iter().enumerate() {
			let mut block = [0u8; 64];
			block[..len].copy_from_slice(&message[..len]);
			for (j, word) in block.chunks_exact(4).enumerate() {
				words[j][l] = u32::from_le_bytes([word[0], word[1], word[2], word[3]]);
			}
		}
		// SAFETY: each row of `words` is sixteen `u32`s, 64 bytes, read unaligned.
		let mut m: [__m512i; 16] = core::array::from_fn(|j| unsafe { _mm512_loadu_si512(words[j].as_ptr().cast()) });
		let splat = |w: u32| _mm512_set1_epi32(w as i32);
		let mut v: [__m512i; 16] = core::array::from_fn(|i| match i {
			0..8 => splat(IV[i]),
			8..12 => splat(IV[i - 8]),
			14 => splat(len as u32),
			15 => splat(ONE_BLOCK_ROOT),
			// The counter, 0.
			_ => splat(0),
		});
		for round in 0..7 {
			g(&mut v, [0, 4, 8, 12], m[0], m[1]);
			g(&mut v, [1, 5, 9, 13], m[2], m[3]);
			g(&mut v, [2, 6, 10, 14], m[4], m[5]);
			g(&mut v, [3, 7, 11, 15], m[6], m[7]);
			g(&mut v, [0, 5, 10, 15], m[8], m[9]);
			g(&mut v, [1, 6, 11, 12], m[10], m[11]);
			g(&mut v, [2, 7, 8, 13], m[12], m[13]);
			g(&mut v, [3, 4, 9, 14], m[14], m[15]);
			if round < 6 {
				m = core::array::from_fn(|j| m[PERMUTATION[j]]);
			}
		}
		let mut out = [[0u32; LANES]; 8];
		for (i, words) in out.iter_mut().enumerate() {
			// SAFETY: sixteen `u32`s, 64 bytes, written unaligned.
			unsafe { _mm512_storeu_si512(words.as_mut_ptr().cast(), _mm512_xor_si512(v[i], v[i + 8])) };
		}
		core::array::from_fn(|l| {
			let mut digest = [0u8; 32];
			for (i, bytes) in digest.chunks_exact_mut(4).enumerate() {
				bytes.copy_from_slice(&out[i][l].to_le_bytes());
			}
			digest
		})
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

	/// Sixteen hashes at once are BLAKE3's, for every length up to a block (the leaves' 32
	/// bytes and the nodes' 52 among them), with the bytes past the length ignored.
	#[cfg(all(feature = "hardware-accel", target_arch = "x86_64"))]
	#[test]
	fn sixteen_hashes_at_once_are_blake3s() {
		if !sixteen::available() {
			std::eprintln!("no AVX-512 here: the sixteen hashes at once are not tested");
			return;
		}
		for len in 0..=64usize {
			let messages: [[u8; 64]; AT_ONCE] = core::array::from_fn(|l| {
				core::array::from_fn(|i| (i as u8).wrapping_mul(31) ^ (l as u8) ^ (len as u8))
			});
			// SAFETY: the CPU has the instructions (checked).
			let hashes = unsafe { sixteen::hash(&messages, len) };
			for (message, hash) in messages.iter().zip(&hashes) {
				assert_eq!(hash, blake3::hash(&message[..len as usize]).as_bytes(), "{len} bytes");
			}
		}
	}

	/// The tree's layers, sixteen hashes at a time where a layer has that many, are those of one
	/// hash at a time: the leaves of row digests, and every layer above for trees of 2 to 2^11
	/// leaves (groups of sixteen, of several sixteens, and several groups per core).
	#[test]
	fn the_layers_are_the_hashes_one_at_a_time() {
		for log in 1..=11u32 {
			let digests: Vec<[u8; 32]> = (0..1u32 << log).map(|i| *blake3::hash(&i.to_le_bytes()).as_bytes()).collect();
			let leaves_one_by_one: Vec<Node> = digests.iter().map(leaf).collect();
			assert_eq!(super::leaves(&digests), leaves_one_by_one, "{log}");
			let tree = MerkleTree::new(leaves_one_by_one.clone());
			let mut layer = leaves_one_by_one;
			for (depth, built) in tree.layers.iter().enumerate() {
				assert_eq!(built, &layer, "{log} leaves, depth {depth}");
				layer = layer.chunks_exact(2).map(|p| truncate(&parent(&p[0], &p[1]))).collect();
			}
			let top = &tree.layers[tree.layers.len() - 1];
			assert_eq!(tree.root(), parent(&top[0], &top[1]));
		}
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

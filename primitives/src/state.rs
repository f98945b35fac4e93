//! Paged state commitment.
//!
//! An agent's state is `2^depth` pages of [`PAGE_SIZE`] bytes. Its `state_root` is
//!
//! ```text
//! leaf(page)      = blake2_256(0x00 || page)
//! node(l, r)      = blake2_256(0x01 || l || r)
//! state_root      = blake2_256(0x02 || depth || tree_root)
//! ```
//!
//! where `tree_root` is the binary Merkle root over the leaves in page order. Binding `depth` into
//! the root makes the root self-describing, and the three domain tags keep a leaf from ever
//! being read as a node.
//!
//! A [`StateWitness`] holds the pages an execution touched and a *multiproof*: the sibling
//! hashes that, together with those pages, determine the root. The proof hashes are consumed in a
//! canonical order (level by level from the leaves, left to right), so one witness both checks
//! `old_root` and, with the written pages substituted, yields `new_root`, in
//! O(touched pages x depth) hashes.

use alloc::{collections::BTreeMap, vec, vec::Vec};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::{bounded::BoundedVec, ConstU32, H256};

use crate::blake2_256;

/// Bytes per state page.
pub const PAGE_SIZE: usize = 256;
/// Largest tree depth: `2^16` pages of 256 bytes, 16 MiB of state.
pub const MAX_STATE_DEPTH: u8 = 16;
/// Most pages one witness may carry.
pub const MAX_WITNESS_PAGES: u32 = 1024;
/// Most proof hashes one witness may carry (`MAX_WITNESS_PAGES * MAX_STATE_DEPTH`).
pub const MAX_WITNESS_HASHES: u32 = MAX_WITNESS_PAGES * MAX_STATE_DEPTH as u32;

const LEAF_TAG: u8 = 0x00;
const NODE_TAG: u8 = 0x01;
const ROOT_TAG: u8 = 0x02;

/// One page of state.
pub type Page = [u8; PAGE_SIZE];

/// A touched page and its index.
#[derive(Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen, Debug)]
pub struct WitnessPage {
	/// Index of the page in the state.
	pub index: u32,
	/// The page's content before the execution.
	pub data: Page,
}

/// The touched pages of a state and the multiproof that binds them to its root.
#[derive(Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug, Default)]
pub struct StateWitness {
	/// Depth of the state's page tree.
	pub depth: u8,
	/// The touched pages, strictly ascending by index.
	pub pages: BoundedVec<WitnessPage, ConstU32<MAX_WITNESS_PAGES>>,
	/// Sibling hashes in canonical order (see the module docs).
	pub proof: BoundedVec<H256, ConstU32<MAX_WITNESS_HASHES>>,
}

/// Why a witness does not open a root.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum WitnessError {
	/// Depth above [`MAX_STATE_DEPTH`].
	DepthTooLarge,
	/// The witness holds no page.
	NoPages,
	/// Page indices are not strictly ascending.
	UnsortedPages,
	/// A page index is not below `2^depth`.
	PageOutOfRange,
	/// The multiproof ran out of hashes.
	ProofTooShort,
	/// The multiproof has hashes left over.
	ProofTooLong,
	/// The recomputed root is not the claimed one.
	RootMismatch,
}

/// Hash of one page as a leaf.
pub fn hash_leaf(page: &Page) -> H256 {
	let mut buf = [0u8; 1 + PAGE_SIZE];
	buf[0] = LEAF_TAG;
	buf[1..].copy_from_slice(page);
	H256(blake2_256(&buf))
}

/// Hash of an inner node.
pub fn hash_node(left: &H256, right: &H256) -> H256 {
	let mut buf = [0u8; 65];
	buf[0] = NODE_TAG;
	buf[1..33].copy_from_slice(left.as_bytes());
	buf[33..].copy_from_slice(right.as_bytes());
	H256(blake2_256(&buf))
}

/// The state root for a tree root of a tree of `depth`.
pub fn finalize_root(depth: u8, tree_root: &H256) -> H256 {
	let mut buf = [0u8; 34];
	buf[0] = ROOT_TAG;
	buf[1] = depth;
	buf[2..].copy_from_slice(tree_root.as_bytes());
	H256(blake2_256(&buf))
}

/// Root of the all-zero state of `depth` (what every agent starts from unless it says otherwise).
pub fn empty_root(depth: u8) -> H256 {
	let mut h = hash_leaf(&[0u8; PAGE_SIZE]);
	for _ in 0..depth {
		h = hash_node(&h, &h);
	}
	finalize_root(depth, &h)
}

/// Recomputes the state root from touched leaves (`(index, leaf hash)`, strictly ascending) and
/// a multiproof. The same proof serves the leaves before and after a write.
pub fn root_from_leaves(depth: u8, leaves: &[(u32, H256)], proof: &[H256]) -> Result<H256, WitnessError> {
	if depth > MAX_STATE_DEPTH {
		return Err(WitnessError::DepthTooLarge);
	}
	if leaves.is_empty() {
		return Err(WitnessError::NoPages);
	}
	let width = 1u64 << depth;
	let mut prev: Option<u32> = None;
	for (index, _) in leaves {
		if u64::from(*index) >= width {
			return Err(WitnessError::PageOutOfRange);
		}
		if prev.is_some_and(|p| p >= *index) {
			return Err(WitnessError::UnsortedPages);
		}
		prev = Some(*index);
	}
	let mut layer: Vec<(u32, H256)> = leaves.to_vec();
	let mut proof = proof.iter();
	for _ in 0..depth {
		let mut next = Vec::with_capacity(layer.len() / 2 + 1);
		let mut i = 0;
		while i < layer.len() {
			let (index, hash) = layer[i];
			let parent = if index % 2 == 0 && layer.get(i + 1).is_some_and(|(j, _)| *j == index + 1) {
				i += 1;
				hash_node(&hash, &layer[i].1)
			} else {
				let sibling = proof.next().ok_or(WitnessError::ProofTooShort)?;
				if index % 2 == 0 {
					hash_node(&hash, sibling)
				} else {
					hash_node(sibling, &hash)
				}
			};
			next.push((index / 2, parent));
			i += 1;
		}
		layer = next;
	}
	if proof.next().is_some() {
		return Err(WitnessError::ProofTooLong);
	}
	Ok(finalize_root(depth, &layer[0].1))
}

impl StateWitness {
	/// Checks that the witness opens `root`, and returns its pages by index.
	pub fn open(&self, root: &H256) -> Result<BTreeMap<u32, Page>, WitnessError> {
		let leaves: Vec<(u32, H256)> = self.pages.iter().map(|p| (p.index, hash_leaf(&p.data))).collect();
		if root_from_leaves(self.depth, &leaves, &self.proof)? != *root {
			return Err(WitnessError::RootMismatch);
		}
		Ok(self.pages.iter().map(|p| (p.index, p.data)).collect())
	}

	/// The root after replacing touched pages with `written` ones. Every written page must be one
	/// of the witness's pages (a page the proof does not cover cannot be re-rooted).
	pub fn root_after(&self, written: &BTreeMap<u32, Page>) -> Result<H256, WitnessError> {
		let leaves: Vec<(u32, H256)> =
			self.pages.iter().map(|p| (p.index, hash_leaf(written.get(&p.index).unwrap_or(&p.data)))).collect();
		if written.keys().any(|k| self.pages.binary_search_by_key(k, |p| p.index).is_err()) {
			return Err(WitnessError::PageOutOfRange);
		}
		root_from_leaves(self.depth, &leaves, &self.proof)
	}
}

/// A whole state with its Merkle tree, as the prover worker holds it. Page updates cost
/// O(depth) hashes; witnesses for any page set are produced in the canonical order.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct StateTree {
	depth: u8,
	pages: Vec<Page>,
	/// `levels[0]` are the leaf hashes, `levels[depth]` holds the tree root.
	levels: Vec<Vec<H256>>,
}

impl StateTree {
	/// An all-zero state of `2^depth` pages.
	pub fn new(depth: u8) -> Result<Self, WitnessError> {
		if depth > MAX_STATE_DEPTH {
			return Err(WitnessError::DepthTooLarge);
		}
		Self::from_pages(depth, vec![[0u8; PAGE_SIZE]; 1usize << depth])
	}

	/// A state from its pages; `pages.len()` must be `2^depth`.
	pub fn from_pages(depth: u8, pages: Vec<Page>) -> Result<Self, WitnessError> {
		if depth > MAX_STATE_DEPTH {
			return Err(WitnessError::DepthTooLarge);
		}
		if pages.len() != 1usize << depth {
			return Err(WitnessError::PageOutOfRange);
		}
		let mut levels = Vec::with_capacity(depth as usize + 1);
		levels.push(pages.iter().map(hash_leaf).collect::<Vec<_>>());
		for level in 0..depth as usize {
			let below = &levels[level];
			let above = below.chunks(2).map(|pair| hash_node(&pair[0], &pair[1])).collect();
			levels.push(above);
		}
		Ok(Self { depth, pages, levels })
	}

	/// Depth of the tree.
	pub fn depth(&self) -> u8 {
		self.depth
	}

	/// All pages.
	pub fn pages(&self) -> &[Page] {
		&self.pages
	}

	/// One page, if in range.
	pub fn page(&self, index: u32) -> Option<&Page> {
		self.pages.get(index as usize)
	}

	/// The state root.
	pub fn root(&self) -> H256 {
		finalize_root(self.depth, &self.levels[self.depth as usize][0])
	}

	/// Replaces a page and updates the path above it.
	pub fn set_page(&mut self, index: u32, page: Page) -> Result<(), WitnessError> {
		let mut i = index as usize;
		if i >= self.pages.len() {
			return Err(WitnessError::PageOutOfRange);
		}
		self.pages[i] = page;
		self.levels[0][i] = hash_leaf(&page);
		for level in 0..self.depth as usize {
			let left = self.levels[level][i & !1];
			let right = self.levels[level][i | 1];
			i /= 2;
			self.levels[level + 1][i] = hash_node(&left, &right);
		}
		Ok(())
	}

	/// The witness for a set of touched pages (their current contents and the multiproof).
	pub fn witness(&self, touched: &alloc::collections::BTreeSet<u32>) -> Result<StateWitness, WitnessError> {
		if touched.is_empty() {
			return Err(WitnessError::NoPages);
		}
		let mut pages = Vec::with_capacity(touched.len());
		for &index in touched {
			let data = *self.page(index).ok_or(WitnessError::PageOutOfRange)?;
			pages.push(WitnessPage { index, data });
		}
		let mut proof = Vec::new();
		let mut layer: Vec<u32> = touched.iter().copied().collect();
		for level in 0..self.depth as usize {
			let mut next = Vec::with_capacity(layer.len() / 2 + 1);
			let mut i = 0;
			while i < layer.len() {
				let index = layer[i];
				if index % 2 == 0 && layer.get(i + 1) == Some(&(index + 1)) {
					i += 1;
				} else {
					proof.push(self.levels[level][(index ^ 1) as usize]);
				}
				next.push(index / 2);
				i += 1;
			}
			layer = next;
		}
		Ok(StateWitness {
			depth: self.depth,
			pages: BoundedVec::try_from(pages).map_err(|_| WitnessError::ProofTooLong)?,
			proof: BoundedVec::try_from(proof).map_err(|_| WitnessError::ProofTooLong)?,
		})
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use alloc::collections::BTreeSet;
	use proptest::prelude::*;

	fn tree_with(depth: u8, seed: u8) -> StateTree {
		let pages = (0..(1usize << depth))
			.map(|i| {
				let mut p = [0u8; PAGE_SIZE];
				p[0] = i as u8;
				p[1] = seed;
				p[PAGE_SIZE - 1] = (i >> 8) as u8;
				p
			})
			.collect();
		StateTree::from_pages(depth, pages).unwrap()
	}

	#[test]
	fn empty_root_matches_tree() {
		for depth in 0..6 {
			assert_eq!(StateTree::new(depth).unwrap().root(), empty_root(depth));
		}
	}

	#[test]
	fn depth_is_bound_into_root() {
		// A one-page state and the same page as the left half of a deeper tree differ.
		assert_ne!(empty_root(0), empty_root(1));
		assert!(StateTree::new(MAX_STATE_DEPTH + 1).is_err());
	}

	#[test]
	fn witness_opens_and_rerooting_matches_full_update() {
		let mut tree = tree_with(5, 7);
		let touched: BTreeSet<u32> = [0, 1, 6, 17, 31].into_iter().collect();
		let witness = tree.witness(&touched).unwrap();
		let pages = witness.open(&tree.root()).unwrap();
		assert_eq!(pages.len(), 5);
		let mut written = BTreeMap::new();
		written.insert(6, [9u8; PAGE_SIZE]);
		written.insert(31, [3u8; PAGE_SIZE]);
		let new_root = witness.root_after(&written).unwrap();
		tree.set_page(6, [9u8; PAGE_SIZE]).unwrap();
		tree.set_page(31, [3u8; PAGE_SIZE]).unwrap();
		assert_eq!(new_root, tree.root());
		// A freshly built tree over the same pages agrees with the incremental one.
		assert_eq!(StateTree::from_pages(5, tree.pages().to_vec()).unwrap().root(), tree.root());
	}

	#[test]
	fn writing_a_page_outside_the_witness_is_refused() {
		let tree = tree_with(3, 1);
		let witness = tree.witness(&[2u32].into_iter().collect()).unwrap();
		let mut written = BTreeMap::new();
		written.insert(5, [1u8; PAGE_SIZE]);
		assert_eq!(witness.root_after(&written), Err(WitnessError::PageOutOfRange));
	}

	#[test]
	fn malformed_witnesses_are_refused() {
		let tree = tree_with(4, 2);
		let root = tree.root();
		let witness = tree.witness(&[3u32, 4].into_iter().collect()).unwrap();

		let mut w = witness.clone();
		let mut pages = w.pages.into_inner();
		pages.swap(0, 1);
		w.pages = BoundedVec::try_from(pages).unwrap();
		assert_eq!(w.open(&root), Err(WitnessError::UnsortedPages));

		let mut w = witness.clone();
		w.proof.pop();
		assert_eq!(w.open(&root), Err(WitnessError::ProofTooShort));

		let mut w = witness.clone();
		w.proof.try_push(H256::zero()).unwrap();
		assert_eq!(w.open(&root), Err(WitnessError::ProofTooLong));

		let mut w = witness.clone();
		w.pages[1].index = 16;
		assert_eq!(w.open(&root), Err(WitnessError::PageOutOfRange));

		let mut w = witness.clone();
		w.depth = 5;
		assert!(w.open(&root).is_err());

		let w = StateWitness { depth: 4, ..Default::default() };
		assert_eq!(w.open(&root), Err(WitnessError::NoPages));
	}

	proptest! {
		#![proptest_config(ProptestConfig::with_cases(256))]

		/// Any change to any touched page's bytes, any proof hash, or any page position makes
		/// verification against the honest root fail.
		#[test]
		fn tampering_is_detected(
			depth in 1u8..7,
			seed in any::<u8>(),
			picks in proptest::collection::btree_set(any::<u32>(), 1..6),
			what in 0u8..3,
			which in any::<usize>(),
			byte in any::<usize>(),
			flip in 1u8..=255,
		) {
			let tree = tree_with(depth, seed);
			let width = 1u32 << depth;
			let touched: BTreeSet<u32> = picks.iter().map(|p| p % width).collect();
			let honest = tree.witness(&touched).unwrap();
			prop_assert!(honest.open(&tree.root()).is_ok());
			let mut w = honest.clone();
			match what {
				0 => {
					let i = which % w.pages.len();
					w.pages[i].data[byte % PAGE_SIZE] ^= flip;
				}
				1 => {
					if w.proof.is_empty() {
						// Every page is touched: tamper a page instead.
						w.pages[0].data[byte % PAGE_SIZE] ^= flip;
					} else {
						let i = which % w.proof.len();
						w.proof[i].0[byte % 32] ^= flip;
					}
				}
				_ => {
					let i = which % w.pages.len();
					// Move the page to another position (keeping the order valid or not).
					let moved = (w.pages[i].index + 1 + (flip as u32 % (width - 1).max(1))) % width;
					prop_assume!(moved != w.pages[i].index);
					w.pages[i].index = moved;
				}
			}
			prop_assert!(w.open(&tree.root()).is_err());
		}

		/// Re-rooting through a witness equals updating the full tree, for any writes.
		#[test]
		fn reroot_equals_full_update(
			depth in 0u8..7,
			picks in proptest::collection::btree_set(any::<u32>(), 1..8),
			value in any::<u8>(),
		) {
			let mut tree = tree_with(depth, value);
			let width = 1u32 << depth;
			let touched: BTreeSet<u32> = picks.iter().map(|p| p % width).collect();
			let witness = tree.witness(&touched).unwrap();
			let mut written = BTreeMap::new();
			for (n, index) in touched.iter().enumerate() {
				if n % 2 == 0 {
					let page = [value.wrapping_add(n as u8); PAGE_SIZE];
					written.insert(*index, page);
					tree.set_page(*index, page).unwrap();
				}
			}
			prop_assert_eq!(witness.root_after(&written).unwrap(), tree.root());
		}
	}
}

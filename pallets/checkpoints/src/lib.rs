//! # Checkpoints
//!
//! Agents advance independently, whenever their transitions are accepted; the chain still gives
//! everyone one place to look: per block, a *checkpoint*, a single root over every agent's
//! `(state_root, version)`. GRANDPA finalizing a block finalizes its checkpoint.
//!
//! The checkpoint is a depth-32 sparse Merkle tree indexed by agent id (see
//! [`agentic_primitives::checkpoint`]). Accepted transitions and registrations are noted during
//! the block through [`OnAgentTransition`]; `on_finalize` folds just those leaves into the tree,
//! so its cost grows with the agents changed in the block (times the tree depth), not with all
//! agents. The root is then
//!
//! - stored in [`Root`] (read it with `api.query.checkpoints.root()`),
//! - deposited in the block header as `DigestItem::Other(b"agck" ++ root)`, and
//! - announced by the [`Event::CheckpointCommitted`] event.
//!
//! [`Pallet::inclusion_proof`] gives the sibling path that proves one agent's leaf under the
//! root, for light clients and bridges.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

use agentic_primitives::{
	checkpoint::{self, NodeStore},
	traits::OnAgentTransition,
	AgentId, StateRoot, Version,
};
use alloc::vec::Vec;
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::*;
use sp_core::H256;
use sp_runtime::DigestItem;

pub use pallet::*;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// Weights of the per-block fold.
		type WeightInfo: WeightInfo;
	}

	/// The root of the tree with no agent.
	#[pallet::type_value]
	pub fn EmptyRoot() -> H256 {
		checkpoint::empty_root()
	}

	/// The latest checkpoint root (as of the end of the last finalized-in-runtime block).
	#[pallet::storage]
	pub type Root<T> = StorageValue<_, H256, ValueQuery, EmptyRoot>;

	/// Non-empty nodes of the checkpoint tree by `(level, index)`; level 0 holds agents' leaves.
	#[pallet::storage]
	pub type Nodes<T> = StorageDoubleMap<_, Twox64Concat, u8, Twox64Concat, u32, H256>;

	/// Leaves changed in the current block, folded in `on_finalize`.
	#[pallet::storage]
	pub type Pending<T> = StorageMap<_, Twox64Concat, AgentId, H256>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// The block's checkpoint.
		CheckpointCommitted {
			/// The block.
			number: BlockNumberFor<T>,
			/// The root over all agents.
			root: H256,
			/// How many agents changed in this block.
			changed: u32,
		},
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(_n: BlockNumberFor<T>) -> Weight {
			// The fixed part. The per-agent part is paid by whoever noted the change, through
			// `OnAgentTransition::weight`, so blocks are built with it already counted.
			T::WeightInfo::on_finalize(0)
		}

		fn on_finalize(n: BlockNumberFor<T>) {
			Self::commit(n);
		}
	}
}

/// The checkpoint tree's nodes in runtime storage.
struct StorageNodes<T>(core::marker::PhantomData<T>);

impl<T: Config> NodeStore for StorageNodes<T> {
	fn get(&self, level: u8, index: u32) -> Option<H256> {
		Nodes::<T>::get(level, index)
	}
	fn set(&mut self, level: u8, index: u32, hash: H256) {
		Nodes::<T>::insert(level, index, hash)
	}
	fn remove(&mut self, level: u8, index: u32) {
		Nodes::<T>::remove(level, index)
	}
}

impl<T: Config> Pallet<T> {
	/// Folds the pending leaves into the tree, stores and announces the root. Returns how many
	/// agents changed.
	fn commit(n: BlockNumberFor<T>) -> u32 {
		let changed: Vec<(AgentId, H256)> = Pending::<T>::drain().collect();
		let root = if changed.is_empty() {
			Root::<T>::get()
		} else {
			checkpoint::update(&mut StorageNodes::<T>(Default::default()), &changed)
		};
		Root::<T>::put(root);
		frame_system::Pallet::<T>::deposit_log(DigestItem::Other(checkpoint::digest_payload(&root)));
		let count = changed.len() as u32;
		Self::deposit_event(Event::CheckpointCommitted { number: n, root, changed: count });
		count
	}

	/// The latest checkpoint root.
	pub fn root() -> H256 {
		Root::<T>::get()
	}

	/// The sibling path (32 hashes, leaf level first) of `agent`'s leaf under [`Self::root`].
	/// Check it with [`checkpoint::verify_inclusion`] against
	/// `checkpoint::leaf(agent, state_root, version)`.
	pub fn inclusion_proof(agent: AgentId) -> Vec<H256> {
		checkpoint::proof(&StorageNodes::<T>(Default::default()), agent)
	}
}

impl<T: Config> OnAgentTransition for Pallet<T> {
	fn on_transition(agent: AgentId, root: StateRoot, version: Version) {
		Pending::<T>::insert(agent, checkpoint::leaf(agent, &root, version));
	}

	/// The pending write now plus this agent's share of the fold in `on_finalize`.
	fn weight() -> Weight {
		T::WeightInfo::on_finalize(1)
			.saturating_sub(T::WeightInfo::on_finalize(0))
			.saturating_add(T::DbWeight::get().writes(1))
	}
}

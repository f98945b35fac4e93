//! # Agentic primitives
//!
//! The types every part of Agentic agrees on: the runtime's pallets, the node, and the prover
//! worker all encode and decode these with SCALE, so they live here and nowhere else.
//!
//! - [`types`]: identifiers, [`Submission`] and its [`Evidence`], verification modes.
//! - [`abi`]: the agent ABI v1, the contract between an agent's PolkaVM program and its host.
//! - [`state`]: the paged state commitment (`state_root`) and Merkle witnesses over it.
//! - [`checkpoint`]: the per-block commitment over all agents' roots (a sparse Merkle tree).
//! - [`fees`]: the fee formula `base + per_step * steps + per_kib * KiB(evidence)`.
//! - [`traits`]: the seams between the pallets, so each pallet can be tested on its own.
//! - [`runtime_api`]: what clients (polkadot.js, the prover worker) read through `state_call`.
//!
//! The crate is `no_std` (with `alloc`) so that the runtime's Wasm uses the very same code.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub mod abi;
pub mod checkpoint;
pub mod fees;
pub mod runtime_api;
pub mod state;
#[cfg(feature = "std")]
pub mod testing;
pub mod traits;
pub mod types;

pub use fees::FeeParams;
pub use types::*;

/// blake2-256, the one hash function of Agentic's commitments. With the feature `host-hashing`
/// (the runtime's) it is the host's `blake2_256`, run natively outside the Wasm.
pub fn blake2_256(data: &[u8]) -> [u8; 32] {
	#[cfg(feature = "host-hashing")]
	{
		sp_io::hashing::blake2_256(data)
	}
	#[cfg(not(feature = "host-hashing"))]
	{
		sp_crypto_hashing::blake2_256(data)
	}
}

//! The Fiat-Shamir transcript: ligerito's SHA-256 transcript with our own domain separation.

use crate::{ext_value, Ext};
use alloc::vec::Vec;
use ligerito::transcript::{Sha256Transcript, Transcript as _};
use ligerito_merkle::MerkleRoot;

/// A Fiat-Shamir transcript. Everything absorbed is labelled and length-prefixed; challenges
/// are uniform GF(2^128) elements or leaf indices derived from everything absorbed before them.
///
/// Prover and verifier must absorb the same things in the same order; the protocols of this
/// crate say what they absorb, and a caller absorbs its own statement first.
pub struct Transcript {
	inner: Sha256Transcript,
}

impl Transcript {
	/// A transcript for protocol `domain` (a name and version, e.g. `b"agentic-pcs-v1"`).
	pub fn new(domain: &[u8]) -> Self {
		// ligerito's SHA-256 transcript, passed explicitly (its `prove`/`verify` defaults differ
		// by feature); the seed is fixed and the domain is absorbed as a labelled message.
		let mut inner = Sha256Transcript::new(0);
		inner.absorb_bytes(b"agentic/domain", domain);
		Transcript { inner }
	}

	/// Absorbs labelled bytes.
	pub fn absorb_bytes(&mut self, label: &'static [u8], data: &[u8]) {
		self.inner.absorb_bytes(label, data);
	}

	/// Absorbs a labelled integer.
	pub fn absorb_u64(&mut self, label: &'static [u8], value: u64) {
		self.inner.absorb_bytes(label, &value.to_le_bytes());
	}

	/// Absorbs labelled extension-field elements (16 bytes each, little endian).
	pub fn absorb_exts(&mut self, label: &'static [u8], elems: &[Ext]) {
		let mut bytes = Vec::with_capacity(elems.len() * 16);
		for e in elems {
			bytes.extend_from_slice(&ext_value(*e).to_le_bytes());
		}
		self.inner.absorb_bytes(label, &bytes);
	}

	/// Absorbs a Merkle root.
	pub fn absorb_root(&mut self, label: &'static [u8], root: &[u8; 32]) {
		self.inner.absorb_bytes(label, root);
	}

	/// A uniformly random GF(2^128) element.
	pub fn challenge(&mut self) -> Ext {
		self.inner.get_challenge::<Ext>()
	}

	/// `count` distinct indices below `max`, sorted; all of them if `count >= max`. `max` must
	/// be a power of two (at most `2^28`, the layout's bound) for the indices to be unbiased and
	/// the same on 32- and 64-bit machines.
	pub(crate) fn distinct_indices(&mut self, max: usize, count: usize) -> Vec<usize> {
		debug_assert!(max.is_power_of_two());
		self.inner.get_distinct_queries(max, count)
	}
}

/// The Merkle root as ligerito-merkle wants it.
pub(crate) fn merkle_root(root: &[u8; 32]) -> MerkleRoot {
	MerkleRoot { root: Some(*root) }
}

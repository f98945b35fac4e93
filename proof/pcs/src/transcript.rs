//! The Fiat-Shamir transcript: a SHA-256 hash chain.
//!
//! The state is 32 bytes, initially `SHA-256("agentic-transcript-v1" ‖ len(domain) ‖ domain)`.
//! Absorbing labelled data replaces it by
//! `SHA-256(state ‖ "absorb" ‖ len(label) ‖ label ‖ len(data) ‖ data)` and drawing 32 bytes of
//! challenge replaces it by `SHA-256(state ‖ "squeeze")`, the new state being the bytes drawn
//! (lengths are `u64`, little endian). Every challenge is thus a hash of everything absorbed and
//! drawn before it, under an injective encoding: a fixed-size state, two distinct tags and
//! length prefixes. Each step hashes one whole message, so a runtime's verifier (feature
//! `host-hashing`) runs every step as Substrate's `sha2_256` host function.

use crate::{ext_value, field::mul, hash::sha256, Ext};
use alloc::vec::Vec;
use ligerito_binary_fields::BinaryFieldElement;

/// A Fiat-Shamir transcript. Everything absorbed is labelled and length-prefixed; challenges
/// are uniform GF(2^128) elements or leaf indices derived from everything absorbed before them.
///
/// Prover and verifier must absorb the same things in the same order; the protocols of this
/// crate say what they absorb, and a caller absorbs its own statement first.
pub struct Transcript {
	state: [u8; 32],
}

impl Transcript {
	/// A transcript for protocol `domain` (a name and version, e.g. `b"agentic-pcs-v1"`).
	pub fn new(domain: &[u8]) -> Self {
		let mut message = Vec::with_capacity(29 + domain.len());
		message.extend_from_slice(b"agentic-transcript-v1");
		message.extend_from_slice(&(domain.len() as u64).to_le_bytes());
		message.extend_from_slice(domain);
		Transcript { state: sha256(&message) }
	}

	/// Absorbs labelled bytes.
	pub fn absorb_bytes(&mut self, label: &'static [u8], data: &[u8]) {
		let mut message = Vec::with_capacity(32 + 6 + 16 + label.len() + data.len());
		message.extend_from_slice(&self.state);
		message.extend_from_slice(b"absorb");
		message.extend_from_slice(&(label.len() as u64).to_le_bytes());
		message.extend_from_slice(label);
		message.extend_from_slice(&(data.len() as u64).to_le_bytes());
		message.extend_from_slice(data);
		self.state = sha256(&message);
	}

	/// Absorbs a labelled integer.
	pub fn absorb_u64(&mut self, label: &'static [u8], value: u64) {
		self.absorb_bytes(label, &value.to_le_bytes());
	}

	/// Absorbs labelled extension-field elements (16 bytes each, little endian).
	pub fn absorb_exts(&mut self, label: &'static [u8], elems: &[Ext]) {
		let mut bytes = Vec::with_capacity(elems.len() * 16);
		for e in elems {
			bytes.extend_from_slice(&ext_value(*e).to_le_bytes());
		}
		self.absorb_bytes(label, &bytes);
	}

	/// Absorbs a Merkle root.
	pub fn absorb_root(&mut self, label: &'static [u8], root: &[u8; 32]) {
		self.absorb_bytes(label, root);
	}

	/// 32 bytes drawn from the transcript.
	fn squeeze(&mut self) -> [u8; 32] {
		let mut message = [0u8; 39];
		message[..32].copy_from_slice(&self.state);
		message[32..].copy_from_slice(b"squeeze");
		self.state = sha256(&message);
		self.state
	}

	/// A uniformly random GF(2^128) element (every 128-bit string is one).
	pub fn challenge(&mut self) -> Ext {
		let bytes = self.squeeze();
		let mut low = [0u8; 16];
		low.copy_from_slice(&bytes[..16]);
		Ext::from_value(u128::from_le_bytes(low))
	}

	/// The weights of a random linear combination of `count` terms from one draw `c`:
	/// `1, c, c², …, c^(count - 1)`. A combination of values not all zero is zero for at most
	/// `count - 1` values of `c` (a nonzero polynomial of that degree), so batching `count`
	/// terms this way errs with probability at most `(count - 1) / |E|`, for one hash instead of
	/// `count`. It draws `c` even for `count = 0`.
	pub fn challenge_powers(&mut self, count: usize) -> Vec<Ext> {
		let c = self.challenge();
		let mut powers = Vec::with_capacity(count);
		let mut power = Ext::one();
		for _ in 0..count {
			powers.push(power);
			power = mul(&power, &c);
		}
		powers
	}

	/// The work hash of `nonce`: `SHA-256(state ‖ "grind" ‖ nonce)` (the nonce as `u64`, little
	/// endian), whose first `bits` bits (big endian) must be zero for the nonce to prove `bits`
	/// bits of work (grinding).
	fn work_hash(&self, nonce: u64) -> [u8; 32] {
		let mut message = [0u8; 45];
		message[..32].copy_from_slice(&self.state);
		message[32..37].copy_from_slice(b"grind");
		message[37..].copy_from_slice(&nonce.to_le_bytes());
		sha256(&message)
	}

	/// Whether `nonce` proves `bits` bits of work on the transcript's current state (every nonce
	/// proves 0; none proves more than 64, which the layout never asks: it caps them at
	/// [`crate::MAX_GRINDING_BITS`]).
	pub(crate) fn proves_work(&self, bits: u8, nonce: u64) -> bool {
		let hash = self.work_hash(nonce);
		let mut first = [0u8; 8];
		first.copy_from_slice(&hash[..8]);
		u64::from_be_bytes(first).leading_zeros() >= u32::from(bits)
	}

	/// The least nonce that proves `bits` bits of work on the current state: about `2^bits`
	/// hashes (the layout caps `bits` at [`crate::MAX_GRINDING_BITS`]). With feature `parallel`,
	/// blocks of [`GRIND_BLOCK`] nonces in turn, each split across every core, the first in the
	/// block that has one: the same nonce.
	#[cfg(feature = "prover")]
	pub(crate) fn grind(&self, bits: u8) -> u64 {
		#[cfg(feature = "parallel")]
		{
			use rayon::prelude::*;
			let mut start = 0u64;
			while start < u64::MAX {
				let end = start.saturating_add(GRIND_BLOCK);
				if let Some(nonce) = (start..end).into_par_iter().find_first(|&nonce| self.proves_work(bits, nonce)) {
					return nonce;
				}
				start = end;
			}
			u64::MAX
		}
		#[cfg(not(feature = "parallel"))]
		(0..=u64::MAX).find(|&nonce| self.proves_work(bits, nonce)).unwrap_or(u64::MAX)
	}

	/// A level's queries: `count` distinct leaf indices below `max`, drawn after checking and
	/// absorbing the level's proof of work `nonce` (`bits` bits), so that every new draw of the
	/// queries costs a prover about `2^bits` hashes. `None` if `nonce` does not prove the work.
	pub(crate) fn queries(&mut self, bits: u8, nonce: u64, max: usize, count: usize) -> Option<Vec<usize>> {
		if !self.proves_work(bits, nonce) {
			return None;
		}
		self.absorb_u64(b"pcs/grinding/nonce", nonce);
		Some(self.distinct_indices(max, count))
	}

	/// `count` distinct indices below `max`, sorted; all of them if `count >= max`. Each
	/// candidate is the low bits of eight drawn bytes, below the next power of two, kept if it is
	/// below `max` and new: unbiased, and the same on 32- and 64-bit machines. (The layout's
	/// leaf counts are powers of two, at most `2^28`, where no candidate is out of range.)
	pub(crate) fn distinct_indices(&mut self, max: usize, count: usize) -> Vec<usize> {
		if count >= max {
			return (0..max).collect();
		}
		let mask = (max as u64).next_power_of_two() - 1;
		let mut picked: Vec<usize> = Vec::with_capacity(count);
		while picked.len() < count {
			for word in self.squeeze().chunks_exact(8) {
				let mut le = [0u8; 8];
				le.copy_from_slice(word);
				let index = u64::from_le_bytes(le) & mask;
				if index < max as u64 && picked.len() < count && !picked.contains(&(index as usize)) {
					picked.push(index as usize);
				}
			}
		}
		picked.sort_unstable();
		picked
	}
}

/// Nonces a parallel [`Transcript::grind`] tries at a time (a few milliseconds of hashing,
/// against the 2^16 a level's 16 bits take on average).
#[cfg(feature = "parallel")]
const GRIND_BLOCK: u64 = 1 << 12;

#[cfg(test)]
mod tests {
	use super::*;

	/// Known answers, computed with an independent SHA-256 (Python's `hashlib`): on the state
	/// `0, 1, …, 31` the least nonce with 16 leading zero bits is 65,378 (work hash
	/// `0000eda4…`), and nonce 28,552 has exactly 15.
	#[test]
	fn the_work_check_matches_an_independent_sha256() {
		let mut state = [0u8; 32];
		state.iter_mut().enumerate().for_each(|(i, b)| *b = i as u8);
		let t = Transcript { state };
		assert_eq!(t.grind(16), 65_378);
		assert_eq!(t.work_hash(65_378)[..4], [0x00, 0x00, 0xed, 0xa4]);
		assert!(t.proves_work(15, 28_552) && !t.proves_work(16, 28_552));
		assert!(t.proves_work(0, 28_552) && t.proves_work(16, 65_378) && !t.proves_work(17, 65_378));
	}

	/// The ground nonce is the least that proves the work, on this state only, and drawing the
	/// queries absorbs it.
	#[test]
	fn grinding_finds_the_least_nonce_that_proves_the_work() {
		let mut t = Transcript::new(b"test");
		t.absorb_u64(b"x", 7);
		assert_eq!(t.grind(0), 0);
		for bits in [1u8, 4, 10] {
			let nonce = t.grind(bits);
			assert!(t.proves_work(bits, nonce));
			assert!((0..nonce).all(|n| !t.proves_work(bits, n)), "{bits} bits: {nonce} is not the least");
			let hash = t.work_hash(nonce);
			assert_eq!(u64::from_be_bytes(hash[..8].try_into().unwrap()).leading_zeros() >= u32::from(bits), true);
		}
		let nonce = t.grind(10);
		let mut moved = Transcript::new(b"test");
		moved.absorb_u64(b"x", 8);
		assert_ne!(moved.grind(10), nonce, "the work depends on the state");
		// About 2^-10 of nonces prove 10 bits: none of the 64 after the least one, very likely,
		// and never the ones before it.
		let proven = (nonce + 1..nonce + 65).filter(|&n| t.proves_work(10, n)).count();
		assert!(proven <= 2, "{proven}");
		let mut a = Transcript { state: t.state };
		let mut b = Transcript { state: t.state };
		assert_eq!(a.queries(10, nonce + 1, 1 << 20, 8).is_none(), !t.proves_work(10, nonce + 1));
		let drawn = a.queries(10, nonce, 1 << 20, 8).expect("work proven");
		let plain = b.distinct_indices(1 << 20, 8);
		assert_ne!(drawn, plain, "the nonce is absorbed before the draw");
	}

	#[test]
	fn challenges_depend_on_everything_absorbed_and_drawn() {
		let draw = |steps: &[(&'static [u8], &[u8])]| {
			let mut t = Transcript::new(b"test");
			for (label, data) in steps {
				t.absorb_bytes(label, data);
			}
			t.challenge()
		};
		let base = draw(&[(b"a", b"xy")]);
		assert_eq!(base, draw(&[(b"a", b"xy")]));
		// A different label, data, split between label and data, or an extra empty absorb.
		assert_ne!(base, draw(&[(b"b", b"xy")]));
		assert_ne!(base, draw(&[(b"a", b"xz")]));
		assert_ne!(base, draw(&[(b"ax", b"y")]));
		assert_ne!(base, draw(&[(b"a", b"x"), (b"", b"y")]));
		assert_ne!(base, draw(&[(b"a", b"xy"), (b"", b"")]));
		// Another domain.
		let mut other = Transcript::new(b"tesu");
		other.absorb_bytes(b"a", b"xy");
		assert_ne!(base, other.challenge());
		// Successive challenges differ, and an absorb after a draw depends on the draw.
		let mut t = Transcript::new(b"test");
		let (c1, c2) = (t.challenge(), t.challenge());
		assert_ne!(c1, c2);
		let (mut drawn, mut fresh) = (Transcript::new(b"test"), Transcript::new(b"test"));
		drawn.challenge();
		drawn.absorb_bytes(b"a", b"xy");
		fresh.absorb_bytes(b"a", b"xy");
		assert_ne!(drawn.challenge(), fresh.challenge());
	}

	/// A combination's weights are the powers of one draw, which moves the transcript exactly as
	/// one challenge does.
	#[test]
	fn challenge_powers_are_the_powers_of_one_draw() {
		for count in [0usize, 1, 2, 7] {
			let (mut powers, mut single) = (Transcript::new(b"test"), Transcript::new(b"test"));
			let weights = powers.challenge_powers(count);
			let c = single.challenge();
			assert_eq!(weights.len(), count);
			let mut want = Ext::one();
			for weight in &weights {
				assert_eq!(*weight, want, "{count} powers");
				want = mul(&want, &c);
			}
			assert_eq!(powers.challenge(), single.challenge(), "one draw, whatever the count");
		}
		let mut t = Transcript::new(b"test");
		let weights = t.challenge_powers(3);
		assert!(weights[1] != Ext::zero() && weights[1] != Ext::one() && weights[2] != weights[1]);
	}

	#[test]
	fn indices_are_distinct_sorted_and_in_range() {
		for (max, count) in [(1usize, 1usize), (8, 3), (8, 8), (8, 100), (1 << 20, 241), (4, 0), (5, 4), (1000, 241)] {
			let picked = Transcript::new(b"test").distinct_indices(max, count);
			assert_eq!(picked.len(), count.min(max), "max {max}, count {count}");
			assert!(picked.windows(2).all(|w| w[0] < w[1]));
			assert!(picked.iter().all(|&i| i < max));
		}
		// They follow the transcript.
		let mut a = Transcript::new(b"test");
		a.absorb_u64(b"n", 1);
		let mut b = Transcript::new(b"test");
		b.absorb_u64(b"n", 2);
		assert_ne!(a.distinct_indices(1 << 20, 16), b.distinct_indices(1 << 20, 16));
	}
}

//! Seeded randomness for the proof crates' tests, benchmarks and mutation suites (feature
//! `test-utils`): a failure names its seed and reproduces.

use crate::{Base, Ext};

/// A small deterministic generator (xorshift64). Not for anything but tests: it is neither
/// uniform enough nor unpredictable.
#[derive(Clone, Debug)]
pub struct Rng(pub u64);

impl Rng {
	/// The next 64 bits. A zero seed stays zero: seed with a nonzero value.
	#[allow(clippy::should_implement_trait)]
	pub fn next(&mut self) -> u64 {
		self.0 ^= self.0 << 13;
		self.0 ^= self.0 >> 7;
		self.0 ^= self.0 << 17;
		self.0
	}

	/// A value below `bound` (nonzero), slightly biased towards small values.
	pub fn below(&mut self, bound: u64) -> u64 {
		self.next() % bound
	}

	/// A base-field element.
	pub fn base(&mut self) -> Base {
		Base::from_value(self.next() as u32)
	}

	/// An extension-field element.
	pub fn ext(&mut self) -> Ext {
		Ext::from_value(((self.next() as u128) << 64) | self.next() as u128)
	}
}

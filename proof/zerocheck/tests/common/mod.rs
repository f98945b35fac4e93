//! Small AIRs and their traces, shared by the tests and the benchmark.

#![allow(dead_code, clippy::needless_range_loop)]

use agentic_air::{Air, AirBuilder, Base, BinaryFieldElement, Selector};

/// A `bits`-bit binary counter that adds 1 per transition, with explicit carries: the integer
/// arithmetic a binary field needs. Columns: the bits `b_0 … b_{W-1}`, then the carries
/// `c_1 … c_{W-1}` (`c_i` is the carry into bit `i`; the carry into bit 0 is 1).
///
/// - every row: each bit is boolean; `c_1 = b_0`, `c_{i+1} = b_i c_i`;
/// - transitions: `next(b_0) = b_0 + 1`, `next(b_i) = b_i + c_i`.
pub struct Counter {
	pub bits: usize,
}

impl Counter {
	pub fn bit(&self, i: usize) -> usize {
		i
	}

	/// The column of `c_i`, `1 <= i < bits`.
	pub fn carry(&self, i: usize) -> usize {
		self.bits + i - 1
	}

	/// A trace counting from `start` on every one of `2^num_vars` rows (padding rows keep
	/// counting, which every-row constraints allow).
	pub fn trace(&self, start: u64, num_vars: u32) -> Vec<Vec<Base>> {
		let rows = 1usize << num_vars;
		let mut columns = vec![vec![Base::zero(); rows]; self.width()];
		let mask = if self.bits == 64 { u64::MAX } else { (1u64 << self.bits) - 1 };
		for row in 0..rows {
			let value = start.wrapping_add(row as u64) & mask;
			let bit = |i: usize| (value >> i) & 1;
			let mut carry = 1u64;
			for i in 0..self.bits {
				columns[self.bit(i)][row] = Base::from_value(bit(i) as u32);
				if i > 0 {
					columns[self.carry(i)][row] = Base::from_value(carry as u32);
				}
				carry &= bit(i);
			}
		}
		columns
	}
}

impl Air for Counter {
	fn width(&self) -> usize {
		2 * self.bits - 1
	}

	fn eval<AB: AirBuilder>(&self, b: &mut AB) {
		for i in 0..self.bits {
			b.assert_bool(b.cur(self.bit(i)));
		}
		if self.bits > 1 {
			b.assert_eq(b.cur(self.carry(1)), b.cur(self.bit(0)));
		}
		for i in 1..self.bits - 1 {
			b.assert_eq(b.cur(self.carry(i + 1)), b.cur(self.bit(i)) * b.cur(self.carry(i)));
		}
		b.assert_transition(b.next(self.bit(0)) + b.cur(self.bit(0)) + b.one());
		for i in 1..self.bits {
			b.assert_transition(b.next(self.bit(i)) + b.cur(self.bit(i)) + b.cur(self.carry(i)));
		}
	}
}

/// A degree-3 recurrence over the field with a selector: `x` starts at 1,
/// `next(x) = y`, `next(y) = x · y + g` for a constant `g`. Columns: `x`, `y`.
pub struct MulChain;

pub const MUL_CHAIN_CONSTANT: u32 = 0x1d;

impl MulChain {
	/// The trace of `transitions` steps from `(1, y0)`, padded with `pad` values.
	pub fn trace(y0: u32, transitions: u64, num_vars: u32, pad: u32) -> Vec<Vec<Base>> {
		let rows = 1usize << num_vars;
		let g = Base::from_value(MUL_CHAIN_CONSTANT);
		let (mut x, mut y) = (Base::one(), Base::from_value(y0));
		let mut columns = vec![vec![Base::from_value(pad); rows]; 2];
		for row in 0..=transitions as usize {
			columns[0][row] = x;
			columns[1][row] = y;
			(x, y) = (y, x.mul(&y).add(&g));
		}
		columns
	}
}

impl Air for MulChain {
	fn width(&self) -> usize {
		2
	}

	fn eval<AB: AirBuilder>(&self, b: &mut AB) {
		b.assert_zero(b.selector(Selector::First) * (b.cur(0) + b.one()));
		b.assert_transition(b.next(0) + b.cur(1));
		b.assert_transition(b.next(1) + b.cur(0) * b.cur(1) + b.constant(Base::from_value(MUL_CHAIN_CONSTANT)));
	}
}

// Not every test binary (nor the benchmark) draws random values.
#[allow(unused_imports)]
pub use agentic_pcs::test_utils::Rng;

//! The evaluating builder: an AIR's constraints, combined with weights, at one point.

use crate::{Air, AirBuilder, AirError, Base, BinaryFieldElement, Ext, Selector};
use core::ops::{Add, Mul};

/// A value of GF(2^128) as a builder expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Val(pub Ext);

impl Add for Val {
	type Output = Val;
	fn add(self, rhs: Val) -> Val {
		Val(self.0.add(&rhs.0))
	}
}

impl Mul for Val {
	type Output = Val;
	fn mul(self, rhs: Val) -> Val {
		Val(self.0.mul(&rhs.0))
	}
}

/// The values one point assigns to a row: every column, every column on the next row, and the
/// selectors (in [`Selector::ALL`] order).
#[derive(Clone, Copy, Debug)]
pub struct Values<'a> {
	/// `cur_k`, one per column.
	pub cur: &'a [Ext],
	/// `next_k`, one per column (only the AIR's next columns are read).
	pub next: &'a [Ext],
	/// `first, last, not_last, active`.
	pub selectors: [Ext; 4],
}

struct Combiner<'a> {
	values: Values<'a>,
	weights: &'a [Ext],
	index: usize,
	sum: Ext,
}

impl Combiner<'_> {
	fn push(&mut self, value: Ext) {
		// `combine` refuses a run that asserted another number of constraints than weights.
		let weight = self.weights.get(self.index).copied().unwrap_or(Ext::zero());
		self.sum = self.sum.add(&weight.mul(&value));
		self.index += 1;
	}
}

impl AirBuilder for Combiner<'_> {
	type Expr = Val;

	fn cur(&self, column: usize) -> Val {
		Val(self.values.cur.get(column).copied().unwrap_or(Ext::zero()))
	}

	fn next(&self, column: usize) -> Val {
		Val(self.values.next.get(column).copied().unwrap_or(Ext::zero()))
	}

	fn selector(&self, selector: Selector) -> Val {
		Val(self.values.selectors[selector.index()])
	}

	fn constant(&self, value: Base) -> Val {
		Val(Ext::from(value))
	}

	fn assert_zero(&mut self, expr: Val) {
		self.push(expr.0);
	}

	fn assert_transition(&mut self, expr: Val) {
		let active = self.values.selectors[Selector::Active.index()];
		self.push(active.mul(&expr.0));
	}
}

/// `Σ_j weights[j] · P_j(values)`: the AIR's constraints at one point, combined. Transition
/// constraints are multiplied by the point's `active` value.
///
/// The caller passes one weight per constraint (as [`crate::analyze`] counts them) and `values`
/// of the AIR's width; missing values read as 0. A run of `eval` that asserts another number of
/// constraints is an error.
pub fn combine<A: Air>(air: &A, values: Values<'_>, weights: &[Ext]) -> Result<Ext, AirError> {
	let mut combiner = Combiner { values, weights, index: 0, sum: Ext::zero() };
	air.eval(&mut combiner);
	if combiner.index != weights.len() {
		return Err(AirError::ConstraintCountChanged { expected: weights.len(), found: combiner.index });
	}
	Ok(combiner.sum)
}

/// The selectors' multilinear extensions at `point ∈ Ext^n`, for a trace of `2^n` rows of which
/// the first `active_rows` (`R`) are transitions: `first = Π (1 + x_j)`, `last = Π x_j`,
/// `not_last = 1 + last` and `active = [x < R] = Σ_{k: R_k = 1} (1 + x_k) Π_{j>k} eq(x_j, R_j)`.
/// `O(n)`.
pub fn selectors_at(point: &[Ext], active_rows: u64) -> [Ext; 4] {
	let one = Ext::one();
	let first = point.iter().fold(one, |acc, x| acc.mul(&one.add(x)));
	let last = point.iter().fold(one, |acc, x| acc.mul(x));
	if point.len() < 64 && active_rows >> point.len() != 0 {
		// Every row is below R.
		return [first, last, one.add(&last), one];
	}
	// From the highest bit down: `suffix` is Π_{j>k} eq(x_j, R_j).
	let mut active = Ext::zero();
	let mut suffix = one;
	for (k, x) in point.iter().enumerate().rev() {
		let bit = k < 64 && (active_rows >> k) & 1 == 1;
		if bit {
			active = active.add(&suffix.mul(&one.add(x)));
			suffix = suffix.mul(x);
		} else {
			suffix = suffix.mul(&one.add(x));
		}
	}
	[first, last, one.add(&last), active]
}

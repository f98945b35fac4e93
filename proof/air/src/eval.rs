//! The evaluating builder: an AIR's constraints, combined with weights, at one point.

use crate::{Air, AirBuilder, AirError, Base, BinaryFieldElement, Direction, Ext, Selector};
use agentic_pcs::field::FastMul;
use alloc::vec::Vec;
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
		Val(self.0.fast_mul(&rhs.0))
	}
}

/// The values one point assigns to a row.
#[derive(Clone, Copy, Debug)]
pub struct Values<'a> {
	/// `cur_k`, one per column.
	pub cur: &'a [Ext],
	/// `next_k`, the same on the next row (only the next columns are read).
	pub next: &'a [Ext],
	/// `first, last, not_last, active`.
	pub selectors: [Ext; 4],
	/// The index bits: the row's bits on a row, the point's coordinates at a point.
	pub index_bits: &'a [Ext],
	/// The bus challenges `z, β_0, β_1, …` (`β_0` weighs the bus tag); empty for an AIR without
	/// interactions.
	pub challenges: &'a [Ext],
}

impl Values<'_> {
	fn challenge(&self, i: usize) -> Ext {
		self.challenges.get(i).copied().unwrap_or(Ext::zero())
	}
}

/// An interaction at one point: its direction, gate and fingerprint.
struct Factor {
	direction: Direction,
	gate: Ext,
	fingerprint: Ext,
}

struct Evaluator<'a> {
	values: Values<'a>,
	/// The AIR's constraints at the point, in order.
	constraints: Vec<Ext>,
	factors: Vec<Factor>,
}

impl AirBuilder for Evaluator<'_> {
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

	fn constant_ext(&self, value: Ext) -> Val {
		Val(value)
	}

	fn index_bit(&self, bit: u8) -> Val {
		Val(self.values.index_bits.get(bit as usize).copied().unwrap_or(Ext::zero()))
	}

	fn interact(&mut self, bus: u32, direction: Direction, gate: Val, fields: &[Val]) {
		// f = z + β_0 · φ(bus) + Σ_i β_{i+1} · field_i
		let tag = Ext::from(Base::from_value(bus));
		let mut fingerprint = self.values.challenge(0).add(&self.values.challenge(1).fast_mul(&tag));
		for (i, field) in fields.iter().enumerate() {
			fingerprint = fingerprint.add(&self.values.challenge(i + 2).fast_mul(&field.0));
		}
		self.factors.push(Factor { direction, gate: gate.0, fingerprint });
	}

	fn assert_zero(&mut self, expr: Val) {
		self.constraints.push(expr.0);
	}

	fn assert_transition(&mut self, expr: Val) {
		let active = self.values.selectors[Selector::Active.index()];
		self.constraints.push(active.fast_mul(&expr.0));
	}
}

impl Evaluator<'_> {
	/// `Π (g·f + 1 + g)` over the sends and over the receives.
	fn products(&self) -> (Ext, Ext) {
		let one = Ext::one();
		let (mut send, mut receive) = (one, one);
		for factor in &self.factors {
			let value = factor.gate.fast_mul(&factor.fingerprint).add(&one).add(&factor.gate);
			match factor.direction {
				Direction::Send => send = send.fast_mul(&value),
				Direction::Receive => receive = receive.fast_mul(&value),
			}
		}
		(send, receive)
	}

	/// `active · Π + 1 + active` over the sends and over the receives.
	fn leaves(&self, active: Ext) -> (Ext, Ext) {
		let (send, receive) = self.products();
		let pad = Ext::one().add(&active);
		(active.fast_mul(&send).add(&pad), active.fast_mul(&receive).add(&pad))
	}
}

fn evaluate<'a, A: Air>(air: &A, values: Values<'a>) -> Evaluator<'a> {
	let mut evaluator = Evaluator { values, constraints: Vec::new(), factors: Vec::new() };
	air.eval(&mut evaluator);
	evaluator
}

/// `Σ_j weights[j] · P_j(values)`: every constraint of the AIR at one point, combined, in the
/// order of [`crate::AirInfo::constraints`]: the AIR's own (transition constraints multiplied by
/// the point's `active`), then each interaction's gate check `active · (g² + g)`.
///
/// The caller passes one weight per constraint; a run of `eval` that asserts another number of
/// constraints is an error. Missing values read as 0.
pub fn combine<A: Air>(air: &A, values: Values<'_>, weights: &[Ext]) -> Result<Ext, AirError> {
	combine_with_leaves(air, values, weights).map(|(q, _)| q)
}

/// [`combine`] and [`bus_leaves`] from one run of `eval`: the zerocheck's two terms at a point.
pub fn combine_with_leaves<A: Air>(
	air: &A,
	values: Values<'_>,
	weights: &[Ext],
) -> Result<(Ext, (Ext, Ext)), AirError> {
	let evaluator = evaluate(air, values);
	let count = evaluator.constraints.len() + evaluator.factors.len();
	if count != weights.len() {
		return Err(AirError::ConstraintCountChanged { expected: weights.len(), found: count });
	}
	let active = values.selectors[Selector::Active.index()];
	let mut sum = Ext::zero();
	for (value, weight) in evaluator.constraints.iter().zip(weights) {
		sum = sum.add(&weight.fast_mul(value));
	}
	let gate_weights = &weights[evaluator.constraints.len()..];
	for (factor, weight) in evaluator.factors.iter().zip(gate_weights) {
		let check = factor.gate.fast_mul(&factor.gate).add(&factor.gate);
		sum = sum.add(&weight.fast_mul(&active.fast_mul(&check)));
	}
	Ok((sum, evaluator.leaves(active)))
}

/// `(Π_send (g f + 1 + g), Π_receive (g f + 1 + g))` over the AIR's interactions at one point:
/// on a row, the product of what the row sends and of what it receives.
pub fn interaction_products<A: Air>(air: &A, values: Values<'_>) -> (Ext, Ext) {
	evaluate(air, values).products()
}

/// The bus leaves at one point: `active · Π_send (g f + 1 + g) + 1 + active` and the same over
/// the receives. On a row below `R` they are the row's products, on a padding row 1; the bus's
/// grand product multiplies them over every row of every interacting table
/// (`docs/proof-system.md`, "Buses by a GKR grand product").
pub fn bus_leaves<A: Air>(air: &A, values: Values<'_>) -> (Ext, Ext) {
	evaluate(air, values).leaves(values.selectors[Selector::Active.index()])
}

/// The selectors' multilinear extensions at `point ∈ Ext^n`, for a trace of `2^n` rows of which
/// the first `active_rows` (`R`) are transitions: `first = Π (1 + x_j)`, `last = Π x_j`,
/// `not_last = 1 + last` and `active = [x < R] = Σ_{k: R_k = 1} (1 + x_k) Π_{j>k} eq(x_j, R_j)`.
/// `O(n)`.
pub fn selectors_at(point: &[Ext], active_rows: u64) -> [Ext; 4] {
	let one = Ext::one();
	let first = point.iter().fold(one, |acc, x| acc.fast_mul(&one.add(x)));
	let last = point.iter().fold(one, |acc, x| acc.fast_mul(x));
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
			active = active.add(&suffix.fast_mul(&one.add(x)));
			suffix = suffix.fast_mul(x);
		} else {
			suffix = suffix.fast_mul(&one.add(x));
		}
	}
	[first, last, one.add(&last), active]
}

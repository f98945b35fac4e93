//! The evaluating builder: an AIR's constraints, combined with weights, at one point.

use crate::{ext::theta_powers, Air, AirBuilder, AirError, Base, BinaryFieldElement, Direction, Ext, Selector};
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
	/// `cur_k`, one per column, the framework's columns (the accumulator) after the AIR's.
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
}

fn evaluate<'a, A: Air>(air: &A, values: Values<'a>) -> Evaluator<'a> {
	let mut evaluator = Evaluator { values, constraints: Vec::new(), factors: Vec::new() };
	air.eval(&mut evaluator);
	evaluator
}

/// `Σ_j weights[j] · P_j(values)`: every constraint of the AIR at one point, combined, in the
/// order of [`crate::AirInfo::constraints`]: the AIR's own (transition constraints multiplied by
/// the point's `active`), then each interaction's gate check `active · (g² + g)`, then the
/// accumulator's `active · (acc' · Π_receive (g f + 1 + g) + acc · Π_send (g f + 1 + g))`, where
/// `acc` is the `E` value of the four columns after the AIR's.
///
/// The caller passes one weight per constraint; a run of `eval` that asserts another number of
/// constraints is an error. Missing values read as 0.
pub fn combine<A: Air>(air: &A, values: Values<'_>, weights: &[Ext]) -> Result<Ext, AirError> {
	let evaluator = evaluate(air, values);
	let interactions = evaluator.factors.len();
	let count = evaluator.constraints.len() + interactions + (interactions > 0) as usize;
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
	if interactions > 0 {
		let (send, receive) = evaluator.products();
		let width = air.width();
		let acc = ext_value(values.cur, width);
		let acc_next = ext_value(values.next, width);
		let transition = acc_next.fast_mul(&receive).add(&acc.fast_mul(&send));
		sum = sum.add(&weights[weights.len() - 1].fast_mul(&active.fast_mul(&transition)));
	}
	Ok(sum)
}

/// `(Π_send (g f + 1 + g), Π_receive (g f + 1 + g))` over the AIR's interactions at one point:
/// on a row, the factor by which the row moves the running product (`acc' = acc · send /
/// receive`).
pub fn interaction_products<A: Air>(air: &A, values: Values<'_>) -> (Ext, Ext) {
	evaluate(air, values).products()
}

/// `Σ_k θ^k v[first + k]`.
fn ext_value(values: &[Ext], first: usize) -> Ext {
	theta_powers()
		.iter()
		.enumerate()
		.fold(Ext::zero(), |acc, (k, t)| acc.add(&t.fast_mul(&values.get(first + k).copied().unwrap_or(Ext::zero()))))
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

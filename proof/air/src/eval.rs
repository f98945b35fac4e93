//! The evaluating builder: an AIR's constraints, combined with weights, at one point.

use crate::{Air, AirBuilder, AirError, Base, BinaryFieldElement, Direction, Ext, Selector};
use agentic_pcs::field::{eight, mul_wide, reduce_wide, FastMul};
use alloc::vec::Vec;
use core::ops::{Add, Mul};

/// What the evaluating builder computes with: one GF(2^128) value ([`Ext`], one point) or
/// [`Lanes`] (the same arithmetic at [`LANES`] points at once).
pub trait Point: Copy {
	/// `e` at every point.
	fn splat(e: Ext) -> Self;
	/// The sum, point by point.
	fn plus(self, other: Self) -> Self;
	/// The product, point by point.
	fn times(self, other: Self) -> Self;
	/// Every point's value times the one value `w`.
	fn scale(self, w: &Ext) -> Self;
	/// A sum of products per point, not yet reduced ([`mul_wide`]).
	type Wide: Copy;
	/// The empty sum.
	fn wide_zero() -> Self::Wide;
	/// Adds every point's value times `w` to `acc`, unreduced.
	fn add_scaled(self, w: &Ext, acc: &mut Self::Wide);
	/// Adds every point's value to `acc`.
	fn add_to(self, acc: &mut Self::Wide);
	/// Adds every point's value times `other`'s to `acc`, unreduced.
	fn add_times(self, other: Self, acc: &mut Self::Wide);
	/// The sums, reduced.
	fn reduce(acc: Self::Wide) -> Self;
}

/// `acc + wide`, coefficient by coefficient.
#[inline(always)]
fn add_wide(acc: &mut [u128; 2], wide: [u128; 2]) {
	acc[0] ^= wide[0];
	acc[1] ^= wide[1];
}

impl Point for Ext {
	#[inline(always)]
	fn splat(e: Ext) -> Ext {
		e
	}

	#[inline(always)]
	fn plus(self, other: Ext) -> Ext {
		BinaryFieldElement::add(&self, &other)
	}

	#[inline(always)]
	fn times(self, other: Ext) -> Ext {
		self.fast_mul(&other)
	}

	#[inline(always)]
	fn scale(self, w: &Ext) -> Ext {
		self.fast_mul(w)
	}

	type Wide = [u128; 2];

	#[inline(always)]
	fn wide_zero() -> [u128; 2] {
		[0; 2]
	}

	#[inline(always)]
	fn add_scaled(self, w: &Ext, acc: &mut [u128; 2]) {
		add_wide(acc, mul_wide(&self, w));
	}

	#[inline(always)]
	fn add_to(self, acc: &mut [u128; 2]) {
		acc[0] ^= self.poly().value();
	}

	#[inline(always)]
	fn add_times(self, other: Ext, acc: &mut [u128; 2]) {
		add_wide(acc, mul_wide(&self, &other));
	}

	#[inline(always)]
	fn reduce(acc: [u128; 2]) -> Ext {
		reduce_wide(acc)
	}
}

/// How many points [`Lanes`] holds: [`eight::EIGHT`], whose products it computes.
pub const LANES: usize = eight::EIGHT;

/// GF(2^128) values at [`LANES`] points: an AIR evaluated on these runs its multiplications
/// for independent points side by side, which the processor overlaps (a chain of dependent
/// GF(2^128) products waits on each one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lanes(pub [Ext; LANES]);

impl Point for Lanes {
	// Loops over the lanes rather than `array::from_fn`: the same code where the optimiser
	// inlines everything, and no closure calls in the tests' lightly optimised builds.
	#[inline(always)]
	fn splat(e: Ext) -> Lanes {
		Lanes([e; LANES])
	}

	#[inline(always)]
	fn plus(mut self, other: Lanes) -> Lanes {
		for l in 0..LANES {
			self.0[l] = BinaryFieldElement::add(&self.0[l], &other.0[l]);
		}
		self
	}

	#[inline(always)]
	fn times(self, other: Lanes) -> Lanes {
		Lanes(eight::mul(&self.0, &other.0))
	}

	#[inline(always)]
	fn scale(self, w: &Ext) -> Lanes {
		Lanes(eight::scale(&self.0, w))
	}

	type Wide = eight::Wide;

	#[inline(always)]
	fn wide_zero() -> eight::Wide {
		eight::Wide::ZERO
	}

	#[inline(always)]
	fn add_scaled(self, w: &Ext, acc: &mut eight::Wide) {
		acc.add_scaled(&self.0, w);
	}

	#[inline(always)]
	fn add_to(self, acc: &mut eight::Wide) {
		acc.add(&self.0);
	}

	#[inline(always)]
	fn add_times(self, other: Lanes, acc: &mut eight::Wide) {
		acc.add_products(&self.0, &other.0);
	}

	#[inline(always)]
	fn reduce(acc: eight::Wide) -> Lanes {
		Lanes(acc.reduce())
	}
}

/// A [`Point`] as a builder expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Val<P = Ext>(pub P);

impl<P: Point> Add for Val<P> {
	type Output = Val<P>;
	#[inline(always)]
	fn add(self, rhs: Val<P>) -> Val<P> {
		Val(self.0.plus(rhs.0))
	}
}

impl<P: Point> Mul for Val<P> {
	type Output = Val<P>;
	#[inline(always)]
	fn mul(self, rhs: Val<P>) -> Val<P> {
		Val(self.0.times(rhs.0))
	}
}

/// The values one point (or, with `P = Lanes`, one batch of points) assigns to a row.
#[derive(Clone, Copy, Debug)]
pub struct Values<'a, P = Ext> {
	/// `cur_k`, one per column.
	pub cur: &'a [P],
	/// `next_k`, the same on the next row (only the next columns are read).
	pub next: &'a [P],
	/// `first, last, not_last, active`.
	pub selectors: [P; 4],
	/// The index bits: the row's bits on a row, the point's coordinates at a point.
	pub index_bits: &'a [P],
	/// The bus challenges `z, β_0, β_1, …` (`β_0` weighs the bus tag); empty for an AIR without
	/// interactions.
	pub challenges: &'a [Ext],
}

impl<P> Values<'_, P> {
	fn challenge(&self, i: usize) -> Ext {
		self.challenges.get(i).copied().unwrap_or(Ext::zero())
	}
}

/// One run of an AIR's `eval` at a point: the weighted sum of its constraints as they are
/// asserted, the gate checks (weighted once the number of constraints is known), and the
/// products of the interactions' factors.
struct Evaluator<'a, P: Point> {
	values: Values<'a, P>,
	/// The constraints' weights, or `None` when only the interactions are wanted.
	weights: Option<&'a [Ext]>,
	/// How many constraints the AIR has asserted.
	asserted: usize,
	/// `Σ_j weights[j] · P_j` over the constraints asserted so far, unreduced.
	sum: P::Wide,
	/// Each interaction's `g² + g`.
	gate_checks: Vec<P>,
	/// `Π (g·f + 1 + g)` over the sends and over the receives so far.
	send: P,
	receive: P,
	/// Where each interaction's direction, gate and fingerprint go instead of into the
	/// products, if anywhere ([`interaction_parts`]).
	parts: Option<&'a mut Vec<(Direction, P, P)>>,
}

impl<P: Point> AirBuilder for Evaluator<'_, P> {
	type Expr = Val<P>;

	fn cur(&self, column: usize) -> Val<P> {
		Val(self.values.cur.get(column).copied().unwrap_or(P::splat(Ext::zero())))
	}

	fn next(&self, column: usize) -> Val<P> {
		Val(self.values.next.get(column).copied().unwrap_or(P::splat(Ext::zero())))
	}

	fn selector(&self, selector: Selector) -> Val<P> {
		Val(self.values.selectors[selector.index()])
	}

	fn constant(&self, value: Base) -> Val<P> {
		Val(P::splat(Ext::from(value)))
	}

	fn constant_ext(&self, value: Ext) -> Val<P> {
		Val(P::splat(value))
	}

	fn index_bit(&self, bit: u8) -> Val<P> {
		Val(self.values.index_bits.get(bit as usize).copied().unwrap_or(P::splat(Ext::zero())))
	}

	/// Only a run with weights sums the constraints; one without takes the interactions alone.
	fn wants_constraints(&self) -> bool {
		self.weights.is_some()
	}

	fn interact(&mut self, bus: u32, direction: Direction, gate: Val<P>, fields: &[Val<P>]) {
		// f = z + β_0 · φ(bus) + Σ_i β_{i+1} · field_i
		let tag = Ext::from(Base::from_value(bus));
		let mut fingerprint = P::splat(self.values.challenge(0).add(&self.values.challenge(1).fast_mul(&tag)));
		for (i, field) in fields.iter().enumerate() {
			fingerprint = fingerprint.plus(field.0.scale(&self.values.challenge(i + 2)));
		}
		let gate = gate.0;
		if let Some(parts) = self.parts.as_mut() {
			parts.push((direction, gate, fingerprint));
			return;
		}
		if self.weights.is_some() {
			self.gate_checks.push(gate.times(gate).plus(gate));
		}
		let one = P::splat(Ext::one());
		let factor = gate.times(fingerprint).plus(one).plus(gate);
		match direction {
			Direction::Send => self.send = self.send.times(factor),
			Direction::Receive => self.receive = self.receive.times(factor),
		}
	}

	fn assert_bit_column(&mut self, _column: usize) {
		// Enforced by the commitment, not by the zerocheck.
	}

	fn assert_zero(&mut self, expr: Val<P>) {
		if let Some(weight) = self.weights.and_then(|w| w.get(self.asserted)) {
			expr.0.add_scaled(weight, &mut self.sum);
		}
		self.asserted += 1;
	}

	fn assert_transition(&mut self, expr: Val<P>) {
		let active = self.values.selectors[Selector::Active.index()];
		self.assert_zero(Val(active.times(expr.0)));
	}
}

impl<P: Point> Evaluator<'_, P> {
	/// [`bus_leaf`] of the sends' and of the receives' products.
	fn leaves(&self) -> (P, P) {
		let active = self.values.selectors[Selector::Active.index()];
		(bus_leaf(active, self.send), bus_leaf(active, self.receive))
	}
}

/// A bus leaf from a point's product of factors `Π (g f + 1 + g)` on one side:
/// `active · Π + 1 + active` (the product on a row below `R`, 1 on the others).
#[inline(always)]
pub fn bus_leaf<P: Point>(active: P, product: P) -> P {
	active.times(product).plus(P::splat(Ext::one())).plus(active)
}

fn evaluate<'a, A: Air, P: Point>(
	air: &A,
	values: Values<'a, P>,
	weights: Option<&'a [Ext]>,
	parts: Option<&'a mut Vec<(Direction, P, P)>>,
) -> Evaluator<'a, P> {
	let one = P::splat(Ext::one());
	let mut evaluator = Evaluator {
		values,
		weights,
		asserted: 0,
		sum: P::wide_zero(),
		gate_checks: Vec::new(),
		send: one,
		receive: one,
		parts,
	};
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

/// [`combine`] and [`bus_leaves`] from one run of `eval`: the zerocheck's two terms at a point,
/// or, with `P = Lanes`, at [`LANES`] points at once (the same values, point by point).
pub fn combine_with_leaves<A: Air, P: Point>(
	air: &A,
	values: Values<'_, P>,
	weights: &[Ext],
) -> Result<(P, (P, P)), AirError> {
	let evaluator = evaluate(air, values, Some(weights), None);
	let count = evaluator.asserted + evaluator.gate_checks.len();
	if count != weights.len() {
		return Err(AirError::ConstraintCountChanged { expected: weights.len(), found: count });
	}
	let active = values.selectors[Selector::Active.index()];
	let gate_weights = &weights[evaluator.asserted..];
	let mut gates = P::wide_zero();
	for (check, weight) in evaluator.gate_checks.iter().zip(gate_weights) {
		check.add_scaled(weight, &mut gates);
	}
	Ok((P::reduce(evaluator.sum).plus(active.times(P::reduce(gates))), evaluator.leaves()))
}

/// `(Π_send (g f + 1 + g), Π_receive (g f + 1 + g))` over the AIR's interactions at one point:
/// on a row, the product of what the row sends and of what it receives.
pub fn interaction_products<A: Air>(air: &A, values: Values<'_>) -> (Ext, Ext) {
	let evaluator = evaluate(air, values, None, None);
	(evaluator.send, evaluator.receive)
}

/// The bus leaves at one point: `active · Π_send (g f + 1 + g) + 1 + active` and the same over
/// the receives. On a row below `R` they are the row's products, on a padding row 1; the bus's
/// grand product multiplies them over every row of every interacting table
/// (`docs/proof-system.md`, "Buses by a GKR grand product"). With `P = Lanes`, at [`LANES`]
/// points at once. The constraints are not wanted ([`AirBuilder::wants_constraints`]): the
/// zerocheck prover takes the leaves alone per row for the bus circuit and at the round nodes
/// past the constraints' degree.
pub fn bus_leaves<A: Air, P: Point>(air: &A, values: Values<'_, P>) -> (P, P) {
	evaluate(air, values, None, None).leaves()
}

/// Each interaction's direction, gate `g` and fingerprint
/// `f = z + β_0 · φ(bus) + Σ_i β_(i+1) · field_i` at one point (or, with `P = Lanes`, at
/// [`LANES`] points), in the order the AIR makes them, into `parts` (cleared first): the parts
/// of the factors `g f + 1 + g` whose products make the bus leaves. The constraints are not
/// wanted ([`AirBuilder::wants_constraints`]). The zerocheck prover takes the parts of a table
/// whose interactions are all affine by their forms ([`crate::interactions`], checked against
/// these at a point), and these where it has no forms.
pub fn interaction_parts<A: Air, P: Point>(air: &A, values: Values<'_, P>, parts: &mut Vec<(Direction, P, P)>) {
	parts.clear();
	evaluate(air, values, None, Some(parts));
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

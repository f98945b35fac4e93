//! The constraints' weighted sum compiled for the zerocheck prover.
//!
//! The prover evaluates `Σ_j λ_j C_j` ([`crate::combine`]: the AIR's constraints, each
//! transition constraint times `active`, then each interaction's gate check
//! `active · (g² + g)`) at a few points on the line through each pair of rows, for every pair
//! of every round. Running the AIR's `eval` there computes every expression the AIR writes at
//! every point. A [`Circuit`] is the same polynomial, written for fewer products:
//!
//! - each distinct expression is one node, computed once however often the AIR writes it, with
//!   constants folded (`x + x = 0`, `1 · x = x`, products of constants);
//! - the expressions of degree at most 1 (the columns' linear combinations, selectors, index
//!   bits) are affine on a pair's line, so they are computed at the pair's two rows only
//!   ([`Circuit::rows`]), and at the line's other points from those two values
//!   ([`Circuit::at`]): a node `v` of degree at most 1 is `v(lo) + X (v(lo) + v(hi))` there;
//! - the weighted sum is factored: constraints `x · y_j` with a common factor `x` are summed as
//!   `x · Σ_j λ_j y_j` (recursively, the factor shared by most terms first), and a term `c · y`
//!   with a constant `c` takes the weight `λ_j c`; a sum whose terms all have degree at most 1 is
//!   itself such an expression, computed at the rows.
//!
//! It is a polynomial identity, so the value is the same at every point (the tests compare it
//! with [`crate::combine`] on every table of the VM); the transcript does not change.

use crate::symbolic::{record, Node};
use crate::{AirError, BinaryFieldElement, Ext, Point, Selector};
use agentic_pcs::field::FastMul;
use alloc::{collections::BTreeMap, vec, vec::Vec};

/// A value a circuit reads from the tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
	/// Column `k` on the row.
	Cur(u32),
	/// Column `k` on the next row.
	Next(u32),
	/// The selector with this index ([`Selector::index`]).
	Selector(u8),
	/// Index bit `b`.
	IndexBit(u8),
}

/// An expression node while compiling (operands by node id, constants as their values).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Expr {
	Input(Input),
	Const(u128),
	/// Operands in increasing order, not both constants, neither 0.
	Add(u32, u32),
	/// Operands in increasing order, neither a constant.
	Mul(u32, u32),
	/// A node times a constant other than 0 and 1.
	Scale(u32, u128),
	/// Weighted sum `s` ([`Compiler::sums`]).
	Sum(u32),
}

/// A term `weight · coefficient · node` of a weighted sum: `weight` the index of a `λ_j`, or
/// none (1).
#[derive(Clone, Copy, Debug)]
struct Term {
	weight: Option<u32>,
	coefficient: Ext,
	node: u32,
}

/// A weighted sum: `Σ terms + Σ factor · sum`.
#[derive(Clone, Debug, Default)]
struct SumDef {
	terms: Vec<Term>,
	/// `(factor node, sum node)`.
	products: Vec<(u32, u32)>,
}

/// One step of a compiled phase: its result takes the phase's next slot; operands are slots.
#[derive(Clone, Copy, Debug)]
enum Step {
	Input(Input),
	Const(Ext),
	Add(u32, u32),
	Mul(u32, u32),
	Scale(u32, Ext),
	/// The terms `terms.0 .. terms.1` of [`Circuit::term_slots`] (the first `units` of weight
	/// 1) and the products `products.0 .. products.1` of [`Circuit::products`].
	Sum {
		terms: (u32, u32),
		units: u32,
		products: (u32, u32),
	},
}

/// An AIR's weighted constraint sum as two programs: the steps at a pair's rows, and the steps
/// at a point of its line, fed by the rows' values of the nodes they read ([`Circuit::frontier`]).
#[derive(Clone, Debug)]
pub struct Circuit {
	/// The steps computed at each row (degree at most 1), each into the next row slot.
	row_steps: Vec<Step>,
	/// The row slots the point steps read, in the order they take the first point slots.
	frontier: Vec<u32>,
	/// The steps computed at each point, each into the next point slot after the frontier's.
	point_steps: Vec<Step>,
	/// Each weighted sum's terms' operands (slots), sum after sum.
	term_slots: Vec<u32>,
	/// Each term's weight: the index of a `λ_j` (none for 1) and the constant it is multiplied by.
	term_weights: Vec<(Option<u32>, Ext)>,
	products: Vec<(u32, u32)>,
	/// The number of constraints (`λ_j`) the sum weighs.
	constraints: usize,
}

/// The weights of a circuit's terms for one choice of the `λ_j` (1 for the terms of weight 1,
/// which are added as they are).
#[derive(Clone, Debug)]
pub struct BoundWeights(Vec<Ext>);

/// The constant's value.
fn value(c: u128) -> Ext {
	Ext::from_value(c)
}

/// Builds the circuit's nodes: interned (each distinct expression once), folded.
struct Compiler {
	exprs: Vec<Expr>,
	degrees: Vec<u32>,
	index: BTreeMap<Expr, u32>,
	sums: Vec<SumDef>,
}

impl Compiler {
	fn intern(&mut self, expr: Expr) -> u32 {
		if let Some(&id) = self.index.get(&expr) {
			return id;
		}
		let degree = match expr {
			Expr::Input(_) => 1,
			Expr::Const(_) => 0,
			Expr::Add(a, b) => self.degrees[a as usize].max(self.degrees[b as usize]),
			Expr::Mul(a, b) => self.degrees[a as usize] + self.degrees[b as usize],
			Expr::Scale(a, _) => self.degrees[a as usize],
			Expr::Sum(s) => {
				let sum = &self.sums[s as usize];
				let terms = sum.terms.iter().map(|t| self.degrees[t.node as usize]);
				let products = sum.products.iter().map(|&(f, s)| self.degrees[f as usize] + self.degrees[s as usize]);
				terms.chain(products).max().unwrap_or(0)
			},
		};
		let id = self.exprs.len() as u32;
		self.exprs.push(expr);
		self.degrees.push(degree);
		if !matches!(expr, Expr::Sum(_)) {
			self.index.insert(expr, id);
		}
		id
	}

	fn constant(&self, id: u32) -> Option<Ext> {
		match self.exprs[id as usize] {
			Expr::Const(c) => Some(value(c)),
			_ => None,
		}
	}

	fn konst(&mut self, c: Ext) -> u32 {
		self.intern(Expr::Const(c.poly().value()))
	}

	fn add(&mut self, a: u32, b: u32) -> u32 {
		match (self.constant(a), self.constant(b)) {
			(Some(x), Some(y)) => self.konst(x.add(&y)),
			(Some(x), None) if x == Ext::zero() => b,
			(None, Some(y)) if y == Ext::zero() => a,
			// x + x = 0 in characteristic 2.
			_ if a == b => self.konst(Ext::zero()),
			_ => self.intern(Expr::Add(a.min(b), a.max(b))),
		}
	}

	fn mul(&mut self, a: u32, b: u32) -> u32 {
		match (self.constant(a), self.constant(b)) {
			(Some(x), Some(y)) => self.konst(x.fast_mul(&y)),
			(Some(c), None) => self.scale(b, c),
			(None, Some(c)) => self.scale(a, c),
			(None, None) => self.intern(Expr::Mul(a.min(b), a.max(b))),
		}
	}

	fn scale(&mut self, a: u32, c: Ext) -> u32 {
		if c == Ext::zero() {
			return self.konst(c);
		}
		if c == Ext::one() {
			return a;
		}
		match self.exprs[a as usize] {
			Expr::Const(x) => self.konst(value(x).fast_mul(&c)),
			Expr::Scale(inner, d) => self.scale(inner, value(d).fast_mul(&c)),
			_ => self.intern(Expr::Scale(a, c.poly().value())),
		}
	}

	/// The node of `Σ terms`, factored: the terms that are products sharing an operand are
	/// summed as that operand times the sum of their other operands (the operand most terms
	/// share first, while two share one), recursively; the terms of degree at most 1 of a
	/// higher sum are summed apart (a sum computed at the rows).
	fn sum(&mut self, terms: Vec<Term>) -> u32 {
		let mut direct = Vec::new();
		let mut products: Vec<(Term, u32, u32)> = Vec::new();
		// Each term a sum's summands: `λ c (A + B)` is `λ c A + λ c B`, and `λ c (d A)` is
		// `λ (c d) A`.
		let mut stack = terms;
		while let Some(mut term) = stack.pop() {
			match self.exprs[term.node as usize] {
				Expr::Scale(inner, c) => {
					term.coefficient = term.coefficient.fast_mul(&value(c));
					term.node = inner;
					stack.push(term);
				},
				Expr::Add(a, b) => {
					stack.push(Term { node: a, ..term });
					stack.push(Term { node: b, ..term });
				},
				Expr::Mul(a, b) => products.push((term, a, b)),
				_ => direct.push(term),
			}
		}
		let mut factored = Vec::new();
		loop {
			let mut counts: BTreeMap<u32, usize> = BTreeMap::new();
			for &(_, a, b) in &products {
				*counts.entry(a).or_default() += 1;
				if b != a {
					*counts.entry(b).or_default() += 1;
				}
			}
			// The most shared operand; the lowest id among equals (a fixed order).
			let Some((factor, count)) =
				counts.iter().map(|(&k, &c)| (k, c)).fold(None, |best: Option<(u32, usize)>, (k, c)| match best {
					Some((_, bc)) if bc >= c => best,
					_ => Some((k, c)),
				})
			else {
				break;
			};
			if count < 2 {
				break;
			}
			let (with, rest): (Vec<_>, Vec<_>) =
				products.into_iter().partition(|&(_, a, b)| a == factor || b == factor);
			products = rest;
			let inner: Vec<Term> =
				with.into_iter().map(|(term, a, b)| Term { node: if a == factor { b } else { a }, ..term }).collect();
			let sum = self.sum(inner);
			factored.push((factor, sum));
		}
		direct.extend(products.into_iter().map(|(term, a, b)| Term { node: self.mul(a, b), ..term }));
		// The summands of one weight and coefficient added before they are weighed, as their
		// constraint was: one product per weight.
		let mut by_weight: BTreeMap<(Option<u32>, u128, bool), u32> = BTreeMap::new();
		for term in direct {
			let key = (term.weight, term.coefficient.poly().value(), self.degrees[term.node as usize] <= 1);
			let node = match by_weight.get(&key) {
				Some(&sum) => self.add(sum, term.node),
				None => term.node,
			};
			by_weight.insert(key, node);
		}
		let mut direct: Vec<Term> = by_weight
			.into_iter()
			.map(|((weight, coefficient, _), node)| Term { weight, coefficient: value(coefficient), node })
			.collect();
		let degree = direct
			.iter()
			.map(|t| self.degrees[t.node as usize])
			.chain(factored.iter().map(|&(f, s)| self.degrees[f as usize] + self.degrees[s as usize]))
			.max()
			.unwrap_or(0);
		let linear = direct.iter().filter(|t| self.degrees[t.node as usize] <= 1).count();
		if degree >= 2 && linear >= 2 {
			let (low, high): (Vec<Term>, Vec<Term>) =
				direct.into_iter().partition(|t| self.degrees[t.node as usize] <= 1);
			let low = self.sum(low);
			direct = high;
			direct.push(Term { weight: None, coefficient: Ext::one(), node: low });
		}
		self.sums.push(SumDef { terms: direct, products: factored });
		self.intern(Expr::Sum(self.sums.len() as u32 - 1))
	}
}

/// The columns `air`'s interactions read (on the row), in increasing order: all that a run
/// wanting the bus leaves alone needs ([`crate::AirBuilder::wants_constraints`]). One symbolic
/// run of `air`.
pub fn interaction_columns<A: crate::Air>(air: &A) -> Vec<u32> {
	recorded_interaction_columns(&record(air))
}

/// The columns the recorded interactions' gates and fields read, in increasing order.
fn recorded_interaction_columns(recording: &crate::symbolic::Recording) -> Vec<u32> {
	let reached = recording.reached_from_interactions();
	let mut columns: Vec<u32> = (0..recording.nodes.len())
		.filter(|&id| reached[id])
		.filter_map(|id| match recording.nodes[id] {
			Node::Cur(k) => Some(k),
			_ => None,
		})
		.collect();
	columns.sort_unstable();
	columns.dedup();
	columns
}

impl Circuit {
	/// Compiles `air`'s weighted constraint sum, in the order and with the gate checks of
	/// [`crate::AirInfo::constraints`].
	pub fn compile<A: crate::Air>(air: &A) -> Circuit {
		let recording = record(air);
		let mut compiler =
			Compiler { exprs: Vec::new(), degrees: Vec::new(), index: BTreeMap::new(), sums: Vec::new() };
		let mut ids = Vec::with_capacity(recording.nodes.len());
		for node in &recording.nodes {
			let id = match *node {
				Node::Const(c) => compiler.konst(Ext::from(c)),
				Node::ConstExt(i) => compiler.konst(recording.exts[i as usize]),
				Node::Cur(k) => compiler.intern(Expr::Input(Input::Cur(k))),
				Node::Next(k) => compiler.intern(Expr::Input(Input::Next(k))),
				Node::Sel(s) => compiler.intern(Expr::Input(Input::Selector(s.index() as u8))),
				Node::IndexBit(b) => compiler.intern(Expr::Input(Input::IndexBit(b))),
				Node::Add(a, b) => compiler.add(ids[a as usize], ids[b as usize]),
				Node::Mul(a, b) => compiler.mul(ids[a as usize], ids[b as usize]),
			};
			ids.push(id);
		}
		let active = compiler.intern(Expr::Input(Input::Selector(Selector::Active.index() as u8)));
		let mut terms = Vec::with_capacity(recording.constraints.len() + recording.gates.len());
		for (j, &(transition, root)) in recording.constraints.iter().enumerate() {
			let root = ids[root as usize];
			let node = if transition { compiler.mul(active, root) } else { root };
			terms.push(Term { weight: Some(j as u32), coefficient: Ext::one(), node });
		}
		let user = recording.constraints.len();
		for (i, &gate) in recording.gates.iter().enumerate() {
			let g = ids[gate as usize];
			let square = compiler.mul(g, g);
			let check = compiler.add(square, g);
			let node = compiler.mul(active, check);
			terms.push(Term { weight: Some((user + i) as u32), coefficient: Ext::one(), node });
		}
		let constraints = terms.len();
		let top = compiler.sum(terms);
		Circuit::schedule(&compiler, top, constraints)
	}

	/// Splits the live nodes into the two phases and numbers their slots.
	fn schedule(compiler: &Compiler, top: u32, constraints: usize) -> Circuit {
		let count = compiler.exprs.len();
		let operands = |id: usize| -> Vec<u32> {
			match compiler.exprs[id] {
				Expr::Add(a, b) | Expr::Mul(a, b) => vec![a, b],
				Expr::Scale(a, _) => vec![a],
				Expr::Sum(s) => {
					let sum = &compiler.sums[s as usize];
					sum.terms.iter().map(|t| t.node).chain(sum.products.iter().flat_map(|&(f, s)| [f, s])).collect()
				},
				Expr::Input(_) | Expr::Const(_) => Vec::new(),
			}
		};
		// Every operand has a lower id than the node that reads it.
		let mut live = vec![false; count];
		live[top as usize] = true;
		for id in (0..count).rev() {
			if live[id] {
				for o in operands(id) {
					live[o as usize] = true;
				}
			}
		}
		let at_rows = |id: usize| compiler.degrees[id] <= 1;
		let mut row_slot = vec![u32::MAX; count];
		let mut rows = 0u32;
		for id in (0..count).filter(|&id| live[id] && at_rows(id)) {
			row_slot[id] = rows;
			rows += 1;
		}
		// The frontier: the row nodes a point node reads (or the top, if it is a row node).
		let mut point_slot = vec![u32::MAX; count];
		let mut frontier = Vec::new();
		let take = |id: usize, frontier: &mut Vec<u32>, point_slot: &mut Vec<u32>| {
			if point_slot[id] == u32::MAX {
				point_slot[id] = frontier.len() as u32;
				frontier.push(row_slot[id]);
			}
		};
		if at_rows(top as usize) {
			take(top as usize, &mut frontier, &mut point_slot);
		}
		for id in (0..count).filter(|&id| live[id] && !at_rows(id)) {
			for o in operands(id) {
				if at_rows(o as usize) {
					take(o as usize, &mut frontier, &mut point_slot);
				}
			}
		}
		let mut next = frontier.len() as u32;
		for id in (0..count).filter(|&id| live[id] && !at_rows(id)) {
			point_slot[id] = next;
			next += 1;
		}

		let mut circuit = Circuit {
			row_steps: Vec::new(),
			frontier,
			point_steps: Vec::new(),
			term_slots: Vec::new(),
			term_weights: Vec::new(),
			products: Vec::new(),
			constraints,
		};
		for id in (0..count).filter(|&id| live[id]) {
			let slots = if at_rows(id) { &row_slot } else { &point_slot };
			let slot = |o: u32| slots[o as usize];
			let step = match compiler.exprs[id] {
				Expr::Input(input) => Step::Input(input),
				Expr::Const(c) => Step::Const(value(c)),
				Expr::Add(a, b) => Step::Add(slot(a), slot(b)),
				Expr::Mul(a, b) => Step::Mul(slot(a), slot(b)),
				Expr::Scale(a, c) => Step::Scale(slot(a), value(c)),
				Expr::Sum(s) => {
					let sum = &compiler.sums[s as usize];
					let unit = |t: &&Term| t.weight.is_none() && t.coefficient == Ext::one();
					let first_term = circuit.term_slots.len() as u32;
					// The terms of weight 1 first.
					let ordered = sum.terms.iter().filter(unit).chain(sum.terms.iter().filter(|t| !unit(t)));
					for t in ordered {
						circuit.term_slots.push(slot(t.node));
						circuit.term_weights.push((t.weight, t.coefficient));
					}
					let first_product = circuit.products.len() as u32;
					circuit.products.extend(sum.products.iter().map(|&(f, s)| (slot(f), slot(s))));
					Step::Sum {
						terms: (first_term, circuit.term_slots.len() as u32),
						units: sum.terms.iter().filter(unit).count() as u32,
						products: (first_product, circuit.products.len() as u32),
					}
				},
			};
			if at_rows(id) {
				circuit.row_steps.push(step);
			} else {
				circuit.point_steps.push(step);
			}
		}
		circuit
	}

	/// The terms' weights for the constraints' weights `lambdas` (one per constraint).
	pub fn bind(&self, lambdas: &[Ext]) -> Result<BoundWeights, AirError> {
		if lambdas.len() != self.constraints {
			return Err(AirError::ConstraintCountChanged { expected: lambdas.len(), found: self.constraints });
		}
		let weights = self
			.term_weights
			.iter()
			.map(|(weight, coefficient)| weight.map_or(Ext::one(), |j| lambdas[j as usize]).fast_mul(coefficient))
			.collect();
		Ok(BoundWeights(weights))
	}

	/// How many slots [`Circuit::rows`] fills.
	pub fn row_slots(&self) -> usize {
		self.row_steps.len()
	}

	/// How many slots [`Circuit::at`] uses (the frontier's first).
	pub fn point_slots(&self) -> usize {
		self.frontier.len() + self.point_steps.len()
	}

	/// The row slots whose values on a point's line [`Circuit::at`] takes in its first slots,
	/// in order.
	pub fn frontier(&self) -> &[u32] {
		&self.frontier
	}

	/// Every input the row steps read, and the row slot [`Circuit::rows`] reads it from.
	pub fn inputs(&self) -> impl Iterator<Item = (Input, usize)> + '_ {
		self.row_steps.iter().enumerate().filter_map(|(slot, step)| match step {
			Step::Input(input) => Some((*input, slot)),
			_ => None,
		})
	}

	/// The row steps at one row (or [`crate::LANES`] rows), in `slots` (at least
	/// [`Circuit::row_slots`] long), whose inputs' slots ([`Circuit::inputs`]) hold the inputs'
	/// values there.
	#[inline(always)]
	pub fn rows<P: Point>(&self, weights: &BoundWeights, slots: &mut [P]) {
		debug_assert_eq!(weights.0.len(), self.term_slots.len(), "weights bound to another circuit");
		for (slot, step) in self.row_steps.iter().enumerate() {
			if !matches!(step, Step::Input(_)) {
				slots[slot] = self.step(step, weights, slots);
			}
		}
	}

	/// The weighted sum at a point, from the frontier's values there in `slots`' first
	/// [`Circuit::frontier`] places (`slots` at least [`Circuit::point_slots`] long).
	#[inline(always)]
	pub fn at<P: Point>(&self, weights: &BoundWeights, slots: &mut [P]) -> P {
		debug_assert_eq!(weights.0.len(), self.term_slots.len(), "weights bound to another circuit");
		let first = self.frontier.len();
		for (k, step) in self.point_steps.iter().enumerate() {
			slots[first + k] = self.step(step, weights, slots);
		}
		// The top sum is the last node: the last point step, or (if it has degree at most 1, and
		// then no point steps) the frontier's only node.
		match self.point_steps.len() {
			0 => slots[0],
			steps => slots[first + steps - 1],
		}
	}

	#[inline(always)]
	fn step<P: Point>(&self, step: &Step, weights: &BoundWeights, slots: &[P]) -> P {
		match *step {
			// Inputs are row steps, set before `rows`.
			Step::Input(_) => P::splat(Ext::zero()),
			Step::Const(c) => P::splat(c),
			Step::Add(a, b) => slots[a as usize].plus(slots[b as usize]),
			Step::Mul(a, b) => slots[a as usize].times(slots[b as usize]),
			Step::Scale(a, c) => slots[a as usize].scale(&c),
			Step::Sum { terms, units, products } => {
				let mut acc = P::wide_zero();
				let (first, weighted, end) = (terms.0 as usize, (terms.0 + units) as usize, terms.1 as usize);
				for &slot in &self.term_slots[first..weighted] {
					slots[slot as usize].add_to(&mut acc);
				}
				for (&slot, w) in self.term_slots[weighted..end].iter().zip(&weights.0[weighted..end]) {
					slots[slot as usize].add_scaled(w, &mut acc);
				}
				for &(f, s) in &self.products[products.0 as usize..products.1 as usize] {
					slots[f as usize].add_times(slots[s as usize], &mut acc);
				}
				P::reduce(acc)
			},
		}
	}
}

/// A check of a circuit against the AIR it was compiled from, for the tests of the crates that
/// define AIRs (feature `test-utils`).
#[cfg(any(test, feature = "test-utils"))]
pub mod testing {
	use crate::{combine, Air, BinaryFieldElement, Ext, Lanes, Point, Values, LANES};
	use agentic_pcs::field::FastMul;
	use alloc::{vec, vec::Vec};

	/// A random value of `E` from `state` (a linear congruential step, twice): the testing
	/// modules' draws.
	pub(crate) fn rng_ext(state: &mut u64) -> Ext {
		let mut next = || {
			*state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
			*state
		};
		Ext::from_value(((next() as u128) << 64) | next() as u128)
	}

	/// Asserts that `air`'s circuit, from the values of two rows (random, from `seed`), agrees
	/// with [`crate::combine`] at the points of their line: at the rows and at three others,
	/// [`LANES`] lines at once, lane by lane.
	pub fn assert_agrees_on_lines<A: Air>(air: &A, seed: u64) {
		let info = crate::analyze(air).unwrap();
		let circuit = super::Circuit::compile(air);
		let mut state = seed;
		let lambdas: Vec<Ext> = (0..info.constraints.len()).map(|_| rng_ext(&mut state)).collect();
		let weights = circuit.bind(&lambdas).unwrap();
		let width = air.width();
		let bits = crate::MAX_INDEX_BIT as usize + 1;
		// Per lane, two rows: columns, next columns, selectors, index bits.
		let row = |state: &mut u64| -> (Vec<Ext>, Vec<Ext>, Vec<Ext>, Vec<Ext>) {
			(
				(0..width).map(|_| rng_ext(state)).collect(),
				(0..width).map(|_| rng_ext(state)).collect(),
				(0..4).map(|_| rng_ext(state)).collect(),
				(0..bits).map(|_| rng_ext(state)).collect(),
			)
		};
		let lo: Vec<_> = (0..LANES).map(|_| row(&mut state)).collect();
		let hi: Vec<_> = (0..LANES).map(|_| row(&mut state)).collect();
		let inputs: Vec<(super::Input, usize)> = circuit.inputs().collect();
		let read = |rows: &[(Vec<Ext>, Vec<Ext>, Vec<Ext>, Vec<Ext>)], input: super::Input| {
			Lanes(core::array::from_fn(|l| {
				let (cur, next, sel, bit) = &rows[l];
				match input {
					super::Input::Cur(k) => cur[k as usize],
					super::Input::Next(k) => next[k as usize],
					super::Input::Selector(s) => sel[s as usize],
					super::Input::IndexBit(b) => bit[b as usize],
				}
			}))
		};
		let zero = Lanes::splat(Ext::zero());
		let (mut at_lo, mut at_hi) = (vec![zero; circuit.row_slots()], vec![zero; circuit.row_slots()]);
		for &(input, slot) in &inputs {
			(at_lo[slot], at_hi[slot]) = (read(&lo, input), read(&hi, input));
		}
		circuit.rows(&weights, &mut at_lo);
		circuit.rows(&weights, &mut at_hi);
		for d in [0u128, 1, 2, 3, 0x1234_5678_9abc] {
			let d = Ext::from_value(d);
			let mut slots = vec![zero; circuit.point_slots()];
			for (k, &f) in circuit.frontier().iter().enumerate() {
				let (a, b) = (at_lo[f as usize], at_hi[f as usize]);
				slots[k] = a.plus(a.plus(b).scale(&d));
			}
			let got = circuit.at(&weights, &mut slots);
			for l in 0..LANES {
				let line = |x: &Vec<Ext>, y: &Vec<Ext>| -> Vec<Ext> {
					x.iter().zip(y).map(|(a, b)| a.add(&a.add(b).fast_mul(&d))).collect()
				};
				let (cur, next, sel, bit) = (
					line(&lo[l].0, &hi[l].0),
					line(&lo[l].1, &hi[l].1),
					line(&lo[l].2, &hi[l].2),
					line(&lo[l].3, &hi[l].3),
				);
				let values = Values {
					cur: &cur,
					next: &next,
					selectors: [sel[0], sel[1], sel[2], sel[3]],
					index_bits: &bit,
					challenges: &[],
				};
				let want = combine(air, values, &lambdas).unwrap();
				assert_eq!(got.0[l], want, "lane {l} at {d:?}");
			}
		}
	}
}

#[cfg(test)]
mod tests {
	use super::testing::assert_agrees_on_lines as agrees_on_lines;
	use super::*;
	use crate::{Air, AirBuilder, Base, Direction};

	/// An AIR with shared factors, constants, transitions, next-row reads, index bits and an
	/// interaction.
	struct Mixed;

	impl Air for Mixed {
		fn width(&self) -> usize {
			6
		}

		fn eval<AB: AirBuilder>(&self, b: &mut AB) {
			let (x, y, z, w) = (b.cur(0), b.cur(1), b.cur(2), b.cur(3));
			let flag = b.cur(4);
			for k in 0..4 {
				// (1 + flag) · column: a shared factor over a linear sum.
				b.assert_zero((b.one() + flag.clone()) * b.cur(k));
			}
			b.assert_bool(flag.clone());
			b.assert_eq(z.clone(), x.clone() * y.clone() + b.constant(Base::from_value(7)) * w.clone());
			b.assert_eq(z.clone(), x.clone() * y.clone() + b.constant(Base::from_value(7)) * w.clone());
			b.assert_transition(b.next(0) + x.clone() * flag.clone() + b.index_bit(1));
			b.assert_zero(b.constant_ext(Ext::from_value(5)) * x.clone() * y.clone() * z.clone());
			b.assert_zero(flag.clone() * (x.clone() + y.clone()) + flag.clone() * b.cur(5) * w.clone());
			b.assert_zero(b.selector(Selector::First) * (x.clone() + b.one()));
			b.interact(1, Direction::Send, flag, &[x, y]);
		}
	}

	#[test]
	fn the_circuit_is_the_weighted_sum_on_a_line() {
		for seed in 0..4 {
			agrees_on_lines(&Mixed, seed);
		}
	}

	/// Linear constraints and an interaction gated by 1: the whole sum has degree 1.
	struct Linear;

	impl Air for Linear {
		fn width(&self) -> usize {
			3
		}

		fn eval<AB: AirBuilder>(&self, b: &mut AB) {
			b.assert_eq(b.cur(0), b.cur(1) + b.constant(Base::from_value(3)) * b.cur(2));
			b.assert_zero(b.cur(2) + b.selector(Selector::First));
			b.interact(2, Direction::Receive, b.one(), &[b.cur(0)]);
		}
	}

	#[test]
	fn a_sum_of_degree_one_is_computed_at_the_rows() {
		let circuit = Circuit::compile(&Linear);
		assert!(circuit.point_steps.is_empty());
		assert_eq!(circuit.frontier().len(), 1);
		agrees_on_lines(&Linear, 5);
	}

	#[test]
	fn the_interactions_columns_are_those_they_read() {
		// The send reads the flag (column 4) as its gate, x and y (0 and 1) as its fields.
		assert_eq!(interaction_columns(&Mixed), [0, 1, 4]);
		assert_eq!(interaction_columns(&Factors(false)), [] as [u32; 0]);
	}

	/// `(1 + flag) · c_k` for four columns, `z = x y` once or twice.
	struct Factors(bool);

	impl Air for Factors {
		fn width(&self) -> usize {
			7
		}

		fn eval<AB: AirBuilder>(&self, b: &mut AB) {
			let flag = b.cur(4);
			for k in 0..4 {
				b.assert_zero((b.one() + flag.clone()) * b.cur(k));
			}
			for _ in 0..1 + self.0 as usize {
				b.assert_eq(b.cur(6), b.cur(5) * b.cur(4));
			}
		}
	}

	/// The products a point's steps compute: products of nodes, and in the sums, weighted terms
	/// and factors.
	fn point_products(circuit: &Circuit) -> usize {
		let mut count = 0;
		for step in &circuit.point_steps {
			count += match *step {
				Step::Mul(..) | Step::Scale(..) => 1,
				// The terms of weight 1 are added, not multiplied.
				Step::Sum { terms, units, products } => (terms.1 - terms.0 - units + products.1 - products.0) as usize,
				_ => 0,
			};
		}
		count
	}

	#[test]
	fn shared_factors_and_repeated_expressions_are_taken_once() {
		let (once, twice) = (Circuit::compile(&Factors(false)), Circuit::compile(&Factors(true)));
		// The sum of the four columns, their common factor taken out, is computed at the rows.
		assert!(once.row_steps.iter().any(|s| matches!(s, Step::Sum { terms, .. } if terms.1 - terms.0 == 4)));
		// At a point: `(1 + flag) · Σ_k λ_k c_k`, and `λ (z + x y)` (`x y` and its weight); a
		// constraint written twice costs no more (`x (λ y + λ' y)`, the `z` at the rows).
		assert!(point_products(&once) <= 4, "{} products at a point", point_products(&once));
		assert!(point_products(&twice) <= point_products(&once));
		agrees_on_lines(&Factors(false), 9);
		agrees_on_lines(&Factors(true), 10);
	}

	#[test]
	fn a_weight_count_other_than_the_constraints_is_refused() {
		let circuit = Circuit::compile(&Mixed);
		let info = crate::analyze(&Mixed).unwrap();
		assert!(circuit.bind(&vec![Ext::one(); info.constraints.len() + 1]).is_err());
		assert!(circuit.bind(&vec![Ext::one(); info.constraints.len()]).is_ok());
	}
}

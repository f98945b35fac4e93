//! The bus interactions compiled into affine forms for the zerocheck prover.
//!
//! An interaction's factor in the bus leaves is `g f + 1 + g`, with its gate `g` and its
//! fingerprint `f = z + β_0 · φ(bus) + Σ_i β_(i+1) · field_i` ([`crate::interaction_parts`]).
//! Where the gate and every field are affine in the row's inputs (columns on the row,
//! selectors, index bits: [`crate::InteractionInfo::affine`]), so is the fingerprint, and its
//! coefficients `W_u = Σ_i β_(i+1) c_(i,u)` (`c_(i,u)` the coefficient of input `u` in field
//! `i`) are the same at every point: [`InteractionForms::bind`] computes them once per proof.
//! A fingerprint then costs one product per input it reads, not the AIR's expressions (a word
//! packed from 32 bit columns, `Σ_k x^k b_k`, is 32 products, and its weight one more).
//!
//! On a trace's rows a declared bit column ([`crate::AirBuilder::assert_bit_column`]), a
//! selector and an index bit are 0 or 1, so their terms `W_u x_u` are `W_u` or 0: chosen, not
//! multiplied ([`BoundInteractions::parts_on_rows`]).
//!
//! The forms are the same polynomials as the AIR's expressions (the tests compare them at
//! random points and on rows for every table of the VM); the transcript does not change.

use crate::circuit::Input;
use crate::symbolic::{record, Node, Recording};
use crate::{Base, BinaryFieldElement, Direction, Ext, Lanes, Point, LANES};
use agentic_pcs::field::FastMul;
use alloc::{vec, vec::Vec};

/// An affine form over inputs: `constant + Σ coefficient · input`, the inputs in increasing
/// order, each once, no coefficient 0.
#[derive(Clone, Debug, Default, PartialEq)]
struct Form<I> {
	constant: Ext,
	terms: Vec<(I, Ext)>,
}

impl<I: Copy + Ord> Form<I> {
	fn constant(c: Ext) -> Form<I> {
		Form { constant: c, terms: Vec::new() }
	}

	fn sum(&self, other: &Form<I>) -> Form<I> {
		let mut terms = Vec::with_capacity(self.terms.len() + other.terms.len());
		let (mut a, mut b) = (self.terms.iter().peekable(), other.terms.iter().peekable());
		loop {
			let next = match (a.peek(), b.peek()) {
				(Some(&&(u, x)), Some(&&(v, y))) => match u.cmp(&v) {
					core::cmp::Ordering::Less => {
						a.next();
						(u, x)
					},
					core::cmp::Ordering::Greater => {
						b.next();
						(v, y)
					},
					core::cmp::Ordering::Equal => {
						a.next();
						b.next();
						(u, x.add(&y))
					},
				},
				(Some(&&term), None) => {
					a.next();
					term
				},
				(None, Some(&&term)) => {
					b.next();
					term
				},
				(None, None) => break,
			};
			if next.1 != Ext::zero() {
				terms.push(next);
			}
		}
		Form { constant: self.constant.add(&other.constant), terms }
	}

	fn scaled(&self, c: &Ext) -> Form<I> {
		if *c == Ext::zero() {
			return Form::constant(Ext::zero());
		}
		Form {
			constant: self.constant.fast_mul(c),
			terms: self.terms.iter().map(|&(u, x)| (u, x.fast_mul(c))).collect(),
		}
	}
}

/// An interaction as forms over the inputs' slots ([`InteractionForms::inputs`]).
#[derive(Clone, Debug)]
struct FormInteraction {
	bus: u32,
	direction: Direction,
	gate: Form<u32>,
	fields: Vec<Form<u32>>,
}

/// An AIR's interactions as affine forms in its inputs, before the bus challenges
/// ([`InteractionForms::compile`]).
#[derive(Clone, Debug)]
pub struct InteractionForms {
	/// The inputs the interactions read, in increasing order: slot `u` is `inputs[u]`.
	inputs: Vec<Input>,
	/// Whether input `u` is 0 or 1 on every row of a trace (a declared bit column, a
	/// selector, an index bit).
	row_bits: Vec<bool>,
	interactions: Vec<FormInteraction>,
}

/// Each node's form, for the nodes the interactions read; `None` for one that is not affine
/// (or reads the next row).
fn node_forms(recording: &Recording) -> Vec<Option<Form<Input>>> {
	// Every operand has a lower id than the node that reads it.
	let mut reached = vec![false; recording.nodes.len()];
	for &root in &recording.interaction_roots {
		reached[root as usize] = true;
	}
	for id in (0..recording.nodes.len()).rev() {
		if let (true, Node::Add(a, b) | Node::Mul(a, b)) = (reached[id], recording.nodes[id]) {
			reached[a as usize] = true;
			reached[b as usize] = true;
		}
	}
	let input = |input: Input| Some(Form { constant: Ext::zero(), terms: vec![(input, Ext::one())] });
	let mut forms: Vec<Option<Form<Input>>> = Vec::with_capacity(recording.nodes.len());
	for (id, node) in recording.nodes.iter().enumerate() {
		if !reached[id] {
			forms.push(None);
			continue;
		}
		let form = match *node {
			Node::Const(c) => Some(Form::constant(Ext::from(c))),
			Node::ConstExt(i) => recording.exts.get(i as usize).map(|&c| Form::constant(c)),
			Node::Cur(k) => input(Input::Cur(k)),
			Node::Next(_) => None,
			Node::Sel(s) => input(Input::Selector(s.index() as u8)),
			Node::IndexBit(b) => input(Input::IndexBit(b)),
			Node::Add(a, b) => match (&forms[a as usize], &forms[b as usize]) {
				(Some(x), Some(y)) => Some(x.sum(y)),
				_ => None,
			},
			Node::Mul(a, b) => match (&forms[a as usize], &forms[b as usize]) {
				(Some(x), Some(y)) if x.terms.is_empty() => Some(y.scaled(&x.constant)),
				(Some(x), Some(y)) if y.terms.is_empty() => Some(x.scaled(&y.constant)),
				_ => None,
			},
		};
		forms.push(form);
	}
	forms
}

impl InteractionForms {
	/// `air`'s interactions as affine forms (one symbolic run), in the order the AIR makes
	/// them; `None` if a gate or a field is not affine in the row's inputs.
	pub fn compile<A: crate::Air>(air: &A) -> Option<InteractionForms> {
		let recording = record(air);
		let forms = node_forms(&recording);
		let form = |root: u32| forms.get(root as usize).cloned().flatten();
		let mut interactions = Vec::with_capacity(recording.interactions.len());
		for interaction in &recording.interactions {
			let gate = form(interaction.gate)?;
			let fields = interaction.fields.iter().map(|&f| form(f)).collect::<Option<Vec<_>>>()?;
			interactions.push((interaction, gate, fields));
		}
		let mut inputs: Vec<Input> = interactions
			.iter()
			.flat_map(|(_, gate, fields)| gate.terms.iter().chain(fields.iter().flat_map(|f| &f.terms)).map(|t| t.0))
			.collect();
		inputs.sort_unstable();
		inputs.dedup();
		let slot = |input: Input| inputs.binary_search(&input).unwrap_or_default() as u32;
		let slots = |form: Form<Input>| Form {
			constant: form.constant,
			terms: form.terms.into_iter().map(|(input, c)| (slot(input), c)).collect(),
		};
		let interactions = interactions
			.into_iter()
			.map(|(interaction, gate, fields)| FormInteraction {
				bus: interaction.bus,
				direction: interaction.direction,
				gate: slots(gate),
				fields: fields.into_iter().map(slots).collect(),
			})
			.collect();
		let row_bits = inputs
			.iter()
			.map(|input| match *input {
				Input::Cur(k) => recording.bit_columns.contains(&(k as usize)),
				Input::Selector(_) | Input::IndexBit(_) => true,
				Input::Next(_) => false,
			})
			.collect();
		Some(InteractionForms { inputs, row_bits, interactions })
	}

	/// The inputs the interactions read, in increasing order: the values the evaluations take,
	/// in this order.
	pub fn inputs(&self) -> &[Input] {
		&self.inputs
	}

	/// Each interaction's direction, in the order the AIR makes them.
	pub fn directions(&self) -> impl Iterator<Item = Direction> + '_ {
		self.interactions.iter().map(|i| i.direction)
	}

	/// The fingerprints' forms for the bus challenges `challenges` (`z, β_0, β_1, …`; those
	/// missing count as 0, as in [`crate::interaction_parts`]).
	pub fn bind(&self, challenges: &[Ext]) -> BoundInteractions {
		let challenge = |i: usize| challenges.get(i).copied().unwrap_or(Ext::zero());
		let parts = self
			.interactions
			.iter()
			.map(|interaction| {
				let tag = Ext::from(Base::from_value(interaction.bus));
				let mut fingerprint = Form::constant(challenge(0).add(&challenge(1).fast_mul(&tag)));
				for (i, field) in interaction.fields.iter().enumerate() {
					fingerprint = fingerprint.sum(&field.scaled(&challenge(i + 2)));
				}
				BoundPart {
					direction: interaction.direction,
					gate: BoundForm::new(&interaction.gate, &self.row_bits),
					fingerprint: BoundForm::new(&fingerprint, &self.row_bits),
				}
			})
			.collect();
		BoundInteractions { inputs: self.inputs.clone(), row_bits: self.row_bits.clone(), parts }
	}
}

/// A form ready to evaluate: its terms of coefficient 1, its other terms, and (to choose on
/// rows) its terms on the row bits apart.
#[derive(Clone, Debug)]
struct BoundForm {
	constant: Ext,
	/// Slots of the terms of coefficient 1.
	units: Vec<u32>,
	/// The other terms.
	terms: Vec<(u32, Ext)>,
	/// On rows: the terms on row bits (as `u128` coefficients) and the others.
	bit_terms: Vec<(u32, u128)>,
	other_terms: Vec<(u32, Ext)>,
}

impl BoundForm {
	fn new(form: &Form<u32>, row_bits: &[bool]) -> BoundForm {
		let is_bit = |u: u32| row_bits.get(u as usize).copied().unwrap_or(false);
		BoundForm {
			constant: form.constant,
			units: form.terms.iter().filter(|t| t.1 == Ext::one()).map(|t| t.0).collect(),
			terms: form.terms.iter().filter(|t| t.1 != Ext::one()).copied().collect(),
			bit_terms: form.terms.iter().filter(|t| is_bit(t.0)).map(|&(u, c)| (u, c.poly().value())).collect(),
			other_terms: form.terms.iter().filter(|t| !is_bit(t.0)).copied().collect(),
		}
	}

	/// The form at [`LANES`] points, the inputs' values there in `values`.
	#[inline(always)]
	fn at(&self, values: &[Lanes]) -> Lanes {
		let mut acc = Lanes::wide_zero();
		for &u in &self.units {
			values[u as usize].add_to(&mut acc);
		}
		for (u, c) in &self.terms {
			values[*u as usize].add_scaled(c, &mut acc);
		}
		Lanes::reduce(acc).plus(Lanes::splat(self.constant))
	}

	/// The form on [`LANES`] rows, whose row bits' values in `values` are 0 or 1.
	#[inline(always)]
	fn on_rows(&self, values: &[Lanes]) -> Lanes {
		let mut acc = Lanes::wide_zero();
		for (u, c) in &self.other_terms {
			values[*u as usize].add_scaled(c, &mut acc);
		}
		let mut chosen = [self.constant.poly().value(); LANES];
		for &(u, c) in &self.bit_terms {
			for (sum, bit) in chosen.iter_mut().zip(&values[u as usize].0) {
				// All ones where the bit is 1, zero where it is 0.
				*sum ^= c & 0u128.wrapping_sub(bit.poly().value());
			}
		}
		Lanes::reduce(acc).plus(Lanes(chosen.map(Ext::from_value)))
	}
}

/// An interaction's bound forms.
#[derive(Clone, Debug)]
struct BoundPart {
	direction: Direction,
	gate: BoundForm,
	fingerprint: BoundForm,
}

/// An AIR's interactions with their fingerprints' coefficients for one draw of the bus
/// challenges ([`InteractionForms::bind`]).
#[derive(Clone, Debug)]
pub struct BoundInteractions {
	inputs: Vec<Input>,
	row_bits: Vec<bool>,
	parts: Vec<BoundPart>,
}

/// Whether every lane of `values` is 0 or 1.
#[inline(always)]
fn bits(values: &Lanes) -> bool {
	values.0.iter().fold(0, |acc, v| acc | v.poly().value()) >> 1 == 0
}

impl BoundInteractions {
	/// The inputs the interactions read ([`InteractionForms::inputs`]).
	pub fn inputs(&self) -> &[Input] {
		&self.inputs
	}

	/// Each interaction's direction, gate and fingerprint at [`LANES`] points, in the order the
	/// AIR makes them, into `parts` (cleared first): [`crate::interaction_parts`] there.
	/// `values[u]` holds input `u`'s values ([`InteractionForms::inputs`]).
	pub fn parts(&self, values: &[Lanes], parts: &mut Vec<(Direction, Lanes, Lanes)>) {
		assert!(values.len() >= self.inputs.len(), "a value per input");
		parts.clear();
		parts.extend(self.parts.iter().map(|p| (p.direction, p.gate.at(values), p.fingerprint.at(values))));
	}

	/// [`BoundInteractions::parts`] on [`LANES`] rows of a trace: the row bits' terms chosen
	/// where their values are 0 or 1 (on a valid trace, everywhere). Where a row bit's value is
	/// another, the same as [`BoundInteractions::parts`].
	pub fn parts_on_rows(&self, values: &[Lanes], parts: &mut Vec<(Direction, Lanes, Lanes)>) {
		assert!(values.len() >= self.inputs.len(), "a value per input");
		let on_rows = self.row_bits.iter().zip(values).all(|(&bit, v)| !bit || bits(v));
		if !on_rows {
			return self.parts(values, parts);
		}
		parts.clear();
		parts.extend(self.parts.iter().map(|p| (p.direction, p.gate.on_rows(values), p.fingerprint.on_rows(values))));
	}

	/// The products `(Π_send (g f + 1 + g), Π_receive (g f + 1 + g))` of `parts`
	/// ([`BoundInteractions::parts`]): at a row, what it sends and what it receives.
	pub fn products(parts: &[(Direction, Lanes, Lanes)]) -> (Lanes, Lanes) {
		let one = Lanes::splat(Ext::one());
		let (mut send, mut receive) = (one, one);
		for &(direction, gate, fingerprint) in parts {
			let factor = gate.times(fingerprint).plus(one).plus(gate);
			match direction {
				Direction::Send => send = send.times(factor),
				Direction::Receive => receive = receive.times(factor),
			}
		}
		(send, receive)
	}
}

/// A check of the forms against the AIR they were compiled from, for the tests of the crates
/// that define AIRs (feature `test-utils`).
#[cfg(any(test, feature = "test-utils"))]
pub mod testing {
	use super::{BoundInteractions, InteractionForms};
	use crate::circuit::Input;
	use crate::{bus_leaves, interaction_parts, Air, Direction, Ext, Lanes, Point, Selector, Values, MAX_INDEX_BIT};
	use crate::{Base, BinaryFieldElement};
	use alloc::vec::Vec;

	fn rng_ext(state: &mut u64) -> Ext {
		let mut next = || {
			*state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
			*state
		};
		Ext::from_value(((next() as u128) << 64) | next() as u128)
	}

	/// How [`assert_agrees`] draws the inputs.
	#[derive(Clone, Copy, Debug)]
	pub enum Draw {
		/// Every input a random value of `E`, evaluated by [`BoundInteractions::parts`].
		Points,
		/// A trace's rows: the row bits 0 or 1, the other columns values of `Base`, by
		/// [`BoundInteractions::parts_on_rows`].
		Rows,
		/// Every input a random value of `E`, by [`BoundInteractions::parts_on_rows`] (which
		/// must see that the row bits are not bits).
		RowsNotBits,
	}

	/// Asserts that `air`'s interaction forms, bound to random challenges, give the parts
	/// [`interaction_parts`] gives and, by [`BoundInteractions::products`], the leaves
	/// [`bus_leaves`] gives, at [`crate::LANES`] points drawn by `draw` from `seed`.
	pub fn assert_agrees<A: Air>(air: &A, seed: u64, draw: Draw) {
		let forms = InteractionForms::compile(air).expect("affine interactions");
		let info = crate::analyze(air).unwrap();
		let mut state = seed;
		let challenges: Vec<Ext> = (0..info.max_fields() + 2).map(|_| rng_ext(&mut state)).collect();
		let bound = forms.bind(&challenges);
		let value = |state: &mut u64, bit: bool| {
			let e = rng_ext(state);
			match (draw, bit) {
				(Draw::Rows, true) => Ext::from_value(e.poly().value() & 1),
				(Draw::Rows, false) => Ext::from(Base::from_value(e.poly().value() as u32)),
				_ => e,
			}
		};
		let lanes = |state: &mut u64, bit: bool| Lanes(core::array::from_fn(|_| value(state, bit)));
		let cur: Vec<Lanes> =
			(0..air.width()).map(|k| lanes(&mut state, info.bit_columns.contains(&(k as u32)))).collect();
		let selectors = [(); 4].map(|_| lanes(&mut state, true));
		let bits: Vec<Lanes> = (0..=MAX_INDEX_BIT).map(|_| lanes(&mut state, true)).collect();
		let values = Values { cur: &cur, next: &[], selectors, index_bits: &bits, challenges: &challenges };
		let mut expected = Vec::new();
		interaction_parts(air, values, &mut expected);
		let inputs: Vec<Lanes> = forms
			.inputs()
			.iter()
			.map(|input| match *input {
				Input::Cur(k) => cur[k as usize],
				Input::Selector(s) => selectors[s as usize],
				Input::IndexBit(b) => bits[b as usize],
				Input::Next(_) => unreachable!("no interaction reads the next row"),
			})
			.collect();
		let mut parts = Vec::new();
		match draw {
			Draw::Points => bound.parts(&inputs, &mut parts),
			Draw::Rows | Draw::RowsNotBits => bound.parts_on_rows(&inputs, &mut parts),
		}
		assert_eq!(parts, expected, "the parts of {draw:?}, seed {seed}");
		assert_eq!(forms.directions().collect::<Vec<_>>(), expected.iter().map(|p| p.0).collect::<Vec<Direction>>());
		// The leaves `active · products + 1 + active`.
		let (send, receive) = BoundInteractions::products(&parts);
		let active = selectors[Selector::Active.index()];
		let leaf = |product: Lanes| active.times(product).plus(Lanes::splat(Ext::one())).plus(active);
		assert_eq!((leaf(send), leaf(receive)), bus_leaves(air, values), "the leaves of {draw:?}, seed {seed}");
	}
}

#[cfg(test)]
mod tests {
	use super::testing::{assert_agrees, Draw};
	use super::*;
	use crate::{Air, AirBuilder, Selector};

	/// Two bit columns packed with a third column, a gate on a bit column, a selector and an
	/// index bit in a field, an `E` constant, and a constant gate.
	struct Packs;

	impl Air for Packs {
		fn width(&self) -> usize {
			4
		}

		fn eval<AB: AirBuilder>(&self, b: &mut AB) {
			b.assert_bit_column(0);
			b.assert_bit_column(1);
			b.assert_zero(b.cur(2) * b.cur(3) + b.cur(0));
			let x = b.constant(Base::from_value(2));
			let word = b.cur(0) + x.clone() * b.cur(1) + x.clone() * x * b.cur(2);
			let tagged = b.selector(Selector::Active) * b.constant_ext(Ext::from_value(7 << 100)) + b.index_bit(3);
			b.interact(5, Direction::Send, b.cur(0), &[word, tagged, b.cur(3) + b.cur(3)]);
			b.interact(6, Direction::Receive, b.one(), &[b.cur(2) + b.cur(1), b.constant(Base::from_value(9))]);
		}
	}

	/// Reads a column squared in a field.
	struct Square;

	impl Air for Square {
		fn width(&self) -> usize {
			1
		}

		fn eval<AB: AirBuilder>(&self, b: &mut AB) {
			b.assert_zero(b.cur(0));
			b.interact(1, Direction::Send, b.one(), &[b.cur(0) * b.cur(0)]);
		}
	}

	/// At random points, on rows, and on rows whose bits are not bits (every value random, row
	/// bits too: a choice would be wrong there, the products are not).
	#[test]
	fn forms_agree_with_the_air() {
		for draw in [Draw::Points, Draw::Rows, Draw::RowsNotBits] {
			for seed in 0..20 {
				assert_agrees(&Packs, seed, draw);
			}
		}
	}

	#[test]
	fn the_inputs_are_what_the_interactions_read_and_row_bits_are_bits() {
		let forms = InteractionForms::compile(&Packs).unwrap();
		assert_eq!(
			forms.inputs(),
			[Input::Cur(0), Input::Cur(1), Input::Cur(2), Input::Selector(3), Input::IndexBit(3)].as_slice()
		);
		assert_eq!(forms.row_bits, [true, true, false, true, true]);
		// `cur(3) + cur(3)` is 0: column 3 is not read.
		assert!(!forms.inputs().contains(&Input::Cur(3)));
	}

	#[test]
	fn a_product_of_inputs_is_not_affine() {
		assert!(InteractionForms::compile(&Square).is_none());
	}
}

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
//! Each sum is accumulated unreduced, reduced once.
//!
//! The forms are the same polynomials as the AIR's expressions (the tests compare them at
//! random points for every table of the VM); the transcript does not change.

use crate::circuit::Input;
use crate::symbolic::{record, Node, Recording, SplitMix};
use crate::{Base, BinaryFieldElement, Direction, Ext, Lanes, Point};
use agentic_pcs::field::FastMul;
use alloc::{collections::BTreeMap, vec, vec::Vec};

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
	interactions: Vec<FormInteraction>,
}

/// Each node's form, for the nodes the interactions read; `None` for one that is not affine
/// (or reads the next row).
fn node_forms(recording: &Recording) -> Vec<Option<Form<Input>>> {
	let reached = recording.reached_from_interactions();
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
	/// them; `None` if a gate or a field is not affine in the row's inputs as the AIR writes it
	/// (syntactically: a product of two expressions that are not constants is not, even where
	/// it cancels).
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
		let slot: BTreeMap<Input, u32> = inputs.iter().enumerate().map(|(u, &input)| (input, u as u32)).collect();
		// Every term's input is in `inputs`, so in `slot`.
		let slots = |form: Form<Input>| Form {
			constant: form.constant,
			terms: form.terms.into_iter().filter_map(|(input, c)| Some((*slot.get(&input)?, c))).collect(),
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
		Some(InteractionForms { inputs, interactions })
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
					gate: BoundForm::new(&interaction.gate),
					fingerprint: BoundForm::new(&fingerprint),
				}
			})
			.collect();
		BoundInteractions { inputs: self.inputs.clone(), parts }
	}
}

/// A form ready to evaluate: its terms of coefficient 1 apart (added, not multiplied).
#[derive(Clone, Debug)]
struct BoundForm {
	constant: Ext,
	/// Slots of the terms of coefficient 1.
	units: Vec<u32>,
	/// The other terms.
	terms: Vec<(u32, Ext)>,
}

impl BoundForm {
	fn new(form: &Form<u32>) -> BoundForm {
		BoundForm {
			constant: form.constant,
			units: form.terms.iter().filter(|t| t.1 == Ext::one()).map(|t| t.0).collect(),
			terms: form.terms.iter().filter(|t| t.1 != Ext::one()).copied().collect(),
		}
	}

	/// The form at a point (or [`crate::LANES`] points), the inputs' values there in `values`.
	#[inline(always)]
	fn at<P: Point>(&self, values: &[P]) -> P {
		let mut acc = P::wide_zero();
		for &u in &self.units {
			values[u as usize].add_to(&mut acc);
		}
		for (u, c) in &self.terms {
			values[*u as usize].add_scaled(c, &mut acc);
		}
		P::reduce(acc).plus(P::splat(self.constant))
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
	parts: Vec<BoundPart>,
}

/// An input's values from a point's (or [`LANES`] points') columns, selectors and index bits;
/// `None` for one they do not have.
fn input_values(input: Input, cur: &[Lanes], selectors: &[Lanes; 4], bits: &[Lanes]) -> Option<Lanes> {
	match input {
		Input::Cur(k) => cur.get(k as usize).copied(),
		Input::Selector(s) => selectors.get(s as usize).copied(),
		Input::IndexBit(b) => bits.get(b as usize).copied(),
		Input::Next(_) => None,
	}
}

impl BoundInteractions {
	/// The inputs the interactions read ([`InteractionForms::inputs`]).
	pub fn inputs(&self) -> &[Input] {
		&self.inputs
	}

	/// Each interaction's direction, gate and fingerprint at a [`Point`] (one point, or
	/// [`LANES`] of them), in the order the AIR makes them, into `parts` (cleared first): [`crate::interaction_parts`] there.
	/// `values[u]` holds input `u`'s values ([`BoundInteractions::inputs`]).
	///
	/// # Panics
	///
	/// If `values` does not hold one value per input.
	#[inline(always)]
	pub fn parts<P: Point>(&self, values: &[P], parts: &mut Vec<(Direction, P, P)>) {
		assert_eq!(values.len(), self.inputs.len(), "a value per input");
		parts.clear();
		parts.extend(self.parts.iter().map(|p| (p.direction, p.gate.at(values), p.fingerprint.at(values))));
	}

	/// Whether the forms give the parts `air`'s own interactions give
	/// ([`crate::interaction_parts`], its constraints not wanted) with these `challenges`, at
	/// [`LANES`] fixed pseudo-random points: the forms come from a run that wants the
	/// constraints, and an AIR that makes other interactions without them would otherwise get
	/// leaves of another polynomial. (Like [`crate::analyze`]'s, a check of the AIR's code, not
	/// against an adversary.)
	pub fn agree_with<A: crate::Air>(&self, air: &A, challenges: &[Ext]) -> bool {
		let mut state = SplitMix(0x5eed_f0e5);
		let mut lanes = || Lanes(core::array::from_fn(|_| state.ext()));
		let cur: Vec<Lanes> = (0..air.width()).map(|_| lanes()).collect();
		let selectors = [(); 4].map(|_| lanes());
		let bits: Vec<Lanes> = (0..=crate::MAX_INDEX_BIT).map(|_| lanes()).collect();
		let values = crate::Values { cur: &cur, next: &[], selectors, index_bits: &bits, challenges };
		let mut expected = Vec::new();
		crate::interaction_parts(air, values, &mut expected);
		let Some(inputs): Option<Vec<Lanes>> =
			self.inputs.iter().map(|&input| input_values(input, &cur, &selectors, &bits)).collect()
		else {
			return false;
		};
		let mut parts = Vec::new();
		self.parts(&inputs, &mut parts);
		parts == expected
	}

	/// The products `(Π_send (g f + 1 + g), Π_receive (g f + 1 + g))` of `parts`
	/// ([`BoundInteractions::parts`]): at a row, what it sends and what it receives.
	#[inline(always)]
	pub fn products<P: Point>(parts: &[(Direction, P, P)]) -> (P, P) {
		let one = P::splat(Ext::one());
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
	use super::{input_values, BoundInteractions, InteractionForms};
	use crate::circuit::testing::rng_ext;
	use crate::MAX_INDEX_BIT;
	use crate::{bus_leaf, bus_leaves, interaction_parts, Air, Direction, Ext, Lanes, Selector, Values};
	use alloc::vec::Vec;

	/// Asserts that `air`'s interaction forms, bound to random challenges, give the parts
	/// [`interaction_parts`] gives and, by [`BoundInteractions::products`], the leaves
	/// [`bus_leaves`] gives, at [`crate::LANES`] random points from `seed`; and agree with the
	/// AIR by [`BoundInteractions::agree_with`].
	pub fn assert_agrees<A: Air>(air: &A, seed: u64) {
		let info = crate::analyze(air).unwrap();
		assert_agrees_with_challenges(air, seed, info.max_fields() + 2);
	}

	/// [`assert_agrees`] with `challenges` challenges (fewer than the interactions weigh: the
	/// missing ones count as 0 on both sides).
	pub fn assert_agrees_with_challenges<A: Air>(air: &A, seed: u64, challenges: usize) {
		let forms = InteractionForms::compile(air).expect("affine interactions");
		let mut state = seed;
		let challenges: Vec<Ext> = (0..challenges).map(|_| rng_ext(&mut state)).collect();
		let bound = forms.bind(&challenges);
		assert!(bound.agree_with(air, &challenges));
		let mut lanes = || Lanes(core::array::from_fn(|_| rng_ext(&mut state)));
		let cur: Vec<Lanes> = (0..air.width()).map(|_| lanes()).collect();
		let selectors = [(); 4].map(|_| lanes());
		let bits: Vec<Lanes> = (0..=MAX_INDEX_BIT).map(|_| lanes()).collect();
		let values = Values { cur: &cur, next: &[], selectors, index_bits: &bits, challenges: &challenges };
		let mut expected = Vec::new();
		interaction_parts(air, values, &mut expected);
		let inputs: Vec<Lanes> = forms
			.inputs()
			.iter()
			.map(|&input| input_values(input, &cur, &selectors, &bits).expect("no interaction reads the next row"))
			.collect();
		let mut parts = Vec::new();
		bound.parts(&inputs, &mut parts);
		assert_eq!(parts, expected, "the parts, seed {seed}");
		assert_eq!(forms.directions().collect::<Vec<_>>(), expected.iter().map(|p| p.0).collect::<Vec<Direction>>());
		let (send, receive) = BoundInteractions::products(&parts);
		let active = selectors[Selector::Active.index()];
		assert_eq!((bus_leaf(active, send), bus_leaf(active, receive)), bus_leaves(air, values), "seed {seed}");
	}
}

#[cfg(test)]
mod tests {
	use super::testing::{assert_agrees, assert_agrees_with_challenges};
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

	#[test]
	fn forms_agree_with_the_air() {
		for seed in 0..20 {
			assert_agrees(&Packs, seed);
		}
	}

	#[test]
	fn missing_challenges_count_as_zero() {
		for count in [0, 1, 3] {
			assert_agrees_with_challenges(&Packs, count as u64, count);
		}
	}

	/// An AIR that makes another interaction where its constraints are not wanted.
	struct Sly;

	impl Air for Sly {
		fn width(&self) -> usize {
			2
		}

		fn eval<AB: AirBuilder>(&self, b: &mut AB) {
			b.assert_zero(b.cur(0) * b.cur(1));
			let field = if b.wants_constraints() { b.cur(0) } else { b.cur(1) };
			b.interact(1, Direction::Send, b.one(), &[field]);
		}
	}

	#[test]
	fn forms_of_an_air_whose_interactions_change_do_not_agree_with_it() {
		let challenges = [Ext::from_value(3), Ext::from_value(5), Ext::from_value(7)];
		let bound = InteractionForms::compile(&Sly).unwrap().bind(&challenges);
		assert!(!bound.agree_with(&Sly, &challenges));
		assert!(InteractionForms::compile(&Packs).unwrap().bind(&challenges).agree_with(&Packs, &challenges));
	}

	#[test]
	fn the_inputs_are_what_the_interactions_read() {
		let forms = InteractionForms::compile(&Packs).unwrap();
		assert_eq!(
			forms.inputs(),
			[Input::Cur(0), Input::Cur(1), Input::Cur(2), Input::Selector(3), Input::IndexBit(3)].as_slice()
		);
		// `cur(3) + cur(3)` is 0: column 3 is not read.
		assert!(!forms.inputs().contains(&Input::Cur(3)));
	}

	#[test]
	fn a_product_of_inputs_is_not_affine() {
		assert!(InteractionForms::compile(&Square).is_none());
	}
}

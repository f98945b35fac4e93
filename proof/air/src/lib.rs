//! # Agentic AIRs
//!
//! An *AIR* (algebraic intermediate representation) says which execution traces are valid: a
//! trace is `K` columns of `2^n` rows over the base field GF(2^32) ([`Base`]), and the AIR is a
//! list of polynomial constraints over one row's values (`cur`), the next row's values (`next`)
//! and a few selectors, each of which must be zero on every row.
//!
//! The constraints are written once, in [`Air::eval`], against the abstract [`AirBuilder`], and
//! run by several builders, as Plonky3 does:
//!
//! - [`analyze`] (symbolic): each constraint's degree, the columns read as `next`, the columns no
//!   constraint reads, and the AIR's canonical encoding (its identity in a proof's transcript).
//!   It refuses constraints that are the zero polynomial, constraints of too high a degree,
//!   columns out of range and `next` outside a transition constraint;
//! - [`check_trace`]: names the first row and constraint a concrete trace violates;
//! - [`combine`]: `Σ_j λ_j P_j` at one point of GF(2^128) ([`Ext`]), which the zerocheck prover
//!   runs on its partially bound tables and the verifier at its final point.
//! - [`circuit`]: the same weighted sum compiled once per proof for the zerocheck prover's
//!   rounds (each expression once, the sum factored, the linear part at a pair's two rows).
//! - [`interactions`]: the interactions' gates and fingerprints as affine forms, their
//!   coefficients bound once per proof, for the prover's bus leaves.
//!
//! An AIR may also *send* and *receive* tuples on buses ([`AirBuilder::interact`]): the rows of
//! all tables of a proof must send, in all, the multiset of tuples they receive (memory checking,
//! lookups). The framework adds what that takes: a booleanity constraint per gate, and the bus
//! leaves ([`bus_leaves`]: per row, the product of what it sends and of what it receives) whose
//! grand product the zerocheck proves (`docs/proof-system.md`, "Buses by a GKR grand product").
//!
//! Characteristic 2: `a + a = 0`, so the builder's expressions have `+` and `*` but no `-`
//! (subtracting is adding). Constants are elements of [`Base`] and enter [`Ext`] by the field
//! embedding.
//!
//! `docs/proof-system.md` (stage 2) specifies the protocol these constraints feed.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

mod check;
pub mod circuit;
mod eval;
pub mod ext;
pub mod interactions;
mod symbolic;

pub use agentic_pcs::{Base, BinaryFieldElement, Ext};
pub use check::{check_trace, RowViolation};
pub use eval::{
	bus_leaf, bus_leaves, combine, combine_with_leaves, interaction_parts, interaction_products, selectors_at, Lanes,
	Point, Values, LANES,
};
pub use symbolic::{analyze, AirError, AirInfo, ConstraintInfo, ConstraintKind, InteractionInfo};

use core::ops::{Add, Mul};

/// The highest degree a constraint may have (transition constraints counted with their
/// `active` factor); the zerocheck's round polynomials have degree one more.
pub const MAX_DEGREE: u32 = 16;

/// The most constraints one AIR may have.
pub const MAX_CONSTRAINTS: usize = 1 << 16;

/// The most columns one AIR may have.
pub const MAX_WIDTH: usize = 1 << 12;

/// The most fields one bus tuple may have (besides its bus tag).
pub const MAX_TUPLE_FIELDS: usize = 32;

/// The highest index bit an AIR may read (a trace has at most `2^30` rows).
pub const MAX_INDEX_BIT: u8 = 29;

/// Which side of a bus a tuple is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
	/// The row puts the tuple on the bus.
	Send,
	/// The row takes the tuple off the bus.
	Receive,
}

/// The row predicates a constraint may read. Each is a multilinear polynomial in the row
/// index's bits that the verifier evaluates itself, so each counts as degree 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Selector {
	/// 1 on row 0, else 0.
	First,
	/// 1 on the last row (`2^n - 1`), else 0.
	Last,
	/// 0 on the last row, else 1.
	NotLast,
	/// 1 on the rows below the number of executed transitions `R`, else 0.
	Active,
}

impl Selector {
	/// Every selector, in the order [`selectors_at`] returns their values.
	pub const ALL: [Selector; 4] = [Selector::First, Selector::Last, Selector::NotLast, Selector::Active];

	/// The selector's position in [`Selector::ALL`] (and its tag in the AIR's encoding).
	pub fn index(self) -> usize {
		match self {
			Selector::First => 0,
			Selector::Last => 1,
			Selector::NotLast => 2,
			Selector::Active => 3,
		}
	}
}

/// What an [`Air`] writes its constraints against.
pub trait AirBuilder {
	/// An expression over one row: field values for the evaluating builders, a syntax tree for
	/// the symbolic one.
	type Expr: Clone + Add<Output = Self::Expr> + Mul<Output = Self::Expr>;

	/// Column `column` on this row.
	fn cur(&self, column: usize) -> Self::Expr;

	/// Column `column` on the next row (0 past the last row). Only transition constraints
	/// ([`AirBuilder::assert_transition`]) may read it.
	fn next(&self, column: usize) -> Self::Expr;

	/// A row predicate.
	fn selector(&self, selector: Selector) -> Self::Expr;

	/// A constant of the base field.
	fn constant(&self, value: Base) -> Self::Expr;

	/// A constant of the extension field (for `E`-valued constraints over the four base
	/// coordinates of an `E` column; see [`ext`]).
	fn constant_ext(&self, value: Ext) -> Self::Expr;

	/// Bit `bit` of the row's index (at most [`MAX_INDEX_BIT`]; the trace must have more than
	/// `2^bit` rows): a selector whose multilinear extension is the coordinate `x_bit`, so a
	/// row's index (its timestamp) costs no column.
	fn index_bit(&self, bit: u8) -> Self::Expr;

	/// Puts the tuple `fields` on bus `bus` (`Direction::Send`) or takes it off
	/// (`Direction::Receive`) on this row when `gate` is 1, on the rows below `R`. `gate` must be
	/// 0 or 1 there (the framework asserts it); the fields read this row only (not `next`).
	fn interact(&mut self, bus: u32, direction: Direction, gate: Self::Expr, fields: &[Self::Expr]);

	/// Requires `expr` to be zero on every row of the trace, padding rows included.
	fn assert_zero(&mut self, expr: Self::Expr);

	/// Declares that column `column` holds a bit (0 or 1) on every row, padding rows included.
	/// The commitment packs declared columns 32 to a base-field value, which makes them bits by
	/// construction: the declaration costs no constraint, and is the cheaper way to say what
	/// [`AirBuilder::assert_bool`] says of a column. A declared column may not be read on the
	/// next row ([`AirError::BadBitColumn`]); declaring one twice is declaring it once.
	fn assert_bit_column(&mut self, column: usize);

	/// Requires `expr` to be zero on every row below `R` (the transitions the trace executes):
	/// the builder multiplies it by the `active` selector, so the last row and the padding rows,
	/// which have no meaningful next row, are free.
	fn assert_transition(&mut self, expr: Self::Expr);

	/// Whether this run of `eval` wants the constraints: false exactly in the evaluator's runs
	/// without weights ([`bus_leaves`], [`interaction_products`], [`interaction_parts`]: the
	/// zerocheck prover's nodes where it takes the bus leaves alone, and each row's leaves for
	/// the bus circuit), which
	/// discard what is asserted anyway, so that an AIR may skip computing its constraint
	/// expressions there. An AIR that asserts them anyway is as correct, only slower; every
	/// interaction must be made either way, with the same expressions and in the same order.
	fn wants_constraints(&self) -> bool {
		true
	}

	/// The constant 1.
	fn one(&self) -> Self::Expr {
		self.constant(Base::one())
	}

	/// Requires `a = b` on every row.
	fn assert_eq(&mut self, a: Self::Expr, b: Self::Expr) {
		self.assert_zero(a + b);
	}

	/// Requires `expr ∈ {0, 1}` on every row (`expr² + expr = 0`).
	fn assert_bool(&mut self, expr: Self::Expr) {
		self.assert_zero(expr.clone() * expr.clone() + expr);
	}

	/// The `E` value whose four base coordinates are columns `first .. first + 4` on this row
	/// (see [`ext`]).
	fn cur_ext(&self, first: usize) -> Self::Expr {
		self.ext_of_coords([0, 1, 2, 3].map(|k| self.cur(first + k)))
	}

	/// The same on the next row.
	fn next_ext(&self, first: usize) -> Self::Expr {
		self.ext_of_coords([0, 1, 2, 3].map(|k| self.next(first + k)))
	}

	/// `Σ_k θ^k c_k`: the `E` value of four base-field coordinates (see [`ext`]).
	fn ext_of_coords(&self, coords: [Self::Expr; 4]) -> Self::Expr {
		let theta = ext::theta_powers();
		let [c0, c1, c2, c3] = coords;
		c0 + self.constant_ext(theta[1]) * c1 + self.constant_ext(theta[2]) * c2 + self.constant_ext(theta[3]) * c3
	}
}

/// A set of constraints over traces of [`Air::width`] columns.
pub trait Air {
	/// The number of trace columns.
	fn width(&self) -> usize;

	/// Writes the constraints, in a fixed order (constraint `j` is the `j`-th assertion).
	fn eval<AB: AirBuilder>(&self, builder: &mut AB);
}

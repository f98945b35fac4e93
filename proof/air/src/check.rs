//! The row checker: a concrete trace against an AIR, row by row.

use crate::{Air, AirBuilder, Base, BinaryFieldElement, Direction, Ext, Selector};
use agentic_pcs::field::FastMul;
use alloc::vec::Vec;

use crate::eval::{Lanes, Point, Val, LANES};

/// The first constraint a trace violates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RowViolation {
	/// The row.
	pub row: u64,
	/// The constraint's index (the order of the AIR's assertions).
	pub constraint: usize,
}

impl core::fmt::Display for RowViolation {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		write!(f, "row {} violates constraint {}", self.row, self.constraint)
	}
}

#[cfg(feature = "std")]
impl std::error::Error for RowViolation {}

struct RowChecker<'a> {
	cur: &'a [Ext],
	next: &'a [Ext],
	selectors: [Ext; 4],
	row: usize,
	index: usize,
	failed: Option<usize>,
	/// The gate checks (`g² + g` on rows below `R`), which come after the AIR's constraints.
	gates: Vec<Ext>,
	/// The declared bit columns, and whether each holds a bit on this row.
	bits: Vec<(usize, bool)>,
}

impl RowChecker<'_> {
	fn check(&mut self, value: Ext) {
		if value != Ext::zero() && self.failed.is_none() {
			self.failed = Some(self.index);
		}
		self.index += 1;
	}
}

impl AirBuilder for RowChecker<'_> {
	type Expr = Val;

	fn cur(&self, column: usize) -> Val {
		Val(self.cur.get(column).copied().unwrap_or(Ext::zero()))
	}

	fn next(&self, column: usize) -> Val {
		Val(self.next.get(column).copied().unwrap_or(Ext::zero()))
	}

	fn selector(&self, selector: Selector) -> Val {
		Val(self.selectors[selector.index()])
	}

	fn constant(&self, value: Base) -> Val {
		Val(Ext::from(value))
	}

	fn constant_ext(&self, value: Ext) -> Val {
		Val(value)
	}

	fn index_bit(&self, bit: u8) -> Val {
		let set = bit < 64 && (self.row >> bit) & 1 == 1;
		Val(if set { Ext::one() } else { Ext::zero() })
	}

	fn interact(&mut self, _bus: u32, _direction: Direction, gate: Val, _fields: &[Val]) {
		let active = self.selectors[Selector::Active.index()];
		self.gates.push(active.fast_mul(&gate.0.fast_mul(&gate.0).add(&gate.0)));
	}

	fn assert_zero(&mut self, expr: Val) {
		self.check(expr.0);
	}

	fn assert_bit_column(&mut self, column: usize) {
		let value = self.cur.get(column).copied().unwrap_or(Ext::zero());
		self.bits.push((column, value == Ext::zero() || value == Ext::one()));
	}

	fn assert_transition(&mut self, expr: Val) {
		let active = self.selectors[Selector::Active.index()];
		self.check(active.fast_mul(&expr.0));
	}
}

/// [`LANES`] rows at once: whether any constraint or gate check is nonzero on any of them.
struct LanesChecker<'a> {
	cur: &'a [Lanes],
	next: &'a [Lanes],
	selectors: [Lanes; 4],
	rows: [usize; LANES],
	failed: bool,
}

impl LanesChecker<'_> {
	fn check(&mut self, value: Lanes) {
		self.failed |= value.0.iter().any(|v| *v != Ext::zero());
	}
}

impl AirBuilder for LanesChecker<'_> {
	type Expr = Val<Lanes>;

	fn cur(&self, column: usize) -> Val<Lanes> {
		Val(self.cur.get(column).copied().unwrap_or(Lanes::splat(Ext::zero())))
	}

	fn next(&self, column: usize) -> Val<Lanes> {
		Val(self.next.get(column).copied().unwrap_or(Lanes::splat(Ext::zero())))
	}

	fn selector(&self, selector: Selector) -> Val<Lanes> {
		Val(self.selectors[selector.index()])
	}

	fn constant(&self, value: Base) -> Val<Lanes> {
		Val(Lanes::splat(Ext::from(value)))
	}

	fn constant_ext(&self, value: Ext) -> Val<Lanes> {
		Val(Lanes::splat(value))
	}

	fn index_bit(&self, bit: u8) -> Val<Lanes> {
		Val(Lanes(self.rows.map(|row| flag(bit < 64 && (row >> bit) & 1 == 1))))
	}

	fn interact(&mut self, _bus: u32, _direction: Direction, gate: Val<Lanes>, _fields: &[Val<Lanes>]) {
		let active = self.selectors[Selector::Active.index()];
		self.check(active.times(gate.0.times(gate.0).plus(gate.0)));
	}

	fn assert_zero(&mut self, expr: Val<Lanes>) {
		self.check(expr.0);
	}

	fn assert_bit_column(&mut self, column: usize) {
		if let Some(values) = self.cur.get(column) {
			self.failed |= values.0.iter().any(|v| *v != Ext::zero() && *v != Ext::one());
		}
	}

	fn assert_transition(&mut self, expr: Val<Lanes>) {
		let active = self.selectors[Selector::Active.index()];
		self.check(active.times(expr.0));
	}
}

fn flag(b: bool) -> Ext {
	if b {
		Ext::one()
	} else {
		Ext::zero()
	}
}

/// The selectors on row `row` of `rows`, `active_rows` transitions.
fn selectors(row: usize, rows: usize, active_rows: u64) -> [Ext; 4] {
	let last = row + 1 == rows;
	[flag(row == 0), flag(last), flag(!last), flag((row as u64) < active_rows)]
}

/// Checks every constraint of `air` on every row of `columns` (each the same power-of-two
/// length), the first `active_rows` rows being transitions, that every interaction's gate is a
/// bit on those rows and that every declared bit column holds a bit on every row. Returns the
/// first violation, by row and then by constraint (numbered as in
/// [`crate::AirInfo::constraints`], and past those, `constraints.len() + k` for the `k`-th of
/// [`crate::AirInfo::bit_columns`]).
///
/// The rows are checked [`LANES`] at a time (the field products of independent rows overlap);
/// a group with a violation is checked again row by row, for the first one.
///
/// What the buses carry is not checked here: that needs the challenges and every table (the
/// bus's grand product, which only the proof can check). The caller checks the shape
/// (`air.width()` columns of one power-of-two length); a missing column reads as 0.
pub fn check_trace<A: Air>(air: &A, columns: &[Vec<Base>], active_rows: u64) -> Result<(), RowViolation> {
	let rows = columns.first().map_or(0, |c| c.len());
	let width = air.width();
	let value = |k: usize, i: usize| columns.get(k).and_then(|c| c.get(i)).map_or(Ext::zero(), |&v| Ext::from(v));
	let zero = Lanes::splat(Ext::zero());
	let (mut cur, mut next) = (alloc::vec![zero; width], alloc::vec![zero; width]);
	for start in (0..rows).step_by(LANES) {
		// Lanes past the last row repeat it.
		let lanes: [usize; LANES] = core::array::from_fn(|l| (start + l).min(rows - 1));
		for k in 0..width {
			cur[k] = Lanes(lanes.map(|row| value(k, row)));
			next[k] = Lanes(lanes.map(|row| value(k, row + 1)));
		}
		let selectors = [0, 1, 2, 3].map(|s| Lanes(lanes.map(|row| selectors(row, rows, active_rows)[s])));
		let mut checker = LanesChecker { cur: &cur, next: &next, selectors, rows: lanes, failed: false };
		air.eval(&mut checker);
		if checker.failed {
			for row in start..(start + LANES).min(rows) {
				check_row(air, columns, active_rows, row)?;
			}
			#[cfg(debug_assertions)]
			panic!("rows {start}.. fail eight at a time but pass one by one");
		}
	}
	Ok(())
}

/// [`check_trace`] on row `row` alone.
fn check_row<A: Air>(air: &A, columns: &[Vec<Base>], active_rows: u64, row: usize) -> Result<(), RowViolation> {
	let rows = columns.first().map_or(0, |c| c.len());
	let value = |k: usize, i: usize| columns.get(k).and_then(|c| c.get(i)).map_or(Ext::zero(), |&v| Ext::from(v));
	let cur: Vec<Ext> = (0..air.width()).map(|k| value(k, row)).collect();
	let next: Vec<Ext> = (0..air.width()).map(|k| value(k, row + 1)).collect();
	let selectors = selectors(row, rows, active_rows);
	let mut checker = RowChecker {
		cur: &cur,
		next: &next,
		selectors,
		row,
		index: 0,
		failed: None,
		gates: Vec::new(),
		bits: Vec::new(),
	};
	air.eval(&mut checker);
	if let Some(constraint) = checker.failed {
		return Err(RowViolation { row: row as u64, constraint });
	}
	if let Some(i) = checker.gates.iter().position(|g| *g != Ext::zero()) {
		return Err(RowViolation { row: row as u64, constraint: checker.index + i });
	}
	let constraints = checker.index + checker.gates.len();
	let mut bits = checker.bits;
	bits.sort_unstable();
	bits.dedup_by_key(|(column, _)| *column);
	if let Some(k) = bits.iter().position(|(_, bit)| !bit) {
		return Err(RowViolation { row: row as u64, constraint: constraints + k });
	}
	Ok(())
}

//! The symbolic builder: runs an AIR on syntax trees to learn its shape and identity.

use crate::{Air, AirBuilder, Base, BinaryFieldElement, Ext, Selector, MAX_CONSTRAINTS, MAX_DEGREE, MAX_WIDTH};
use alloc::{collections::BTreeMap, rc::Rc, vec, vec::Vec};
use core::ops::{Add, Mul};

/// A syntax tree over one row (the symbolic builder's expression).
#[derive(Clone, Debug)]
pub struct Sym(Rc<Node>);

#[derive(Debug)]
enum Node {
	Const(Base),
	Cur(usize),
	Next(usize),
	Sel(Selector),
	Add(Sym, Sym),
	Mul(Sym, Sym),
}

impl Add for Sym {
	type Output = Sym;
	fn add(self, rhs: Sym) -> Sym {
		Sym(Rc::new(Node::Add(self, rhs)))
	}
}

impl Mul for Sym {
	type Output = Sym;
	fn mul(self, rhs: Sym) -> Sym {
		Sym(Rc::new(Node::Mul(self, rhs)))
	}
}

struct SymbolicBuilder {
	constraints: Vec<(bool, Sym)>,
}

impl AirBuilder for SymbolicBuilder {
	type Expr = Sym;

	fn cur(&self, column: usize) -> Sym {
		Sym(Rc::new(Node::Cur(column)))
	}

	fn next(&self, column: usize) -> Sym {
		Sym(Rc::new(Node::Next(column)))
	}

	fn selector(&self, selector: Selector) -> Sym {
		Sym(Rc::new(Node::Sel(selector)))
	}

	fn constant(&self, value: Base) -> Sym {
		Sym(Rc::new(Node::Const(value)))
	}

	fn assert_zero(&mut self, expr: Sym) {
		self.constraints.push((false, expr));
	}

	fn assert_transition(&mut self, expr: Sym) {
		self.constraints.push((true, expr));
	}
}

/// What [`analyze`] learns about one constraint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConstraintInfo {
	/// A transition constraint (multiplied by `active`), as opposed to one on every row.
	pub transition: bool,
	/// Its degree as a polynomial in the row's values and the selectors, the `active` factor of
	/// a transition constraint included.
	pub degree: u32,
}

/// The shape and identity of an AIR.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AirInfo {
	/// The number of trace columns.
	pub width: usize,
	/// Every constraint, in the order the AIR asserts them.
	pub constraints: Vec<ConstraintInfo>,
	/// The highest constraint degree (`D`); at least 1.
	pub max_degree: u32,
	/// The columns some constraint reads on the next row, in increasing order: the zerocheck
	/// opens the shifted polynomial of exactly these.
	pub next_columns: Vec<u32>,
	/// The columns no constraint reads. Not an error here (a protocol may bind such a column by
	/// claims alone), but every one must be accounted for by its user.
	pub unused_columns: Vec<u32>,
	/// The canonical encoding of the constraints and the column count: the AIR's identity,
	/// absorbed by every proof about it, so that any change to the AIR changes every challenge.
	pub encoding: Vec<u8>,
}

/// Why an AIR was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AirError {
	/// The AIR has no columns or more than [`MAX_WIDTH`].
	BadWidth(usize),
	/// The AIR asserts nothing, or more than [`MAX_CONSTRAINTS`] constraints.
	BadConstraintCount(usize),
	/// A constraint reads a column the AIR does not have.
	ColumnOutOfRange {
		/// The constraint's index.
		constraint: usize,
		/// The column it reads.
		column: usize,
	},
	/// A constraint is the zero polynomial (it constrains nothing; in characteristic 2 `a + a`
	/// and `ab + ba` are zero).
	ZeroConstraint {
		/// The constraint's index.
		constraint: usize,
	},
	/// A constraint's degree exceeds [`MAX_DEGREE`].
	DegreeTooHigh {
		/// The constraint's index.
		constraint: usize,
		/// Its degree.
		degree: u32,
	},
	/// A constraint on every row reads the next row (which does not exist on the last row):
	/// assert it with `assert_transition`.
	NextOutsideTransition {
		/// The constraint's index.
		constraint: usize,
	},
	/// `eval` asserted another number of constraints than when it was analysed (it must be
	/// deterministic).
	ConstraintCountChanged {
		/// The count the analysis saw.
		expected: usize,
		/// The count this run asserted.
		found: usize,
	},
}

impl core::fmt::Display for AirError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			AirError::BadWidth(w) => write!(f, "an AIR must have between 1 and {MAX_WIDTH} columns, not {w}"),
			AirError::BadConstraintCount(c) => {
				write!(f, "an AIR must have between 1 and {MAX_CONSTRAINTS} constraints, not {c}")
			},
			AirError::ColumnOutOfRange { constraint, column } => {
				write!(f, "constraint {constraint} reads column {column}, which does not exist")
			},
			AirError::ZeroConstraint { constraint } => write!(f, "constraint {constraint} is the zero polynomial"),
			AirError::DegreeTooHigh { constraint, degree } => {
				write!(f, "constraint {constraint} has degree {degree}, above {MAX_DEGREE}")
			},
			AirError::NextOutsideTransition { constraint } => {
				write!(f, "constraint {constraint} reads the next row but is not a transition constraint")
			},
			AirError::ConstraintCountChanged { expected, found } => {
				write!(f, "the AIR asserted {found} constraints where its analysis saw {expected}")
			},
		}
	}
}

#[cfg(feature = "std")]
impl std::error::Error for AirError {}

/// A node of the flattened expression graph (each distinct node once, operands first).
enum Flat {
	Const(u32),
	Cur(u32),
	Next(u32),
	Sel(u8),
	Add(u32, u32),
	Mul(u32, u32),
}

/// Flattens the expression graph: each distinct node (by identity) gets an id after its operands.
#[derive(Default)]
struct Graph {
	ids: BTreeMap<usize, u32>,
	nodes: Vec<Flat>,
}

impl Graph {
	fn id(&mut self, sym: &Sym) -> u32 {
		let key = Rc::as_ptr(&sym.0) as usize;
		if let Some(&id) = self.ids.get(&key) {
			return id;
		}
		let flat = match &*sym.0 {
			Node::Const(c) => Flat::Const(c.poly().value()),
			// Columns beyond u32 are out of range (the width is at most MAX_WIDTH).
			Node::Cur(k) => Flat::Cur(u32::try_from(*k).unwrap_or(u32::MAX)),
			Node::Next(k) => Flat::Next(u32::try_from(*k).unwrap_or(u32::MAX)),
			Node::Sel(s) => Flat::Sel(s.index() as u8),
			Node::Add(a, b) => Flat::Add(self.id(a), self.id(b)),
			Node::Mul(a, b) => Flat::Mul(self.id(a), self.id(b)),
		};
		let id = self.nodes.len() as u32;
		self.nodes.push(flat);
		self.ids.insert(key, id);
		id
	}
}

/// A fixed pseudo-random generator (splitmix64) for the zero-polynomial test.
struct SplitMix(u64);

impl SplitMix {
	fn next(&mut self) -> u64 {
		self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
		let mut z = self.0;
		z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
		z ^ (z >> 31)
	}

	fn ext(&mut self) -> Ext {
		Ext::from_value(((self.next() as u128) << 64) | self.next() as u128)
	}
}

/// Runs `air` symbolically: checks it and returns its shape and canonical encoding.
///
/// A constraint is taken to be the zero polynomial when it vanishes at two fixed pseudo-random
/// points of GF(2^128): each column, next-row column and selector an independent variable,
/// except `not_last = 1 + last`. (The points are fixed, not drawn per call: the test guards
/// against mistakes in an AIR's code, not against an adversary writing AIRs.)
///
/// `air.eval` must be deterministic: the same constraints in the same order on every call.
pub fn analyze<A: Air>(air: &A) -> Result<AirInfo, AirError> {
	let width = air.width();
	if width == 0 || width > MAX_WIDTH {
		return Err(AirError::BadWidth(width));
	}
	let mut builder = SymbolicBuilder { constraints: Vec::new() };
	air.eval(&mut builder);
	let count = builder.constraints.len();
	if count == 0 || count > MAX_CONSTRAINTS {
		return Err(AirError::BadConstraintCount(count));
	}

	let mut graph = Graph::default();
	let roots: Vec<u32> = builder.constraints.iter().map(|(_, sym)| graph.id(sym)).collect();
	let nodes = &graph.nodes;

	// Per node: its degree, whether it reads the next row, and the first column out of range.
	let mut degree = vec![0u32; nodes.len()];
	let mut reads_next = vec![false; nodes.len()];
	let mut bad_column: Vec<Option<usize>> = vec![None; nodes.len()];
	let mut used_cur = vec![false; width];
	let mut used_next = vec![false; width];
	for (i, node) in nodes.iter().enumerate() {
		let (d, n, bad) = match *node {
			Flat::Const(_) => (0, false, None),
			Flat::Sel(_) => (1, false, None),
			Flat::Cur(k) | Flat::Next(k) => {
				let next = matches!(node, Flat::Next(_));
				let k = k as usize;
				match (k < width, next) {
					(true, false) => used_cur[k] = true,
					(true, true) => used_next[k] = true,
					(false, _) => {},
				}
				(1, next, (k >= width).then_some(k))
			},
			Flat::Add(a, b) | Flat::Mul(a, b) => {
				let (a, b) = (a as usize, b as usize);
				let d = if matches!(node, Flat::Add(..)) {
					degree[a].max(degree[b])
				} else {
					degree[a].saturating_add(degree[b])
				};
				(d, reads_next[a] || reads_next[b], bad_column[a].or(bad_column[b]))
			},
		};
		degree[i] = d;
		reads_next[i] = n;
		bad_column[i] = bad;
	}

	// Values at two pseudo-random assignments, for the zero-polynomial test.
	let mut rng = SplitMix(0x6167_656e_7469_6321);
	let mut trials: Vec<Vec<Ext>> = Vec::new();
	for _ in 0..2 {
		let cur: Vec<Ext> = (0..width).map(|_| rng.ext()).collect();
		let next: Vec<Ext> = (0..width).map(|_| rng.ext()).collect();
		let mut sel: Vec<Ext> = Selector::ALL.iter().map(|_| rng.ext()).collect();
		sel[Selector::NotLast.index()] = Ext::one().add(&sel[Selector::Last.index()]);
		let mut values: Vec<Ext> = Vec::with_capacity(nodes.len());
		for node in nodes {
			let v = match *node {
				Flat::Const(c) => Ext::from(Base::from_value(c)),
				Flat::Cur(k) => cur.get(k as usize).copied().unwrap_or(Ext::zero()),
				Flat::Next(k) => next.get(k as usize).copied().unwrap_or(Ext::zero()),
				Flat::Sel(s) => sel[s as usize],
				Flat::Add(a, b) => values[a as usize].add(&values[b as usize]),
				Flat::Mul(a, b) => values[a as usize].mul(&values[b as usize]),
			};
			values.push(v);
		}
		trials.push(values);
	}

	let mut constraints = Vec::with_capacity(count);
	for (j, ((transition, _), &root)) in builder.constraints.iter().zip(&roots).enumerate() {
		let root = root as usize;
		if let Some(column) = bad_column[root] {
			return Err(AirError::ColumnOutOfRange { constraint: j, column });
		}
		if reads_next[root] && !transition {
			return Err(AirError::NextOutsideTransition { constraint: j });
		}
		if trials.iter().all(|values| values[root] == Ext::zero()) {
			return Err(AirError::ZeroConstraint { constraint: j });
		}
		let degree = degree[root].saturating_add(*transition as u32);
		if degree > MAX_DEGREE {
			return Err(AirError::DegreeTooHigh { constraint: j, degree });
		}
		constraints.push(ConstraintInfo { transition: *transition, degree });
	}

	let mut encoding = Vec::with_capacity(16 + 9 * nodes.len() + 5 * count);
	encoding.extend_from_slice(b"agentic-air-v1");
	encoding.extend_from_slice(&(width as u32).to_le_bytes());
	encoding.extend_from_slice(&(nodes.len() as u32).to_le_bytes());
	for node in nodes {
		let (tag, a, b) = match *node {
			Flat::Const(c) => (0u8, c, 0),
			Flat::Cur(k) => (1, k, 0),
			Flat::Next(k) => (2, k, 0),
			Flat::Sel(s) => (3, s as u32, 0),
			Flat::Add(a, b) => (4, a, b),
			Flat::Mul(a, b) => (5, a, b),
		};
		encoding.push(tag);
		encoding.extend_from_slice(&a.to_le_bytes());
		encoding.extend_from_slice(&b.to_le_bytes());
	}
	encoding.extend_from_slice(&(count as u32).to_le_bytes());
	for ((transition, _), root) in builder.constraints.iter().zip(&roots) {
		encoding.push(*transition as u8);
		encoding.extend_from_slice(&root.to_le_bytes());
	}

	let max_degree = constraints.iter().map(|c| c.degree).max().unwrap_or(0).max(1);
	let next_columns = (0..width as u32).filter(|&k| used_next[k as usize]).collect();
	let unused_columns = (0..width as u32).filter(|&k| !used_cur[k as usize] && !used_next[k as usize]).collect();
	Ok(AirInfo { width, constraints, max_degree, next_columns, unused_columns, encoding })
}

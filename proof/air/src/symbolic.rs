//! The symbolic builder: runs an AIR on syntax trees to learn its shape and identity.

use crate::{
	Air, AirBuilder, Base, BinaryFieldElement, Direction, Ext, Selector, MAX_CONSTRAINTS, MAX_DEGREE, MAX_INDEX_BIT,
	MAX_TUPLE_FIELDS, MAX_WIDTH,
};
use agentic_pcs::field::FastMul;
use alloc::{rc::Rc, vec, vec::Vec};
use core::cell::RefCell;
use core::ops::{Add, Mul};

/// A syntax tree over one row (the symbolic builder's expression): a node of the run's
/// [`Arena`]. Every `Sym` of a run shares its builder's arena, so an operation appends one node
/// and allocates nothing else.
#[derive(Clone)]
pub struct Sym {
	arena: Arena,
	id: u32,
}

impl core::fmt::Debug for Sym {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		write!(f, "Sym({})", self.id)
	}
}

/// The nodes one symbolic run creates.
type Arena = Rc<RefCell<Nodes>>;

/// The nodes in creation order (a node's operands before it), and the `E` constants they name.
#[derive(Debug, Default)]
struct Nodes {
	nodes: Vec<Node>,
	exts: Vec<Ext>,
}

impl Sym {
	fn new(arena: &Arena, node: Node) -> Sym {
		let mut nodes = arena.borrow_mut();
		let id = u32::try_from(nodes.nodes.len()).expect("fewer than 2^32 nodes in one run");
		nodes.nodes.push(node);
		Sym { arena: arena.clone(), id }
	}

	/// The constant `value` of `E`.
	fn ext(arena: &Arena, value: Ext) -> Sym {
		let index = {
			let mut nodes = arena.borrow_mut();
			nodes.exts.push(value);
			u32::try_from(nodes.exts.len() - 1).expect("fewer than 2^32 constants in one run")
		};
		Sym::new(arena, Node::ConstExt(index))
	}

	/// The node `op(self, rhs)`, in their arena. Both come from it, so their ids are below the
	/// new node's: the arena is acyclic, which the flattening's walk relies on to end.
	fn combine(self, rhs: Sym, op: fn(u32, u32) -> Node) -> Sym {
		assert!(Rc::ptr_eq(&self.arena, &rhs.arena), "expressions of two symbolic runs combined");
		let node = op(self.id, rhs.id);
		Sym::new(&self.arena, node)
	}
}

/// A node (12 bytes: columns past `u32` are saturated, which is out of range all the same).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Node {
	Const(Base),
	/// An index into [`Nodes::exts`].
	ConstExt(u32),
	Cur(u32),
	Next(u32),
	Sel(Selector),
	IndexBit(u8),
	Add(u32, u32),
	Mul(u32, u32),
}

impl Add for Sym {
	type Output = Sym;
	fn add(self, rhs: Sym) -> Sym {
		self.combine(rhs, Node::Add)
	}
}

impl Mul for Sym {
	type Output = Sym;
	fn mul(self, rhs: Sym) -> Sym {
		self.combine(rhs, Node::Mul)
	}
}

struct SymbolicInteraction {
	bus: u32,
	direction: Direction,
	gate: Sym,
	fields: Vec<Sym>,
}

struct SymbolicBuilder {
	arena: Arena,
	constraints: Vec<(bool, Sym)>,
	interactions: Vec<SymbolicInteraction>,
	bit_columns: Vec<usize>,
}

impl SymbolicBuilder {
	/// The builder after one run of `air.eval`.
	fn run<A: Air>(air: &A) -> SymbolicBuilder {
		let mut builder = SymbolicBuilder {
			arena: Rc::default(),
			constraints: Vec::new(),
			interactions: Vec::new(),
			bit_columns: Vec::new(),
		};
		air.eval(&mut builder);
		builder
	}
}

impl AirBuilder for SymbolicBuilder {
	type Expr = Sym;

	fn cur(&self, column: usize) -> Sym {
		Sym::new(&self.arena, Node::Cur(u32::try_from(column).unwrap_or(u32::MAX)))
	}

	fn next(&self, column: usize) -> Sym {
		Sym::new(&self.arena, Node::Next(u32::try_from(column).unwrap_or(u32::MAX)))
	}

	fn selector(&self, selector: Selector) -> Sym {
		Sym::new(&self.arena, Node::Sel(selector))
	}

	fn constant(&self, value: Base) -> Sym {
		Sym::new(&self.arena, Node::Const(value))
	}

	fn constant_ext(&self, value: Ext) -> Sym {
		Sym::ext(&self.arena, value)
	}

	fn index_bit(&self, bit: u8) -> Sym {
		Sym::new(&self.arena, Node::IndexBit(bit))
	}

	fn interact(&mut self, bus: u32, direction: Direction, gate: Sym, fields: &[Sym]) {
		self.interactions.push(SymbolicInteraction { bus, direction, gate, fields: fields.to_vec() });
	}

	fn assert_zero(&mut self, expr: Sym) {
		self.constraints.push((false, expr));
	}

	fn assert_bit_column(&mut self, column: usize) {
		self.bit_columns.push(column);
	}

	fn assert_transition(&mut self, expr: Sym) {
		self.constraints.push((true, expr));
	}
}

/// What a constraint is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConstraintKind {
	/// One the AIR asserts.
	Air,
	/// The framework's booleanity check of interaction `i`'s gate (on the rows below `R`).
	Gate(u32),
}

/// What [`analyze`] learns about one constraint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConstraintInfo {
	/// A transition constraint (multiplied by `active`), as opposed to one on every row.
	pub transition: bool,
	/// Its degree as a polynomial in the row's values and the selectors, the `active` factor of
	/// a transition constraint included.
	pub degree: u32,
	/// Who asserts it.
	pub kind: ConstraintKind,
}

/// What [`analyze`] learns about one interaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InteractionInfo {
	/// The bus.
	pub bus: u32,
	/// Send or receive.
	pub direction: Direction,
	/// The number of fields (besides the bus tag).
	pub fields: usize,
	/// The degree of the gate.
	pub gate_degree: u32,
	/// The highest degree of a field (0 without fields).
	pub field_degree: u32,
}

impl InteractionInfo {
	/// Whether the gate and every field have degree at most 1: then, on a line through two
	/// rows, the gate and the fingerprint are affine in the line's parameter.
	pub fn affine(&self) -> bool {
		self.gate_degree <= 1 && self.field_degree <= 1
	}
}

/// The shape and identity of an AIR.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AirInfo {
	/// The number of trace columns the AIR defines.
	pub width: usize,
	/// Every constraint: the AIR's in the order it asserts them, then one gate check per
	/// interaction.
	pub constraints: Vec<ConstraintInfo>,
	/// Every interaction, in the order the AIR makes them.
	pub interactions: Vec<InteractionInfo>,
	/// The degree of the bus leaves `active · Π (g f + 1 + g) + 1 + active` over the sends or
	/// over the receives, whichever is higher: `1 + max(Σ_send, Σ_receive)(deg g + deg f)`; 0
	/// without interactions.
	pub bus_degree: u32,
	/// The highest degree of a constraint or of the bus leaves (`D`); at least 1.
	pub max_degree: u32,
	/// The columns some constraint reads on the next row, in increasing order: the zerocheck
	/// opens the shifted polynomial of exactly these.
	pub next_columns: Vec<u32>,
	/// The columns no constraint or interaction reads. Not an error here (a protocol may bind
	/// such a column by claims alone), but every one must be accounted for by its user.
	pub unused_columns: Vec<u32>,
	/// The index bits the AIR reads, in increasing order.
	pub index_bits: Vec<u8>,
	/// The columns declared bits ([`AirBuilder::assert_bit_column`]), in increasing order: the
	/// commitment packs them 32 to a base-field value, which is what makes them bits.
	pub bit_columns: Vec<u32>,
	/// The canonical encoding of the constraints, interactions and column count: the AIR's
	/// identity, absorbed by every proof about it, so that any change to the AIR changes every
	/// challenge.
	pub encoding: Vec<u8>,
}

impl AirInfo {
	/// Whether the AIR interacts (sends or receives on a bus).
	pub fn interacts(&self) -> bool {
		!self.interactions.is_empty()
	}

	/// The most fields of any interaction.
	pub fn max_fields(&self) -> usize {
		self.interactions.iter().map(|i| i.fields).max().unwrap_or(0)
	}
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
	/// An interaction is malformed: a field or gate reads the next row or a column out of
	/// range, or it has more than [`MAX_TUPLE_FIELDS`] fields.
	BadInteraction {
		/// The interaction's index.
		interaction: usize,
	},
	/// The AIR reads an index bit above [`MAX_INDEX_BIT`].
	IndexBitOutOfRange(u8),
	/// The bus leaves' degree ([`AirInfo::bus_degree`]) exceeds [`MAX_DEGREE`]: too many or too
	/// heavy interactions on one side.
	BusDegreeTooHigh(u32),
	/// A column declared a bit ([`AirBuilder::assert_bit_column`]) does not exist or is read on
	/// the next row.
	BadBitColumn(usize),
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
			AirError::BadInteraction { interaction } => write!(
				f,
				"interaction {interaction} reads the next row or a missing column, or has more than {MAX_TUPLE_FIELDS} fields"
			),
			AirError::IndexBitOutOfRange(bit) => write!(f, "index bit {bit} is above {MAX_INDEX_BIT}"),
			AirError::BusDegreeTooHigh(degree) => {
				write!(f, "the interactions' bus leaves have degree {degree}, above {MAX_DEGREE}")
			},
			AirError::BadBitColumn(column) => {
				write!(f, "column {column}, declared a bit, does not exist or is read on the next row")
			},
		}
	}
}

#[cfg(feature = "std")]
impl std::error::Error for AirError {}

/// A node of the flattened expression graph (each distinct node once, operands first).
enum Flat {
	Const(u32),
	ConstExt(u128),
	Cur(u32),
	Next(u32),
	Sel(u8),
	IndexBit(u8),
	Add(u32, u32),
	Mul(u32, u32),
}

/// Flattens the expression graph: each node reachable from the roots, in the order the roots
/// are given, gets an id after its operands (depth first, the left operand first), once.
struct Graph<'a> {
	arena: &'a [Node],
	/// The `E` constants the arena's nodes name.
	exts: &'a [Ext],
	/// The flat id of each arena node, `u32::MAX` until it has one.
	ids: Vec<u32>,
	nodes: Vec<Flat>,
	/// The walk's stack: an arena node, and whether its operands have been pushed.
	stack: Vec<(u32, bool)>,
}

impl<'a> Graph<'a> {
	fn new(nodes: &'a Nodes) -> Graph<'a> {
		let (arena, exts) = (&nodes.nodes[..], &nodes.exts[..]);
		Graph {
			arena,
			exts,
			ids: vec![u32::MAX; arena.len()],
			nodes: Vec::with_capacity(arena.len()),
			stack: Vec::new(),
		}
	}

	fn id(&mut self, sym: &Sym) -> u32 {
		self.stack.push((sym.id, false));
		while let Some((node, expanded)) = self.stack.pop() {
			if self.ids[node as usize] != u32::MAX {
				continue;
			}
			let flat = match self.arena[node as usize] {
				Node::Add(a, b) | Node::Mul(a, b) if !expanded => {
					// The left operand is popped, so flattened, first.
					self.stack.extend([(node, true), (b, false), (a, false)]);
					continue;
				},
				Node::Add(a, b) => Flat::Add(self.ids[a as usize], self.ids[b as usize]),
				Node::Mul(a, b) => Flat::Mul(self.ids[a as usize], self.ids[b as usize]),
				Node::Const(c) => Flat::Const(c.poly().value()),
				Node::ConstExt(index) => Flat::ConstExt(self.exts[index as usize].poly().value()),
				Node::Cur(k) => Flat::Cur(k),
				Node::Next(k) => Flat::Next(k),
				Node::Sel(s) => Flat::Sel(s.index() as u8),
				Node::IndexBit(b) => Flat::IndexBit(b),
			};
			self.ids[node as usize] = self.nodes.len() as u32;
			self.nodes.push(flat);
		}
		self.ids[sym.id as usize]
	}
}

/// A fixed pseudo-random generator (splitmix64) for the zero-polynomial test and the
/// interaction forms' check ([`crate::interactions::BoundInteractions::agree_with`]).
pub(crate) struct SplitMix(pub(crate) u64);

impl SplitMix {
	fn next(&mut self) -> u64 {
		self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
		let mut z = self.0;
		z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
		z ^ (z >> 31)
	}

	pub(crate) fn ext(&mut self) -> Ext {
		Ext::from_value(((self.next() as u128) << 64) | self.next() as u128)
	}
}

/// Per flattened node: its degree, whether it reads the next row, the first column out of
/// range, and its value at the zero-test point.
struct NodeFacts {
	degree: Vec<u32>,
	reads_next: Vec<bool>,
	bad_column: Vec<Option<u32>>,
	trial: Vec<Ext>,
}

fn node_facts(
	nodes: &[Flat],
	width: usize,
	used: &mut [bool],
	used_next: &mut [bool],
	index_bits: &mut [bool],
) -> NodeFacts {
	let count = nodes.len();
	let mut degree = vec![0u32; count];
	let mut reads_next = vec![false; count];
	let mut bad_column: Vec<Option<u32>> = vec![None; count];
	for (i, node) in nodes.iter().enumerate() {
		let (d, n, bad) = match *node {
			Flat::Const(_) | Flat::ConstExt(_) => (0, false, None),
			Flat::Sel(_) => (1, false, None),
			Flat::IndexBit(b) => {
				if let Some(slot) = index_bits.get_mut(b as usize) {
					*slot = true;
				}
				(1, false, None)
			},
			Flat::Cur(k) | Flat::Next(k) => {
				let next = matches!(node, Flat::Next(_));
				let in_range = (k as usize) < width;
				match (in_range, next) {
					(true, false) => used[k as usize] = true,
					(true, true) => used_next[k as usize] = true,
					(false, _) => {},
				}
				(1, next, (!in_range).then_some(k))
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

	// Values at a pseudo-random assignment, for the zero-polynomial test.
	let mut rng = SplitMix(0x6167_656e_7469_6321);
	let cur: Vec<Ext> = (0..width).map(|_| rng.ext()).collect();
	let next: Vec<Ext> = (0..width).map(|_| rng.ext()).collect();
	let mut sel: Vec<Ext> = Selector::ALL.iter().map(|_| rng.ext()).collect();
	sel[Selector::NotLast.index()] = Ext::one().add(&sel[Selector::Last.index()]);
	let bits: Vec<Ext> = (0..=MAX_INDEX_BIT).map(|_| rng.ext()).collect();
	let mut trial: Vec<Ext> = Vec::with_capacity(count);
	for node in nodes {
		let v = match *node {
			Flat::Const(c) => Ext::from(Base::from_value(c)),
			Flat::ConstExt(c) => Ext::from_value(c),
			Flat::Cur(k) => cur.get(k as usize).copied().unwrap_or(Ext::zero()),
			Flat::Next(k) => next.get(k as usize).copied().unwrap_or(Ext::zero()),
			Flat::Sel(s) => sel[s as usize],
			Flat::IndexBit(b) => bits.get(b as usize).copied().unwrap_or(Ext::zero()),
			Flat::Add(a, b) => trial[a as usize].add(&trial[b as usize]),
			Flat::Mul(a, b) => trial[a as usize].fast_mul(&trial[b as usize]),
		};
		trial.push(v);
	}
	NodeFacts { degree, reads_next, bad_column, trial }
}

/// One symbolic run of an AIR, for [`crate::circuit`] and [`crate::interactions`]: the nodes
/// (operands before the nodes that read them), the `E` constants they name, each constraint's
/// root and transition flag in the order asserted, each interaction's gate in the order made,
/// every interaction's gate and fields, and the interactions themselves.
pub(crate) struct Recording {
	pub(crate) nodes: Vec<Node>,
	pub(crate) exts: Vec<Ext>,
	pub(crate) constraints: Vec<(bool, u32)>,
	pub(crate) gates: Vec<u32>,
	pub(crate) interaction_roots: Vec<u32>,
	pub(crate) interactions: Vec<RecordedInteraction>,
}

impl Recording {
	/// Per node, whether an interaction's gate or field reads it (or is it).
	pub(crate) fn reached_from_interactions(&self) -> Vec<bool> {
		let mut reached = vec![false; self.nodes.len()];
		for &root in &self.interaction_roots {
			reached[root as usize] = true;
		}
		// Every operand has a lower id than the node that reads it.
		for id in (0..self.nodes.len()).rev() {
			if let (true, Node::Add(a, b) | Node::Mul(a, b)) = (reached[id], self.nodes[id]) {
				reached[a as usize] = true;
				reached[b as usize] = true;
			}
		}
		reached
	}
}

/// An interaction of a [`Recording`]: its bus, direction, and its gate's and fields' roots.
pub(crate) struct RecordedInteraction {
	pub(crate) bus: u32,
	pub(crate) direction: Direction,
	pub(crate) gate: u32,
	pub(crate) fields: Vec<u32>,
}

/// Runs `air` on syntax trees (no checks: [`analyze`] makes them).
pub(crate) fn record<A: Air>(air: &A) -> Recording {
	let builder = SymbolicBuilder::run(air);
	let constraints = builder.constraints.iter().map(|(transition, sym)| (*transition, sym.id)).collect();
	let gates = builder.interactions.iter().map(|i| i.gate.id).collect();
	let interaction_roots = builder
		.interactions
		.iter()
		.flat_map(|i| core::iter::once(i.gate.id).chain(i.fields.iter().map(|f| f.id)))
		.collect();
	let interactions = builder
		.interactions
		.iter()
		.map(|i| RecordedInteraction {
			bus: i.bus,
			direction: i.direction,
			gate: i.gate.id,
			fields: i.fields.iter().map(|f| f.id).collect(),
		})
		.collect();
	let nodes = core::mem::take(&mut *builder.arena.borrow_mut());
	Recording { nodes: nodes.nodes, exts: nodes.exts, constraints, gates, interaction_roots, interactions }
}

/// Runs `air` symbolically: checks it and returns its shape and canonical encoding.
///
/// A constraint is taken to be the zero polynomial when it vanishes at a fixed pseudo-random
/// point of GF(2^128): each column, next-row column, selector and index bit an independent
/// variable, except `not_last = 1 + last`. A nonzero polynomial of degree at most
/// [`MAX_DEGREE`] vanishes at a random point with probability at most `16 / 2^128`. (The point
/// is fixed, not drawn per call: the test guards against mistakes in an AIR's code, not
/// against an adversary writing AIRs.)
///
/// `air.eval` must be deterministic: the same constraints and interactions in the same order on
/// every call.
pub fn analyze<A: Air>(air: &A) -> Result<AirInfo, AirError> {
	let width = air.width();
	if width == 0 || width > MAX_WIDTH {
		return Err(AirError::BadWidth(width));
	}
	let builder = SymbolicBuilder::run(air);
	let user = builder.constraints.len();
	let interactions = builder.interactions.len();
	let total = user + interactions;
	if total == 0 || total > MAX_CONSTRAINTS {
		return Err(AirError::BadConstraintCount(total));
	}

	let arena = builder.arena.borrow();
	let mut graph = Graph::new(&arena);
	let roots: Vec<u32> = builder.constraints.iter().map(|(_, sym)| graph.id(sym)).collect();
	let interaction_roots: Vec<(u32, Vec<u32>)> = builder
		.interactions
		.iter()
		.map(|i| (graph.id(&i.gate), i.fields.iter().map(|f| graph.id(f)).collect()))
		.collect();
	let nodes = &graph.nodes;

	let mut used = vec![false; width];
	let mut used_next = vec![false; width];
	let mut bits_read = vec![false; MAX_INDEX_BIT as usize + 1];
	let facts = node_facts(nodes, width, &mut used, &mut used_next, &mut bits_read);
	for node in nodes {
		if let Flat::IndexBit(b) = node {
			if *b > MAX_INDEX_BIT {
				return Err(AirError::IndexBitOutOfRange(*b));
			}
		}
	}

	let mut constraints = Vec::with_capacity(total);
	for (j, ((transition, _), &root)) in builder.constraints.iter().zip(&roots).enumerate() {
		let root = root as usize;
		if let Some(column) = facts.bad_column[root] {
			return Err(AirError::ColumnOutOfRange { constraint: j, column: column as usize });
		}
		if facts.reads_next[root] && !transition {
			return Err(AirError::NextOutsideTransition { constraint: j });
		}
		if facts.trial[root] == Ext::zero() {
			return Err(AirError::ZeroConstraint { constraint: j });
		}
		let degree = facts.degree[root].saturating_add(*transition as u32);
		if degree > MAX_DEGREE {
			return Err(AirError::DegreeTooHigh { constraint: j, degree });
		}
		constraints.push(ConstraintInfo { transition: *transition, degree, kind: ConstraintKind::Air });
	}

	// Interactions: a gate check each, and the degree of the bus leaves over all of them.
	let mut infos = Vec::with_capacity(interactions);
	let (mut send_degree, mut receive_degree) = (0u32, 0u32);
	for (i, (interaction, (gate, fields))) in builder.interactions.iter().zip(&interaction_roots).enumerate() {
		let mut parts = core::iter::once(gate).chain(fields.iter()).map(|&r| r as usize);
		let malformed = interaction.fields.len() > MAX_TUPLE_FIELDS
			|| parts.any(|r| facts.reads_next[r] || facts.bad_column[r].is_some());
		if malformed {
			return Err(AirError::BadInteraction { interaction: i });
		}
		let gate_degree = facts.degree[*gate as usize];
		let field_degree = fields.iter().map(|&r| facts.degree[r as usize]).max().unwrap_or(0);
		let degree = 2 * gate_degree + 1;
		if degree > MAX_DEGREE {
			return Err(AirError::DegreeTooHigh { constraint: user + i, degree });
		}
		constraints.push(ConstraintInfo { transition: true, degree, kind: ConstraintKind::Gate(i as u32) });
		let factor = gate_degree + field_degree;
		match interaction.direction {
			Direction::Send => send_degree += factor,
			Direction::Receive => receive_degree += factor,
		}
		infos.push(InteractionInfo {
			bus: interaction.bus,
			direction: interaction.direction,
			fields: interaction.fields.len(),
			gate_degree,
			field_degree,
		});
	}
	// active · Π (g f + 1 + g) + 1 + active, over the sends or the receives.
	let bus_degree = if interactions > 0 { 1 + send_degree.max(receive_degree) } else { 0 };
	if bus_degree > MAX_DEGREE {
		return Err(AirError::BusDegreeTooHigh(bus_degree));
	}

	let max_degree = constraints.iter().map(|c| c.degree).max().unwrap_or(0).max(bus_degree).max(1);
	let next_columns: Vec<u32> = (0..width as u32).filter(|&k| used_next[k as usize]).collect();
	let unused_columns = (0..width as u32).filter(|&k| !used[k as usize] && !used_next[k as usize]).collect();
	let index_bits = (0..=MAX_INDEX_BIT).filter(|&b| bits_read[b as usize]).collect();
	let mut bit_columns = builder.bit_columns.clone();
	bit_columns.sort_unstable();
	bit_columns.dedup();
	for &column in &bit_columns {
		if column >= width || used_next[column] {
			return Err(AirError::BadBitColumn(column));
		}
	}
	let bit_columns: Vec<u32> = bit_columns.into_iter().map(|k| k as u32).collect();
	let encoding = encode(width, nodes, &builder, &roots, &interaction_roots, &bit_columns);
	Ok(AirInfo {
		width,
		constraints,
		interactions: infos,
		bus_degree,
		max_degree,
		next_columns,
		unused_columns,
		index_bits,
		bit_columns,
		encoding,
	})
}

/// The canonical encoding: a version tag, the width, the node list (each record's length fixed
/// by its tag), the constraints (transition flag, root), the interactions (bus, direction,
/// gate, fields) and the bit columns.
fn encode(
	width: usize,
	nodes: &[Flat],
	builder: &SymbolicBuilder,
	roots: &[u32],
	interactions: &[(u32, Vec<u32>)],
	bit_columns: &[u32],
) -> Vec<u8> {
	let mut encoding = Vec::with_capacity(32 + 9 * nodes.len() + 5 * roots.len());
	encoding.extend_from_slice(b"agentic-air-v4");
	encoding.extend_from_slice(&(width as u32).to_le_bytes());
	encoding.extend_from_slice(&(nodes.len() as u32).to_le_bytes());
	for node in nodes {
		match *node {
			Flat::Const(c) => push_record(&mut encoding, 0, &[c]),
			Flat::Cur(k) => push_record(&mut encoding, 1, &[k]),
			Flat::Next(k) => push_record(&mut encoding, 2, &[k]),
			Flat::Sel(s) => push_record(&mut encoding, 3, &[s as u32]),
			Flat::Add(a, b) => push_record(&mut encoding, 4, &[a, b]),
			Flat::Mul(a, b) => push_record(&mut encoding, 5, &[a, b]),
			Flat::ConstExt(c) => {
				encoding.push(6);
				encoding.extend_from_slice(&c.to_le_bytes());
			},
			Flat::IndexBit(b) => push_record(&mut encoding, 7, &[b as u32]),
		}
	}
	encoding.extend_from_slice(&(roots.len() as u32).to_le_bytes());
	for ((transition, _), root) in builder.constraints.iter().zip(roots) {
		encoding.push(*transition as u8);
		encoding.extend_from_slice(&root.to_le_bytes());
	}
	encoding.extend_from_slice(&(interactions.len() as u32).to_le_bytes());
	for (interaction, (gate, fields)) in builder.interactions.iter().zip(interactions) {
		encoding.extend_from_slice(&interaction.bus.to_le_bytes());
		encoding.push(matches!(interaction.direction, Direction::Receive) as u8);
		encoding.extend_from_slice(&gate.to_le_bytes());
		encoding.extend_from_slice(&(fields.len() as u32).to_le_bytes());
		for f in fields {
			encoding.extend_from_slice(&f.to_le_bytes());
		}
	}
	encoding.extend_from_slice(&(bit_columns.len() as u32).to_le_bytes());
	for column in bit_columns {
		encoding.extend_from_slice(&column.to_le_bytes());
	}
	encoding
}

fn push_record(encoding: &mut Vec<u8>, tag: u8, values: &[u32]) {
	encoding.push(tag);
	for v in values {
		encoding.extend_from_slice(&v.to_le_bytes());
	}
}

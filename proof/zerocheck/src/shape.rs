//! What prover and verifier derive alike from the AIR and the statement: the proof's shape, the
//! transcript's first absorptions, and the claims the opening proves.

use crate::{
	bus::BusShape, Config, Direction, TableStatement, Tables, ZerocheckError, MAX_BOUNDARIES, MAX_PUBLIC_INTERACTIONS,
	MAX_TABLES,
};
use agentic_air::{AirInfo, BinaryFieldElement};
use agentic_pcs::{
	eq_table,
	field::{dot_base, FastMul},
	Base, Claim, ClaimKind, Ext, PackedClaim, Params, Transcript, MAX_NUM_QUERIES, MAX_NUM_VARS, MAX_POLYS, PACK,
};
use alloc::vec::Vec;

/// The shape of one table's part of a proof: fixed by its AIR and its statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shape {
	/// `n`: the trace has `2^n` rows.
	pub num_vars: u8,
	/// The round polynomials' degree (`D + 1`, `D` the AIR's degree).
	pub round_degree: u32,
	/// Whether the AIR interacts (and the table has bus leaves).
	pub interacts: bool,
}

impl Shape {
	/// The shape for `info`'s AIR under `statement`, after checking the statement.
	pub fn new(info: &AirInfo, statement: &TableStatement) -> Result<Shape, ZerocheckError> {
		let r = statement.active_rows;
		if r == 0 {
			return Err(ZerocheckError::BadShape("no transitions (R = 0)"));
		}
		// n = bit length of R: 2^(n-1) <= R < 2^n, so rows 0..=R exist.
		let num_vars = 64 - r.leading_zeros();
		if num_vars > MAX_NUM_VARS as u32 {
			return Err(ZerocheckError::BadShape("too many transitions for one trace"));
		}
		let rows = 1u64 << num_vars;
		let width = info.width as u64;
		if statement.boundaries.len() > MAX_BOUNDARIES {
			return Err(ZerocheckError::BadShape("more boundary values than MAX_BOUNDARIES"));
		}
		if statement.boundaries.iter().any(|b| b.column as u64 >= width || b.row >= rows) {
			return Err(ZerocheckError::BadShape("a boundary value outside the trace"));
		}
		if statement.boundaries.iter().any(|b| info.bit_columns.binary_search(&b.column).is_ok()) {
			return Err(ZerocheckError::BadShape("a boundary value on a bit column (which is committed packed)"));
		}
		let mut previous = None;
		for column in &statement.public_columns {
			if column.column as u64 >= width {
				return Err(ZerocheckError::BadShape("a public column outside the trace"));
			}
			if previous.is_some_and(|p| p >= column.column) {
				return Err(ZerocheckError::BadShape("public columns must be in increasing column order"));
			}
			if column.values.len() as u64 != rows {
				return Err(ZerocheckError::BadShape("a public column's length is not the trace's"));
			}
			previous = Some(column.column);
		}
		// A column no constraint reads is free unless a claim binds it.
		let bound = |k: u32| {
			statement.boundaries.iter().any(|b| b.column == k) || statement.public_columns.iter().any(|c| c.column == k)
		};
		if info.unused_columns.iter().any(|&k| !bound(k)) {
			return Err(ZerocheckError::BadShape("a column that no constraint reads and no claim binds"));
		}
		if info.index_bits.iter().any(|&b| b as u32 >= num_vars) {
			return Err(ZerocheckError::BadShape("the AIR reads an index bit the trace does not have"));
		}
		Ok(Shape { num_vars: num_vars as u8, round_degree: info.max_degree + 1, interacts: info.interacts() })
	}

	/// The number of values each round sends: its polynomial without the `eq` factor (of the
	/// AIR's degree `D`) at every node up to `D` but 1.
	pub fn round_values(&self) -> usize {
		(self.round_degree as usize).saturating_sub(1)
	}
}

/// How a table's columns are committed: every column not declared a bit
/// ([`AirInfo::bit_columns`]) as its own polynomial, in column order, then the bit columns
/// packed [`PACK`] to a polynomial ([`agentic_pcs::pack`]), in column order.
pub(crate) struct TableColumns<'a> {
	info: &'a AirInfo,
}

impl<'a> TableColumns<'a> {
	pub(crate) fn new(info: &'a AirInfo) -> Self {
		TableColumns { info }
	}

	fn is_bit(&self, column: u32) -> bool {
		self.info.bit_columns.binary_search(&column).is_ok()
	}

	/// The columns committed one polynomial each, in order.
	pub(crate) fn plain(&self) -> impl Iterator<Item = u32> + '_ {
		(0..self.info.width as u32).filter(move |&k| !self.is_bit(k))
	}

	/// The bit columns of each packed polynomial, in order (the last pack shorter if the bit
	/// columns are not a multiple of [`PACK`]).
	pub(crate) fn pack_columns(&self) -> core::slice::Chunks<'a, u32> {
		self.info.bit_columns.chunks(PACK)
	}

	/// The polynomials the table commits.
	pub(crate) fn polys(&self) -> usize {
		self.info.width - self.info.bit_columns.len() + self.info.bit_columns.len().div_ceil(PACK)
	}

	/// The polynomial (from the table's first) of a column that is not a bit column.
	fn poly(&self, column: u32) -> u32 {
		debug_assert!(!self.is_bit(column), "a bit column has no polynomial of its own");
		column - self.info.bit_columns.partition_point(|&k| k < column) as u32
	}
}

/// The commitment of a proof: the columns of every table stacked, in table order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Stack {
	/// The opening's parameters.
	pub params: Params,
	/// Variables of each committed column.
	pub num_vars: Vec<u8>,
	/// Per table, the index of its first column in the stack (`None` if it has none here).
	pub first: Vec<Option<u32>>,
}

impl Stack {
	/// `widths[t]` polynomials of `2^(n_t)` values per table. The layout is checked here, before
	/// anything is read.
	fn new(shapes: &[Shape], widths: impl Iterator<Item = usize>, config: &Config) -> Result<Stack, ZerocheckError> {
		let mut num_vars = Vec::new();
		let mut first = Vec::with_capacity(shapes.len());
		for (shape, width) in shapes.iter().zip(widths) {
			first.push((width > 0).then_some(num_vars.len() as u32));
			num_vars.extend(core::iter::repeat_n(shape.num_vars, width));
		}
		if num_vars.is_empty() {
			return Err(ZerocheckError::BadShape("no columns"));
		}
		let values = num_vars.iter().map(|&n| 1u64 << n).sum();
		let params = Params::shortest_recursive(values, config.num_queries, config.grinding_bits);
		agentic_pcs::Layout::new(&params, &num_vars)?;
		Ok(Stack { params, num_vars, first })
	}

	/// `2^N` for the stack's `N` variables: what its opening counts as in
	/// [`TraceProof::stacked_values`](crate::TraceProof::stacked_values).
	pub fn stacked_values(&self) -> u64 {
		self.num_vars.iter().map(|&n| 1u64 << n).sum::<u64>().next_power_of_two()
	}

	/// The commitment the verifier expects, given the root.
	pub fn commitment(&self, root: [u8; 32]) -> agentic_pcs::Commitment {
		agentic_pcs::Commitment { root, num_vars: self.num_vars.clone() }
	}
}

/// The shape of a whole proof.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ProofShape {
	/// Per table.
	pub tables: Vec<Shape>,
	/// Every table's columns.
	pub trace: Stack,
	/// The interacting tables' bus leaves, if any table interacts.
	pub bus: Option<BusShape>,
}

/// Every table's shape, after checking the multi-table statement's own limits.
pub(crate) fn shapes(infos: &[AirInfo], statement: &Tables, config: &Config) -> Result<ProofShape, ZerocheckError> {
	if config.num_queries == 0 || config.num_queries > MAX_NUM_QUERIES {
		return Err(ZerocheckError::BadShape("the number of queries is 0 or above MAX_NUM_QUERIES"));
	}
	if statement.tables.is_empty() || statement.tables.len() > MAX_TABLES || statement.tables.len() != infos.len() {
		return Err(ZerocheckError::BadShape("one statement per table, between 1 and MAX_TABLES tables"));
	}
	if statement.public_interactions.len() > MAX_PUBLIC_INTERACTIONS {
		return Err(ZerocheckError::BadShape("more public interactions than MAX_PUBLIC_INTERACTIONS"));
	}
	if statement.public_interactions.iter().any(|i| i.fields.len() > agentic_air::MAX_TUPLE_FIELDS) {
		return Err(ZerocheckError::BadShape("a public interaction with more than MAX_TUPLE_FIELDS fields"));
	}
	// One arity per bus: a fingerprint reads a missing field as 0, so `(t, a)` and `(t, a, 0)`
	// would otherwise be the same tuple.
	let mut arity = alloc::collections::BTreeMap::new();
	let tuples = infos
		.iter()
		.flat_map(|info| info.interactions.iter().map(|i| (i.bus, i.fields)))
		.chain(statement.public_interactions.iter().map(|i| (i.bus, i.fields.len())));
	for (bus, fields) in tuples {
		if *arity.entry(bus).or_insert(fields) != fields {
			return Err(ZerocheckError::BadShape("a bus whose tuples have two lengths"));
		}
	}
	let tables: Vec<Shape> =
		infos.iter().zip(&statement.tables).map(|(info, table)| Shape::new(info, table)).collect::<Result<_, _>>()?;
	let polys: usize = infos.iter().map(|i| TableColumns::new(i).polys()).sum();
	if polys > MAX_POLYS {
		return Err(ZerocheckError::BadShape("more committed polynomials in all than MAX_POLYS"));
	}
	let trace = Stack::new(&tables, infos.iter().map(|i| TableColumns::new(i).polys()), config)?;
	let values = trace.stacked_values();
	if values > config.max_stacked_values {
		return Err(ZerocheckError::StacksTooLarge(values));
	}
	// Every interacting table has a column: the bus's stack is at most the trace's.
	let bus = BusShape::new(&tables);
	Ok(ProofShape { tables, trace, bus })
}

/// The number of bus challenges: `z`, `β_0` for the tag, and one per field of the longest tuple;
/// none without interactions.
pub(crate) fn num_challenges(infos: &[AirInfo], statement: &Tables) -> usize {
	let tables = infos.iter().any(|i| !i.interactions.is_empty());
	if !tables && statement.public_interactions.is_empty() {
		return 0;
	}
	let fields =
		infos.iter().map(|i| i.max_fields()).chain(statement.public_interactions.iter().map(|i| i.fields.len()));
	2 + fields.max().unwrap_or(0)
}

/// `z + β_0 φ(bus) + Σ_i β_{i+1} φ(field_i)`, as the AIR builders compute it.
pub(crate) fn fingerprint(challenges: &[Ext], bus: u32, fields: &[Base]) -> Ext {
	let at = |i: usize| challenges.get(i).copied().unwrap_or(Ext::zero());
	let mut f = at(0).add(&at(1).fast_mul(&Ext::from(Base::from_value(bus))));
	for (i, v) in fields.iter().enumerate() {
		f = f.add(&at(i + 2).fast_mul(&Ext::from(*v)));
	}
	f
}

/// Whether the tables' products of what they send and of what they receive balance with the
/// public interactions: `sends · Π public sends = receives · Π public receives`, with neither
/// product and no public fingerprint 0.
pub(crate) fn balanced(sends: Ext, receives: Ext, statement: &Tables, challenges: &[Ext]) -> bool {
	if sends == Ext::zero() || receives == Ext::zero() {
		return false;
	}
	let (mut left, mut right) = (sends, receives);
	for interaction in &statement.public_interactions {
		let f = fingerprint(challenges, interaction.bus, &interaction.fields);
		if f == Ext::zero() {
			return false;
		}
		match interaction.direction {
			Direction::Send => left = left.fast_mul(&f),
			Direction::Receive => right = right.fast_mul(&f),
		}
	}
	left == right
}

/// Step 0 of the transcript (`docs/proof-system.md`): the domain (in the transcript's
/// constructor), the context, then every table's shape, AIR and claims, then the public
/// interactions.
pub(crate) fn absorb_statement(transcript: &mut Transcript, infos: &[AirInfo], shape: &ProofShape, statement: &Tables) {
	transcript.absorb_bytes(b"zc/context", &statement.context);
	transcript.absorb_u64(b"zc/tables", statement.tables.len() as u64);
	for ((info, table_shape), table) in infos.iter().zip(&shape.tables).zip(&statement.tables) {
		absorb_table(transcript, info, table_shape, table);
	}
	transcript.absorb_u64(b"zc/log_leaf_width", shape.trace.params.log_leaf_width as u64);
	transcript.absorb_u64(b"zc/num_queries", shape.trace.params.num_queries as u64);
	transcript.absorb_u64(b"zc/grinding_bits", shape.trace.params.grinding_bits as u64);
	transcript.absorb_u64(b"zc/bus_vars", shape.bus.as_ref().map_or(0, |b| b.num_vars as u64));
	transcript.absorb_u64(b"zc/public_interactions", statement.public_interactions.len() as u64);
	// Every public interaction, one record after another: bus, direction, the number of fields,
	// the fields (`u32` each, little endian); one message for all of them.
	let mut records = Vec::new();
	for interaction in &statement.public_interactions {
		let receive = matches!(interaction.direction, Direction::Receive) as u32;
		for word in [interaction.bus, receive, interaction.fields.len() as u32] {
			records.extend_from_slice(&word.to_le_bytes());
		}
		records.extend(interaction.fields.iter().flat_map(|v| v.poly().value().to_le_bytes()));
	}
	transcript.absorb_bytes(b"zc/public_interaction/records", &records);
}

fn absorb_table(transcript: &mut Transcript, info: &AirInfo, shape: &Shape, statement: &TableStatement) {
	transcript.absorb_u64(b"zc/active_rows", statement.active_rows);
	transcript.absorb_u64(b"zc/num_vars", shape.num_vars as u64);
	transcript.absorb_u64(b"zc/width", info.width as u64);
	transcript.absorb_u64(b"zc/interacts", shape.interacts as u64);
	transcript.absorb_u64(b"zc/round_degree", shape.round_degree as u64);
	transcript.absorb_bytes(b"zc/air", &info.encoding);
	transcript.absorb_u64(b"zc/boundaries", statement.boundaries.len() as u64);
	// Every boundary, (column, row, value) as three `u64`: one message for all of them.
	let mut records = Vec::with_capacity(24 * statement.boundaries.len());
	for b in &statement.boundaries {
		for word in [b.column as u64, b.row, b.value.poly().value() as u64] {
			records.extend_from_slice(&word.to_le_bytes());
		}
	}
	transcript.absorb_bytes(b"zc/boundary/records", &records);
	transcript.absorb_u64(b"zc/public_columns", statement.public_columns.len() as u64);
	for column in &statement.public_columns {
		transcript.absorb_u64(b"zc/public/column", column.column as u64);
		let bytes: Vec<u8> = column.values.iter().flat_map(|v| v.poly().value().to_le_bytes()).collect();
		transcript.absorb_bytes(b"zc/public/values", &bytes);
	}
}

/// One table's claims in the trace opening (its polynomials from `first` on): every column
/// committed on its own at `s`, every next-row column at `s`, every boundary cell; and the
/// values of its bit columns at `s`, per packed polynomial, for [`agentic_pcs::ring_switch`].
pub(crate) fn claims(
	info: &AirInfo,
	statement: &TableStatement,
	shape: &Shape,
	first: u32,
	point: &[Ext],
	cur: &[Ext],
	next: &[Ext],
) -> (Vec<Claim>, Vec<PackedClaim>) {
	let committed = TableColumns::new(info);
	let claim = |k: u32, kind: ClaimKind, value: Ext| Claim {
		commitment: 0,
		poly: first + committed.poly(k),
		kind,
		point: point.to_vec(),
		value,
	};
	let mut claims: Vec<Claim> = committed.plain().map(|k| claim(k, ClaimKind::Eq, cur[k as usize])).collect();
	// Next-row columns and boundaries are never bit columns (`analyze` and `Shape::new`).
	for (&k, value) in info.next_columns.iter().zip(next) {
		claims.push(claim(k, ClaimKind::Shifted, *value));
	}
	for b in &statement.boundaries {
		claims.push(Claim {
			commitment: 0,
			poly: first + committed.poly(b.column),
			kind: ClaimKind::Eq,
			point: bits(b.row, shape.num_vars),
			value: Ext::from(b.value),
		});
	}
	let plain = (info.width - info.bit_columns.len()) as u32;
	let packed = committed
		.pack_columns()
		.enumerate()
		.map(|(j, columns)| PackedClaim {
			commitment: 0,
			poly: first + plain + j as u32,
			point: point.to_vec(),
			values: columns.iter().map(|&k| cur[k as usize]).collect(),
		})
		.collect();
	(claims, packed)
}

/// The boolean point of row `row`, lowest bit first.
fn bits(row: u64, num_vars: u8) -> Vec<Ext> {
	(0..num_vars).map(|j| if (row >> j) & 1 == 1 { Ext::one() } else { Ext::zero() }).collect()
}

/// The interpolation nodes `0, 1, x, x + 1, …` (the field elements whose bit patterns are
/// `0 … count - 1`: distinct, unlike an integer-to-field map).
pub(crate) fn nodes(count: usize) -> Vec<Ext> {
	(0..count as u128).map(Ext::from_value).collect()
}

/// Evaluates a round polynomial, given by its values at the nodes, anywhere: Lagrange form with
/// the denominators (node differences, never zero) inverted once, and the numerators by prefix
/// and suffix products, so no division depends on the point.
#[derive(Clone)]
pub(crate) struct Interpolator {
	nodes: Vec<Ext>,
	inverse_denominators: Vec<Ext>,
}

impl Interpolator {
	/// For polynomials of degree below `count`, given at the first `count` nodes.
	pub(crate) fn new(count: usize) -> Interpolator {
		Interpolator::over(nodes(count))
	}

	/// For polynomials of degree below `nodes.len()`, given at `nodes` (distinct).
	pub(crate) fn over(nodes: Vec<Ext>) -> Interpolator {
		let count = nodes.len();
		debug_assert!(nodes.iter().enumerate().all(|(i, a)| nodes[..i].iter().all(|b| b != a)), "repeated nodes");
		let inverse_denominators = (0..count)
			.map(|d| {
				let others = nodes.iter().enumerate().filter(|(e, _)| *e != d);
				others.fold(Ext::one(), |acc, (_, n)| acc.fast_mul(&nodes[d].add(n))).inv()
			})
			.collect();
		Interpolator { nodes, inverse_denominators }
	}

	/// The value at `x` of the polynomial taking `values[d]` at node `d` (only the first `count`
	/// entries of `values` are read; the caller checks, and a missing value reads as 0).
	pub(crate) fn evaluate(&self, values: &[Ext], x: Ext) -> Ext {
		let count = self.nodes.len();
		let mut prefix = alloc::vec![Ext::one(); count + 1];
		for d in 0..count {
			prefix[d + 1] = prefix[d].fast_mul(&x.add(&self.nodes[d]));
		}
		let mut suffix = Ext::one();
		let mut total = Ext::zero();
		for d in (0..count).rev() {
			let weight = prefix[d].fast_mul(&suffix).fast_mul(&self.inverse_denominators[d]);
			total = total.add(&values.get(d).copied().unwrap_or(Ext::zero()).fast_mul(&weight));
			suffix = suffix.fast_mul(&x.add(&self.nodes[d]));
		}
		total
	}
}

/// The verifier's running claim of a sumcheck of `Σ_x eq(p, x) · F(x)` whose rounds send Gruen's
/// factored round polynomial: in round `k` (variables `ς_0 … ς_(k-1)` bound), the round
/// polynomial is `h(X) = E_k · eq(p_k, X) · q(X)` with `E_k = Π_(j<k) eq(p_j, ς_j)` and
/// `q(X) = Σ_(x') eq(p_(>k), x') F(ς, X, x')`, of `F`'s degree `D`. The prover sends `q` at the
/// nodes `0, x, x + 1, …` (every node up to `D` but 1): with the claim reduced by `E_k`,
/// `c_k = (1 + p_k) q(0) + p_k q(1)` gives `q(1)`, and `c_(k+1) = q(ς_k)`. At the end the
/// sumcheck's claim is `E_n · c_n` and its final value `eq(p, ς) F(ς) = E_n F(ς)`, so the check is
/// `c_n = F(ς)`: no `eq` evaluation. The claim is kept as a fraction `num / den` (`den` the
/// product of the `p_k`), so that nothing is inverted.
#[derive(Clone, Copy, Debug)]
pub(crate) struct EqClaim {
	num: Ext,
	den: Ext,
}

impl EqClaim {
	/// The claim `Σ_x eq(p, x) F(x) = claim`.
	pub(crate) fn new(claim: Ext) -> EqClaim {
		EqClaim { num: claim, den: Ext::one() }
	}

	/// One round: `sent` is `q` at the nodes `0, 2, 3, …, D` (`D` values, the interpolator's
	/// node count less one; the caller checks), `coordinate` the round's `p_k`, `challenge` its
	/// `ς_k`.
	pub(crate) fn round(&mut self, interpolator: &Interpolator, coordinate: Ext, sent: &[Ext], challenge: Ext) {
		if sent.is_empty() || sent.len() + 1 != interpolator.nodes.len() {
			// Not a round of this sumcheck (the callers check sizes first): refused for good.
			self.den = Ext::zero();
			return;
		}
		let scale = self.den.fast_mul(&coordinate);
		// q(1) · den · p_k = num + den (1 + p_k) q(0); every other node's value times den · p_k.
		let at_one = self.num.add(&self.den.fast_mul(&Ext::one().add(&coordinate)).fast_mul(&sent[0]));
		let mut values = Vec::with_capacity(sent.len() + 1);
		values.push(sent[0].fast_mul(&scale));
		values.push(at_one);
		values.extend(sent[1..].iter().map(|v| v.fast_mul(&scale)));
		self.num = interpolator.evaluate(&values, challenge);
		self.den = scale;
	}

	/// Whether the sumcheck's final value `F(ς)` is the claim's (never with a zero
	/// denominator: a coordinate `p_k = 0`, probability `n / |E|`, fails the honest prover too).
	pub(crate) fn holds(&self, value: Ext) -> bool {
		self.den != Ext::zero() && self.num == self.den.fast_mul(&value)
	}
}

/// The prover's side of [`EqClaim::round`]: the next claim `q(ς)` from the claim, `q` at the
/// nodes `0, 2, 3, …` and the round's coordinate (inverted: the prover may). `None` if the
/// coordinate is 0.
#[cfg(feature = "prover")]
pub(crate) fn next_claim(
	interpolator: &Interpolator,
	claim: Ext,
	coordinate: Ext,
	sent: &[Ext],
	challenge: Ext,
) -> Option<Ext> {
	if coordinate == Ext::zero() {
		return None;
	}
	let at_one = claim.add(&Ext::one().add(&coordinate).fast_mul(&sent[0])).fast_mul(&coordinate.inv());
	let mut values = Vec::with_capacity(sent.len() + 1);
	values.push(sent[0]);
	values.push(at_one);
	values.extend_from_slice(&sent[1..]);
	Some(interpolator.evaluate(&values, challenge))
}

/// `Σ_i values[i] · eq(point, i)`: a public column's multilinear extension at `point`.
///
/// `eq(point, i) = eq(point_lo, i_lo) · eq(point_hi, i_hi)`, so two tables of `2^(n/2)` entries
/// replace one of `2^n` (the verifier's memory stays `O(√|pub|)`): each row's sum over the low
/// bits, weighted by the high table.
pub(crate) fn evaluate_public(values: &[Base], point: &[Ext]) -> Ext {
	let (lo, hi) = point.split_at(point.len() / 2);
	let (eq_lo, eq_hi) = (eq_table(lo), eq_table(hi));
	values
		.chunks(eq_lo.len())
		.zip(&eq_hi)
		.fold(Ext::zero(), |acc, (row, weight)| acc.add(&weight.fast_mul(&dot_base(row, &eq_lo))))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn interpolation_recovers_a_polynomial_from_its_node_values() {
		// p(X) = 3 + 5X + 7X^2 + 11X^3 over GF(2^128), 4 nodes.
		let coeffs = [3u128, 5, 7, 11].map(Ext::from_value);
		let p = |x: Ext| coeffs.iter().rev().fold(Ext::zero(), |acc, c| acc.fast_mul(&x).add(c));
		let values: Vec<Ext> = nodes(4).into_iter().map(p).collect();
		let interpolator = Interpolator::new(4);
		for x in [0u128, 1, 2, 3, 4, 0x1234_5678_9abc_def0_1122_3344_5566_7788] {
			let x = Ext::from_value(x);
			assert_eq!(interpolator.evaluate(&values, x), p(x));
		}
		// A higher-degree polynomial is not recovered from too few nodes.
		let q = |x: Ext| p(x).add(&x.fast_mul(&x).fast_mul(&x).fast_mul(&x));
		let values: Vec<Ext> = nodes(4).into_iter().map(q).collect();
		assert_ne!(interpolator.evaluate(&values, Ext::from_value(99)), q(Ext::from_value(99)));
		// The largest degree the protocol allows: 17, at 18 nodes.
		let coeffs: Vec<Ext> = (0..18u128).map(|i| Ext::from_value(i * 0x9e37_79b9 + 1)).collect();
		let p = |x: Ext| coeffs.iter().rev().fold(Ext::zero(), |acc, c| acc.fast_mul(&x).add(c));
		let values: Vec<Ext> = nodes(18).into_iter().map(p).collect();
		let x = Ext::from_value(0x00ab_cdef_0123_4567_89ab_cdef_0011_2233);
		assert_eq!(Interpolator::new(18).evaluate(&values, x), p(x));
	}

	/// Gruen's factored sumcheck of `Σ_x eq(p, x) Π_i T_i(x)` (`D` multilinear tables, so `F` has
	/// degree `D`): the prover's `next_claim` and the verifier's `EqClaim` agree on honest
	/// rounds, and any one sent value changed, a wrong claim or a zero coordinate is refused.
	#[test]
	fn eq_factored_rounds_verify_and_any_change_is_refused() {
		use ligerito::{sumcheck_polys::fold_lsb, utils::eq_table_lsb};
		let mut seed = 0x1234_5678_9abc_def0_u128;
		let mut random = || {
			seed = seed.wrapping_mul(0x2545_f491_4f6c_dd1d_6a09_e667_f3bc_c909).wrapping_add(0x9e37_79b9);
			Ext::from_value(seed ^ (seed >> 61))
		};
		for degree in [1usize, 2, 5, 16] {
			let n = 4;
			let tables: Vec<Vec<Ext>> = (0..degree).map(|_| (0..1 << n).map(|_| random()).collect()).collect();
			let mut point: Vec<Ext> = (0..n).map(|_| random()).collect();
			if degree == 5 {
				point[1] = Ext::one();
			}
			let eq = eq_table_lsb(&point);
			let claim = (0..1 << n).fold(Ext::zero(), |acc, i| {
				acc.add(&eq[i].fast_mul(&tables.iter().fold(Ext::one(), |p, t| p.fast_mul(&t[i]))))
			});
			// The honest rounds and challenges.
			let interpolator = Interpolator::new(degree + 1);
			let sent_nodes: Vec<Ext> =
				nodes(degree + 1).into_iter().enumerate().filter(|(d, _)| *d != 1).map(|(_, x)| x).collect();
			let (mut folded, mut running, mut rounds, mut challenges) = (tables.clone(), claim, Vec::new(), Vec::new());
			for k in 0..n {
				let weights = eq_table_lsb(&point[k + 1..]);
				let q: Vec<Ext> = sent_nodes
					.iter()
					.map(|x| {
						weights.iter().enumerate().fold(Ext::zero(), |acc, (i, w)| {
							let f = folded.iter().fold(Ext::one(), |p, t| {
								p.fast_mul(&t[2 * i].add(&x.fast_mul(&t[2 * i].add(&t[2 * i + 1]))))
							});
							acc.add(&w.fast_mul(&f))
						})
					})
					.collect();
				let challenge = random();
				running = next_claim(&interpolator, running, point[k], &q, challenge).expect("nonzero");
				folded = folded.iter().map(|t| fold_lsb(t, challenge)).collect();
				rounds.push(q);
				challenges.push(challenge);
			}
			let value = folded.iter().fold(Ext::one(), |p, t| p.fast_mul(&t[0]));
			assert_eq!(running, value, "degree {degree}: the prover's claim ends at F(ς)");
			let verify = |claim: Ext, rounds: &[Vec<Ext>], point: &[Ext]| {
				let mut c = EqClaim::new(claim);
				for ((q, &p), &s) in rounds.iter().zip(point).zip(&challenges) {
					c.round(&interpolator, p, q, s);
				}
				c.holds(value)
			};
			assert!(verify(claim, &rounds, &point), "degree {degree}");
			assert!(!verify(claim.add(&Ext::one()), &rounds, &point), "degree {degree}: a wrong claim");
			for k in 0..n {
				for j in 0..degree {
					let mut tampered = rounds.clone();
					tampered[k][j] = tampered[k][j].add(&Ext::one());
					assert!(!verify(claim, &tampered, &point), "degree {degree}: round {k} value {j}");
				}
				let mut short = rounds.clone();
				short[k].pop();
				assert!(!verify(claim, &short, &point), "degree {degree}: round {k} short");
			}
			let mut zero = point.clone();
			zero[2] = Ext::zero();
			assert!(!verify(claim, &rounds, &zero), "degree {degree}: a zero coordinate");
			assert_eq!(next_claim(&interpolator, claim, Ext::zero(), &rounds[0], challenges[0]), None);
		}
	}

	/// Two columns: `x` boolean, and `y` with `next(y) = y + x`.
	struct Toy(u32);

	impl agentic_air::Air for Toy {
		fn width(&self) -> usize {
			2
		}
		fn eval<AB: agentic_air::AirBuilder>(&self, b: &mut AB) {
			b.assert_bool(b.cur(0));
			b.assert_transition(b.next(1) + b.cur(1) + b.cur(0) * b.constant(Base::from_value(self.0)));
		}
	}

	fn first_challenge(air: &Toy, statement: &crate::Statement, config: &Config) -> Ext {
		let info = agentic_air::analyze(air).unwrap();
		let tables = statement.tables();
		let infos = core::slice::from_ref(&info);
		let shape = shapes(infos, &tables, config).unwrap();
		let mut transcript = Transcript::new(crate::DOMAIN);
		absorb_statement(&mut transcript, infos, &shape, &tables);
		transcript.challenge()
	}

	/// Every part of the statement, the AIR and the configuration moves the challenges, even
	/// where a later check would catch the change anyway.
	#[test]
	fn the_transcript_binds_every_part_of_the_statement() {
		use crate::{Boundary, PublicColumn};
		let base = crate::Statement {
			context: b"ctx".to_vec(),
			active_rows: 5,
			boundaries: vec![Boundary { column: 1, row: 0, value: Base::from_value(7) }],
			public_columns: vec![PublicColumn { column: 0, values: vec![Base::zero(); 8] }],
		};
		let config = Config { num_queries: 20, grinding_bits: 2, max_stacked_values: u64::MAX };
		let reference = first_challenge(&Toy(3), &base, &config);
		let mut variants: Vec<(&str, Toy, crate::Statement, Config)> = Vec::new();
		let mut s = base.clone();
		s.context = b"ctx2".to_vec();
		variants.push(("context", Toy(3), s, config));
		let mut s = base.clone();
		s.active_rows = 6;
		variants.push(("R with the same n", Toy(3), s, config));
		for (field, change) in [("boundary column", 0usize), ("boundary row", 1), ("boundary value", 2)] {
			let mut s = base.clone();
			let b = &mut s.boundaries[0];
			match change {
				0 => b.column = 0,
				1 => b.row = 5,
				_ => b.value = Base::from_value(8),
			}
			variants.push((field, Toy(3), s, config));
		}
		let mut s = base.clone();
		s.boundaries.push(Boundary { column: 1, row: 5, value: Base::zero() });
		variants.push(("one more boundary", Toy(3), s, config));
		let mut s = base.clone();
		s.public_columns[0].values[3] = Base::one();
		variants.push(("public value", Toy(3), s, config));
		let mut s = base.clone();
		s.public_columns[0].column = 1;
		variants.push(("public column", Toy(3), s, config));
		variants.push(("AIR constant", Toy(4), base.clone(), config));
		variants.push(("queries", Toy(3), base.clone(), Config { num_queries: 21, ..config }));
		variants.push(("grinding", Toy(3), base.clone(), Config { grinding_bits: 3, ..config }));
		for (what, air, statement, config) in variants {
			assert_ne!(first_challenge(&air, &statement, &config), reference, "{what}");
		}
	}

	/// The split evaluation equals the definition `Σ_i pub[i] eq(point, i)`.
	#[test]
	fn public_columns_evaluate_to_their_multilinear_extension() {
		for n in 1..=7usize {
			let values: Vec<Base> = (0..1u32 << n).map(|i| Base::from_value(i.wrapping_mul(0x9e37_79b9) ^ 5)).collect();
			let point: Vec<Ext> = (0..n as u128).map(|j| Ext::from_value(0x1234_5678_9abc_def1 * (j + 3))).collect();
			let full = ligerito::utils::eq_table_lsb(&point);
			let direct = values.iter().zip(&full).fold(Ext::zero(), |acc, (v, e)| acc.add(&Ext::from(*v).mul(e)));
			assert_eq!(evaluate_public(&values, &point), direct, "n {n}");
		}
	}

	#[test]
	fn the_leaf_width_is_within_the_layout_bounds() {
		for values in (0..=46u32).flat_map(|n| [1u64 << n, (1u64 << n) + 1, (3u64 << n) / 2]) {
			for params in [Params::shortest(values, 241, 0), Params::shortest_recursive(values, 207, 16)] {
				let w = params.log_leaf_width as u32;
				let total = values.next_power_of_two().trailing_zeros();
				assert!(w <= total && w <= 20 && total - w <= 26 || total > 46, "{values} values: w={w}");
			}
		}
	}
}

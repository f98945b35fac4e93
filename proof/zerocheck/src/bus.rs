//! The bus's grand product: a layered product circuit (GKR, in Thaler's linear-time form for a
//! binary tree of multiplications) over every interacting table's *leaves*, the per-row products
//! of what the row sends and of what it receives (`docs/proof-system.md`, "Buses by a GKR grand
//! product").
//!
//! The leaves of the interacting tables are stacked (largest first, ties in statement order,
//! each at an offset that is a multiple of its size) into two vectors `S` and `R` of `2^N`
//! values, 1 past the last table. Layer `ℓ` of a tree is `V_ℓ[i] = V_(ℓ+1)[i] · V_(ℓ+1)[i + 2^ℓ]`
//! (pairs on the top variable), from the leaves `V_N` to the two outputs `V_1`, whose product
//! is the tree's. Both trees share every sumcheck (a random `α_ℓ` batches them). The protocol
//! ends with one claim on each stacked vector at a random point `r`, which the prover splits
//! into one claim per table (`(a_t, b_t)`, checked here to recombine exactly); each table's
//! zerocheck then proves its pair against its committed columns.

use crate::{
	shape::{balanced, EqClaim, Interpolator, Shape},
	BusProof, Tables, ZerocheckError,
};
use agentic_pcs::{field::FastMul, BinaryFieldElement, Ext, Transcript};
use alloc::vec::Vec;

/// One interacting table's place in the stack of leaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct BusTable {
	/// Its index among the statement's tables.
	pub table: usize,
	/// `n_t`: its leaves are `2^(n_t)` values.
	pub num_vars: u8,
	/// Where its leaves start in the stack: a multiple of `2^(n_t)`.
	pub offset: u64,
}

/// The shape of a proof's bus part, from the tables' shapes alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct BusShape {
	/// The interacting tables, in statement order.
	pub tables: Vec<BusTable>,
	/// `N`: the stack has `2^N` values (`N ≥ 1`).
	pub num_vars: u32,
}

impl BusShape {
	/// The stack of the interacting tables' leaves; `None` if no table interacts.
	pub fn new(shapes: &[Shape]) -> Option<BusShape> {
		let mut order: Vec<usize> = (0..shapes.len()).filter(|&t| shapes[t].interacts).collect();
		if order.is_empty() {
			return None;
		}
		// Largest first, ties in statement order (a stable sort): every offset is then a sum of
		// sizes no smaller than the table's own, so a multiple of it.
		order.sort_by_key(|&t| core::cmp::Reverse(shapes[t].num_vars));
		let mut tables = Vec::with_capacity(order.len());
		let mut offset = 0u64;
		for t in order {
			let num_vars = shapes[t].num_vars;
			tables.push(BusTable { table: t, num_vars, offset });
			offset += 1u64 << num_vars;
		}
		tables.sort_by_key(|b| b.table);
		let num_vars = offset.next_power_of_two().trailing_zeros();
		Some(BusShape { tables, num_vars })
	}

	/// The proof's sizes: `N - 1` layers, layer `ℓ` with `ℓ` rounds, one leaf pair per table.
	pub fn check(&self, proof: &BusProof) -> Result<(), ZerocheckError> {
		let layers = self.num_vars as usize - 1;
		let rounds_ok = proof.layers.iter().enumerate().all(|(l, layer)| layer.rounds.len() == l + 1);
		if proof.layers.len() != layers || !rounds_ok || proof.leaves.len() != self.tables.len() {
			return Err(ZerocheckError::Malformed("bus"));
		}
		Ok(())
	}

	/// `sel_t(r) = eq(r[n_t..N], bits(o_t >> n_t))`: the weight of table `t`'s block in the
	/// stack's multilinear extension at `r` (its rows are the low `n_t` variables).
	fn selector(table: &BusTable, point: &[Ext]) -> Ext {
		let one = Ext::one();
		point.iter().enumerate().skip(table.num_vars as usize).fold(one, |acc, (j, r)| {
			let bit = (table.offset >> j) & 1 == 1;
			acc.fast_mul(&if bit { *r } else { one.add(r) })
		})
	}

	/// The stack's value at `r` from the tables' values at `r[..n_t]`:
	/// `1 + Σ_t sel_t(r) · (value_t + 1)` (the stack holds 1 past its last table).
	pub fn recombine(&self, point: &[Ext], values: impl Iterator<Item = Ext>) -> Ext {
		let one = Ext::one();
		self.tables
			.iter()
			.zip(values)
			.fold(one, |acc, (table, value)| acc.add(&Self::selector(table, point).fast_mul(&value.add(&one))))
	}
}

/// What the bus part leaves to the tables' zerochecks: the point `r` of the stack and, per
/// interacting table (statement order), its claimed leaves `(a_t, b_t)` at `r[..n_t]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct BusClaims {
	/// `r`, `N` coordinates.
	pub point: Vec<Ext>,
	/// `(a_t, b_t)` per interacting table.
	pub leaves: Vec<(Ext, Ext)>,
}

impl BusClaims {
	/// Table `t`'s point and claims, if it interacts.
	pub fn table(&self, shape: &BusShape, t: usize) -> Option<(&[Ext], Ext, Ext)> {
		let k = shape.tables.iter().position(|b| b.table == t)?;
		let n = shape.tables[k].num_vars as usize;
		let (a, b) = self.leaves[k];
		Some((&self.point[..n], a, b))
	}
}

/// `u_0 + μ (u_0 + u_1)`: the line through a function's values at 0 and 1 of its top variable,
/// at `μ`.
fn line(at_0: Ext, at_1: Ext, mu: Ext) -> Ext {
	at_0.add(&mu.fast_mul(&at_0.add(&at_1)))
}

fn exts<const K: usize>(values: &[u128; K]) -> [Ext; K] {
	values.map(Ext::from_value)
}

/// Checks the bus part of a proof (sizes checked by [`BusShape::check`]): the balance of the
/// outputs with the public interactions, every layer, and the leaf claims' recombination.
pub(crate) fn verify_bus(
	shape: &BusShape,
	proof: &BusProof,
	statement: &Tables,
	challenges: &[Ext],
	transcript: &mut Transcript,
) -> Result<BusClaims, ZerocheckError> {
	let [s0, s1, r0, r1] = exts(&proof.outputs);
	transcript.absorb_exts(b"zc/bus/outputs", &[s0, s1, r0, r1]);
	if !balanced(s0.fast_mul(&s1), r0.fast_mul(&r1), statement, challenges) {
		return Err(ZerocheckError::Unbalanced);
	}
	let mu = transcript.challenge();
	let (mut claim_s, mut claim_r) = (line(s0, s1, mu), line(r0, r1, mu));
	let mut point = alloc::vec![mu];
	let interpolator = Interpolator::new(3);
	for (l, layer) in proof.layers.iter().enumerate() {
		let alpha = transcript.challenge();
		let mut claim = EqClaim::new(claim_s.add(&alpha.fast_mul(&claim_r)));
		let mut rho = Vec::with_capacity(l + 2);
		for (round, &coordinate) in layer.rounds.iter().zip(&point) {
			let sent = exts(round);
			transcript.absorb_exts(b"zc/bus/round", &sent);
			let x = transcript.challenge();
			claim.round(&interpolator, coordinate, &sent, x);
			rho.push(x);
		}
		let [s0, s1, r0, r1] = exts(&layer.values);
		transcript.absorb_exts(b"zc/bus/layer", &[s0, s1, r0, r1]);
		let products = s0.fast_mul(&s1).add(&alpha.fast_mul(&r0.fast_mul(&r1)));
		if !claim.holds(products) {
			return Err(ZerocheckError::BusLayerFailed { layer: l as u32 + 1 });
		}
		let mu = transcript.challenge();
		(claim_s, claim_r) = (line(s0, s1, mu), line(r0, r1, mu));
		rho.push(mu);
		point = rho;
	}
	let leaves: Vec<(Ext, Ext)> = proof.leaves.iter().map(|&[a, b]| (Ext::from_value(a), Ext::from_value(b))).collect();
	let flat: Vec<Ext> = leaves.iter().flat_map(|&(a, b)| [a, b]).collect();
	transcript.absorb_exts(b"zc/bus/leaves", &flat);
	let sends = shape.recombine(&point, leaves.iter().map(|l| l.0));
	let receives = shape.recombine(&point, leaves.iter().map(|l| l.1));
	if sends != claim_s || receives != claim_r {
		return Err(ZerocheckError::BusLeavesMismatch);
	}
	Ok(BusClaims { point, leaves })
}

/// The prover's side (feature `prover`).
#[cfg(feature = "prover")]
pub(crate) mod prover {
	use super::*;
	use crate::{
		shape::{next_claim, nodes},
		BusLayer,
	};
	use agentic_air::{Lanes, Point, LANES};
	use agentic_pcs::{eq_table, field::fold_pairs};

	/// How the prover lies in its bus part (tests of the verifier; feature `unchecked`).
	#[derive(Clone, Copy, Debug, PartialEq, Eq)]
	pub(crate) enum BusForge {
		/// Honest.
		None,
		/// The outputs' `u_0` and `v_0` times `c` (the balance still holds).
		#[cfg(feature = "unchecked")]
		Outputs(u128),
		/// The same, and layer 1's `u_0` solved so that its check passes.
		#[cfg(feature = "unchecked")]
		OutputsAndLayer(u128),
		/// Leaf claims `a_t`, `a_u` of the first two tables shifted so that they still recombine.
		#[cfg(feature = "unchecked")]
		LeafClaims(u128),
	}

	/// Proves the grand products of `leaves` (per interacting table in statement order, its send
	/// and receive leaves, `2^(n_t)` each), absorbing as the verifier does. `checked`: refuse to
	/// prove an unbalanced bus.
	pub(crate) fn prove_bus(
		shape: &BusShape,
		leaves: &[(Vec<Ext>, Vec<Ext>)],
		statement: &Tables,
		challenges: &[Ext],
		transcript: &mut Transcript,
		checked: bool,
		forge: BusForge,
	) -> Result<(BusProof, BusClaims), ZerocheckError> {
		let n = shape.num_vars as usize;
		let sends = layers(stack(shape, leaves.iter().map(|l| &l.0[..])), n);
		let receives = layers(stack(shape, leaves.iter().map(|l| &l.1[..])), n);
		#[cfg_attr(not(feature = "unchecked"), allow(unused_mut))]
		let mut outputs = [sends[1][0], sends[1][1], receives[1][0], receives[1][1]];
		#[cfg(feature = "unchecked")]
		if let BusForge::Outputs(c) | BusForge::OutputsAndLayer(c) = forge {
			let c = Ext::from_value(c);
			outputs[0] = outputs[0].fast_mul(&c);
			outputs[2] = outputs[2].fast_mul(&c);
		}
		let [s0, s1, r0, r1] = outputs;
		transcript.absorb_exts(b"zc/bus/outputs", &outputs);
		if checked && !balanced(s0.fast_mul(&s1), r0.fast_mul(&r1), statement, challenges) {
			return Err(ZerocheckError::Unbalanced);
		}
		let mu = transcript.challenge();
		let mut claims = (line(s0, s1, mu), line(r0, r1, mu));
		let mut point = alloc::vec![mu];
		let mut proof_layers = Vec::with_capacity(n.saturating_sub(1));
		for l in 1..n {
			let (layer, next_point, next_claims) =
				prove_layer(&sends[l + 1], &receives[l + 1], &point, claims, transcript, l == 1, forge)?;
			proof_layers.push(layer);
			point = next_point;
			claims = next_claims;
		}
		#[cfg_attr(not(feature = "unchecked"), allow(unused_mut))]
		let mut leaf_claims: Vec<(Ext, Ext)> = shape
			.tables
			.iter()
			.zip(leaves)
			.map(|(table, (s, r))| {
				let eq = eq_table(&point[..table.num_vars as usize]);
				(dot(s, &eq), dot(r, &eq))
			})
			.collect();
		#[cfg(feature = "unchecked")]
		if let (BusForge::LeafClaims(c), true) = (forge, leaf_claims.len() >= 2) {
			// sel_t · δ_t = c for t = 0, 1: the two shifts cancel in the recombination.
			let c = Ext::from_value(c);
			for (claim, table) in leaf_claims.iter_mut().zip(&shape.tables).take(2) {
				claim.0 = claim.0.add(&c.fast_mul(&BusShape::selector(table, &point).inv()));
			}
		}
		let flat: Vec<Ext> = leaf_claims.iter().flat_map(|&(a, b)| [a, b]).collect();
		transcript.absorb_exts(b"zc/bus/leaves", &flat);
		let proof = BusProof {
			outputs: outputs.map(|e| e.poly().value()),
			layers: proof_layers,
			leaves: leaf_claims.iter().map(|(a, b)| [a.poly().value(), b.poly().value()]).collect(),
		};
		Ok((proof, BusClaims { point, leaves: leaf_claims }))
	}

	/// Pairs per task of a layer's round with feature `parallel`.
	#[cfg(feature = "parallel")]
	const PAIRS_PER_TASK: usize = 1 << 11;

	/// A layer round's `q` at 0 and at `x_node` over the pairs `pairs`:
	/// `Σ_i w_i (a b + α c f)(pair i at X)` with `(a, b, c, f)` the four `tables`' lines,
	/// [`LANES`] pairs at a time (lanes past the end repeat the last pair, weighed 0), each
	/// node's products summed unreduced.
	#[inline(always)]
	fn round_sums(
		tables: [&[Ext]; 4],
		weights: &[Ext],
		pairs: core::ops::Range<usize>,
		alpha: Ext,
		x_node: Ext,
	) -> [Ext; 2] {
		let mut acc = [Lanes::wide_zero(); 2];
		for start in pairs.clone().step_by(LANES) {
			let count = LANES.min(pairs.end - start);
			let group: [usize; LANES] = core::array::from_fn(|l| start + l.min(count - 1));
			let w = Lanes(core::array::from_fn(|l| if l < count { weights[group[l]] } else { Ext::zero() }));
			// Each table's pairs: the value at 0 and the slope.
			let [a, b, c, f] = tables.map(|table| {
				let lo = Lanes(group.map(|i| table[2 * i]));
				(lo, lo.plus(Lanes(group.map(|i| table[2 * i + 1]))))
			});
			let at_zero = a.0.times(b.0).plus(c.0.times(f.0).scale(&alpha));
			at_zero.add_times(w, &mut acc[0]);
			let at_x = |(lo, slope): (Lanes, Lanes)| lo.plus(slope.scale(&x_node));
			let at_x_node = at_x(a).times(at_x(b)).plus(at_x(c).times(at_x(f)).scale(&alpha));
			at_x_node.add_times(w, &mut acc[1]);
		}
		acc.map(|wide| Lanes::reduce(wide).0.iter().fold(Ext::zero(), |sum, v| sum.add(v)))
	}

	/// `Σ_i values_i · weights_i`.
	pub(crate) fn dot(values: &[Ext], weights: &[Ext]) -> Ext {
		values.iter().zip(weights).fold(Ext::zero(), |acc, (v, w)| acc.add(&v.fast_mul(w)))
	}

	/// The stacked leaves: each table's at its offset, 1 elsewhere.
	pub(crate) fn stack<'a>(shape: &BusShape, leaves: impl Iterator<Item = &'a [Ext]>) -> Vec<Ext> {
		let mut stacked = alloc::vec![Ext::one(); 1usize << shape.num_vars];
		for (table, values) in shape.tables.iter().zip(leaves) {
			let start = table.offset as usize;
			stacked[start..start + values.len()].copy_from_slice(values);
		}
		stacked
	}

	/// Every layer of the product tree over `leaves` (`2^n` values): entry `ℓ` has `2^ℓ` values
	/// (entry 0 the product), `V_ℓ[i] = V_(ℓ+1)[i] · V_(ℓ+1)[i + 2^ℓ]`.
	pub(crate) fn layers(leaves: Vec<Ext>, n: usize) -> Vec<Vec<Ext>> {
		let mut layers = alloc::vec![Vec::new(); n + 1];
		layers[n] = leaves;
		for l in (0..n).rev() {
			let (low, high) = layers[l + 1].split_at(1 << l);
			layers[l] = low.iter().zip(high).map(|(a, b)| a.fast_mul(b)).collect();
		}
		layers
	}

	/// Layer `ℓ`'s sumcheck, from the claims on `V_ℓ` at `point` to claims on `V_(ℓ+1)` (`next_s`
	/// and `next_r`, `2^(ℓ+1)` values each) at the returned point. Each round sends `q` (the
	/// round polynomial without its `eq` factor, degree 2) at 0 and `x` ([`EqClaim`]).
	#[allow(clippy::type_complexity)]
	fn prove_layer(
		next_s: &[Ext],
		next_r: &[Ext],
		point: &[Ext],
		claims: (Ext, Ext),
		transcript: &mut Transcript,
		first: bool,
		forge: BusForge,
	) -> Result<(BusLayer, Vec<Ext>, (Ext, Ext)), ZerocheckError> {
		let half = next_s.len() / 2;
		let alpha = transcript.challenge();
		let (mut s0, mut s1) = (next_s[..half].to_vec(), next_s[half..].to_vec());
		let (mut r0, mut r1) = (next_r[..half].to_vec(), next_r[half..].to_vec());
		let x_node = nodes(3)[2];
		let interpolator = Interpolator::new(3);
		let mut claim = claims.0.add(&alpha.fast_mul(&claims.1));
		let mut rounds = Vec::with_capacity(point.len());
		let mut rho = Vec::with_capacity(point.len() + 1);
		for (k, &coordinate) in point.iter().enumerate() {
			// q(X) = Σ_x' eq(p_(>k), x') · f(ς, X, x'), at 0 and x.
			let weights = eq_table(&point[k + 1..]);
			let tables = [&s0[..], &s1[..], &r0[..], &r1[..]];
			let sums = |pairs: core::ops::Range<usize>| {
				agentic_pcs::field::accelerated(
					#[inline(always)]
					|| round_sums(tables, &weights, pairs, alpha, x_node),
				)
			};
			// With feature `parallel`, chunks of pairs on every core (a sum is a XOR: the same
			// bits whatever the split).
			#[cfg(feature = "parallel")]
			let q = {
				use rayon::prelude::*;
				let starts: Vec<usize> = (0..weights.len()).step_by(PAIRS_PER_TASK).collect();
				starts
					.into_par_iter()
					.map(|start| sums(start..(start + PAIRS_PER_TASK).min(weights.len())))
					.reduce(|| [Ext::zero(); 2], |a, b| [a[0].add(&b[0]), a[1].add(&b[1])])
			};
			#[cfg(not(feature = "parallel"))]
			let q = sums(0..weights.len());
			transcript.absorb_exts(b"zc/bus/round", &q);
			rounds.push(q.map(|e| e.poly().value()));
			let x = transcript.challenge();
			claim = next_claim(&interpolator, claim, coordinate, &q, x)
				.ok_or(ZerocheckError::BadShape("a zero challenge coordinate (probability n / 2^128)"))?;
			rho.push(x);
			for table in [&mut s0, &mut s1, &mut r0, &mut r1] {
				fold_pairs(table, &x);
			}
		}
		#[cfg_attr(not(feature = "unchecked"), allow(unused_mut))]
		let mut values = [s0[0], s1[0], r0[0], r1[0]];
		#[cfg(feature = "unchecked")]
		if let (BusForge::OutputsAndLayer(_), true) = (forge, first) {
			// u_0 u_1 + α v_0 v_1 = claim, solved for u_0.
			let products = claim.add(&alpha.fast_mul(&values[2].fast_mul(&values[3])));
			values[0] = products.fast_mul(&values[1].inv());
		}
		let _ = (first, forge);
		transcript.absorb_exts(b"zc/bus/layer", &values);
		let mu = transcript.challenge();
		rho.push(mu);
		let layer = BusLayer { rounds, values: values.map(|e| e.poly().value()) };
		Ok((layer, rho, (line(values[0], values[1], mu), line(values[2], values[3], mu))))
	}
}

#[cfg(all(test, feature = "prover"))]
mod tests {
	use super::{prover::*, *};

	fn ext(i: u64) -> Ext {
		Ext::from_value((i as u128).wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835) ^ 0x1234)
	}

	fn shapes(heights: &[(u8, bool)]) -> Vec<Shape> {
		heights.iter().map(|&(num_vars, interacts)| Shape { num_vars, round_degree: 3, interacts }).collect()
	}

	#[test]
	fn tables_stack_largest_first_at_aligned_offsets() {
		let shape = BusShape::new(&shapes(&[(3, true), (5, true), (4, false), (3, true), (1, true)])).unwrap();
		let got: Vec<(usize, u8, u64)> = shape.tables.iter().map(|b| (b.table, b.num_vars, b.offset)).collect();
		assert_eq!(got, vec![(0, 3, 32), (1, 5, 0), (3, 3, 40), (4, 1, 48)]);
		assert_eq!(shape.num_vars, 6, "50 values stack in 2^6");
		for b in &shape.tables {
			assert_eq!(b.offset % (1 << b.num_vars), 0);
		}
		assert_eq!(BusShape::new(&shapes(&[(3, false)])), None);
		assert_eq!(BusShape::new(&shapes(&[(1, true)])).unwrap().num_vars, 1);
	}

	#[test]
	fn layers_multiply_to_the_product() {
		for n in 0..=10usize {
			let leaves: Vec<Ext> = (0..1u64 << n).map(ext).collect();
			let product = leaves.iter().fold(Ext::one(), |acc, v| acc.fast_mul(v));
			let layers = layers(leaves, n);
			assert_eq!(layers[0], vec![product], "n {n}");
			for (l, layer) in layers.iter().enumerate() {
				assert_eq!(layer.len(), 1 << l);
			}
		}
	}

	/// The recombination of the tables' extensions is the stacked, 1-padded vector's extension:
	/// pins the variable order, the offsets and the padding term.
	#[test]
	fn leaf_claims_recombine_to_the_stack() {
		for heights in [
			vec![(1, true)],
			vec![(3, true), (5, true), (2, false), (3, true), (1, true)],
			vec![(4, true), (4, true), (4, true)],
		] {
			let shape = BusShape::new(&shapes(&heights)).unwrap();
			let leaves: Vec<Vec<Ext>> = shape
				.tables
				.iter()
				.map(|b| (0..1u64 << b.num_vars).map(|i| ext(i + 100 * b.table as u64)).collect())
				.collect();
			let stacked = stack(&shape, leaves.iter().map(|l| &l[..]));
			for seed in 0..4u64 {
				let point: Vec<Ext> = (0..shape.num_vars as u64).map(|j| ext(1000 * seed + j + 7)).collect();
				let direct = dot(&stacked, &ligerito::utils::eq_table_lsb(&point));
				let parts = shape
					.tables
					.iter()
					.zip(&leaves)
					.map(|(b, l)| dot(l, &ligerito::utils::eq_table_lsb(&point[..b.num_vars as usize])));
				assert_eq!(shape.recombine(&point, parts), direct, "{heights:?}");
			}
		}
	}

	/// Leaves that balance (the receives a permutation of the sends), proven and verified; then
	/// every forgery of the bus part, and a changed leaf.
	#[test]
	fn a_balanced_bus_proves_and_forgeries_fail() {
		for heights in [vec![(1, true)], vec![(2, true), (1, true)], vec![(3, true), (5, true), (3, true), (1, true)]] {
			let shape = BusShape::new(&shapes(&heights)).unwrap();
			let sends: Vec<Vec<Ext>> = shape
				.tables
				.iter()
				.map(|b| (0..1u64 << b.num_vars).map(|i| ext(i * 31 + b.table as u64)).collect())
				.collect();
			let mut all: Vec<Ext> = sends.iter().flatten().copied().collect();
			all.reverse();
			let mut receives = Vec::new();
			for s in &sends {
				receives.push(all.drain(..s.len()).collect::<Vec<_>>());
			}
			let leaves: Vec<(Vec<Ext>, Vec<Ext>)> = sends.into_iter().zip(receives).collect();
			let statement = Tables { context: Vec::new(), tables: Vec::new(), public_interactions: Vec::new() };
			let run = |leaves: &[(Vec<Ext>, Vec<Ext>)], checked: bool, forge: BusForge| {
				let mut transcript = Transcript::new(b"test");
				let (proof, claims) = prove_bus(&shape, leaves, &statement, &[], &mut transcript, checked, forge)?;
				shape.check(&proof)?;
				let mut transcript = Transcript::new(b"test");
				let verified = verify_bus(&shape, &proof, &statement, &[], &mut transcript)?;
				assert_eq!(verified, claims, "prover and verifier agree on the claims");
				// The claims are the tables' extensions at the point.
				for (b, (s, r)) in shape.tables.iter().zip(leaves) {
					let eq = ligerito::utils::eq_table_lsb(&verified.point[..b.num_vars as usize]);
					let k = shape.tables.iter().position(|x| x == b).unwrap();
					if verified.leaves[k] != (dot(s, &eq), dot(r, &eq)) {
						return Err(ZerocheckError::FinalCheckFailed);
					}
				}
				Ok::<_, ZerocheckError>(proof)
			};
			let proof = run(&leaves, true, BusForge::None).expect("balanced");
			assert_eq!(proof.layers.len(), shape.num_vars as usize - 1);
			// One leaf changed: the prover refuses, the verifier rejects.
			let mut bad = leaves.clone();
			bad[0].0[0] = bad[0].0[0].add(&Ext::one());
			assert_eq!(run(&bad, true, BusForge::None), Err(ZerocheckError::Unbalanced));
			assert_eq!(run(&bad, false, BusForge::None), Err(ZerocheckError::Unbalanced));
			let n = shape.num_vars;
			let scaled =
				if n == 1 { ZerocheckError::BusLeavesMismatch } else { ZerocheckError::BusLayerFailed { layer: 1 } };
			assert_eq!(run(&leaves, false, BusForge::Outputs(0x77)), Err(scaled));
			let solved = match n {
				1 => ZerocheckError::BusLeavesMismatch,
				2 => ZerocheckError::BusLeavesMismatch,
				_ => ZerocheckError::BusLayerFailed { layer: 2 },
			};
			if n >= 2 {
				assert_eq!(run(&leaves, false, BusForge::OutputsAndLayer(0x77)), Err(solved));
			}
			if shape.tables.len() >= 2 {
				// The bus part accepts them (they recombine); the tables' extensions do not match.
				assert_eq!(run(&leaves, false, BusForge::LeafClaims(0x55)), Err(ZerocheckError::FinalCheckFailed));
			}
			// Any byte of the proof flipped.
			let mut transcript = Transcript::new(b"test");
			let (proof, _) =
				prove_bus(&shape, &leaves, &statement, &[], &mut transcript, true, BusForge::None).unwrap();
			let values: Vec<u128> = proof
				.outputs
				.iter()
				.copied()
				.chain(proof.layers.iter().flat_map(|l| l.rounds.iter().flatten().chain(&l.values).copied()))
				.chain(proof.leaves.iter().flatten().copied())
				.collect();
			for k in 0..values.len() {
				let mut tampered = values.clone();
				tampered[k] ^= 1 << (k % 128);
				let mut it = tampered.into_iter();
				let mut p = proof.clone();
				for v in p
					.outputs
					.iter_mut()
					.chain(p.layers.iter_mut().flat_map(|l| l.rounds.iter_mut().flatten().chain(l.values.iter_mut())))
					.chain(p.leaves.iter_mut().flatten())
				{
					*v = it.next().unwrap();
				}
				let mut transcript = Transcript::new(b"test");
				assert!(verify_bus(&shape, &p, &statement, &[], &mut transcript).is_err(), "value {k} of {heights:?}");
			}
		}
	}
}

//! Recursive openings: what prover and verifier share about the levels.
//!
//! At a level, the verifier would check two things of the combined row `y` (`2^log_rows`
//! values of GF(2^128), zero past the rows the polynomials take up): `⟨y, eq(s_hi)⟩ = Σ γ_g e_g`,
//! and, at every queried leaf `q`, `Enc(y)[q] = Σ_g γ_g ⟨row_{g,q}, eq(s_lo)⟩`. Both are
//! linear in `y` with tensor-structured weights: `Enc(e_i)[q] = Π_{j : bit j of i} s_j(α_q)`
//! (`code::generator_factors`). So instead of sending `y`, the prover
//! commits its coordinates over GF(2^32) as one polynomial `Y` of `log_rows + 2` variables,
//! `Y[4i + k] = c_k(y_i)` with `y_i = Σ_k ι(c_k(y_i)) x^k` ([`crate::field::Subfield`]), and the
//! next level proves the `Q + 1` checks as [`ClaimKind::Tensor`] claims on `Y`: the weight of
//! `Y[4i + k]` is `x^k` times the check's weight on `y_i`, and `x^k = x^(k_0) (x^2)^(k_1)`
//! is a product over the two coordinate bits too.

use crate::{
	code::CodeCache,
	field::{Coords, Subfield},
	layout::Layout,
	Base, Claim, ClaimKind, Ext, Params, LOG_INV_RATE, MAX_LOG_LEAF_WIDTH,
};
use alloc::vec::Vec;
use ligerito_binary_fields::BinaryFieldElement;

/// The most levels a recursive opening has (the first included): the union bound over the
/// levels' query phases takes `log2(MAX_LEVELS)` bits.
pub const MAX_LEVELS: usize = 4;

/// Queries per level of a recursive opening for 100 bits: `MAX_LEVELS · (3/4)^Q < 2^-100`
/// (`246 · log2(4/3) = 102.1`), the argument of `docs/proof-system.md`.
pub const SECURE_NUM_QUERIES_RECURSIVE: u16 = 246;

/// Coordinates of one GF(2^128) value over GF(2^32): the row polynomial's low variables.
const LOG_COORDS: u32 = 2;

/// The estimated bytes of a level that commits `values` base-field values as a polynomial of
/// `num_vars` variables with leaves of `2^w` values and sends its combined row: opened
/// leaves, their Merkle siblings (about `Q` per tree depth below `log2 Q`), the combined row
/// and the sumcheck. An estimate that decides the schedule: prover and verifier compute the
/// same one, nothing else depends on its accuracy.
fn level_bytes(values: u64, num_vars: u32, w: u32, num_queries: u16) -> u64 {
	opened_bytes(num_vars, w, num_queries) + 16 * values.div_ceil(1u64 << w)
}

/// [`level_bytes`] without the combined row: what a level costs whose row is committed.
fn opened_bytes(num_vars: u32, w: u32, num_queries: u16) -> u64 {
	let log_leaves = num_vars - w + LOG_INV_RATE;
	let opened = u64::from(num_queries).min(1u64 << log_leaves);
	let depth_below = log_leaves.saturating_sub(64 - (opened.max(1) - 1).leading_zeros());
	let leaves = 4 * (opened << w);
	let siblings = 32 * opened * u64::from(depth_below);
	leaves + siblings + 48 * u64::from(num_vars) + 16
}

/// The estimated bytes of a recursive opening whose first level has `layout` (one
/// commitment), its later levels by [`next_level`].
fn recursive_bytes(layout: &Layout, num_queries: u16) -> u64 {
	let mut total = opened_bytes(layout.total_vars, layout.log_leaf_width, num_queries);
	let mut layout = layout.clone();
	let mut level = 0;
	while let Some((_, next)) = next_level(&layout, num_queries, level) {
		total += opened_bytes(next.total_vars, next.log_leaf_width, num_queries);
		layout = next;
		level += 1;
	}
	total + 16 * layout.used_rows() as u64
}

impl Params {
	/// The first level's parameters that make a recursive opening of polynomials taking up
	/// `values` values in all shortest under `num_queries` queries by the schedule's estimate:
	/// [`Params::shortest`] for recursive openings, whose first combined row is committed,
	/// not sent (so the best first leaf is narrower). The narrower of two ties; the narrowest
	/// width if no width gives a valid layout (more than `2^MAX_NUM_VARS` values, which no
	/// commitment can take).
	pub fn shortest_recursive(values: u64, num_queries: u16) -> Params {
		let total = values.max(1).next_power_of_two().trailing_zeros();
		let high = total.min(MAX_LOG_LEAF_WIDTH as u32);
		let low = total.saturating_sub(26).min(high);
		let estimate = |w: u32| {
			let params = Params { log_leaf_width: w as u8, num_queries };
			let mut layout = Layout::new(&params, &[total as u8]).ok()?;
			layout.used = values.max(1);
			Some(recursive_bytes(&layout, num_queries))
		};
		let best = (low..=high).filter_map(|w| Some((estimate(w)?, w))).min().map_or(low, |(_, w)| w);
		Params { log_leaf_width: best as u8, num_queries }
	}
}

/// The next level after a level of `layout` (level number `level`, the first is 0): the
/// parameters and layout of the commitment to its combined row, or `None` when sending the row
/// is shorter (by [`level_bytes`]) or the level is the last [`MAX_LEVELS`] allows. The leaf
/// width is the one [`level_bytes`] finds shortest (the narrower of two ties).
pub(crate) fn next_level(layout: &Layout, num_queries: u16, level: usize) -> Option<(Params, Layout)> {
	if level + 1 >= MAX_LEVELS {
		return None;
	}
	let rows = layout.used_rows() as u64;
	let values = rows << LOG_COORDS;
	let num_vars = layout.log_rows + LOG_COORDS;
	// The layout checks: leaves of at most 2^MAX_LOG_LEAF_WIDTH values, at most 2^28 leaves.
	let widest = num_vars.min(u32::from(MAX_LOG_LEAF_WIDTH));
	let narrowest = (num_vars + LOG_INV_RATE).saturating_sub(28).min(widest);
	let (cost, w) = (narrowest..=widest).map(|w| (level_bytes(values, num_vars, w, num_queries), w)).min()?;
	if cost >= 16 * rows {
		return None;
	}
	let params = Params { log_leaf_width: w as u8, num_queries };
	let mut next = Layout::new(&params, &[num_vars as u8]).ok()?;
	next.used = values;
	Some((params, next))
}

/// The row polynomial `Y` of a combined row (`rows` values, `2^log_rows` with the zeros past
/// them): `Y[4i + k] = c_k(y_i)`.
#[cfg(feature = "prover")]
pub(crate) fn row_polynomial(row: &[Ext], log_rows: u32) -> Vec<Base> {
	let subfield = Subfield::new();
	let mut values = alloc::vec![Base::zero(); 1usize << (log_rows + LOG_COORDS)];
	for (chunk, &y) in values.chunks_exact_mut(1 << LOG_COORDS).zip(row) {
		for (v, c) in chunk.iter_mut().zip(subfield.coords(y)) {
			*v = Base::from_value(c);
		}
	}
	values
}

/// The claims the next level proves about the row polynomial of a level of `layout`: first
/// `⟨y, eq(s_hi)⟩ = target`, then per queried leaf (`queries[i]`, sorted) `Enc(y)[q] = leaf_values[i]`.
pub(crate) fn row_claims(
	layout: &Layout,
	codes: &mut CodeCache,
	s_hi: &[Ext],
	target: Ext,
	queries: &[usize],
	leaf_values: &[Coords],
) -> Vec<Claim> {
	// The coordinate bits: x^k = x^(k_0) · (x^2)^(k_1).
	let x = Ext::from_value(2);
	let coordinates = [Ext::one(), x, Ext::one(), x.mul(&x)];
	let claim =
		|pairs: Vec<Ext>, value: Ext| Claim { commitment: 0, poly: 0, kind: ClaimKind::Tensor, point: pairs, value };
	let mut claims = Vec::with_capacity(1 + queries.len());
	let mut pairs = coordinates.to_vec();
	pairs.extend(s_hi.iter().flat_map(|r| [Ext::one().add(r), *r]));
	claims.push(claim(pairs, target));
	for (&q, value) in queries.iter().zip(leaf_values) {
		let mut pairs = coordinates.to_vec();
		let factors = codes.generator_factors(layout.log_rows, q);
		pairs.extend(factors.iter().flat_map(|f| [Ext::one(), Ext::from(Base::from_value(f.0))]));
		claims.push(claim(pairs, Subfield::compose(*value)));
	}
	claims
}

#[cfg(test)]
mod tests {
	use super::*;

	/// The schedule recurses on long rows, stops on short ones and after the last level, and
	/// its layouts are valid commitments of the row polynomial.
	#[test]
	fn the_schedule_recurses_while_it_saves_bytes() {
		let q = SECURE_NUM_QUERIES_RECURSIVE;
		for (num_vars, w) in [(22u8, 9u8), (26, 10), (18, 8), (12, 6)] {
			let params = Params { log_leaf_width: w, num_queries: q };
			let mut layout = Layout::new(&params, &[num_vars]).unwrap();
			let mut level = 0;
			while let Some((next_params, next)) = next_level(&layout, q, level) {
				assert_eq!(next.total_vars, layout.log_rows + 2);
				assert_eq!(next.used, 4 * layout.used_rows() as u64);
				assert_eq!(next.log_leaf_width, u32::from(next_params.log_leaf_width));
				assert!(next.used_rows() < layout.used_rows(), "each level shrinks the row");
				layout = next;
				level += 1;
			}
			if num_vars >= 22 {
				assert!(level >= 1, "2^{num_vars} values: {level} recursive levels");
			}
		}
		// The first leaf of a recursive opening is narrower than a one-level opening's.
		for values in [1u64 << 20, 3 << 20, 1 << 24] {
			let (one, recursive) = (Params::shortest(values, q), Params::shortest_recursive(values, q));
			assert!(recursive.log_leaf_width < one.log_leaf_width, "{values} values: {recursive:?} vs {one:?}");
		}
		// A short row is sent.
		let params = Params { log_leaf_width: 4, num_queries: q };
		assert_eq!(next_level(&Layout::new(&params, &[10]).unwrap(), q, 0), None);
	}
}

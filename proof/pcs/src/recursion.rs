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
use alloc::{collections::BTreeMap, vec::Vec};
use ligerito_binary_fields::BinaryFieldElement;

/// The most levels a recursive opening has (the first included): the union bound over the
/// levels' query phases takes `log2(MAX_LEVELS)` bits. Three, because a fourth level would save
/// a few KB at `N = 26` and make its last matrix shorter than smaller `N`'s, so that `N = 26`
/// would no longer cost the verifier the most in every kind of work (the weight's argument).
pub const MAX_LEVELS: usize = 3;

/// Queries per level of a recursive opening for 100 bits with [`SECURE_GRINDING_BITS`] of work
/// before each level's queries: `MAX_LEVELS · (3/4)^Q · 2^-16 < 2^-100` (`207 · log2(4/3) +
/// 16 - log2(3) = 100.3`), the argument of `docs/proof-system.md`.
pub const SECURE_NUM_QUERIES_RECURSIVE: u16 = 207;

/// Bits of work before each level's queries of a recursive opening (grinding,
/// [`Params::grinding_bits`]): about `2^16` hashes per level for the prover, one for the verifier.
pub const SECURE_GRINDING_BITS: u8 = 16;

/// Coordinates of one GF(2^128) value over GF(2^32): the row polynomial's low variables.
const LOG_COORDS: u32 = 2;

/// The estimated bytes of a committed level of a polynomial of `num_vars` variables with leaves
/// of `2^w` values, without its combined row: opened leaves, their Merkle siblings (about `Q`
/// per tree depth below `log2 Q`), the sumcheck, the root and the evaluation. An estimate that
/// decides the schedule: prover and verifier compute the same one, nothing else depends on its
/// accuracy.
fn opened_bytes(num_vars: u32, w: u32, num_queries: u16) -> u64 {
	let log_leaves = num_vars - w + LOG_INV_RATE;
	let opened = u64::from(num_queries).min(1u64 << log_leaves);
	let depth_below = log_leaves.saturating_sub(64 - (opened.max(1) - 1).leading_zeros());
	let leaves = 4 * (opened << w);
	let siblings = crate::NODE_BYTES as u64 * opened * u64::from(depth_below);
	leaves + siblings + 32 * u64::from(num_vars) + 16
}

/// The stack the schedule is planned for, in a polynomial of `num_vars` variables: three
/// quarters of `2^num_vars` values (a stack of `N` variables holds more than `2^(N-1)`).
/// The values a proof actually stacks enter no decision, so that a level's shape, and with it
/// the verifier's work, is a function of `N` alone (review SB-1, SB-2). A row of `3 · 2^k`
/// values committed with leaves of at most `2^k` values gives the next level a reference stack
/// again (`4 · 3 · 2^(k-w)` values in `k - w + 2` variables), so every level is planned alike.
fn reference_values(num_vars: u32) -> u64 {
	if num_vars >= 2 {
		3u64 << (num_vars - 2)
	} else {
		1u64 << num_vars
	}
}

/// The search behind the schedule: over every remaining level, which leaf width each commits
/// with and where the row is sent, for the fewest estimated bytes ([`opened_bytes`] plus the
/// last row). Looking ahead matters: choosing each width as if that level's row were sent
/// (the rule until session 13) took a wider leaf at `N = 26` on large stacks and a longer proof.
struct Planner {
	num_queries: u16,
	/// `(level, num_vars, values)` → the best estimate from that level on and its leaf width.
	memo: BTreeMap<(usize, u32, u64), Option<(u64, u32)>>,
}

impl Planner {
	fn new(num_queries: u16) -> Planner {
		Planner { num_queries, memo: BTreeMap::new() }
	}

	/// The fewest estimated bytes of level `level` committing `values` values in `num_vars`
	/// variables, and of everything after it, with that level's leaf width (the narrower of
	/// two ties); `None` if no width gives a valid layout.
	fn commit(&mut self, num_vars: u32, values: u64, level: usize) -> Option<(u64, u32)> {
		if let Some(known) = self.memo.get(&(level, num_vars, values)) {
			return *known;
		}
		// The layout checks: leaves of at most 2^MAX_LOG_LEAF_WIDTH values, at most 2^28 leaves.
		let widest = num_vars.min(u32::from(MAX_LOG_LEAF_WIDTH));
		let narrowest = (num_vars + LOG_INV_RATE).saturating_sub(28);
		let mut best = None;
		for w in narrowest..=widest {
			let rows = values.div_ceil(1u64 << w);
			let (after, _) = self.after(num_vars - w, rows, level);
			let cost = opened_bytes(num_vars, w, self.num_queries) + after;
			if best.map_or(true, |(b, _)| cost < b) {
				best = Some((cost, w));
			}
		}
		self.memo.insert((level, num_vars, values), best);
		best
	}

	/// After level `level`, whose matrix has `2^log_rows` rows of which `rows` are used: the
	/// fewest estimated bytes of sending the row (`None`) or of committing it with the
	/// returned leaf width, and everything after. Sending wins ties; nothing is committed past
	/// [`MAX_LEVELS`].
	fn after(&mut self, log_rows: u32, rows: u64, level: usize) -> (u64, Option<u32>) {
		let send = 16 * rows;
		if level + 1 >= MAX_LEVELS {
			return (send, None);
		}
		match self.commit(log_rows + LOG_COORDS, rows << LOG_COORDS, level + 1) {
			Some((cost, w)) if cost < send => (cost, Some(w)),
			_ => (send, None),
		}
	}
}

impl Params {
	/// The first level's parameters of a recursive opening of polynomials taking up `values`
	/// values in all, under `num_queries` queries: the leaf width the schedule's search finds
	/// shortest for the reference stack of `N = ⌈log2 values⌉` variables (so a function of `N`
	/// alone). [`Params::shortest`] for recursive openings, whose first combined row is
	/// committed, not sent (so the best first leaf is narrower). The narrowest width if no
	/// width gives a valid layout (more than `2^MAX_NUM_VARS` values, which no commitment can
	/// take).
	pub fn shortest_recursive(values: u64, num_queries: u16, grinding_bits: u8) -> Params {
		let total = values.max(1).next_power_of_two().trailing_zeros();
		let mut planner = Planner::new(num_queries);
		let low = (total + LOG_INV_RATE).saturating_sub(28);
		let best = planner.commit(total, reference_values(total), 0).map_or(low, |(_, w)| w);
		Params { log_leaf_width: best as u8, num_queries, grinding_bits }
	}
}

/// The next level after a level of `layout` under `params` (level number `level`, the first is
/// 0): the parameters (`params`' queries and grinding) and layout of the commitment to its combined row, or `None` when the schedule
/// sends the row here. Planned on the reference stack of `layout.total_vars` variables, not on
/// the values `layout` uses: the levels and widths are a function of the first level's `N` and
/// leaf width alone. The next layout's `used` values are the used rows' coordinates.
pub(crate) fn next_level(layout: &Layout, params: &Params, level: usize) -> Option<(Params, Layout)> {
	let reference_rows = reference_values(layout.total_vars).div_ceil(1u64 << layout.log_leaf_width);
	let (_, width) = Planner::new(params.num_queries).after(layout.log_rows, reference_rows, level);
	let params = Params { log_leaf_width: width? as u8, ..*params };
	// Valid by construction: the search only takes widths the layout admits.
	let next = Layout::new(&params, &[(layout.log_rows + LOG_COORDS) as u8]);
	debug_assert!(next.is_ok(), "the schedule chose a width the layout refuses");
	let mut next = next.ok()?;
	next.used = (layout.used_rows() as u64) << LOG_COORDS;
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

	const Q: u16 = SECURE_NUM_QUERIES_RECURSIVE;

	/// The levels' layouts of a recursive opening of one polynomial of `n` variables of which
	/// `used` values are stacked.
	fn schedule(n: u32, used: u64) -> Vec<Layout> {
		let params = Params::shortest_recursive(used, Q, SECURE_GRINDING_BITS);
		let mut layout = Layout::new(&params, &[n as u8]).unwrap();
		layout.used = used;
		let mut levels = alloc::vec![layout];
		while let Some((_, next)) = next_level(levels.last().unwrap(), &params, levels.len() - 1) {
			levels.push(next);
		}
		levels
	}

	fn widths(levels: &[Layout]) -> Vec<u32> {
		levels.iter().map(|l| l.log_leaf_width).collect()
	}

	/// The schedule recurses on long rows, stops on short ones and after the last level, and
	/// its layouts are valid commitments of the row polynomial.
	#[test]
	fn the_schedule_recurses_while_it_saves_bytes() {
		for (num_vars, w) in [(22u8, 9u8), (26, 10), (18, 8), (12, 6)] {
			let params = Params { log_leaf_width: w, num_queries: Q, grinding_bits: 0 };
			let mut layout = Layout::new(&params, &[num_vars]).unwrap();
			let mut level = 0;
			while let Some((next_params, next)) = next_level(&layout, &params, level) {
				assert_eq!(next.total_vars, layout.log_rows + 2);
				assert_eq!(next.used, 4 * layout.used_rows() as u64);
				assert_eq!(next.log_leaf_width, u32::from(next_params.log_leaf_width));
				assert!(next.used_rows() < layout.used_rows(), "each level shrinks the row");
				layout = next;
				level += 1;
			}
			assert!(level < MAX_LEVELS);
			if num_vars >= 22 {
				assert!(level >= 1, "2^{num_vars} values: {level} recursive levels");
			}
		}
		// The first leaf of a recursive opening is narrower than a one-level opening's.
		for values in [1u64 << 20, 3 << 20, 1 << 24] {
			let (one, recursive) =
				(Params::shortest(values, Q, 0), Params::shortest_recursive(values, Q, SECURE_GRINDING_BITS));
			assert!(recursive.log_leaf_width < one.log_leaf_width, "{values} values: {recursive:?} vs {one:?}");
		}
		// A short row is sent.
		let params = Params { log_leaf_width: 4, num_queries: Q, grinding_bits: 0 };
		assert_eq!(next_level(&Layout::new(&params, &[10]).unwrap(), &params, 0), None);
	}

	/// The levels and widths depend on `N` alone, not on the values a stack uses (review SB-1:
	/// at `N = 26` a stack above `0.9009 · 2^26` values used to take wider leaves), and are
	/// pinned for the `N` the chain admits: a change of the schedule changes every proof and
	/// the weight's argument (`docs/proof-system.md`), so it must be deliberate. The widths
	/// were cross-checked against an independent model of the search.
	#[test]
	fn the_schedule_is_a_function_of_n_alone() {
		let pinned: [(u32, &[u32]); 19] = [
			(8, &[2]),
			(9, &[3]),
			(10, &[3]),
			(11, &[4]),
			(12, &[4]),
			(13, &[4]),
			(14, &[4]),
			(15, &[5]),
			(16, &[5]),
			(17, &[6]),
			(18, &[5, 5]),
			(19, &[5, 5]),
			(20, &[6, 5]),
			(21, &[5, 5, 5]),
			(22, &[6, 5, 5]),
			(23, &[6, 5, 5]),
			(24, &[6, 6, 5]),
			(25, &[6, 6, 6]),
			(26, &[6, 6, 6]),
		];
		for (n, expected) in pinned {
			for used in [(1u64 << (n - 1)) + 1, 3 << (n - 2), (1 << n) - (1 << (n - 3)) + 7, 1 << n] {
				assert_eq!(widths(&schedule(n, used)), expected, "N = {n}, {used} values");
			}
		}
		for n in 0..=26 {
			let full = widths(&schedule(n, 1 << n));
			assert_eq!(widths(&schedule(n, (1 << n) / 2 + 1)), full, "N = {n}");
		}
	}

	/// The query phases' security: `Q · log2(4/3) + b − log2(MAX_LEVELS) ≥ 100` bits at the
	/// production constants (`docs/proof-system.md`, stage 1 "Recursive openings"), so that
	/// changing one of them without the others fails here.
	#[test]
	fn the_secure_constants_give_100_bits() {
		let bits =
			|q: u16, b: u8, levels: usize| f64::from(q) * (4f64 / 3.0).log2() + f64::from(b) - (levels as f64).log2();
		let secure = bits(SECURE_NUM_QUERIES_RECURSIVE, SECURE_GRINDING_BITS, MAX_LEVELS);
		assert!(secure >= 100.0, "{secure}");
		assert!(bits(SECURE_NUM_QUERIES_RECURSIVE - 1, SECURE_GRINDING_BITS, MAX_LEVELS) < 100.0, "Q is the least");
		assert!(bits(SECURE_NUM_QUERIES_RECURSIVE, SECURE_GRINDING_BITS, MAX_LEVELS + 1) < 100.0);
		assert!(f64::from(crate::SECURE_NUM_QUERIES) * (4f64 / 3.0).log2() >= 100.0);
	}

	/// What the verifier does per level, by kind, at most (a full stack, every sibling path
	/// disjoint): every `N` of the chain costs at most what `N = 26` costs, kind by kind, so one
	/// benchmarked opening of `N = 26` covers any opening (`docs/proof-system.md`, the weight).
	#[test]
	fn no_n_costs_the_verifier_more_than_n_26() {
		#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Clone, Copy)]
		struct Work {
			levels: usize,
			leaf_values: u64,
			worst_siblings: u64,
			last_rows: u64,
			tensor_claim_vars: u64,
			sumcheck_rounds: u64,
		}
		let work = |n: u32| {
			let levels = schedule(n, 1 << n);
			let q = u64::from(Q);
			let opened = |l: &Layout| q.min(1 << l.log_leaves);
			Work {
				levels: levels.len(),
				leaf_values: levels.iter().map(|l| opened(l) << l.log_leaf_width).sum(),
				worst_siblings: levels
					.iter()
					.map(|l| (0..l.log_leaves).map(|d| q.min(1 << (l.log_leaves - d - 1))).sum::<u64>())
					.sum(),
				last_rows: 1 << levels.last().unwrap().log_rows,
				tensor_claim_vars: levels[1..].iter().map(|l| (q + 1) * u64::from(l.total_vars)).sum(),
				sumcheck_rounds: levels.iter().map(|l| u64::from(l.total_vars)).sum(),
			}
		};
		let top = work(26);
		assert_eq!(top.levels, 3);
		for n in 0..26 {
			let w = work(n);
			assert!(
				w.levels <= top.levels
					&& w.leaf_values <= top.leaf_values
					&& w.worst_siblings <= top.worst_siblings
					&& w.last_rows <= top.last_rows
					&& w.tensor_claim_vars <= top.tensor_claim_vars
					&& w.sumcheck_rounds <= top.sumcheck_rounds,
				"N = {n}: {w:?} against N = 26: {top:?}"
			);
		}
	}
}

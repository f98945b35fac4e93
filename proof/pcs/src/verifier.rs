//! Checking an opening proof. Builds `no_std`; every check runs before the value it guards is
//! used, and no input makes it panic.

use crate::{
	code::CodeCache,
	ext, ext_value,
	field::{mul, reduce, Coords, Subfield},
	hash::row_hash,
	layout::{eq_eval, eq_table, evaluate, successor, tensor_eval, Layout},
	merkle::{self, Node},
	recursion::{next_level, row_claims},
	Base, Claim, ClaimKind, Commitment, Ext, LeafOpening, OpeningProof, Params, PcsError, RecursiveOpeningProof,
	Transcript, MAX_LEVELS,
};
use alloc::vec::Vec;
use ligerito::sumcheck_polys::eval_round_poly;
use ligerito_binary_fields::BinaryFieldElement;

/// Which level of an opening a statement opens: the caller's commitments, or the commitment to
/// the combined row of a recursive opening's previous level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Level {
	/// The caller's commitments and claims.
	First,
	/// A row polynomial of a recursive opening, taking up its first `used` values. Its claims
	/// are [`crate::recursion::row_claims`]: their points are functions of what the transcript
	/// already holds (the previous level's point and queries), so only their values are
	/// absorbed.
	Row {
		/// Values of the row polynomial that can be nonzero.
		used: u64,
	},
}

/// What prover and verifier both do before the first challenge: check the shapes and absorb the
/// parameters, every commitment and every claim. Returns the common layout.
pub(crate) fn absorb_statement(
	params: &Params,
	commitments: &[Commitment],
	claims: &[Claim],
	level: Level,
	transcript: &mut Transcript,
) -> Result<Layout, PcsError> {
	let first = commitments.first().ok_or(PcsError::BadShape("no commitments"))?;
	if commitments.len() > crate::MAX_COMMITMENTS {
		return Err(PcsError::BadShape("more commitments than MAX_COMMITMENTS"));
	}
	if commitments.iter().any(|c| c.num_vars != first.num_vars) {
		return Err(PcsError::BadShape("the commitments of one opening must have the same shape"));
	}
	let mut layout = Layout::new(params, &first.num_vars)?;
	if let Level::Row { used } = level {
		layout.used = used.min(layout.used);
	}
	if claims.is_empty() {
		return Err(PcsError::BadClaim("no claims"));
	}
	if claims.len() > crate::MAX_CLAIMS {
		return Err(PcsError::BadClaim("more claims than MAX_CLAIMS"));
	}
	for claim in claims {
		if claim.commitment as usize >= commitments.len() {
			return Err(PcsError::BadClaim("no such commitment"));
		}
		let Some(&n) = layout.num_vars.get(claim.poly as usize) else {
			return Err(PcsError::BadClaim("no such polynomial"));
		};
		if claim.point.len() != claim.kind.point_len(n) {
			return Err(PcsError::BadClaim("the point has the wrong number of coordinates"));
		}
	}

	transcript.absorb_bytes(
		b"pcs/scheme",
		b"agentic-pcs-v7: evaluation form, lsb first, rate 1/4, stacked, grinding, 26-byte nodes, h(1) derived, \
		  claims in one record, batching by powers, packed claims",
	);
	transcript.absorb_u64(b"pcs/log_leaf_width", params.log_leaf_width as u64);
	transcript.absorb_u64(b"pcs/num_queries", params.num_queries as u64);
	transcript.absorb_u64(b"pcs/grinding_bits", params.grinding_bits as u64);
	transcript.absorb_bytes(b"pcs/num_vars", &first.num_vars);
	transcript.absorb_u64(b"pcs/commitments", commitments.len() as u64);
	for c in commitments {
		transcript.absorb_root(b"pcs/root", &c.root);
	}
	transcript.absorb_u64(b"pcs/claims", claims.len() as u64);
	match level {
		Level::First => {
			// Every claim, one fixed-size record after another (the point's length first): one
			// message for all of them.
			let mut record = Vec::with_capacity(claims.iter().map(|c| 48 + 16 * c.point.len()).sum());
			for claim in claims {
				for word in [claim.commitment as u64, claim.poly as u64, claim.kind.tag(), claim.point.len() as u64] {
					record.extend_from_slice(&word.to_le_bytes());
				}
				for value in claim.point.iter().chain([&claim.value]) {
					record.extend_from_slice(&ext_value(*value).to_le_bytes());
				}
			}
			transcript.absorb_bytes(b"pcs/claims/records", &record);
		},
		Level::Row { used } => {
			transcript.absorb_u64(b"pcs/row/used", used);
			let values: Vec<Ext> = claims.iter().map(|c| c.value).collect();
			transcript.absorb_exts(b"pcs/row/claim_values", &values);
		},
	}
	Ok(layout)
}

/// Checks that `proof` proves every claim in `claims` about `commitments` under `params`.
///
/// The transcript must be in the same state as the prover's was when it called
/// [`crate::prover::open`]; the caller absorbs whatever the claims were derived from (in
/// particular the commitments, before it drew the points).
pub fn verify(
	params: &Params,
	commitments: &[Commitment],
	claims: &[Claim],
	proof: &OpeningProof,
	transcript: &mut Transcript,
) -> Result<(), PcsError> {
	verify_with(params, commitments, claims, proof, transcript, &mut CodeCache::default())
}

/// [`verify`] with the codes already built by earlier openings of the same verification.
pub fn verify_with(
	params: &Params,
	commitments: &[Commitment],
	claims: &[Claim],
	proof: &OpeningProof,
	transcript: &mut Transcript,
	codes: &mut CodeCache,
) -> Result<(), PcsError> {
	verify_clear(params, commitments, claims, Level::First, proof, transcript, codes)
}

/// Checks that a recursive opening proves every claim in `claims` about `commitments` under
/// `params` (the first level's; the later levels' follow from it). The transcript must be in
/// the state the prover's was in when it called [`crate::prover::open_recursive`].
pub fn verify_recursive(
	params: &Params,
	commitments: &[Commitment],
	claims: &[Claim],
	proof: &RecursiveOpeningProof,
	transcript: &mut Transcript,
) -> Result<(), PcsError> {
	verify_recursive_with(params, commitments, claims, proof, transcript, &mut CodeCache::default())
}

/// [`verify_recursive`] with the codes already built by earlier openings of the same
/// verification.
pub fn verify_recursive_with(
	params: &Params,
	commitments: &[Commitment],
	claims: &[Claim],
	proof: &RecursiveOpeningProof,
	transcript: &mut Transcript,
	codes: &mut CodeCache,
) -> Result<(), PcsError> {
	transcript.absorb_u64(b"pcs/recursive/max_levels", MAX_LEVELS as u64);
	if proof.levels.len() >= MAX_LEVELS {
		return Err(PcsError::Malformed("more levels than MAX_LEVELS"));
	}
	let mut params = *params;
	let mut level = Level::First;
	// The row levels' statements, owned (the first level's are the caller's).
	let mut row_statement: Option<(Commitment, Vec<Claim>)> = None;
	for (number, proof_level) in proof.levels.iter().enumerate() {
		let (commitments, claims) = match &row_statement {
			None => (commitments, claims),
			Some((commitment, claims)) => (core::slice::from_ref(commitment), &claims[..]),
		};
		let reduced = check_reduction(
			&params,
			commitments,
			claims,
			level,
			&proof_level.sumcheck,
			&proof_level.evaluations,
			transcript,
		)?;
		let layout = &reduced.layout;
		let (next_params, next_layout) =
			next_level(layout, &params, number).ok_or(PcsError::Malformed("a level the schedule does not have"))?;
		transcript.absorb_root(b"pcs/row_root", &proof_level.row_root);
		let queries = transcript
			.queries(params.grinding_bits, proof_level.nonce, layout.leaves(), params.num_queries as usize)
			.ok_or(PcsError::NotEnoughWork)?;
		let rows = check_leaves(layout, commitments, &proof_level.openings, &queries)?;
		let (s_lo, s_hi) = reduced.point.split_at(layout.log_leaf_width as usize);
		let leaf_weights = LeafWeights::new(s_lo, &reduced.gammas, codes.subfield());
		let leaf_values: Vec<Coords> =
			(0..queries.len()).map(|i| leaf_weights.combine(rows.iter().map(|leaves| &leaves[i][..]))).collect();
		let target =
			reduced.evaluations.iter().zip(&reduced.gammas).fold(Ext::zero(), |acc, (e, g)| acc.add(&mul(e, g)));
		let next_claims = row_claims(layout, codes, s_hi, target, &queries, &leaf_values);
		let commitment = Commitment { root: proof_level.row_root, num_vars: alloc::vec![next_layout.total_vars as u8] };
		row_statement = Some((commitment, next_claims));
		level = Level::Row { used: next_layout.used };
		params = next_params;
	}
	let (commitments, claims) = match &row_statement {
		None => (commitments, claims),
		Some((commitment, claims)) => (core::slice::from_ref(commitment), &claims[..]),
	};
	// The last level: the schedule must end here.
	let check_end = |layout: &Layout| match next_level(layout, &params, proof.levels.len()) {
		Some(_) => Err(PcsError::Malformed("the schedule has a level the proof does not")),
		None => Ok(()),
	};
	verify_clear_then(&params, commitments, claims, level, &proof.last, transcript, codes, check_end)
}

/// What the first part of a level establishes: the claims reduced to the commitments'
/// values at the sumcheck's point.
struct Checked {
	layout: Layout,
	point: Vec<Ext>,
	evaluations: Vec<Ext>,
	gammas: Vec<Ext>,
}

/// The statement, the batching sumcheck and the evaluations of one level, then the draw of the
/// commitments' weights `γ_g`.
fn check_reduction(
	params: &Params,
	commitments: &[Commitment],
	claims: &[Claim],
	level: Level,
	sumcheck: &[[u128; 2]],
	evaluations: &[u128],
	transcript: &mut Transcript,
) -> Result<Checked, PcsError> {
	let layout = absorb_statement(params, commitments, claims, level, transcript)?;
	let total_vars = layout.total_vars as usize;

	// Batching: the powers of one random weight, one per claim.
	let alphas = transcript.challenge_powers(claims.len());
	let mut claim_sum = claims.iter().zip(&alphas).fold(Ext::zero(), |acc, (c, a)| acc.add(&mul(&c.value, a)));

	// The batching sumcheck.
	if sumcheck.len() != total_vars {
		return Err(PcsError::Malformed("sumcheck length"));
	}
	let mut point = Vec::with_capacity(total_vars);
	for msg in sumcheck {
		// h(1) = claim + h(0): the round sums to the claim by construction.
		let (h0, h2) = (ext(msg[0]), ext(msg[1]));
		let h1 = claim_sum.add(&h0);
		transcript.absorb_exts(b"pcs/sumcheck/round", &[h0, h2]);
		let r = transcript.challenge();
		claim_sum = eval_round_poly((h0, h1, h2), r);
		point.push(r);
	}

	// The values at the sumcheck's point must account for its final claim.
	if evaluations.len() != commitments.len() {
		return Err(PcsError::Malformed("number of evaluations"));
	}
	let evaluations: Vec<Ext> = evaluations.iter().map(|&v| ext(v)).collect();
	transcript.absorb_exts(b"pcs/evaluations", &evaluations);
	let weights = claim_weights(&layout, claims, &alphas, &point, commitments.len());
	let expected = evaluations.iter().zip(&weights).fold(Ext::zero(), |acc, (e, w)| acc.add(&mul(e, w)));
	if expected != claim_sum {
		return Err(PcsError::EvaluationMismatch);
	}
	let gammas: Vec<Ext> = commitments.iter().map(|_| transcript.challenge()).collect();
	Ok(Checked { layout, point, evaluations, gammas })
}

/// Checks every commitment's Merkle multiproof at `queries` and returns the opened rows.
fn check_leaves(
	layout: &Layout,
	commitments: &[Commitment],
	openings: &[LeafOpening],
	queries: &[usize],
) -> Result<Vec<Vec<Vec<Base>>>, PcsError> {
	if openings.len() != commitments.len() {
		return Err(PcsError::Malformed("number of leaf openings"));
	}
	let width = layout.leaf_width();
	let mut rows: Vec<Vec<Vec<Base>>> = Vec::with_capacity(commitments.len());
	for (g, (opening, commitment)) in openings.iter().zip(commitments).enumerate() {
		if opening.rows.len() != queries.len() || opening.rows.iter().any(|r| r.len() != width) {
			return Err(PcsError::Malformed("opened leaves"));
		}
		let leaves: Vec<Vec<Base>> =
			opening.rows.iter().map(|r| r.iter().map(|&v| Base::from_value(v)).collect()).collect();
		let hashes: Vec<Node> = leaves.iter().map(|r| merkle::leaf(&row_hash(r))).collect();
		if !merkle::verify(&commitment.root, layout.log_leaves, &hashes, queries, &opening.siblings) {
			return Err(PcsError::MerkleFailed { commitment: g as u32 });
		}
		rows.push(leaves);
	}
	Ok(rows)
}

/// A level whose combined row is sent: [`verify_with`] for any level.
fn verify_clear(
	params: &Params,
	commitments: &[Commitment],
	claims: &[Claim],
	level: Level,
	proof: &OpeningProof,
	transcript: &mut Transcript,
	codes: &mut CodeCache,
) -> Result<(), PcsError> {
	verify_clear_then(params, commitments, claims, level, proof, transcript, codes, |_| Ok(()))
}

/// [`verify_clear`], with a check of the level's layout (a recursive opening's: the schedule
/// ends at it) right after its statement.
#[allow(clippy::too_many_arguments)]
fn verify_clear_then(
	params: &Params,
	commitments: &[Commitment],
	claims: &[Claim],
	level: Level,
	proof: &OpeningProof,
	transcript: &mut Transcript,
	codes: &mut CodeCache,
	check_layout: impl FnOnce(&Layout) -> Result<(), PcsError>,
) -> Result<(), PcsError> {
	let reduced = check_reduction(params, commitments, claims, level, &proof.sumcheck, &proof.evaluations, transcript)?;
	let Checked { layout, point, evaluations, gammas } = reduced;
	check_layout(&layout)?;

	// The combined row: y = Σ γ_g F_g(s_lo, ·) must evaluate to Σ γ_g e_g at s_hi. The rows
	// past the polynomials are zero and not sent.
	if proof.combined_row.len() != layout.used_rows() {
		return Err(PcsError::Malformed("combined row length"));
	}
	let mut y: Vec<Ext> = proof.combined_row.iter().map(|&v| ext(v)).collect();
	transcript.absorb_exts(b"pcs/combined_row", &y);
	y.resize(layout.rows(), Ext::zero());
	let (s_lo, s_hi) = point.split_at(layout.log_leaf_width as usize);
	let y_at_hi = evaluate(&y, s_hi);
	let combined = evaluations.iter().zip(&gammas).fold(Ext::zero(), |acc, (e, g)| acc.add(&mul(e, g)));
	if y_at_hi != combined {
		return Err(PcsError::CombinedRowMismatch);
	}

	// Leaves: each tree opens at the queried rows, and the rows combine to the encoded y.
	let queries = transcript
		.queries(params.grinding_bits, proof.nonce, layout.leaves(), params.num_queries as usize)
		.ok_or(PcsError::NotEnoughWork)?;
	let rows = check_leaves(&layout, commitments, &proof.openings, &queries)?;
	let codeword = codes.encode_at(layout.log_rows, &y, &queries);
	if codeword.len() != queries.len() {
		// Not reachable: y has the layout's rows and the queries are sorted and below 4m.
		return Err(PcsError::Malformed("queries outside the code"));
	}
	let leaf_weights = LeafWeights::new(s_lo, &gammas, codes.subfield());
	for (i, &q) in queries.iter().enumerate() {
		if leaf_weights.combine(rows.iter().map(|leaves| &leaves[i][..])) != codeword[i] {
			return Err(PcsError::ColumnCheckFailed { leaf: q as u32 });
		}
	}
	Ok(())
}

/// `W_g(s)` for every commitment `g`: `Σ α_l · sel_l(s) · eq(r_l, s_own)` over its claims
/// (`S` in place of `eq` for shifted claims), `s_own` the claimed polynomial's own
/// coordinates (the low ones) and `sel_l` the selector of its place in `F`. Claims share a few
/// points, so each `(point, kind)` weight is computed once, and the selectors all at once
/// ([`Layout::selectors`]).
fn claim_weights(layout: &Layout, claims: &[Claim], alphas: &[Ext], point: &[Ext], commitments: usize) -> Vec<Ext> {
	let mut weights = alloc::vec![Ext::zero(); commitments];
	let mut at_points: Vec<(&[Ext], ClaimKind, Ext)> = Vec::new();
	let selectors = layout.selectors(point);
	for (claim, alpha) in claims.iter().zip(alphas) {
		let own = &point[..layout.num_vars[claim.poly as usize] as usize];
		let known = at_points.iter().find(|(p, kind, _)| *kind == claim.kind && *p == &claim.point[..]);
		let at = match known {
			Some(&(_, _, at)) => at,
			None => {
				let at = match claim.kind {
					ClaimKind::Eq => eq_eval(&claim.point, own),
					ClaimKind::Shifted => successor(&claim.point, own),
					ClaimKind::Tensor => tensor_eval(&claim.point, own),
					ClaimKind::Packed => crate::packed_eval(&claim.point, own),
				};
				at_points.push((&claim.point, claim.kind, at));
				at
			},
		};
		let w = &mut weights[claim.commitment as usize];
		*w = w.add(&mul(alpha, &mul(&selectors[claim.poly as usize], &at)));
	}
	weights
}

/// The opened rows' side of the column check, `Σ_g γ_g Σ_j b_gj eq(s, j)` for the rows `b_g`
/// of the commitments at one leaf (`eq(s, j)`: bit `k` of `j` against `s_k`), in [`Coords`].
///
/// By bit slices. The embedding `ι` of the base field in the extension is `GF(2)`-linear, so
/// with `x^t` the base-field element whose value is `1 << t` and `w_gj = γ_g eq(s, j)`,
/// `Σ_gj b_gj w_gj = Σ_t ι(x^t) S_t` with `S_t = Σ_{(g, j) : bit t of b_gj} w_gj`: the inner
/// sums are additions (XOR). In coordinates over GF(2^32), multiplying by `ι(x^t)` multiplies
/// each coordinate by `x^t`, a shift, so the whole sum costs one reduction per coordinate.
///
/// The inner sums go eight columns at a time (the "four Russians"): each group of eight
/// columns has a table of the 256 sums of its weights, and bit `t` of the group's eight values,
/// gathered into one byte, picks the group's share of `S_t`. A leaf then costs the same
/// whatever its values (a submitter cannot slow the check with dense bits), four lookups per
/// value. The result is the same field element as ligerito's `tensorized_dot_product` weighted
/// by `γ_g` (tested).
struct LeafWeights {
	/// Per commitment, per group of eight columns, the sums of the group's weights by subset
	/// (bit `i` of the index: column `8 group + i`). Eight: one byte per bit position.
	groups: Vec<Vec<[Coords; 256]>>,
}

impl LeafWeights {
	fn new(point: &[Ext], gammas: &[Ext], subfield: &Subfield) -> Self {
		let eq = eq_table(point);
		let groups = gammas
			.iter()
			.map(|g| {
				let weights: Vec<Coords> = eq.iter().map(|e| subfield.coords(mul(g, e))).collect();
				weights.chunks(8).map(subset_sums).collect()
			})
			.collect();
		LeafWeights { groups }
	}

	/// The combination of one leaf's rows, one per commitment, each with the point's `2^k`
	/// entries (the caller checked the widths).
	fn combine<'a>(&self, rows: impl Iterator<Item = &'a [Base]>) -> Coords {
		let mut slices = [[0u32; 4]; 32];
		for (row, groups) in rows.zip(&self.groups) {
			debug_assert_eq!(row.len().div_ceil(8), groups.len(), "a row of the point's width");
			for (values, sums) in row.chunks(8).zip(groups) {
				// Byte `k` of each value, value `i` in byte `i`; transposed, byte `j` holds bit
				// `8k + j` of the eight values.
				let mut bytes = [0u64; 4];
				for (i, value) in values.iter().enumerate() {
					let v = u64::from(value.poly().value());
					for (k, b) in bytes.iter_mut().enumerate() {
						*b |= ((v >> (8 * k)) & 0xff) << (8 * i);
					}
				}
				for (k, b) in bytes.into_iter().enumerate() {
					let bits = transpose8(b);
					for j in 0..8 {
						let sum = &sums[((bits >> (8 * j)) & 0xff) as usize];
						for (s, w) in slices[8 * k + j].iter_mut().zip(sum) {
							*s ^= w;
						}
					}
				}
			}
		}
		core::array::from_fn(|k| {
			reduce(slices.iter().enumerate().fold(0u64, |acc, (t, slice)| acc ^ (u64::from(slice[k]) << t)))
		})
	}
}

/// The 256 sums of up to eight weights: entry `b` adds the weights at the set bits of `b`
/// (missing weights are zero).
fn subset_sums(weights: &[Coords]) -> [Coords; 256] {
	debug_assert!(weights.len() <= 8, "at most eight weights");
	let mut sums = [[0u32; 4]; 256];
	for b in 1..256usize {
		let low = b.trailing_zeros() as usize;
		let rest = sums[b & (b - 1)];
		let w = weights.get(low).copied().unwrap_or([0; 4]);
		sums[b] = core::array::from_fn(|c| rest[c] ^ w[c]);
	}
	sums
}

/// The transpose of an 8×8 bit matrix stored by rows in the bytes of `x` (bit `8r + c` is
/// row `r`, column `c`): bit `8c + r` of the result is bit `8r + c` of `x`.
fn transpose8(mut x: u64) -> u64 {
	let t = (x ^ (x >> 7)) & 0x00aa_00aa_00aa_00aa;
	x ^= t ^ (t << 7);
	let t = (x ^ (x >> 14)) & 0x0000_cccc_0000_cccc;
	x ^= t ^ (t << 14);
	let t = (x ^ (x >> 28)) & 0x0000_0000_f0f0_f0f0;
	x ^= t ^ (t << 28);
	x
}

#[cfg(test)]
mod leaf_weight_tests {
	use super::*;
	use ligerito::sumcheck_polys::tensorized_dot_product;

	#[test]
	fn subset_sums_add_the_weights_at_the_set_bits() {
		for len in 0..=8u32 {
			let weights: Vec<Coords> =
				(0..len).map(|i| core::array::from_fn(|c| 0x9e37_79b9 ^ (i << 8) ^ c as u32 * 7)).collect();
			let sums = subset_sums(&weights);
			for (b, sum) in sums.iter().enumerate() {
				let want = (0..len as usize)
					.filter(|i| b >> i & 1 == 1)
					.fold([0u32; 4], |acc, i| core::array::from_fn(|c| acc[c] ^ weights[i][c]));
				assert_eq!(*sum, want, "{len} weights, subset {b:#x}");
			}
		}
	}

	/// `transpose8` is GF(2)-linear, so moving every single bit right is its correctness.
	#[test]
	fn transpose8_moves_every_bit() {
		for r in 0..8 {
			for c in 0..8 {
				assert_eq!(transpose8(1u64 << (8 * r + c)), 1u64 << (8 * c + r), "row {r}, column {c}");
			}
		}
	}

	#[test]
	fn bit_slices_agree_with_the_tensorized_dot_product() {
		let subfield = Subfield::new();
		let mut seed = 0x2545_f491_4f6c_dd1d_u64;
		let mut next = || {
			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			seed
		};
		for k in 0..=9usize {
			let mut ext = |_| Ext::from_value((u128::from(next()) << 64) | u128::from(next()));
			let point: Vec<Ext> = (0..k).map(&mut ext).collect();
			let gammas: Vec<Ext> = (0..3).map(&mut ext).collect();
			let weights = LeafWeights::new(&point, &gammas, &subfield);
			for case in 0..8 {
				let rows: Vec<Vec<Base>> = (0..gammas.len())
					.map(|g| {
						(0..1usize << k)
							.map(|j| match case {
								0 => Base::from_value(0),
								1 => Base::from_value(u32::MAX),
								2 => Base::from_value(1 << ((j + g) % 32)),
								_ => Base::from_value((next() >> 7) as u32),
							})
							.collect()
					})
					.collect();
				let want = rows
					.iter()
					.zip(&gammas)
					.fold(Ext::zero(), |acc, (row, g)| acc.add(&g.mul(&tensorized_dot_product(row, &point))));
				let got = weights.combine(rows.iter().map(|r| &r[..]));
				assert_eq!(Subfield::compose(got), want, "width 2^{k}, case {case}");
			}
		}
	}
}

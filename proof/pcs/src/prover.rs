//! Committing to polynomials and opening them (std, feature `prover`).

use crate::{
	code::base_code, ext_value, layout::Layout, verifier::absorb_statement, Base, Claim, ClaimKind, Commitment, Ext,
	LeafOpening, OpeningProof, Params, PcsError, Transcript,
};
use ligerito::{
	data_structures::RecursiveLigeroWitness,
	ligero::ligero_commit,
	sumcheck_polys::{fold_lsb, product_round_coeffs},
	utils::{eq_table_lsb, partial_eval_lift},
};
use ligerito_binary_fields::BinaryFieldElement;

/// What the prover keeps of a commitment: the interleaved polynomial and the encoded matrix.
pub struct Committed {
	commitment: Commitment,
	layout: Layout,
	/// `F`, the interleaved polynomial, in the matrix's row-major order.
	interleaved: Vec<Base>,
	witness: RecursiveLigeroWitness<Base>,
}

impl Committed {
	/// The commitment to publish.
	pub fn commitment(&self) -> Commitment {
		self.commitment
	}

	/// The layout the polynomials were committed in.
	pub fn layout(&self) -> Layout {
		self.layout
	}

	/// What a claim of `kind` on polynomial `poly` at `point` must state, computed from the
	/// committed values (for building claims).
	pub fn evaluate(&self, poly: u32, kind: ClaimKind, point: &[Ext]) -> Ext {
		let weights = weight_table(kind, point);
		weights.iter().enumerate().fold(Ext::zero(), |acc, (i, w)| {
			let f = self.interleaved[self.layout.interleaved_index(poly, i)];
			acc.add(&Ext::from(f).mul(w))
		})
	}
}

/// The weights of a claim over its polynomial's `2^n` indices: `eq(r, i)`, or for a shifted
/// claim `eq(r, i - 1)` (and 0 at index 0), which is `S(r, i)`.
fn weight_table(kind: ClaimKind, point: &[Ext]) -> Vec<Ext> {
	let eq = eq_table_lsb(point);
	match kind {
		ClaimKind::Eq => eq,
		ClaimKind::Shifted => {
			let mut shifted = vec![Ext::zero(); eq.len()];
			shifted[1..].copy_from_slice(&eq[..eq.len() - 1]);
			shifted
		},
	}
}

/// Commits to `polys`: each of `2^num_vars` base-field values (evaluations on the hypercube,
/// index bit `j` = variable `x_j`); at most `2^MAX_LOG_POLYS` of them, padded with zero
/// polynomials to a power of two.
pub fn commit(params: &Params, num_vars: u8, polys: &[&[Base]]) -> Result<Committed, PcsError> {
	if polys.is_empty() {
		return Err(PcsError::BadShape("no polynomials"));
	}
	let log_polys = polys.len().next_power_of_two().trailing_zeros();
	let log_polys = u8::try_from(log_polys).map_err(|_| PcsError::BadShape("too many polynomials"))?;
	let layout = Layout::new(params, num_vars, log_polys)?;
	let size = 1usize << layout.num_vars;
	if polys.iter().any(|p| p.len() != size) {
		return Err(PcsError::BadShape("a polynomial does not have 2^num_vars values"));
	}
	let (k, p) = (layout.col_vars, layout.log_polys);
	let mut interleaved = vec![Base::zero(); size << p];
	for (j, poly) in polys.iter().enumerate() {
		for (idx, &v) in poly.iter().enumerate() {
			let (row, col) = (idx >> k, idx & ((1 << k) - 1));
			interleaved[(row << (k + p)) | (j << k) | col] = v;
		}
	}
	let witness = ligero_commit(&interleaved, layout.rows(), layout.leaf_width(), &base_code(layout.log_rows));
	let root = witness.tree.get_root().root.ok_or(PcsError::BadShape("empty tree"))?;
	let num_polys = polys.len() as u32;
	Ok(Committed { commitment: Commitment { root, num_vars, log_polys, num_polys }, layout, interleaved, witness })
}

/// Proves `claims` about `committed` (all of the same shape). The transcript must be in the
/// state the verifier's will be in (see [`crate::verify`]).
///
/// The claims are not checked here: a false claim gives a proof the verifier rejects.
pub fn open(
	params: &Params,
	committed: &[&Committed],
	claims: &[Claim],
	transcript: &mut Transcript,
) -> Result<OpeningProof, PcsError> {
	let commitments: Vec<Commitment> = committed.iter().map(|c| c.commitment).collect();
	let layout = absorb_statement(params, &commitments, claims, transcript)?;
	if committed.iter().any(|c| c.layout != layout) {
		return Err(PcsError::BadShape("committed under other parameters"));
	}
	let alphas: Vec<Ext> = claims.iter().map(|_| transcript.challenge()).collect();

	// W_g = Σ α_l w_l over the claims on commitment g, each claim's table laid out in its
	// polynomial's own index space and scattered like the polynomial; and F_g lifted.
	let size = 1usize << layout.total_vars();
	let mut weights: Vec<Vec<Ext>> = vec![vec![Ext::zero(); size]; committed.len()];
	for (claim, alpha) in claims.iter().zip(&alphas) {
		let table = weight_table(claim.kind, &claim.point);
		let w = &mut weights[claim.commitment as usize];
		for (i, t) in table.iter().enumerate() {
			let at = layout.interleaved_index(claim.poly, i);
			w[at] = w[at].add(&alpha.mul(t));
		}
	}
	let mut polys: Vec<Vec<Ext>> =
		committed.iter().map(|c| c.interleaved.iter().map(|&v| Ext::from(v)).collect()).collect();

	// The batching sumcheck, lowest variable first.
	let mut sumcheck = Vec::with_capacity(layout.total_vars() as usize);
	let mut point = Vec::with_capacity(layout.total_vars() as usize);
	for _ in 0..layout.total_vars() {
		let (mut h0, mut h1, mut h2) = (Ext::zero(), Ext::zero(), Ext::zero());
		for (f, w) in polys.iter().zip(&weights) {
			let (a, b, c) = product_round_coeffs(f, w);
			(h0, h1, h2) = (h0.add(&a), h1.add(&b), h2.add(&c));
		}
		transcript.absorb_exts(b"pcs/sumcheck/round", &[h0, h1, h2]);
		sumcheck.push([ext_value(h0), ext_value(h1), ext_value(h2)]);
		let r = transcript.challenge();
		point.push(r);
		for f in polys.iter_mut() {
			*f = fold_lsb(f, r);
		}
		for w in weights.iter_mut() {
			*w = fold_lsb(w, r);
		}
	}
	let evaluations: Vec<Ext> = polys.iter().map(|f| f[0]).collect();
	transcript.absorb_exts(b"pcs/evaluations", &evaluations);

	// The combined row at the low part of the point.
	let gammas: Vec<Ext> = committed.iter().map(|_| transcript.challenge()).collect();
	let s_lo = &point[..layout.log_leaf_width as usize];
	let mut combined_row = vec![Ext::zero(); layout.rows()];
	for (c, gamma) in committed.iter().zip(&gammas) {
		for (acc, v) in combined_row.iter_mut().zip(partial_eval_lift(&c.interleaved, s_lo)) {
			*acc = acc.add(&gamma.mul(&v));
		}
	}
	transcript.absorb_exts(b"pcs/combined_row", &combined_row);

	let queries = transcript.distinct_indices(layout.leaves(), params.num_queries as usize);
	let openings = committed
		.iter()
		.map(|c| LeafOpening {
			rows: queries.iter().map(|&q| c.witness.row(q).iter().map(|v| v.poly().value()).collect()).collect(),
			siblings: c.witness.tree.prove(&queries).siblings,
		})
		.collect();
	Ok(OpeningProof {
		sumcheck,
		evaluations: evaluations.into_iter().map(ext_value).collect(),
		combined_row: combined_row.into_iter().map(ext_value).collect(),
		openings,
	})
}

#[cfg(test)]
mod tests {
	use super::*;

	/// A prover whose polynomial differs from what it committed (one value changed after the
	/// commitment) cannot make the verifier accept, even for the true claims about the changed
	/// polynomial: the combined row it sends is consistent with the claims, so only the column
	/// check can catch it, and it does. The larger size runs the encoding's table path.
	#[test]
	fn opening_values_other_than_the_committed_ones_is_rejected() {
		for (num_vars, log_leaf_width) in [(6u8, 2u8), (11, 2)] {
			let params = Params { log_leaf_width, num_queries: 40 };
			let poly: Vec<Base> = (0..1u32 << num_vars).map(|i| Base::from_value(i.wrapping_mul(2654435761))).collect();
			for changed in [0usize, 17, poly.len() - 1] {
				let mut committed = commit(&params, num_vars, &[&poly[..]]).unwrap();
				committed.interleaved[changed] = committed.interleaved[changed].add(&Base::one());
				let point: Vec<Ext> =
					(0..num_vars as u128).map(|i| Ext::from_value(0x9e37_79b9_7f4a_7c15 * (i + 1))).collect();
				let value = committed.evaluate(0, ClaimKind::Eq, &point);
				let claim = Claim { commitment: 0, poly: 0, kind: ClaimKind::Eq, point: point.clone(), value };
				let proof = open(&params, &[&committed], &[claim.clone()], &mut Transcript::new(b"test")).unwrap();
				let verdict =
					crate::verify(&params, &[committed.commitment()], &[claim], &proof, &mut Transcript::new(b"test"));
				assert!(
					matches!(verdict, Err(PcsError::ColumnCheckFailed { .. })),
					"{num_vars} variables, value {changed} changed after commitment: {verdict:?}"
				);
			}
		}
	}
}

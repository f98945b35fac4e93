//! Checking a trace proof. Builds `no_std`; every length is checked before it is relied on, and
//! no input makes it panic.

use crate::{
	shape::{absorb_statement, claims, eq_eval, evaluate_public, Interpolator},
	Config, Shape, Statement, TraceProof, ZerocheckError, DOMAIN,
};
use agentic_air::{analyze, combine, selectors_at, Air, BinaryFieldElement, Values};
use agentic_pcs::{Ext, Transcript};
use alloc::vec::Vec;

/// Checks that `proof` shows a trace satisfying `air` under `statement`, with `config`'s
/// parameters. Each call uses a fresh transcript.
pub fn verify<A: Air>(
	air: &A,
	statement: &Statement,
	config: &Config,
	proof: &TraceProof,
) -> Result<(), ZerocheckError> {
	let info = analyze(air)?;
	let shape = Shape::new(&info, statement, config)?;
	let n = shape.num_vars as usize;
	if proof.rounds.len() != n || proof.rounds.iter().any(|r| r.len() != shape.round_values()) {
		return Err(ZerocheckError::Malformed("round polynomials"));
	}
	if proof.cur.len() != info.width {
		return Err(ZerocheckError::Malformed("column values"));
	}
	if proof.next.len() != info.next_columns.len() {
		return Err(ZerocheckError::Malformed("next-row column values"));
	}

	let mut transcript = Transcript::new(DOMAIN);
	absorb_statement(&mut transcript, &info, &shape, statement);
	transcript.absorb_root(b"zc/trace_root", &proof.trace_root);
	let lambdas: Vec<Ext> = info.constraints.iter().map(|_| transcript.challenge()).collect();
	let tau: Vec<Ext> = (0..n).map(|_| transcript.challenge()).collect();

	// The sumcheck of Σ_x eq(τ, x) Q(x) = 0.
	let interpolator = Interpolator::new(shape.round_values());
	let mut claim = Ext::zero();
	let mut point = Vec::with_capacity(n);
	for (round, values) in proof.rounds.iter().enumerate() {
		let h: Vec<Ext> = values.iter().map(|&v| Ext::from_value(v)).collect();
		if h[0].add(&h[1]) != claim {
			return Err(ZerocheckError::RoundFailed { round: round as u32 });
		}
		transcript.absorb_exts(b"zc/round", &h);
		let s = transcript.challenge();
		claim = interpolator.evaluate(&h, s);
		point.push(s);
	}

	// The constraints at the final point, on the values the opening will prove.
	let cur: Vec<Ext> = proof.cur.iter().map(|&v| Ext::from_value(v)).collect();
	let next_sent: Vec<Ext> = proof.next.iter().map(|&v| Ext::from_value(v)).collect();
	transcript.absorb_exts(b"zc/cur", &cur);
	transcript.absorb_exts(b"zc/next", &next_sent);
	let mut next = alloc::vec![Ext::zero(); info.width];
	for (&k, value) in info.next_columns.iter().zip(&next_sent) {
		next[k as usize] = *value;
	}
	let values = Values { cur: &cur, next: &next, selectors: selectors_at(&point, statement.active_rows) };
	if eq_eval(&tau, &point).mul(&combine(air, values, &lambdas)?) != claim {
		return Err(ZerocheckError::FinalCheckFailed);
	}
	for public in &statement.public_columns {
		if evaluate_public(&public.values, &point) != cur[public.column as usize] {
			return Err(ZerocheckError::PublicColumnMismatch { column: public.column });
		}
	}

	// The opening: those values, and the boundary cells, are the committed trace's.
	let claims = claims(&info, statement, &shape, &point, &cur, &next_sent);
	let commitment = shape.commitment(proof.trace_root, info.width);
	agentic_pcs::verify(&shape.params, &[commitment], &claims, &proof.opening, &mut transcript)?;
	Ok(())
}

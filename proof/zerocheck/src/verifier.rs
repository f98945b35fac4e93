//! Checking a trace proof. Builds `no_std`; every length is checked before it is relied on, and
//! no input makes it panic.

use crate::{
	shape::{
		absorb_statement, accumulator_bytes, aux_claims, balanced, claims, evaluate_public, num_challenges, shapes,
		Interpolator,
	},
	Config, Shape, Statement, TableProof, TableStatement, Tables, TraceProof, ZerocheckError, DOMAIN,
};
use agentic_air::{analyze, combine, selectors_at, Air, AirInfo, Base, BinaryFieldElement, Values};
use agentic_pcs::{eq_eval, field::FastMul, Ext, Transcript};
use alloc::vec::Vec;

/// Checks that `proof` shows a trace satisfying `air` under `statement`, with `config`'s
/// parameters. Each call uses a fresh transcript.
pub fn verify<A: Air>(
	air: &A,
	statement: &Statement,
	config: &Config,
	proof: &TraceProof,
) -> Result<(), ZerocheckError> {
	verify_tables(&[air], &statement.tables(), config, proof)
}

/// Checks that `proof` shows traces satisfying `airs` (one per table, in the statement's order)
/// under `statement`, their interactions balancing with the public ones.
pub fn verify_tables<A: Air>(
	airs: &[&A],
	statement: &Tables,
	config: &Config,
	proof: &TraceProof,
) -> Result<(), ZerocheckError> {
	let infos = airs.iter().map(|air| analyze(*air)).collect::<Result<Vec<_>, _>>()?;
	let shapes = shapes(&infos, statement, config)?;
	if proof.tables.len() != infos.len() {
		return Err(ZerocheckError::Malformed("number of tables"));
	}
	for ((info, shape), table) in infos.iter().zip(&shapes).zip(&proof.tables) {
		check_sizes(info, shape, table)?;
	}

	let mut transcript = Transcript::new(DOMAIN);
	absorb_statement(&mut transcript, &infos, &shapes, statement);
	for table in &proof.tables {
		transcript.absorb_root(b"zc/trace_root", &table.trace_root);
	}
	let challenges: Vec<Ext> = (0..num_challenges(&infos, statement)).map(|_| transcript.challenge()).collect();
	let mut claimed = Vec::new();
	for table in &proof.tables {
		if let (Some(root), Some(accumulator)) = (table.aux_root, table.accumulator) {
			let coords = accumulator.map(Base::from_value);
			transcript.absorb_root(b"zc/aux_root", &root);
			transcript.absorb_bytes(b"zc/accumulator", &accumulator_bytes(&coords));
			claimed.push(coords);
		}
	}
	if !balanced(&claimed, statement, &challenges) {
		return Err(ZerocheckError::Unbalanced);
	}

	// The tables' commitments share a few code sizes: each code is built once.
	let mut codes = agentic_pcs::CodeCache::default();
	for (t, table) in proof.tables.iter().enumerate() {
		let (air, info, shape) = (airs[t], &infos[t], &shapes[t]);
		verify_table(air, info, shape, &statement.tables[t], table, &challenges, &mut transcript, &mut codes)?;
	}
	Ok(())
}

/// The sizes the statement implies, before anything is read.
fn check_sizes(info: &AirInfo, shape: &Shape, table: &TableProof) -> Result<(), ZerocheckError> {
	let n = shape.num_vars as usize;
	if table.rounds.len() != n || table.rounds.iter().any(|r| r.len() != shape.round_values()) {
		return Err(ZerocheckError::Malformed("round polynomials"));
	}
	if table.cur.len() != info.total_width() {
		return Err(ZerocheckError::Malformed("column values"));
	}
	if table.next.len() != info.next_columns.len() {
		return Err(ZerocheckError::Malformed("next-row column values"));
	}
	let interacts = shape.aux_params.is_some();
	if table.aux_root.is_some() != interacts
		|| table.accumulator.is_some() != interacts
		|| table.aux_opening.is_some() != interacts
	{
		return Err(ZerocheckError::Malformed("running product"));
	}
	Ok(())
}

fn verify_table<A: Air>(
	air: &A,
	info: &AirInfo,
	shape: &Shape,
	statement: &TableStatement,
	table: &TableProof,
	challenges: &[Ext],
	transcript: &mut Transcript,
	codes: &mut agentic_pcs::CodeCache,
) -> Result<(), ZerocheckError> {
	let n = shape.num_vars as usize;
	let lambdas: Vec<Ext> = info.constraints.iter().map(|_| transcript.challenge()).collect();
	let tau: Vec<Ext> = (0..n).map(|_| transcript.challenge()).collect();

	// The sumcheck of Σ_x eq(τ, x) Q(x) = 0.
	let interpolator = Interpolator::new(shape.round_values());
	let mut claim = Ext::zero();
	let mut point = Vec::with_capacity(n);
	for (round, values) in table.rounds.iter().enumerate() {
		let h: Vec<Ext> = values.iter().map(|&v| Ext::from_value(v)).collect();
		if h[0].add(&h[1]) != claim {
			return Err(ZerocheckError::RoundFailed { round: round as u32 });
		}
		transcript.absorb_exts(b"zc/round", &h);
		let s = transcript.challenge();
		claim = interpolator.evaluate(&h, s);
		point.push(s);
	}

	// The constraints at the final point, on the values the openings will prove.
	let cur: Vec<Ext> = table.cur.iter().map(|&v| Ext::from_value(v)).collect();
	let next_sent: Vec<Ext> = table.next.iter().map(|&v| Ext::from_value(v)).collect();
	transcript.absorb_exts(b"zc/cur", &cur);
	transcript.absorb_exts(b"zc/next", &next_sent);
	let mut next = alloc::vec![Ext::zero(); info.total_width()];
	for (&k, value) in info.next_columns.iter().zip(&next_sent) {
		next[k as usize] = *value;
	}
	let values = Values {
		cur: &cur,
		next: &next,
		selectors: selectors_at(&point, statement.active_rows),
		index_bits: &point,
		challenges,
	};
	if eq_eval(&tau, &point).fast_mul(&combine(air, values, &lambdas)?) != claim {
		return Err(ZerocheckError::FinalCheckFailed);
	}
	for public in &statement.public_columns {
		if evaluate_public(&public.values, &point) != cur[public.column as usize] {
			return Err(ZerocheckError::PublicColumnMismatch { column: public.column });
		}
	}

	// The openings: those values, the boundary cells and the running product's ends are the
	// committed columns'.
	let main_claims = claims(info, statement, shape, &point, &cur, &next_sent);
	let commitment = shape.commitment(table.trace_root, info.width);
	agentic_pcs::verify_with(&shape.params, &[commitment], &main_claims, &table.opening, transcript, codes)?;
	if let (Some(params), Some(root), Some(accumulator), Some(opening)) =
		(shape.aux_params, table.aux_root, table.accumulator, &table.aux_opening)
	{
		let coords = accumulator.map(Base::from_value);
		let claims = aux_claims(info, statement, shape, &point, &cur, &next_sent, &coords);
		agentic_pcs::verify_with(&params, &[shape.aux_commitment(root)], &claims, opening, transcript, codes)?;
	}
	Ok(())
}

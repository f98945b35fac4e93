//! Checking a trace proof. Builds `no_std`; every length is checked before it is relied on, and
//! no input makes it panic.

use crate::{
	shape::{
		absorb_statement, accumulator_bytes, aux_claims, balanced, claims, evaluate_public, num_challenges, shapes,
		Interpolator, ProofShape,
	},
	Config, Shape, Statement, TableProof, TableStatement, Tables, TraceProof, ZerocheckError, DOMAIN,
};
use agentic_air::{analyze, combine, selectors_at, Air, AirInfo, Base, BinaryFieldElement, Values};
use agentic_pcs::{eq_eval, field::FastMul, Claim, Ext, Transcript};
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
	let shape = shapes(&infos, statement, config)?;
	check_sizes(&infos, &shape, proof)?;

	let mut transcript = Transcript::new(DOMAIN);
	absorb_statement(&mut transcript, &infos, &shape, statement);
	transcript.absorb_root(b"zc/trace_root", &proof.trace_root);
	let challenges: Vec<Ext> = (0..num_challenges(&infos, statement)).map(|_| transcript.challenge()).collect();
	if let Some(root) = &proof.aux_root {
		transcript.absorb_root(b"zc/aux_root", root);
	}
	let mut claimed = Vec::new();
	for accumulator in proof.tables.iter().filter_map(|t| t.accumulator) {
		let coords = accumulator.map(Base::from_value);
		transcript.absorb_bytes(b"zc/accumulator", &accumulator_bytes(&coords));
		claimed.push(coords);
	}
	if !balanced(&claimed, statement, &challenges) {
		return Err(ZerocheckError::Unbalanced);
	}

	// Every table's zerocheck, then one opening for all their columns and one for all their
	// running products.
	let (mut trace_claims, mut aux_claims_all) = (Vec::new(), Vec::new());
	for (t, table) in proof.tables.iter().enumerate() {
		let (first, aux_first) = (shape.trace.first[t], shape.aux.as_ref().and_then(|a| a.first[t]));
		let (main, aux) = verify_table(
			airs[t],
			&infos[t],
			&shape.tables[t],
			&statement.tables[t],
			table,
			(first.unwrap_or(0), aux_first),
			&challenges,
			&mut transcript,
		)?;
		trace_claims.extend(main);
		aux_claims_all.extend(aux);
	}
	let mut codes = agentic_pcs::CodeCache::default();
	let commitment = shape.trace.commitment(proof.trace_root);
	agentic_pcs::verify_recursive_with(
		&shape.trace.params,
		&[commitment],
		&trace_claims,
		&proof.opening,
		&mut transcript,
		&mut codes,
	)?;
	if let (Some(stack), Some(root), Some(opening)) = (&shape.aux, proof.aux_root, &proof.aux_opening) {
		agentic_pcs::verify_recursive_with(
			&stack.params,
			&[stack.commitment(root)],
			&aux_claims_all,
			opening,
			&mut transcript,
			&mut codes,
		)?;
	}
	Ok(())
}

/// The sizes the statement implies, before anything is read.
fn check_sizes(infos: &[AirInfo], shape: &ProofShape, proof: &TraceProof) -> Result<(), ZerocheckError> {
	if proof.tables.len() != infos.len() {
		return Err(ZerocheckError::Malformed("number of tables"));
	}
	let aux = shape.aux.is_some();
	if proof.aux_root.is_some() != aux || proof.aux_opening.is_some() != aux {
		return Err(ZerocheckError::Malformed("running product"));
	}
	for ((info, table_shape), table) in infos.iter().zip(&shape.tables).zip(&proof.tables) {
		let n = table_shape.num_vars as usize;
		if table.rounds.len() != n || table.rounds.iter().any(|r| r.len() != table_shape.round_values()) {
			return Err(ZerocheckError::Malformed("round polynomials"));
		}
		if table.cur.len() != info.total_width() {
			return Err(ZerocheckError::Malformed("column values"));
		}
		if table.next.len() != info.next_columns.len() {
			return Err(ZerocheckError::Malformed("next-row column values"));
		}
		if table.accumulator.is_some() != table_shape.interacts {
			return Err(ZerocheckError::Malformed("running product"));
		}
	}
	Ok(())
}

/// One table's zerocheck and final check; returns its claims in the trace opening and in the
/// running products' opening (`first`: where its columns start in each).
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
fn verify_table<A: Air>(
	air: &A,
	info: &AirInfo,
	shape: &Shape,
	statement: &TableStatement,
	table: &TableProof,
	first: (u32, Option<u32>),
	challenges: &[Ext],
	transcript: &mut Transcript,
) -> Result<(Vec<Claim>, Vec<Claim>), ZerocheckError> {
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

	// The claims the openings prove: those values, the boundary cells and the running
	// product's ends are the committed columns'.
	let main = claims(info, statement, shape, first.0, &point, &cur, &next_sent);
	let aux = match (first.1, table.accumulator) {
		(Some(aux_first), Some(accumulator)) => {
			let coords = accumulator.map(Base::from_value);
			aux_claims(info, statement, shape, aux_first, &point, &cur, &next_sent, &coords)
		},
		_ => Vec::new(),
	};
	Ok((main, aux))
}

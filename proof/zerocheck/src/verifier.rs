//! Checking a trace proof. Builds `no_std`; every length is checked before it is relied on, and
//! no input makes it panic.

use crate::{
	bus::verify_bus,
	shape::{
		absorb_statement, balanced, claims, evaluate_public, num_challenges, shapes, EqClaim, Interpolator, ProofShape,
	},
	Config, Shape, Statement, TableProof, TableStatement, Tables, TraceProof, ZerocheckError, DOMAIN,
};
use agentic_air::{analyze, combine_with_leaves, selectors_at, Air, AirInfo, BinaryFieldElement, Values};
use agentic_pcs::{field::FastMul, Claim, Ext, PackedClaim, Transcript};
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
	// The buses: the product circuit (its outputs balanced with the public interactions), or,
	// if no table interacts, the public interactions alone.
	let bus = match (&shape.bus, &proof.bus) {
		(Some(bus_shape), Some(bus)) => Some(verify_bus(bus_shape, bus, statement, &challenges, &mut transcript)?),
		_ => {
			if !balanced(Ext::one(), Ext::one(), statement, &challenges) {
				return Err(ZerocheckError::Unbalanced);
			}
			None
		},
	};

	// Every table's zerocheck (with its bus leaves' claims), then one opening for all their
	// columns.
	let (mut trace_claims, mut packed_claims) = (Vec::new(), Vec::new());
	for (t, table) in proof.tables.iter().enumerate() {
		let leaves = match (&shape.bus, &bus) {
			(Some(bus_shape), Some(claims)) => claims.table(bus_shape, t),
			_ => None,
		};
		let (claims, packed) = verify_table(
			airs[t],
			&infos[t],
			&shape.tables[t],
			&statement.tables[t],
			table,
			shape.trace.first[t].unwrap_or(0),
			leaves,
			&challenges,
			&mut transcript,
		)?;
		trace_claims.extend(claims);
		packed_claims.extend(packed);
	}
	// The bit columns' claims, reduced to claims on their packed polynomials.
	trace_claims.extend(agentic_pcs::ring_switch(&mut transcript, &packed_claims)?);
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
	Ok(())
}

/// The sizes the statement implies, before anything is read.
fn check_sizes(infos: &[AirInfo], shape: &ProofShape, proof: &TraceProof) -> Result<(), ZerocheckError> {
	if proof.tables.len() != infos.len() {
		return Err(ZerocheckError::Malformed("number of tables"));
	}
	match (&shape.bus, &proof.bus) {
		(Some(bus_shape), Some(bus)) => bus_shape.check(bus)?,
		(None, None) => {},
		_ => return Err(ZerocheckError::Malformed("bus")),
	}
	for ((info, table_shape), table) in infos.iter().zip(&shape.tables).zip(&proof.tables) {
		let n = table_shape.num_vars as usize;
		if table.rounds.len() != n || table.rounds.iter().any(|r| r.len() != table_shape.round_values()) {
			return Err(ZerocheckError::Malformed("round polynomials"));
		}
		if table.cur.len() != info.width {
			return Err(ZerocheckError::Malformed("column values"));
		}
		if table.next.len() != info.next_columns.len() {
			return Err(ZerocheckError::Malformed("next-row column values"));
		}
	}
	Ok(())
}

/// One table's zerocheck and final check; returns its claims in the trace opening (`first`:
/// where its columns start). `leaves`: if it interacts, the bus circuit's point `r_t` and its
/// claimed leaves `(a_t, b_t)` there, which its sumcheck proves as well.
#[allow(clippy::too_many_arguments)]
fn verify_table<A: Air>(
	air: &A,
	info: &AirInfo,
	shape: &Shape,
	statement: &TableStatement,
	table: &TableProof,
	first: u32,
	leaves: Option<(&[Ext], Ext, Ext)>,
	challenges: &[Ext],
	transcript: &mut Transcript,
) -> Result<(Vec<Claim>, Vec<PackedClaim>), ZerocheckError> {
	let n = shape.num_vars as usize;
	let lambdas = transcript.challenge_powers(info.constraints.len());
	// Σ_x eq(τ, x) F(x) = η a_t + η' b_t with F = Q + η S + η' R and τ = r_t if the table
	// interacts; else Σ_x eq(τ, x) Q(x) = 0 with a fresh τ.
	let (tau, bus, claimed) = match leaves {
		Some((point, a, b)) => {
			let (eta, eta_r) = (transcript.challenge(), transcript.challenge());
			(point.to_vec(), Some((eta, eta_r)), eta.fast_mul(&a).add(&eta_r.fast_mul(&b)))
		},
		None => ((0..n).map(|_| transcript.challenge()).collect(), None, Ext::zero()),
	};

	let interpolator = Interpolator::new(shape.round_degree as usize);
	let mut claim = EqClaim::new(claimed);
	let mut point = Vec::with_capacity(n);
	for (values, &coordinate) in table.rounds.iter().zip(&tau) {
		let q: Vec<Ext> = values.iter().map(|&v| Ext::from_value(v)).collect();
		transcript.absorb_exts(b"zc/round", &q);
		let s = transcript.challenge();
		claim.round(&interpolator, coordinate, &q, s);
		point.push(s);
	}

	// The constraints and the bus leaves at the final point, on the values the opening will
	// prove.
	let cur: Vec<Ext> = table.cur.iter().map(|&v| Ext::from_value(v)).collect();
	let next_sent: Vec<Ext> = table.next.iter().map(|&v| Ext::from_value(v)).collect();
	transcript.absorb_exts(b"zc/cur", &cur);
	transcript.absorb_exts(b"zc/next", &next_sent);
	let mut next = alloc::vec![Ext::zero(); info.width];
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
	let (q, (sends, receives)) = combine_with_leaves(air, values, &lambdas)?;
	let f = match bus {
		Some((eta, eta_r)) => q.add(&eta.fast_mul(&sends)).add(&eta_r.fast_mul(&receives)),
		None => q,
	};
	if !claim.holds(f) {
		return Err(ZerocheckError::FinalCheckFailed);
	}
	for public in &statement.public_columns {
		if evaluate_public(&public.values, &point) != cur[public.column as usize] {
			return Err(ZerocheckError::PublicColumnMismatch { column: public.column });
		}
	}

	// The claims the opening proves: those values and the boundary cells are the committed
	// columns'.
	Ok(claims(info, statement, shape, first, &point, &cur, &next_sent))
}

//! Proving that a trace satisfies an AIR (std, feature `prover`).

use crate::{
	shape::{absorb_statement, claims, nodes, Interpolator},
	Config, Shape, Statement, TraceProof, ZerocheckError, DOMAIN,
};
use agentic_air::{analyze, check_trace, combine, Air, AirInfo, BinaryFieldElement, Values};
use agentic_pcs::{prover::commit, Base, Ext, Transcript};
use ligerito::{sumcheck_polys::fold_lsb, utils::eq_table_lsb};

/// Proves that `trace` (the AIR's columns, `2^n` values each) satisfies `air` under
/// `statement`. The trace is checked first, row by row, and against the statement's boundary
/// values and public columns: an invalid trace is an error, not a proof.
pub fn prove<A: Air>(
	air: &A,
	statement: &Statement,
	config: &Config,
	trace: &[Vec<Base>],
) -> Result<TraceProof, ZerocheckError> {
	run(air, statement, config, trace, true, Forge::None)
}

/// Proves `trace` without checking it: for tests that show the verifier rejects proofs of
/// invalid traces (the mutation suite). Never enable feature `unchecked` in a product.
#[cfg(feature = "unchecked")]
pub fn prove_unchecked<A: Air>(
	air: &A,
	statement: &Statement,
	config: &Config,
	trace: &[Vec<Base>],
) -> Result<TraceProof, ZerocheckError> {
	run(air, statement, config, trace, false, Forge::None)
}

/// Analyses the AIR, checks the shape and (if `checked`) the trace against the AIR and the
/// statement, and proves.
fn run<A: Air>(
	air: &A,
	statement: &Statement,
	config: &Config,
	trace: &[Vec<Base>],
	checked: bool,
	forge: Forge,
) -> Result<TraceProof, ZerocheckError> {
	let info = analyze(air)?;
	let shape = Shape::new(&info, statement, config)?;
	check_shape(&info, &shape, trace)?;
	if checked {
		check_trace(air, trace, statement.active_rows).map_err(ZerocheckError::Violation)?;
		for b in &statement.boundaries {
			if trace[b.column as usize][b.row as usize] != b.value {
				return Err(ZerocheckError::BoundaryViolation { column: b.column, row: b.row });
			}
		}
		for public in &statement.public_columns {
			let column = &trace[public.column as usize];
			if let Some(row) = column.iter().zip(&public.values).position(|(a, b)| a != b) {
				return Err(ZerocheckError::BoundaryViolation { column: public.column, row: row as u64 });
			}
		}
	}
	prove_inner(air, &info, &shape, statement, trace, forge)
}

/// How [`prove_forged`] lies.
#[cfg(feature = "unchecked")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Forgery {
	/// Each round polynomial is the honest one plus `δ · X`, `δ` chosen so that it sums to a
	/// running claim that starts at 0 whatever the trace: only the final check can catch it.
	Rounds,
	/// The forged rounds, and the sent value of column `k` at the final point solved so that the
	/// final check passes (the constraints must be linear in it): only the opening can catch it.
	RoundsAndCur(u32),
	/// The same with the next-row value of column `k` (one of the AIR's next columns).
	RoundsAndNext(u32),
}

/// Proves `trace` without checking it, lying as `forgery` says: tests of the verifier's final
/// check and of the opening's binding of the sent values (feature `unchecked`).
#[cfg(feature = "unchecked")]
pub fn prove_forged<A: Air>(
	air: &A,
	statement: &Statement,
	config: &Config,
	trace: &[Vec<Base>],
	forgery: Forgery,
) -> Result<TraceProof, ZerocheckError> {
	let forge = match forgery {
		Forgery::Rounds => Forge::Rounds,
		Forgery::RoundsAndCur(k) => Forge::Cur(k as usize),
		Forgery::RoundsAndNext(k) => Forge::Next(k as usize),
	};
	run(air, statement, config, trace, false, forge)
}

/// The honest prover, or one of the test forgeries.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Forge {
	None,
	#[cfg(feature = "unchecked")]
	Rounds,
	#[cfg(feature = "unchecked")]
	Cur(usize),
	#[cfg(feature = "unchecked")]
	Next(usize),
}

fn check_shape(info: &AirInfo, shape: &Shape, trace: &[Vec<Base>]) -> Result<(), ZerocheckError> {
	if trace.len() != info.width {
		return Err(ZerocheckError::BadShape("the trace does not have the AIR's number of columns"));
	}
	if trace.iter().any(|c| c.len() != 1usize << shape.num_vars) {
		return Err(ZerocheckError::BadShape("a column does not have 2^n rows (n the bit length of R)"));
	}
	Ok(())
}

/// A multilinear table being bound variable by variable, lowest first.
struct Table(Vec<Ext>);

impl Table {
	fn lifted(values: &[Base]) -> Table {
		Table(values.iter().map(|&v| Ext::from(v)).collect())
	}

	/// Entry `2i` and the difference to entry `2i + 1` (the value at `X` is `lo + X · diff`).
	fn pair(&self, i: usize) -> (Ext, Ext) {
		let (lo, hi) = (self.0[2 * i], self.0[2 * i + 1]);
		(lo, lo.add(&hi))
	}

	fn fold(&mut self, r: Ext) {
		self.0 = fold_lsb(&self.0, r);
	}
}

fn prove_inner<A: Air>(
	air: &A,
	info: &AirInfo,
	shape: &Shape,
	statement: &Statement,
	trace: &[Vec<Base>],
	forge: Forge,
) -> Result<TraceProof, ZerocheckError> {
	let forge_rounds = forge != Forge::None;
	let n = shape.num_vars as usize;
	let rows = 1usize << n;
	let mut transcript = Transcript::new(DOMAIN);
	absorb_statement(&mut transcript, info, shape, statement);

	let columns: Vec<&[Base]> = trace.iter().map(|c| &c[..]).collect();
	let committed = commit(&shape.params, shape.num_vars, &columns)?;
	let root = committed.commitment().root;
	transcript.absorb_root(b"zc/trace_root", &root);
	let lambdas: Vec<Ext> = info.constraints.iter().map(|_| transcript.challenge()).collect();
	let tau: Vec<Ext> = (0..n).map(|_| transcript.challenge()).collect();

	// The tables: every column, every next-row column, the selectors and eq(τ, ·).
	let mut cur: Vec<Table> = trace.iter().map(|c| Table::lifted(c)).collect();
	let mut next: Vec<Table> = info
		.next_columns
		.iter()
		.map(|&k| {
			let column = &trace[k as usize];
			Table((0..rows).map(|i| column.get(i + 1).map_or(Ext::zero(), |&v| Ext::from(v))).collect())
		})
		.collect();
	let flag = |b: bool| if b { Ext::one() } else { Ext::zero() };
	let r = statement.active_rows;
	let mut selectors: [Table; 4] = [
		Table((0..rows).map(|i| flag(i == 0)).collect()),
		Table((0..rows).map(|i| flag(i + 1 == rows)).collect()),
		Table((0..rows).map(|i| flag(i + 1 != rows)).collect()),
		Table((0..rows).map(|i| flag((i as u64) < r)).collect()),
	];
	let mut eq = Table(eq_table_lsb(&tau));

	let nodes = nodes(shape.round_values());
	let width = info.width;
	let mut cur_at = vec![Ext::zero(); width];
	let mut next_at = vec![Ext::zero(); width];
	let mut cur_pairs = vec![(Ext::zero(), Ext::zero()); width];
	let mut next_pairs = vec![(Ext::zero(), Ext::zero()); info.next_columns.len()];
	let interpolator = Interpolator::new(nodes.len());
	let mut rounds = Vec::with_capacity(n);
	let mut point = Vec::with_capacity(n);
	// The claim the forged rounds sum to (only with `forge_rounds`).
	let mut forged_claim = Ext::zero();
	for _ in 0..n {
		let half = eq.0.len() / 2;
		let mut h = vec![Ext::zero(); nodes.len()];
		for i in 0..half {
			for (pair, table) in cur_pairs.iter_mut().zip(&cur) {
				*pair = table.pair(i);
			}
			for (pair, table) in next_pairs.iter_mut().zip(&next) {
				*pair = table.pair(i);
			}
			let sel_pairs = selectors.each_ref().map(|t| t.pair(i));
			let eq_pair = eq.pair(i);
			for (d, x) in nodes.iter().enumerate() {
				let at = |(lo, diff): (Ext, Ext)| match d {
					0 => lo,
					1 => lo.add(&diff),
					_ => lo.add(&x.mul(&diff)),
				};
				for (value, &pair) in cur_at.iter_mut().zip(&cur_pairs) {
					*value = at(pair);
				}
				for (&k, &pair) in info.next_columns.iter().zip(&next_pairs) {
					next_at[k as usize] = at(pair);
				}
				let values = Values { cur: &cur_at, next: &next_at, selectors: sel_pairs.map(at) };
				let q = combine(air, values, &lambdas)?;
				h[d] = h[d].add(&at(eq_pair).mul(&q));
			}
		}
		if forge_rounds {
			// h(0) + h(1) is the honest claim; δ·X adds δ to that sum.
			let delta = forged_claim.add(&h[0]).add(&h[1]);
			for (value, x) in h.iter_mut().zip(&nodes) {
				*value = value.add(&delta.mul(x));
			}
		}
		transcript.absorb_exts(b"zc/round", &h);
		rounds.push(h.iter().map(|e| e.poly().value()).collect());
		let s = transcript.challenge();
		point.push(s);
		if forge_rounds {
			forged_claim = interpolator.evaluate(&h, s);
		}
		for table in cur.iter_mut().chain(next.iter_mut()).chain(selectors.iter_mut()) {
			table.fold(s);
		}
		eq.fold(s);
	}

	let mut cur_values: Vec<Ext> = cur.iter().map(|t| t.0[0]).collect();
	let mut next_values: Vec<Ext> = next.iter().map(|t| t.0[0]).collect();
	#[cfg(feature = "unchecked")]
	forge_value(air, info, statement, &tau, &point, &lambdas, forged_claim, forge, &mut cur_values, &mut next_values)?;
	#[cfg(not(feature = "unchecked"))]
	let _ = (forged_claim, &mut cur_values, &mut next_values);
	transcript.absorb_exts(b"zc/cur", &cur_values);
	transcript.absorb_exts(b"zc/next", &next_values);
	let claims = claims(info, statement, shape, &point, &cur_values, &next_values);
	let opening = agentic_pcs::prover::open(&shape.params, &[&committed], &claims, &mut transcript)?;
	Ok(TraceProof {
		trace_root: root,
		rounds,
		cur: cur_values.iter().map(|e| e.poly().value()).collect(),
		next: next_values.iter().map(|e| e.poly().value()).collect(),
		opening,
	})
}

/// Replaces one sent value by the one that makes the final check pass against the forged
/// claim, if the constraints are linear in it.
#[cfg(feature = "unchecked")]
#[allow(clippy::too_many_arguments)]
fn forge_value<A: Air>(
	air: &A,
	info: &AirInfo,
	statement: &Statement,
	tau: &[Ext],
	point: &[Ext],
	lambdas: &[Ext],
	forged_claim: Ext,
	forge: Forge,
	cur: &mut [Ext],
	next_sent: &mut [Ext],
) -> Result<(), ZerocheckError> {
	let (in_cur, column) = match forge {
		Forge::Cur(k) => (true, k),
		Forge::Next(k) => (false, k),
		_ => return Ok(()),
	};
	let slot = if in_cur { Some(column) } else { info.next_columns.iter().position(|&c| c as usize == column) };
	let slot = slot.filter(|&i| i < if in_cur { cur.len() } else { next_sent.len() });
	let slot = slot.ok_or(ZerocheckError::BadShape("no such value to forge"))?;
	let selectors = agentic_air::selectors_at(point, statement.active_rows);
	let eq = crate::shape::eq_eval(tau, point);
	let mut at = |v: Ext| {
		if in_cur {
			cur[slot] = v;
		} else {
			next_sent[slot] = v;
		}
		let mut next = vec![Ext::zero(); info.width];
		for (&k, value) in info.next_columns.iter().zip(next_sent.iter()) {
			next[k as usize] = *value;
		}
		combine(air, Values { cur: &*cur, next: &next, selectors }, lambdas).map(|c| eq.mul(&c))
	};
	let (f0, f1, f2) = (at(Ext::zero())?, at(Ext::one())?, at(Ext::from_value(2))?);
	let slope = f0.add(&f1);
	if slope == Ext::zero() || f0.add(&slope.mul(&Ext::from_value(2))) != f2 {
		return Err(ZerocheckError::BadShape("the constraints are not linear in the forged value"));
	}
	at(forged_claim.add(&f0).mul(&slope.inv()))?;
	Ok(())
}

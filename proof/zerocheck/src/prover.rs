//! Proving that traces satisfy their AIRs (std, feature `prover`).

use crate::{
	shape::{
		absorb_statement, accumulator_bytes, aux_claims, balanced, claims, nodes, num_challenges, shapes, Interpolator,
		ProofShape,
	},
	Config, Shape, Statement, TableProof, TableStatement, Tables, TraceProof, ZerocheckError, DOMAIN,
};
use agentic_air::{
	analyze, check_trace, combine, ext::Coordinates, interaction_products, Air, AirInfo, BinaryFieldElement, Values,
	MAX_INDEX_BIT,
};
use agentic_pcs::{
	prover::{commit, open_recursive},
	Base, Ext, Transcript,
};
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
	run(&[air], &statement.tables(), config, &[trace], true, Forge::None)
}

/// Proves that every trace satisfies its AIR under `statement` (one AIR and one trace per
/// table, in the statement's order), and that the tables' interactions balance with the
/// statement's public ones. Every trace is checked first, and the balance after the challenges:
/// an invalid trace is an error, not a proof.
pub fn prove_tables<A: Air>(
	airs: &[&A],
	statement: &Tables,
	config: &Config,
	traces: &[&[Vec<Base>]],
) -> Result<TraceProof, ZerocheckError> {
	run(airs, statement, config, traces, true, Forge::None)
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
	run(&[air], &statement.tables(), config, &[trace], false, Forge::None)
}

/// [`prove_tables`] without checking the traces or the balance (feature `unchecked`).
#[cfg(feature = "unchecked")]
pub fn prove_tables_unchecked<A: Air>(
	airs: &[&A],
	statement: &Tables,
	config: &Config,
	traces: &[&[Vec<Base>]],
) -> Result<TraceProof, ZerocheckError> {
	run(airs, statement, config, traces, false, Forge::None)
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
	/// Every table's running product committed as the constant 1 (so any tuples "balance"):
	/// only the accumulator's transition constraint can catch it.
	Accumulator,
	/// The first two interacting tables claim their running products times `c` and divided by
	/// `c` (still balanced) while committing the true columns: only the claim's opening at row
	/// `R` can catch it.
	ScaledClaims(u128),
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
	prove_tables_forged(&[air], &statement.tables(), config, &[trace], forgery)
}

/// [`prove_tables`] without checks, lying as `forgery` says (the round and value forgeries
/// apply to the first table; feature `unchecked`).
#[cfg(feature = "unchecked")]
pub fn prove_tables_forged<A: Air>(
	airs: &[&A],
	statement: &Tables,
	config: &Config,
	traces: &[&[Vec<Base>]],
	forgery: Forgery,
) -> Result<TraceProof, ZerocheckError> {
	let forge = match forgery {
		Forgery::Rounds => Forge::Rounds,
		Forgery::RoundsAndCur(k) => Forge::Cur(k as usize),
		Forgery::RoundsAndNext(k) => Forge::Next(k as usize),
		Forgery::Accumulator => Forge::Accumulator,
		Forgery::ScaledClaims(c) => Forge::Scaled(c),
	};
	run(airs, statement, config, traces, false, forge)
}

/// The honest prover, or one of the test forgeries (applied to the first table).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Forge {
	None,
	#[cfg(feature = "unchecked")]
	Rounds,
	#[cfg(feature = "unchecked")]
	Cur(usize),
	#[cfg(feature = "unchecked")]
	Next(usize),
	#[cfg(feature = "unchecked")]
	Accumulator,
	#[cfg(feature = "unchecked")]
	Scaled(u128),
}

impl Forge {
	/// Whether the zerocheck's rounds are forged.
	fn rounds(self) -> bool {
		!matches!(self, Forge::None) && !self.accumulator() && self.scale().is_none()
	}

	/// The factor the claims are scaled by, if they are forged.
	fn scale(self) -> Option<Ext> {
		#[cfg(feature = "unchecked")]
		if let Forge::Scaled(c) = self {
			return Some(Ext::from_value(c));
		}
		None
	}

	/// Whether the running products are forged.
	fn accumulator(self) -> bool {
		#[cfg(feature = "unchecked")]
		if let Forge::Accumulator = self {
			return true;
		}
		false
	}
}

/// Analyses the AIRs, checks the shapes and (if `checked`) every trace against its AIR and
/// statement, and proves.
fn run<A: Air>(
	airs: &[&A],
	statement: &Tables,
	config: &Config,
	traces: &[&[Vec<Base>]],
	checked: bool,
	forge: Forge,
) -> Result<TraceProof, ZerocheckError> {
	let infos = airs.iter().map(|air| analyze(*air)).collect::<Result<Vec<_>, _>>()?;
	let shape = shapes(&infos, statement, config)?;
	if traces.len() != infos.len() {
		return Err(ZerocheckError::BadShape("one trace per table"));
	}
	for ((info, table_shape), trace) in infos.iter().zip(&shape.tables).zip(traces) {
		check_shape(info, table_shape, trace)?;
	}
	if checked {
		for ((air, table), trace) in airs.iter().zip(&statement.tables).zip(traces) {
			check_table(*air, table, trace)?;
		}
	}
	prove_inner(airs, &infos, &shape, statement, traces, checked, forge)
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

fn check_table<A: Air>(air: &A, statement: &TableStatement, trace: &[Vec<Base>]) -> Result<(), ZerocheckError> {
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

fn flag(b: bool) -> Ext {
	if b {
		Ext::one()
	} else {
		Ext::zero()
	}
}

/// The selectors' values on row `i` of `rows`, `r` transitions.
fn selectors_on_row(i: usize, rows: usize, r: u64) -> [Ext; 4] {
	[flag(i == 0), flag(i + 1 == rows), flag(i + 1 != rows), flag((i as u64) < r)]
}

/// One table's running product: `acc[0] = 1`, `acc[i + 1] = acc[i] · send_i / receive_i` on the
/// rows below `R`, constant after. Returned as four coordinate columns.
fn running_product<A: Air>(
	air: &A,
	statement: &TableStatement,
	trace: &[Vec<Base>],
	challenges: &[Ext],
	coordinates: &Coordinates,
) -> Result<Vec<Vec<Base>>, ZerocheckError> {
	let rows = trace.first().map_or(0, |c| c.len());
	let mut columns = vec![vec![Base::zero(); rows]; 4];
	let mut acc = Ext::one();
	let mut cur = vec![Ext::zero(); trace.len()];
	let mut bits = vec![Ext::zero(); MAX_INDEX_BIT as usize + 1];
	for i in 0..rows {
		let coords = coordinates.of(acc);
		for (column, c) in columns.iter_mut().zip(coords) {
			column[i] = c;
		}
		if (i as u64) < statement.active_rows {
			for (value, column) in cur.iter_mut().zip(trace) {
				*value = Ext::from(column[i]);
			}
			for (b, slot) in bits.iter_mut().enumerate() {
				*slot = flag((i >> b) & 1 == 1);
			}
			let values = Values {
				cur: &cur,
				next: &[],
				selectors: selectors_on_row(i, rows, statement.active_rows),
				index_bits: &bits,
				challenges,
			};
			let (send, receive) = interaction_products(air, values);
			if receive == Ext::zero() {
				return Err(ZerocheckError::BadShape("a received tuple's fingerprint is zero"));
			}
			acc = acc.mul(&send).mul(&receive.inv());
		}
	}
	Ok(columns)
}

fn prove_inner<A: Air>(
	airs: &[&A],
	infos: &[AirInfo],
	shape: &ProofShape,
	statement: &Tables,
	traces: &[&[Vec<Base>]],
	checked: bool,
	forge: Forge,
) -> Result<TraceProof, ZerocheckError> {
	let mut transcript = Transcript::new(DOMAIN);
	absorb_statement(&mut transcript, infos, shape, statement);

	// Phase 1: every table's columns, in one commitment.
	let columns: Vec<&[Base]> = traces.iter().flat_map(|trace| trace.iter().map(|c| &c[..])).collect();
	let committed = commit(&shape.trace.params, &columns)?;
	transcript.absorb_root(b"zc/trace_root", &committed.commitment().root);
	let challenges: Vec<Ext> = (0..num_challenges(infos, statement)).map(|_| transcript.challenge()).collect();

	// Phase 2: the running products of the tables that interact, in one commitment, and their
	// final values.
	let coordinates = Coordinates::new();
	let mut products: Vec<Option<(Vec<Vec<Base>>, [Base; 4])>> = Vec::with_capacity(infos.len());
	let mut claims_so_far = 0;
	for (t, table_shape) in shape.tables.iter().enumerate() {
		if !table_shape.interacts {
			products.push(None);
			continue;
		}
		let columns = if forge.accumulator() {
			let rows = 1usize << table_shape.num_vars;
			vec![vec![Base::one(); rows], vec![Base::zero(); rows], vec![Base::zero(); rows], vec![Base::zero(); rows]]
		} else {
			running_product(airs[t], &statement.tables[t], traces[t], &challenges, &coordinates)?
		};
		let end = statement.tables[t].active_rows as usize;
		let mut accumulator = [columns[0][end], columns[1][end], columns[2][end], columns[3][end]];
		if let Some(c) = forge.scale() {
			// The first interacting table's claim times c, the second's divided by c.
			let factor = if claims_so_far == 0 { c } else { c.inv() };
			accumulator = coordinates.of(agentic_air::ext::from_coords(&accumulator).mul(&factor));
		}
		products.push(Some((columns, accumulator)));
		claims_so_far += 1;
	}
	let aux_committed = match &shape.aux {
		Some(stack) => {
			let columns: Vec<&[Base]> =
				products.iter().flatten().flat_map(|(columns, _)| columns.iter().map(|c| &c[..])).collect();
			debug_assert_eq!(columns.len(), stack.num_vars.len(), "four columns per interacting table");
			let committed = commit(&stack.params, &columns)?;
			transcript.absorb_root(b"zc/aux_root", &committed.commitment().root);
			Some(committed)
		},
		None => None,
	};
	for (_, accumulator) in products.iter().flatten() {
		transcript.absorb_bytes(b"zc/accumulator", &accumulator_bytes(accumulator));
	}
	if checked {
		let claims: Vec<[Base; 4]> = products.iter().flatten().map(|(_, a)| *a).collect();
		if !balanced(&claims, statement, &challenges) {
			return Err(ZerocheckError::Unbalanced);
		}
	}

	// Per table, the zerocheck; then one opening of every table's columns and one of every
	// running product.
	let mut proofs = Vec::with_capacity(infos.len());
	let (mut trace_claims, mut aux_claims_all) = (Vec::new(), Vec::new());
	for (t, product) in products.iter().enumerate() {
		let aux_columns = product.as_ref().map(|p| &p.0[..]).unwrap_or(&[]);
		let table_forge = if t == 0 { forge } else { Forge::None };
		let table_shape = &shape.tables[t];
		let (point, cur, next, rounds) = zerocheck(
			airs[t],
			&infos[t],
			table_shape,
			&statement.tables[t],
			traces[t],
			aux_columns,
			&challenges,
			&mut transcript,
			table_forge,
		)?;
		let first = shape.trace.first[t].unwrap_or(0);
		trace_claims.extend(claims(&infos[t], &statement.tables[t], table_shape, first, &point, &cur, &next));
		let aux_first = shape.aux.as_ref().and_then(|a| a.first[t]);
		let accumulator = match (product, aux_first) {
			(Some((_, accumulator)), Some(aux_first)) => {
				let table = &statement.tables[t];
				aux_claims_all.extend(aux_claims(
					&infos[t],
					table,
					table_shape,
					aux_first,
					&point,
					&cur,
					&next,
					accumulator,
				));
				Some(accumulator.map(|c| c.poly().value()))
			},
			_ => None,
		};
		proofs.push(TableProof {
			accumulator,
			rounds,
			cur: cur.iter().map(|e| e.poly().value()).collect(),
			next: next.iter().map(|e| e.poly().value()).collect(),
		});
	}
	let opening = open_recursive(&shape.trace.params, &[&committed], &trace_claims, &mut transcript)?;
	let aux_opening = match (&shape.aux, &aux_committed) {
		(Some(stack), Some(aux)) => Some(open_recursive(&stack.params, &[aux], &aux_claims_all, &mut transcript)?),
		_ => None,
	};
	Ok(TraceProof {
		trace_root: committed.commitment().root,
		aux_root: aux_committed.map(|c| c.commitment().root),
		tables: proofs,
		opening,
		aux_opening,
	})
}

/// One table's zerocheck: draws `λ` and `τ`, runs the rounds, absorbs the values at the final
/// point. Returns the point, the values (every column, the running product's after the AIR's)
/// and the rounds.
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
fn zerocheck<A: Air>(
	air: &A,
	info: &AirInfo,
	shape: &Shape,
	statement: &TableStatement,
	trace: &[Vec<Base>],
	aux: &[Vec<Base>],
	challenges: &[Ext],
	transcript: &mut Transcript,
	forge: Forge,
) -> Result<(Vec<Ext>, Vec<Ext>, Vec<Ext>, Vec<Vec<u128>>), ZerocheckError> {
	let forge_rounds = forge.rounds();
	let n = shape.num_vars as usize;
	let rows = 1usize << n;
	let lambdas: Vec<Ext> = info.constraints.iter().map(|_| transcript.challenge()).collect();
	let tau: Vec<Ext> = (0..n).map(|_| transcript.challenge()).collect();

	// The tables: every column (the running product's after the AIR's), every next-row
	// column, the selectors, the index bits the AIR reads and eq(τ, ·).
	let all: Vec<&Vec<Base>> = trace.iter().chain(aux.iter()).collect();
	let width = all.len();
	let mut cur: Vec<Table> = all.iter().map(|c| Table::lifted(c)).collect();
	let mut next: Vec<Table> = info
		.next_columns
		.iter()
		.map(|&k| {
			let column = all[k as usize];
			Table((0..rows).map(|i| column.get(i + 1).map_or(Ext::zero(), |&v| Ext::from(v))).collect())
		})
		.collect();
	let r = statement.active_rows;
	let mut selectors: [Table; 4] =
		[0usize, 1, 2, 3].map(|s| Table((0..rows).map(|i| selectors_on_row(i, rows, r)[s]).collect()));
	let mut bit_tables: Vec<Table> =
		info.index_bits.iter().map(|&b| Table((0..rows).map(|i| flag((i >> b) & 1 == 1)).collect())).collect();
	let mut eq = Table(eq_table_lsb(&tau));

	let nodes = nodes(shape.round_values());
	let mut cur_at = vec![Ext::zero(); width];
	let mut next_at = vec![Ext::zero(); width];
	let mut bits_at = vec![Ext::zero(); MAX_INDEX_BIT as usize + 1];
	let mut cur_pairs = vec![(Ext::zero(), Ext::zero()); width];
	let mut next_pairs = vec![(Ext::zero(), Ext::zero()); info.next_columns.len()];
	let mut bit_pairs = vec![(Ext::zero(), Ext::zero()); info.index_bits.len()];
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
			for (pair, table) in bit_pairs.iter_mut().zip(&bit_tables) {
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
				for (&b, &pair) in info.index_bits.iter().zip(&bit_pairs) {
					bits_at[b as usize] = at(pair);
				}
				let values = Values {
					cur: &cur_at,
					next: &next_at,
					selectors: sel_pairs.map(at),
					index_bits: &bits_at,
					challenges,
				};
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
		for table in cur.iter_mut().chain(next.iter_mut()).chain(selectors.iter_mut()).chain(bit_tables.iter_mut()) {
			table.fold(s);
		}
		eq.fold(s);
	}

	let mut cur_values: Vec<Ext> = cur.iter().map(|t| t.0[0]).collect();
	let mut next_values: Vec<Ext> = next.iter().map(|t| t.0[0]).collect();
	#[cfg(feature = "unchecked")]
	forge_value(
		air,
		info,
		statement,
		&tau,
		&point,
		&lambdas,
		challenges,
		forged_claim,
		forge,
		&mut cur_values,
		&mut next_values,
	)?;
	#[cfg(not(feature = "unchecked"))]
	let _ = (forged_claim, &mut cur_values, &mut next_values);
	transcript.absorb_exts(b"zc/cur", &cur_values);
	transcript.absorb_exts(b"zc/next", &next_values);
	Ok((point, cur_values, next_values, rounds))
}

/// Replaces one sent value by the one that makes the final check pass against the forged
/// claim, if the constraints are linear in it.
#[cfg(feature = "unchecked")]
#[allow(clippy::too_many_arguments)]
fn forge_value<A: Air>(
	air: &A,
	info: &AirInfo,
	statement: &TableStatement,
	tau: &[Ext],
	point: &[Ext],
	lambdas: &[Ext],
	challenges: &[Ext],
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
	let eq = agentic_pcs::eq_eval(tau, point);
	let mut at = |v: Ext| {
		if in_cur {
			cur[slot] = v;
		} else {
			next_sent[slot] = v;
		}
		let mut next = vec![Ext::zero(); info.total_width()];
		for (&k, value) in info.next_columns.iter().zip(next_sent.iter()) {
			next[k as usize] = *value;
		}
		let values = Values { cur: &*cur, next: &next, selectors, index_bits: point, challenges };
		combine(air, values, lambdas).map(|c| eq.mul(&c))
	};
	let (f0, f1, f2) = (at(Ext::zero())?, at(Ext::one())?, at(Ext::from_value(2))?);
	let slope = f0.add(&f1);
	if slope == Ext::zero() || f0.add(&slope.mul(&Ext::from_value(2))) != f2 {
		return Err(ZerocheckError::BadShape("the constraints are not linear in the forged value"));
	}
	at(forged_claim.add(&f0).mul(&slope.inv()))?;
	Ok(())
}

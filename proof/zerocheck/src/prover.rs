//! Proving that traces satisfy their AIRs (std, feature `prover`).

use crate::{
	bus::prover::{prove_bus, BusForge},
	shape::{
		absorb_statement, balanced, claims, next_claim, nodes, num_challenges, shapes, Interpolator, ProofShape,
		TableColumns,
	},
	Config, Shape, Statement, TableProof, TableStatement, Tables, TraceProof, ZerocheckError, DOMAIN,
};
use agentic_air::{
	analyze, bus_leaf, bus_leaves, check_trace,
	circuit::{BoundWeights, Circuit, Input},
	combine_with_leaves, interaction_parts,
	interactions::{BoundInteractions, InteractionForms},
	Air, AirInfo, BinaryFieldElement, Direction, Lanes, Point, Selector, Values, LANES, MAX_INDEX_BIT,
};
pub use agentic_pcs::prover::zeroed_values;

mod kernel;
use agentic_pcs::{
	field::{accelerated, eight, fold_pairs_with, mul_wide, reduce_wide, FastMul},
	prover::{commit, open_recursive, Committed},
	Base, Ext, Transcript,
};
use kernel::Kernel;

/// Proves that `trace` (the AIR's columns, `2^n` values each) satisfies `air` under
/// `statement`. An invalid trace is an error, not a proof: the proof made is verified before it
/// is returned, and if it fails the trace is checked row by row and against the statement's
/// boundary values and public columns for the first violation ([`run`]).
pub fn prove<A: Air + Sync>(
	air: &A,
	statement: &Statement,
	config: &Config,
	trace: &[Vec<Base>],
) -> Result<TraceProof, ZerocheckError> {
	run(&[air], &statement.tables(), config, &[trace], true, Forge::None)
}

/// Proves that every trace satisfies its AIR under `statement` (one AIR and one trace per
/// table, in the statement's order), and that the tables' interactions balance with the
/// statement's public ones. The balance is checked after the challenges and the proof made is
/// verified before it is returned: an invalid trace is an error, not a proof ([`run`]).
pub fn prove_tables<A: Air + Sync>(
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
pub fn prove_unchecked<A: Air + Sync>(
	air: &A,
	statement: &Statement,
	config: &Config,
	trace: &[Vec<Base>],
) -> Result<TraceProof, ZerocheckError> {
	run(&[air], &statement.tables(), config, &[trace], false, Forge::None)
}

/// [`prove_tables`] without checking the traces or the balance (feature `unchecked`).
#[cfg(feature = "unchecked")]
pub fn prove_tables_unchecked<A: Air + Sync>(
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
	/// Rounds that agree with the running claim whatever the trace: since a round's value at 1
	/// follows from the claim ([`EqClaim`](crate::shape::EqClaim)), any rounds do, and this is
	/// the unchecked prover; only the final check can catch it.
	Rounds,
	/// The rounds, and the sent value of column `k` at the final point solved so that the final
	/// check passes against the running claim (`F` must be linear in it): only the opening can
	/// catch it.
	RoundsAndCur(u32),
	/// The same with the next-row value of column `k` (one of the AIR's next columns).
	RoundsAndNext(u32),
	/// The bus circuit's outputs `u_0` and `v_0` times `c` (so the balance still holds): the
	/// circuit's first layer (or, with one variable, the leaves) must catch it.
	BusOutputs(u128),
	/// The same, with the first layer's `u_0` solved so that its check passes: the next layer
	/// (or the leaves) must catch it.
	BusOutputsAndLayer(u128),
	/// Every table's bus leaves taken as 1 (so any tuples "balance") and the circuit proven
	/// honestly over them: the first interacting table's zerocheck must catch it.
	Leaves,
	/// The first two interacting tables' send claims shifted so that they still recombine: the
	/// first table's zerocheck must catch it.
	LeafClaims(u128),
}

/// Proves `trace` without checking it, lying as `forgery` says: tests of the verifier's final
/// check and of the opening's binding of the sent values (feature `unchecked`).
#[cfg(feature = "unchecked")]
pub fn prove_forged<A: Air + Sync>(
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
pub fn prove_tables_forged<A: Air + Sync>(
	airs: &[&A],
	statement: &Tables,
	config: &Config,
	traces: &[&[Vec<Base>]],
	forgery: Forgery,
) -> Result<TraceProof, ZerocheckError> {
	let forge = match forgery {
		Forgery::Rounds => Forge::None,
		Forgery::RoundsAndCur(k) => Forge::Cur(k as usize),
		Forgery::RoundsAndNext(k) => Forge::Next(k as usize),
		Forgery::BusOutputs(c) => Forge::Bus(BusForge::Outputs(c)),
		Forgery::BusOutputsAndLayer(c) => Forge::Bus(BusForge::OutputsAndLayer(c)),
		Forgery::Leaves => Forge::Leaves,
		Forgery::LeafClaims(c) => Forge::Bus(BusForge::LeafClaims(c)),
	};
	run(airs, statement, config, traces, false, forge)
}

/// The honest prover, or one of the test forgeries (applied to the first table).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Forge {
	None,
	#[cfg(feature = "unchecked")]
	Cur(usize),
	#[cfg(feature = "unchecked")]
	Next(usize),
	#[cfg(feature = "unchecked")]
	Bus(BusForge),
	#[cfg(feature = "unchecked")]
	Leaves,
}

impl Forge {
	/// Whether the bus leaves are replaced by 1.
	fn leaves(self) -> bool {
		#[cfg(feature = "unchecked")]
		if let Forge::Leaves = self {
			return true;
		}
		false
	}

	/// How the bus circuit lies.
	fn bus(self) -> BusForge {
		#[cfg(feature = "unchecked")]
		if let Forge::Bus(forge) = self {
			return forge;
		}
		BusForge::None
	}
}

/// Every table's bit columns packed as the commitment takes them ([`TableColumns`]).
fn pack_bit_columns(infos: &[AirInfo], traces: &[&[Vec<Base>]]) -> Result<Vec<Vec<Vec<Base>>>, ZerocheckError> {
	let table = |(info, trace): (&AirInfo, &&[Vec<Base>])| -> Result<Vec<Vec<Base>>, ZerocheckError> {
		let packs: Vec<&[u32]> = TableColumns::new(info).pack_columns().collect();
		let pack = |pack: &&[u32]| {
			let columns: Vec<&[Base]> = pack.iter().map(|&k| &trace[k as usize][..]).collect();
			agentic_pcs::pack(&columns).map_err(ZerocheckError::from)
		};
		// With `parallel`, every table's packs on every core.
		#[cfg(feature = "parallel")]
		{
			use rayon::prelude::*;
			packs.par_iter().map(pack).collect()
		}
		#[cfg(not(feature = "parallel"))]
		packs.iter().map(pack).collect()
	};
	infos.iter().zip(traces).map(table).collect()
}

/// Analyses the AIRs, checks the shapes, commits and proves; if `checked`, verifies the proof
/// before returning it.
///
/// The checked prover does not check the traces row by row before it proves: that took longer
/// than the commitment (every constraint of every row, in `E`). It verifies its own proof
/// instead (a few milliseconds), which fails for an invalid trace but with the proof system's
/// soundness error, and only then looks for the violation, row by row and against the
/// statement ([`diagnose`]). So an invalid trace gives the same error as checking it first
/// would, and a valid one that does not verify (a fault of the prover) the verifier's error.
fn run<A: Air + Sync>(
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
	// Phase 1: every table's columns, in one commitment.
	let packs = pack_bit_columns(&infos, traces)?;
	let mut columns: Vec<&[Base]> = Vec::with_capacity(shape.trace.num_vars.len());
	for ((info, trace), packs) in infos.iter().zip(traces).zip(&packs) {
		columns.extend(TableColumns::new(info).plain().map(|k| &trace[k as usize][..]));
		columns.extend(packs.iter().map(|p| &p[..]));
	}
	let committed = commit(&shape.trace.params, &columns)?;
	let proof = prove_inner(airs, &infos, &shape, statement, traces, committed, checked, forge);
	if !checked {
		return proof;
	}
	match proof.and_then(|proof| crate::verifier::verify_tables(airs, statement, config, &proof).map(|()| proof)) {
		Ok(proof) => Ok(proof),
		Err(error) => Err(diagnose(airs, statement, traces).err().unwrap_or(error)),
	}
}

/// The first violation of the traces, in table order (per table, the rows first, then the
/// boundary values and public columns): with feature `parallel`, the tables one per task.
fn diagnose<A: Air + Sync>(airs: &[&A], statement: &Tables, traces: &[&[Vec<Base>]]) -> Result<(), ZerocheckError> {
	let tables: Vec<_> = airs.iter().zip(&statement.tables).zip(traces).collect();
	let check = |((air, table), trace): &((&&A, &TableStatement), &&[Vec<Base>])| check_table(**air, table, trace);
	#[cfg(feature = "parallel")]
	{
		use rayon::prelude::*;
		tables.par_iter().map(check).collect::<Vec<Result<(), ZerocheckError>>>().into_iter().collect()
	}
	#[cfg(not(feature = "parallel"))]
	tables.iter().try_for_each(check)
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

/// A multilinear table being bound variable by variable, lowest first: until its first fold a
/// trace column in `B`, read in place (each value embedded in `E` where it is read); after it,
/// the column and the first challenge ([`Table::Folded`]); from the second, the bound values in
/// `E`, half as many each round.
enum Table<'a> {
	/// Row `i` is `column[i + offset]`, 0 past the column's end, for as many rows as the
	/// column has.
	Base { column: &'a [Base], offset: usize },
	/// A `Base` table bound once, to `r`, computed where it is read: row `i` is
	/// `b(2i) + r (b(2i) + b(2i + 1))` with `b(j)` the `Base` table's row `j` ([`fold_base`]),
	/// for half as many rows as the column has. The first fold writes nothing (the trace's
	/// columns bound in `E` were four times their size, each page of it new), and the second
	/// reads the columns in `B`.
	Folded { column: &'a [Base], offset: usize, r: Ext },
	/// The values, one per row.
	Ext(Vec<Ext>),
}

impl<'a> Table<'a> {
	/// The column `column` (`offset` 0), or its next-row column (`offset` 1).
	fn base(column: &'a [Base], offset: usize) -> Table<'a> {
		Table::Base { column, offset }
	}

	/// The value on row `i`.
	#[inline(always)]
	fn value(&self, i: usize) -> Ext {
		match self {
			Table::Base { column, offset, .. } => base_row(column, *offset, i).map_or(Ext::zero(), embed),
			Table::Folded { column, offset, r } => fold_base(column, *offset, r, [i; LANES]).0[0],
			Table::Ext(values) => values[i],
		}
	}

	/// Asks the processor to fetch rows `i .. i + 2 LANES` into its cache, if they exist: the
	/// next group's rows, while this one is evaluated. The rounds read every table a few rows
	/// at a time, hundreds of tables side by side, more streams than the processor's own
	/// prefetching follows. A hint: no effect on any value.
	#[inline(always)]
	fn prefetch(&self, i: usize) {
		#[cfg(target_arch = "x86_64")]
		{
			use core::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
			let fetch = |address: *const i8| {
				// SAFETY: a prefetch is a hint that never faults, whatever the address; the
				// addresses are of elements that exist (checked by `get`); SSE, which the
				// instruction needs, is part of every x86_64 target.
				unsafe { _mm_prefetch::<_MM_HINT_T0>(address) }
			};
			match self {
				// 2 LANES values of 4 bytes: one 64-byte line (or two, unaligned).
				Table::Base { column, offset } => {
					for row in [i, i + 2 * LANES - 1] {
						if let Some(value) = column.get(row + offset) {
							fetch((value as *const Base).cast());
						}
					}
				},
				// 4 LANES values of 4 bytes: two lines (three, unaligned).
				Table::Folded { column, offset, .. } => {
					for row in [2 * i, 2 * i + 2 * LANES, 2 * i + 4 * LANES - 1] {
						if let Some(value) = column.get(row + offset) {
							fetch((value as *const Base).cast());
						}
					}
				},
				// 2 LANES values of 16 bytes: four lines (five, unaligned).
				Table::Ext(values) => {
					for row in (i..i + 2 * LANES).step_by(4).chain([i + 2 * LANES - 1]) {
						if let Some(value) = values.get(row) {
							fetch((value as *const Ext).cast());
						}
					}
				},
			}
		}
		#[cfg(not(target_arch = "x86_64"))]
		let _ = i;
	}

	/// The values of the pairs `group` at their two rows (`2i`, then `2i + 1`), into `lo` and
	/// `hi`.
	#[inline(always)]
	fn pair_values(&self, group: &[usize; LANES], lo: &mut Lanes, hi: &mut Lanes) {
		match self {
			Table::Base { column, offset } => {
				for l in 0..LANES {
					let row = 2 * group[l] + offset;
					lo.0[l] = column.get(row).map_or(Ext::zero(), |&v| embed(v));
					hi.0[l] = column.get(row + 1).map_or(Ext::zero(), |&v| embed(v));
				}
			},
			Table::Folded { column, offset, r } => {
				*lo = fold_base(column, *offset, r, group.map(|i| 2 * i));
				*hi = fold_base(column, *offset, r, group.map(|i| 2 * i + 1));
			},
			Table::Ext(values) => {
				for l in 0..LANES {
					lo.0[l] = values[2 * group[l]];
					hi.0[l] = values[2 * group[l] + 1];
				}
			},
		}
	}

	/// Whether rows `i` and `j` hold the same value.
	#[inline(always)]
	fn same_rows(&self, i: usize, j: usize) -> bool {
		match self {
			Table::Base { column, offset, .. } => column.get(i + offset) == column.get(j + offset),
			// The same pairs of `B` rows fold to the same value (other pairs may too: a run
			// found is one, perhaps shorter; a row past the column's end, 0, differs from a
			// stored 0 here, which only a next-row table's last pair has, already unlike the
			// others by its `last` selector).
			Table::Folded { column, offset, .. } => {
				(base_row(column, *offset, 2 * i), base_row(column, *offset, 2 * i + 1))
					== (base_row(column, *offset, 2 * j), base_row(column, *offset, 2 * j + 1))
			},
			Table::Ext(values) => values[i] == values[j],
		}
	}

	/// The value at `X = d` (the field element whose value is `d`) of pair `i`.
	#[cfg(test)]
	fn at(&self, i: usize, d: u128) -> Ext {
		line_at(self.value(2 * i), self.value(2 * i + 1), d)
	}

	/// [`Table::fold`] with [`eight::WideCpu`]'s products where the CPU has them, compiled with
	/// their instructions, else with [`eight::Dispatched`]'s ([`eight::by_cpu`]).
	fn fold_by_cpu(&mut self, r: Ext) {
		struct Fold<'t, 'a> {
			table: &'t mut Table<'a>,
			r: Ext,
		}
		impl eight::Loop for Fold<'_, '_> {
			type Output = ();
			#[inline(always)]
			fn run<P: eight::Products>(self, products: P) {
				self.table.fold(self.r, products)
			}
		}
		eight::by_cpu(Fold { table: self, r })
	}

	/// Binds the lowest variable to `r`: pair `(v_2i, v_2i+1)` becomes `v_2i + r (v_2i+1 + v_2i)`,
	/// as `agentic_pcs::field::fold_pairs` folds: a `Base` table by reference ([`Table::Folded`]), a folded one
	/// into `E` values, eight pairs at a time.
	#[inline(always)]
	fn fold<P: eight::Products>(&mut self, r: Ext, products: P) {
		match self {
			Table::Ext(values) => fold_pairs_with(values, &r, products),
			&mut Table::Base { column, offset } => *self = Table::Folded { column, offset, r },
			// Bound to its first challenge already (read by `pair_values`), now to `r`.
			&mut Table::Folded { column, offset, r: first } => {
				let half = column.len() / 4;
				let whole = half - half % eight::EIGHT;
				let mut folded = Vec::with_capacity(half);
				let bits = BitsFold::new(first, r);
				for i in (0..whole).step_by(eight::EIGHT) {
					// Rows `4i ..` of the `B` table, all there: where they are 0s and 1s, each
					// value is the table's entry for its four bits.
					if let Some(rows) = column.get(4 * i + offset..4 * (i + eight::EIGHT) + offset) {
						if rows.iter().fold(0, |acc, v| acc | v.poly().value()) >> 1 == 0 {
							folded.extend(rows.chunks_exact(4).map(|four| bits.of(four)));
							continue;
						}
					}
					let (mut lo, mut hi) = (Lanes::splat(Ext::zero()), Lanes::splat(Ext::zero()));
					self.pair_values(&core::array::from_fn(|l| i + l), &mut lo, &mut hi);
					let slopes: [Ext; eight::EIGHT] = core::array::from_fn(|l| hi.0[l].add(&lo.0[l]));
					let scaled = products.scale(&slopes, &r);
					folded.extend(lo.0.iter().zip(&scaled).map(|(lo, scaled)| lo.add(scaled)));
				}
				folded.extend((whole..half).map(|i| {
					let (lo, hi) = (self.value(2 * i), self.value(2 * i + 1));
					lo.add(&agentic_pcs::field::mul(&r, &hi.add(&lo)))
				}));
				*self = Table::Ext(folded);
			},
		}
	}
}

/// A [`Table::Folded`] bound to `r` too, where its `B` rows are 0s and 1s: row `m` is
/// `Σ_t c_t b(4m + t)` with `c = ((1 + r₀)(1 + r), r₀ (1 + r), (1 + r₀) r, r₀ r)`, so one of
/// sixteen sums of the `c_t`, chosen by the four bits.
struct BitsFold([Ext; 16]);

impl BitsFold {
	/// The sums for the first challenge `first` and the second `r`.
	fn new(first: Ext, r: Ext) -> BitsFold {
		let (one_first, one_r) = (Ext::one().add(&first), Ext::one().add(&r));
		let c = [one_first.fast_mul(&one_r), first.fast_mul(&one_r), one_first.fast_mul(&r), first.fast_mul(&r)];
		BitsFold(core::array::from_fn(|p| {
			(0..4).filter(|t| p >> t & 1 == 1).fold(Ext::zero(), |acc, t| acc.add(&c[t]))
		}))
	}

	/// The folded value of four rows that are each 0 or 1.
	#[inline(always)]
	fn of(&self, four: &[Base]) -> Ext {
		let bit = |t: usize| (four[t].poly().value() as usize) << t;
		self.0[bit(0) | bit(1) | bit(2) | bit(3)]
	}
}

/// Row `i` of a `Base` table (`None` past the column's end, where it is 0).
#[inline(always)]
fn base_row(column: &[Base], offset: usize, i: usize) -> Option<Base> {
	column.get(i + offset).copied()
}

/// Rows `at` of a [`Table::Folded`] of the `Base` table `(column, offset)` and `r`:
/// `b(2m) + r (b(2m) + b(2m + 1))` for each `m` of `at`. Where every value read is 0 or 1 (a
/// bit column's) one of 0, 1, r, 1 + r, chosen; else embedded and multiplied, eight at a time.
#[inline(always)]
fn fold_base(column: &[Base], offset: usize, r: &Ext, at: [usize; LANES]) -> Lanes {
	let raw = |i: usize| base_row(column, offset, i).map_or(0, |v| v.poly().value());
	let pairs: [[u32; 2]; LANES] = at.map(|m| [raw(2 * m), raw(2 * m + 1)]);
	if pairs.iter().fold(0, |acc, [lo, hi]| acc | lo | hi) >> 1 == 0 {
		let r = r.poly().value();
		return Lanes(pairs.map(|[lo, hi]| Ext::from_value(lo as u128 ^ (r & 0u128.wrapping_sub((lo ^ hi) as u128)))));
	}
	let lo = pairs.map(|[lo, _]| embed(Base::from_value(lo)));
	let slopes: [Ext; LANES] = core::array::from_fn(|l| embed(Base::from_value(pairs[l][1])).add(&lo[l]));
	let scaled = eight::scale(&slopes, r);
	Lanes(core::array::from_fn(|l| lo[l].add(&scaled[l])))
}

/// `v` in `Ext` (the field embedding): 0 and 1, a bit column's values, without the embedding's
/// table lookups.
#[inline(always)]
fn embed(v: Base) -> Ext {
	match v.poly().value() {
		bit @ (0 | 1) => Ext::from_value(bit as u128),
		_ => Ext::from(v),
	}
}

/// The value at `X = d` (the field element whose value is `d`) of the line through `lo` at 0
/// and `hi` at 1: `lo + d · (lo + hi)`, with `d · (lo + hi)` by shifts (multiplying by `x` is a
/// shift and, past `x^127`, a fold). The tests' reference for [`PairLines`].
#[cfg(test)]
fn line_at(lo: Ext, hi: Ext, d: u128) -> Ext {
	let (lo, hi) = (lo.poly().value(), hi.poly().value());
	let (mut sum, mut multiple, mut d) = (lo, lo ^ hi, d);
	while d != 0 {
		// Without a branch on the bit: the lanes' nodes differ, the branch would be guessed
		// wrong often.
		sum ^= multiple & 0u128.wrapping_sub(d & 1);
		multiple = (multiple << 1) ^ ((multiple >> 127) * 0x87);
		d >>= 1;
	}
	Ext::from_value(sum)
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

/// One table's bus leaves, per row: the products of what it sends and of what it receives on
/// the rows below `R`, 1 on the others. [`LANES`] rows at a time, and with feature `parallel`
/// [`LEAF_ROWS_PER_TASK`] rows per task. By the interactions' forms where the table has them
/// (`forms`, from [`interaction_forms`]), reading only their inputs; else by the AIR, reading
/// only the columns the interactions read (`agentic_air::circuit::interaction_columns`).
fn leaves<A: Air + Sync>(
	air: &A,
	statement: &TableStatement,
	trace: &[Vec<Base>],
	challenges: &[Ext],
	forms: Option<&BoundInteractions>,
) -> (Vec<Ext>, Vec<Ext>) {
	let rows = trace.first().map_or(0, |c| c.len());
	let (mut sends, mut receives) = (vec![Ext::one(); rows], vec![Ext::one(); rows]);
	let active = (statement.active_rows as usize).min(rows);
	// Without forms, only the columns the interactions read: the AIR wants the leaves alone
	// here.
	let columns: Vec<usize> = match forms {
		Some(_) => Vec::new(),
		None => agentic_air::circuit::interaction_columns(air)
			.into_iter()
			.map(|k| k as usize)
			.filter(|&k| k < trace.len())
			.collect(),
	};
	// The rows from `start` on, as many as `sends` holds (all below `active`).
	// Compiled for the CPU's vector carry-less multiply where it has one (`accelerated`).
	let rows_leaves = |start: usize, sends: &mut [Ext], receives: &mut [Ext]| {
		accelerated(
			#[inline(always)]
			|| {
				let zero = Lanes::splat(Ext::zero());
				// The forms' inputs, or (without forms) every column and index bit.
				let mut inputs = vec![zero; forms.map_or(0, |forms| forms.inputs().len())];
				let (mut cur, mut bits) = match forms {
					Some(_) => (Vec::new(), Vec::new()),
					None => (vec![zero; trace.len()], vec![zero; MAX_INDEX_BIT as usize + 1]),
				};
				let mut parts = Vec::new();
				for group in (0..sends.len()).step_by(LANES) {
					let count = LANES.min(sends.len() - group);
					// Lanes past the last row repeat it; their leaves are not kept.
					let lanes: [usize; LANES] = core::array::from_fn(|l| start + group + l.min(count - 1));
					let on_rows = lanes.map(|i| selectors_on_row(i, rows, statement.active_rows));
					let selectors = [0, 1, 2, 3].map(|s| Lanes(on_rows.map(|row| row[s])));
					let index_bit = |b: u8| Lanes(lanes.map(|i| flag((i >> b) & 1 == 1)));
					let (send, receive) = match forms {
						Some(forms) => {
							for (value, input) in inputs.iter_mut().zip(forms.inputs()) {
								*value = match *input {
									Input::Cur(k) => match trace.get(k as usize) {
										Some(column) => {
											let mut value = zero;
											for (lane, &i) in value.0.iter_mut().zip(&lanes) {
												*lane = embed(column[i]);
											}
											value
										},
										None => zero,
									},
									Input::Selector(s) => selectors[s as usize],
									Input::IndexBit(b) => index_bit(b),
									// The forms read no next row.
									Input::Next(_) => zero,
								};
							}
							forms.parts(&inputs, &mut parts);
							BoundInteractions::products(&parts)
						},
						None => {
							for &k in &columns {
								for (lane, &i) in cur[k].0.iter_mut().zip(&lanes) {
									*lane = embed(trace[k][i]);
								}
							}
							for (b, slot) in bits.iter_mut().enumerate() {
								*slot = index_bit(b as u8);
							}
							let values = Values { cur: &cur, next: &[], selectors, index_bits: &bits, challenges };
							bus_leaves(air, values)
						},
					};
					sends[group..group + count].copy_from_slice(&send.0[..count]);
					receives[group..group + count].copy_from_slice(&receive.0[..count]);
				}
			},
		)
	};
	#[cfg(feature = "parallel")]
	{
		use rayon::prelude::*;
		sends[..active]
			.par_chunks_mut(LEAF_ROWS_PER_TASK)
			.zip(receives[..active].par_chunks_mut(LEAF_ROWS_PER_TASK))
			.enumerate()
			.for_each(|(k, (sends, receives))| rows_leaves(k * LEAF_ROWS_PER_TASK, sends, receives));
	}
	#[cfg(not(feature = "parallel"))]
	rows_leaves(0, &mut sends[..active], &mut receives[..active]);
	(sends, receives)
}

/// Rows per task of [`leaves`] (a multiple of [`LANES`]).
#[cfg(all(feature = "parallel", not(test)))]
const LEAF_ROWS_PER_TASK: usize = 1 << 11;
/// In the unit tests, small enough for several tasks.
#[cfg(all(feature = "parallel", test))]
const LEAF_ROWS_PER_TASK: usize = 16;

/// A table's interactions as affine forms bound to `challenges` (`agentic_air::interactions`),
/// if every interaction is affine and the forms compile: in the directions the analysis found,
/// and giving the parts the AIR's own interactions give where its constraints are not wanted
/// (else an AIR whose interactions change with that would have leaves of another polynomial).
fn interaction_forms<A: Air>(
	air: &A,
	info: &AirInfo,
	challenges: &[Ext],
) -> Result<Option<BoundInteractions>, ZerocheckError> {
	if !info.interactions.iter().all(|i| i.affine()) {
		return Ok(None);
	}
	let Some(forms) = InteractionForms::compile(air) else {
		return Ok(None);
	};
	let bound = forms.bind(challenges);
	if !forms.directions().eq(info.interactions.iter().map(|i| i.direction)) || !bound.agree_with(air, challenges) {
		return Err(ZerocheckError::BadShape("an AIR made other interactions than its analysis found"));
	}
	Ok(Some(bound))
}

#[allow(clippy::too_many_arguments)]
fn prove_inner<A: Air + Sync>(
	airs: &[&A],
	infos: &[AirInfo],
	shape: &ProofShape,
	statement: &Tables,
	traces: &[&[Vec<Base>]],
	committed: Committed,
	checked: bool,
	forge: Forge,
) -> Result<TraceProof, ZerocheckError> {
	let mut transcript = Transcript::new(DOMAIN);
	absorb_statement(&mut transcript, infos, shape, statement);
	transcript.absorb_root(b"zc/trace_root", &committed.commitment().root);
	let challenges: Vec<Ext> = (0..num_challenges(infos, statement)).map(|_| transcript.challenge()).collect();
	let forms: Vec<Option<BoundInteractions>> = airs
		.iter()
		.zip(infos)
		.map(|(air, info)| interaction_forms(*air, info, &challenges))
		.collect::<Result<_, _>>()?;

	// The buses: the grand products of every interacting table's leaves (or, if no table
	// interacts, the public interactions alone).
	let bus = match &shape.bus {
		Some(bus_shape) => {
			let table_leaves = |b: &crate::bus::BusTable| {
				if forge.leaves() {
					let rows = 1usize << b.num_vars;
					(vec![Ext::one(); rows], vec![Ext::one(); rows])
				} else {
					let forms = forms[b.table].as_ref();
					leaves(airs[b.table], &statement.tables[b.table], traces[b.table], &challenges, forms)
				}
			};
			// Each table's rows on every core ([`leaves`]).
			let leaves: Vec<(Vec<Ext>, Vec<Ext>)> = bus_shape.tables.iter().map(table_leaves).collect();
			let (proof, claims) =
				prove_bus(bus_shape, &leaves, statement, &challenges, &mut transcript, checked, forge.bus())?;
			Some((proof, claims, leaves))
		},
		None => {
			if checked && !balanced(Ext::one(), Ext::one(), statement, &challenges) {
				return Err(ZerocheckError::Unbalanced);
			}
			None
		},
	};

	// Per table, the zerocheck (with its bus leaves' claims); then one opening of every
	// table's columns.
	let mut proofs = Vec::with_capacity(infos.len());
	let (mut trace_claims, mut packed_claims) = (Vec::new(), Vec::new());
	for (t, table_shape) in shape.tables.iter().enumerate() {
		let table_forge = if t == 0 { forge } else { Forge::None };
		let table_leaves = match (&shape.bus, &bus) {
			(Some(bus_shape), Some((_, claims, _))) => claims.table(bus_shape, t),
			_ => None,
		};
		// The checked prover's first round reads the leaves of the rows it computed for the
		// bus (the unchecked one, which may forge them, evaluates them again).
		let row_leaves = match (&shape.bus, &bus) {
			(Some(bus_shape), Some((_, _, leaves))) if checked => {
				bus_shape.tables.iter().position(|b| b.table == t).map(|k| (&leaves[k].0[..], &leaves[k].1[..]))
			},
			_ => None,
		};
		let (point, cur, next, rounds) = zerocheck(
			airs[t],
			&infos[t],
			table_shape,
			&statement.tables[t],
			traces[t],
			table_leaves,
			row_leaves,
			&challenges,
			forms[t].as_ref(),
			&mut transcript,
			checked,
			table_forge,
		)?;
		let first = shape.trace.first[t].unwrap_or(0);
		let (table_claims, packed) = claims(&infos[t], &statement.tables[t], table_shape, first, &point, &cur, &next);
		trace_claims.extend(table_claims);
		packed_claims.extend(packed);
		proofs.push(TableProof {
			rounds,
			cur: cur.iter().map(|e| e.poly().value()).collect(),
			next: next.iter().map(|e| e.poly().value()).collect(),
		});
	}
	trace_claims.extend(agentic_pcs::ring_switch(&mut transcript, &packed_claims)?);
	let opening = open_recursive(&shape.trace.params, &[&committed], &trace_claims, &mut transcript)?;
	Ok(TraceProof {
		trace_root: committed.commitment().root,
		bus: bus.map(|(proof, _, _)| proof),
		tables: proofs,
		opening,
	})
}

/// One table's zerocheck: draws `λ`, then `τ`, or, if `leaves` has the bus circuit's point
/// `r_t` and the claimed leaves `(a_t, b_t)` there, `τ = r_t` and `η, η'`; runs the rounds of
/// `Σ_x eq(τ, x) F(x) = η a_t + η' b_t` (0 without a bus) with `F = Q + η S + η' R`, each
/// sending `q` at the nodes `0, x, x + 1, …` (Gruen's factoring, [`EqClaim`](crate::shape::EqClaim));
/// absorbs the values at the final point. Returns the point, the values and the rounds.
///
/// If `checked` (the trace is checked afterwards, by verifying the proof) the first round takes
/// the constraints' part of `q` to vanish at 0 and 1, as it does when every row holds
/// ([`Split`]): an invalid trace then gives a proof that does not verify. `row_leaves`, the
/// bus leaves of every row (what they send, what they receive), if given, are the first
/// round's leaves at the node 0 (pair `i` there is row `2i`). `interactions`, the table's
/// interactions' forms bound to `challenges` ([`interaction_forms`]), if it has them.
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
fn zerocheck<A: Air + Sync>(
	air: &A,
	info: &AirInfo,
	shape: &Shape,
	statement: &TableStatement,
	trace: &[Vec<Base>],
	leaves: Option<(&[Ext], Ext, Ext)>,
	row_leaves: Option<(&[Ext], &[Ext])>,
	challenges: &[Ext],
	interactions: Option<&BoundInteractions>,
	transcript: &mut Transcript,
	checked: bool,
	forge: Forge,
) -> Result<(Vec<Ext>, Vec<Ext>, Vec<Ext>, Vec<Vec<u128>>), ZerocheckError> {
	let n = shape.num_vars as usize;
	let rows = 1usize << n;
	let lambdas = transcript.challenge_powers(info.constraints.len());
	let (tau, bus_weights, mut claim) = match leaves {
		Some((point, a, b)) => {
			let (eta, eta_r) = (transcript.challenge(), transcript.challenge());
			(point.to_vec(), Some((eta, eta_r)), eta.fast_mul(&a).add(&eta_r.fast_mul(&b)))
		},
		None => ((0..n).map(|_| transcript.challenge()).collect(), None, Ext::zero()),
	};

	// The tables: every column, every next-row column, the selectors and the index bits the
	// AIR reads.
	let mut cur: Vec<Table> = trace.iter().map(|c| Table::base(c, 0)).collect();
	let mut next: Vec<Table> = info.next_columns.iter().map(|&k| Table::base(&trace[k as usize], 1)).collect();
	let r = statement.active_rows;
	let mut selectors: [Table; 4] =
		[0usize, 1, 2, 3].map(|s| Table::Ext((0..rows).map(|i| selectors_on_row(i, rows, r)[s]).collect()));
	let mut bit_tables: Vec<Table> =
		info.index_bits.iter().map(|&b| Table::Ext((0..rows).map(|i| flag((i >> b) & 1 == 1)).collect())).collect();

	// q at the nodes 0, 2, 3, …, D: every node of a degree-D polynomial but 1.
	let all_nodes = nodes(shape.round_degree as usize);
	let sent_nodes: Vec<u128> = (0..all_nodes.len() as u128).filter(|&d| d != 1).collect();
	let interpolator = Interpolator::new(all_nodes.len());
	let bus = bus_weights.is_some();
	let (first, later) = if checked { (Known::RowZeros, Known::AtOne) } else { (Known::Nothing, Known::Nothing) };
	let (first_split, split) = (Split::new(info, bus, &sent_nodes, first), Split::new(info, bus, &sent_nodes, later));
	// The compiled constraints, for a table whose leaves can come from their lines (every
	// interaction affine, or none).
	let circuit = match info.interactions.iter().all(|i| i.affine()) {
		true => {
			let circuit = Circuit::compile(air);
			let weights = circuit.bind(&lambdas)?;
			Some((circuit, weights))
		},
		false => None,
	};
	let later_nodes = split.as_ref().map_or_else(|| sent_nodes.clone(), |split| split.round_nodes(&sent_nodes));
	let mut rounds = Vec::with_capacity(n);
	let mut point = Vec::with_capacity(n);
	for (k, &coordinate) in tau.iter().enumerate() {
		// q(X) = Σ_x' eq(τ_(>k), x') F(s, X, x').
		let weights = agentic_pcs::eq_table(&tau[k + 1..]);
		let round = Round {
			air,
			info,
			cur: &cur,
			next: &next,
			selectors: &selectors,
			bits: &bit_tables,
			weights: &weights,
			nodes: if k == 0 { &sent_nodes } else { &later_nodes },
			split: if k == 0 { first_split.as_ref() } else { split.as_ref() },
			row_leaves: row_leaves.filter(|_| k == 0),
			claim: Some((claim, coordinate)),
			lambdas: &lambdas,
			circuit: circuit.as_ref().map(|(circuit, weights)| (circuit, weights)),
			interactions,
			bus_weights,
			challenges,
		};
		let q = round.sum()?;
		transcript.absorb_exts(b"zc/round", &q);
		rounds.push(q.iter().map(|e| e.poly().value()).collect());
		let s = transcript.challenge();
		point.push(s);
		claim = next_claim(&interpolator, claim, coordinate, &q, s)
			.ok_or(ZerocheckError::BadShape("a zero challenge coordinate (probability n / 2^128)"))?;
		let tables = cur.iter_mut().chain(next.iter_mut()).chain(selectors.iter_mut()).chain(bit_tables.iter_mut());
		// Each table folds alone: on every core where the tables are large enough to pay.
		#[cfg(feature = "parallel")]
		if n - k > FOLD_IN_PARALLEL_VARS {
			use rayon::prelude::*;
			tables.collect::<Vec<_>>().into_par_iter().for_each(|table| table.fold_by_cpu(s));
			continue;
		}
		tables.for_each(|table| table.fold_by_cpu(s));
	}

	let mut cur_values: Vec<Ext> = cur.iter().map(|t| t.value(0)).collect();
	let mut next_values: Vec<Ext> = next.iter().map(|t| t.value(0)).collect();
	#[cfg(feature = "unchecked")]
	forge_value(
		air,
		info,
		statement,
		bus_weights,
		&point,
		&lambdas,
		challenges,
		claim,
		forge,
		&mut cur_values,
		&mut next_values,
	)?;
	#[cfg(not(feature = "unchecked"))]
	let _ = (forge, &mut cur_values, &mut next_values);
	transcript.absorb_exts(b"zc/cur", &cur_values);
	transcript.absorb_exts(b"zc/next", &next_values);
	Ok((point, cur_values, next_values, rounds))
}

/// What one round of a table's zerocheck reads: the tables bound so far, the `eq` weights of
/// the pairs, the nodes.
struct Round<'a, A> {
	air: &'a A,
	info: &'a AirInfo,
	cur: &'a [Table<'a>],
	next: &'a [Table<'a>],
	selectors: &'a [Table<'a>; 4],
	bits: &'a [Table<'a>],
	/// `eq(τ_(>k), i)` for every pair `i`.
	weights: &'a [Ext],
	/// The nodes `q` is sent at, as the values of the field elements.
	nodes: &'a [u128],
	/// Where the constraints' part of `q` is interpolated rather than evaluated, if anywhere.
	split: Option<&'a Split>,
	/// The bus leaves of the table's rows (what they send, what they receive), in the first
	/// round: pair `i` at the node 0 is row `2i`.
	row_leaves: Option<(&'a [Ext], &'a [Ext])>,
	/// The round's running claim and coordinate `(c_k, τ_k)`, for a split that takes `Q'(1)`
	/// from them ([`Known::AtOne`]).
	claim: Option<(Ext, Ext)>,
	lambdas: &'a [Ext],
	/// The AIR's compiled weighted constraint sum and its weights for `lambdas`: where given, a
	/// round that evaluates the constraints at [`MIN_CIRCUIT_NODES`] nodes or more (split or
	/// not) and whose leaves come from their lines (or that has none) takes the constraints'
	/// part by it ([`Round::sum_circuit`]).
	circuit: Option<(&'a Circuit, &'a BoundWeights)>,
	/// The interactions' forms bound to `challenges`, for a table whose interactions are all
	/// affine: [`Round::sum_lines`] takes the gates and fingerprints at the pairs' rows by them.
	interactions: Option<&'a BoundInteractions>,
	bus_weights: Option<(Ext, Ext)>,
	challenges: &'a [Ext],
}

/// The fewest nodes a round evaluates the constraints at for it to take them by the AIR's
/// circuit ([`Round::sum_circuit`]): the circuit computes its expressions of degree at most 1 at
/// a pair's two rows rather than at the nodes, which costs more than it saves at one node (the
/// first round of a table of degree 2); at two (the first round of one of degree 3) it measured
/// as fast as the AIR's own evaluation for the ALU chip and faster for the shift chip. A split
/// round counts the nodes where it evaluates the constraints, an unsplit one all its nodes.
const MIN_CIRCUIT_NODES: usize = 2;

/// The shortest run of one same row that [`Round::constant_run`] lumps together.
const MIN_RUN: usize = 2 * LANES;
/// How many pairs from the end [`Round::constant_run`] looks at for the run's row.
const RUN_LOOK_BACK: usize = 4;

/// Above this many variables left, a round's tables fold on several threads.
#[cfg(feature = "parallel")]
const FOLD_IN_PARALLEL_VARS: usize = 10;

/// The most pairs per task when a round runs on several threads: enough to keep the split's
/// cost (one `q` per task) small, few enough to share the work evenly.
#[cfg(all(feature = "parallel", not(test)))]
const PAIRS_PER_TASK: usize = 1 << 10;
/// In the unit tests, small enough for their rounds to take the split path.
#[cfg(all(feature = "parallel", test))]
const PAIRS_PER_TASK: usize = 4;
/// The fewest pairs per task (unless the round has fewer): a task's fixed cost (its lines, its
/// sums) stays small beside its pairs' evaluations.
#[cfg(all(feature = "parallel", not(test)))]
const MIN_PAIRS_PER_TASK: usize = 8 * LANES;
#[cfg(all(feature = "parallel", test))]
const MIN_PAIRS_PER_TASK: usize = 2;
/// Tasks per thread a round is cut into, if it has the pairs: the later rounds of a short, wide
/// table (the access chip's 776 columns on `2^14` rows) would otherwise run on one core.
#[cfg(feature = "parallel")]
const TASKS_PER_THREAD: usize = 4;
#[cfg(feature = "parallel")]
const _: () = assert!(MIN_PAIRS_PER_TASK <= PAIRS_PER_TASK, "the task sizes' bounds in order");

/// Pairs per call of [`Round::sum_over`] in [`Round::sum_ranges`], for a round of `pairs`
/// pairs: with feature `parallel`, one task each, `TASKS_PER_THREAD` per thread within
/// `MIN_PAIRS_PER_TASK` and `PAIRS_PER_TASK`; without it, all at once.
fn chunk_pairs(pairs: usize) -> usize {
	#[cfg(feature = "parallel")]
	{
		(pairs / (TASKS_PER_THREAD * rayon::current_num_threads())).clamp(MIN_PAIRS_PER_TASK, PAIRS_PER_TASK)
	}
	#[cfg(not(feature = "parallel"))]
	{
		pairs.max(1)
	}
}

impl<A: Air + Sync> Round<'_, A> {
	/// `q` at the nodes: `Σ_i eq(τ_(>k), i) F(pair i at X)`. The sum is a XOR of the parts, so
	/// any split of the pairs (threads) gives the same bits.
	fn sum(&self) -> Result<Vec<Ext>, ZerocheckError> {
		let pairs = self.weights.len();
		let Some(run) = self.constant_run() else {
			return self.finish(self.sum_ranges(&[0..pairs])?);
		};
		// Every pair of the run is one same row at every node: its sum is that row's, times the
		// run's weights, evaluated once at the run's first pair.
		let mut total = self.sum_ranges(&[0..run.start, run.end..pairs])?;
		let mut weights = vec![Ext::zero(); run.start + 1];
		weights[run.start] = self.weights[run.clone()].iter().fold(Ext::zero(), |acc, w| acc.add(w));
		let lumped = Round { weights: &weights, ..*self };
		total.add(&lumped.sum_over_by_cpu(run.start..run.start + 1)?);
		self.finish(total)
	}

	/// [`Round::sum_over`] of the pairs in `ranges`, added, [`chunk_pairs`] pairs at a time: on
	/// every core with feature `parallel`.
	fn sum_ranges(&self, ranges: &[core::ops::Range<usize>]) -> Result<Sums, ZerocheckError> {
		let step = chunk_pairs(ranges.iter().map(|range| range.len()).sum());
		let chunks = ranges.iter().filter(|range| !range.is_empty()).flat_map(move |range| {
			let end = range.end;
			range.clone().step_by(step).map(move |start| start..(start + step).min(end))
		});
		let mut total = Sums::new(self.nodes.len());
		#[cfg(feature = "parallel")]
		{
			use rayon::prelude::*;
			let chunks: Vec<core::ops::Range<usize>> = chunks.collect();
			let parts: Vec<Sums> =
				chunks.into_par_iter().map(|chunk| self.sum_over_by_cpu(chunk)).collect::<Result<_, _>>()?;
			for part in parts {
				total.add(&part);
			}
		}
		#[cfg(not(feature = "parallel"))]
		for chunk in chunks {
			total.add(&self.sum_over_by_cpu(chunk)?);
		}
		Ok(total)
	}

	/// Every table the round reads: the columns, the next-row columns (if `with_next`), the
	/// index bits, the selectors, in that order.
	fn tables(&self, with_next: bool) -> Vec<&Table<'_>> {
		let next = if with_next { self.next } else { &[] };
		self.cur.iter().chain(next).chain(self.bits).chain(self.selectors.iter()).collect()
	}

	/// The longest run of pairs whose two rows are, in every table (every column, next-row
	/// column, selector and index bit), one same row: a table's padding rows (the last pair,
	/// whose `last` selector and next-row columns differ, and the few before it are passed
	/// over). `None` if shorter than [`MIN_RUN`] pairs.
	fn constant_run(&self) -> Option<core::ops::Range<usize>> {
		let pairs = self.weights.len();
		let tables = self.tables(true);
		let reference =
			(0..pairs).rev().take(RUN_LOOK_BACK).find(|&i| tables.iter().all(|t| t.same_rows(2 * i, 2 * i + 1)))?;
		// Table by table (each read in order, not hundreds side by side), the first pair of its
		// run up to the reference, looked for no further back than the latest start so far: the
		// run's start is the latest of them.
		let same = |t: &Table, i: usize| t.same_rows(2 * i, 2 * reference) && t.same_rows(2 * i + 1, 2 * reference);
		let start = tables.iter().fold(0, |bound, t| {
			let mut start = reference;
			while start > bound && same(t, start - 1) {
				start -= 1;
			}
			start
		});
		(reference + 1 - start >= MIN_RUN).then_some(start..reference + 1)
	}

	/// `q` at every node from the sums: where the constraints' part was not evaluated, it is
	/// interpolated from the nodes where it was.
	fn finish(&self, sums: Sums) -> Result<Vec<Ext>, ZerocheckError> {
		let Sums { mut q, constraints } = sums;
		let Some(split) = self.split else {
			return Ok(q);
		};
		// The constraints' part at the interpolator's nodes: the known values (zeros, or at 1
		// from the claim), then the evaluated ones.
		let at_one = match (split.at_one, self.claim) {
			(false, _) => None,
			(true, Some((claim, coordinate))) => {
				// q(1) from c = (1 + τ) q(0) + τ q(1); the last node's sum is L'(1) alone.
				let inverse = if coordinate == Ext::zero() {
					return Err(ZerocheckError::BadShape("a zero challenge coordinate (probability n / 2^128)"));
				} else {
					coordinate.inv()
				};
				let q_one = claim.add(&Ext::one().add(&coordinate).fast_mul(&q[0])).fast_mul(&inverse);
				let leaves_one = q.pop().ok_or(ZerocheckError::BadShape("no node 1"))?;
				Some(q_one.add(&leaves_one))
			},
			(true, None) => return Err(ZerocheckError::BadShape("a split at 1 without the round's claim")),
		};
		let known: Vec<Ext> = core::iter::repeat_n(Ext::zero(), split.zeros)
			.chain(at_one)
			.chain(split.evaluated.iter().map(|&j| constraints[j]))
			.collect();
		let sent = q.len();
		for &j in split.leaves_only.iter().filter(|&&j| j < sent) {
			q[j] = q[j].add(&split.interpolator.evaluate(&known, split.nodes[j]));
		}
		Ok(q)
	}

	/// [`Round::sum_over`] with the lanes the CPU takes ([`kernel::by_cpu`]: where it has
	/// AVX-512 with `vpclmulqdq`, compiled with those instructions and everything on its path
	/// inlined, so that no test of the CPU sits between the products of its circuit and lines).
	fn sum_over_by_cpu(&self, pairs: core::ops::Range<usize>) -> Result<Sums, ZerocheckError> {
		struct SumOver<'r, 'a, A> {
			round: &'r Round<'a, A>,
			pairs: core::ops::Range<usize>,
		}
		impl<A: Air + Sync> kernel::KernelLoop for SumOver<'_, '_, A> {
			type Output = Result<Sums, ZerocheckError>;
			#[inline(always)]
			fn run<K: Kernel>(self) -> Result<Sums, ZerocheckError> {
				self.round.sum_over::<K>(self.pairs)
			}
		}
		kernel::by_cpu(SumOver { round: self, pairs })
	}

	/// [`Round::sum`]'s sums over the pairs `pairs`, [`LANES`] pairs at a time, computed with
	/// `P` where a circuit or the lines take them.
	#[inline(always)]
	fn sum_over<P: Kernel>(&self, pairs: core::ops::Range<usize>) -> Result<Sums, ZerocheckError> {
		let nodes = self.nodes.len();
		let mut sums = Sums::new(nodes);
		match self.split {
			None => {
				let all: Vec<usize> = (0..nodes).collect();
				// With the circuit (a table whose interactions are all affine, or that has none),
				// the constraints by it and the leaves from their lines; else all by the AIR.
				let lines = self.info.interactions.iter().all(|i| i.affine());
				match (self.circuit.filter(|_| lines && nodes >= MIN_CIRCUIT_NODES), self.bus_weights) {
					(Some(circuit), Some(weights)) => {
						self.sum_circuit::<P>(pairs.clone(), &all, circuit, &mut sums)?;
						self.sum_lines::<P>(pairs, &all, weights, &mut sums)?;
					},
					(Some(circuit), None) => self.sum_circuit::<P>(pairs, &all, circuit, &mut sums)?,
					(None, _) => self.sum_points(pairs, &all, Part::All, &mut sums)?,
				}
			},
			Some(split) => {
				// The constraints' part at the evaluated nodes: by the circuit (and the leaves
				// there with the others'), or with the leaves by the AIR.
				let mut leaf_nodes = Vec::with_capacity(self.nodes.len());
				match self.circuit.filter(|_| split.lines && split.evaluated.len() >= MIN_CIRCUIT_NODES) {
					Some(circuit) => {
						self.sum_circuit::<P>(pairs.clone(), &split.evaluated, circuit, &mut sums)?;
						leaf_nodes.extend_from_slice(&split.evaluated);
					},
					None => self.sum_points(pairs.clone(), &split.evaluated, Part::Split, &mut sums)?,
				}
				let mut leaves_only = &split.leaves_only[..];
				// The leaves at the node 0 from the rows', if the round has them.
				if let (Some(rows), Some(weights), Some((&first, rest))) =
					(self.row_leaves, self.bus_weights, leaves_only.split_first())
				{
					if self.nodes[first] == 0 {
						sums.q[first] = sums.q[first].add(&self.sum_row_leaves(pairs.clone(), rows, weights)?);
						leaves_only = rest;
					}
				}
				leaf_nodes.extend_from_slice(leaves_only);
				match self.bus_weights {
					Some(weights) if split.lines => self.sum_lines::<P>(pairs, &leaf_nodes, weights, &mut sums)?,
					_ => self.sum_points(pairs, &leaf_nodes, Part::Leaves, &mut sums)?,
				}
			},
		}
		Ok(sums)
	}

	/// `Σ_i eq(τ_(>k), i) (η S + η' R)(row 2i)` over the pairs `pairs`, from the rows' leaves.
	#[inline(always)]
	fn sum_row_leaves(
		&self,
		pairs: core::ops::Range<usize>,
		(sends, receives): (&[Ext], &[Ext]),
		(eta, eta_r): (Ext, Ext),
	) -> Result<Ext, ZerocheckError> {
		let (mut s, mut r) = ([0u128; 2], [0u128; 2]);
		for i in pairs {
			let (send, receive) = sends
				.get(2 * i)
				.zip(receives.get(2 * i))
				.ok_or(ZerocheckError::BadShape("fewer rows' leaves than rows"))?;
			let weight = &self.weights[i];
			for (acc, wide) in [(&mut s, mul_wide(weight, send)), (&mut r, mul_wide(weight, receive))] {
				acc[0] ^= wide[0];
				acc[1] ^= wide[1];
			}
		}
		Ok(eta.fast_mul(&reduce_wide(s)).add(&eta_r.fast_mul(&reduce_wide(r))))
	}

	/// The [`LANES`] pairs from `start` of `pairs` (lanes past the range's end repeat its last
	/// pair) and their `eq` weights (0 in those lanes: their points are not added).
	#[inline(always)]
	fn group(&self, pairs: &core::ops::Range<usize>, start: usize) -> ([usize; LANES], [Ext; LANES]) {
		let count = LANES.min(pairs.end - start);
		let group: [usize; LANES] = core::array::from_fn(|l| start + l.min(count - 1));
		let eq = core::array::from_fn(|l| if l < count { self.weights[group[l]] } else { Ext::zero() });
		(group, eq)
	}

	/// The constraints' part `eq(τ_(>k), i) Q` at the points (pair `i`, node) for the pairs
	/// `pairs` and the nodes `nodes`, added to `sums.q` and `sums.constraints`: by the AIR's
	/// [`Circuit`], [`LANES`] pairs at a time, its row steps at the pairs' two rows, then at each
	/// node its point steps on the frontier's lines ([`PairLines`]). The same values as
	/// [`Round::sum_points`] with [`Part::Split`] gives the constraints' part.
	#[inline(always)]
	fn sum_circuit<P: Kernel>(
		&self,
		pairs: core::ops::Range<usize>,
		nodes: &[usize],
		(circuit, weights): (&Circuit, &BoundWeights),
		sums: &mut Sums,
	) -> Result<(), ZerocheckError> {
		if nodes.is_empty() || pairs.is_empty() {
			return Ok(());
		}
		// Each input's table and slot.
		let inputs: Vec<(&Table, usize)> = circuit
			.inputs()
			.map(|(input, slot)| Ok((self.input(input)?, slot)))
			.collect::<Result<_, ZerocheckError>>()?;
		let zero = P::splat(Ext::zero());
		let (mut lo, mut hi) = (vec![zero; circuit.row_slots()], vec![zero; circuit.row_slots()]);
		let mut slots = vec![zero; circuit.point_slots()];
		let frontier = circuit.frontier();
		let highest = nodes.iter().map(|&node| self.nodes[node]).max().unwrap_or(0);
		let mut lines = PairLines::new(frontier.len(), highest);
		let mut wide = vec![eight::Wide::ZERO; self.nodes.len()];
		for start in pairs.clone().step_by(LANES) {
			let (group, eq) = self.group(&pairs, start);
			for &(table, slot) in &inputs {
				// The next group's rows (the groups of a range follow each other).
				table.prefetch(2 * (group[0] + LANES));
				table.pair_values(&group, lo[slot].lanes_mut(), hi[slot].lanes_mut());
			}
			circuit.rows(weights, &mut lo);
			circuit.rows(weights, &mut hi);
			lines.load_lanes(frontier.iter().map(|&f| (lo[f as usize].lanes(), hi[f as usize].lanes())));
			for &node in nodes {
				let d = self.nodes[node];
				for (k, slot) in slots[..frontier.len()].iter_mut().enumerate() {
					*slot = P::from_lanes(lines.at(k, d));
				}
				let value = circuit.at(weights, &mut slots);
				value.add_products_to(&eq, &mut wide[node]);
			}
		}
		for &node in nodes {
			let total = lanes_total(&wide[node]);
			sums.q[node] = sums.q[node].add(&total);
			sums.constraints[node] = sums.constraints[node].add(&total);
		}
		Ok(())
	}

	/// The table an input of the AIR's circuit reads.
	fn input(&self, input: Input) -> Result<&Table<'_>, ZerocheckError> {
		let missing = ZerocheckError::BadShape("a circuit's input outside the tables");
		match input {
			Input::Cur(k) => self.cur.get(k as usize).ok_or(missing),
			Input::Next(k) => {
				let at = self.info.next_columns.iter().position(|&c| c == k).ok_or(missing.clone())?;
				self.next.get(at).ok_or(missing)
			},
			Input::Selector(s) => self.selectors.get(s as usize).ok_or(missing),
			Input::IndexBit(b) => {
				let at = self.info.index_bits.iter().position(|&c| c == b).ok_or(missing.clone())?;
				self.bits.get(at).ok_or(missing)
			},
		}
	}

	/// Adds to `sums` the part `part` of `eq(τ_(>k), i) F` at the points (pair `i`, node) for the
	/// pairs `pairs` and the nodes `nodes` (indices into [`Round::nodes`]): [`LANES`] pairs at a
	/// time, node by node, each table's values on the pairs' lines read from [`PairLines`].
	#[inline(always)]
	fn sum_points(
		&self,
		pairs: core::ops::Range<usize>,
		nodes: &[usize],
		part: Part,
		sums: &mut Sums,
	) -> Result<(), ZerocheckError> {
		if nodes.is_empty() || pairs.is_empty() {
			return Ok(());
		}
		let zero = Lanes::splat(Ext::zero());
		let mut cur = vec![zero; self.cur.len()];
		let mut next = vec![zero; self.info.width];
		let mut bits = vec![zero; MAX_INDEX_BIT as usize + 1];
		// No interaction reads the next row (`analyze` refuses it): the leaves alone do not need
		// it.
		let with_next = !matches!(part, Part::Leaves);
		let tables = self.tables(with_next);
		let highest = nodes.iter().map(|&node| self.nodes[node]).max().unwrap_or(0);
		let mut lines = PairLines::new(tables.len(), highest);
		// Per node (indexed as `sums`), the weighted values of `q` and of the constraints'
		// part, added per lane unreduced.
		let (mut wide_q, mut wide_constraints) =
			(vec![eight::Wide::ZERO; self.nodes.len()], vec![eight::Wide::ZERO; self.nodes.len()]);
		for start in pairs.clone().step_by(LANES) {
			let (group, weights) = self.group(&pairs, start);
			lines.load(&tables, &group);
			for &node in nodes {
				// The tables in the order of `tables`.
				let d = self.nodes[node];
				let mut table = 0;
				let mut next_line = || {
					table += 1;
					lines.at(table - 1, d)
				};
				for value in cur.iter_mut() {
					*value = next_line();
				}
				if with_next {
					for &k in &self.info.next_columns {
						next[k as usize] = next_line();
					}
				}
				for &b in &self.info.index_bits {
					bits[b as usize] = next_line();
				}
				let selectors = [(); 4].map(|_| next_line());
				let values =
					Values { cur: &cur, next: &next, selectors, index_bits: &bits, challenges: self.challenges };
				// What goes into q, and the constraints' part alone where it is interpolated later.
				let (to_q, constraints) = match (part, self.bus_weights) {
					(Part::All, bus_weights) => (combined(self.air, values, self.lambdas, bus_weights)?, None),
					(Part::Split, Some(weights)) => {
						let (q, (sends, receives)) = combine_with_leaves(self.air, values, self.lambdas)?;
						(q.plus(weigh_leaves(sends, receives, weights)), Some(q))
					},
					(Part::Leaves, Some(weights)) => {
						let (sends, receives) = bus_leaves(self.air, values);
						(weigh_leaves(sends, receives, weights), None)
					},
					(_, None) => return Err(ZerocheckError::BadShape("a split round without a bus")),
				};
				wide_q[node].add_products(&to_q.0, &weights);
				if let Some(constraints) = &constraints {
					wide_constraints[node].add_products(&constraints.0, &weights);
				}
			}
		}
		for &node in nodes {
			sums.q[node] = sums.q[node].add(&lanes_total(&wide_q[node]));
			sums.constraints[node] = sums.constraints[node].add(&lanes_total(&wide_constraints[node]));
		}
		Ok(())
	}
}

/// Lane `l` of one table's lines in [`PairLines`]: the value `lo` at 0, then the slope
/// `lo + hi` times `x^j` for each bit `j`. Each multiple comes from the one before it in a
/// register: a multiple stored a word at a time and read back as a vector would wait on the
/// stores.
#[inline(always)]
fn set_line(lines: &mut [[u128; LANES]], l: usize, lo: Ext, hi: Ext) {
	let lo = lo.poly().value();
	lines[0][l] = lo;
	let mut multiple = lo ^ hi.poly().value();
	for slot in &mut lines[1..] {
		slot[l] = multiple;
		multiple = (multiple << 1) ^ ((multiple >> 127) * 0x87);
	}
}

/// The lines of [`LANES`] pairs of several tables, ready to be read at any node up to a
/// highest: for each table, the pairs' values at 0 and their slopes `lo + hi` times `x^j` for
/// every bit `j` a node may have, so that the value at node `d` (the field element whose value
/// is `d`) is the value at 0 plus the multiples `d`'s bits select: no multiplication per node.
struct PairLines {
	/// Per table, `1 + bits` lane vectors: the values at 0, then `x^j (lo + hi)`.
	values: Vec<[u128; LANES]>,
	/// The nodes' bit length.
	bits: usize,
}

impl PairLines {
	fn new(tables: usize, highest: u128) -> PairLines {
		let bits = (128 - highest.leading_zeros()) as usize;
		PairLines { values: vec![[0; LANES]; tables * (1 + bits)], bits }
	}

	/// Takes the lines of the pairs `group` of every table.
	#[inline(always)]
	fn load(&mut self, tables: &[&Table], group: &[usize; LANES]) {
		for (table, lines) in tables.iter().zip(self.values.chunks_exact_mut(1 + self.bits)) {
			// The next group's rows (the groups of a range follow each other).
			table.prefetch(2 * (group[0] + LANES));
			let (mut lo, mut hi) = (Lanes::splat(Ext::zero()), Lanes::splat(Ext::zero()));
			table.pair_values(group, &mut lo, &mut hi);
			for l in 0..LANES {
				set_line(lines, l, lo.0[l], hi.0[l]);
			}
		}
	}

	/// Takes the lines through the values `lo` (at 0) and `hi` (at 1) of [`LANES`] pairs, one
	/// such pair of lane vectors per table.
	#[inline(always)]
	fn load_lanes<'l>(&mut self, ends: impl Iterator<Item = (&'l Lanes, &'l Lanes)>) {
		for ((lo, hi), lines) in ends.zip(self.values.chunks_exact_mut(1 + self.bits)) {
			for l in 0..LANES {
				set_line(lines, l, lo.0[l], hi.0[l]);
			}
		}
	}

	/// Table `t`'s values at node `d`.
	#[inline(always)]
	fn at(&self, t: usize, d: u128) -> Lanes {
		let lines = &self.values[t * (1 + self.bits)..(t + 1) * (1 + self.bits)];
		let mut value = lines[0];
		for (j, multiple) in lines[1..].iter().enumerate() {
			if (d >> j) & 1 == 1 {
				for (v, m) in value.iter_mut().zip(multiple) {
					*v ^= m;
				}
			}
		}
		Lanes(value.map(Ext::from_value))
	}
}

impl<A: Air + Sync> Round<'_, A> {
	/// [`Round::sum_points`] of the bus leaves alone, for an AIR whose every interaction is
	/// affine ([`agentic_air::InteractionInfo::affine`]): each interaction's gate and
	/// fingerprint are evaluated once at each of a pair's two rows, by their forms where the
	/// table has them ([`Round::interactions`]), else by the AIR ([`interaction_parts`]), and
	/// the leaves at the nodes `nodes` from their lines. The same values as evaluating the AIR at
	/// every node (on a pair's line every table value, so every gate and fingerprint, is affine
	/// in `X`), without computing every column there.
	#[inline(always)]
	fn sum_lines<P: Kernel>(
		&self,
		pairs: core::ops::Range<usize>,
		nodes: &[usize],
		weights: (Ext, Ext),
		sums: &mut Sums,
	) -> Result<(), ZerocheckError> {
		if nodes.is_empty() || pairs.is_empty() {
			return Ok(());
		}
		// The tables the parts read: the forms' inputs, or (without forms) every column, index
		// bit and selector, the AIR's `Values` in that order.
		let tables: Vec<&Table> = match self.interactions {
			Some(forms) => {
				forms.inputs().iter().map(|&input| self.input(input)).collect::<Result<_, ZerocheckError>>()?
			},
			None => self.cur.iter().chain(self.bits).chain(self.selectors).collect(),
		};
		let zero = P::splat(Ext::zero());
		let (mut lo, mut hi) = (vec![zero; tables.len()], vec![zero; tables.len()]);
		let (mut active_lo, mut active_hi) = (zero, zero);
		let mut bits = vec![zero; MAX_INDEX_BIT as usize + 1];
		// Each interaction's direction, gate and fingerprint at the pairs' rows `2i`, `2i + 1`.
		let (mut parts_lo, mut parts_hi, mut on_line) = (Vec::new(), Vec::new(), Vec::new());
		let mut parts_at = |values: &[P], parts: &mut Vec<(Direction, P, P)>| {
			match self.interactions {
				Some(forms) => forms.parts(values, parts),
				None => {
					let (cur, rest) = values.split_at(self.cur.len());
					let (index_bits, selectors) = rest.split_at(self.bits.len());
					for (&b, value) in self.info.index_bits.iter().zip(index_bits) {
						bits[b as usize] = *value;
					}
					let selectors = [0, 1, 2, 3].map(|s| selectors[s]);
					let values = Values { cur, next: &[], selectors, index_bits: &bits, challenges: self.challenges };
					interaction_parts(self.air, values, parts);
				},
			}
			// The analysis found these interactions: the AIR must make the same ones here.
			let same = parts.len() == self.info.interactions.len()
				&& parts.iter().zip(&self.info.interactions).all(|(part, info)| part.0 == info.direction);
			match same {
				true => Ok(()),
				false => Err(ZerocheckError::BadShape("an AIR made other interactions than its analysis found")),
			}
		};
		// The lines of every gate and fingerprint, then of `active`.
		let highest = nodes.iter().map(|&node| self.nodes[node]).max().unwrap_or(0);
		let mut lines = PairLines::new(2 * self.info.interactions.len() + 1, highest);
		let mut wide = vec![eight::Wide::ZERO; self.nodes.len()];
		for start in pairs.clone().step_by(LANES) {
			let (group, eq) = self.group(&pairs, start);
			for ((lo, hi), table) in lo.iter_mut().zip(hi.iter_mut()).zip(&tables) {
				// The next group's rows (the groups of a range follow each other).
				table.prefetch(2 * (group[0] + LANES));
				table.pair_values(&group, lo.lanes_mut(), hi.lanes_mut());
			}
			let active = &self.selectors[Selector::Active.index()];
			active.prefetch(2 * (group[0] + LANES));
			active.pair_values(&group, active_lo.lanes_mut(), active_hi.lanes_mut());
			parts_at(&lo, &mut parts_lo)?;
			parts_at(&hi, &mut parts_hi)?;
			let ends = parts_lo
				.iter()
				.zip(&parts_hi)
				.flat_map(|(lo, hi)| [(lo.1.lanes(), hi.1.lanes()), (lo.2.lanes(), hi.2.lanes())]);
			lines.load_lanes(ends.chain([(active_lo.lanes(), active_hi.lanes())]));
			for &node in nodes {
				let d = self.nodes[node];
				on_line.clear();
				on_line.extend(parts_lo.iter().enumerate().map(|(k, part)| {
					(part.0, P::from_lanes(lines.at(2 * k, d)), P::from_lanes(lines.at(2 * k + 1, d)))
				}));
				let (send, receive) = BoundInteractions::products(&on_line);
				let active = P::from_lanes(lines.at(2 * parts_lo.len(), d));
				let to_q = weigh_leaves(bus_leaf(active, send), bus_leaf(active, receive), weights);
				to_q.add_products_to(&eq, &mut wide[node]);
			}
		}
		for &node in nodes {
			sums.q[node] = sums.q[node].add(&lanes_total(&wide[node]));
		}
		Ok(())
	}
}

/// The sum of a node's lanes, reduced.
fn lanes_total(wide: &eight::Wide) -> Ext {
	wide.reduce().iter().fold(Ext::zero(), |acc, v| acc.add(v))
}

/// `η S + η' R`.
#[inline(always)]
fn weigh_leaves<P: Point>(sends: P, receives: P, (eta, eta_r): (Ext, Ext)) -> P {
	sends.scale(&eta).plus(receives.scale(&eta_r))
}

/// Which part of `F` a pass of [`Round::sum_points`] evaluates.
#[derive(Clone, Copy)]
enum Part {
	/// All of it, into `q`.
	All,
	/// All of it into `q`, and the constraints' part `Q` alone too.
	Split,
	/// The bus leaves' part alone, into `q`.
	Leaves,
}

/// What a round's pass adds up, per node: `q`, and the constraints' part `Q` alone where it is
/// evaluated separately.
struct Sums {
	q: Vec<Ext>,
	constraints: Vec<Ext>,
}

impl Sums {
	fn new(nodes: usize) -> Sums {
		Sums { q: vec![Ext::zero(); nodes], constraints: vec![Ext::zero(); nodes] }
	}

	fn add(&mut self, other: &Sums) {
		for (total, value) in self.q.iter_mut().zip(&other.q).chain(self.constraints.iter_mut().zip(&other.constraints))
		{
			*total = total.add(value);
		}
	}
}

/// How a table's rounds split `q = Q' + L'` (`Q' = Σ_i eq(τ_(>k), i) Q(pair i at X)`, the
/// constraints, of their degree `d`, and `L'` the same of `η S + η' R`, the bus leaves, of a
/// higher one): at `d + 1` sent nodes both are evaluated, at the others only the leaves, and
/// `Q'` is interpolated there from its `d + 1` values. The same `q`, with the constraints
/// evaluated at fewer points. Only for a table with a bus and more sent nodes than `d + 1`
/// (its leaves' degree at least `d + 2`).
///
/// A prover whose trace holds on every row knows one or two more values of `Q'` ([`Known`]),
/// and evaluates it at as many nodes fewer (a split for any table with a bus, or any whose
/// leaves' degree passes `d`). An invalid trace then gives another `q`, and a proof that does
/// not verify.
#[derive(Clone)]
struct Split {
	/// The round's nodes (indices into them) at which both parts are evaluated.
	evaluated: Vec<usize>,
	/// Those at which only the leaves are.
	leaves_only: Vec<usize>,
	/// How many of the interpolator's nodes (the first) are known zeros of `Q'`: 0, or 2 (the
	/// nodes 0 and 1).
	zeros: usize,
	/// Whether `Q'(1)` comes from the running claim ([`Known::AtOne`]): the round's nodes are
	/// then the sent ones and 1, last, where only the leaves are evaluated.
	at_one: bool,
	/// The round's nodes, as field elements.
	nodes: Vec<Ext>,
	/// Over the known values' nodes (the zeros, or 1), then the evaluated nodes.
	interpolator: Interpolator,
	/// Whether the leaves at the other nodes come from their gates' and fingerprints' lines
	/// ([`Round::sum_lines`]: every interaction affine) rather than from the AIR evaluated
	/// there.
	lines: bool,
}

/// What a round knows of the constraints' part `Q'` of `q` without evaluating it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Known {
	/// Nothing (the unchecked prover's rounds: its trace may not hold).
	Nothing,
	/// The first round of a trace whose every row holds: pair `i` at `X = 0` and `X = 1` is
	/// rows `2i` and `2i + 1`, where `Q` is 0, so `Q'(0) = Q'(1) = 0`.
	RowZeros,
	/// A later round of such a trace: `q(1)` follows from the running claim
	/// (`c_k = (1 + τ_k) q(0) + τ_k q(1)`), and `Q'(1) = q(1) + L'(1)` with the leaves evaluated
	/// at 1.
	AtOne,
}

impl Split {
	/// The split of a round of a table at the sent nodes `sent_nodes` (`0`, then others; 1 is
	/// not sent), knowing `known`.
	fn new(info: &AirInfo, bus: bool, sent_nodes: &[u128], known: Known) -> Option<Split> {
		let degree = info.constraints.iter().map(|c| c.degree).max().unwrap_or(0) as usize;
		let lines = info.interactions.iter().all(|i| i.affine());
		if !bus {
			return None;
		}
		let mut nodes: Vec<Ext> = sent_nodes.iter().map(|&d| Ext::from_value(d)).collect();
		// The constraints' degree is at most q's, the number of sent nodes.
		let (evaluated, known_nodes): (Vec<usize>, Vec<Ext>) = match known {
			Known::RowZeros => ((1..degree.min(sent_nodes.len())).collect(), vec![Ext::zero(), Ext::one()]),
			Known::AtOne => {
				if degree >= sent_nodes.len() {
					return None;
				}
				nodes.push(Ext::one());
				((0..degree).collect(), vec![Ext::one()])
			},
			Known::Nothing => {
				if degree + 1 >= sent_nodes.len() {
					return None;
				}
				((0..=degree).collect(), Vec::new())
			},
		};
		let leaves_only = (0..nodes.len()).filter(|j| !evaluated.contains(j)).collect();
		let interpolator =
			Interpolator::over(known_nodes.iter().copied().chain(evaluated.iter().map(|&j| nodes[j])).collect());
		let zeros = if known == Known::RowZeros { 2 } else { 0 };
		Some(Split { evaluated, leaves_only, zeros, at_one: known == Known::AtOne, nodes, interpolator, lines })
	}

	/// The round's nodes as values: the sent ones, and 1 if `Q'(1)` comes from the claim.
	fn round_nodes(&self, sent_nodes: &[u128]) -> Vec<u128> {
		sent_nodes.iter().copied().chain(self.at_one.then_some(1)).collect()
	}
}

/// `F = Q + η S + η' R` at one point (`Q` alone without a bus).
fn combined<A: Air, P: Point>(
	air: &A,
	values: Values<'_, P>,
	lambdas: &[Ext],
	bus_weights: Option<(Ext, Ext)>,
) -> Result<P, ZerocheckError> {
	let (q, (sends, receives)) = combine_with_leaves(air, values, lambdas)?;
	Ok(match bus_weights {
		Some((eta, eta_r)) => q.plus(sends.scale(&eta)).plus(receives.scale(&eta_r)),
		None => q,
	})
}

/// Replaces one sent value by the one that makes the final check (`F(s)` equal to the running
/// claim) pass, if `F` is linear in it.
#[cfg(feature = "unchecked")]
#[allow(clippy::too_many_arguments)]
fn forge_value<A: Air>(
	air: &A,
	info: &AirInfo,
	statement: &TableStatement,
	bus_weights: Option<(Ext, Ext)>,
	point: &[Ext],
	lambdas: &[Ext],
	challenges: &[Ext],
	claim: Ext,
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
		let values = Values { cur: &*cur, next: &next, selectors, index_bits: point, challenges };
		combined(air, values, lambdas, bus_weights)
	};
	let (f0, f1, f2) = (at(Ext::zero())?, at(Ext::one())?, at(Ext::from_value(2))?);
	let slope = f0.add(&f1);
	if slope == Ext::zero() || f0.add(&slope.fast_mul(&Ext::from_value(2))) != f2 {
		return Err(ZerocheckError::BadShape("the constraints are not linear in the forged value"));
	}
	at(claim.add(&f0).fast_mul(&slope.inv()))?;
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;
	use agentic_air::AirBuilder;

	fn ext(rng: &mut u64) -> Ext {
		let mut next = || {
			*rng ^= *rng << 13;
			*rng ^= *rng >> 7;
			*rng ^= *rng << 17;
			*rng
		};
		Ext::from_value(((next() as u128) << 64) | next() as u128)
	}

	/// Constraints on `cur`, `next`, the selectors and an index bit (degree 4), and two sends and
	/// a receive (the leaves' degree 7); column 3 only the receive reads.
	struct Mixed;

	impl Air for Mixed {
		fn width(&self) -> usize {
			4
		}

		fn eval<AB: AirBuilder>(&self, b: &mut AB) {
			self.eval_constraints(b);
			b.interact(1, Direction::Send, b.cur(0), &[b.cur(1), b.cur(2) * b.cur(2)]);
			b.interact(1, Direction::Receive, b.one(), &[b.cur(2), b.cur(3) * b.cur(3)]);
			b.interact(2, Direction::Send, b.cur(1), &[b.cur(0) * b.cur(2)]);
		}
	}

	/// The same constraints, and interactions whose gates and fields are affine (a column, a
	/// selector, an index bit, constants, sums), so that the round takes the leaves from their
	/// lines: three sends and two receives (the leaves' degree 7); column 3 only interactions
	/// read.
	struct Affine;

	impl Air for Affine {
		fn width(&self) -> usize {
			4
		}

		fn eval<AB: AirBuilder>(&self, b: &mut AB) {
			Mixed.eval_constraints(b);
			let sum = b.cur(1) + b.cur(3) + b.constant(Base::from_value(5));
			b.interact(1, Direction::Send, b.cur(0), &[b.cur(1), sum.clone()]);
			b.interact(1, Direction::Receive, b.one(), &[b.cur(2), b.index_bit(1)]);
			b.interact(2, Direction::Send, b.cur(1) + b.cur(0), &[b.selector(Selector::NotLast)]);
			b.interact(3, Direction::Send, b.cur(2), &[b.constant_ext(Ext::from_value(9)) * b.cur(2)]);
			b.interact(3, Direction::Receive, b.selector(Selector::First), &[sum, b.cur(0)]);
		}
	}

	impl Mixed {
		fn eval_constraints<AB: AirBuilder>(&self, b: &mut AB) {
			b.assert_bool(b.cur(0));
			b.assert_transition(b.next(1) + b.cur(1) * b.cur(2) * b.index_bit(0));
			b.assert_zero(b.selector(Selector::First) * b.cur(2));
		}
	}

	#[test]
	fn a_pair_at_a_node_is_the_line_through_the_pair() {
		let mut rng = 7;
		let table = Table::Ext((0..8).map(|_| ext(&mut rng)).collect());
		for i in 0..4 {
			let (lo, hi) = (table.value(2 * i), table.value(2 * i + 1));
			for d in 0..40u128 {
				let line = lo.add(&Ext::from_value(d).fast_mul(&lo.add(&hi)));
				assert_eq!(table.at(i, d), line, "pair {i} node {d}");
			}
			assert_eq!(table.at(i, 1), hi);
		}
	}

	/// A column read in place in `B` (and its next-row column, 0 past the end) is its values
	/// embedded in `E`, before and after each fold (the first by reference, [`Table::Folded`]),
	/// one at a time and eight pairs at a time, and rows it finds the same are: random values,
	/// bits (folded by choice), and bits but for one value (in the last group, or the first).
	#[test]
	fn a_base_table_is_its_embedded_values() {
		let mut rng = 5u64;
		// Folds of fewer pairs than a group of eight, of one group and of several.
		for (length, values) in
			[4usize, 16, 64, 96, 128].into_iter().flat_map(|length| (0..4).map(move |v| (length, v)))
		{
			let column: Vec<Base> = (0..length)
				.map(|i| {
					let random = ext(&mut rng).poly().value() as u32;
					let bit = random & 1;
					Base::from_value(match values {
						0 => random,
						1 => bit,
						2 if i + 3 == length => random | 2,
						3 if i == 1 => random | 2,
						_ => bit,
					})
				})
				.collect();
			for offset in [0, 1] {
				let mut base = Table::base(&column, offset);
				let lifted =
					(0..length).map(|i| column.get(i + offset).map_or(Ext::zero(), |&v| Ext::from(v))).collect();
				let mut lifted = Table::Ext(lifted);
				let mut rows = length;
				while rows >= 1 {
					let at = format!("offset {offset}, {rows} of {length} rows");
					for i in 0..rows {
						assert_eq!(base.value(i), lifted.value(i), "{at}, row {i}");
						// Rows said to be the same are.
						for j in 0..rows {
							assert!(!base.same_rows(i, j) || lifted.value(i) == lifted.value(j), "{at}, rows {i}, {j}");
						}
					}
					// Eight pairs at a time, from every pair on (past the last, the last again).
					let pairs = rows / 2;
					for start in 0..pairs {
						let group: [usize; LANES] = core::array::from_fn(|l| (start + l).min(pairs - 1));
						let zero = Lanes::splat(Ext::zero());
						let (mut lo, mut hi, mut want_lo, mut want_hi) = (zero, zero, zero, zero);
						base.pair_values(&group, &mut lo, &mut hi);
						lifted.pair_values(&group, &mut want_lo, &mut want_hi);
						assert_eq!((lo, hi), (want_lo, want_hi), "{at}, pairs from {start}");
					}
					if rows > 1 {
						let r = ext(&mut rng);
						base.fold_by_cpu(r);
						lifted.fold_by_cpu(r);
					}
					rows /= 2;
				}
				assert!(matches!(base, Table::Ext(ref values) if values.len() == 1));
			}
		}
	}

	/// The lines read from [`PairLines`] are the pairs' lines, at every node up to the highest
	/// it was made for, for every table and lane (a group that repeats its last pair too).
	#[test]
	fn pair_lines_are_the_pairs_lines() {
		let mut rng = 11;
		let tables: Vec<Table> = (0..3).map(|_| Table::Ext((0..40).map(|_| ext(&mut rng)).collect())).collect();
		let tables: Vec<&Table> = tables.iter().collect();
		for highest in [0u128, 1, 2, 13, 17, 31] {
			let mut lines = PairLines::new(tables.len(), highest);
			for group in [[0, 1, 2, 3, 4, 5, 6, 7], [12, 19, 3, 3, 8, 17, 17, 17]] {
				lines.load(&tables, &group);
				for (t, table) in tables.iter().enumerate() {
					for d in 0..=highest {
						let want: [Ext; LANES] = group.map(|i| table.at(i, d));
						assert_eq!(lines.at(t, d).0, want, "table {t}, node {d} of {highest}");
					}
				}
			}
		}
	}

	/// A round's sum, point by point with the one-point evaluator: what the batched, split
	/// sums must equal.
	fn direct<A: Air + Sync>(round: &Round<'_, A>) -> Vec<Ext> {
		let width = round.cur.len();
		let mut q = vec![Ext::zero(); round.nodes.len()];
		for (i, weight) in round.weights.iter().enumerate() {
			for (slot, &d) in q.iter_mut().zip(round.nodes) {
				let cur: Vec<Ext> = round.cur.iter().map(|t| t.at(i, d)).collect();
				let mut next = vec![Ext::zero(); width];
				for (&k, t) in round.info.next_columns.iter().zip(round.next) {
					next[k as usize] = t.at(i, d);
				}
				let mut bits = vec![Ext::zero(); MAX_INDEX_BIT as usize + 1];
				for (&b, t) in round.info.index_bits.iter().zip(round.bits) {
					bits[b as usize] = t.at(i, d);
				}
				let values = Values {
					cur: &cur,
					next: &next,
					selectors: round.selectors.each_ref().map(|t| t.at(i, d)),
					index_bits: &bits,
					challenges: round.challenges,
				};
				let f = combined(round.air, values, round.lambdas, round.bus_weights).expect("weights fit");
				*slot = slot.add(&weight.fast_mul(&f));
			}
		}
		q
	}

	#[test]
	fn the_batched_round_sum_is_the_pointwise_sum_however_it_is_split() {
		// Leaves evaluated at every node, or (every interaction affine) from their lines; the
		// lines of interactions that are not affine are not the leaves.
		assert!(!round_sums_agree(&Mixed, false));
		assert!(round_sums_agree(&Affine, true));
		// With a column only the constraints read between the interactions' columns.
		assert!(round_sums_agree(&WithConstraintColumn(Affine), true));
	}

	/// A round's inputs in the tests: its tables (`table` is called with each table's index,
	/// the columns first), and random pair weights, constraint weights and challenges.
	struct Inputs<'t> {
		cur: Vec<Table<'t>>,
		next: Vec<Table<'t>>,
		selectors: [Table<'t>; 4],
		bits: Vec<Table<'t>>,
		weights: Vec<Ext>,
		lambdas: Vec<Ext>,
		challenges: Vec<Ext>,
		bus_weights: (Ext, Ext),
		/// The AIR's interaction forms bound to `challenges`, if every interaction is affine.
		interactions: Option<BoundInteractions>,
	}

	impl<'t> Inputs<'t> {
		fn new<A: Air>(
			air: &A,
			info: &AirInfo,
			pairs: usize,
			rng: &mut u64,
			mut table: impl FnMut(&mut u64, usize) -> Table<'t>,
		) -> Inputs<'t> {
			let mut index = 0;
			let mut next_table = |rng: &mut u64| {
				index += 1;
				table(rng, index - 1)
			};
			let cur = (0..info.width).map(|_| next_table(rng)).collect();
			let next = info.next_columns.iter().map(|_| next_table(rng)).collect();
			let selectors = [(); 4].map(|_| next_table(rng));
			let bits = info.index_bits.iter().map(|_| next_table(rng)).collect();
			let challenges: Vec<Ext> = (0..8).map(|_| ext(rng)).collect();
			let interactions = interaction_forms(air, info, &challenges).expect("the AIR's own interactions");
			Inputs {
				cur,
				next,
				selectors,
				bits,
				weights: (0..pairs).map(|_| ext(rng)).collect(),
				lambdas: info.constraints.iter().map(|_| ext(rng)).collect(),
				challenges,
				bus_weights: (ext(rng), ext(rng)),
				interactions,
			}
		}

		/// The round of `air` over these inputs at `nodes`, not split.
		fn round<'a, A>(&'a self, air: &'a A, info: &'a AirInfo, nodes: &'a [u128]) -> Round<'a, A> {
			Round {
				air,
				info,
				cur: &self.cur,
				next: &self.next,
				selectors: &self.selectors,
				bits: &self.bits,
				weights: &self.weights,
				nodes,
				split: None,
				row_leaves: None,
				claim: None,
				lambdas: &self.lambdas,
				circuit: None,
				interactions: self.interactions.as_ref(),
				bus_weights: Some(self.bus_weights),
				challenges: &self.challenges,
			}
		}
	}

	/// A run of pairs whose rows are all one row (a table's padding) is summed once, at one
	/// pair weighted by the run's weights: the same `q` as the pointwise sum, split or not, the
	/// leaves from lines (their parts by the forms or by the AIR) or evaluated, with a column and
	/// a next-row column read in place in `B` and a column folded once ([`Table::Folded`]); a
	/// value changed inside the run, on either row of a pair, in a column, a next-row column, a
	/// selector or an index bit, shortens it to the pairs after the change.
	#[test]
	fn a_run_of_one_row_is_summed_once() {
		run_summed_once(&Affine, true);
		run_summed_once(&Mixed, false);
	}

	fn run_summed_once<A: Air + Sync>(air: &A, lines: bool) {
		let info = analyze(air).expect("valid AIR");
		let mut rng = 0x7a11;
		let (pairs, run) = (48usize, 9..47);
		let column = |rng: &mut u64| -> Vec<Ext> {
			let (padding, mut values) = (ext(rng), Vec::with_capacity(2 * pairs));
			for row in 0..2 * pairs {
				values.push(if run.contains(&(row / 2)) { padding } else { ext(rng) });
			}
			values
		};
		let in_b = |values: Vec<Ext>| -> Vec<Base> {
			values.iter().map(|v| Base::from_value(v.poly().value() as u32)).collect()
		};
		let base = in_b(column(&mut rng));
		// A next-row column reads row i + 1 at row i.
		let mut next_base = vec![Base::zero()];
		next_base.extend(in_b(column(&mut rng)).into_iter().take(2 * pairs - 1));
		// A column folded once (the rounds after the first): row i from rows 2i and 2i + 1 of
		// one in `B` twice as long, whose pairs under the run are all one pair.
		let (pad, folded_base) =
			((ext(&mut rng), ext(&mut rng)), in_b((0..4 * pairs).map(|_| ext(&mut rng)).collect()));
		let folded_base: Vec<Base> = folded_base
			.iter()
			.enumerate()
			.map(|(j, &v)| match (run.contains(&(j / 4)), j % 2) {
				(true, 0) => in_b(vec![pad.0])[0],
				(true, _) => in_b(vec![pad.1])[0],
				(false, _) => v,
			})
			.collect();
		let first_next = info.width;
		assert!(!info.next_columns.is_empty() && !info.index_bits.is_empty());
		let r = ext(&mut rng);
		let inputs = Inputs::new(air, &info, pairs, &mut rng, |rng, table| match table {
			0 => Table::base(&base, 0),
			1 => {
				let mut folded = Table::base(&folded_base, 0);
				folded.fold_by_cpu(r);
				folded
			},
			t if t == first_next => Table::base(&next_base, 1),
			_ => Table::Ext(column(rng)),
		});
		let nodes = [0u128, 2, 3, 4, 5, 6, 7, 8, 9, 10];
		let split = Split::new(&info, true, &nodes, Known::Nothing).expect("nodes past the constraints' degree");
		assert_eq!(split.lines, lines);
		let round = inputs.round(air, &info, &nodes);
		assert_eq!(round.constant_run(), Some(run.clone()));
		let circuit = Circuit::compile(air);
		let circuit_weights = circuit.bind(&inputs.lambdas).expect("a weight per constraint");
		let compiled = Some((&circuit, &circuit_weights));
		let unsplit_sum = round.sum().expect("weights fit");
		for summed in [
			Round { split: None, ..round },
			Round { split: Some(&split), ..round },
			Round { split: Some(&split), circuit: compiled, ..round },
			Round { split: None, circuit: compiled, ..round },
			// The leaves' parts by the AIR rather than by the forms.
			Round { split: Some(&split), circuit: compiled, interactions: None, ..round },
			Round { split: None, circuit: compiled, interactions: None, ..round },
			// Without a bus: the constraints alone, by the circuit.
			Round { split: None, circuit: compiled, bus_weights: None, ..round },
		] {
			assert_eq!(summed.sum().expect("weights fit"), direct(&summed));
		}
		// One value changed at `row` of table `t` of `tables`, in `E`.
		let changed = |tables: &[Table], t: usize, row: usize| -> Vec<Table<'static>> {
			tables
				.iter()
				.enumerate()
				.map(|(k, table)| {
					let mut values: Vec<Ext> = (0..2 * pairs).map(|i| table.value(i)).collect();
					if k == t {
						values[row] = values[row].add(&Ext::one());
					}
					Table::Ext(values)
				})
				.collect()
		};
		let selectors: Vec<Table> = changed(&inputs.selectors, 3, 70);
		let selectors: [Table; 4] = selectors.try_into().unwrap_or_else(|_| unreachable!("four selectors"));
		let (cur, next, bits) =
			(changed(&inputs.cur, 2, 60), changed(&inputs.next, 0, 51), changed(&inputs.bits, 0, 81));
		let (cur_odd, cur_base) = (changed(&inputs.cur, 2, 41), changed(&inputs.cur, 0, 90));
		for (case, round, run) in [
			("a column, first row", Round { cur: &cur, ..round }, 31..47),
			("a column, second row", Round { cur: &cur_odd, ..round }, 21..47),
			("a column in B", Round { cur: &cur_base, ..round }, 46..47),
			("a next-row column", Round { next: &next, ..round }, 26..47),
			("a selector", Round { selectors: &selectors, ..round }, 36..47),
			("an index bit", Round { bits: &bits, ..round }, 41..47),
		] {
			let found = round.constant_run();
			assert_eq!(found, (run.len() >= MIN_RUN).then_some(run), "{case}");
			for summed in [
				Round { split: None, ..round },
				Round { split: Some(&split), ..round },
				Round { split: Some(&split), circuit: compiled, ..round },
				Round { split: None, circuit: compiled, ..round },
			] {
				assert_eq!(summed.sum().expect("weights fit"), direct(&summed), "{case}");
			}
			assert_ne!(round.sum().expect("weights fit"), unsplit_sum, "{case}");
		}
	}

	/// `round`'s sum is `want`, and so is the sum of its pairs split in two at each of `splits`
	/// (the first part with [`Lanes`], the second with the lanes this CPU takes: with
	/// `hardware-accel` on AVX-512, `WideLanes`).
	fn assert_sums_to<A: Air + Sync>(round: &Round<'_, A>, splits: &[usize], want: &[Ext]) {
		assert_eq!(round.sum().expect("weights fit"), want);
		let pairs = round.weights.len();
		for &at in splits {
			let (mut a, b) = (round.sum_over::<Lanes>(0..at).unwrap(), round.sum_over_by_cpu(at..pairs).unwrap());
			a.add(&b);
			assert_eq!(round.finish(a).unwrap(), want, "split at pair {at}");
		}
	}

	/// Checks every way of summing a round of `air` (leaves of degree 7, constraints of degree
	/// 4) against [`direct`], the split's leaves taken from their lines if `lines`; returns
	/// whether the lines, forced on, give the same `q` too (an AIR with an interaction that is
	/// not affine has no forms to take them by: an error).
	fn round_sums_agree<A: Air + Sync>(air: &A, lines: bool) -> bool {
		let info = analyze(air).expect("valid AIR");
		let mut rng = 0xfeed;
		// 13 pairs: with 10 nodes, 130 points, not a multiple of LANES; 5 nodes past the
		// constraints' degree, 65 points, a pair's points in two batches of LANES.
		let pairs = 13;
		let inputs =
			Inputs::new(air, &info, pairs, &mut rng, |rng, _| Table::Ext((0..2 * pairs).map(|_| ext(rng)).collect()));
		let cur = &inputs.cur;
		let nodes = [0u128, 2, 3, 4, 5, 6, 7, 8, 9, 10];
		// The constraints' degree is 4: evaluated at 5 nodes, interpolated at 5.
		assert_eq!((info.bus_degree, info.max_degree), (7, 7));
		let split = Split::new(&info, true, &nodes, Known::Nothing).expect("nodes past the constraints' degree");
		assert_eq!((split.evaluated.len(), split.lines), (5, lines));
		assert!(Split::new(&info, false, &nodes, Known::Nothing).is_none());
		assert!(Split::new(&info, true, &nodes[..5], Known::Nothing).is_none());
		let unsplit = inputs.round(air, &info, &nodes);
		let want = direct(&unsplit);
		assert!(want.iter().all(|q| *q != Ext::zero()));
		// q itself has a higher degree than the constraints: interpolating all of it from the
		// first 5 nodes would be wrong, so the split must evaluate the leaves at the others.
		let from_five = split.interpolator.evaluate(&want[..5], split.nodes[6]);
		assert_ne!(from_five, want[6]);
		let evaluated = Split { lines: false, ..split.clone() };
		// Evaluated everywhere, or the constraints' part interpolated (the leaves from their
		// lines or evaluated): the same q.
		let circuit = Circuit::compile(air);
		let circuit_weights = circuit.bind(&inputs.lambdas).expect("a weight per constraint");
		let compiled = Some((&circuit, &circuit_weights));
		for round in [
			Round { split: None, ..unsplit },
			Round { split: Some(&split), ..unsplit },
			Round { split: Some(&evaluated), ..unsplit },
			Round { split: Some(&split), circuit: compiled, ..unsplit },
			Round { split: Some(&evaluated), circuit: compiled, ..unsplit },
			Round { split: None, circuit: compiled, ..unsplit },
			// The leaves' parts by the AIR rather than by the forms.
			Round { split: Some(&split), circuit: compiled, interactions: None, ..unsplit },
			Round { split: None, circuit: compiled, interactions: None, ..unsplit },
		] {
			assert_sums_to(&round, &[1, 2, 5, 12], &want);
			// A changed value changes the sum, at the nodes past the constraints' degree too, in
			// a column only the interactions read as well.
			for column in [1, 2, 3] {
				let mut changed: Vec<Table> =
					cur.iter().map(|t| Table::Ext((0..2 * pairs).map(|i| t.value(i)).collect())).collect();
				if let Table::Ext(values) = &mut changed[column] {
					values[5] = values[5].add(&Ext::one());
				}
				let q = Round { cur: &changed, ..round }.sum().unwrap();
				assert!(q[5..].iter().zip(&want[5..]).all(|(a, b)| a != b), "column {column}");
			}
		}
		// Interpolating a part of a higher degree than the split assumes gives another q.
		let low = Split {
			evaluated: vec![0, 1, 2],
			leaves_only: (3..nodes.len()).collect(),
			interpolator: Interpolator::over(split.nodes[..3].to_vec()),
			..split.clone()
		};
		assert_ne!(Round { split: Some(&low), ..unsplit }.sum().unwrap(), want);
		let forced = Split { lines: true, ..split };
		Round { split: Some(&forced), ..unsplit }.sum().is_ok_and(|q| q == want)
	}

	/// Constraints of degree 4 and 3 that hold on every row of the tables the test below makes,
	/// and affine interactions (the leaves' degree 5 with the active selector).
	struct Holding;

	impl Air for Holding {
		fn width(&self) -> usize {
			4
		}

		fn eval<AB: AirBuilder>(&self, b: &mut AB) {
			b.assert_zero(b.cur(0) * b.cur(1) * b.cur(2) * b.cur(3));
			b.assert_zero(b.cur(0) * b.cur(1) + b.cur(0) * b.cur(1) * b.cur(2));
			// Gates of 1: their checks (`g² + g` on active rows) hold too.
			for k in 0..3 {
				b.interact(1, Direction::Send, b.one(), &[b.cur(k + 1), b.cur(2)]);
			}
			b.interact(1, Direction::Receive, b.one(), &[b.cur(2), b.cur(3)]);
			b.interact(2, Direction::Send, b.one(), &[b.cur(0) + b.cur(3), b.selector(Selector::First)]);
			b.interact(2, Direction::Receive, b.one(), &[b.cur(1)]);
		}
	}

	/// The first round's split of a trace whose every row holds (the constraints' part taken
	/// as 0 at the nodes 0 and 1, evaluated at `d - 1` others) gives the pointwise sum, with the
	/// leaves from their lines, evaluated or (at the node 0) the rows' leaves, and for any split
	/// of the pairs; where a row does not hold, another `q`.
	#[test]
	fn the_first_round_of_a_holding_trace_takes_the_constraints_as_zero_on_its_rows() {
		let info = analyze(&Holding).expect("valid AIR");
		let mut rng = 0x0b5e;
		let pairs = 13;
		// q's degree 5: sent at 0, x, x + 1, x^2, x^2 + 1.
		let nodes = [0u128, 2, 3, 4, 5];
		assert_eq!(info.max_degree, 5);
		// Row 2i: column 0 is 0; row 2i + 1: column 1 is 0. Every constraint holds on every
		// row, and none on the pairs' lines elsewhere.
		let holding = |rng: &mut u64, t: usize| {
			Table::Ext(
				(0..2 * pairs)
					.map(
						|row| if (t == 0 && row % 2 == 0) || (t == 1 && row % 2 == 1) { Ext::zero() } else { ext(rng) },
					)
					.collect(),
			)
		};
		let inputs = Inputs::new(&Holding, &info, pairs, &mut rng, holding);
		let round = inputs.round(&Holding, &info, &nodes);
		let want = direct(&round);
		let split = Split::new(&info, true, &nodes, Known::RowZeros).expect("a bus");
		assert_eq!(
			(split.evaluated.clone(), split.leaves_only.clone(), split.lines),
			(vec![1, 2, 3], vec![0, 4], true)
		);
		let evaluated = Split { lines: false, ..split.clone() };
		// The rows' leaves, as the bus computes them.
		let (sends, receives): (Vec<Ext>, Vec<Ext>) = (0..2 * pairs)
			.map(|row| {
				let at = |t: &Table| t.value(row);
				let cur: Vec<Ext> = inputs.cur.iter().map(at).collect();
				let mut bits = vec![Ext::zero(); MAX_INDEX_BIT as usize + 1];
				for (&b, t) in info.index_bits.iter().zip(&inputs.bits) {
					bits[b as usize] = at(t);
				}
				let selectors = inputs.selectors.each_ref().map(at);
				let values =
					Values { cur: &cur, next: &[], selectors, index_bits: &bits, challenges: &inputs.challenges };
				bus_leaves(&Holding, values)
			})
			.unzip();
		let circuit = Circuit::compile(&Holding);
		let circuit_weights = circuit.bind(&inputs.lambdas).expect("a weight per constraint");
		let compiled = Some((&circuit, &circuit_weights));
		let rows = Some((&sends[..], &receives[..]));
		for (split, row_leaves, circuit) in
			[(&split, None, None), (&evaluated, None, None), (&split, rows, None), (&split, rows, compiled)]
		{
			assert_sums_to(&Round { split: Some(split), row_leaves, circuit, ..round }, &[1, 6, 12], &want);
		}
		// The rows' leaves are read: another leaf on an even row gives another q.
		let mut other = sends.clone();
		other[4] = other[4].add(&Ext::one());
		let read = Round { split: Some(&split), row_leaves: Some((&other[..], &receives[..])), ..round };
		assert_ne!(read.sum().expect("weights fit"), want);
		// One row that does not hold: the pointwise sum changes, the split's does not follow.
		let mut broken: Vec<Table> =
			inputs.cur.iter().map(|t| Table::Ext((0..2 * pairs).map(|i| t.value(i)).collect())).collect();
		if let Table::Ext(values) = &mut broken[0] {
			values[6] = ext(&mut rng);
		}
		let broken_round = Round { cur: &broken, ..round };
		assert_ne!(Round { split: Some(&split), ..broken_round }.sum().unwrap(), direct(&broken_round));
		// Without a bus there is no split.
		assert!(Split::new(&info, false, &nodes, Known::RowZeros).is_none());
	}

	/// The rows' leaves, eight rows at a time (and several tasks with `parallel`), are each
	/// row's own, one at a time: 1 from `R` on, whatever `R` is against the groups of eight; by
	/// the AIR (interactions that are not affine) or by the forms (affine ones); and with a
	/// column between the interactions' columns that only the constraints read, which the
	/// leaves skip (review LR-2).
	#[test]
	fn the_rows_leaves_are_each_rows_leaves() {
		rows_leaves_agree(&Mixed, false);
		rows_leaves_agree(&Affine, true);
		rows_leaves_agree(&WithConstraintColumn(Mixed), false);
		rows_leaves_agree(&WithConstraintColumn(Affine), true);
	}

	/// `A` with a column inserted at 1, which only a constraint reads: `A`'s column `k` is
	/// column `k + 1` from there on, so the interactions read the columns on both sides of it.
	struct WithConstraintColumn<A>(A);

	impl<A: Air> Air for WithConstraintColumn<A> {
		fn width(&self) -> usize {
			self.0.width() + 1
		}

		fn eval<AB: AirBuilder>(&self, b: &mut AB) {
			self.0.eval(&mut Shifted(&mut *b));
			b.assert_zero(b.cur(1) * b.cur(0) + b.cur(2));
		}
	}

	/// A builder that gives the AIR it runs column `k + 1` for its column `k ≥ 1`.
	struct Shifted<'b, AB>(&'b mut AB);

	impl<AB: AirBuilder> Shifted<'_, AB> {
		fn column(k: usize) -> usize {
			if k == 0 {
				0
			} else {
				k + 1
			}
		}
	}

	impl<AB: AirBuilder> AirBuilder for Shifted<'_, AB> {
		type Expr = AB::Expr;

		fn cur(&self, column: usize) -> AB::Expr {
			self.0.cur(Self::column(column))
		}

		fn next(&self, column: usize) -> AB::Expr {
			self.0.next(Self::column(column))
		}

		fn selector(&self, selector: Selector) -> AB::Expr {
			self.0.selector(selector)
		}

		fn constant(&self, value: Base) -> AB::Expr {
			self.0.constant(value)
		}

		fn constant_ext(&self, value: Ext) -> AB::Expr {
			self.0.constant_ext(value)
		}

		fn index_bit(&self, bit: u8) -> AB::Expr {
			self.0.index_bit(bit)
		}

		fn interact(&mut self, bus: u32, direction: Direction, gate: AB::Expr, fields: &[AB::Expr]) {
			self.0.interact(bus, direction, gate, fields)
		}

		fn assert_zero(&mut self, expr: AB::Expr) {
			self.0.assert_zero(expr)
		}

		fn assert_bit_column(&mut self, column: usize) {
			self.0.assert_bit_column(Self::column(column))
		}

		fn assert_transition(&mut self, expr: AB::Expr) {
			self.0.assert_transition(expr)
		}

		fn wants_constraints(&self) -> bool {
			self.0.wants_constraints()
		}
	}

	fn rows_leaves_agree<A: Air + Sync>(air: &A, with_forms: bool) {
		let info = analyze(air).expect("valid AIR");
		let mut rng = 0x1eaf;
		let rows = 64;
		let trace: Vec<Vec<Base>> = (0..info.width)
			.map(|_| (0..rows).map(|_| Base::from_value(ext(&mut rng).poly().value() as u32)).collect())
			.collect();
		let challenges: Vec<Ext> = (0..8).map(|_| ext(&mut rng)).collect();
		let forms = interaction_forms(air, &info, &challenges).expect("the AIR's own interactions");
		assert_eq!(forms.is_some(), with_forms);
		for active_rows in [0u64, 1, 37, 45, 63, 64] {
			let statement = TableStatement { active_rows, boundaries: Vec::new(), public_columns: Vec::new() };
			let (sends, receives) = leaves(air, &statement, &trace, &challenges, forms.as_ref());
			for row in 0..rows {
				let cur: Vec<Ext> = trace.iter().map(|c| Ext::from(c[row])).collect();
				let bits: Vec<Ext> = (0..=MAX_INDEX_BIT).map(|b| flag((row >> b) & 1 == 1)).collect();
				let values = Values {
					cur: &cur,
					next: &[],
					selectors: selectors_on_row(row, rows, active_rows),
					index_bits: &bits,
					challenges: &challenges,
				};
				let want = if (row as u64) < active_rows { bus_leaves(air, values) } else { (Ext::one(), Ext::one()) };
				assert_eq!((sends[row], receives[row]), want, "row {row} of R = {active_rows}");
			}
		}
	}

	/// A later round of a valid trace takes `Q'(1)` from the running claim and the leaves at 1:
	/// the constraints evaluated at `d` nodes give the pointwise sum, with the leaves from their
	/// lines or evaluated, at any split of the pairs; another claim gives another `q`.
	#[test]
	fn a_later_round_takes_the_constraints_at_one_from_the_claim() {
		claim_at_one_agrees(&Affine, true);
		claim_at_one_agrees(&Mixed, false);
		claim_at_one_agrees(&WithConstraintColumn(Affine), true);
		claim_at_one_agrees(&WithConstraintColumn(Mixed), false);
	}

	fn claim_at_one_agrees<A: Air + Sync>(air: &A, lines: bool) {
		let info = analyze(air).expect("valid AIR");
		let mut rng = 0xa7_0e;
		let pairs = 13;
		let inputs =
			Inputs::new(air, &info, pairs, &mut rng, |rng, _| Table::Ext((0..2 * pairs).map(|_| ext(rng)).collect()));
		let nodes = [0u128, 2, 3, 4, 5, 6, 7, 8, 9, 10];
		let split = Split::new(&info, true, &nodes, Known::AtOne).expect("nodes past the constraints' degree");
		// Degree 4: evaluated at 0, x, x + 1, x^2; node 1 last, leaves alone.
		assert_eq!((split.evaluated.clone(), split.lines), (vec![0, 1, 2, 3], lines));
		assert_eq!(split.leaves_only, (4..11).collect::<Vec<usize>>());
		let round_nodes = split.round_nodes(&nodes);
		assert_eq!(round_nodes.last(), Some(&1));
		let want = direct(&inputs.round(air, &info, &nodes));
		// The claim of this round: (1 + τ) q(0) + τ q(1).
		let at_one = direct(&inputs.round(air, &info, &[1]))[0];
		let coordinate = ext(&mut rng);
		let claim = Ext::one().add(&coordinate).fast_mul(&want[0]).add(&coordinate.fast_mul(&at_one));
		let evaluated = Split { lines: false, ..split.clone() };
		let circuit = Circuit::compile(air);
		let circuit_weights = circuit.bind(&inputs.lambdas).expect("a weight per constraint");
		let compiled = Some((&circuit, &circuit_weights));
		for (split, circuit) in [(&split, None), (&evaluated, None), (&split, compiled)] {
			let round = Round {
				split: Some(split),
				claim: Some((claim, coordinate)),
				circuit,
				..inputs.round(air, &info, &round_nodes)
			};
			assert_sums_to(&round, &[1, 6, 12], &want);
			let other = Round { claim: Some((claim.add(&Ext::one()), coordinate)), ..round };
			assert_ne!(other.sum().expect("weights fit"), want);
			assert!(Round { claim: None, ..round }.sum().is_err());
		}
	}
}

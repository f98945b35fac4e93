//! Committing to polynomials and opening them (std, feature `prover`).

use crate::{
	code::{base_code, encode_rows, encode_rows_at, CodeCache},
	ext_value,
	field::{dot_base, Coords, FastMul, Subfield},
	hash::RowHashes,
	layout::{tensor_table, Layout},
	merkle::{leaves, MerkleTree},
	recursion::{next_level, row_claims, row_polynomial},
	verifier::{absorb_statement, Level},
	Base, Claim, ClaimKind, Commitment, CommittedLevel, Ext, LeafOpening, OpeningProof, Params, PcsError,
	RecursiveOpeningProof, Transcript, MAX_LEVELS,
};
use alloc::collections::BTreeMap;
use ligerito_binary_fields::BinaryFieldElement;
use ligerito_reed_solomon::ReedSolomon;

/// What the prover keeps of a commitment: the stacked polynomial and the Merkle tree of its
/// encoded matrix. The encoded matrix itself (four times the stacked values, the prover's
/// largest allocation) is dropped once its rows are hashed, and the few rows the queries open
/// are encoded again column by column ([`Committed::encoded_rows`]).
pub struct Committed {
	commitment: Commitment,
	layout: Layout,
	/// `F`, the stacked polynomial, in the matrix's row-major order (`2^N` values).
	stacked: Vec<Base>,
	/// The commitment's tree.
	tree: MerkleTree,
	/// The code the columns were encoded with (its twiddles cost a second to compute at
	/// `2^22` encoded rows, and [`Committed::encoded_rows`] needs them again).
	code: ReedSolomon<Base>,
	/// The values the tree commits, where a test's lying prover changed `stacked` after the
	/// commitment (`None`: `stacked`).
	#[cfg(test)]
	committed_values: Option<Vec<Base>>,
}

impl Committed {
	/// The commitment to publish.
	pub fn commitment(&self) -> Commitment {
		self.commitment.clone()
	}

	/// The leaves of the commitment's tree.
	#[cfg(test)]
	pub(crate) fn tree_leaves(&self) -> &[crate::Node] {
		self.tree.leaves()
	}

	/// Row `q` of the encoded matrix.
	#[cfg(test)]
	pub(crate) fn encoded_row(&self, q: usize) -> Vec<Base> {
		self.encoded_rows(&[q]).remove(0)
	}

	/// The encoded matrix's rows at `queries`, each column encoded again (a few columns' buffers
	/// at a time, so that the row-major values are read in few passes; only the FFT's nodes
	/// that hold a query, [`encode_rows_at`]): what ligerito's commitment computed and hashed,
	/// in its layout (column `c` of the message is `F[i · n + c]` over the rows `i`).
	fn encoded_rows(&self, queries: &[usize]) -> Vec<Vec<Base>> {
		/// Columns encoded per pass: a matrix of the code's block length of rows this wide.
		const COLUMNS_PER_PASS: usize = 8;
		let code = &self.code;
		let width = self.layout.leaf_width();
		#[cfg(test)]
		let stacked = self.committed_values.as_deref().unwrap_or(&self.stacked);
		#[cfg(not(test))]
		let stacked = &self.stacked;
		let mut rows = vec![Vec::with_capacity(width); queries.len()];
		let mut wanted = queries.to_vec();
		wanted.sort_unstable();
		wanted.dedup();
		let pass_width = COLUMNS_PER_PASS.min(width);
		let mut matrix = zeroed_values(code.block_length() * pass_width);
		for first in (0..width).step_by(pass_width) {
			let count = pass_width.min(width - first);
			// The message's rows (a narrower last pass leaves the other columns as they were:
			// columns are encoded each on its own, and those are not read); with `parallel`, in
			// chunks of rows on every core.
			let copy = |(to, from): (&mut [Base], &[Base])| to[..count].copy_from_slice(&from[first..first + count]);
			#[cfg(feature = "parallel")]
			{
				use rayon::prelude::*;
				matrix.par_chunks_exact_mut(pass_width).zip(stacked.par_chunks_exact(width)).for_each(copy);
			}
			#[cfg(not(feature = "parallel"))]
			matrix.chunks_exact_mut(pass_width).zip(stacked.chunks_exact(width)).for_each(copy);
			encode_rows_at(code, &mut matrix, pass_width, Some(&wanted));
			for (row, &q) in rows.iter_mut().zip(queries) {
				row.extend_from_slice(&matrix[q * pass_width..q * pass_width + count]);
			}
		}
		rows
	}

	/// The layout the polynomials were committed in.
	pub fn layout(&self) -> &Layout {
		&self.layout
	}

	/// What a claim of `kind` on polynomial `poly` at `point` must state, computed from the
	/// committed values (for building claims).
	pub fn evaluate(&self, poly: u32, kind: ClaimKind, point: &[Ext]) -> Ext {
		let weights = weight_table(kind, point);
		let start = self.layout.stacked_index(poly, 0);
		let values = &self.stacked[start..start + weights.len()];
		weights.iter().zip(values).fold(Ext::zero(), |acc, (w, &f)| acc.add(&Ext::from(f).mul(w)))
	}
}

/// The weights of a claim over its polynomial's `2^n` indices: `eq(r, i)`, or for a shifted
/// claim `eq(r, i - 1)` (and 0 at index 0), which is `S(r, i)`, or a tensor claim's products.
fn weight_table(kind: ClaimKind, point: &[Ext]) -> Vec<Ext> {
	match kind {
		ClaimKind::Eq => crate::eq_table(point),
		ClaimKind::Shifted => {
			let eq = crate::eq_table(point);
			let mut shifted = vec![Ext::zero(); eq.len()];
			shifted[1..].copy_from_slice(&eq[..eq.len() - 1]);
			shifted
		},
		ClaimKind::Tensor => tensor_table(point),
		ClaimKind::Packed => crate::ring::packed_table(point),
	}
}

/// Commits to `polys`, each given by its `2^n` base-field values (evaluations on the
/// hypercube, index bit `j` = variable `x_j`; `n` may differ between polynomials), stacked as
/// [`Layout`] says.
pub fn commit(params: &Params, polys: &[&[Base]]) -> Result<Committed, PcsError> {
	let mut num_vars = Vec::with_capacity(polys.len());
	for poly in polys {
		if !poly.len().is_power_of_two() {
			return Err(PcsError::BadShape("a polynomial does not have a power of two of values"));
		}
		let n = u8::try_from(poly.len().trailing_zeros()).map_err(|_| PcsError::BadShape("too many variables"))?;
		num_vars.push(n);
	}
	commit_in(Layout::new(params, &num_vars)?, polys)
}

/// `len` zero values, zeroed by the allocator: the pages are mapped where they are first
/// written (on the cores that write them, where that is done in parallel) instead of all at
/// once by one thread filling them; those never written read as zero.
pub fn zeroed_values(len: usize) -> Vec<Base> {
	bytemuck::zeroed_vec(len)
}

/// Commits to `polys` in `layout` (theirs: the caller made it from their sizes).
fn commit_in(layout: Layout, polys: &[&[Base]]) -> Result<Committed, PcsError> {
	let num_vars = layout.num_vars.iter().map(|&n| n as u8).collect();
	// Zeroed by the allocator: the pages are mapped where the polynomials are copied, on every
	// core with `parallel`, and past them as they are read.
	let mut stacked = zeroed_values(layout.rows() << layout.log_leaf_width);
	// Each polynomial's place, in the order of the stack (no two overlap).
	let mut order: Vec<usize> = (0..polys.len()).collect();
	order.sort_by_key(|&j| layout.stacked_index(j as u32, 0));
	let (mut places, mut rest, mut taken) = (Vec::with_capacity(polys.len()), &mut stacked[..], 0);
	for j in order {
		let start = layout.stacked_index(j as u32, 0);
		let (place, after) = core::mem::take(&mut rest)[start - taken..].split_at_mut(polys[j].len());
		places.push((place, polys[j]));
		(rest, taken) = (after, start + polys[j].len());
	}
	#[cfg(feature = "parallel")]
	{
		use rayon::prelude::*;
		places.into_par_iter().for_each(|(place, poly)| place.copy_from_slice(poly));
	}
	#[cfg(not(feature = "parallel"))]
	places.into_iter().for_each(|(place, poly)| place.copy_from_slice(poly));
	let code = base_code(layout.log_rows);
	let tree = encode(&layout, &stacked, &code);
	Ok(Committed {
		commitment: Commitment { root: tree.root(), num_vars },
		layout,
		stacked,
		tree,
		code,
		#[cfg(test)]
		committed_values: None,
	})
}

/// The tree of the encoded matrix of `stacked` in `layout`: every column encoded
/// ([`encode_rows`], ligerito's code on whole rows), each encoded row hashed into its leaf
/// ([`crate::hash::row_hash`], then [`leaf`]: what the verifier recomputes), and the tree over
/// the leaves. The columns are encoded a strip of about [`STRIP_COLUMNS`] at a time and each
/// row's hash absorbs its strips in turn ([`RowHashes`]), so that the encoded matrix, four times
/// the stacked values and the prover's largest allocation, is never whole in memory; what is
/// left of it is the row hashes' states. [`Committed::encoded_rows`] encodes the opened rows
/// again.
fn encode(layout: &Layout, stacked: &[Base], code: &ReedSolomon<Base>) -> MerkleTree {
	let width = layout.leaf_width();
	let rows = code.block_length();
	let mut hashes = RowHashes::new(rows, width);
	// Zeroed by the allocator, as large as the widest strip: its pages are mapped where the
	// strip is first written, on every core with `parallel`.
	let mut strip = zeroed_values(rows * STRIP_COLUMNS.max(16).min(width));
	let digests = loop {
		let (start, end) = (hashes.hashed(), hashes.strip_end(STRIP_COLUMNS));
		// The strip's message in the first rows; the rows below are the code's zero padding,
		// which the encoding does not read (what an earlier strip left there stays).
		strip.resize(rows * (end - start), Base::zero());
		let copy = |(to, from): (&mut [Base], &[Base])| to.copy_from_slice(&from[start..end]);
		#[cfg(feature = "parallel")]
		{
			use rayon::prelude::*;
			strip.par_chunks_exact_mut(end - start).zip(stacked.par_chunks_exact(width)).for_each(copy);
		}
		#[cfg(not(feature = "parallel"))]
		strip.chunks_exact_mut(end - start).zip(stacked.chunks_exact(width)).for_each(copy);
		encode_rows(code, &mut strip, end - start);
		if end == width {
			break hashes.finish(&strip);
		}
		hashes.absorb(&strip, end);
	};
	drop(strip);
	MerkleTree::new(leaves(&digests))
}

/// The columns of a strip of the committed matrix that [`encode`] encodes at once: 16 values
/// of 4 bytes fill a SHA-256 block, and at the usual leaf width of 64 columns a strip of 16
/// holds a quarter of the encoded matrix (as many values as the stacked polynomial).
const STRIP_COLUMNS: usize = 16;

/// Pairs per task when a batching round or a fold runs on several threads.
#[cfg(feature = "parallel")]
const PAIRS_PER_TASK: usize = 1 << 14;

/// `h(0)` and the `X²` coefficient of the round polynomial of `Σ_x f(x) w(x)` in its lowest
/// variable (`f` lifted by `lift`; `f` and `w` of the same even length): `Σ f_0 w_0` and
/// `Σ (f_0 + f_1)(w_0 + w_1)` over the pairs. With feature `parallel`, over chunks of pairs on
/// every core: a sum is a XOR, so the same bits whatever the split.
fn round_sums<T: Copy + Sync>(f: &[T], w: &[Ext], lift: impl Fn(T) -> Ext + Sync) -> (Ext, Ext) {
	use crate::field::eight::{Wide, EIGHT};
	// Eight pairs at a time, the products added unreduced per lane; the rest one by one.
	struct Sums<'a, T, L> {
		f: &'a [T],
		w: &'a [Ext],
		lift: &'a L,
	}
	impl<T: Copy, L: Fn(T) -> Ext> crate::field::eight::Loop for Sums<'_, T, L> {
		type Output = (Ext, Ext);
		#[inline(always)]
		fn run<P: crate::field::eight::Products>(self, products: P) -> (Ext, Ext) {
			sums(self.f, self.w, self.lift, products)
		}
	}
	#[inline(always)]
	fn sums<T: Copy, P: crate::field::eight::Products>(
		f: &[T],
		w: &[Ext],
		lift: &impl Fn(T) -> Ext,
		products: P,
	) -> (Ext, Ext) {
		let (mut wide0, mut wide2) = (Wide::ZERO, Wide::ZERO);
		let (f_groups, w_groups) = (f.chunks_exact(2 * EIGHT), w.chunks_exact(2 * EIGHT));
		let (f_rest, w_rest) = (f_groups.remainder(), w_groups.remainder());
		for (fg, wg) in f_groups.zip(w_groups) {
			let f0: [Ext; EIGHT] = core::array::from_fn(|l| lift(fg[2 * l]));
			let f01: [Ext; EIGHT] = core::array::from_fn(|l| f0[l].add(&lift(fg[2 * l + 1])));
			let w0: [Ext; EIGHT] = core::array::from_fn(|l| wg[2 * l]);
			let w01: [Ext; EIGHT] = core::array::from_fn(|l| wg[2 * l].add(&wg[2 * l + 1]));
			products.add_products(&mut wide0, &f0, &w0);
			products.add_products(&mut wide2, &f01, &w01);
		}
		let total = |wide: Wide| products.reduce(&wide).iter().fold(Ext::zero(), |acc, v| acc.add(v));
		let (mut h0, mut h2) = (total(wide0), total(wide2));
		for (fp, wp) in f_rest.chunks_exact(2).zip(w_rest.chunks_exact(2)) {
			let (f0, f1) = (lift(fp[0]), lift(fp[1]));
			h0 = h0.add(&f0.fast_mul(&wp[0]));
			h2 = h2.add(&f0.add(&f1).fast_mul(&wp[0].add(&wp[1])));
		}
		(h0, h2)
	}
	#[cfg(feature = "parallel")]
	{
		use rayon::prelude::*;
		let chunk = 2 * PAIRS_PER_TASK;
		if f.len() > chunk {
			return f
				.par_chunks(chunk)
				.zip(w.par_chunks(chunk))
				.map(|(f, w)| crate::field::eight::by_cpu(Sums { f, w, lift: &lift }))
				.reduce(|| (Ext::zero(), Ext::zero()), |(a0, a2), (b0, b2)| (a0.add(&b0), a2.add(&b2)));
		}
	}
	crate::field::eight::by_cpu(Sums { f, w, lift: &lift })
}

/// `v` bound in its lowest variable to `r`, in place, for a table whose entries past `v.len()`
/// are zero: the result's entries past its length are zero too, and its length is even (or 1).
/// Entry `i` of the result is computed from entries `2i` and `2i + 1`, which no earlier step has
/// overwritten. The allocation is kept, not shrunk (shrinking would copy into a second one): the
/// batching sumcheck's tables, the prover's largest, are folded without a second copy alive.
/// (Folding a large table into a new one on both cores was measured slower: its pages are new.)
fn fold_prefix_in_place(v: &mut Vec<Ext>, r: Ext) {
	crate::field::fold_pairs(v, &r);
	v.resize(even(v.len()), Ext::zero());
}

/// [`fold_prefix_in_place`] of base-field values, into a new table of `E` values
/// ([`crate::field::fold_pairs_into`], eight pairs at a time): zeroed by the allocator and
/// written once, with feature `parallel` in chunks on every core (where its pages are mapped
/// too).
fn fold_base_prefix(v: &[Base], r: Ext) -> Vec<Ext> {
	let half = v.len() / 2;
	let mut folded: Vec<Ext> = bytemuck::zeroed_vec(even(half));
	#[cfg(feature = "parallel")]
	{
		use rayon::prelude::*;
		folded[..half]
			.par_chunks_mut(PAIRS_PER_TASK)
			.zip(v.par_chunks(2 * PAIRS_PER_TASK))
			.for_each(|(folded, v)| crate::field::fold_pairs_into(v, folded, &r, Ext::from));
	}
	#[cfg(not(feature = "parallel"))]
	crate::field::fold_pairs_into(v, &mut folded[..half], &r, Ext::from);
	folded
}

/// `len` made even by one more entry (a zero) if it is odd and above 1: a prefix of a table of
/// `2^k` entries (`k ≥ 1`) still within it, and pairable.
fn even(len: usize) -> usize {
	if len % 2 == 1 && len > 1 {
		len + 1
	} else {
		len
	}
}

/// `W_g` written out, `len` values per commitment (the first level's).
fn dense_weights(layout: &Layout, claims: &[Claim], alphas: &[Ext], commitments: usize, len: usize) -> Vec<Vec<Ext>> {
	let mut weights = vec![vec![Ext::zero(); len]; commitments];
	// Claims come in runs at one point (a zerocheck claims every column of a table there):
	// the table is built once per run.
	let mut last: Option<(ClaimKind, &[Ext], Vec<Ext>)> = None;
	for (claim, alpha) in claims.iter().zip(alphas) {
		let table = match last.take() {
			Some((kind, point, table)) if kind == claim.kind && point == &claim.point[..] => (kind, point, table),
			_ => (claim.kind, &claim.point[..], weight_table(claim.kind, &claim.point)),
		};
		let table = &last.insert(table).2;
		let start = layout.stacked_index(claim.poly, 0);
		for (w, t) in weights[claim.commitment as usize][start..].iter_mut().zip(table) {
			*w = w.add(&alpha.fast_mul(t));
		}
	}
	weights
}

/// The batching sumcheck's weights `W_g`, one per commitment.
enum Weights {
	/// Written out (a row polynomial's level).
	Dense(Vec<Vec<Ext>>),
	/// As the claims' tables (the first level).
	Claims(ClaimWeights),
}

/// `F_g` as the round sums read it: its base-field values before the first fold, then the
/// folded table.
enum Values<'a> {
	Base(&'a [Base]),
	Ext(&'a [Ext]),
}

/// `W = Σ_l α_l w_l` as its terms: claim `l`'s table `w_l` spans its polynomial's block of `F`,
/// and the claims of one kind at one point (a zerocheck claims every column of a table there)
/// share it. Binding the lowest variable to `r` folds each shared table once; a block of `2^n`
/// values spans `2^(n - k)` after `k` folds, and once it is a single value the claim keeps it as
/// its own weight (`α_l` times the table's value), which a fold multiplies by `1 + r` or `r` as
/// the value sits first or second in its pair. The round sums and the folds are linear in `W`,
/// so they come out as the same field elements as on `W` written out (tested). The memory is
/// the distinct tables' (for a zerocheck's claims a few tables per AIR table, instead of `W`'s
/// values in `E`, the prover's largest table), and `W`'s zeros cost no work.
struct ClaimWeights {
	/// One table per distinct kind and point, folded as the variables are bound (emptied once
	/// down to one value).
	tables: Vec<Vec<Ext>>,
	/// The claims' terms.
	terms: Vec<Term>,
}

/// One claim's term of [`ClaimWeights`].
struct Term {
	/// The commitment of the claimed polynomial.
	commitment: usize,
	/// Where the term's block starts in the folded `F`.
	start: usize,
	/// The claim's `α`, or, once its block is one value, that value.
	weight: Ext,
	/// The shared table while the block spans more than one value.
	table: Option<usize>,
}

impl ClaimWeights {
	/// The claims' terms, or `None` if their distinct tables would hold more than `limit`
	/// values (`W` written out is then smaller).
	fn new(layout: &Layout, claims: &[Claim], alphas: &[Ext], limit: usize) -> Option<ClaimWeights> {
		// One table per distinct (kind, point): a zerocheck's claims come in a few runs at one
		// point, plus its boundary claims, a few points shared by several columns.
		let mut keys: BTreeMap<(u8, Vec<u128>), usize> = BTreeMap::new();
		let mut points: Vec<&Claim> = Vec::new();
		let mut values = 0usize;
		let mut terms = Vec::with_capacity(claims.len());
		for (claim, alpha) in claims.iter().zip(alphas) {
			let key = (claim.kind as u8, claim.point.iter().map(|e| e.poly().value()).collect());
			let table = *keys.entry(key).or_insert_with(|| {
				points.push(claim);
				values = values.saturating_add(1 << layout.num_vars[claim.poly as usize]);
				points.len() - 1
			});
			terms.push(Term {
				commitment: claim.commitment as usize,
				start: layout.stacked_index(claim.poly, 0),
				weight: *alpha,
				table: Some(table),
			});
		}
		if values > limit {
			return None;
		}
		let tables = points.iter().map(|c| weight_table(c.kind, &c.point)).collect();
		let mut weights = ClaimWeights { tables, terms };
		weights.single_values();
		Some(weights)
	}

	/// Terms whose table is down to one value take it as their weight.
	fn single_values(&mut self) {
		for term in self.terms.iter_mut() {
			if let Some(t) = term.table {
				if self.tables[t].len() == 1 {
					term.weight = term.weight.fast_mul(&self.tables[t][0]);
					term.table = None;
				}
			}
		}
		self.tables.iter_mut().filter(|t| t.len() == 1).for_each(|t| *t = Vec::new());
	}

	/// This round's `(h0, h2)`: [`round_sums`] of every `F_g` (`values(g)`) against `W_g`.
	fn round_sums<'a>(&self, values: impl Fn(usize) -> Values<'a> + Sync) -> (Ext, Ext) {
		let term_sums = |term: &Term| -> (Ext, Ext) {
			let (h0, h2) = match term.table {
				Some(t) => {
					let (table, start) = (&self.tables[t], term.start);
					match values(term.commitment) {
						Values::Base(f) => round_sums(&f[start..start + table.len()], table, Ext::from),
						Values::Ext(f) => round_sums(&f[start..start + table.len()], table, |e| e),
					}
				},
				None => {
					// One value at `start`: first in its pair (h0 takes it) or second.
					let pair = term.start & !1;
					let (f0, f1) = match values(term.commitment) {
						Values::Base(f) => (Ext::from(f[pair]), Ext::from(f[pair + 1])),
						Values::Ext(f) => (f[pair], f[pair + 1]),
					};
					let h0 = if term.start == pair { f0 } else { Ext::zero() };
					(h0, f0.add(&f1))
				},
			};
			(term.weight.fast_mul(&h0), term.weight.fast_mul(&h2))
		};
		#[cfg(feature = "parallel")]
		{
			use rayon::prelude::*;
			self.terms.par_iter().map(term_sums).reduce(|| (Ext::zero(), Ext::zero()), add_pairs)
		}
		#[cfg(not(feature = "parallel"))]
		sum_pairs(self.terms.iter().map(term_sums))
	}

	/// Binds the lowest variable to `r`.
	fn fold(&mut self, r: Ext) {
		for table in self.tables.iter_mut().filter(|t| !t.is_empty()) {
			fold_prefix_in_place(table, r);
		}
		let one_plus_r = Ext::one().add(&r);
		for term in self.terms.iter_mut() {
			if term.table.is_none() {
				// The value's pair becomes `lo + r (lo + hi)`.
				term.weight = term.weight.fast_mul(if term.start % 2 == 0 { &one_plus_r } else { &r });
			}
			term.start /= 2;
		}
		self.single_values();
	}
}

/// Sums of pairs of field elements.
fn sum_pairs(pairs: impl Iterator<Item = (Ext, Ext)>) -> (Ext, Ext) {
	pairs.fold((Ext::zero(), Ext::zero()), add_pairs)
}

fn add_pairs(a: (Ext, Ext), b: (Ext, Ext)) -> (Ext, Ext) {
	(a.0.add(&b.0), a.1.add(&b.1))
}

/// The length, even (or 1), that holds the first `used` entries of a table of `2^vars`.
fn prefix_len(used: u64, vars: u32) -> usize {
	even(used.min(1u64 << vars) as usize)
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
	let reduced = reduce(params, committed, claims, Level::First, None, transcript)?;
	send_row(params, committed, reduced, transcript)
}

/// Proves `claims` about `committed` as a recursive opening: each level's combined row
/// committed and opened by the next level, as long as that is shorter (the schedule of
/// [`crate::RecursiveOpeningProof`]). `params` are the first level's; the transcript must be
/// in the state the verifier's will be in (see [`crate::verify_recursive`]).
pub fn open_recursive(
	params: &Params,
	committed: &[&Committed],
	claims: &[Claim],
	transcript: &mut Transcript,
) -> Result<RecursiveOpeningProof, PcsError> {
	open_recursive_altered(params, committed, claims, transcript, &mut |_, _, _| {})
}

/// [`open_recursive`], with each level's combined row passed through `alter` (with the level's
/// number and `s_hi`; it may lengthen the row up to the matrix's height) before it is
/// committed: the tests' dishonest prover.
fn open_recursive_altered(
	params: &Params,
	committed: &[&Committed],
	claims: &[Claim],
	transcript: &mut Transcript,
	alter: &mut dyn FnMut(usize, &[Ext], &mut Vec<Ext>),
) -> Result<RecursiveOpeningProof, PcsError> {
	transcript.absorb_u64(b"pcs/recursive/max_levels", MAX_LEVELS as u64);
	let mut codes = CodeCache::default();
	let mut levels = Vec::new();
	let mut params = *params;
	let mut level = Level::First;
	let mut row: Option<(Committed, Vec<Claim>, RowSource)> = None;
	loop {
		let next = {
			let (committed, claims, source): (Vec<&Committed>, &[Claim], _) = match &row {
				None => (committed.to_vec(), claims, None),
				Some((c, claims, source)) => (vec![c], &claims[..], Some((source, &mut codes))),
			};
			let reduced = reduce(&params, &committed, claims, level, source, transcript)?;
			let Some((next_params, next_layout)) = next_level(&reduced.layout, &params, levels.len()) else {
				let last = send_row(&params, &committed, reduced, transcript)?;
				return Ok(RecursiveOpeningProof { levels, last });
			};
			let layout = &reduced.layout;
			let mut row = reduced.combined_row.clone();
			alter(levels.len(), &reduced.point[layout.log_leaf_width as usize..], &mut row);
			let values = row_polynomial(&row, layout.log_rows);
			let row_committed = commit_in(next_layout.clone(), &[&values[..]])?;
			let row_root = row_committed.commitment.root;
			transcript.absorb_root(b"pcs/row_root", &row_root);
			let nonce = transcript.grind(params.grinding_bits);
			let queries = transcript
				.queries(params.grinding_bits, nonce, layout.leaves(), params.num_queries as usize)
				.ok_or(PcsError::NotEnoughWork)?;
			let (s_lo, s_hi) = reduced.point.split_at(layout.log_leaf_width as usize);
			let eq = crate::eq_table(s_lo);
			let subfield = Subfield::new();
			let rows: Vec<Vec<Vec<Base>>> = committed.iter().map(|c| c.encoded_rows(&queries)).collect();
			let leaf_values: Vec<Coords> = (0..queries.len())
				.map(|k| {
					let value = rows
						.iter()
						.zip(&reduced.gammas)
						.fold(Ext::zero(), |acc, (r, gamma)| acc.add(&gamma.fast_mul(&dot_base(&r[k], &eq))));
					subfield.coords(value)
				})
				.collect();
			let target = reduced
				.evaluations
				.iter()
				.zip(&reduced.gammas)
				.fold(Ext::zero(), |acc, (e, g)| acc.add(&e.fast_mul(g)));
			let next_claims = row_claims(layout, &mut codes, s_hi, target, &queries, &leaf_values);
			let source = RowSource { log_rows: layout.log_rows, s_hi: s_hi.to_vec(), queries };
			levels.push(CommittedLevel {
				sumcheck: reduced.sumcheck,
				evaluations: reduced.evaluations.into_iter().map(ext_value).collect(),
				row_root,
				nonce,
				openings: leaf_openings(&committed, rows, &source.queries),
			});
			(next_params, next_layout, row_committed, next_claims, source)
		};
		let (next_params, next_layout, row_committed, next_claims, source) = next;
		params = next_params;
		level = Level::Row { used: next_layout.used };
		row = Some((row_committed, next_claims, source));
	}
}

/// Where a row level's claims come from ([`row_claims`]): the previous level's rows, the high
/// part of its point and its queries. Their weights, summed, are built in one pass instead of
/// one table per claim: the eq claim's table plus the transposed encoding of the queries'
/// weights, each times the coordinate factor `x^k`.
struct RowSource {
	log_rows: u32,
	s_hi: Vec<Ext>,
	queries: Vec<usize>,
}

impl RowSource {
	/// `Σ_l α_l w_l` over the row claims, in their order (the eq claim, then one per query).
	fn weights(&self, alphas: &[Ext], codes: &mut CodeCache) -> Vec<Ext> {
		let mut at_queries = vec![Ext::zero(); 1 << (self.log_rows + crate::LOG_INV_RATE)];
		for (&q, alpha) in self.queries.iter().zip(&alphas[1..]) {
			at_queries[q] = *alpha;
		}
		let mut by_row = codes.encode_transposed(self.log_rows, &at_queries, Some(&self.queries));
		for (w, e) in by_row.iter_mut().zip(crate::eq_table(&self.s_hi)) {
			*w = w.add(&alphas[0].fast_mul(&e));
		}
		let x = Ext::from_value(2);
		let coordinates = [Ext::one(), x, x.fast_mul(&x), x.fast_mul(&x).fast_mul(&x)];
		by_row.iter().flat_map(|w| coordinates.map(|c| c.fast_mul(w))).collect()
	}
}

/// What the first part of a level leaves: its claims reduced to the commitments' values at the
/// sumcheck's point, and the combined row there.
struct Reduced {
	layout: Layout,
	sumcheck: Vec<[u128; 2]>,
	point: Vec<Ext>,
	evaluations: Vec<Ext>,
	gammas: Vec<Ext>,
	/// `y` over the rows the polynomials take up (the others are zero).
	combined_row: Vec<Ext>,
}

/// The statement, the batching sumcheck, the evaluations and the combined row of one level.
fn reduce(
	params: &Params,
	committed: &[&Committed],
	claims: &[Claim],
	level: Level,
	row: Option<(&RowSource, &mut CodeCache)>,
	transcript: &mut Transcript,
) -> Result<Reduced, PcsError> {
	let commitments: Vec<Commitment> = committed.iter().map(|c| c.commitment()).collect();
	let layout = absorb_statement(params, &commitments, claims, level, transcript)?;
	if committed.iter().any(|c| c.layout != layout) {
		return Err(PcsError::BadShape("committed under other parameters"));
	}
	let alphas = transcript.challenge_powers(claims.len());

	// W_g = Σ α_l w_l over the claims on commitment g, each claim's table at its polynomial's
	// place in F. At the first level W is kept as the claims' tables ([`ClaimWeights`]) where
	// they take less memory than W written out (a zerocheck's claims: a few points per table),
	// so that the batching sumcheck's largest table is F's. A row polynomial's
	// claims weigh all of it (zeros included): its W is written out, and kept whole (at most
	// twice its used values; folding a truncated W would lose the weights that pair with F's
	// last values). At the first level only the prefix of F that the polynomials take up is
	// kept: past it, F and every W_g are zero, and so is every folded table past its folded
	// prefix.
	let len = match level {
		Level::First => prefix_len(layout.used, layout.total_vars),
		Level::Row { .. } => 1usize << layout.total_vars,
	};
	let mut weights = match row {
		Some((source, codes)) => Weights::Dense(vec![source.weights(&alphas, codes)]),
		None => match ClaimWeights::new(&layout, claims, &alphas, committed.len() * len) {
			Some(weights) => Weights::Claims(weights),
			None => Weights::Dense(dense_weights(&layout, claims, &alphas, committed.len(), len)),
		},
	};

	// The batching sumcheck, lowest variable first; the first round on the base-field values.
	let total_vars = layout.total_vars as usize;
	let mut sumcheck = Vec::with_capacity(total_vars);
	let mut point = Vec::with_capacity(total_vars);
	let mut polys: Vec<Vec<Ext>> = Vec::new();
	// Each F_g bound in its `w` lowest variables, the column index within a row, to the point's
	// low part `s_lo`: F_g's rows' values there, `Σ_j eq(s_lo, j) F_g[i · 2^w + j]`, the terms of
	// the combined row. The sumcheck's folds compute them on the way (kept after round `w`).
	let (log_width, used_rows) = (layout.log_leaf_width as usize, layout.used_rows());
	let mut rows_at_s_lo: Vec<Vec<Ext>> = match log_width {
		0 => committed.iter().map(|c| c.stacked[..used_rows].iter().map(|&v| Ext::from(v)).collect()).collect(),
		_ => Vec::new(),
	};
	for round in 0..total_vars {
		// h(1) is not sent: the verifier takes it from the running claim.
		let (h0, h2) = match (&weights, round) {
			(Weights::Claims(w), 0) => w.round_sums(|g| Values::Base(&committed[g].stacked[..len])),
			(Weights::Claims(w), _) => w.round_sums(|g| Values::Ext(&polys[g])),
			(Weights::Dense(w), 0) => {
				sum_pairs(w.iter().enumerate().map(|(g, w)| round_sums(&committed[g].stacked[..len], w, Ext::from)))
			},
			(Weights::Dense(w), _) => sum_pairs(w.iter().zip(&polys).map(|(w, f)| round_sums(f, w, |e| e))),
		};
		transcript.absorb_exts(b"pcs/sumcheck/round", &[h0, h2]);
		sumcheck.push([ext_value(h0), ext_value(h2)]);
		let r = transcript.challenge();
		point.push(r);
		if round == 0 {
			polys = committed.iter().map(|c| fold_base_prefix(&c.stacked[..len], r)).collect();
		} else {
			for f in polys.iter_mut() {
				fold_prefix_in_place(f, r);
			}
		}
		if round + 1 == log_width {
			// A folded prefix holds at least `⌈used / 2^w⌉` values: each fold halves an even
			// length (or 1) and pads an odd result with a zero, never below `⌈used / 2^k⌉`.
			rows_at_s_lo = polys.iter().map(|f| f[..used_rows].to_vec()).collect();
		}
		match &mut weights {
			Weights::Claims(w) => w.fold(r),
			Weights::Dense(w) => {
				for w in w.iter_mut() {
					fold_prefix_in_place(w, r);
				}
			},
		}
	}
	let evaluations: Vec<Ext> = if total_vars == 0 {
		committed.iter().map(|c| Ext::from(c.stacked[0])).collect()
	} else {
		polys.iter().map(|f| f[0]).collect()
	};
	transcript.absorb_exts(b"pcs/evaluations", &evaluations);

	// The combined row at the low part of the point, over the rows the polynomials take up:
	// `Σ_g γ_g` of each F_g's rows' values at `s_lo`.
	let gammas: Vec<Ext> = committed.iter().map(|_| transcript.challenge()).collect();
	debug_assert_eq!(rows_at_s_lo.len(), committed.len(), "the rows' values kept after round w");
	let mut combined_row = vec![Ext::zero(); used_rows];
	for (rows, gamma) in rows_at_s_lo.iter().zip(&gammas) {
		for (acc, v) in combined_row.iter_mut().zip(rows) {
			*acc = acc.add(&gamma.fast_mul(v));
		}
	}
	Ok(Reduced { layout, sumcheck, point, evaluations, gammas, combined_row })
}

/// The end of a level whose combined row is sent: the row, the proof of work, the queries and
/// the leaves.
fn send_row(
	params: &Params,
	committed: &[&Committed],
	reduced: Reduced,
	transcript: &mut Transcript,
) -> Result<OpeningProof, PcsError> {
	transcript.absorb_exts(b"pcs/combined_row", &reduced.combined_row);
	let nonce = transcript.grind(params.grinding_bits);
	let queries = transcript
		.queries(params.grinding_bits, nonce, reduced.layout.leaves(), params.num_queries as usize)
		.ok_or(PcsError::NotEnoughWork)?;
	Ok(OpeningProof {
		sumcheck: reduced.sumcheck,
		evaluations: reduced.evaluations.into_iter().map(ext_value).collect(),
		combined_row: reduced.combined_row.into_iter().map(ext_value).collect(),
		nonce,
		openings: leaf_openings(committed, committed.iter().map(|c| c.encoded_rows(&queries)).collect(), &queries),
	})
}

/// Every commitment's rows at `queries` (`rows`, per commitment) and their Merkle multiproof.
fn leaf_openings(committed: &[&Committed], rows: Vec<Vec<Vec<Base>>>, queries: &[usize]) -> Vec<LeafOpening> {
	committed
		.iter()
		.zip(rows)
		.map(|(c, rows)| LeafOpening {
			rows: rows.into_iter().map(|row| row.iter().map(|v| v.poly().value()).collect()).collect(),
			siblings: c.tree.prove(queries),
		})
		.collect()
}
#[cfg(test)]
mod tests {
	use super::*;

	/// The opened rows, encoded again a few columns per pass and only where queried, are the
	/// committed ones (the tree's leaves): leaves wider than a pass, queries in every block of
	/// the codeword at their ends, unsorted and repeated, and a matrix large enough for the
	/// FFT's halves to run on several threads.
	#[test]
	fn opened_rows_are_the_committed_rows() {
		use crate::{hash::row_hash, merkle::leaf};
		for (log_values, log_leaf_width) in [(12u32, 6u8), (20, 6)] {
			let values: Vec<Base> =
				(0..1u32 << log_values).map(|i| Base::from_value(i.wrapping_mul(0x9e37_79b9) ^ 0x5a5a)).collect();
			let params = Params { log_leaf_width, num_queries: 8, grinding_bits: 0 };
			let committed = commit(&params, &[&values[..]]).unwrap();
			let leaves = committed.tree_leaves();
			let m = leaves.len() >> crate::LOG_INV_RATE;
			let queries = [3 * m + 5, 0, m - 1, m, 2 * m + 3, 3 * m + 5, 4 * m - 1];
			let rows = committed.encoded_rows(&queries);
			assert_eq!(rows.len(), queries.len());
			for (row, &q) in rows.iter().zip(&queries) {
				assert_eq!(row.len(), 1 << log_leaf_width);
				assert_eq!(leaves[q], leaf(&row_hash(row)), "2^{log_values} values, row {q}");
			}
		}
	}

	/// The batching round's sums are ligerito's round coefficients (`h(0)`, `X²`), for
	/// base-field and extension values, and over lengths past one task's pairs (the split
	/// sums of feature `parallel`).
	#[test]
	fn round_sums_are_the_round_coefficients() {
		use ligerito::sumcheck_polys::product_round_coeffs;
		let ext = |i: u128| Ext::from_value(i.wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835) ^ (i << 64));
		for len in [2usize, 6, 38, 1 << 16] {
			let base: Vec<Base> = (0..len as u32).map(|i| Base::from_value(i.wrapping_mul(2654435761))).collect();
			let lifted: Vec<Ext> = base.iter().map(|&b| Ext::from(b)).collect();
			let f: Vec<Ext> = (0..len as u128).map(|i| ext(i + 7)).collect();
			let w: Vec<Ext> = (0..len as u128).map(ext).collect();
			let (h0, _, h2) = product_round_coeffs(&lifted, &w);
			assert_eq!(round_sums(&base, &w, Ext::from), (h0, h2), "base, {len} values");
			let (h0, _, h2) = product_round_coeffs(&f, &w);
			assert_eq!(round_sums(&f, &w, |e| e), (h0, h2), "extension, {len} values");
			assert_ne!(h2, Ext::zero());
		}
	}

	/// The batching sumcheck's rounds on the claims' tables are the rounds on `W` written out,
	/// round by round: runs of claims sharing a point, a point claimed again after others,
	/// every kind, two commitments, polynomials of one and two values (single values from the
	/// start and after one fold, at odd positions too) and a prefix of odd length.
	#[test]
	fn claim_weights_are_the_written_out_weights() {
		let ext = |i: u128| Ext::from_value(i.wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835) ^ (i << 64));
		let params = Params { log_leaf_width: 1, num_queries: 1, grinding_bits: 0 };
		let num_vars = [5u8, 3, 1, 0, 0, 2, 3, 0];
		let layout = Layout::new(&params, &num_vars).unwrap();
		let mut seed = 0u128;
		let mut next = || {
			seed += 1;
			ext(seed)
		};
		let claim = |poly: usize, kind, point: &Vec<Ext>| Claim {
			commitment: (poly % 2) as u32,
			poly: poly as u32,
			kind,
			point: point.clone(),
			value: Ext::zero(),
		};
		let mut claims = Vec::new();
		for kind in [ClaimKind::Eq, ClaimKind::Shifted, ClaimKind::Tensor, ClaimKind::Packed] {
			for n in [5u8, 3, 2, 1, 0] {
				// One point for every polynomial of n variables: a run of claims.
				let point: Vec<Ext> = (0..kind.point_len(n as u32)).map(|_| next()).collect();
				for (poly, _) in num_vars.iter().enumerate().filter(|(_, &m)| m == n) {
					claims.push(claim(poly, kind, &point));
				}
			}
		}
		// A point claimed again after the others (the same claim twice: W has it twice).
		let first_eq = claims.iter().find(|c| c.kind == ClaimKind::Eq && c.point.len() == 3).unwrap().point.clone();
		claims.push(claim(1, ClaimKind::Eq, &first_eq));
		let alphas: Vec<Ext> = claims.iter().map(|_| next()).collect();
		let len = prefix_len(layout.used, layout.total_vars);
		assert_eq!((layout.used, len), (57, 58));
		let values: Vec<Vec<Base>> = (0..2u32)
			.map(|g| (0..len as u32).map(|i| Base::from_value(i.wrapping_mul(2654435761) ^ g << 7)).collect())
			.collect();

		let mut dense = dense_weights(&layout, &claims, &alphas, 2, len);
		let mut factored = ClaimWeights::new(&layout, &claims, &alphas, usize::MAX).unwrap();
		// The distinct tables: four kinds at five sizes (4 · 47 values), the repeated one shared.
		assert_eq!(factored.tables.len(), 20);
		assert!(ClaimWeights::new(&layout, &claims, &alphas, 188).is_some());
		assert!(ClaimWeights::new(&layout, &claims, &alphas, 187).is_none());
		let mut polys: Vec<Vec<Ext>> = Vec::new();
		for round in 0..layout.total_vars as usize {
			let want = if round == 0 {
				sum_pairs(dense.iter().zip(&values).map(|(w, f)| round_sums(f, w, Ext::from)))
			} else {
				sum_pairs(dense.iter().zip(&polys).map(|(w, f)| round_sums(f, w, |e| e)))
			};
			let got = if round == 0 {
				factored.round_sums(|g| Values::Base(&values[g]))
			} else {
				factored.round_sums(|g| Values::Ext(&polys[g]))
			};
			assert_eq!(got, want, "round {round}");
			assert_ne!(want.1, Ext::zero());
			let r = next();
			if round == 0 {
				polys = values.iter().map(|f| fold_base_prefix(f, r)).collect();
			} else {
				polys.iter_mut().for_each(|f| fold_prefix_in_place(f, r));
			}
			dense.iter_mut().for_each(|w| fold_prefix_in_place(w, r));
			factored.fold(r);
		}
		assert!(factored.terms.iter().all(|t| t.table.is_none() && t.start == 0));
		for (g, w) in dense.iter().enumerate() {
			let sum =
				factored.terms.iter().filter(|t| t.commitment == g).fold(Ext::zero(), |acc, t| acc.add(&t.weight));
			assert_eq!(sum, w[0], "commitment {g}");
		}
	}

	/// A prover whose polynomial differs from what it committed (one value changed after the
	/// commitment) cannot make the verifier accept, even for the true claims about the changed
	/// polynomial: the combined row it sends is consistent with the claims, so only the column
	/// check can catch it, and it does. The larger size runs the encoding's table path.
	#[test]
	fn opening_values_other_than_the_committed_ones_is_rejected() {
		for (num_vars, log_leaf_width) in [(6u8, 2u8), (11, 2)] {
			let params = Params { log_leaf_width, num_queries: 40, grinding_bits: 0 };
			let poly: Vec<Base> = (0..1u32 << num_vars).map(|i| Base::from_value(i.wrapping_mul(2654435761))).collect();
			for changed in [0usize, 17, poly.len() - 1] {
				let mut committed = commit(&params, &[&poly[..]]).unwrap();
				committed.committed_values = Some(committed.stacked.clone());
				committed.stacked[changed] = committed.stacked[changed].add(&Base::one());
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

	/// A recursive prover that commits a row other than its combined row (at any level: one
	/// value changed, inside the rows used or in the zeros past them; or two values changed so
	/// that the row's value at `s_hi` stays right, which only the queries' claims can catch) is
	/// rejected, and the honest one on the same claims is not.
	#[test]
	fn committing_another_row_is_rejected() {
		let params = Params { log_leaf_width: 3, num_queries: 6, grinding_bits: 0 };
		let poly: Vec<Base> = (0..1u32 << 14).map(|i| Base::from_value(i.wrapping_mul(2654435761) ^ 77)).collect();
		let short: Vec<Base> = poly[..1 << 12].to_vec();
		let committed = commit(&params, &[&poly[..], &short[..]]).unwrap();
		let point: Vec<Ext> = (0..14u128).map(|i| Ext::from_value(0x9e37_79b9_7f4a_7c15 * (i + 3))).collect();
		let claims: Vec<Claim> = [(0u32, 14usize), (1, 12)]
			.iter()
			.map(|&(poly, n)| {
				let value = committed.evaluate(poly, ClaimKind::Eq, &point[..n]);
				Claim { commitment: 0, poly, kind: ClaimKind::Eq, point: point[..n].to_vec(), value }
			})
			.collect();
		let run = |alter: &mut dyn FnMut(usize, &[Ext], &mut Vec<Ext>)| {
			let proof =
				open_recursive_altered(&params, &[&committed], &claims, &mut Transcript::new(b"test"), alter).unwrap();
			let verdict = crate::verify_recursive(
				&params,
				&[committed.commitment()],
				&claims,
				&proof,
				&mut Transcript::new(b"test"),
			);
			(proof.levels.len(), verdict)
		};
		let mut heights = Vec::new();
		let (levels, honest) = run(&mut |_, s_hi, row| heights.push((row.len(), 1usize << s_hi.len())));
		assert_eq!(honest, Ok(()));
		assert!(levels >= 2, "{levels} levels");
		// The verifier encodes only the last level's row: no code of a committed level's height
		// is built (the first level's may be 2^26 rows).
		let proof = open_recursive(&params, &[&committed], &claims, &mut Transcript::new(b"test")).unwrap();
		let mut codes = CodeCache::default();
		let verdict = crate::verify_recursive_with(
			&params,
			&[committed.commitment()],
			&claims,
			&proof,
			&mut Transcript::new(b"test"),
			&mut codes,
		);
		assert_eq!(verdict, Ok(()));
		let last_width = proof.last.openings[0].rows[0].len().trailing_zeros();
		let last_rows = proof.last.sumcheck.len() as u32 - last_width;
		assert_eq!(codes.built_codes(), vec![last_rows]);
		for (level, &(used, rows)) in heights.iter().enumerate() {
			assert!(used < rows, "level {level}: {used} rows used of {rows}: no zeros past them");
			// One value: the first, the last used, the first and the last of the zeros past them.
			for at in [0, used - 1, used, rows - 1] {
				let (_, verdict) = run(&mut |l, _, row| {
					if l == level {
						row.resize(row.len().max(at + 1), Ext::zero());
						row[at] = row[at].add(&Ext::one());
					}
				});
				assert!(verdict.is_err(), "level {level}, row {at} changed");
			}
			// Two values, the row's value at s_hi unchanged: d·eq(s_hi, 0) + d'·eq(s_hi, 1) = 0.
			let (_, verdict) = run(&mut |l, s_hi, row| {
				if l == level {
					let eq = crate::eq_table(s_hi);
					let d = Ext::from_value(0x1234_5678);
					let d1 = d.mul(&eq[0]).mul(&eq[1].inv());
					row[0] = row[0].add(&d);
					row[1] = row[1].add(&d1);
					assert_eq!(d.mul(&eq[0]).add(&d1.mul(&eq[1])), Ext::zero());
				}
			});
			assert!(verdict.is_err(), "level {level}: two rows changed, the value at s_hi kept");
		}
	}

	/// The combined row the batching sumcheck leaves (each commitment's values bound in their
	/// `w` lowest variables, kept after round `w`) is its definition, `Σ_g γ_g Σ_j eq(s_lo, j)
	/// F_g[i · 2^w + j]` over the used rows: for leaves of one value, of every value, and in
	/// between, stacks that fill their rows or end inside one (the folded prefix is shorter than
	/// the table), one commitment or two.
	#[test]
	fn the_combined_row_is_each_rows_value_at_the_low_point() {
		let poly = |n: u8, salt: u32| -> Vec<Base> {
			(0..1u32 << n).map(|i| Base::from_value(i.wrapping_mul(2654435761) ^ salt)).collect()
		};
		for (log_leaf_width, sizes) in
			[(0u8, vec![5u8]), (2, vec![6, 3]), (3, vec![7, 4, 0]), (4, vec![4]), (3, vec![9, 5, 5, 1])]
		{
			let params = Params { log_leaf_width, num_queries: 4, grinding_bits: 0 };
			for commitments in [1usize, 2] {
				let committed: Vec<Committed> = (0..commitments as u32)
					.map(|c| {
						let polys: Vec<Vec<Base>> =
							sizes.iter().enumerate().map(|(j, &n)| poly(n, 77 * c + j as u32)).collect();
						commit(&params, &polys.iter().map(|p| &p[..]).collect::<Vec<_>>()).unwrap()
					})
					.collect();
				let point: Vec<Ext> =
					(0..sizes[0] as u128).map(|i| Ext::from_value(0x9e37_79b9_7f4a_7c15 * (i + 5))).collect();
				let claims: Vec<Claim> = (0..commitments as u32)
					.flat_map(|c| {
						let (committed, point) = (&committed[c as usize], &point);
						sizes.iter().enumerate().map(move |(j, &n)| {
							let point = point[..n as usize].to_vec();
							let value = committed.evaluate(j as u32, ClaimKind::Eq, &point);
							Claim { commitment: c, poly: j as u32, kind: ClaimKind::Eq, point, value }
						})
					})
					.collect();
				let refs: Vec<&Committed> = committed.iter().collect();
				let reduced =
					reduce(&params, &refs, &claims, Level::First, None, &mut Transcript::new(b"test")).unwrap();
				let layout = &reduced.layout;
				let eq = crate::eq_table(&reduced.point[..layout.log_leaf_width as usize]);
				let want: Vec<Ext> = (0..layout.used_rows())
					.map(|i| {
						committed.iter().zip(&reduced.gammas).fold(Ext::zero(), |acc, (c, gamma)| {
							let row = &c.stacked[i * eq.len()..(i + 1) * eq.len()];
							acc.add(&gamma.fast_mul(&dot_base(row, &eq)))
						})
					})
					.collect();
				assert_eq!(
					reduced.combined_row, want,
					"2^{log_leaf_width} wide, sizes {sizes:?}, {commitments} commitments"
				);
			}
		}
	}

	/// The first fold of the stacked values is each pair's `f_0 + r (f_0 + f_1)`, for values 0, 1
	/// and others, whatever the length (an odd last value is dropped and a zero appended to an
	/// odd count of pairs, as [`even`] does), on every core or one.
	#[test]
	fn the_base_fold_is_each_pairs_fold() {
		let r = Ext::from_value(0x1234_5678_9abc_def0_0fed_cba9_8765_4321);
		for len in [0usize, 1, 2, 6, 16, 33, 100, 1 << 17] {
			let values: Vec<Base> = (0..len as u32)
				.map(|i| Base::from_value(if i % 3 == 0 { i.wrapping_mul(2654435761) } else { (i / 3) & 1 }))
				.collect();
			let mut want: Vec<Ext> = values
				.chunks_exact(2)
				.map(|p| {
					let (f0, f1) = (Ext::from(p[0]), Ext::from(p[1]));
					f0.add(&crate::field::mul(&r, &f0.add(&f1)))
				})
				.collect();
			if want.len() % 2 == 1 && want.len() > 1 {
				want.push(Ext::zero());
			}
			assert_eq!(fold_base_prefix(&values, r), want, "{len} values");
		}
	}

	/// A committed matrix nonzero in a row past the polynomials (a row the combined row does
	/// not send and the verifier takes as zero) fails the column check. Values past the
	/// polynomials inside the last row they reach are not bound: no claim weighs them, and a
	/// combined row that includes them passes (`docs/proof-system.md`, stage 1). This prover's
	/// combined row comes from the batching sumcheck's folds of `F`'s prefix of `U` values made
	/// even (166 here), so it includes value `U` (165) but not the two after it in that row,
	/// and with those changed its proof fails the column check.
	#[test]
	fn values_past_the_polynomials_are_bound_only_in_whole_rows() {
		let params = Params { log_leaf_width: 3, num_queries: 40, grinding_bits: 0 };
		let polys: Vec<Vec<Base>> = [7u32, 5, 2, 0]
			.iter()
			.map(|&n| (0..1u32 << n).map(|i| Base::from_value(i.wrapping_mul(2654435761) ^ n)).collect())
			.collect();
		let slices: Vec<&[Base]> = polys.iter().map(|p| &p[..]).collect();
		let honest = commit(&params, &slices).unwrap();
		let layout = honest.layout().clone();
		// 165 values: 21 rows of 8 are used, of 32.
		assert_eq!((layout.used, layout.used_rows(), layout.rows()), (165, 21, 32));
		for (at, bound) in [(25 << 3, true), (21 << 3, true), (165, false), (166, true), (167, true)] {
			let mut stacked = honest.stacked.clone();
			stacked[at] = Base::one();
			let code = base_code(layout.log_rows);
			let tree = encode(&layout, &stacked, &code);
			let num_vars = honest.commitment().num_vars;
			let commitment = Commitment { root: tree.root(), num_vars };
			let dirty = Committed { commitment, layout: layout.clone(), stacked, tree, code, committed_values: None };
			let point: Vec<Ext> = (0..7u128).map(|i| Ext::from_value(0x9e37_79b9_7f4a_7c15 * (i + 1))).collect();
			let value = dirty.evaluate(0, ClaimKind::Eq, &point);
			let claim = Claim { commitment: 0, poly: 0, kind: ClaimKind::Eq, point, value };
			let proof = open(&params, &[&dirty], &[claim.clone()], &mut Transcript::new(b"test")).unwrap();
			let verdict =
				crate::verify(&params, &[dirty.commitment()], &[claim], &proof, &mut Transcript::new(b"test"));
			if bound {
				assert!(matches!(verdict, Err(PcsError::ColumnCheckFailed { .. })), "value {at}: {verdict:?}");
			} else {
				assert_eq!(verdict, Ok(()), "value {at}");
			}
		}
	}
}

//! The Reed-Solomon code of the commitments, over the base field and lifted to the extension.
//!
//! Columns are encoded with ligerito's non-systematic additive-FFT code over GF(2^32): message
//! `m` values, block `4m`. The verifier needs the same linear map applied to a vector of
//! GF(2^128) values (the combined row): the generator matrix, whose entries lie in GF(2^32),
//! acting on GF(2^128) through the subfield embedding. The encoding only adds and multiplies by
//! GF(2^32) constants, so it acts on each coordinate of GF(2^128) over GF(2^32) separately; the
//! verifier encodes the four coordinate vectors in GF(2^32) and compares coordinates (tested
//! against the code run over GF(2^128) with its constants embedded, and against the base code
//! on unit vectors: all of them up to 64 message values).

use crate::{
	field::{ConstMul, Coords, Gf32, Subfield},
	Ext,
};
use alloc::{boxed::Box, collections::BTreeMap, vec::Vec};
use ligerito_binary_fields::BinaryFieldElement;
#[cfg(any(test, feature = "prover"))]
use ligerito_reed_solomon::ReedSolomon;
use ligerito_reed_solomon::{compute_pis, eval_sk_at_vks};

/// The base-field code for `2^log_rows` message values: ligerito's `ReedSolomon::new`, its
/// constants computed by [`twiddles`] and with [`Gf32`]'s multiplication (the same values,
/// tested; ligerito's portable multiplication made building a code a visible part of a test
/// proof).
#[cfg(any(test, feature = "prover"))]
pub(crate) fn base_code(log_rows: u32) -> ReedSolomon<crate::Base> {
	let m = 1usize << log_rows;
	let base = |g: &Gf32| crate::Base::from_value(g.0);
	ReedSolomon {
		log_message_length: log_rows as usize,
		log_block_length: (log_rows + crate::LOG_INV_RATE) as usize,
		twiddles: twiddles(log_rows + crate::LOG_INV_RATE).iter().map(base).collect(),
		pis: compute_pis(m, &eval_sk_at_vks::<Gf32>(m)).iter().map(base).collect(),
	}
}

/// Encodes every column of `matrix` (row-major, `width` values per row, the code's block
/// length of rows, the message in the first rows; the rows below, the code's zero padding, are
/// not read) in place: ligerito's
/// non-systematic encoding of each column (the message scaled by the code's `pis`, then its
/// additive FFT), run on whole rows. The FFT's butterfly at a node pairs row `a + i` with row
/// `a + L/2 + i` under one twiddle for every column, so each butterfly is one pass over
/// `L/2 · width` contiguous values, with no transposition to columns and back, and the
/// smallest nodes still hold a whole row each (tested against ligerito's column encoding).
#[cfg(feature = "prover")]
pub(crate) fn encode_rows(code: &ReedSolomon<crate::Base>, matrix: &mut [crate::Base], width: usize) {
	encode_rows_at(code, matrix, width, None);
}

/// [`encode_rows`], computing only the rows at `wanted` (sorted and distinct) if given: the
/// other rows of `matrix` are left with values of no use. The rows past the message are not
/// read (they are the code's zero padding). Two shortcuts, as the verifier's
/// [`LiftedCode::encode_at`] takes, leave the wanted rows unchanged: the first
/// `LOG_INV_RATE` depths of the FFT act on blocks whose second half is zero, where a butterfly
/// copies the first half into the second, so each of the `2^LOG_INV_RATE` blocks of the
/// codeword starts as the scaled message; and a block that holds no wanted row is not
/// transformed further (the prover's opened rows: a few hundred of the code's rows).
#[cfg(feature = "prover")]
pub(crate) fn encode_rows_at(
	code: &ReedSolomon<crate::Base>,
	matrix: &mut [crate::Base],
	width: usize,
	wanted: Option<&[usize]>,
) {
	debug_assert_eq!(matrix.len(), code.block_length() * width);
	debug_assert!(wanted.is_none_or(|w| w.windows(2).all(|p| p[0] < p[1])), "wanted rows sorted and distinct");
	let message = code.pis.len() * width;
	// row_i · pi_i: the butterfly on (0, row) leaves pi_i · row in the first half; with
	// `parallel`, rows in chunks on every core.
	let scale_rows = |rows: &mut [crate::Base], pis: &[crate::Base]| {
		let mut scaled = alloc::vec![crate::Base::zero(); width];
		for (row, pi) in rows.chunks_exact_mut(width).zip(pis) {
			scaled.fill(crate::Base::zero());
			butterfly(&mut scaled, row, *pi);
			row.copy_from_slice(&scaled);
		}
	};
	#[cfg(feature = "parallel")]
	{
		use rayon::prelude::*;
		let rows_per_task = (MIN_PARALLEL_VALUES / width).max(1);
		matrix[..message]
			.par_chunks_mut(rows_per_task * width)
			.zip(code.pis.par_chunks(rows_per_task))
			.for_each(|(rows, pis)| scale_rows(rows, pis));
	}
	#[cfg(not(feature = "parallel"))]
	scale_rows(&mut matrix[..message], &code.pis);
	let blocks = 1usize << crate::LOG_INV_RATE;
	let rows = code.pis.len();
	let in_block =
		|b: usize| wanted.map(|w| &w[w.partition_point(|&p| p < b * rows)..w.partition_point(|&p| p < (b + 1) * rows)]);
	// The blocks after the first start as copies of it; it is transformed last.
	let (first, rest) = matrix.split_at_mut(message);
	for (k, block) in rest.chunks_exact_mut(message).enumerate() {
		let here = in_block(k + 1);
		if here.is_some_and(|h| h.is_empty()) {
			continue;
		}
		block.copy_from_slice(first);
		fft_rows(block, width, &code.twiddles, blocks + k + 1, here, (k + 1) * rows);
	}
	fft_rows(first, width, &code.twiddles, blocks, in_block(0), 0);
}

/// ligerito's FFT butterfly `(u, w) ↦ (u + λw, w + u + λw)` on every pair `(u[i], w[i])`:
/// sixteen pairs per step with AVX-512's carry-less multiply where the CPU has it
/// ([`crate::field::x86::butterfly16`]); else, and for the last few pairs, by a table filled
/// for `λ` ([`ConstMul`]) on long slices, else by [`Gf32`]'s multiplication (ligerito's portable
/// butterfly multiplies by nibble tables and reduces a bit at a time: most of a test proof's
/// time).
#[cfg(feature = "prover")]
fn butterfly(u: &mut [crate::Base], w: &mut [crate::Base], lambda: crate::Base) {
	debug_assert_eq!(u.len(), w.len());
	let lambda = lambda.poly().value();
	#[cfg(all(feature = "hardware-accel", target_arch = "x86_64"))]
	let (u, w) = if crate::field::x86::has_wide_clmul() {
		// SAFETY: the CPU has the instructions `butterfly16` is compiled with (checked).
		let done = unsafe { crate::field::x86::butterfly16(base_values(u), base_values(w), lambda) };
		(&mut u[done..], &mut w[done..])
	} else {
		(u, w)
	};
	let step = |a: &mut crate::Base, b: &mut crate::Base, product: u32| {
		let sum = a.poly().value() ^ product;
		*a = crate::Base::from_value(sum);
		*b = crate::Base::from_value(b.poly().value() ^ sum);
	};
	if u.len() >= TABLE_PRODUCTS {
		let mut table = ConstMul::new();
		table.set(lambda);
		for (a, b) in u.iter_mut().zip(w.iter_mut()) {
			let product = table.mul(b.poly().value());
			step(a, b, product);
		}
	} else {
		for (a, b) in u.iter_mut().zip(w.iter_mut()) {
			let product = Gf32(lambda).mul(&Gf32(b.poly().value())).0;
			step(a, b, product);
		}
	}
}

/// `values` as the `u32`s they are.
#[cfg(all(feature = "prover", feature = "hardware-accel", target_arch = "x86_64"))]
fn base_values(values: &mut [crate::Base]) -> &mut [u32] {
	// SAFETY: `Base` is `#[repr(transparent)]` over `BinaryPoly32`, itself over `u32`, and
	// every `u32` is a valid value of it: the same bytes, the same length, borrowed as long.
	unsafe { core::slice::from_raw_parts_mut(values.as_mut_ptr().cast::<u32>(), values.len()) }
}

/// Below this many values a node's halves run on the same thread, and the row scaling and a
/// node's butterflies are cut into slices of this many values per task.
#[cfg(all(feature = "parallel", not(test)))]
const MIN_PARALLEL_VALUES: usize = 1 << 16;
/// In the unit tests, small enough for their matrices to take the parallel paths.
#[cfg(all(feature = "parallel", test))]
const MIN_PARALLEL_VALUES: usize = 1 << 6;

/// The additive FFT of ligerito's encoding (node `idx` of its twiddle tree) on whole rows,
/// `v` starting at row `base`; with `wanted` (sorted rows), only the nodes that hold one of
/// them.
#[cfg(feature = "prover")]
fn fft_rows(
	v: &mut [crate::Base],
	width: usize,
	twiddles: &[crate::Base],
	idx: usize,
	wanted: Option<&[usize]>,
	base: usize,
) {
	if v.len() <= width || wanted.is_some_and(|w| w.is_empty()) {
		return;
	}
	let (u, w) = v.split_at_mut(v.len() / 2);
	// The node's butterflies: with `parallel`, on every core in slices where the node is large
	// (the top nodes would otherwise run on one thread while the other waits).
	#[cfg(feature = "parallel")]
	if u.len() >= 2 * MIN_PARALLEL_VALUES {
		use rayon::prelude::*;
		let lambda = twiddles[idx - 1];
		u.par_chunks_mut(MIN_PARALLEL_VALUES)
			.zip(w.par_chunks_mut(MIN_PARALLEL_VALUES))
			.for_each(|(u, w)| butterfly(u, w, lambda));
	} else {
		butterfly(u, w, twiddles[idx - 1]);
	}
	#[cfg(not(feature = "parallel"))]
	butterfly(u, w, twiddles[idx - 1]);
	let middle = base + u.len() / width;
	let (left, right) = match wanted {
		Some(rows) => {
			let (left, right) = rows.split_at(rows.partition_point(|&r| r < middle));
			(Some(left), Some(right))
		},
		None => (None, None),
	};
	#[cfg(feature = "parallel")]
	if u.len() >= MIN_PARALLEL_VALUES {
		rayon::join(
			|| fft_rows(u, width, twiddles, 2 * idx, left, base),
			|| fft_rows(w, width, twiddles, 2 * idx + 1, right, middle),
		);
		return;
	}
	fft_rows(u, width, twiddles, 2 * idx, left, base);
	fft_rows(w, width, twiddles, 2 * idx + 1, right, middle);
}

/// What a verifier has built for the codes: the code's twiddles cost more to compute than the
/// rest of an opening check in portable field arithmetic (the runtime's), and the commitments
/// of one proof share a few sizes. A cache only saves work: the codes are constants of their
/// size.
#[derive(Default)]
pub struct CodeCache {
	lifted: BTreeMap<u32, LiftedCode>,
	/// Per code size, `s_j(v_j)` ([`eval_sk_at_vks`]): all a generator row needs, without the
	/// twiddles a code of that size costs (a recursive opening's first level is never encoded
	/// by the verifier).
	subspaces: BTreeMap<u32, Vec<Gf32>>,
	subfield: Option<Subfield>,
}

impl CodeCache {
	/// The coordinates of the lifted codeword of `message` (at most `2^log_rows` values) at
	/// `positions` (sorted, each below `4 · 2^log_rows`), in that order, building what it needs
	/// on first use.
	pub(crate) fn encode_at(&mut self, log_rows: u32, message: &[Ext], positions: &[usize]) -> Vec<Coords> {
		let subfield = self.subfield.get_or_insert_with(Subfield::new);
		let code = self.lifted.entry(log_rows).or_insert_with(|| LiftedCode::new(log_rows));
		code.encode_at(message, subfield, positions)
	}

	/// The code sizes built so far (the tests' view of what a verification encoded).
	#[cfg(test)]
	pub(crate) fn built_codes(&self) -> Vec<u32> {
		self.lifted.keys().copied().collect()
	}

	/// GF(2^128) over GF(2^32), built on first use.
	pub(crate) fn subfield(&mut self) -> &Subfield {
		self.subfield.get_or_insert_with(Subfield::new)
	}

	/// [`LiftedCode::encode_transposed`] for the code of `2^log_rows` message values.
	#[cfg(feature = "prover")]
	pub(crate) fn encode_transposed(&mut self, log_rows: u32, a: &[Ext], support: Option<&[usize]>) -> Vec<Ext> {
		let code = self.lifted.entry(log_rows).or_insert_with(|| LiftedCode::new(log_rows));
		code.encode_transposed(a, support)
	}

	/// The factors of the code's generator row at codeword position `position`: see
	/// [`generator_factors`].
	pub(crate) fn generator_factors(&mut self, log_rows: u32, position: usize) -> Vec<Gf32> {
		let sks_vks = self.subspaces.entry(log_rows).or_insert_with(|| eval_sk_at_vks::<Gf32>(1 << log_rows));
		generator_factors(sks_vks, log_rows, position)
	}
}

/// The same code acting on extension-field messages.
///
/// It is the base-field code applied to each [`Coords`] coordinate of the message: the code
/// is GF(2^32)-linear with GF(2^32) constants, so the coordinates of `Enc(y)` are the codewords
/// of the coordinates of `y` (tested against the code run over GF(2^128) with its constants
/// embedded). The four coordinates go through one FFT side by side, sharing its twiddles.
pub(crate) struct LiftedCode {
	/// `2^log_rows` message values, `2^(log_rows + LOG_INV_RATE)` codeword values.
	log_rows: u32,
	/// The FFT's twiddles, ligerito's (`compute_twiddles`), by [`twiddles`].
	twiddles: Vec<Gf32>,
	/// The message's scaling for the non-systematic encoding, ligerito's (`compute_pis`).
	pis: Vec<Gf32>,
}

/// A butterfly block with at least this many products (four per butterfly, one per coordinate)
/// multiplies by a table filled for its twiddle, which costs about as much as a hundred direct
/// multiplications, and then four lookups a product instead of a multiplication.
const TABLE_PRODUCTS: usize = 256;

impl LiftedCode {
	/// The lifted code for `2^log_rows` message values.
	pub(crate) fn new(log_rows: u32) -> Self {
		let m = 1usize << log_rows;
		let pis = compute_pis(m, &eval_sk_at_vks::<Gf32>(m));
		LiftedCode { log_rows, twiddles: twiddles(log_rows + crate::LOG_INV_RATE), pis }
	}

	/// The transpose of the encoding: `Σ_q a_q · Enc(e_i)[q]` for every message index `i`,
	/// `a` one value per codeword position (what a recursive opening's prover weighs its row
	/// polynomial with), zero outside `support` (sorted positions) if given. The encoding is the
	/// message scaled by `pis`, zero-padded and put through the FFT's butterflies
	/// `(u, w) ↦ (u + λw, u + (1 + λ)w)`; its transpose runs the transposed butterflies
	/// `(a, b) ↦ (a + b, λ(a + b) + b)` from the deepest layer up, keeps the first
	/// `2^log_rows` values and scales them by `pis` (tested against the generator rows). Of the
	/// first `LOG_INV_RATE` layers only the first halves are kept, which are sums: the
	/// transposed blocks of depth `LOG_INV_RATE`, added; and a node whose part of `a` is zero
	/// (none of `support`) stays zero, untransformed.
	#[cfg(feature = "prover")]
	pub(crate) fn encode_transposed(&self, a: &[Ext], support: Option<&[usize]>) -> Vec<Ext> {
		let m = 1usize << self.log_rows;
		debug_assert_eq!(a.len(), m << crate::LOG_INV_RATE);
		debug_assert!(support.is_none_or(|s| s.windows(2).all(|p| p[0] < p[1])), "support sorted and distinct");
		debug_assert!(
			support.is_none_or(|s| a.iter().enumerate().all(|(q, v)| *v == Ext::zero() || s.binary_search(&q).is_ok())),
			"a value outside the support"
		);
		let blocks = 1usize << crate::LOG_INV_RATE;
		let mut out = alloc::vec![Ext::zero(); m];
		let mut block = alloc::vec![Ext::zero(); m];
		for (b, part) in a.chunks_exact(m).enumerate() {
			let here = support.map(|s| &s[s.partition_point(|&p| p < b * m)..s.partition_point(|&p| p < (b + 1) * m)]);
			if here.is_some_and(|h| h.is_empty()) {
				continue;
			}
			block.copy_from_slice(part);
			fft_transposed(&mut block, &self.twiddles, blocks + b, here, b * m);
			for (o, x) in out.iter_mut().zip(&block) {
				*o = o.add(x);
			}
		}
		for (x, pi) in out.iter_mut().zip(&self.pis) {
			*x = crate::field::mul(x, &Ext::from(crate::Base::from_value(pi.0)));
		}
		out
	}

	/// The block length.
	#[cfg(test)]
	fn block_length(&self) -> usize {
		1 << (self.log_rows + crate::LOG_INV_RATE)
	}

	/// The coordinates of the codeword of `message` (at most `2^log_rows` values) at
	/// `positions` (sorted, each below the block length), in that order.
	///
	/// ligerito's non-systematic encoding: the message scaled by the code's `pis`, zero-padded
	/// to the block length, then its additive FFT, whose butterfly for block `b` at depth `d`
	/// takes twiddle `2^d + b` (one-based). Two shortcuts leave the result unchanged:
	/// - the first `LOG_INV_RATE` depths act on blocks whose second half is zero, where a
	///   butterfly only copies the first half into the second: they leave the scaled message in
	///   each of the `2^LOG_INV_RATE` blocks of depth `LOG_INV_RATE`;
	/// - a block that holds none of `positions` is not transformed further (output pruning:
	///   the verifier needs the codeword only at its queries).
	pub(crate) fn encode_at(&self, message: &[Ext], subfield: &Subfield, positions: &[usize]) -> Vec<Coords> {
		let m = 1usize << self.log_rows;
		debug_assert!(message.len() <= m, "a message longer than the code's");
		debug_assert!(positions.windows(2).all(|w| w[0] < w[1]), "positions sorted and distinct");
		let scaled: Vec<Coords> = (0..m)
			.map(|i| {
				let pi = self.pis[i];
				message.get(i).map_or([0; 4], |&y| subfield.coords(y).map(|c| Gf32(c).mul(&pi).0))
			})
			.collect();
		let blocks = 1usize << crate::LOG_INV_RATE;
		let mut out = Vec::with_capacity(positions.len());
		let mut block = scaled.clone();
		let mut table = Box::new(ConstMul::new());
		let mut rest = positions;
		for b in 0..blocks {
			let (base, end) = (b * m, (b + 1) * m);
			let (here, after) = rest.split_at(rest.partition_point(|&p| p < end));
			rest = after;
			if here.is_empty() {
				continue;
			}
			block.copy_from_slice(&scaled);
			fft_at(&mut block, &self.twiddles, &mut table, blocks + b, here, base);
			out.extend(here.iter().map(|&p| block[p - base]));
		}
		out
	}
}

/// The generator row at codeword position `position` of the code of `2^log_rows` message values
/// as a product: the codeword of unit message `e_i` at `position` is
/// `Π_{j : bit j of i} s_j(α)`, `α` the domain point with the bits of `position` and `s_j` the
/// subspace polynomials of ligerito's additive FFT (`s_0(x) = x`,
/// `s_{j+1} = s_j² + s_j(v_j) s_j`, `sks_vks[j] = s_j(v_j)`). Returns `s_j(α)` for
/// `j < log_rows`: the generator row's multilinear extension is `Π_j (1 + (1 + s_j(α)) z_j)`,
/// a tensor claim's weights (tested against the encoding of every unit vector).
fn generator_factors(sks_vks: &[Gf32], log_rows: u32, position: usize) -> Vec<Gf32> {
	let mut factors = Vec::with_capacity(log_rows as usize);
	let mut s = Gf32::from_bits(position as u64);
	for j in 0..log_rows as usize {
		if j > 0 {
			s = s.mul(&s).add(&sks_vks[j - 1].mul(&s));
		}
		factors.push(s);
	}
	factors
}

/// ligerito's FFT twiddles for a block of `2^log_n` values (`compute_twiddles(log_n, 0)`), one
/// XOR each instead of its three multiplications.
///
/// ligerito fills layer `i` (twiddles `2^(log_n - 1 - i) + j`, one-based) with
/// `L_i[j] / r_i`, where `L_0[j]` is the field element with bits `2j`, `L_i[j] = N(L_{i-1}[2j])`
/// and `r_i = N(L_{i-1}[1] + L_{i-1}[0])` for the map `N(x) = x² + r_{i-1} x` (`r_0 = 1`). In
/// characteristic 2 that map is GF(2)-linear, so `j ↦ L_i[j] / r_i` is linear in the bits of
/// `j`: layer `i` needs only the images of the powers of two (`log_n - 1 - i` of them, each one
/// map from the layer before), and twiddle `j` is twiddle `j` without its lowest set bit plus
/// the image of that bit (tested against ligerito's).
fn twiddles(log_n: u32) -> Vec<Gf32> {
	let n = 1usize << log_n;
	// One-based in ligerito's description: twiddle `t` is `out[t - 1]`.
	let mut out = alloc::vec![Gf32::zero(); n - 1];
	// The images of the powers of two in layer 0: L_0[2^b] has bits 2^(b + 1).
	let mut basis: Vec<Gf32> = (0..log_n.saturating_sub(1)).map(|b| Gf32::from_bits(2u64 << b)).collect();
	let mut root = Gf32::one();
	let mut scaled = basis.clone();
	let mut start = n / 2;
	for layer in 0..log_n {
		if layer > 0 {
			let previous = root;
			let map = |x: Gf32| x.mul(&x).add(&previous.mul(&x));
			root = map(basis[0]);
			basis = basis[1..].iter().map(|&b| map(b)).collect();
			let inverse = root.inv();
			scaled = basis.iter().map(|b| inverse.mul(b)).collect();
			start /= 2;
		}
		for j in 1..start {
			out[start + j - 1] = out[start + (j & (j - 1)) - 1].add(&scaled[j.trailing_zeros() as usize]);
		}
	}
	out
}

/// The transpose of ligerito's additive FFT from twiddle `idx` down: the halves first, then
/// this depth's transposed butterflies. With `support` (sorted positions; `v` starts at
/// position `base`), `v` is zero elsewhere, and a half holding none of it is zero after its
/// transform too (the map is linear): not transformed.
#[cfg(feature = "prover")]
fn fft_transposed(v: &mut [Ext], twiddles: &[Gf32], idx: usize, support: Option<&[usize]>, base: usize) {
	/// Below this many values a node's halves run on the same thread.
	#[cfg(feature = "parallel")]
	const MIN_PARALLEL_VALUES: usize = 1 << 14;
	if v.len() < 2 || support.is_some_and(|s| s.is_empty()) {
		return;
	}
	let half = v.len() / 2;
	let lambda = Ext::from(crate::Base::from_value(twiddles[idx - 1].0));
	let (u, w) = v.split_at_mut(half);
	let (left, right) = match support {
		Some(s) => {
			let (left, right) = s.split_at(s.partition_point(|&p| p < base + half));
			(Some(left), Some(right))
		},
		None => (None, None),
	};
	let halves = |u: &mut [Ext], w: &mut [Ext]| {
		#[cfg(feature = "parallel")]
		if u.len() >= MIN_PARALLEL_VALUES {
			rayon::join(
				|| fft_transposed(u, twiddles, 2 * idx, left, base),
				|| fft_transposed(w, twiddles, 2 * idx + 1, right, base + half),
			);
			return;
		}
		fft_transposed(u, twiddles, 2 * idx, left, base);
		fft_transposed(w, twiddles, 2 * idx + 1, right, base + half);
	};
	halves(u, w);
	for (a, b) in u.iter_mut().zip(w.iter_mut()) {
		let t = a.add(b);
		*a = t;
		*b = crate::field::mul(&lambda, &t).add(b);
	}
}

/// The additive FFT of `v` from twiddle `idx` down (ligerito's recursion), computing only the
/// blocks that hold one of `wanted` (sorted positions; `v` starts at position `base`).
/// `table` is scratch space for the large blocks' twiddles.
fn fft_at(v: &mut [Coords], twiddles: &[Gf32], table: &mut ConstMul, idx: usize, wanted: &[usize], base: usize) {
	if v.len() < 2 || wanted.is_empty() {
		return;
	}
	let half = v.len() / 2;
	let lambda = twiddles[idx - 1];
	let (u, w) = v.split_at_mut(half);
	if 4 * half >= TABLE_PRODUCTS {
		table.set(lambda.0);
		for (a, b) in u.iter_mut().zip(w.iter_mut()) {
			for k in 0..4 {
				a[k] ^= table.mul(b[k]);
				b[k] ^= a[k];
			}
		}
	} else {
		for (a, b) in u.iter_mut().zip(w.iter_mut()) {
			for k in 0..4 {
				a[k] ^= lambda.mul(&Gf32(b[k])).0;
				b[k] ^= a[k];
			}
		}
	}
	let (left, right) = wanted.split_at(wanted.partition_point(|&p| p < base + half));
	fft_at(u, twiddles, table, 2 * idx, left, base);
	fft_at(w, twiddles, table, 2 * idx + 1, right, base + half);
}

#[cfg(test)]
mod tests {

	/// The row encoding is ligerito's column encoding, column by column.
	#[cfg(feature = "prover")]
	#[test]
	fn encoding_rows_encodes_every_column() {
		use ligerito_reed_solomon::encode_non_systematic;
		for (log_rows, width) in [(1u32, 1usize), (2, 3), (4, 8), (6, 16), (9, 5)] {
			let code = base_code(log_rows);
			let (message, block) = (code.message_length(), code.block_length());
			let mut matrix = alloc::vec![crate::Base::zero(); block * width];
			for (i, value) in matrix[..message * width].iter_mut().enumerate() {
				*value = crate::Base::from_value((i as u32 + 1).wrapping_mul(0x9e37_79b9));
			}
			let columns: Vec<Vec<crate::Base>> = (0..width)
				.map(|c| {
					let mut column: Vec<crate::Base> = (0..block).map(|r| matrix[r * width + c]).collect();
					encode_non_systematic(&code, &mut column);
					column
				})
				.collect();
			encode_rows(&code, &mut matrix, width);
			for (r, row) in matrix.chunks_exact(width).enumerate() {
				for (c, value) in row.iter().enumerate() {
					assert_eq!(*value, columns[c][r], "2^{log_rows} rows, width {width}: row {r}, column {c}");
				}
			}
		}
	}

	/// The rows at some positions, encoded alone, are the full encoding's rows there, whatever
	/// the matrix held past the message; a changed message value changes them.
	#[cfg(feature = "prover")]
	#[test]
	fn encoding_some_rows_gives_the_full_encodings_rows() {
		for (log_rows, width) in [(0u32, 2usize), (1, 1), (3, 3), (6, 8), (9, 5)] {
			let code = base_code(log_rows);
			let (message, block) = (code.message_length(), code.block_length());
			let mut matrix = vec![Base::zero(); block * width];
			for (i, value) in matrix[..message * width].iter_mut().enumerate() {
				*value = Base::from_value((i as u32 + 7).wrapping_mul(0x85eb_ca6b));
			}
			let mut full = matrix.clone();
			encode_rows(&code, &mut full, width);
			// No row; one; the first and last of each block; several in one block, spread.
			let spread: Vec<usize> = (0..block).step_by(3).collect();
			let edges: Vec<usize> = (0..4).flat_map(|b| [b * message, (b + 1) * message - 1]).collect();
			let mut edges = edges;
			edges.dedup();
			for wanted in [vec![], vec![block - 1], edges, spread] {
				let mut some = matrix.clone();
				// Junk past the message: those rows are not read.
				some[message * width..].iter_mut().for_each(|v| *v = Base::from_value(0xdead));
				encode_rows_at(&code, &mut some, width, Some(&wanted));
				for &r in &wanted {
					let row = r * width..(r + 1) * width;
					assert_eq!(some[row.clone()], full[row], "2^{log_rows} rows, width {width}: row {r}");
				}
				if let Some(&r) = wanted.last() {
					let mut changed = matrix.clone();
					changed[width * (message - 1)] = changed[width * (message - 1)].add(&Base::one());
					encode_rows_at(&code, &mut changed, width, Some(&wanted));
					let row = r * width..(r + 1) * width;
					assert_ne!(changed[row.clone()], full[row], "a changed value, row {r}");
				}
			}
		}
	}

	use super::*;
	use crate::Base;
	use alloc::vec;
	use ligerito_reed_solomon::encode_non_systematic;

	/// The butterfly is `(u, w) ↦ (u + λw, w + u + λw)` on every pair, whichever way it runs
	/// (sixteen at a time with AVX-512, a table, single products), at lengths around the block
	/// of sixteen and the table's threshold, for edge and random twiddles.
	#[cfg(feature = "prover")]
	#[test]
	fn the_butterfly_is_the_butterfly_at_every_length() {
		let mut seed = 0x6a09_e667_f3bc_c908u64;
		let mut next = || {
			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			seed as u32
		};
		let lambdas: Vec<u32> = [0u32, 1, 2, 0x8000_0000, u32::MAX].into_iter().chain((0..6).map(|_| next())).collect();
		for len in [0usize, 1, 15, 16, 17, 31, 32, 33, 100, 255, 256, 257, 300, 1000] {
			for &lambda in &lambdas {
				let u: Vec<Base> = (0..len).map(|_| Base::from_value(next())).collect();
				let mut w: Vec<Base> = (0..len).map(|_| Base::from_value(next())).collect();
				w.iter_mut().take(3).for_each(|v| *v = Base::from_value(u32::MAX));
				let (mut u_out, mut w_out) = (u.clone(), w.clone());
				butterfly(&mut u_out, &mut w_out, Base::from_value(lambda));
				for i in 0..len {
					let product = Gf32(lambda).mul(&Gf32(w[i].poly().value())).0;
					let sum = u[i].poly().value() ^ product;
					assert_eq!(u_out[i].poly().value(), sum, "length {len}, λ {lambda:#x}, pair {i}");
					assert_eq!(
						w_out[i].poly().value(),
						w[i].poly().value() ^ sum,
						"length {len}, λ {lambda:#x}, pair {i}"
					);
				}
			}
		}
	}

	/// The base code is ligerito's, constant for constant.
	#[test]
	fn the_base_code_is_ligeritos() {
		for log_rows in 0..9u32 {
			let m = 1usize << log_rows;
			let ours = base_code(log_rows);
			let theirs = ReedSolomon::<Base>::new(m, m << crate::LOG_INV_RATE);
			assert_eq!(ours.log_message_length, theirs.log_message_length);
			assert_eq!(ours.log_block_length, theirs.log_block_length);
			assert_eq!(ours.twiddles, theirs.twiddles, "2^{log_rows} rows");
			assert_eq!(ours.pis, theirs.pis, "2^{log_rows} rows");
		}
	}

	/// The lifted code by its definition: the base code's constants embedded in GF(2^128).
	fn embedded_code(log_rows: u32) -> ReedSolomon<Ext> {
		let base = base_code(log_rows);
		ReedSolomon {
			log_message_length: base.log_message_length,
			log_block_length: base.log_block_length,
			twiddles: base.twiddles.iter().map(|&t| Ext::from(t)).collect(),
			pis: base.pis.iter().map(|&t| Ext::from(t)).collect(),
		}
	}

	/// The codeword of `message` under the embedded code.
	fn embedded_codeword(log_rows: u32, message: &[Ext]) -> Vec<Ext> {
		let mut word = vec![Ext::zero(); 4 << log_rows];
		word[..message.len()].copy_from_slice(message);
		encode_non_systematic(&embedded_code(log_rows), &mut word);
		word
	}

	fn pseudo_random(m: usize, salt: u128) -> Vec<Ext> {
		(0..m)
			.map(|i| Ext::from_value(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c834_u128.wrapping_mul(i as u128 + salt)))
			.collect()
	}

	fn everywhere(code: &LiftedCode, message: &[Ext], subfield: &Subfield) -> Vec<Ext> {
		let all: Vec<usize> = (0..code.block_length()).collect();
		code.encode_at(message, subfield, &all).into_iter().map(Subfield::compose).collect()
	}

	#[test]
	fn the_lifted_code_is_the_base_code_embedded() {
		let subfield = Subfield::new();
		for log_rows in [0u32, 1, 3, 6, 8] {
			let m = 1usize << log_rows;
			let base = base_code(log_rows);
			let lifted = LiftedCode::new(log_rows);
			// On every unit vector the lifted code gives the embedded base codeword.
			// Every unit vector up to 64 message values, a sample of them beyond.
			for i in (0..m).step_by(if m <= 64 { 1 } else { 1 + m / 16 }) {
				let mut word = vec![Base::zero(); 4 * m];
				word[i] = Base::one();
				encode_non_systematic(&base, &mut word);
				let mut unit = vec![Ext::zero(); m];
				unit[i] = Ext::one();
				let want: Vec<Ext> = word.iter().map(|&b| Ext::from(b)).collect();
				assert_eq!(everywhere(&lifted, &unit, &subfield), want, "unit vector {i} of {m}");
			}
			// On values outside the subfield it is the code over GF(2^128) with the constants
			// embedded, shorter messages zero-padded.
			for (salt, len) in [(1u128, m), (7, m), (1 << 100, m / 2)] {
				let message = pseudo_random(len, salt);
				assert_eq!(
					everywhere(&lifted, &message, &subfield),
					embedded_codeword(log_rows, &message),
					"size 2^{log_rows}, salt {salt}"
				);
			}
		}
	}

	#[test]
	fn a_codeword_at_some_positions_is_the_codeword_there() {
		let subfield = Subfield::new();
		let mut seed = 0x2545_f491_4f6c_dd1d_u64;
		for log_rows in [0u32, 2, 5, 9] {
			let n = 4usize << log_rows;
			let message = pseudo_random(1 << log_rows, 5);
			let want = embedded_codeword(log_rows, &message);
			let code = LiftedCode::new(log_rows);
			let mut subsets: Vec<Vec<usize>> = vec![vec![], vec![0], vec![n - 1], (0..n).step_by(3).collect()];
			for _ in 0..8 {
				let mut picked: Vec<usize> = (0..1 + n / 8)
					.map(|_| {
						seed ^= seed << 13;
						seed ^= seed >> 7;
						seed ^= seed << 17;
						(seed % n as u64) as usize
					})
					.collect();
				picked.sort_unstable();
				picked.dedup();
				subsets.push(picked);
			}
			for positions in subsets {
				let got: Vec<Ext> =
					code.encode_at(&message, &subfield, &positions).into_iter().map(Subfield::compose).collect();
				let at: Vec<Ext> = positions.iter().map(|&p| want[p]).collect();
				assert_eq!(got, at, "size 2^{log_rows}, positions {positions:?}");
			}
		}
	}

	#[test]
	fn the_twiddles_are_ligeritos_at_every_size_a_proof_can_have() {
		// A combined row is at most MAX_PROOF_LEN / 16 < 2^18 values: blocks up to 2^20.
		for log_n in 0u32..=20 {
			let want = ligerito_reed_solomon::compute_twiddles::<Base>(log_n as usize, Base::zero());
			let want: Vec<Gf32> = want.into_iter().map(Gf32::from).collect();
			assert_eq!(twiddles(log_n), want, "block 2^{log_n}");
		}
	}

	#[test]
	fn the_fast_twiddles_are_ligeritos() {
		for log_rows in 0u32..=12 {
			let (base, lifted) = (base_code(log_rows), LiftedCode::new(log_rows));
			assert_eq!(lifted.twiddles, base.twiddles.iter().map(|&t| Gf32::from(t)).collect::<Vec<_>>());
			assert_eq!(lifted.pis, base.pis.iter().map(|&t| Gf32::from(t)).collect::<Vec<_>>());
		}
	}

	/// Entry `i` of a generator row from its factors: the product over the set bits of `i`.
	fn generator_entry(factors: &[Gf32], i: usize) -> Gf32 {
		(0..factors.len()).filter(|j| i >> j & 1 == 1).fold(Gf32::one(), |acc, j| acc.mul(&factors[j]))
	}

	/// The generator row's factors give the codeword of every unit vector at every position.
	#[test]
	fn generator_rows_are_products_of_their_factors() {
		for log_rows in [0u32, 1, 2, 4, 6] {
			let m = 1usize << log_rows;
			let base = base_code(log_rows);
			let mut codes = CodeCache::default();
			let columns: Vec<Vec<Base>> = (0..m)
				.map(|i| {
					let mut word = vec![Base::zero(); 4 * m];
					word[i] = Base::one();
					encode_non_systematic(&base, &mut word);
					word
				})
				.collect();
			for position in 0..4 * m {
				let factors = codes.generator_factors(log_rows, position);
				assert_eq!(factors.len(), log_rows as usize);
				for (i, column) in columns.iter().enumerate() {
					let want = Gf32::from(column[position]);
					assert_eq!(
						generator_entry(&factors, i),
						want,
						"code 2^{log_rows}, position {position}, unit vector {i}"
					);
				}
			}
		}
	}

	/// The transposed encoding weighs each message index by its generator column: of a dense
	/// vector, and of sparse ones given their support (or not).
	#[test]
	fn the_transposed_encoding_sums_the_generator_rows() {
		for log_rows in [0u32, 1, 3, 5, 9] {
			let mut codes = CodeCache::default();
			let n = 4usize << log_rows;
			let dense = pseudo_random(n, 11);
			let mut sparse = vec![Ext::zero(); n];
			let support: Vec<usize> = (0..n).filter(|q| q % 7 == 3 || *q == n - 1).collect();
			for &q in &support {
				sparse[q] = dense[q];
			}
			// One block alone: the others' parts are skipped.
			let mut corner = vec![Ext::zero(); n];
			corner[n - 1] = dense[0];
			for (a, support) in
				[(&dense, None), (&sparse, None), (&sparse, Some(&support[..])), (&corner, Some(&[n - 1][..]))]
			{
				let got = codes.encode_transposed(log_rows, a, support);
				let mut want = vec![Ext::zero(); 1 << log_rows];
				for (q, aq) in a.iter().enumerate() {
					let factors = codes.generator_factors(log_rows, q);
					for (i, w) in want.iter_mut().enumerate() {
						let g = generator_entry(&factors, i);
						*w = w.add(&aq.mul(&Ext::from(Base::from_value(g.0))));
					}
				}
				assert_eq!(got, want, "code 2^{log_rows}, support {support:?}");
				assert!(got.iter().any(|w| *w != Ext::zero()));
			}
		}
	}

	/// At a size whose transposes run on several threads, the transpose pruned to its support
	/// is the whole transpose.
	#[cfg(feature = "prover")]
	#[test]
	fn a_large_sparse_transpose_is_the_whole_transpose() {
		let log_rows = 16u32;
		let mut codes = CodeCache::default();
		let n = 4usize << log_rows;
		let dense = pseudo_random(n, 5);
		let support: Vec<usize> = (0..n).filter(|q| q % 1021 == 17 || *q == n - 1).collect();
		let mut sparse = vec![Ext::zero(); n];
		for &q in &support {
			sparse[q] = dense[q];
		}
		let whole = codes.encode_transposed(log_rows, &sparse, None);
		assert_eq!(codes.encode_transposed(log_rows, &sparse, Some(&support)), whole);
		assert!(whole.iter().all(|w| *w != Ext::zero()));
	}

	#[test]
	fn the_cache_gives_each_size_its_own_code() {
		let mut codes = CodeCache::default();
		let subfield = Subfield::new();
		for log_rows in [3u32, 5, 3, 0, 5] {
			let m = 1usize << log_rows;
			let message = pseudo_random(m, 3);
			let all: Vec<usize> = (0..4 * m).collect();
			let cached = codes.encode_at(log_rows, &message, &all);
			assert_eq!(cached, LiftedCode::new(log_rows).encode_at(&message, &subfield, &all), "size 2^{log_rows}");
		}
		assert_eq!(codes.lifted.len(), 3);
	}
}

//! Portable field arithmetic for the verifier's hot loops.
//!
//! The runtime's Wasm has no carry-less multiply instruction, and ligerito's portable
//! multiplications go bit by bit. Two things make the opening check cheap there:
//!
//! - [`Gf32`]: ligerito's GF(2^32) (same modulus, same bits) with a multiplication built from
//!   ordinary integer multiplications, and `from_bits` without the generic 63 multiplications;
//! - [`mul`]: GF(2^128) multiplication from the same integer products (the carry-less multiply
//!   instruction with `hardware-accel` where the CPU has it), [`mul_wide`] and [`reduce_wide`] for sums
//!   of products reduced once, and [`dot_base`] for sums of base-field values times GF(2^128)
//!   weights;
//! - [`Subfield`]: GF(2^128) as a 4-dimensional vector space over the embedded GF(2^32), with
//!   the basis `1, x, x^2, x^3`. A GF(2^32)-linear map with GF(2^32) constants, such as the
//!   Reed-Solomon code, then acts on each coordinate separately, in GF(2^32).

pub mod eight;
#[cfg(all(feature = "hardware-accel", target_arch = "x86_64"))]
pub(crate) mod x86;

use crate::{Base, Ext};
use alloc::{vec, vec::Vec};
use ligerito_binary_fields::{BinaryFieldElement, BinaryPoly32, BinaryPolynomial};

/// ligerito's GF(2^32) modulus without its leading term: `x^15 + x^9 + x^7 + x^4 + x^3 + 1`.
const MODULUS_LOW: [u32; 6] = [0, 3, 4, 7, 9, 15];

/// The carry-less product of two 32-bit polynomials.
///
/// Each operand is split into four parts whose set bits lie four apart. An integer product of
/// two such parts adds at most eight bits into any position of its result, so no carry reaches
/// the next position of the same residue modulo 4, and the lowest bit of each sum is the
/// carry-less one. The four products that land on each residue are combined by XOR and masked.
#[inline(always)]
pub(crate) fn clmul32(x: u32, y: u32) -> u64 {
	const M: [u64; 4] = [0x1111_1111, 0x2222_2222, 0x4444_4444, 0x8888_8888];
	const W: [u64; 4] = [0x1111_1111_1111_1111, 0x2222_2222_2222_2222, 0x4444_4444_4444_4444, 0x8888_8888_8888_8888];
	let (x, y) = (x as u64, y as u64);
	// Spelled out rather than `M.map(..)`, which lightly optimised builds (the tests') call.
	let (x0, x1, x2, x3) = (x & M[0], x & M[1], x & M[2], x & M[3]);
	let (y0, y1, y2, y3) = (y & M[0], y & M[1], y & M[2], y & M[3]);
	let z0 = (x0 * y0) ^ (x1 * y3) ^ (x2 * y2) ^ (x3 * y1);
	let z1 = (x0 * y1) ^ (x1 * y0) ^ (x2 * y3) ^ (x3 * y2);
	let z2 = (x0 * y2) ^ (x1 * y1) ^ (x2 * y0) ^ (x3 * y3);
	let z3 = (x0 * y3) ^ (x1 * y2) ^ (x2 * y1) ^ (x3 * y0);
	(z0 & W[0]) | (z1 & W[1]) | (z2 & W[2]) | (z3 & W[3])
}

/// `p` (any polynomial of degree below 64) modulo ligerito's GF(2^32) modulus.
#[inline(always)]
pub(crate) fn reduce(p: u64) -> u32 {
	// x^32 = MODULUS_LOW: fold the high word down twice. The first fold leaves at most
	// 32 + 15 bits, the second at most 16 + 15 < 32.
	let fold = |h: u64| MODULUS_LOW.iter().fold(0u64, |acc, &s| acc ^ (h << s));
	let q = fold(p >> 32);
	let r = fold(q >> 32);
	(p ^ q ^ r) as u32
}

/// ligerito's GF(2^32), bit for bit, with portable multiplication several times faster than
/// ligerito's own (tested against it).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Gf32(pub(crate) u32);

impl From<Base> for Gf32 {
	fn from(b: Base) -> Self {
		Gf32(b.poly().value())
	}
}

impl BinaryFieldElement for Gf32 {
	type Poly = BinaryPoly32;

	fn zero() -> Self {
		Gf32(0)
	}
	fn one() -> Self {
		Gf32(1)
	}
	fn from_poly(poly: BinaryPoly32) -> Self {
		Gf32(poly.value())
	}
	fn poly(&self) -> BinaryPoly32 {
		BinaryPoly32::from_value(self.0 as u64)
	}
	fn add(&self, other: &Self) -> Self {
		Gf32(self.0 ^ other.0)
	}
	fn mul(&self, other: &Self) -> Self {
		Gf32(reduce(clmul32(self.0, other.0)))
	}
	fn inv(&self) -> Self {
		// Rare (once per FFT layer when a code is built): ligerito's own inverse.
		Gf32(Base::from_value(self.0).inv().poly().value())
	}
	fn pow(&self, mut exp: u64) -> Self {
		let (mut acc, mut base) = (Gf32::one(), *self);
		while exp != 0 {
			if exp & 1 == 1 {
				acc = acc.mul(&base);
			}
			base = base.mul(&base);
			exp >>= 1;
		}
		acc
	}
	fn from_bits(bits: u64) -> Self {
		// The bits are a polynomial in the generator `x`, which is what the value's bits mean.
		Gf32(reduce(bits))
	}
}

/// `a · b` in the base field: the same element as ligerito's `mul`, by [`Gf32`]'s product
/// (several times faster; tested). For the provers' witnesses, which multiply base-field values
/// row by row.
pub fn mul_base(a: &Base, b: &Base) -> Base {
	Base::from_value(Gf32::from(*a).mul(&Gf32::from(*b)).0)
}

/// `a^(-1)` in the base field: `a^(2^32 - 2)` by [`Gf32`]'s products, the same element as
/// ligerito's `inv` (tested), which multiplies the slow way.
///
/// # Panics
/// If `a` is 0, as ligerito's does (a witness inverts only values it knows are not 0).
pub fn inv_base(a: &Base) -> Base {
	assert!(*a != Base::zero(), "0 has no inverse");
	Base::from_value(Gf32::from(*a).pow((1 << 32) - 2).0)
}

/// Multiplication by one GF(2^32) constant through a table: the product is GF(2)-linear in the
/// other factor, so four lookups (one per byte) and three XORs give it. Filling the table
/// costs about a hundred multiplications; it pays when the constant multiplies many values.
pub(crate) struct ConstMul {
	/// `table[b][v]`: the constant times byte value `v` placed at byte `b`.
	table: [[u32; 256]; 4],
}

impl ConstMul {
	/// A table, for no constant yet (multiplies by zero).
	pub(crate) fn new() -> Self {
		ConstMul { table: [[0u32; 256]; 4] }
	}

	/// Makes this the table of constant `c`.
	pub(crate) fn set(&mut self, c: u32) {
		// The low terms of the modulus as a word: x^32 folds back to them.
		let low = MODULUS_LOW.iter().fold(0u32, |acc, &s| acc | 1 << s);
		// c · x^j for j < 32, at the single-bit entries: multiplying by x is a shift and a fold.
		let mut power = c;
		for row in self.table.iter_mut() {
			for bit in 0..8 {
				row[1 << bit] = power;
				power = (power << 1) ^ ((power >> 31) * low);
			}
			for v in 3..256usize {
				if v & (v - 1) != 0 {
					row[v] = row[v & (v - 1)] ^ row[1 << v.trailing_zeros()];
				}
			}
		}
	}

	/// The constant times `w`.
	#[inline(always)]
	pub(crate) fn mul(&self, w: u32) -> u32 {
		self.table[0][(w & 0xff) as usize]
			^ self.table[1][(w >> 8 & 0xff) as usize]
			^ self.table[2][(w >> 16 & 0xff) as usize]
			^ self.table[3][(w >> 24) as usize]
	}
}

/// The carry-less product of two 64-bit polynomials: Karatsuba over [`clmul32`].
#[inline(always)]
fn clmul64(a: u64, b: u64) -> u128 {
	let (a0, a1, b0, b1) = (a as u32, (a >> 32) as u32, b as u32, (b >> 32) as u32);
	let (lo, hi) = (clmul32(a0, b0), clmul32(a1, b1));
	let mid = clmul32(a0 ^ a1, b0 ^ b1) ^ lo ^ hi;
	u128::from(lo) ^ (u128::from(mid) << 32) ^ (u128::from(hi) << 64)
}

/// Runs `f`, compiled with AVX-512 and the carry-less multiplies (`vpclmulqdq`, `pclmulqdq`)
/// where the CPU has them (in a build whose target enables them, as it is compiled anyway): a
/// prover's hot loop run through this in a build with cargo's defaults (a worker's) has its
/// products inlined in vector registers, as a `-C target-cpu=native` build does, rather than
/// one call per eight products. What `f` calls is compiled so only where it is inlined into
/// `f`: `f` is meant to be an `#[inline(always)]` closure over `#[inline(always)]` functions.
/// Products that still test the CPU test it inside too; a loop over
/// [`eight::Products`] run by [`eight::by_cpu`] does not. The same values either way; on a CPU
/// without the instructions, `f` as it is.
#[inline(always)]
pub fn accelerated<R>(f: impl FnOnce() -> R) -> R {
	#[cfg(all(feature = "hardware-accel", target_arch = "x86_64"))]
	if x86::has_wide_clmul() {
		// SAFETY: the CPU has the instructions `run_wide` is compiled with (checked).
		return unsafe { x86::run_wide(f) };
	}
	f()
}

/// `a · b` in GF(2^128), the same field element as ligerito's `mul` (tested): Karatsuba over
/// three 64-bit carry-less products (the instruction with `hardware-accel` where the CPU has
/// it, else [`clmul32`]'s integer products, several times faster than ligerito's portable
/// multiplication), then the fold by the modulus. Inlined: the provers' hot loops are chains of
/// these, and ligerito's `mul` is a call.
#[inline(always)]
pub fn mul(a: &Ext, b: &Ext) -> Ext {
	reduce_wide(mul_wide(a, b))
}

/// `a · b` as a polynomial of degree below 255, not yet reduced: `[low, high]`, the
/// coefficients of `x^0 … x^127` and of `x^128 …`. The reduction is linear, so a sum of such
/// products reduced once ([`reduce_wide`]) is the sum of the reduced products: a weighted sum
/// pays one reduction instead of one per term.
#[inline(always)]
pub fn mul_wide(a: &Ext, b: &Ext) -> [u128; 2] {
	let (a, b) = (a.poly().value(), b.poly().value());
	#[cfg(all(feature = "hardware-accel", target_arch = "x86_64"))]
	if x86::has_clmul() {
		// SAFETY: the CPU has the instruction the function is compiled with (checked).
		return unsafe { x86::mul_wide(a, b) };
	}
	mul_wide_portable(a, b)
}

/// [`mul_wide`] without the carry-less multiply instruction: Karatsuba over [`clmul64`].
#[inline(always)]
pub(crate) fn mul_wide_portable(a: u128, b: u128) -> [u128; 2] {
	let (a0, a1, b0, b1) = (a as u64, (a >> 64) as u64, b as u64, (b >> 64) as u64);
	let (lo, hi) = (clmul64(a0, b0), clmul64(a1, b1));
	let mid = clmul64(a0 ^ a1, b0 ^ b1) ^ lo ^ hi;
	[lo ^ (mid << 64), hi ^ (mid >> 64)]
}

/// The field element of an unreduced product ([`mul_wide`]) or of a sum of them.
#[inline(always)]
pub fn reduce_wide([low, high]: [u128; 2]) -> Ext {
	// x^128 = x^7 + x^2 + x + 1: fold the high half down; the bits the fold pushes past
	// x^127 (from the shifts by 1, 2 and 7) are folded in first.
	let high = high ^ (high >> 127) ^ (high >> 126) ^ (high >> 121);
	Ext::from_value(low ^ high ^ (high << 1) ^ (high << 2) ^ (high << 7))
}

/// [`mul`] as a method, for arithmetic written `a.fast_mul(&b)`.
pub trait FastMul {
	/// `self · other` by [`mul`].
	fn fast_mul(&self, other: &Self) -> Self;
}

impl FastMul for Ext {
	#[inline(always)]
	fn fast_mul(&self, other: &Ext) -> Ext {
		mul(self, other)
	}
}

/// The multilinear fold of `values` in its lowest variable at `r`, in place: pair
/// `(v_2i, v_2i+1)` becomes `v_2i + r · (v_2i+1 + v_2i)` and the vector keeps the pairs' results
/// (ligerito's `fold_lsb`, with [`mul`]; an odd last value is dropped, as there).
///
/// Eight pairs at a time ([`eight::scale`]); entry `i` is written after entries `2i` and
/// `2i + 1` of its group of eight are read, and no later group reads below `2i + 2`.
pub fn fold_pairs(values: &mut Vec<Ext>, r: &Ext) {
	eight::by_cpu(FoldPairs { values, r })
}

/// [`fold_pairs`]'s loop.
struct FoldPairs<'a> {
	values: &'a mut Vec<Ext>,
	r: &'a Ext,
}

impl eight::Loop for FoldPairs<'_> {
	type Output = ();

	#[inline(always)]
	fn run<P: eight::Products>(self, products: P) {
		let FoldPairs { values, r } = self;
		fold_pairs_with(values, r, products);
	}
}

/// [`fold_pairs`] with `products`, for a loop already running with them
/// ([`eight::by_cpu`]).
#[inline(always)]
pub fn fold_pairs_with<P: eight::Products>(values: &mut Vec<Ext>, r: &Ext, products: P) {
	let half = values.len() / 2;
	let whole = half - half % eight::EIGHT;
	for i in (0..whole).step_by(eight::EIGHT) {
		let lo: [Ext; eight::EIGHT] = core::array::from_fn(|l| values[2 * (i + l)]);
		let slopes: [Ext; eight::EIGHT] = core::array::from_fn(|l| values[2 * (i + l) + 1].add(&lo[l]));
		let scaled = products.scale(&slopes, r);
		for (l, (lo, scaled)) in lo.iter().zip(&scaled).enumerate() {
			values[i + l] = lo.add(scaled);
		}
	}
	for i in whole..half {
		let (lo, hi) = (values[2 * i], values[2 * i + 1]);
		values[i] = lo.add(&mul(r, &hi.add(&lo)));
	}
	values.truncate(half);
}

/// [`fold_pairs`] of `values`, each lifted to `E` by `lift`, into `out` (one entry per pair: half
/// as many as `values`, whose odd last value is dropped), eight pairs at a time.
#[cfg(feature = "prover")]
pub(crate) fn fold_pairs_into<T: Copy>(values: &[T], out: &mut [Ext], r: &Ext, lift: impl Fn(T) -> Ext) {
	eight::by_cpu(FoldPairsInto { values, out, r, lift })
}

/// [`fold_pairs_into`]'s loop.
#[cfg(feature = "prover")]
struct FoldPairsInto<'a, T, L> {
	values: &'a [T],
	out: &'a mut [Ext],
	r: &'a Ext,
	lift: L,
}

#[cfg(feature = "prover")]
impl<T: Copy, L: Fn(T) -> Ext> eight::Loop for FoldPairsInto<'_, T, L> {
	type Output = ();

	#[inline(always)]
	fn run<P: eight::Products>(self, products: P) {
		let FoldPairsInto { values, out, r, lift } = self;
		fold_pairs_into_with(values, out, r, lift, products);
	}
}

/// [`fold_pairs_into`] with `products`.
#[cfg(feature = "prover")]
#[inline(always)]
fn fold_pairs_into_with<T: Copy, P: eight::Products>(
	values: &[T],
	out: &mut [Ext],
	r: &Ext,
	lift: impl Fn(T) -> Ext,
	products: P,
) {
	debug_assert_eq!(out.len(), values.len() / 2);
	let (mut groups, mut pairs) = (out.chunks_exact_mut(eight::EIGHT), values.chunks_exact(2 * eight::EIGHT));
	for (group, pairs) in (&mut groups).zip(&mut pairs) {
		let lo: [Ext; eight::EIGHT] = core::array::from_fn(|l| lift(pairs[2 * l]));
		let slopes: [Ext; eight::EIGHT] = core::array::from_fn(|l| lift(pairs[2 * l + 1]).add(&lo[l]));
		let scaled = products.scale(&slopes, r);
		for (entry, (lo, scaled)) in group.iter_mut().zip(lo.iter().zip(&scaled)) {
			*entry = lo.add(scaled);
		}
	}
	for (entry, pair) in groups.into_remainder().iter_mut().zip(pairs.remainder().chunks_exact(2)) {
		let (lo, hi) = (lift(pair[0]), lift(pair[1]));
		*entry = lo.add(&mul(r, &hi.add(&lo)));
	}
}

/// `Σ_j ι(values_j) · weights_j` over the shorter of the two, by bit slices: with `x^t` the
/// base-field element whose value is `1 << t`, the sum is `Σ_t ι(x^t) · S_t` where `S_t` adds
/// the weights whose value has bit `t` set. That is XORs and 32 multiplications, whatever the
/// length.
pub fn dot_base(values: &[Base], weights: &[Ext]) -> Ext {
	let mut slices = [0u128; 32];
	for (value, weight) in values.iter().zip(weights) {
		let (mut bits, w) = (value.poly().value(), weight.poly().value());
		while bits != 0 {
			slices[bits.trailing_zeros() as usize] ^= w;
			bits &= bits - 1;
		}
	}
	let basis = x_powers();
	slices
		.iter()
		.zip(&basis)
		.fold(Ext::zero(), |acc, (&s, x)| if s == 0 { acc } else { acc.add(&mul(&Ext::from_value(s), x)) })
}

/// `ι(x^t)` for `t < 32`.
fn x_powers() -> [Ext; 32] {
	core::array::from_fn(|t| Ext::from(Base::from_value(1u32 << t)))
}

/// The coordinates `c` of a GF(2^128) value `y = Σ_k ι(c_k) · x^k` (`ι` the embedding of
/// GF(2^32), `k < 4`).
pub(crate) type Coords = [u32; 4];

/// GF(2^128) over its subfield GF(2^32): the change to [`Coords`] and back.
pub(crate) struct Subfield {
	/// `tables[b][v]`: the coordinates of byte value `v` at byte `b` of a GF(2^128) value.
	tables: Vec<[Coords; 256]>,
}

impl Subfield {
	/// Builds the change of basis: 128 products and an elimination over GF(2).
	pub(crate) fn new() -> Self {
		// Column `t + 32k` of the basis matrix is ι(x^t) · x^k. Eliminating over GF(2) while
		// tracking which columns were added gives, for every unit vector e_j of GF(2^128),
		// the columns that sum to it: its coordinates, bit `t + 32k` being bit `t` of c_k.
		let x = Ext::from_value(2);
		let mut rows: Vec<(u128, u128)> = Vec::with_capacity(128);
		for k in 0..4 {
			let x_k = (0..k).fold(Ext::one(), |acc, _| acc.mul(&x));
			for t in 0..32 {
				let column = Ext::from(Base::from_value(1u32 << t)).mul(&x_k);
				rows.push((column.poly().value(), 1u128 << (t + 32 * k)));
			}
		}
		for bit in 0..128 {
			let pivot = (bit..128)
				.find(|&r| rows[r].0 >> bit & 1 == 1)
				.expect("ι(x^t)·x^k is a basis: x generates GF(2^128) over GF(2), so lies in no proper subfield");
			rows.swap(bit, pivot);
			let (value, combo) = rows[bit];
			for (r, row) in rows.iter_mut().enumerate() {
				if r != bit && row.0 >> bit & 1 == 1 {
					row.0 ^= value;
					row.1 ^= combo;
				}
			}
		}
		let unit = |j: usize| -> Coords {
			let combo = rows[j].1;
			[combo as u32, (combo >> 32) as u32, (combo >> 64) as u32, (combo >> 96) as u32]
		};
		let mut tables = vec![[[0u32; 4]; 256]; 16];
		for (b, table) in tables.iter_mut().enumerate() {
			for v in 1..256usize {
				let (rest, low) = (v & (v - 1), v.trailing_zeros() as usize);
				let e = unit(8 * b + low);
				table[v] = core::array::from_fn(|k| table[rest][k] ^ e[k]);
			}
		}
		Subfield { tables }
	}

	/// The coordinates of `y`.
	pub(crate) fn coords(&self, y: Ext) -> Coords {
		let bytes = y.poly().value().to_le_bytes();
		let mut c = [0u32; 4];
		for (table, &byte) in self.tables.iter().zip(&bytes) {
			let e = &table[byte as usize];
			for k in 0..4 {
				c[k] ^= e[k];
			}
		}
		c
	}

	/// The value with coordinates `c`.
	pub(crate) fn compose(c: Coords) -> Ext {
		c.iter().rev().fold(Ext::zero(), |acc, &ck| acc.mul_by_x().add(&Ext::from(Base::from_value(ck))))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn xorshift(seed: &mut u64) -> u64 {
		*seed ^= *seed << 13;
		*seed ^= *seed >> 7;
		*seed ^= *seed << 17;
		*seed
	}

	#[test]
	fn multiplication_is_ligeritos() {
		let mut seed = 0x9e37_79b9_7f4a_7c15;
		let edges = [0u32, 1, 2, 0x8000_0000, u32::MAX, 0x1111_1111, 0x8888_8888, 0xffff_0000];
		let mut pairs: Vec<(u32, u32)> = edges.iter().flat_map(|&a| edges.iter().map(move |&b| (a, b))).collect();
		pairs.extend((0..20_000).map(|_| (xorshift(&mut seed) as u32, xorshift(&mut seed) as u32)));
		for (a, b) in pairs {
			let want = Base::from_value(a).mul(&Base::from_value(b)).poly().value();
			assert_eq!(Gf32(a).mul(&Gf32(b)).0, want, "{a:#x} * {b:#x}");
			assert_eq!(mul_base(&Base::from_value(a), &Base::from_value(b)).poly().value(), want);
		}
	}

	/// The base field's inverse is ligerito's, and inverts: edge values and random ones.
	#[test]
	fn the_base_inverse_is_ligeritos() {
		let mut seed = 0x5eed_0123_4567_89ab;
		let values: Vec<u32> = [1u32, 2, 3, 0x8000_0000, u32::MAX]
			.into_iter()
			.chain((0..2_000).map(|_| xorshift(&mut seed) as u32))
			.collect();
		for v in values.into_iter().filter(|&v| v != 0) {
			let a = Base::from_value(v);
			assert_eq!(inv_base(&a), a.inv(), "{v:#x}");
			assert_eq!(mul_base(&a, &inv_base(&a)), Base::one(), "{v:#x}");
		}
	}

	#[test]
	#[should_panic(expected = "0 has no inverse")]
	fn the_base_inverse_of_zero_panics() {
		inv_base(&Base::zero());
	}

	#[test]
	fn table_multiplication_is_multiplication() {
		let mut seed = 0x0bad_5eed_1234_5678;
		let constants: Vec<u32> = [0u32, 1, 2, 0x8000_0000, u32::MAX]
			.into_iter()
			.chain((0..50).map(|_| xorshift(&mut seed) as u32))
			.collect();
		let values: Vec<u32> = [0u32, 1, 0x80, 0x100, 0x8000_0000, u32::MAX]
			.into_iter()
			.chain((0..200).map(|_| xorshift(&mut seed) as u32))
			.collect();
		let mut table = ConstMul::new();
		for &c in &constants {
			table.set(c);
			for &w in &values {
				assert_eq!(table.mul(w), Gf32(c).mul(&Gf32(w)).0, "{c:#x} * {w:#x}");
			}
		}
	}

	#[test]
	fn from_bits_and_inverse_are_ligeritos() {
		let mut seed = 0x2545_f491_4f6c_dd1d;
		for bits in
			[0u64, 1, 2, 1 << 31, 1 << 32, 1 << 63, u64::MAX].into_iter().chain((0..2000).map(|_| xorshift(&mut seed)))
		{
			assert_eq!(Gf32::from_bits(bits).0, Base::from_bits(bits).poly().value(), "{bits:#x}");
		}
		for a in [1u32, 2, 3, u32::MAX].into_iter().chain((0..200).map(|_| xorshift(&mut seed) as u32 | 1)) {
			assert_eq!(Gf32(a).inv().mul(&Gf32(a)), Gf32::one());
			assert_eq!(Gf32(a).pow(5).0, Base::from_value(a).pow(5).poly().value());
		}
	}

	#[test]
	fn extension_multiplication_is_ligeritos() {
		let mut seed = 0x5851_f42d_4c95_7f2d;
		let edges = [0u128, 1, 2, 1 << 63, 1 << 64, 1 << 127, u128::MAX, u128::MAX >> 1, 0x87];
		let mut pairs: Vec<(u128, u128)> = edges.iter().flat_map(|&a| edges.iter().map(move |&b| (a, b))).collect();
		let mut wide = || (xorshift(&mut seed) as u128) << 64 | xorshift(&mut seed) as u128;
		pairs.extend((0..20_000).map(|_| (wide(), wide())));
		for (a, b) in pairs {
			let (a, b) = (Ext::from_value(a), Ext::from_value(b));
			assert_eq!(mul(&a, &b), a.mul(&b), "{a:?} * {b:?}");
		}
	}

	/// A sum of unreduced products, reduced once, is the sum of the products.
	#[test]
	fn wide_products_sum_before_one_reduction() {
		let mut seed = 0x5eed_0f_5ca1e;
		let mut ext = || Ext::from_value(((xorshift(&mut seed) as u128) << 64) | xorshift(&mut seed) as u128);
		for terms in [1usize, 2, 7, 100] {
			let pairs: Vec<(Ext, Ext)> = (0..terms).map(|_| (ext(), ext())).collect();
			let mut wide = [0u128; 2];
			for (a, b) in &pairs {
				let [low, high] = mul_wide(a, b);
				wide = [wide[0] ^ low, wide[1] ^ high];
			}
			let want = pairs.iter().fold(Ext::zero(), |acc, (a, b)| acc.add(&a.mul(b)));
			assert_eq!(reduce_wide(wide), want, "{terms} terms");
		}
		let all_ones = Ext::from_value(u128::MAX);
		assert_eq!(reduce_wide(mul_wide(&all_ones, &all_ones)), all_ones.mul(&all_ones));
	}

	#[test]
	fn folding_pairs_is_ligeritos_fold() {
		let mut seed = 0x3c6e_f372_fe94_f82b;
		let mut wide = || Ext::from_value((xorshift(&mut seed) as u128) << 64 | xorshift(&mut seed) as u128);
		for len in [0usize, 1, 2, 7, 16, 37, 64, 71] {
			let values: Vec<Ext> = (0..len).map(|_| wide()).collect();
			let r = wide();
			let mut folded = values.clone();
			fold_pairs(&mut folded, &r);
			assert_eq!(folded, ligerito::sumcheck_polys::fold_lsb(&values, r), "length {len}");
		}
	}

	#[test]
	fn base_dot_products_are_sums_of_products() {
		let mut seed = 0x1405_7b7e_f767_814f;
		for len in [0usize, 1, 5, 64, 300] {
			let values: Vec<Base> = (0..len)
				.map(|i| Base::from_value(if i % 7 == 0 { u32::MAX } else { xorshift(&mut seed) as u32 }))
				.collect();
			let weights: Vec<Ext> = (0..len)
				.map(|_| Ext::from_value((xorshift(&mut seed) as u128) << 64 | xorshift(&mut seed) as u128))
				.collect();
			let want = values.iter().zip(&weights).fold(Ext::zero(), |acc, (v, w)| acc.add(&Ext::from(*v).mul(w)));
			assert_eq!(dot_base(&values, &weights), want, "length {len}");
		}
	}

	#[test]
	fn coordinates_round_trip_and_are_subfield_linear() {
		let split = Subfield::new();
		let mut seed = 0x0123_4567_89ab_cdef;
		for _ in 0..2000 {
			let y = Ext::from_value((xorshift(&mut seed) as u128) << 64 | xorshift(&mut seed) as u128);
			let c = split.coords(y);
			assert_eq!(Subfield::compose(c), y);
			// Multiplying by a subfield element multiplies every coordinate by it.
			let a = xorshift(&mut seed) as u32;
			let scaled = split.coords(y.mul(&Ext::from(Base::from_value(a))));
			assert_eq!(scaled, c.map(|ck| Gf32(ck).mul(&Gf32(a)).0));
		}
		// The basis itself.
		assert_eq!(split.coords(Ext::one()), [1, 0, 0, 0]);
		assert_eq!(split.coords(Ext::from_value(8)), [0, 0, 0, 1]);
	}
}

//! Eight GF(2^128) products at once: the provers' evaluators compute every product of an AIR at
//! eight points side by side ([`EIGHT`] lanes), and here each such step is one call.
//!
//! With `hardware-accel` on a build whose target has AVX-512 and the vector carry-less multiply
//! (`-C target-cpu=native` on this project's machines), four products take four `vpclmulqdq`
//! instructions on 512-bit registers and the reduction by `x^128 = x^7 + x^2 + x + 1` is done
//! for four at once with shifts; elsewhere each lane is [`super::mul_wide`] and
//! [`super::reduce_wide`], the same field elements (tested against them).

use crate::Ext;
use ligerito_binary_fields::BinaryFieldElement;

/// How many products a call computes.
pub const EIGHT: usize = 8;

#[inline(always)]
fn values(a: &[Ext; EIGHT]) -> [u128; EIGHT] {
	a.map(|e| e.poly().value())
}

/// `a_l · b_l` for every lane `l`.
#[inline(always)]
pub fn mul(a: &[Ext; EIGHT], b: &[Ext; EIGHT]) -> [Ext; EIGHT] {
	let mut wide = Wide::ZERO;
	wide.add_products(a, b);
	wide.reduce()
}

/// `a_l · w` for every lane `l`.
#[inline(always)]
pub fn scale(a: &[Ext; EIGHT], w: &Ext) -> [Ext; EIGHT] {
	let mut wide = Wide::ZERO;
	wide.add_scaled(a, w);
	wide.reduce()
}

/// Eight sums of products, not yet reduced: per lane the coefficients of `x^0 … x^127` (`lo`)
/// and of `x^128 …` (`hi`). The reduction is linear, so a sum reduced once is the sum of the
/// reduced products.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wide {
	lo: [u128; EIGHT],
	hi: [u128; EIGHT],
}

impl Wide {
	/// The empty sums.
	pub const ZERO: Wide = Wide { lo: [0; EIGHT], hi: [0; EIGHT] };

	/// Adds `a_l · b_l` to lane `l`.
	#[inline(always)]
	pub fn add_products(&mut self, a: &[Ext; EIGHT], b: &[Ext; EIGHT]) {
		imp::add_products(self, &values(a), &values(b));
	}

	/// Adds `a_l · w` to lane `l`.
	#[inline(always)]
	pub fn add_scaled(&mut self, a: &[Ext; EIGHT], w: &Ext) {
		imp::add_products(self, &values(a), &[w.poly().value(); EIGHT]);
	}

	/// The sums, reduced.
	#[inline(always)]
	pub fn reduce(&self) -> [Ext; EIGHT] {
		imp::reduce(self).map(Ext::from_value)
	}
}

/// The portable lanes: one product at a time.
#[cfg(not(all(
	feature = "hardware-accel",
	target_arch = "x86_64",
	target_feature = "avx512f",
	target_feature = "vpclmulqdq"
)))]
mod imp {
	use super::{Wide, EIGHT};
	use crate::{
		field::{mul_wide, reduce_wide},
		Ext,
	};
	use ligerito_binary_fields::BinaryFieldElement;

	#[inline(always)]
	pub(super) fn add_products(acc: &mut Wide, a: &[u128; EIGHT], b: &[u128; EIGHT]) {
		for l in 0..EIGHT {
			let [lo, hi] = mul_wide(&Ext::from_value(a[l]), &Ext::from_value(b[l]));
			acc.lo[l] ^= lo;
			acc.hi[l] ^= hi;
		}
	}

	#[inline(always)]
	pub(super) fn reduce(acc: &Wide) -> [u128; EIGHT] {
		core::array::from_fn(|l| reduce_wide([acc.lo[l], acc.hi[l]]).poly().value())
	}
}

/// Four lanes per 512-bit register, two registers per call.
#[cfg(all(
	feature = "hardware-accel",
	target_arch = "x86_64",
	target_feature = "avx512f",
	target_feature = "vpclmulqdq"
))]
mod imp {
	use super::{Wide, EIGHT};
	use core::arch::x86_64::{
		__m512i, _mm512_bslli_epi128, _mm512_bsrli_epi128, _mm512_clmulepi64_epi128, _mm512_loadu_si512,
		_mm512_slli_epi64, _mm512_srli_epi64, _mm512_storeu_si512, _mm512_ternarylogic_epi64, _mm512_xor_si512,
	};

	/// `a ^ b ^ c`.
	#[inline(always)]
	fn xor3(a: __m512i, b: __m512i, c: __m512i) -> __m512i {
		// SAFETY: the build enables AVX-512 for every function (the module's `cfg`).
		unsafe { _mm512_ternarylogic_epi64::<0x96>(a, b, c) }
	}

	/// Four values from `v[0..4]`.
	#[inline(always)]
	fn load(v: &[u128]) -> __m512i {
		assert!(v.len() >= 4);
		// SAFETY: four 16-byte values are read from a slice that holds them (asserted); the
		// load is unaligned; AVX-512 is enabled (the module's `cfg`).
		unsafe { _mm512_loadu_si512(v.as_ptr().cast()) }
	}

	/// Four values into `v[0..4]`.
	#[inline(always)]
	fn store(x: __m512i, v: &mut [u128]) {
		assert!(v.len() >= 4);
		// SAFETY: as in `load`, four 16-byte values written into a slice that holds them.
		unsafe { _mm512_storeu_si512(v.as_mut_ptr().cast(), x) }
	}

	/// Four unreduced products, each lane's low and high 128 bits: schoolbook over the four
	/// 64-bit halves' carry-less products.
	#[inline(always)]
	fn products(a: __m512i, b: __m512i) -> (__m512i, __m512i) {
		// SAFETY: AVX-512 and VPCLMULQDQ are enabled for every function (the module's `cfg`).
		unsafe {
			let lo = _mm512_clmulepi64_epi128::<0x00>(a, b);
			let hi = _mm512_clmulepi64_epi128::<0x11>(a, b);
			let mid = _mm512_xor_si512(_mm512_clmulepi64_epi128::<0x01>(a, b), _mm512_clmulepi64_epi128::<0x10>(a, b));
			(_mm512_xor_si512(lo, _mm512_bslli_epi128::<8>(mid)), _mm512_xor_si512(hi, _mm512_bsrli_epi128::<8>(mid)))
		}
	}

	/// The field elements of four unreduced values, as [`crate::field::reduce_wide`] computes
	/// them: `high ^= (high >> 127) ^ (high >> 126) ^ (high >> 121)`, then
	/// `low ^ high ^ (high << 1) ^ (high << 2) ^ (high << 7)`, with 128-bit shifts made of the
	/// 64-bit ones and a move of the bits that cross the halves.
	#[inline(always)]
	fn reduce4(low: __m512i, high: __m512i) -> __m512i {
		// SAFETY: AVX-512 is enabled for every function (the module's `cfg`).
		unsafe {
			// The top half of `high`, moved down: its bits 63, 62 and 57 (bits 127, 126 and
			// 121 of `high`) land on bits 0 to 6.
			let top = _mm512_bsrli_epi128::<8>(high);
			let high = xor3(
				high,
				_mm512_srli_epi64::<63>(top),
				_mm512_xor_si512(_mm512_srli_epi64::<62>(top), _mm512_srli_epi64::<57>(top)),
			);
			// (high << k) for k = 1, 2, 7: each half shifted, and the low half's top bits
			// carried into the high half (the high half's shifted out).
			let shifted =
				xor3(_mm512_slli_epi64::<1>(high), _mm512_slli_epi64::<2>(high), _mm512_slli_epi64::<7>(high));
			let carried =
				xor3(_mm512_srli_epi64::<63>(high), _mm512_srli_epi64::<62>(high), _mm512_srli_epi64::<57>(high));
			xor3(low, high, _mm512_xor_si512(shifted, _mm512_bslli_epi128::<8>(carried)))
		}
	}

	#[inline(always)]
	pub(super) fn add_products(acc: &mut Wide, a: &[u128; EIGHT], b: &[u128; EIGHT]) {
		for h in [0, 4] {
			let (lo, hi) = products(load(&a[h..]), load(&b[h..]));
			// SAFETY: AVX-512 is enabled for every function (the module's `cfg`).
			let (lo, hi) =
				unsafe { (_mm512_xor_si512(load(&acc.lo[h..]), lo), _mm512_xor_si512(load(&acc.hi[h..]), hi)) };
			store(lo, &mut acc.lo[h..]);
			store(hi, &mut acc.hi[h..]);
		}
	}

	#[inline(always)]
	pub(super) fn reduce(acc: &Wide) -> [u128; EIGHT] {
		let mut out = [0u128; EIGHT];
		for h in [0, 4] {
			store(reduce4(load(&acc.lo[h..]), load(&acc.hi[h..])), &mut out[h..]);
		}
		out
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::field::{mul_wide, reduce_wide, FastMul};
	use alloc::vec::Vec;

	fn ext(rng: &mut u64) -> Ext {
		let mut next = || {
			*rng ^= *rng << 13;
			*rng ^= *rng >> 7;
			*rng ^= *rng << 17;
			*rng
		};
		Ext::from_value(((next() as u128) << 64) | next() as u128)
	}

	/// Values whose products stress the reduction: all ones, the top bit alone, the bits that
	/// cross the halves, zero and one.
	fn edge_values() -> [Ext; EIGHT] {
		[u128::MAX, 1 << 127, (1 << 127) | (1 << 126) | (1 << 121), 1 << 64, (1 << 64) - 1, 0, 1, 0x87]
			.map(Ext::from_value)
	}

	/// Every lane's product, scaled value and weighted sum is the one-at-a-time one, for
	/// random values and edge cases (whatever path the build takes).
	#[test]
	fn eight_products_are_the_products() {
		let mut rng = 0x8e1;
		let mut cases: Vec<([Ext; EIGHT], [Ext; EIGHT])> = (0..200)
			.map(|_| (core::array::from_fn(|_| ext(&mut rng)), core::array::from_fn(|_| ext(&mut rng))))
			.collect();
		let edges = edge_values();
		cases.push((edges, edges));
		let mut reversed = edges;
		reversed.reverse();
		cases.push((edges, reversed));
		for (a, b) in &cases {
			let want: [Ext; EIGHT] = core::array::from_fn(|l| a[l].fast_mul(&b[l]));
			assert_eq!(mul(a, b), want);
			for w in edges.iter().chain(&b[..2]) {
				assert_eq!(scale(a, w), a.map(|e| e.fast_mul(w)));
			}
			// A weighted sum of three and a product, reduced once.
			let mut wide = Wide::ZERO;
			let mut sums = [[0u128; 2]; EIGHT];
			let mut add = |l: usize, [lo, hi]: [u128; 2]| {
				sums[l][0] ^= lo;
				sums[l][1] ^= hi;
			};
			for w in &b[..3] {
				wide.add_scaled(a, w);
				for (l, a) in a.iter().enumerate() {
					add(l, mul_wide(a, w));
				}
			}
			wide.add_products(a, b);
			for (l, (a, b)) in a.iter().zip(b).enumerate() {
				add(l, mul_wide(a, b));
			}
			assert_eq!(wide.reduce(), sums.map(reduce_wide));
		}
	}
}

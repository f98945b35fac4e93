//! The carry-less multiply instructions of x86_64, used where the CPU has them.
//!
//! A build whose target enables the instructions (`-C target-cpu=native` on a machine that has
//! them) uses them everywhere, inlined. Any other build with `std` asks the CPU once at run time
//! (`is_x86_feature_detected!`, the answer kept in one byte, `detection`) and calls these
//! functions, each compiled with the instructions enabled (`#[target_feature]`), when it has
//! them; the provers' hot loops run inside [`run_wide`], where they are inlined
//! (`super::accelerated`, `super::eight::by_cpu`): a worker or a node built with cargo's
//! defaults proves and verifies at nearly the speed of a native build, and still runs, on the
//! portable code, on a CPU without them.

use core::arch::x86_64::{
	__m128i, __m512i, _mm512_bslli_epi128, _mm512_bsrli_epi128, _mm512_clmulepi64_epi128, _mm512_loadu_si512,
	_mm512_slli_epi64, _mm512_srli_epi64, _mm512_storeu_si512, _mm512_ternarylogic_epi64, _mm512_xor_si512,
	_mm_clmulepi64_si128, _mm_cvtsi64_si128,
};

/// Whether this CPU has `pclmulqdq`, the 64-bit carry-less multiply.
#[inline(always)]
pub(crate) fn has_clmul() -> bool {
	#[cfg(target_feature = "pclmulqdq")]
	{
		true
	}
	#[cfg(all(not(target_feature = "pclmulqdq"), feature = "std"))]
	{
		detection::detected() & detection::CLMUL != 0
	}
	#[cfg(all(not(target_feature = "pclmulqdq"), not(feature = "std")))]
	{
		false
	}
}

/// The CPU's instructions as the standard library detects them, kept in one byte: the field's
/// functions ask at every call, some inside the provers' loops, where three of the standard
/// library's cached tests cost more than one load and one test. (Unused where the build's
/// target enables the instructions: they are constants then.)
#[cfg(feature = "std")]
#[cfg_attr(
	all(target_feature = "avx512f", target_feature = "avx512bw", target_feature = "vpclmulqdq"),
	allow(dead_code)
)]
mod detection {
	use core::sync::atomic::{AtomicU8, Ordering};

	/// [`detected`]'s bit for `pclmulqdq`.
	pub(super) const CLMUL: u8 = 1;
	/// [`detected`]'s bit for AVX-512's foundation and byte instructions with `vpclmulqdq` (and
	/// `pclmulqdq`, which the wide functions' code takes for granted too).
	pub(super) const WIDE: u8 = 2;
	/// [`detected`]'s bit saying the others are known.
	const KNOWN: u8 = 4;

	/// What [`detect`] found, once it has run (0 before).
	static DETECTED: AtomicU8 = AtomicU8::new(0);

	/// The [`CLMUL`] and [`WIDE`] bits of this CPU.
	#[inline(always)]
	pub(super) fn detected() -> u8 {
		let bits = DETECTED.load(Ordering::Relaxed);
		if bits & KNOWN != 0 {
			bits
		} else {
			detect()
		}
	}

	/// Asks the CPU and keeps the answer: every thread that asks first stores the same bits.
	#[cold]
	#[inline(never)]
	fn detect() -> u8 {
		let mut bits = KNOWN;
		if std::is_x86_feature_detected!("pclmulqdq") {
			bits |= CLMUL;
		}
		if bits & CLMUL != 0
			&& std::is_x86_feature_detected!("avx512f")
			&& std::is_x86_feature_detected!("avx512bw")
			&& std::is_x86_feature_detected!("vpclmulqdq")
		{
			bits |= WIDE;
		}
		DETECTED.store(bits, Ordering::Relaxed);
		bits
	}
}

/// Whether this CPU has AVX-512's foundation (sixteen 32-bit lanes: the provers' hashes of
/// many short messages at once), and the operating system saves its registers.
#[cfg(feature = "prover")]
#[inline(always)]
pub(crate) fn has_avx512f() -> bool {
	#[cfg(target_feature = "avx512f")]
	{
		true
	}
	#[cfg(all(not(target_feature = "avx512f"), feature = "std"))]
	{
		std::is_x86_feature_detected!("avx512f")
	}
	#[cfg(all(not(target_feature = "avx512f"), not(feature = "std")))]
	{
		false
	}
}

/// Whether this CPU has AVX-512 (the foundation and the byte and word instructions, whose
/// 128-bit lane byte shifts the reduction uses) and `vpclmulqdq`, four carry-less multiplies in
/// one instruction on 512-bit registers, and the operating system saves those registers; and
/// `pclmulqdq` (every such CPU has it; the wide functions' code takes it for granted).
#[inline(always)]
pub(crate) fn has_wide_clmul() -> bool {
	#[cfg(all(target_feature = "avx512f", target_feature = "avx512bw", target_feature = "vpclmulqdq"))]
	{
		true
	}
	#[cfg(all(
		not(all(target_feature = "avx512f", target_feature = "avx512bw", target_feature = "vpclmulqdq")),
		feature = "std"
	))]
	{
		detection::detected() & detection::WIDE != 0
	}
	#[cfg(all(
		not(all(target_feature = "avx512f", target_feature = "avx512bw", target_feature = "vpclmulqdq")),
		not(feature = "std")
	))]
	{
		false
	}
}

/// `f()` compiled with AVX-512's foundation and byte instructions and both carry-less
/// multiplies: whatever is inlined into it (`f`'s body, and the `#[inline(always)]` functions
/// it calls) is compiled for them, the field's vector functions inlined
/// ([`super::accelerated`]).
#[target_feature(enable = "avx512f,avx512bw,vpclmulqdq,pclmulqdq")]
#[inline]
pub(crate) fn run_wide<R>(f: impl FnOnce() -> R) -> R {
	f()
}

/// The carry-less product of two 64-bit polynomials: one `pclmulqdq`.
#[target_feature(enable = "pclmulqdq")]
#[inline]
fn clmul64(a: u64, b: u64) -> u128 {
	let product = _mm_clmulepi64_si128::<0>(_mm_cvtsi64_si128(a as i64), _mm_cvtsi64_si128(b as i64));
	// SAFETY: `__m128i` and `u128` are both 16 plain bytes.
	unsafe { core::mem::transmute::<__m128i, u128>(product) }
}

/// [`super::mul_wide`] by three `pclmulqdq` (Karatsuba).
#[target_feature(enable = "pclmulqdq")]
#[inline]
pub(crate) fn mul_wide(a: u128, b: u128) -> [u128; 2] {
	let (a0, a1, b0, b1) = (a as u64, (a >> 64) as u64, b as u64, (b >> 64) as u64);
	let (lo, hi) = (clmul64(a0, b0), clmul64(a1, b1));
	let mid = clmul64(a0 ^ a1, b0 ^ b1) ^ lo ^ hi;
	[lo ^ (mid << 64), hi ^ (mid >> 64)]
}

/// Eight unreduced products added to `lo`, `hi`, one [`mul_wide`] each.
#[target_feature(enable = "pclmulqdq")]
#[inline]
pub(crate) fn add_products8(lo: &mut [u128; 8], hi: &mut [u128; 8], a: &[u128; 8], b: &[u128; 8]) {
	for l in 0..8 {
		let [l_part, h_part] = mul_wide(a[l], b[l]);
		lo[l] ^= l_part;
		hi[l] ^= h_part;
	}
}

/// `a ^ b ^ c`.
#[target_feature(enable = "avx512f,avx512bw")]
#[inline]
fn xor3(a: __m512i, b: __m512i, c: __m512i) -> __m512i {
	_mm512_ternarylogic_epi64::<0x96>(a, b, c)
}

/// Four values from `v[0..4]`.
#[target_feature(enable = "avx512f,avx512bw")]
#[inline]
fn load(v: &[u128]) -> __m512i {
	assert!(v.len() >= 4);
	// SAFETY: four 16-byte values are read from a slice that holds them (asserted); the load is
	// unaligned.
	unsafe { _mm512_loadu_si512(v.as_ptr().cast()) }
}

/// Four values into `v[0..4]`.
#[target_feature(enable = "avx512f,avx512bw")]
#[inline]
fn store(x: __m512i, v: &mut [u128]) {
	assert!(v.len() >= 4);
	// SAFETY: as in `load`, four 16-byte values written into a slice that holds them.
	unsafe { _mm512_storeu_si512(v.as_mut_ptr().cast(), x) }
}

/// Four unreduced products, each lane's low and high 128 bits: schoolbook over the four 64-bit
/// halves' carry-less products.
#[target_feature(enable = "avx512f,avx512bw,vpclmulqdq")]
#[inline]
fn products4(a: __m512i, b: __m512i) -> (__m512i, __m512i) {
	let lo = _mm512_clmulepi64_epi128::<0x00>(a, b);
	let hi = _mm512_clmulepi64_epi128::<0x11>(a, b);
	let mid = _mm512_xor_si512(_mm512_clmulepi64_epi128::<0x01>(a, b), _mm512_clmulepi64_epi128::<0x10>(a, b));
	(_mm512_xor_si512(lo, _mm512_bslli_epi128::<8>(mid)), _mm512_xor_si512(hi, _mm512_bsrli_epi128::<8>(mid)))
}

/// The field elements of four unreduced values, as [`super::reduce_wide`] computes them:
/// `high ^= (high >> 127) ^ (high >> 126) ^ (high >> 121)`, then
/// `low ^ high ^ (high << 1) ^ (high << 2) ^ (high << 7)`, with 128-bit shifts made of the
/// 64-bit ones and a move of the bits that cross the halves.
#[target_feature(enable = "avx512f,avx512bw")]
#[inline]
fn reduce4(low: __m512i, high: __m512i) -> __m512i {
	// The top half of `high`, moved down: its bits 63, 62 and 57 (bits 127, 126 and 121 of
	// `high`) land on bits 0 to 6.
	let top = _mm512_bsrli_epi128::<8>(high);
	let high = xor3(
		high,
		_mm512_srli_epi64::<63>(top),
		_mm512_xor_si512(_mm512_srli_epi64::<62>(top), _mm512_srli_epi64::<57>(top)),
	);
	// (high << k) for k = 1, 2, 7: each half shifted, and the low half's top bits carried into
	// the high half (the high half's shifted out).
	let shifted = xor3(_mm512_slli_epi64::<1>(high), _mm512_slli_epi64::<2>(high), _mm512_slli_epi64::<7>(high));
	let carried = xor3(_mm512_srli_epi64::<63>(high), _mm512_srli_epi64::<62>(high), _mm512_srli_epi64::<57>(high));
	xor3(low, high, _mm512_xor_si512(shifted, _mm512_bslli_epi128::<8>(carried)))
}

/// Eight unreduced products added to `lo`, `hi`: four lanes per 512-bit register.
#[target_feature(enable = "avx512f,avx512bw,vpclmulqdq")]
#[inline]
pub(crate) fn add_products8_wide(lo: &mut [u128; 8], hi: &mut [u128; 8], a: &[u128; 8], b: &[u128; 8]) {
	for h in [0, 4] {
		let (l_part, h_part) = products4(load(&a[h..]), load(&b[h..]));
		let (l_sum, h_sum) = (_mm512_xor_si512(load(&lo[h..]), l_part), _mm512_xor_si512(load(&hi[h..]), h_part));
		store(l_sum, &mut lo[h..]);
		store(h_sum, &mut hi[h..]);
	}
}

/// Eight unreduced values reduced: four lanes per 512-bit register.
#[target_feature(enable = "avx512f,avx512bw")]
#[inline]
pub(crate) fn reduce8_wide(lo: &[u128; 8], hi: &[u128; 8]) -> [u128; 8] {
	let mut out = [0u128; 8];
	for h in [0, 4] {
		store(reduce4(load(&lo[h..]), load(&hi[h..])), &mut out[h..]);
	}
	out
}

/// Eight products, reduced: four lanes per 512-bit register.
#[target_feature(enable = "avx512f,avx512bw,vpclmulqdq")]
#[inline]
pub(crate) fn mul8_wide(a: &[u128; 8], b: &[u128; 8]) -> [u128; 8] {
	let mut out = [0u128; 8];
	for h in [0, 4] {
		let (lo, hi) = products4(load(&a[h..]), load(&b[h..]));
		store(reduce4(lo, hi), &mut out[h..]);
	}
	out
}

/// Eight GF(2^32) values, one in the low half of each 64-bit lane of `p` (a carry-less product
/// of degree below 63; the high halves' bits are the product's terms from `x^32` up), reduced
/// by ligerito's modulus as [`super::reduce`] does: the terms from `x^32` up folded down by
/// `x^32 = x^15 + x^9 + x^7 + x^4 + x^3 + 1`, twice. The high halves of the result are junk.
#[cfg(feature = "prover")]
#[target_feature(enable = "avx512f,avx512bw")]
#[inline]
fn reduce_base8(p: __m512i) -> __m512i {
	let fold = |h: __m512i| {
		_mm512_xor_si512(
			xor3(h, _mm512_slli_epi64::<3>(h), _mm512_slli_epi64::<4>(h)),
			xor3(_mm512_slli_epi64::<7>(h), _mm512_slli_epi64::<9>(h), _mm512_slli_epi64::<15>(h)),
		)
	};
	let q = fold(_mm512_srli_epi64::<32>(p));
	let r = fold(_mm512_srli_epi64::<32>(q));
	xor3(p, q, r)
}

/// `λ · w_i` for the sixteen GF(2^32) values of `w` (two per 64-bit lane), reduced, in place.
/// The even-indexed values (low halves) and the odd ones (high halves, moved down) are
/// multiplied apart, four per `vpclmulqdq`, whose selector picks each 128-bit lane's low or
/// high 64 bits.
#[cfg(feature = "prover")]
#[target_feature(enable = "avx512f,avx512bw,vpclmulqdq")]
#[inline]
fn scale_base16(w: __m512i, lambda: __m512i) -> __m512i {
	use core::arch::x86_64::{_mm512_and_si512, _mm512_set1_epi64};
	let low_halves = _mm512_set1_epi64(0xffff_ffff);
	let (even, odd) = (_mm512_and_si512(w, low_halves), _mm512_srli_epi64::<32>(w));
	let products = |v: __m512i| {
		// Lane 0 of each 128-bit lane times λ, and lane 1 (selector 0x01) moved up into place.
		let low = _mm512_clmulepi64_epi128::<0x00>(v, lambda);
		let high = _mm512_clmulepi64_epi128::<0x01>(v, lambda);
		reduce_base8(_mm512_xor_si512(low, _mm512_bslli_epi128::<8>(high)))
	};
	_mm512_xor_si512(_mm512_and_si512(products(even), low_halves), _mm512_slli_epi64::<32>(products(odd)))
}

/// The FFT butterfly `(u, w) ↦ (u + λw, w + u + λw)` on every pair `(u[i], w[i])` of GF(2^32)
/// values (as `u32`s) in blocks of sixteen; returns how many pairs it did (the rest, fewer
/// than sixteen, are the caller's).
#[cfg(feature = "prover")]
#[target_feature(enable = "avx512f,avx512bw,vpclmulqdq")]
#[inline]
pub(crate) fn butterfly16(u: &mut [u32], w: &mut [u32], lambda: u32) -> usize {
	use core::arch::x86_64::_mm512_set1_epi64;
	assert_eq!(u.len(), w.len());
	let lambda = _mm512_set1_epi64(i64::from(lambda));
	let blocks = u.len() / 16;
	for (u, w) in u.chunks_exact_mut(16).zip(w.chunks_exact_mut(16)) {
		// SAFETY: each chunk holds sixteen `u32`s, 64 bytes, read and written unaligned.
		unsafe {
			let (u_ptr, w_ptr) = (u.as_mut_ptr().cast::<__m512i>(), w.as_mut_ptr().cast::<__m512i>());
			let (u_v, w_v) = (_mm512_loadu_si512(u_ptr), _mm512_loadu_si512(w_ptr));
			let u_v = _mm512_xor_si512(u_v, scale_base16(w_v, lambda));
			_mm512_storeu_si512(u_ptr, u_v);
			_mm512_storeu_si512(w_ptr, _mm512_xor_si512(w_v, u_v));
		}
	}
	blocks * 16
}

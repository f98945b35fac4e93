//! Eight GF(2^128) products at once: the provers' evaluators compute every product of an AIR at
//! eight points side by side ([`EIGHT`] lanes), and here each such step is one call.
//!
//! With `hardware-accel` on a CPU that has AVX-512 and the vector carry-less multiply, four
//! products take four `vpclmulqdq` instructions on 512-bit registers and the reduction by
//! `x^128 = x^7 + x^2 + x + 1` is done for four at once with shifts; on one with only
//! `pclmulqdq`, each lane is three of those; elsewhere each lane is [`super::mul_wide`]'s
//! portable products. All give the same field elements (tested against each other). Which one
//! runs is fixed by the build's target features where they enable the instructions, else asked
//! of the CPU at run time: at every call by the functions below ([`Dispatched`]), once for a
//! whole loop by [`by_cpu`] ([`WideCpu`]).

use crate::Ext;
use ligerito_binary_fields::BinaryFieldElement;

/// How many products a call computes.
pub const EIGHT: usize = 8;

#[inline(always)]
fn values(a: &[Ext; EIGHT]) -> [u128; EIGHT] {
	a.map(|e| e.poly().value())
}

/// The instructions the products are computed with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tier {
	/// Integer multiplications ([`super::mul_wide`] without the instruction).
	Portable,
	/// `pclmulqdq`, one lane at a time.
	#[cfg(all(feature = "hardware-accel", target_arch = "x86_64"))]
	Clmul,
	/// AVX-512 `vpclmulqdq`, four lanes per instruction.
	#[cfg(all(feature = "hardware-accel", target_arch = "x86_64"))]
	Wide,
}

impl Tier {
	/// The fastest tier this CPU runs (a constant where the build's target features decide).
	#[inline(always)]
	pub(crate) fn of_cpu() -> Tier {
		#[cfg(all(feature = "hardware-accel", target_arch = "x86_64"))]
		{
			if super::x86::has_wide_clmul() {
				return Tier::Wide;
			}
			if super::x86::has_clmul() {
				return Tier::Clmul;
			}
		}
		Tier::Portable
	}

	/// Every tier this CPU runs, the portable one first.
	#[cfg(test)]
	pub(crate) fn all_of_cpu() -> alloc::vec::Vec<Tier> {
		let tiers = alloc::vec![Tier::Portable];
		#[cfg(all(feature = "hardware-accel", target_arch = "x86_64"))]
		let tiers = {
			let mut tiers = tiers;
			if super::x86::has_clmul() {
				tiers.push(Tier::Clmul);
			}
			if super::x86::has_wide_clmul() {
				tiers.push(Tier::Wide);
			}
			tiers
		};
		tiers
	}
}

/// The tiers but [`Tier::Wide`], for the functions below: each operation a call where the
/// wide tier exists (the functions take it inline, [`WideCpu`], and every other tier through
/// these calls, so that the other tiers' code does not crowd a loop's registers), else inlined.
/// On a CPU with `pclmulqdq` alone that is two calls a step where one was before (RD-5's
/// review, WB-3: not measured, no such CPU here).
mod narrow {
	use super::{mul_in, values, Tier, Wide, EIGHT};
	use crate::Ext;

	#[cfg_attr(all(feature = "hardware-accel", target_arch = "x86_64"), inline(never))]
	#[cfg_attr(not(all(feature = "hardware-accel", target_arch = "x86_64")), inline(always))]
	pub(super) fn mul(a: &[Ext; EIGHT], b: &[u128; EIGHT]) -> [Ext; EIGHT] {
		// SAFETY: the CPU has the tier it reports.
		unsafe { mul_in(Tier::of_cpu(), &values(a), b) }.map(Ext::from_value)
	}

	#[cfg_attr(all(feature = "hardware-accel", target_arch = "x86_64"), inline(never))]
	#[cfg_attr(not(all(feature = "hardware-accel", target_arch = "x86_64")), inline(always))]
	pub(super) fn add_products(wide: &mut Wide, a: &[Ext; EIGHT], b: &[u128; EIGHT]) {
		// SAFETY: the CPU has the tier it reports.
		unsafe { wide.add_products_in(Tier::of_cpu(), &values(a), b) };
	}

	#[cfg_attr(all(feature = "hardware-accel", target_arch = "x86_64"), inline(never))]
	#[cfg_attr(not(all(feature = "hardware-accel", target_arch = "x86_64")), inline(always))]
	pub(super) fn reduce(wide: &Wide) -> [Ext; EIGHT] {
		// SAFETY: the CPU has the tier it reports.
		unsafe { wide.reduce_in(Tier::of_cpu()) }.map(Ext::from_value)
	}
}

/// Proof that this CPU has AVX-512 with `vpclmulqdq` (four products an instruction): its
/// products take them with no further test. A hot loop entered with one (and compiled with
/// the instructions, [`super::accelerated`]) has no test between its products and nothing of
/// the other tiers among them; the functions below test at every call.
#[cfg(all(feature = "hardware-accel", target_arch = "x86_64"))]
#[derive(Clone, Copy, Debug)]
pub struct WideCpu(());

#[cfg(all(feature = "hardware-accel", target_arch = "x86_64"))]
impl WideCpu {
	/// One, if this CPU has the instructions.
	#[inline(always)]
	pub fn new() -> Option<WideCpu> {
		super::x86::has_wide_clmul().then_some(WideCpu(()))
	}

	/// One, without the test.
	///
	/// # Safety
	/// The CPU has the instructions: [`WideCpu::new`] returned one on it.
	#[inline(always)]
	pub unsafe fn assume() -> WideCpu {
		WideCpu(())
	}

	/// [`mul`].
	#[inline(always)]
	pub fn mul(self, a: &[Ext; EIGHT], b: &[Ext; EIGHT]) -> [Ext; EIGHT] {
		// SAFETY: the CPU has the instructions (`self` says so).
		unsafe { super::x86::mul8_wide(&values(a), &values(b)) }.map(Ext::from_value)
	}

	/// [`scale`].
	#[inline(always)]
	pub fn scale(self, a: &[Ext; EIGHT], w: &Ext) -> [Ext; EIGHT] {
		// SAFETY: as in `mul`.
		unsafe { super::x86::mul8_wide(&values(a), &[w.poly().value(); EIGHT]) }.map(Ext::from_value)
	}

	/// [`Wide::add_products`].
	#[inline(always)]
	pub fn add_products(self, wide: &mut Wide, a: &[Ext; EIGHT], b: &[Ext; EIGHT]) {
		// SAFETY: as in `mul`.
		unsafe { super::x86::add_products8_wide(&mut wide.lo, &mut wide.hi, &values(a), &values(b)) }
	}

	/// [`Wide::add_scaled`].
	#[inline(always)]
	pub fn add_scaled(self, wide: &mut Wide, a: &[Ext; EIGHT], w: &Ext) {
		let w = [w.poly().value(); EIGHT];
		// SAFETY: as in `mul`.
		unsafe { super::x86::add_products8_wide(&mut wide.lo, &mut wide.hi, &values(a), &w) }
	}

	/// [`Wide::reduce`].
	#[inline(always)]
	pub fn reduce(self, wide: &Wide) -> [Ext; EIGHT] {
		// SAFETY: as in `mul`.
		unsafe { super::x86::reduce8_wide(&wide.lo, &wide.hi) }.map(Ext::from_value)
	}
}

/// The eight-lane products a loop is written with: [`Dispatched`] (the functions above, which test
/// the CPU at every call) or, where the CPU has them, [`WideCpu`]'s. A loop generic over this
/// is compiled once for each ([`by_cpu`]).
pub trait Products: Copy {
	/// [`mul`].
	fn mul(self, a: &[Ext; EIGHT], b: &[Ext; EIGHT]) -> [Ext; EIGHT];
	/// [`scale`].
	fn scale(self, a: &[Ext; EIGHT], w: &Ext) -> [Ext; EIGHT];
	/// [`Wide::add_products`].
	fn add_products(self, wide: &mut Wide, a: &[Ext; EIGHT], b: &[Ext; EIGHT]);
	/// [`Wide::reduce`].
	fn reduce(self, wide: &Wide) -> [Ext; EIGHT];
}

/// The products of [`mul`], [`scale`] and [`Wide`]'s methods, testing the CPU at every call.
#[derive(Clone, Copy, Debug)]
pub struct Dispatched;

impl Products for Dispatched {
	#[inline(always)]
	fn mul(self, a: &[Ext; EIGHT], b: &[Ext; EIGHT]) -> [Ext; EIGHT] {
		mul(a, b)
	}

	#[inline(always)]
	fn scale(self, a: &[Ext; EIGHT], w: &Ext) -> [Ext; EIGHT] {
		scale(a, w)
	}

	#[inline(always)]
	fn add_products(self, wide: &mut Wide, a: &[Ext; EIGHT], b: &[Ext; EIGHT]) {
		wide.add_products(a, b)
	}

	#[inline(always)]
	fn reduce(self, wide: &Wide) -> [Ext; EIGHT] {
		wide.reduce()
	}
}

#[cfg(all(feature = "hardware-accel", target_arch = "x86_64"))]
impl Products for WideCpu {
	#[inline(always)]
	fn mul(self, a: &[Ext; EIGHT], b: &[Ext; EIGHT]) -> [Ext; EIGHT] {
		WideCpu::mul(self, a, b)
	}

	#[inline(always)]
	fn scale(self, a: &[Ext; EIGHT], w: &Ext) -> [Ext; EIGHT] {
		WideCpu::scale(self, a, w)
	}

	#[inline(always)]
	fn add_products(self, wide: &mut Wide, a: &[Ext; EIGHT], b: &[Ext; EIGHT]) {
		WideCpu::add_products(self, wide, a, b)
	}

	#[inline(always)]
	fn reduce(self, wide: &Wide) -> [Ext; EIGHT] {
		WideCpu::reduce(self, wide)
	}
}

/// A loop written once over [`Products`], run by [`by_cpu`].
pub trait Loop {
	/// What it returns.
	type Output;
	/// Runs it with `products` (meant to be `#[inline(always)]`: it is compiled where it is
	/// inlined).
	fn run<P: Products>(self, products: P) -> Self::Output;
}

/// Runs `task` with [`WideCpu`]'s products where the CPU has them, compiled with their
/// instructions ([`super::accelerated`]), else with [`Dispatched`]'s.
#[inline(always)]
pub fn by_cpu<L: Loop>(task: L) -> L::Output {
	#[cfg(all(feature = "hardware-accel", target_arch = "x86_64"))]
	if let Some(cpu) = WideCpu::new() {
		return super::accelerated(
			#[inline(always)]
			|| task.run(cpu),
		);
	}
	task.run(Dispatched)
}

/// `a_l · b_l` for every lane `l`.
#[inline(always)]
pub fn mul(a: &[Ext; EIGHT], b: &[Ext; EIGHT]) -> [Ext; EIGHT] {
	#[cfg(all(feature = "hardware-accel", target_arch = "x86_64"))]
	if let Some(cpu) = WideCpu::new() {
		return cpu.mul(a, b);
	}
	narrow::mul(a, &values(b))
}

/// `a_l · w` for every lane `l`.
#[inline(always)]
pub fn scale(a: &[Ext; EIGHT], w: &Ext) -> [Ext; EIGHT] {
	#[cfg(all(feature = "hardware-accel", target_arch = "x86_64"))]
	if let Some(cpu) = WideCpu::new() {
		return cpu.scale(a, w);
	}
	narrow::mul(a, &[w.poly().value(); EIGHT])
}

/// [`mul`] in `tier`.
///
/// # Safety
/// The CPU has `tier`'s instructions ([`Tier::of_cpu`] or one of [`Tier::all_of_cpu`]).
#[inline(always)]
unsafe fn mul_in(tier: Tier, a: &[u128; EIGHT], b: &[u128; EIGHT]) -> [u128; EIGHT] {
	match tier {
		#[cfg(all(feature = "hardware-accel", target_arch = "x86_64"))]
		// SAFETY: the CPU has the tier's instructions (the caller's promise).
		Tier::Wide => unsafe { super::x86::mul8_wide(a, b) },
		_ => {
			let mut wide = Wide::ZERO;
			// SAFETY: the caller's promise, passed on.
			unsafe {
				wide.add_products_in(tier, a, b);
				wide.reduce_in(tier)
			}
		},
	}
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
		#[cfg(all(feature = "hardware-accel", target_arch = "x86_64"))]
		if let Some(cpu) = WideCpu::new() {
			return cpu.add_products(self, a, b);
		}
		narrow::add_products(self, a, &values(b))
	}

	/// Adds `a_l` to lane `l` (a value is its own sum of products, reduced).
	#[inline(always)]
	pub fn add(&mut self, a: &[Ext; EIGHT]) {
		for (lo, v) in self.lo.iter_mut().zip(a) {
			*lo ^= v.poly().value();
		}
	}

	/// Adds `a_l · w` to lane `l`.
	#[inline(always)]
	pub fn add_scaled(&mut self, a: &[Ext; EIGHT], w: &Ext) {
		#[cfg(all(feature = "hardware-accel", target_arch = "x86_64"))]
		if let Some(cpu) = WideCpu::new() {
			return cpu.add_scaled(self, a, w);
		}
		narrow::add_products(self, a, &[w.poly().value(); EIGHT])
	}

	/// The sums, reduced.
	#[inline(always)]
	pub fn reduce(&self) -> [Ext; EIGHT] {
		#[cfg(all(feature = "hardware-accel", target_arch = "x86_64"))]
		if let Some(cpu) = WideCpu::new() {
			return cpu.reduce(self);
		}
		narrow::reduce(self)
	}

	/// [`Self::add_products`] in `tier`.
	///
	/// # Safety
	/// As [`mul_in`].
	#[inline(always)]
	unsafe fn add_products_in(&mut self, tier: Tier, a: &[u128; EIGHT], b: &[u128; EIGHT]) {
		match tier {
			Tier::Portable => {
				for l in 0..EIGHT {
					let [lo, hi] = super::mul_wide_portable(a[l], b[l]);
					self.lo[l] ^= lo;
					self.hi[l] ^= hi;
				}
			},
			#[cfg(all(feature = "hardware-accel", target_arch = "x86_64"))]
			// SAFETY: the CPU has the tier's instructions (the caller's promise).
			Tier::Clmul => unsafe { super::x86::add_products8(&mut self.lo, &mut self.hi, a, b) },
			#[cfg(all(feature = "hardware-accel", target_arch = "x86_64"))]
			// SAFETY: as above.
			Tier::Wide => unsafe { super::x86::add_products8_wide(&mut self.lo, &mut self.hi, a, b) },
		}
	}

	/// [`Self::reduce`] in `tier`.
	///
	/// # Safety
	/// As [`mul_in`].
	#[inline(always)]
	unsafe fn reduce_in(&self, tier: Tier) -> [u128; EIGHT] {
		match tier {
			#[cfg(all(feature = "hardware-accel", target_arch = "x86_64"))]
			// SAFETY: the CPU has the tier's instructions (the caller's promise).
			Tier::Wide => unsafe { super::x86::reduce8_wide(&self.lo, &self.hi) },
			_ => core::array::from_fn(|l| super::reduce_wide([self.lo[l], self.hi[l]]).poly().value()),
		}
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

	/// `count` pairs of random lanes from `seed`, then the edge values paired with themselves.
	fn random_pairs_and_edges(seed: u64, count: usize) -> Vec<([Ext; EIGHT], [Ext; EIGHT])> {
		let mut rng = seed;
		let mut cases: Vec<([Ext; EIGHT], [Ext; EIGHT])> = (0..count)
			.map(|_| (core::array::from_fn(|_| ext(&mut rng)), core::array::from_fn(|_| ext(&mut rng))))
			.collect();
		let edges = edge_values();
		cases.push((edges, edges));
		cases
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
		let mut cases = random_pairs_and_edges(0x8e1, 200);
		let edges = edge_values();
		let mut reversed = edges;
		reversed.reverse();
		cases.push((edges, reversed));
		for (a, b) in &cases {
			let want: [Ext; EIGHT] = core::array::from_fn(|l| a[l].fast_mul(&b[l]));
			assert_eq!(mul(a, b), want);
			for w in edges.iter().chain(&b[..2]) {
				assert_eq!(scale(a, w), a.map(|e| e.fast_mul(w)));
			}
			// A weighted sum of three, a product and a value, reduced once.
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
			// And a value, added as it is.
			wide.add(b);
			for (l, b) in b.iter().enumerate() {
				add(l, [b.poly().value(), 0]);
			}
			assert_eq!(wide.reduce(), sums.map(reduce_wide));
		}
	}

	/// [`Products`]' two kinds compute the same values: [`WideCpu`]'s, where this CPU has them,
	/// [`Dispatched`]'s; and [`by_cpu`] runs a loop with the one the CPU has (one of them, once).
	#[test]
	fn the_products_without_the_test_are_the_tested_ones() {
		fn check<P: Products>(products: P) {
			let edges = edge_values();
			let cases = random_pairs_and_edges(0x3a1d, 200);
			// Against one product at a time (`fast_mul` and `mul_wide`: not the eight-lane
			// functions).
			for (a, b) in &cases {
				let product: [Ext; EIGHT] = core::array::from_fn(|l| a[l].fast_mul(&b[l]));
				assert_eq!(products.mul(a, b), product);
				for w in edges.iter().chain(&b[..2]) {
					assert_eq!(products.scale(a, w), a.map(|e| e.fast_mul(w)));
				}
				let mut got = Wide::ZERO;
				products.add_products(&mut got, a, b);
				products.add_products(&mut got, b, &product);
				let want: [Ext; EIGHT] = core::array::from_fn(|l| {
					let ([lo1, hi1], [lo2, hi2]) = (mul_wide(&a[l], &b[l]), mul_wide(&b[l], &product[l]));
					reduce_wide([lo1 ^ lo2, hi1 ^ hi2])
				});
				assert_eq!(products.reduce(&got), want);
			}
		}
		check(Dispatched);
		#[cfg(all(feature = "hardware-accel", target_arch = "x86_64"))]
		if let Some(cpu) = WideCpu::new() {
			check(cpu);
			let (mut wide, w) = (Wide::ZERO, Ext::from_value(0x87));
			cpu.add_scaled(&mut wide, &edge_values(), &w);
			assert_eq!(cpu.reduce(&wide), edge_values().map(|e| e.fast_mul(&w)));
		}
		struct Square([Ext; EIGHT]);
		impl Loop for Square {
			type Output = [Ext; EIGHT];
			#[inline(always)]
			fn run<P: Products>(self, products: P) -> [Ext; EIGHT] {
				products.mul(&self.0, &self.0)
			}
		}
		let edges = edge_values();
		assert_eq!(by_cpu(Square(edges)), mul(&edges, &edges));
	}

	/// Every tier this CPU has (on this project's machines: the portable one, `pclmulqdq` and
	/// AVX-512) gives the portable tier's products, sums and reductions.
	#[test]
	fn every_tier_computes_the_portable_products() {
		let tiers = Tier::all_of_cpu();
		let cases = random_pairs_and_edges(0x71e5, 300);
		for (a, b) in &cases {
			let (a, b) = (values(a), values(b));
			// SAFETY: every tier is one the CPU has (`all_of_cpu`).
			unsafe {
				let want = mul_in(Tier::Portable, &a, &b);
				let mut want_sum = Wide::ZERO;
				want_sum.add_products_in(Tier::Portable, &a, &b);
				want_sum.add_products_in(Tier::Portable, &b, &want);
				for &tier in &tiers {
					assert_eq!(mul_in(tier, &a, &b), want, "{tier:?}");
					let mut sum = Wide::ZERO;
					sum.add_products_in(tier, &a, &b);
					sum.add_products_in(tier, &b, &want);
					assert_eq!(sum, want_sum, "{tier:?}");
					assert_eq!(sum.reduce_in(tier), want_sum.reduce_in(Tier::Portable), "{tier:?}");
				}
			}
		}
	}
}

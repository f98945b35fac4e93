//! What a round's circuit and lines passes compute with: [`Lanes`], whose products ask which
//! instructions the CPU has at every call, or, in a pass entered once the CPU is known to have
//! AVX-512 with `vpclmulqdq`, `WideLanes`, whose products take them without asking
//! ([`by_cpu`]). A build whose target enables the instructions (`-C target-cpu=native`) has no
//! test to skip; one with cargo's defaults (a worker's) would otherwise test between every two
//! products of the pass, with the other tiers' code among them.

use agentic_air::{Lanes, Point, LANES};
use agentic_pcs::{field::eight, Ext};

/// A pass written once over [`Kernel`], run by [`by_cpu`].
pub(super) trait KernelLoop {
	/// What it returns.
	type Output;
	/// Runs it with `K` (meant to be `#[inline(always)]`: it is compiled where it is inlined).
	fn run<K: Kernel>(self) -> Self::Output;
}

/// Runs `task` with `WideLanes` where the CPU has AVX-512 with `vpclmulqdq`, compiled with those
/// instructions (`agentic_pcs::field::accelerated`), else with [`Lanes`]. The one place a
/// `WideLanes` value can come from.
#[inline(always)]
pub(super) fn by_cpu<L: KernelLoop>(task: L) -> L::Output {
	#[cfg(all(feature = "hardware-accel", target_arch = "x86_64"))]
	if eight::WideCpu::new().is_some() {
		return agentic_pcs::field::accelerated(
			#[inline(always)]
			|| task.run::<wide::WideLanes>(),
		);
	}
	task.run::<Lanes>()
}

/// A [`Point`] at [`LANES`] points held as [`Lanes`], which the round's tables fill and its
/// lines read.
pub(super) trait Kernel: Point {
	/// `lanes` as this kind of value.
	fn from_lanes(lanes: Lanes) -> Self;
	/// The values.
	fn lanes(&self) -> &Lanes;
	/// The values, to be written.
	fn lanes_mut(&mut self) -> &mut Lanes;
	/// Adds every lane's value times `eq`'s to `wide`, unreduced.
	fn add_products_to(self, eq: &[Ext; LANES], wide: &mut eight::Wide);
}

impl Kernel for Lanes {
	#[inline(always)]
	fn from_lanes(lanes: Lanes) -> Lanes {
		lanes
	}

	#[inline(always)]
	fn lanes(&self) -> &Lanes {
		self
	}

	#[inline(always)]
	fn lanes_mut(&mut self) -> &mut Lanes {
		self
	}

	#[inline(always)]
	fn add_products_to(self, eq: &[Ext; LANES], wide: &mut eight::Wide) {
		wide.add_products(&self.0, eq);
	}
}

#[cfg(all(feature = "hardware-accel", target_arch = "x86_64"))]
mod wide {
	use super::Kernel;
	use agentic_air::{Lanes, Point, LANES};
	use agentic_pcs::{
		field::eight::{self, WideCpu},
		Ext,
	};

	/// The instructions, which a [`WideLanes`] says the CPU has.
	#[inline(always)]
	fn cpu() -> WideCpu {
		debug_assert!(WideCpu::new().is_some(), "a WideLanes on a CPU without the instructions");
		// SAFETY: a `WideLanes` exists, so the CPU has the instructions (the type's invariant).
		unsafe { WideCpu::assume() }
	}

	/// [`Lanes`] whose products are AVX-512's `vpclmulqdq`, with no test of the CPU
	/// ([`WideCpu`]).
	///
	/// A value may exist only on a CPU that has the instructions: the type is private to this
	/// module, whose one use of it ([`super::by_cpu`], and this module's tests) is behind
	/// [`WideCpu::new`]. Every product below relies on that.
	#[derive(Clone, Copy, Debug, PartialEq, Eq)]
	#[repr(transparent)]
	pub(super) struct WideLanes(Lanes);

	impl Point for WideLanes {
		type Wide = eight::Wide;

		#[inline(always)]
		fn splat(e: Ext) -> WideLanes {
			WideLanes(Lanes::splat(e))
		}

		#[inline(always)]
		fn plus(self, other: WideLanes) -> WideLanes {
			WideLanes(self.0.plus(other.0))
		}

		#[inline(always)]
		fn times(self, other: WideLanes) -> WideLanes {
			WideLanes(Lanes(cpu().mul(&self.0 .0, &other.0 .0)))
		}

		#[inline(always)]
		fn scale(self, w: &Ext) -> WideLanes {
			WideLanes(Lanes(cpu().scale(&self.0 .0, w)))
		}

		#[inline(always)]
		fn wide_zero() -> eight::Wide {
			eight::Wide::ZERO
		}

		#[inline(always)]
		fn add_scaled(self, w: &Ext, acc: &mut eight::Wide) {
			cpu().add_scaled(acc, &self.0 .0, w)
		}

		#[inline(always)]
		fn add_to(self, acc: &mut eight::Wide) {
			acc.add(&self.0 .0);
		}

		#[inline(always)]
		fn add_times(self, other: WideLanes, acc: &mut eight::Wide) {
			cpu().add_products(acc, &self.0 .0, &other.0 .0)
		}

		#[inline(always)]
		fn reduce(acc: eight::Wide) -> WideLanes {
			WideLanes(Lanes(cpu().reduce(&acc)))
		}
	}

	impl Kernel for WideLanes {
		#[inline(always)]
		fn from_lanes(lanes: Lanes) -> WideLanes {
			WideLanes(lanes)
		}

		#[inline(always)]
		fn lanes(&self) -> &Lanes {
			&self.0
		}

		#[inline(always)]
		fn lanes_mut(&mut self) -> &mut Lanes {
			&mut self.0
		}

		#[inline(always)]
		fn add_products_to(self, eq: &[Ext; LANES], wide: &mut eight::Wide) {
			cpu().add_products(wide, &self.0 .0, eq)
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use agentic_pcs::{field::FastMul, BinaryFieldElement};

	fn lanes(state: &mut u64) -> Lanes {
		Lanes(core::array::from_fn(|_| {
			let mut next = || {
				*state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
				*state
			};
			Ext::from_value(((next() as u128) << 64) | next() as u128)
		}))
	}

	/// Every operation of [`WideLanes`] (where this CPU has the instructions) gives
	/// [`Lanes`]'s values, and both kinds of [`Kernel`] add the same products.
	#[test]
	fn wide_lanes_compute_what_lanes_compute() {
		fn check<P: Kernel>(a: Lanes, b: Lanes, w: Ext, eq: [Ext; LANES]) -> (Lanes, Lanes, Lanes, Lanes, eight::Wide) {
			let (pa, pb) = (P::from_lanes(a), P::from_lanes(b));
			let mut acc = P::wide_zero();
			pa.add_scaled(&w, &mut acc);
			pa.add_times(pb, &mut acc);
			pb.add_to(&mut acc);
			let mut wide = eight::Wide::ZERO;
			pa.add_products_to(&eq, &mut wide);
			(*pa.times(pb).lanes(), *pa.scale(&w).lanes(), *pa.plus(pb).lanes(), *P::reduce(acc).lanes(), wide)
		}
		let mut state = 0x1a9e5;
		for _ in 0..100 {
			let (a, b, eq) = (lanes(&mut state), lanes(&mut state), lanes(&mut state).0);
			let w = lanes(&mut state).0[0];
			let want = check::<Lanes>(a, b, w, eq);
			// Against one product at a time (`fast_mul`: not the eight-lane functions).
			let one_by_one = |l: usize| a.0[l].fast_mul(&b.0[l]);
			assert_eq!(want.0, Lanes(core::array::from_fn(one_by_one)));
			assert_eq!(want.1, Lanes(core::array::from_fn(|l| a.0[l].fast_mul(&w))));
			let sum = |l: usize| a.0[l].fast_mul(&w).add(&one_by_one(l)).add(&b.0[l]);
			assert_eq!(want.3, Lanes(core::array::from_fn(sum)));
			#[cfg(all(feature = "hardware-accel", target_arch = "x86_64"))]
			if eight::WideCpu::new().is_some() {
				assert_eq!(check::<wide::WideLanes>(a, b, w, eq), want);
			}
		}
	}
}

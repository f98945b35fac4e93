//! Values of the extension field `E = GF(2^128)` as four base-field coordinates.
//!
//! `E` is a degree-4 extension of `B = GF(2^32)` (embedded by ligerito's field homomorphism), and
//! `θ = x`, the polynomial-basis generator of `E` over `GF(2)`, generates it over `B` too, so
//! `{1, θ, θ², θ³}` is a `B`-basis: every `v ∈ E` is `Σ_k θ^k c_k` for exactly one
//! `(c_0, c_1, c_2, c_3) ∈ B^4`. A column of `E` values is committed as its
//! four coordinate columns, and constraints read it as that linear form.

use crate::{Base, BinaryFieldElement, Ext};
use agentic_pcs::field::FastMul;
use alloc::vec::Vec;

/// `θ^0 … θ^3`.
pub fn theta_powers() -> [Ext; 4] {
	let theta = Ext::from_value(2);
	let mut powers = [Ext::one(); 4];
	for k in 1..4 {
		powers[k] = powers[k - 1].fast_mul(&theta);
	}
	powers
}

/// `Σ_k θ^k c_k`.
pub fn from_coords(coords: &[Base; 4]) -> Ext {
	theta_powers().iter().zip(coords).fold(Ext::zero(), |acc, (t, c)| acc.add(&t.fast_mul(&Ext::from(*c))))
}

/// The inverse of [`from_coords`], as a precomputed linear map over `GF(2)` (a 128 × 128 bit
/// matrix: the coordinates' bits as a function of the value's bits).
pub struct Coordinates {
	/// Row `i`: the mask of value bits whose sum is coordinate bit `i` (bit `32k + j` is bit `j`
	/// of `c_k`).
	rows: Vec<u128>,
}

impl Coordinates {
	/// Builds the map (Gaussian elimination over `GF(2)`, once).
	pub fn new() -> Coordinates {
		// Column 32k + j of M is the value of θ^k · φ(x^j): M maps coordinate bits to value bits.
		let theta = theta_powers();
		let mut columns = [0u128; 128];
		for (k, t) in theta.iter().enumerate() {
			for j in 0..32 {
				columns[32 * k + j] = t.fast_mul(&Ext::from(Base::from_value(1 << j))).poly().value();
			}
		}
		// Rows of M augmented with the identity; reduce M to the identity.
		let mut m: Vec<u128> =
			(0..128).map(|r| (0..128).fold(0u128, |acc, c| acc | (((columns[c] >> r) & 1) << c))).collect();
		let mut inverse: Vec<u128> = (0..128).map(|r| 1u128 << r).collect();
		for col in 0..128 {
			let pivot = (col..128).find(|&r| (m[r] >> col) & 1 == 1).expect("{1, θ, θ², θ³} is a basis of E over B");
			m.swap(col, pivot);
			inverse.swap(col, pivot);
			for r in 0..128 {
				if r != col && (m[r] >> col) & 1 == 1 {
					m[r] ^= m[col];
					inverse[r] ^= inverse[col];
				}
			}
		}
		Coordinates { rows: inverse }
	}

	/// The coordinates of `value`.
	pub fn of(&self, value: Ext) -> [Base; 4] {
		let v = value.poly().value();
		let mut coords = [0u32; 4];
		for (i, row) in self.rows.iter().enumerate() {
			if (row & v).count_ones() & 1 == 1 {
				coords[i / 32] |= 1 << (i % 32);
			}
		}
		coords.map(Base::from_value)
	}
}

impl Default for Coordinates {
	fn default() -> Self {
		Coordinates::new()
	}
}

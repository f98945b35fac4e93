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
/// matrix: the coordinates' bits as a function of the value's bits), applied a byte of the
/// value at a time: the coordinates (bit `32k + j` is bit `j` of `c_k`) are the sum of one
/// table entry per byte, the image of that byte's value at its place.
pub struct Coordinates {
	/// `tables[p][v]`: the coordinates' bits of the value whose byte `p` is `v`, the others 0.
	tables: Vec<[u128; 256]>,
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
		// Row i of `inverse` is the mask of value bits whose sum is coordinate bit i; the image
		// of value bit c is column c.
		let image = |c: usize| (0..128).fold(0u128, |acc, i| acc | (((inverse[i] >> c) & 1) << i));
		let tables = (0..16)
			.map(|p| {
				let bits: [u128; 8] = core::array::from_fn(|t| image(8 * p + t));
				let mut table = [0u128; 256];
				for v in 1..256usize {
					// The entry of `v` from the one without its lowest set bit.
					table[v] = table[v & (v - 1)] ^ bits[v.trailing_zeros() as usize];
				}
				table
			})
			.collect();
		Coordinates { tables }
	}

	/// The coordinates of `value`.
	pub fn of(&self, value: Ext) -> [Base; 4] {
		let v = value.poly().value();
		let bits =
			self.tables.iter().enumerate().fold(0u128, |acc, (p, table)| acc ^ table[(v >> (8 * p)) as u8 as usize]);
		core::array::from_fn(|k| Base::from_value((bits >> (32 * k)) as u32))
	}
}

impl Default for Coordinates {
	fn default() -> Self {
		Coordinates::new()
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

	/// The coordinates are the inverse of [`from_coords`] both ways: for random and edge
	/// coordinates (every single bit among them) and for random and edge values.
	#[test]
	fn coordinates_invert_from_coords() {
		let coordinates = Coordinates::new();
		let mut seed = 0x1f2e_3d4c_5b6a_7988;
		let mut coords: Vec<[u32; 4]> =
			(0..128).map(|i| core::array::from_fn(|k| if i / 32 == k { 1 << (i % 32) } else { 0 })).collect();
		coords.extend([[0; 4], [u32::MAX; 4], [1, 0, 0, 0]]);
		coords.extend((0..500).map(|_| core::array::from_fn(|_| xorshift(&mut seed) as u32)));
		for c in coords {
			let c = c.map(Base::from_value);
			assert_eq!(coordinates.of(from_coords(&c)), c, "{c:?}");
		}
		let mut values: Vec<u128> = (0..128).map(|i| 1u128 << i).collect();
		values.extend([0, u128::MAX, 1]);
		values.extend((0..500).map(|_| (xorshift(&mut seed) as u128) << 64 | xorshift(&mut seed) as u128));
		for v in values {
			let v = Ext::from_value(v);
			assert_eq!(from_coords(&coordinates.of(v)), v, "{v:?}");
		}
	}
}

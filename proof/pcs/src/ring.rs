//! Packed bit columns and ring switching (Diamond–Posen, "Polylogarithmic proofs for
//! multilinears over binary towers", 2024): up to [`PACK`] columns of bits committed as one
//! base-field polynomial, and claims on the bit columns' values at a point of `E` reduced to
//! one claim on that polynomial.
//!
//! ## Packing
//!
//! Bit columns `c_0 … c_31` of `2^n` values are committed as `t[i] = Σ_v c_v[i] x^v`, the
//! base-field element whose value has bit `v` set when `c_v[i] = 1` ([`pack`]). Every base-field
//! value is such a sum for exactly one choice of bits, so the committed polynomial *defines* 32
//! boolean columns: a packed column is boolean by construction, whatever the prover commits.
//! (What an opening binds is a polynomial with values in the base field: the leaves are
//! base-field values and the code is linear over it.)
//!
//! ## The reduction
//!
//! A claim says `c_v(r) = s_v` for every `v` (`r ∈ E^n`). The embedding `ι` of the base field in
//! `E` is `GF(2)`-linear, so in the algebra `E ⊗ E` (over `GF(2)`), with `e_v = ι(x^v)` and `γ_u`
//! the monomial basis of `E` (the bits of a value),
//!
//! `Z = Σ_i eq(r, i) ⊗ ι(t[i]) = Σ_v c_v(r) ⊗ e_v = Σ_u γ_u ⊗ ŝ_u`, `ŝ_u = Σ_i bit_u(eq(r, i)) ι(t[i])`.
//!
//! The `γ_u ⊗ e_v` are independent, so the 32 claims `c_v(r) = s_v` say exactly that
//! `ŝ_u = Σ_v bit_u(s_v) e_v` for the 128 `u`, which the verifier computes from the `s_v` by
//! transposing their bits. Those 128 claims are linear in `t` with weights in `GF(2)`; one draw
//! `ρ ∈ E^7` batches them as `Σ_u eq(ρ, u) ŝ_u = Σ_i A(i) ι(t[i])`,
//! `A(i) = Σ_u eq(ρ, u) bit_u(eq(r, i))`: a [`ClaimKind::Packed`] claim on `t`, which the opening
//! proves like any other. A false claim leaves a nonzero multilinear polynomial of 7 variables
//! in `ρ`, which vanishes with probability at most `7 / |E|` per packed claim (`ρ` is shared:
//! a union bound over the claims).
//!
//! The opening's verifier needs `Ã(s) = Σ_i eq(s, i) A(i)` at its own point `s`: with
//! `T = Σ_i eq(s, i) ⊗ eq(r, i) = Π_j (1 ⊗ 1 + s_j ⊗ 1 + 1 ⊗ r_j) = Σ_u T_u ⊗ γ_u`,
//! `Ã(s) = Σ_u eq(ρ, u) T_u` ([`packed_eval`]): per variable 128 products and a `GF(2)`-linear
//! map on 128 values of `E`.

use crate::{field::FastMul, layout::eq_table, Base, BinaryFieldElement, Claim, ClaimKind, Ext, PcsError, Transcript};
use alloc::vec::Vec;

/// Bit columns per packed polynomial: the base field's bits.
pub const PACK: usize = 32;

/// `log2` of the extension field's bits: the batching point `ρ` has this many coordinates.
pub const LOG_EXT_BITS: usize = 7;

/// Claims that the bit columns packed in polynomial `poly` of commitment `commitment` take
/// `values` at `point` (column `v` of the pack the value `values[v]`; the pack's columns past
/// `values.len()` must be zero, which the reduction claims for them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackedClaim {
	/// Index of the commitment in the opening's list.
	pub commitment: u32,
	/// Index of the packed polynomial inside that commitment.
	pub poly: u32,
	/// The point, one coordinate per variable, `x_0` first.
	pub point: Vec<Ext>,
	/// The bit columns' values at the point, at most [`PACK`].
	pub values: Vec<Ext>,
}

/// Packs bit columns of one length: value `i` has bit `v` set when `columns[v][i]` is odd. A
/// column that is not boolean loses its high bits, so its claims will not open (a prover
/// checks its columns before).
#[cfg(feature = "prover")]
pub fn pack(columns: &[&[Base]]) -> Result<Vec<Base>, PcsError> {
	let len = columns.first().map_or(0, |c| c.len());
	if columns.is_empty() || columns.len() > PACK || columns.iter().any(|c| c.len() != len) {
		return Err(PcsError::BadShape("between 1 and PACK bit columns of one length"));
	}
	// A chunk of the packed values at a time, kept in the first-level cache while every bit
	// column's part of it is read (the whole packed column, read and written once per bit
	// column, was a visible part of a proof).
	let mut packed = Vec::with_capacity(len);
	let mut words = [0u32; PACK_CHUNK];
	for start in (0..len).step_by(PACK_CHUNK) {
		let end = (start + PACK_CHUNK).min(len);
		let words = &mut words[..end - start];
		words.fill(0);
		for (v, column) in columns.iter().enumerate() {
			for (word, bit) in words.iter_mut().zip(&column[start..end]) {
				*word |= (bit.poly().value() & 1) << v;
			}
		}
		packed.extend(words.iter().map(|&word| Base::from_value(word)));
	}
	Ok(packed)
}

/// Values [`pack`] packs at a time.
#[cfg(feature = "prover")]
const PACK_CHUNK: usize = 1024;

/// Reduces packed claims to one [`ClaimKind::Packed`] claim each, the same on both sides: the
/// transcript takes every claim (commitment, polynomial, point and values, one message), then
/// draws `ρ`, shared by all of them. Refuses a claim with more than [`PACK`] values.
pub fn ring_switch(transcript: &mut Transcript, claims: &[PackedClaim]) -> Result<Vec<Claim>, PcsError> {
	if claims.iter().any(|c| c.values.len() > PACK) {
		return Err(PcsError::BadClaim("more packed values than PACK"));
	}
	if claims.len() > crate::MAX_CLAIMS {
		return Err(PcsError::BadClaim("more claims than MAX_CLAIMS"));
	}
	transcript.absorb_u64(b"pcs/packed/claims", claims.len() as u64);
	let mut record = Vec::with_capacity(claims.iter().map(|c| 32 + 16 * (c.point.len() + c.values.len())).sum());
	for claim in claims {
		for word in [claim.commitment as u64, claim.poly as u64, claim.point.len() as u64, claim.values.len() as u64] {
			record.extend_from_slice(&word.to_le_bytes());
		}
		for value in claim.point.iter().chain(&claim.values) {
			record.extend_from_slice(&value.poly().value().to_le_bytes());
		}
	}
	transcript.absorb_bytes(b"pcs/packed/records", &record);
	let rho: Vec<Ext> = (0..LOG_EXT_BITS).map(|_| transcript.challenge()).collect();
	let weights = eq_table(&rho);
	Ok(claims
		.iter()
		.map(|claim| {
			let value = transposed(&claim.values)
				.iter()
				.zip(&weights)
				.fold(Ext::zero(), |acc, (s, w)| acc.add(&w.fast_mul(&Ext::from(*s))));
			let mut point = claim.point.clone();
			point.extend_from_slice(&rho);
			Claim { commitment: claim.commitment, poly: claim.poly, kind: ClaimKind::Packed, point, value }
		})
		.collect())
}

/// `ŝ_u` as base-field values: bit `v` of `ŝ_u` is bit `u` of `values[v]`.
fn transposed(values: &[Ext]) -> [Base; 128] {
	let mut words = [0u32; 128];
	for (v, value) in values.iter().enumerate() {
		let bits = value.poly().value();
		for (u, word) in words.iter_mut().enumerate() {
			*word |= (((bits >> u) & 1) as u32) << v;
		}
	}
	words.map(Base::from_value)
}

/// The point of a packed claim split into `r` and `ρ` (a point shorter than `ρ` is all `ρ`:
/// callers check the length, [`ClaimKind::point_len`]).
fn split(point: &[Ext]) -> (&[Ext], &[Ext]) {
	point.split_at(point.len().saturating_sub(LOG_EXT_BITS))
}

/// The weights `A(i) = Σ_u eq(ρ, u) bit_u(eq(r, i))` of a packed claim over its polynomial's
/// `2^n` indices (`point = r ‖ ρ`): sixteen lookups per index in tables of the 256 sums of
/// eight of the `eq(ρ, u)`.
#[cfg(feature = "prover")]
pub(crate) fn packed_table(point: &[Ext]) -> Vec<Ext> {
	let (r, rho) = split(point);
	let weights = eq_table(rho);
	let sums: Vec<[Ext; 256]> = weights
		.chunks_exact(8)
		.map(|eight| {
			let mut table = [Ext::zero(); 256];
			for byte in 1..256usize {
				let low = byte.trailing_zeros() as usize;
				table[byte] = table[byte & (byte - 1)].add(&eight[low]);
			}
			table
		})
		.collect();
	eq_table(r)
		.into_iter()
		.map(|e| {
			let bits = e.poly().value();
			sums.iter()
				.enumerate()
				.fold(Ext::zero(), |acc, (k, table)| acc.add(&table[((bits >> (8 * k)) & 0xff) as usize]))
		})
		.collect()
}

/// `Ã(s)` for a packed claim at `point = r ‖ ρ`: `Σ_u eq(ρ, u) T_u` with
/// `T = Π_j (1 ⊗ 1 + s_j ⊗ 1 + 1 ⊗ r_j)` in `E ⊗ E`, kept as its 128 coordinates
/// `T = Σ_u T_u ⊗ γ_u` over the right factor's bits. `s` must have as many coordinates as `r`
/// (the opening's verifier passes the claimed polynomial's own).
pub fn packed_eval(point: &[Ext], s: &[Ext]) -> Ext {
	let (r, rho) = split(point);
	assert_eq!(r.len(), s.len(), "a packed claim's point has 7 coordinates more than the polynomial's variables");
	let mut t = [Ext::zero(); 128];
	t[0] = Ext::one();
	for (s_j, r_j) in s.iter().zip(r) {
		// T (1 ⊗ r_j) = Σ_u T_u ⊗ x^u r_j: the right factor's polynomial Σ_u T_u X^u times
		// r_j's bits, then reduced by X^128 = X^7 + X^2 + X + 1 (the left factor's values are
		// the coefficients): a shifted copy of T per set bit of r_j, whole slices of XORs.
		let mut product = [0u128; 255];
		let mut bits = r_j.poly().value();
		while bits != 0 {
			let k = bits.trailing_zeros() as usize;
			for (p, t_u) in product[k..k + 128].iter_mut().zip(&t) {
				*p ^= t_u.poly().value();
			}
			bits &= bits - 1;
		}
		// From the top down: X^i = X^(i - 128) (X^7 + X^2 + X + 1), every index it adds to
		// below i.
		for i in (128..255).rev() {
			let high = product[i];
			for d in [7, 2, 1, 0] {
				product[i - 128 + d] ^= high;
			}
		}
		for (t_u, right_u) in t.iter_mut().zip(&product[..128]) {
			*t_u = t_u.add(&t_u.fast_mul(s_j)).add(&Ext::from_value(*right_u));
		}
	}
	eq_table(rho).iter().zip(&t).fold(Ext::zero(), |acc, (w, t_u)| acc.add(&w.fast_mul(t_u)))
}

#[cfg(all(test, feature = "prover"))]
mod tests {
	use super::*;

	fn random(seed: &mut u128) -> Ext {
		*seed = seed.wrapping_mul(0x2545_f491_4f6c_dd1d_6a09_e667_f3bc_c909).wrapping_add(0x9e37_79b9);
		Ext::from_value(*seed ^ (*seed >> 61))
	}

	/// A column's multilinear extension at `r`.
	fn evaluate(column: &[Base], r: &[Ext]) -> Ext {
		eq_table(r).iter().zip(column).fold(Ext::zero(), |acc, (e, b)| acc.add(&e.fast_mul(&Ext::from(*b))))
	}

	#[test]
	fn the_verifiers_weight_is_the_tables_extension() {
		let mut seed = 7u128;
		for n in [1usize, 3, 6] {
			let mut point: Vec<Ext> = (0..n + LOG_EXT_BITS).map(|_| random(&mut seed)).collect();
			let table = packed_table(&point);
			let s: Vec<Ext> = (0..n).map(|_| random(&mut seed)).collect();
			let direct = eq_table(&s).iter().zip(&table).fold(Ext::zero(), |acc, (e, a)| acc.add(&e.fast_mul(a)));
			assert_eq!(packed_eval(&point, &s), direct, "n {n}");
			// At a boolean `s` it is the table's entry.
			let corner: Vec<Ext> = (0..n).map(|j| if j % 2 == 0 { Ext::one() } else { Ext::zero() }).collect();
			let index = (0..n).filter(|j| j % 2 == 0).map(|j| 1 << j).sum::<usize>();
			assert_eq!(packed_eval(&point, &corner), table[index]);
			// Another `ρ` gives other weights.
			point[n] = point[n].add(&Ext::one());
			assert_ne!(packed_eval(&point, &s), direct);
		}
		// Coordinates whose top bits make the right factor's product wrap past x^127 (all ones,
		// the top bit, the bits the reduction folds twice).
		for top in [u128::MAX, 1 << 127, (1 << 127) | (1 << 126) | (1 << 121)] {
			let mut point: Vec<Ext> = (0..3 + LOG_EXT_BITS).map(|_| random(&mut seed)).collect();
			point[0] = Ext::from_value(top);
			point[2] = Ext::from_value(top ^ (1 << 64));
			let table = packed_table(&point);
			let s: Vec<Ext> = (0..3).map(|_| random(&mut seed)).collect();
			let direct = eq_table(&s).iter().zip(&table).fold(Ext::zero(), |acc, (e, a)| acc.add(&e.fast_mul(a)));
			assert_eq!(packed_eval(&point, &s), direct, "top bits {top:#x}");
		}
	}

	/// `ρ` is drawn after every part of every claim: changing any of them moves it.
	#[test]
	fn rho_depends_on_every_part_of_the_claims() {
		let mut seed = 13u128;
		let claim = |seed: &mut u128| PackedClaim {
			commitment: 0,
			poly: 2,
			point: (0..4).map(|_| random(seed)).collect(),
			values: (0..5).map(|_| random(seed)).collect(),
		};
		let claims = vec![claim(&mut seed), claim(&mut seed)];
		let rho = |claims: &[PackedClaim]| {
			let reduced = ring_switch(&mut Transcript::new(b"test"), claims).unwrap();
			reduced[0].point[4..].to_vec()
		};
		let reference = rho(&claims);
		let mut variants: Vec<Vec<PackedClaim>> = Vec::new();
		for c in 0..2 {
			let mut v = claims.clone();
			v[c].commitment = 1;
			variants.push(v);
			let mut v = claims.clone();
			v[c].poly = 3;
			variants.push(v);
			let mut v = claims.clone();
			v[c].point[3] = v[c].point[3].add(&Ext::one());
			variants.push(v);
			let mut v = claims.clone();
			v[c].values[4] = v[c].values[4].add(&Ext::one());
			variants.push(v);
			let mut v = claims.clone();
			v[c].values.push(Ext::zero());
			variants.push(v);
		}
		variants.push(claims[..1].to_vec());
		for (i, variant) in variants.iter().enumerate() {
			assert_ne!(rho(variant), reference, "variant {i}");
		}
	}

	/// Packed value `i` has bit `v` set exactly when bit column `v` is 1 on row `i` (a column
	/// that is not boolean by its low bit), for lengths around the chunk packed at a time.
	#[test]
	fn packing_sets_each_columns_bit() {
		let mut seed = 5u128;
		for (count, len) in [(1usize, 1usize), (32, PACK_CHUNK - 1), (5, PACK_CHUNK), (32, 2 * PACK_CHUNK + 3)] {
			let columns: Vec<Vec<Base>> = (0..count)
				.map(|_| (0..len).map(|_| Base::from_value((random(&mut seed).poly().value() & 3) as u32)).collect())
				.collect();
			let refs: Vec<&[Base]> = columns.iter().map(|c| &c[..]).collect();
			let packed = pack(&refs).unwrap();
			assert_eq!(packed.len(), len);
			for (i, word) in packed.iter().enumerate() {
				let want = (0..count).fold(0u32, |acc, v| acc | (columns[v][i].poly().value() & 1) << v);
				assert_eq!(word.poly().value(), want, "{count} columns of {len}: row {i}");
			}
		}
	}

	#[test]
	fn the_packed_claim_is_the_packed_columns_weighted_sum() {
		let mut seed = 11u128;
		let n = 5;
		for count in [1usize, 7, 32] {
			let columns: Vec<Vec<Base>> = (0..count)
				.map(|_| (0..1 << n).map(|_| Base::from_value((random(&mut seed).poly().value() & 1) as u32)).collect())
				.collect();
			let refs: Vec<&[Base]> = columns.iter().map(|c| &c[..]).collect();
			let packed = pack(&refs).unwrap();
			let r: Vec<Ext> = (0..n).map(|_| random(&mut seed)).collect();
			let values: Vec<Ext> = columns.iter().map(|c| evaluate(c, &r)).collect();
			let claim = PackedClaim { commitment: 0, poly: 0, point: r.clone(), values: values.clone() };
			let mut transcript = Transcript::new(b"test");
			let reduced = ring_switch(&mut transcript, core::slice::from_ref(&claim)).unwrap();
			let weights = packed_table(&reduced[0].point);
			let sum = weights.iter().zip(&packed).fold(Ext::zero(), |acc, (a, t)| acc.add(&a.fast_mul(&Ext::from(*t))));
			assert_eq!(reduced[0].value, sum, "{count} columns");
			assert_eq!(reduced[0].kind, ClaimKind::Packed);
			// Any one value changed, or two changed so that `Σ ι(x^v) s_v` is kept (what a
			// single `E` equation could not see), gives another claim.
			let mut tampered = claim.clone();
			tampered.values[count - 1] = tampered.values[count - 1].add(&Ext::one());
			let mut transcript = Transcript::new(b"test");
			let other = ring_switch(&mut transcript, &[tampered]).unwrap();
			assert_ne!(other[0].value, sum);
			if count > 1 {
				let delta = random(&mut seed);
				let (e0, e1) = (Ext::from(Base::from_value(1)), Ext::from(Base::from_value(2)));
				let mut tampered = claim.clone();
				tampered.values[0] = tampered.values[0].add(&delta.fast_mul(&e1));
				tampered.values[1] = tampered.values[1].add(&delta.fast_mul(&e0));
				let packed_sum = |vals: &[Ext]| {
					vals.iter()
						.enumerate()
						.fold(Ext::zero(), |acc, (v, s)| acc.add(&s.fast_mul(&Ext::from(Base::from_value(1 << v)))))
				};
				assert_eq!(packed_sum(&tampered.values), packed_sum(&values));
				let mut transcript = Transcript::new(b"test");
				let other = ring_switch(&mut transcript, &[tampered]).unwrap();
				assert_ne!(other[0].value, sum, "{count} columns: a compensated change");
			}
			// A column that is not boolean is packed by its low bit only.
			let mut two = columns.clone();
			two[0][3] = Base::from_value(2);
			let refs: Vec<&[Base]> = two.iter().map(|c| &c[..]).collect();
			assert_eq!(pack(&refs).unwrap()[3].poly().value() & 1, 0);
		}
		let too_many = PackedClaim { commitment: 0, poly: 0, point: vec![Ext::one()], values: vec![Ext::zero(); 33] };
		assert!(ring_switch(&mut Transcript::new(b"test"), &[too_many]).is_err());
		assert!(pack(&[]).is_err());
	}
}

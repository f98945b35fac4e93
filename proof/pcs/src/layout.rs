//! The matrix a commitment lays its polynomials out in.

use crate::{field::mul, Ext, Params, PcsError, LOG_INV_RATE, MAX_LOG_POLYS, MAX_NUM_VARS};
use alloc::vec::Vec;
use ligerito_binary_fields::BinaryFieldElement;

/// At most `2^28` leaves: indices fit a 32-bit `usize` (the runtime is wasm32) and the
/// per-round proximity error `4m / 2^128` stays below `2^-100` (see `docs/proof-system.md`).
const MAX_LOG_LEAVES: u32 = 28;
/// Leaves of at most `2^20` values (4 MiB): `1 << w` fits a 32-bit `usize`.
pub const MAX_LOG_LEAF_WIDTH: u8 = 20;
/// At most this many queries (the protocol uses 241).
pub const MAX_NUM_QUERIES: u16 = 1024;

/// The shape of a commitment under given parameters, checked.
///
/// `2^log_polys` polynomials of `num_vars` variables are interleaved into one polynomial `F` of
/// `total_vars = num_vars + log_polys` variables: `F[(i << w) | (j << k) | c] = f_j[(i << k) | c]`
/// with `k = col_vars`, `w = log_leaf_width = k + log_polys`. The matrix has `2^w` columns and
/// `2^log_rows` rows, `log_rows = total_vars - w`, and its columns are encoded to `2^log_leaves`
/// values (`log_leaves = log_rows + 2`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
	/// Variables of each polynomial (`n`).
	pub num_vars: u32,
	/// The commitment holds `2^log_polys` polynomials (`p`).
	pub log_polys: u32,
	/// Low variables of each polynomial that index columns (`k`).
	pub col_vars: u32,
	/// Columns of the matrix, as a power of two (`w = k + p`).
	pub log_leaf_width: u32,
	/// Rows of the message matrix, as a power of two.
	pub log_rows: u32,
	/// Leaves of the Merkle tree (rows of the encoded matrix), as a power of two.
	pub log_leaves: u32,
}

impl Layout {
	/// The layout of `2^log_polys` polynomials of `num_vars` variables under `params`.
	pub fn new(params: &Params, num_vars: u8, log_polys: u8) -> Result<Layout, PcsError> {
		if num_vars > MAX_NUM_VARS {
			return Err(PcsError::BadShape("more variables than MAX_NUM_VARS"));
		}
		if log_polys > MAX_LOG_POLYS {
			return Err(PcsError::BadShape("more polynomials than 2^MAX_LOG_POLYS"));
		}
		if params.num_queries == 0 || params.num_queries > MAX_NUM_QUERIES {
			return Err(PcsError::BadShape("the number of queries is 0 or above MAX_NUM_QUERIES"));
		}
		if params.log_leaf_width > MAX_LOG_LEAF_WIDTH {
			return Err(PcsError::BadShape("leaves wider than 2^MAX_LOG_LEAF_WIDTH"));
		}
		let (n, p, w) = (num_vars as u32, log_polys as u32, params.log_leaf_width as u32);
		if w < p {
			return Err(PcsError::BadShape("the leaf is narrower than the number of interleaved polynomials"));
		}
		let k = w - p;
		if k > n {
			return Err(PcsError::BadShape("the leaf is wider than the interleaved polynomials"));
		}
		let log_rows = n - k;
		if log_rows + LOG_INV_RATE > MAX_LOG_LEAVES {
			return Err(PcsError::BadShape("more than 2^28 leaves: widen the leaf"));
		}
		Ok(Layout {
			num_vars: n,
			log_polys: p,
			col_vars: k,
			log_leaf_width: w,
			log_rows,
			log_leaves: log_rows + LOG_INV_RATE,
		})
	}

	/// Variables of the interleaved polynomial `F`.
	pub fn total_vars(&self) -> u32 {
		self.num_vars + self.log_polys
	}

	/// Rows of the message matrix.
	pub fn rows(&self) -> usize {
		1 << self.log_rows
	}

	/// Leaves of the tree.
	pub fn leaves(&self) -> usize {
		1 << self.log_leaves
	}

	/// Values in one leaf.
	pub fn leaf_width(&self) -> usize {
		1 << self.log_leaf_width
	}

	/// Splits a point of the interleaved polynomial `F` into the polynomial's own coordinates
	/// (`σ[0..k) ‖ σ[k+p..N)`) and the polynomial-index coordinates (`σ[k..k+p)`).
	pub fn split_point(&self, point: &[Ext]) -> (Vec<Ext>, Vec<Ext>) {
		let (k, p) = (self.col_vars as usize, self.log_polys as usize);
		let mut own = Vec::with_capacity(self.num_vars as usize);
		own.extend_from_slice(&point[..k]);
		own.extend_from_slice(&point[k + p..]);
		(own, point[k..k + p].to_vec())
	}

	/// The index in `F` of value `index` of polynomial `poly`.
	pub fn interleaved_index(&self, poly: u32, index: usize) -> usize {
		let (k, p) = (self.col_vars, self.log_polys);
		((index >> k) << (k + p)) | ((poly as usize) << k) | (index & ((1 << k) - 1))
	}
}

/// `S(x, y)`: the multilinear extension of the successor relation `y = x + 1` on integers of
/// `x.len()` bits, lowest bit first, without wrap-around (see `docs/proof-system.md`):
/// `Σ_k [Π_{j<k} x_j (1 + y_j)] · (1 + x_k) y_k · [Π_{j>k} eq(x_j, y_j)]`, in `O(n)`.
pub fn successor(x: &[Ext], y: &[Ext]) -> Ext {
	let one = Ext::one();
	let n = x.len();
	// suffix[k] = Π_{j>=k} eq(x_j, y_j)
	let mut suffix = alloc::vec![one; n + 1];
	for j in (0..n).rev() {
		suffix[j] = mul(&suffix[j + 1], &eq1(&x[j], &y[j]));
	}
	let mut prefix = one;
	let mut total = Ext::zero();
	for k in 0..n {
		let term = mul(&mul(&prefix, &one.add(&x[k])), &mul(&y[k], &suffix[k + 1]));
		total = total.add(&term);
		prefix = mul(&prefix, &mul(&x[k], &one.add(&y[k])));
	}
	total
}

/// `eq(a, b) = Π_i eq(a_i, b_i)`, the multilinear equality polynomial.
pub fn eq_eval(a: &[Ext], b: &[Ext]) -> Ext {
	a.iter().zip(b).fold(Ext::one(), |acc, (x, y)| mul(&acc, &eq1(x, y)))
}

/// `eq(a, b) = ab + (1 + a)(1 + b)`, which in characteristic 2 is `1 + a + b`.
fn eq1(a: &Ext, b: &Ext) -> Ext {
	Ext::one().add(a).add(b)
}

/// `eq(point, c)` for every `c < 2^point.len()`, `point[0]` on the lowest bit of `c`: the same
/// table as ligerito's `eq_table_lsb` (tested), with [`mul`].
pub fn eq_table(point: &[Ext]) -> Vec<Ext> {
	let mut table = alloc::vec![Ext::zero(); 1 << point.len()];
	table[0] = Ext::one();
	for (j, r) in point.iter().enumerate() {
		let (low, high) = table.split_at_mut(1 << j);
		for (e, h) in low.iter_mut().zip(high) {
			// e·r, and e·(1 + r) = e + e·r: one multiplication for the pair.
			*h = mul(e, r);
			*e = e.add(h);
		}
	}
	table
}

/// The multilinear extension of `values` at `point` (index bit `j` against `point[j]`):
/// `Σ_i eq(point, i) values[i]`, by folding one variable at a time (`values.len() - 1`
/// multiplications, half of building the eq table and summing against it). The caller checks
/// that there are `2^point.len()` values.
pub(crate) fn evaluate(values: &[Ext], point: &[Ext]) -> Ext {
	debug_assert_eq!(values.len(), 1 << point.len(), "2^point.len() values");
	// eq(r, 0) low + eq(r, 1) high = low + r (low + high).
	let fold = |low: Ext, high: Ext, r: &Ext| low.add(&mul(r, &low.add(&high)));
	let Some((first, rest)) = point.split_first() else {
		return values.first().copied().unwrap_or(Ext::zero());
	};
	let mut folded: Vec<Ext> = values.chunks_exact(2).map(|pair| fold(pair[0], pair[1], first)).collect();
	for r in rest {
		let half = folded.len() / 2;
		for i in 0..half {
			folded[i] = fold(folded[2 * i], folded[2 * i + 1], r);
		}
		folded.truncate(half);
	}
	folded.first().copied().unwrap_or(Ext::zero())
}

#[cfg(test)]
mod tests {
	use super::*;

	fn points(n: usize, salt: u128) -> Vec<Ext> {
		(0..n)
			.map(|i| Ext::from_value(0x2545_f491_4f6c_dd1d_9e37_79b9_7f4a_7c15_u128.wrapping_mul(i as u128 + salt)))
			.collect()
	}

	#[test]
	fn folding_is_summing_against_the_eq_table() {
		for n in 0..=9usize {
			let point = points(n, 3);
			let values = points(1 << n, 11);
			let want = eq_table(&point).iter().zip(&values).fold(Ext::zero(), |acc, (e, v)| acc.add(&mul(e, v)));
			assert_eq!(evaluate(&values, &point), want, "{n} variables");
		}
	}

	#[test]
	fn the_eq_table_is_ligeritos() {
		for n in 0..=8 {
			assert_eq!(eq_table(&points(n, 3)), ligerito::utils::eq_table_lsb(&points(n, 3)), "{n} variables");
		}
	}

	#[test]
	fn eq_is_the_product_of_its_defining_factors() {
		for n in 0..=6 {
			let (a, b) = (points(n, 1), points(n, 1000));
			let want = a.iter().zip(&b).fold(Ext::one(), |acc, (x, y)| {
				let one = Ext::one();
				acc.mul(&x.mul(y).add(&one.add(x).mul(&one.add(y))))
			});
			assert_eq!(eq_eval(&a, &b), want);
			// At a boolean point it selects the table's entry.
			let table = eq_table(&a);
			for c in 0..1usize << n {
				let bits: Vec<Ext> = (0..n).map(|k| if c >> k & 1 == 1 { Ext::one() } else { Ext::zero() }).collect();
				assert_eq!(eq_eval(&a, &bits), table[c]);
			}
		}
	}
}

//! The matrix a commitment lays its polynomials out in.

use crate::{field::mul, Ext, Params, PcsError, LOG_INV_RATE, MAX_NUM_VARS};
use alloc::vec::Vec;
use ligerito_binary_fields::BinaryFieldElement;

/// At most `2^28` leaves: indices fit a 32-bit `usize` (the runtime is wasm32) and the
/// per-round proximity error `4m / 2^128` stays below `2^-100` (see `docs/proof-system.md`).
const MAX_LOG_LEAVES: u32 = 28;
/// Leaves of at most `2^20` values (4 MiB): `1 << w` fits a 32-bit `usize`.
pub const MAX_LOG_LEAF_WIDTH: u8 = 20;
/// At most this many queries (the protocol uses 241).
pub const MAX_NUM_QUERIES: u16 = 1024;
/// At most this many polynomials in one commitment.
pub const MAX_POLYS: usize = 1 << 16;

/// The shape of a commitment under given parameters, checked.
///
/// The committed polynomials, of `2^(n_j)` values each, are *stacked* into one polynomial `F`:
/// placed one after another, largest first (equal sizes in the commitment's order), so that
/// polynomial `j` occupies `F[o_j .. o_j + 2^(n_j))` with `o_j` a multiple of `2^(n_j)`. `F`
/// has `N = ⌈log2 Σ_j 2^(n_j)⌉` variables (zero beyond the polynomials) and is laid out as a
/// matrix of `2^w` columns (`w = log_leaf_width`) and `2^log_rows` rows, `log_rows = N - w`:
/// entry `(i, c)` is `F[i · 2^w + c]`. Its columns are encoded to `2^log_leaves` values
/// (`log_leaves = log_rows + 2`). Only the first [`Layout::used_rows`] rows can hold a nonzero
/// value.
///
/// In `F`'s variables, polynomial `j` is `f_j(x_0 .. x_{n_j - 1})` times the selector
/// `eq(o_j / 2^(n_j), (x_{n_j} .. x_{N-1}))`: a claim on it is a claim on `F` with the high
/// coordinates fixed to the bits of its position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
	/// Variables of each polynomial, in the commitment's order.
	pub num_vars: Vec<u32>,
	/// Where each polynomial starts in `F`.
	pub offsets: Vec<u64>,
	/// `Σ_j 2^(n_j)`: the values the polynomials take up.
	pub used: u64,
	/// `N`: variables of the stacked polynomial `F`.
	pub total_vars: u32,
	/// Columns of the matrix, as a power of two (`w`).
	pub log_leaf_width: u32,
	/// Rows of the message matrix, as a power of two.
	pub log_rows: u32,
	/// Leaves of the Merkle tree (rows of the encoded matrix), as a power of two.
	pub log_leaves: u32,
}

impl Layout {
	/// The layout of polynomials of `num_vars[j]` variables under `params`.
	pub fn new(params: &Params, num_vars: &[u8]) -> Result<Layout, PcsError> {
		if num_vars.is_empty() {
			return Err(PcsError::BadShape("no polynomials"));
		}
		if num_vars.len() > MAX_POLYS {
			return Err(PcsError::BadShape("more polynomials than MAX_POLYS"));
		}
		if num_vars.iter().any(|&n| n > MAX_NUM_VARS) {
			return Err(PcsError::BadShape("more variables than MAX_NUM_VARS"));
		}
		if params.num_queries == 0 || params.num_queries > MAX_NUM_QUERIES {
			return Err(PcsError::BadShape("the number of queries is 0 or above MAX_NUM_QUERIES"));
		}
		if params.grinding_bits > crate::MAX_GRINDING_BITS {
			return Err(PcsError::BadShape("more grinding bits than MAX_GRINDING_BITS"));
		}
		if params.log_leaf_width > MAX_LOG_LEAF_WIDTH {
			return Err(PcsError::BadShape("leaves wider than 2^MAX_LOG_LEAF_WIDTH"));
		}
		// At most 2^16 polynomials of at most 2^30 values: no overflow.
		let used: u64 = num_vars.iter().map(|&n| 1u64 << n).sum();
		let total_vars = used.next_power_of_two().trailing_zeros();
		let w = params.log_leaf_width as u32;
		if w > total_vars {
			return Err(PcsError::BadShape("the leaf is wider than the stacked polynomials"));
		}
		let log_rows = total_vars - w;
		if log_rows + LOG_INV_RATE > MAX_LOG_LEAVES {
			return Err(PcsError::BadShape("more than 2^28 leaves: widen the leaf"));
		}
		// Largest first, a stable order: every offset is a sum of sizes at least the
		// polynomial's own, so a multiple of it.
		let mut order: Vec<usize> = (0..num_vars.len()).collect();
		order.sort_by_key(|&j| core::cmp::Reverse(num_vars[j]));
		let mut offsets = alloc::vec![0u64; num_vars.len()];
		let mut next = 0u64;
		for j in order {
			offsets[j] = next;
			next += 1u64 << num_vars[j];
		}
		Ok(Layout {
			num_vars: num_vars.iter().map(|&n| n as u32).collect(),
			offsets,
			used,
			total_vars,
			log_leaf_width: w,
			log_rows,
			log_leaves: log_rows + LOG_INV_RATE,
		})
	}

	/// Rows of the message matrix.
	pub fn rows(&self) -> usize {
		1 << self.log_rows
	}

	/// The rows that hold the polynomials: the others are zero, and an opening does not send
	/// its combined row's entries there.
	pub fn used_rows(&self) -> usize {
		self.used.div_ceil(1u64 << self.log_leaf_width) as usize
	}

	/// Leaves of the tree.
	pub fn leaves(&self) -> usize {
		1 << self.log_leaves
	}

	/// Values in one leaf.
	pub fn leaf_width(&self) -> usize {
		1 << self.log_leaf_width
	}

	/// The index in `F` of value `index` of polynomial `poly` (for the prover: `F` fits its
	/// memory, so the index fits a `usize`).
	#[cfg(feature = "prover")]
	pub(crate) fn stacked_index(&self, poly: u32, index: usize) -> usize {
		self.offsets[poly as usize] as usize + index
	}

	/// The selector of polynomial `poly` at a point of `F`: `eq` of its position's bits with the
	/// point's coordinates above the polynomial's own (one at a time: the tests' reference for
	/// [`Layout::selectors`]).
	#[cfg(test)]
	fn selector(&self, poly: u32, point: &[Ext]) -> Ext {
		let n = self.num_vars[poly as usize];
		eq_bits(self.offsets[poly as usize] >> n, &point[n as usize..])
	}

	/// Every polynomial's selector at `point`, in the commitment's order.
	/// Polynomials of one size sit at consecutive positions, so their selectors share the factor
	/// of the position's high bits: per size, one table of `eq` over the lowest
	/// [`SELECTOR_LOW_BITS`] position bits, and one product over the others per run of
	/// positions sharing them.
	pub(crate) fn selectors(&self, point: &[Ext]) -> Vec<Ext> {
		let mut selectors = alloc::vec![Ext::zero(); self.num_vars.len()];
		// (size, low table, high bits, their factor) of the last polynomial's group.
		let mut cache: Option<(u32, Vec<Ext>, u64, Ext)> = None;
		for (j, (&n, &offset)) in self.num_vars.iter().zip(&self.offsets).enumerate() {
			let above = &point[n as usize..];
			let low = (above.len() as u32).min(SELECTOR_LOW_BITS);
			let position = offset >> n;
			let high = position >> low;
			let fresh = match &cache {
				Some((size, _, _, _)) => *size != n,
				None => true,
			};
			if fresh {
				let table = eq_table(&above[..low as usize]);
				cache = Some((n, table, u64::MAX, Ext::zero()));
			}
			let Some((_, table, cached_high, factor)) = cache.as_mut() else { continue };
			if *cached_high != high {
				*cached_high = high;
				*factor = eq_bits(high, &above[low as usize..]);
			}
			selectors[j] = mul(&table[(position & ((1 << low) - 1)) as usize], factor);
		}
		selectors
	}
}

/// Position bits whose `eq` factors [`Layout::selectors`] takes from a table.
const SELECTOR_LOW_BITS: u32 = 8;

/// `eq(bits(value), point)`, bit `j` of `value` against `point[j]`.
fn eq_bits(value: u64, point: &[Ext]) -> Ext {
	point.iter().enumerate().fold(Ext::one(), |acc, (j, x)| {
		let factor = if (value >> j) & 1 == 1 { *x } else { Ext::one().add(x) };
		mul(&acc, &factor)
	})
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

/// The weights of a [`crate::ClaimKind::Tensor`] claim at `point` (one coordinate per
/// variable): `Π_t (u_t + (u_t + v_t) · point_t)`, the multilinear extension of
/// `i ↦ Π_t (bit t of i ? v_t : u_t)` for the pairs `(u_t, v_t)` in `pairs`. The caller checks
/// that `pairs` has two coordinates per variable of `point`.
pub fn tensor_eval(pairs: &[Ext], point: &[Ext]) -> Ext {
	pairs.chunks_exact(2).zip(point).fold(Ext::one(), |acc, (uv, s)| {
		let factor = uv[0].add(&mul(&uv[0].add(&uv[1]), s));
		mul(&acc, &factor)
	})
}

/// Every weight of a [`crate::ClaimKind::Tensor`] claim: entry `i` is
/// `Π_t (bit t of i ? v_t : u_t)`, `pairs = (u_0, v_0, u_1, v_1, …)`.
#[cfg(feature = "prover")]
pub(crate) fn tensor_table(pairs: &[Ext]) -> Vec<Ext> {
	let n = pairs.len() / 2;
	let mut table = alloc::vec![Ext::zero(); 1 << n];
	table[0] = Ext::one();
	for (j, uv) in pairs.chunks_exact(2).enumerate() {
		let (low, high) = table.split_at_mut(1 << j);
		for (e, h) in low.iter_mut().zip(high) {
			*h = mul(e, &uv[1]);
			*e = mul(e, &uv[0]);
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
	fn every_selector_is_the_eq_of_its_position() {
		// Sizes in no order, many of one size (more than one table of low bits), one of 0.
		let mut num_vars = vec![3u8; 600];
		num_vars.extend([9, 0, 5, 9, 1]);
		num_vars.extend(vec![2u8; 300]);
		let used: u64 = num_vars.iter().map(|&n| 1u64 << n).sum();
		let params = Params { log_leaf_width: 2, num_queries: 1, grinding_bits: 0 };
		let layout = Layout::new(&params, &num_vars).unwrap();
		assert_eq!(layout.total_vars, used.next_power_of_two().trailing_zeros());
		let point = points(layout.total_vars as usize, 7);
		let all = layout.selectors(&point);
		for (j, selector) in all.iter().enumerate() {
			let n = num_vars[j] as usize;
			let position = layout.offsets[j] >> n;
			let bits: Vec<Ext> =
				(0..point.len() - n).map(|k| if (position >> k) & 1 == 1 { Ext::one() } else { Ext::zero() }).collect();
			assert_eq!(*selector, eq_eval(&bits, &point[n..]), "polynomial {j}");
			assert_eq!(*selector, layout.selector(j as u32, &point), "polynomial {j}");
		}
		// Largest first, each at a multiple of its size, none overlapping.
		let mut spans: Vec<(u64, u64)> =
			layout.offsets.iter().zip(&num_vars).map(|(&o, &n)| (o, o + (1u64 << n))).collect();
		assert!(layout.offsets.iter().zip(&num_vars).all(|(&o, &n)| o % (1u64 << n) == 0));
		spans.sort();
		assert!(spans.windows(2).all(|w| w[0].1 == w[1].0) && spans[0].0 == 0);
		assert_eq!(spans.last().map(|s| s.1), Some(used));
	}

	/// A tensor claim's weights are their definition, `Eq`'s pairs give the eq table, and the
	/// evaluation at a boolean point selects the table's entry.
	#[cfg(feature = "prover")]
	#[test]
	fn tensor_weights_are_products_of_their_factors() {
		for n in 0..=6usize {
			let pairs = points(2 * n, 7);
			let table = tensor_table(&pairs);
			for (i, weight) in table.iter().enumerate() {
				let want = (0..n).fold(Ext::one(), |acc, t| acc.mul(&pairs[2 * t + (i >> t & 1)]));
				assert_eq!(*weight, want, "{n} variables, entry {i}");
				let bits: Vec<Ext> = (0..n).map(|k| if i >> k & 1 == 1 { Ext::one() } else { Ext::zero() }).collect();
				assert_eq!(tensor_eval(&pairs, &bits), want, "{n} variables, boolean point {i}");
			}
			let r = points(n, 99);
			let as_pairs: Vec<Ext> = r.iter().flat_map(|x| [Ext::one().add(x), *x]).collect();
			assert_eq!(tensor_table(&as_pairs), eq_table(&r), "eq as a tensor, {n} variables");
			let s = points(n, 1234);
			assert_eq!(tensor_eval(&as_pairs, &s), eq_eval(&r, &s), "eq as a tensor at a point, {n} variables");
			// Its extension is multilinear: the table folded at s.
			assert_eq!(tensor_eval(&pairs, &s), evaluate(&table, &s), "{n} variables");
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

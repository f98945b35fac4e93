//! What the chips share: a chip answers requests `(op, a, b)` with `c = op(a, b)`, one per row,
//! receiving `(op, a_lo, a_hi, b_lo, b_hi, c_lo, c_hi)` on its bus, with the operation chosen
//! by one-hot flags and 64-bit values sent as two 32-bit words, each packed from its bits as
//! `Σ bit_i x^i` (an injective map onto GF(2^32)).

use agentic_air::{AirBuilder, Base, BinaryFieldElement};
use alloc::{vec, vec::Vec};

/// `Σ_i bits[i] · x^i` over up to 32 bits: a word as the bus carries it.
pub(crate) fn pack<AB: AirBuilder>(b: &AB, bits: impl Iterator<Item = AB::Expr>) -> AB::Expr {
	bits.enumerate().fold(b.constant(Base::zero()), |acc, (i, bit)| acc + b.constant(Base::from_value(1 << i)) * bit)
}

/// The word of the 32 columns from `first`, packed.
pub(crate) fn word<AB: AirBuilder>(b: &AB, first: usize) -> AB::Expr {
	pack(b, (0..32).map(|i| b.cur(first + i)))
}

/// Requires the `count` flags from `first` to be one-hot: booleans, pairwise exclusive and
/// summing to 1 (an odd number of ones also sums to 1 in characteristic 2).
pub(crate) fn assert_one_hot<AB: AirBuilder>(b: &mut AB, first: usize, count: usize) {
	for i in 0..count {
		b.assert_bit_column(first + i);
	}
	for i in 0..count {
		for j in i + 1..count {
			b.assert_zero(b.cur(first + i) * b.cur(first + j));
		}
	}
	let sum = (1..count).fold(b.cur(first), |acc, i| acc + b.cur(first + i));
	b.assert_eq(sum, b.one());
}

/// Declares the `count` operation flags from `first` bit columns. They are one-hot on every row
/// that receives a request: the request's operation field is [`op_tag`] of them, and a sender
/// only ever puts `x^i` there (an operation's id), which bits map to injectively, so exactly
/// flag `i` is set. (A chip's padding rows receive nothing and hold the default operation.)
pub(crate) fn assert_flag_bits<AB: AirBuilder>(b: &mut AB, first: usize, count: usize) {
	debug_assert!(count <= 32, "a base-field value has 32 bits");
	for i in 0..count {
		b.assert_bit_column(first + i);
	}
}

/// The operation's id from its flags: `Σ_i x^i · flag_i` (the value whose bit `i` is `flag_i`).
pub(crate) fn op_tag<AB: AirBuilder>(b: &AB, first: usize, count: usize) -> AB::Expr {
	(0..count).fold(b.constant(Base::zero()), |acc, i| acc + b.constant(Base::from_value(1 << i)) * b.cur(first + i))
}

/// The bus tuple of a request with its result (without the bus tag).
pub(crate) fn tuple(op: u32, a: u64, b: u64, c: u64) -> Vec<Base> {
	let word = |v: u64| Base::from_value(v as u32);
	vec![Base::from_value(op), word(a), word(a >> 32), word(b), word(b >> 32), word(c), word(c >> 32)]
}

/// A chip's columns for `ops` on `2^num_vars` rows, `padding` on the rows from `R` on (a
/// request that satisfies every constraint; those rows receive nothing).
pub(crate) fn trace<Op: Copy + Sync>(
	ops: &[(Op, u64, u64)],
	num_vars: u32,
	width: usize,
	padding: (Op, u64, u64),
	row_values: impl Fn(Op, u64, u64) -> Vec<Base> + Sync,
) -> Vec<Vec<Base>> {
	let rows = 1usize << num_vars;
	assert!(ops.len() < rows, "{} operations need more than 2^{num_vars} rows", ops.len());
	let (op, a, b) = padding;
	let padding_row = row_values(op, a, b);
	assert_eq!(padding_row.len(), width, "a chip row has its chip's width");
	columns_of_rows(ops, rows, padding_row, |&(op, a, b)| row_values(op, a, b))
}

/// Rows per task of [`columns_of_rows`].
#[cfg(not(test))]
const CHUNK_ROWS: usize = 1 << 11;
/// In the unit tests, small enough for their tables to have several chunks.
#[cfg(test)]
const CHUNK_ROWS: usize = 4;

/// The columns of a table of `rows` rows whose first rows are `items`' (`row_values` of each,
/// as long as `padding_row`) and the others `padding_row`: the padding row's values are
/// computed once, and with feature `parallel` the rows are written in chunks on every core
/// (the columns zeroed by the allocator, so that their pages are mapped there too, and a
/// padding value of 0 is not written at all).
pub(crate) fn columns_of_rows<T: Sync>(
	items: &[T],
	rows: usize,
	padding_row: Vec<Base>,
	row_values: impl Fn(&T) -> Vec<Base> + Sync,
) -> Vec<Vec<Base>> {
	assert!(items.len() <= rows, "more items than rows");
	let width = padding_row.len();
	let mut columns: Vec<Vec<Base>> = (0..width).map(|_| zeroed_column(rows)).collect();
	// Per chunk of rows, every column's part of it.
	let mut chunks: Vec<Vec<&mut [Base]>> = Vec::new();
	for column in columns.iter_mut() {
		for (k, part) in column.chunks_mut(CHUNK_ROWS).enumerate() {
			if k == chunks.len() {
				chunks.push(Vec::with_capacity(width));
			}
			chunks[k].push(part);
		}
	}
	let fill = |(k, mut parts): (usize, Vec<&mut [Base]>)| {
		let items = items.get(k * CHUNK_ROWS..).unwrap_or_default();
		let (first, here) = (items.len().min(CHUNK_ROWS), parts.first().map_or(0, |part| part.len()));
		for (r, item) in items[..first].iter().enumerate() {
			let values = row_values(item);
			assert_eq!(values.len(), width, "every row as long as the padding row");
			for (part, value) in parts.iter_mut().zip(values) {
				part[r] = value;
			}
		}
		for (part, &value) in parts.iter_mut().zip(&padding_row) {
			if value != Base::zero() {
				part[first..here].fill(value);
			}
		}
	};
	#[cfg(feature = "parallel")]
	{
		use rayon::prelude::*;
		chunks.into_par_iter().enumerate().for_each(fill);
	}
	#[cfg(not(feature = "parallel"))]
	chunks.into_iter().enumerate().for_each(fill);
	columns
}

/// `rows` zeros: with feature `prover`, zeroed by the allocator
/// (`agentic_zerocheck::prover::zeroed_values`: no page mapped before it is written).
fn zeroed_column(rows: usize) -> Vec<Base> {
	#[cfg(feature = "prover")]
	return agentic_zerocheck::prover::zeroed_values(rows);
	#[cfg(not(feature = "prover"))]
	vec![Base::zero(); rows]
}

#[cfg(test)]
mod tests {
	use super::*;

	/// The columns are the rows' values, row by row, and the padding row's below them (a 0
	/// among its values, which is not written), for no item, one, and counts around the chunk
	/// of rows, in tables with chunks of padding alone or not (with and without feature
	/// `parallel`, whichever the test build has).
	#[test]
	fn columns_hold_each_rows_values_in_every_chunk() {
		let row_values = |&i: &u32| (0..3).map(|c| Base::from_value(i * 10 + c)).collect::<Vec<_>>();
		let padding = vec![Base::from_value(7), Base::zero(), Base::from_value(9)];
		let counts = [0usize, 1, CHUNK_ROWS - 1, CHUNK_ROWS, CHUNK_ROWS + 1, 2 * CHUNK_ROWS + 3];
		for (count, spare) in counts.into_iter().flat_map(|count| [(count, 1), (count, 4 * CHUNK_ROWS)]) {
			let items: Vec<u32> = (1..=count as u32).collect();
			let rows = (count + spare).next_power_of_two();
			let columns = columns_of_rows(&items, rows, padding.clone(), row_values);
			assert_eq!(columns.len(), 3);
			for (c, column) in columns.iter().enumerate() {
				assert_eq!(column.len(), rows);
				for (r, value) in column.iter().enumerate() {
					let want = items.get(r).map_or(padding[c], |item| row_values(item)[c]);
					assert_eq!(*value, want, "{count} items: row {r}, column {c}");
				}
			}
		}
	}
}

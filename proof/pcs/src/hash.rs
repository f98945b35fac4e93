//! SHA-256 for the verifier: the transcript's steps and the hashes of opened rows, the bulk of
//! its hashing.
//!
//! With the feature `host-hashing` it is Substrate's standard `sha2_256` host function, which a
//! runtime runs natively instead of in its Wasm; otherwise the same function in Rust.

use crate::Base;

/// SHA-256 of `data`.
pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
	#[cfg(feature = "host-hashing")]
	{
		sp_io::hashing::sha2_256(data)
	}
	#[cfg(not(feature = "host-hashing"))]
	{
		sp_crypto_hashing::sha2_256(data)
	}
}

/// The leaf hash of `row`, as ligerito's commitment hashes it (its `hash_row`, tested): SHA-256
/// of the row's length (`u32`, little endian) followed by its values (`u32` each, little endian).
pub(crate) fn row_hash(row: &[Base]) -> [u8; 32] {
	sha256(&hashed_bytes(Some(row.len()), row))
}

/// What the leaf hash hashes of a row, or of a strip of its values: the row's length first if
/// given (`Some(width)`: the strip starts the row), then the values.
fn hashed_bytes(length: Option<usize>, values: &[Base]) -> alloc::vec::Vec<u8> {
	use ligerito_binary_fields::BinaryFieldElement;
	let mut bytes = alloc::vec::Vec::with_capacity(4 + 4 * values.len());
	if let Some(width) = length {
		bytes.extend_from_slice(&(width as u32).to_le_bytes());
	}
	for value in values {
		bytes.extend_from_slice(&value.poly().value().to_le_bytes());
	}
	bytes
}

/// [`hashed_bytes`] a 64-byte block at a time, without building them: calls `block` with each
/// whole block and returns the bytes after the last one (a buffer and how many of it).
#[cfg(feature = "prover")]
fn hashed_blocks(length: Option<usize>, values: &[Base], mut block: impl FnMut(&[u8; 64])) -> ([u8; 64], usize) {
	use ligerito_binary_fields::BinaryFieldElement;
	let (mut buffer, mut filled) = ([0u8; 64], 0);
	// Every piece is 4 bytes and a block 64: a piece never straddles two blocks.
	let pieces = length.map(|width| width as u32).into_iter().chain(values.iter().map(|value| value.poly().value()));
	for piece in pieces {
		buffer[filled..filled + 4].copy_from_slice(&piece.to_le_bytes());
		filled += 4;
		if filled == 64 {
			block(&buffer);
			filled = 0;
		}
	}
	(buffer, filled)
}

/// [`row_hash`] of many rows whose values come a strip of columns at a time, left to right
/// (the prover encodes its matrix strip by strip): each row's SHA-256 state is kept between
/// strips, 40 bytes a row instead of the row. Every strip but the last must end where the row's
/// hashed bytes fill whole 64-byte blocks ([`RowHashes::strip_end`]).
#[cfg(feature = "prover")]
pub(crate) struct RowHashes {
	/// Each row's state after the blocks hashed so far.
	states: alloc::vec::Vec<RowState>,
	/// Values in a row.
	width: usize,
	/// Columns hashed so far.
	hashed: usize,
}

/// SHA-256's state between whole blocks.
#[cfg(feature = "prover")]
type RowState = <sha2::Sha256 as sha2::digest::core_api::CoreProxy>::Core;

#[cfg(feature = "prover")]
impl RowHashes {
	/// No column hashed yet, for `rows` rows of `width` values.
	pub(crate) fn new(rows: usize, width: usize) -> RowHashes {
		RowHashes { states: alloc::vec![RowState::default(); rows], width, hashed: 0 }
	}

	/// The columns hashed so far.
	pub(crate) fn hashed(&self) -> usize {
		self.hashed
	}

	/// Where the strip starting at the next column should end (exclusive) to hold at most
	/// `columns` columns (at least 16): the last end before that at which the hashed bytes fill
	/// whole blocks, or the row's end. The columns before `end` take `4 + 4 · end` bytes (the
	/// length comes first): whole blocks when `end + 1` is a multiple of 16.
	pub(crate) fn strip_end(&self, columns: usize) -> usize {
		let end = self.hashed + columns.max(16);
		(end - (end + 1) % 16).min(self.width)
	}

	/// Hashes the next strip: `strip` holds every row's values for columns `self.hashed..end`
	/// (row-major), `end` from [`RowHashes::strip_end`] and below the row's end.
	pub(crate) fn absorb(&mut self, strip: &[crate::Base], end: usize) {
		use sha2::digest::core_api::{Block, UpdateCore};
		let (first, columns) = (self.hashed == 0, end - self.hashed);
		debug_assert!(end < self.width && (4 + 4 * end) % 64 == 0);
		let width = self.width;
		let absorb = |(state, values): (&mut RowState, &[crate::Base])| {
			// Past the first strip (no length before the values) the hashed bytes are the values'
			// own bytes on a little-endian machine: whole blocks, read where they lie.
			#[cfg(target_endian = "little")]
			if !first {
				let (blocks, _) = bytemuck::cast_slice::<_, u8>(values).as_chunks::<64>();
				for block in blocks {
					let block: &Block<RowState> = block.into();
					state.update_blocks(core::slice::from_ref(block));
				}
				return;
			}
			let (_, rest) = hashed_blocks(first.then_some(width), values, |block| {
				let block: &Block<RowState> = block.into();
				state.update_blocks(core::slice::from_ref(block));
			});
			debug_assert_eq!(rest, 0);
		};
		#[cfg(feature = "parallel")]
		{
			use rayon::prelude::*;
			self.states.par_iter_mut().zip(strip.par_chunks_exact(columns)).for_each(absorb);
		}
		#[cfg(not(feature = "parallel"))]
		self.states.iter_mut().zip(strip.chunks_exact(columns)).for_each(absorb);
		self.hashed = end;
	}

	/// Hashes the last strip (every row's values from column `self.hashed` on, row-major) and
	/// returns each row's [`row_hash`].
	pub(crate) fn finish(self, strip: &[crate::Base]) -> alloc::vec::Vec<[u8; 32]> {
		use sha2::digest::{core_api::CoreWrapper, Digest};
		let (first, columns, width) = (self.hashed == 0, self.width - self.hashed, self.width);
		let finish = |(state, values): (RowState, &[crate::Base])| -> [u8; 32] {
			let mut hasher = CoreWrapper::from_core(state);
			let (rest, length) = hashed_blocks(first.then_some(width), values, |block| hasher.update(block));
			hasher.update(&rest[..length]);
			hasher.finalize().into()
		};
		#[cfg(feature = "parallel")]
		{
			use rayon::prelude::*;
			self.states.into_par_iter().zip(strip.par_chunks_exact(columns)).map(finish).collect()
		}
		#[cfg(not(feature = "parallel"))]
		self.states.into_iter().zip(strip.chunks_exact(columns)).map(finish).collect()
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	/// The row hashes strip by strip are the rows' hashes, for rows that fit one strip, end on a
	/// block, or not, and strips of several sizes.
	#[cfg(feature = "prover")]
	#[test]
	fn row_hashes_by_strips_are_row_hashes() {
		for (rows, width, columns) in
			[(3usize, 1usize, 16usize), (2, 15, 16), (2, 16, 16), (3, 17, 16), (2, 64, 16), (4, 100, 32), (1, 63, 48)]
		{
			let matrix: alloc::vec::Vec<Base> = (0..rows * width)
				.map(|i| Base::from_value((i as u32).wrapping_mul(0x9e37_79b9) ^ 0x1234_5678))
				.collect();
			let mut hashes = RowHashes::new(rows, width);
			let mut strips = 0;
			let digests = loop {
				let (start, end) = (hashes.hashed, hashes.strip_end(columns));
				assert!(start < end && end - start <= columns.max(16), "{width} columns: strip {start}..{end}");
				let strip: alloc::vec::Vec<Base> =
					matrix.chunks_exact(width).flat_map(|row| row[start..end].iter().copied()).collect();
				strips += 1;
				if end == width {
					break hashes.finish(&strip);
				}
				hashes.absorb(&strip, end);
			};
			assert_eq!(
				strips,
				if width <= 15 { 1 } else { (width + 1).div_ceil(columns / 16 * 16) },
				"{width} columns"
			);
			for (r, row) in matrix.chunks_exact(width).enumerate() {
				assert_eq!(digests[r], row_hash(row), "{rows} rows of {width} in strips of {columns}: row {r}");
			}
		}
	}

	#[test]
	fn the_row_hash_is_ligeritos() {
		for len in [0usize, 1, 2, 31, 256] {
			let row: alloc::vec::Vec<Base> =
				(0..len).map(|i| Base::from_value((i as u32).wrapping_mul(0x9e37_79b9) ^ 0xdead_beef)).collect();
			let want = ligerito::utils::hash_row(&row);
			assert_eq!(row_hash(&row), want, "length {len}");
		}
	}
}

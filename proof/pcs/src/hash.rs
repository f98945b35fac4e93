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
	sha256(&row_bytes(row))
}

/// What the leaf hash hashes.
fn row_bytes(row: &[Base]) -> alloc::vec::Vec<u8> {
	use ligerito_binary_fields::BinaryFieldElement;
	let mut bytes = alloc::vec::Vec::with_capacity(4 + 4 * row.len());
	bytes.extend_from_slice(&(row.len() as u32).to_le_bytes());
	for value in row {
		bytes.extend_from_slice(&value.poly().value().to_le_bytes());
	}
	bytes
}

#[cfg(test)]
mod tests {
	use super::*;

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

//! The Reed-Solomon code of the commitments, over the base field and lifted to the extension.
//!
//! Columns are encoded with ligerito's non-systematic additive-FFT code over GF(2^32): message
//! `m` values, block `4m`. The verifier needs the same linear map applied to a vector of
//! GF(2^128) values (the combined row): the generator matrix, whose entries lie in GF(2^32),
//! acting on GF(2^128) through the subfield embedding. The encoding only adds and multiplies by
//! GF(2^32) constants, so it acts on each coordinate of GF(2^128) over GF(2^32) separately; the
//! verifier encodes the four coordinate vectors in GF(2^32) and compares coordinates (tested
//! against the code run over GF(2^128) with its constants embedded, and on every unit vector
//! against the base code).

use crate::{
	field::{Coords, Gf32, Subfield},
	Ext,
};
use alloc::{collections::BTreeMap, vec, vec::Vec};
use ligerito_binary_fields::BinaryFieldElement;
use ligerito_reed_solomon::{encode_non_systematic_with_parallel, ReedSolomon};

/// The base-field code for `2^log_rows` message values.
#[cfg(any(test, feature = "prover"))]
pub(crate) fn base_code(log_rows: u32) -> ReedSolomon<crate::Base> {
	let m = 1usize << log_rows;
	ReedSolomon::new(m, m << crate::LOG_INV_RATE)
}

/// What a verifier has built for the codes: the code's twiddles cost more to compute than the
/// rest of an opening check in portable field arithmetic (the runtime's), and the commitments
/// of one proof share a few sizes. A cache only saves work: the codes are constants of their
/// size.
#[derive(Default)]
pub struct CodeCache {
	lifted: BTreeMap<u32, LiftedCode>,
	subfield: Option<Subfield>,
}

impl CodeCache {
	/// The coordinates of the lifted codeword of `message` (at most `2^log_rows` values),
	/// building what it needs on first use.
	pub(crate) fn encode(&mut self, log_rows: u32, message: &[Ext]) -> Vec<Coords> {
		let subfield = self.subfield.get_or_insert_with(Subfield::new);
		let code = self.lifted.entry(log_rows).or_insert_with(|| LiftedCode::new(log_rows));
		code.encode(message, subfield)
	}

	/// GF(2^128) over GF(2^32), built on first use.
	pub(crate) fn subfield(&mut self) -> &Subfield {
		self.subfield.get_or_insert_with(Subfield::new)
	}
}

/// The same code acting on extension-field messages.
///
/// It is the base-field code applied to each [`Coords`] coordinate of the message: the code
/// is GF(2^32)-linear with GF(2^32) constants, so the coordinates of `Enc(y)` are the codewords
/// of the coordinates of `y` (tested against the code run over GF(2^128) with its constants
/// embedded). Four GF(2^32) encodings cost far less than one over GF(2^128).
pub(crate) struct LiftedCode {
	rs: ReedSolomon<Gf32>,
}

impl LiftedCode {
	/// The lifted code for `2^log_rows` message values.
	pub(crate) fn new(log_rows: u32) -> Self {
		let m = 1usize << log_rows;
		LiftedCode { rs: ReedSolomon::new(m, m << crate::LOG_INV_RATE) }
	}

	/// The coordinates of the codeword of `message` (at most `2^log_rows` values).
	pub(crate) fn encode(&self, message: &[Ext], subfield: &Subfield) -> Vec<Coords> {
		let n = self.rs.block_length();
		let mut lanes = vec![vec![Gf32::zero(); n]; 4];
		for (i, &y) in message.iter().enumerate() {
			for (lane, c) in lanes.iter_mut().zip(subfield.coords(y)) {
				lane[i] = Gf32(c);
			}
		}
		for lane in &mut lanes {
			encode_non_systematic_with_parallel(&self.rs, lane, false);
		}
		(0..n).map(|i| core::array::from_fn(|k| lanes[k][i].0)).collect()
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::Base;
	use ligerito_reed_solomon::encode_non_systematic;

	/// The lifted code by its definition: the base code's constants embedded in GF(2^128).
	fn embedded_code(log_rows: u32) -> ReedSolomon<Ext> {
		let base = base_code(log_rows);
		ReedSolomon {
			log_message_length: base.log_message_length,
			log_block_length: base.log_block_length,
			twiddles: base.twiddles.iter().map(|&t| Ext::from(t)).collect(),
			pis: base.pis.iter().map(|&t| Ext::from(t)).collect(),
		}
	}

	fn pseudo_random(m: usize, salt: u128) -> Vec<Ext> {
		(0..m)
			.map(|i| Ext::from_value(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c834_u128.wrapping_mul(i as u128 + salt)))
			.collect()
	}

	#[test]
	fn the_lifted_code_is_the_base_code_embedded() {
		let subfield = Subfield::new();
		for log_rows in [0u32, 1, 3, 6] {
			let m = 1usize << log_rows;
			let base = base_code(log_rows);
			let lifted = LiftedCode::new(log_rows);
			// On every unit vector the lifted code gives the embedded base codeword.
			for i in 0..m {
				let mut word = vec![Base::zero(); 4 * m];
				word[i] = Base::one();
				encode_non_systematic(&base, &mut word);
				let mut unit = vec![Ext::zero(); m];
				unit[i] = Ext::one();
				let got: Vec<Ext> = lifted.encode(&unit, &subfield).into_iter().map(Subfield::compose).collect();
				let want: Vec<Ext> = word.iter().map(|&b| Ext::from(b)).collect();
				assert_eq!(got, want, "unit vector {i} of {m}");
			}
			// On values outside the subfield it is the code over GF(2^128) with the constants
			// embedded.
			let embedded = embedded_code(log_rows);
			for salt in [1u128, 7, 1 << 100] {
				let message = pseudo_random(m, salt);
				let mut want = vec![Ext::zero(); 4 * m];
				want[..m].copy_from_slice(&message);
				encode_non_systematic(&embedded, &mut want);
				let got: Vec<Ext> = lifted.encode(&message, &subfield).into_iter().map(Subfield::compose).collect();
				assert_eq!(got, want, "size 2^{log_rows}, salt {salt}");
			}
		}
	}

	#[test]
	fn the_fast_twiddles_are_ligeritos() {
		for log_rows in [0u32, 2, 5, 9] {
			let (base, lifted) = (base_code(log_rows), LiftedCode::new(log_rows));
			assert_eq!(lifted.rs.twiddles, base.twiddles.iter().map(|&t| Gf32::from(t)).collect::<Vec<_>>());
			assert_eq!(lifted.rs.pis, base.pis.iter().map(|&t| Gf32::from(t)).collect::<Vec<_>>());
		}
	}

	#[test]
	fn the_cache_gives_each_size_its_own_code() {
		let mut codes = CodeCache::default();
		let subfield = Subfield::new();
		for log_rows in [3u32, 5, 3, 0, 5] {
			let m = 1usize << log_rows;
			let message = pseudo_random(m, 3);
			let cached = codes.encode(log_rows, &message);
			assert_eq!(cached.len(), 4 * m);
			assert_eq!(cached, LiftedCode::new(log_rows).encode(&message, &subfield), "size 2^{log_rows}");
		}
		assert_eq!(codes.lifted.len(), 3);
	}
}

//! The Reed-Solomon code of the commitments, over the base field and lifted to the extension.
//!
//! Columns are encoded with ligerito's non-systematic additive-FFT code over GF(2^32): message
//! `m` values, block `4m`. The verifier needs the same linear map applied to a vector of
//! GF(2^128) values (the combined row). The FFT only adds and multiplies by its twiddles and
//! scaling factors, and GF(2^32) embeds in GF(2^128) as a subfield, so running it over GF(2^128)
//! with those constants embedded computes exactly the lifted generator matrix (tested against
//! the base-field code on every unit vector).

use crate::{Base, Ext};
use alloc::{collections::BTreeMap, vec, vec::Vec};
use ligerito_binary_fields::BinaryFieldElement;
use ligerito_reed_solomon::{encode_non_systematic_with_parallel, ReedSolomon};

/// The base-field code for `2^log_rows` message values.
pub(crate) fn base_code(log_rows: u32) -> ReedSolomon<Base> {
	let m = 1usize << log_rows;
	ReedSolomon::new(m, m << crate::LOG_INV_RATE)
}

/// The lifted codes a verifier has built, by `log_rows`: the code's twiddles cost more to
/// compute than the rest of an opening check in portable field arithmetic (the runtime's), and
/// the commitments of one proof share a few sizes. A cache only saves work: the codes are
/// constants of their size.
#[derive(Default)]
pub struct CodeCache {
	lifted: BTreeMap<u32, LiftedCode>,
}

impl CodeCache {
	/// The lifted code for `2^log_rows` message values, built on first use.
	pub(crate) fn lifted(&mut self, log_rows: u32) -> &LiftedCode {
		self.lifted.entry(log_rows).or_insert_with(|| LiftedCode::new(log_rows))
	}
}

/// The same code acting on extension-field messages.
pub(crate) struct LiftedCode {
	rs: ReedSolomon<Ext>,
}

impl LiftedCode {
	/// The lifted code for `2^log_rows` message values.
	pub(crate) fn new(log_rows: u32) -> Self {
		let base = base_code(log_rows);
		let rs = ReedSolomon {
			log_message_length: base.log_message_length,
			log_block_length: base.log_block_length,
			twiddles: base.twiddles.iter().map(|&t| Ext::from(t)).collect(),
			pis: base.pis.iter().map(|&t| Ext::from(t)).collect(),
		};
		LiftedCode { rs }
	}

	/// The codeword of `message` (exactly `2^log_rows` values).
	pub(crate) fn encode(&self, message: &[Ext]) -> Vec<Ext> {
		let mut data = vec![Ext::zero(); self.rs.block_length()];
		data[..message.len()].copy_from_slice(message);
		encode_non_systematic_with_parallel(&self.rs, &mut data, false);
		data
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use ligerito_reed_solomon::encode_non_systematic;

	#[test]
	fn the_lifted_code_is_the_base_code_embedded() {
		for log_rows in [0u32, 1, 3, 6] {
			let m = 1usize << log_rows;
			let base = base_code(log_rows);
			let lifted = LiftedCode::new(log_rows);
			// On every unit vector the lifted code gives the embedded base codeword: the two
			// linear maps have the same matrix.
			for i in 0..m {
				let mut word = vec![Base::zero(); 4 * m];
				word[i] = Base::one();
				encode_non_systematic(&base, &mut word);
				let mut unit = vec![Ext::zero(); m];
				unit[i] = Ext::one();
				let got = lifted.encode(&unit);
				let want: Vec<Ext> = word.iter().map(|&b| Ext::from(b)).collect();
				assert_eq!(got, want, "unit vector {i} of {m}");
			}
			// And it is GF(2^128)-linear on values outside the subfield.
			let a: Vec<Ext> = (0..m).map(|i| Ext::from_value(0x1234_5678_9abc_def0_u128 * (i as u128 + 3))).collect();
			let c = Ext::from_value(0xdead_beef_0000_0001_ffff_0000_1111_2222);
			let scaled: Vec<Ext> = a.iter().map(|x| x.mul(&c)).collect();
			let lhs = lifted.encode(&scaled);
			let rhs: Vec<Ext> = lifted.encode(&a).iter().map(|x| x.mul(&c)).collect();
			assert_eq!(lhs, rhs);
		}
	}

	#[test]
	fn the_cache_gives_each_size_its_own_code() {
		let mut codes = CodeCache::default();
		for log_rows in [3u32, 5, 3, 0, 5] {
			let m = 1usize << log_rows;
			let message: Vec<Ext> =
				(0..m).map(|i| Ext::from_value(0x9e37_79b9_7f4a_7c15_u128 * (i as u128 + 1))).collect();
			let cached = codes.lifted(log_rows).encode(&message);
			assert_eq!(cached.len(), 4 * m);
			assert_eq!(cached, LiftedCode::new(log_rows).encode(&message), "size 2^{log_rows}");
		}
		assert_eq!(codes.lifted.len(), 3);
	}
}

//! Fee arithmetic: `base + per_step * steps + per_kib * ceil(evidence_bytes / 1024)`.
//!
//! No surge pricing: the parameters change only by governance.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_runtime::traits::{AtLeast32BitUnsigned, SaturatedConversion};

/// Governance-set fee parameters.
#[derive(
	Clone, Copy, PartialEq, Eq, Default, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen, Debug,
)]
pub struct FeeParams<Balance> {
	/// Charged for every accepted submission.
	pub base: Balance,
	/// Charged per declared execution step.
	pub per_step: Balance,
	/// Charged per started KiB of evidence.
	pub per_kib: Balance,
}

impl<Balance: AtLeast32BitUnsigned + Copy> FeeParams<Balance> {
	/// The fee of a submission of `steps` steps with `evidence_len` bytes of evidence.
	/// Saturates at the balance type's maximum instead of overflowing.
	pub fn quote(&self, steps: u64, evidence_len: u32) -> Balance {
		let kib = evidence_len.div_ceil(1024);
		let step_part = self.per_step.saturating_mul(steps.saturated_into::<Balance>());
		let kib_part = self.per_kib.saturating_mul(Balance::from(kib));
		self.base.saturating_add(step_part).saturating_add(kib_part)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn seed_example() {
		// The design note's example in milli-tokens: 10 + 0.1 per step + 1 per KiB.
		// Steps are charged in units of 1/10 here: per_step = 1 with 10x scaled base and KiB.
		let p = FeeParams { base: 100u128, per_step: 1, per_kib: 10 };
		assert_eq!(p.quote(1000, 10 * 1024), 100 + 1000 + 100);
		assert_eq!(p.quote(0, 0), 100);
	}

	#[test]
	fn kib_rounds_up() {
		let p = FeeParams { base: 0u64, per_step: 0, per_kib: 7 };
		assert_eq!(p.quote(0, 1), 7);
		assert_eq!(p.quote(0, 1024), 7);
		assert_eq!(p.quote(0, 1025), 14);
		assert_eq!(p.quote(0, u32::MAX), 7 * 4_194_304);
	}

	#[test]
	fn saturates() {
		let p = FeeParams { base: 1u32, per_step: u32::MAX, per_kib: u32::MAX };
		assert_eq!(p.quote(u64::MAX, u32::MAX), u32::MAX);
	}
}

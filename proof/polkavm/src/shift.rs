//! Shifts and rotations: the operations and their semantics (the shift chip's reference).
//!
//! The amount is masked to 6 bits (5 for the 32-bit forms), and a 32-bit form works on the
//! value's low half and sign-extends its 32-bit result, as polkavm does.

/// A shift or rotation of a value by an amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ShiftOp {
	/// Logical shift left, 64 bits.
	Left64,
	/// Logical shift left, 32 bits.
	Left32,
	/// Logical shift right, 64 bits.
	Right64,
	/// Logical shift right, 32 bits.
	Right32,
	/// Arithmetic shift right, 64 bits.
	ArithmeticRight64,
	/// Arithmetic shift right, 32 bits.
	ArithmeticRight32,
	/// Rotation left, 64 bits.
	RotateLeft64,
	/// Rotation left, 32 bits.
	RotateLeft32,
	/// Rotation right, 64 bits.
	RotateRight64,
	/// Rotation right, 32 bits.
	RotateRight32,
}

impl ShiftOp {
	/// Every operation, in the order of their ids.
	pub const ALL: [ShiftOp; 10] = [
		ShiftOp::Left64,
		ShiftOp::Left32,
		ShiftOp::Right64,
		ShiftOp::Right32,
		ShiftOp::ArithmeticRight64,
		ShiftOp::ArithmeticRight32,
		ShiftOp::RotateLeft64,
		ShiftOp::RotateLeft32,
		ShiftOp::RotateRight64,
		ShiftOp::RotateRight32,
	];

	/// The operation's id: its position in [`ShiftOp::ALL`].
	pub fn id(self) -> u32 {
		self as u32
	}

	/// Whether the operation works on 32 bits.
	pub fn is_32(self) -> bool {
		matches!(
			self,
			ShiftOp::Left32
				| ShiftOp::Right32
				| ShiftOp::ArithmeticRight32
				| ShiftOp::RotateLeft32
				| ShiftOp::RotateRight32
		)
	}

	/// The result of shifting `value` by `amount`, as polkavm computes it.
	pub fn apply(self, value: u64, amount: u64) -> u64 {
		let sext32 = |x: u32| i64::from(x as i32) as u64;
		let (n64, n32) = ((amount & 63) as u32, (amount & 31) as u32);
		let low = value as u32;
		match self {
			ShiftOp::Left64 => value << n64,
			ShiftOp::Left32 => sext32(low << n32),
			ShiftOp::Right64 => value >> n64,
			ShiftOp::Right32 => sext32(low >> n32),
			ShiftOp::ArithmeticRight64 => ((value as i64) >> n64) as u64,
			ShiftOp::ArithmeticRight32 => sext32(((low as i32) >> n32) as u32),
			ShiftOp::RotateLeft64 => value.rotate_left(n64),
			ShiftOp::RotateLeft32 => sext32(low.rotate_left(n32)),
			ShiftOp::RotateRight64 => value.rotate_right(n64),
			ShiftOp::RotateRight32 => sext32(low.rotate_right(n32)),
		}
	}
}

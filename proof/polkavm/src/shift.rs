//! The shift chip: shifts and rotations, one per row, proven through one product in
//! `E = GF(2^128)` (`docs/proof-system.md`, stage 3, "The shift chip").
//!
//! The amount is masked to 6 bits (5 for the 32-bit forms), and a 32-bit form works on the
//! value's low half and sign-extends its 32-bit result, as polkavm does.
//!
//! A row packs its value's bits as a polynomial of degree below 64, `â = Σ a_i x^i` (or, for
//! right shifts, the reversed `Σ a_i x^(63-i)`; over 32 bits for the 32-bit forms), and the
//! amount `n` as `p = x^n = Π_j (1 + n_j (x^(2^j) + 1))` (committed with its partial products
//! `x^(n mod 4)` and `x^(n mod 16)`, so that every constraint has degree at most 3); the
//! product `â p` has degree below 127, so in `E` (whose modulus has degree 128) it never
//! reduces, and its committed bits `lo + x^64 hi` are the shifted value and what was shifted
//! out. Every shift and rotation is then linear in those bits: `shl` is `lo`, `rotl` is
//! `lo + hi`, right shifts read them reversed, `sar` shifts `a ⊕ sign` right and flips the
//! result back. The row *receives* `(op, a_lo, a_hi, b_lo, b_hi, c_lo, c_hi)` on
//! [`crate::bus::SHIFT`].

use agentic_air::{ext, Air, AirBuilder, Base, BinaryFieldElement, Direction, Ext};
use alloc::{vec, vec::Vec};

use crate::{bus, chip};

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

	/// The operation's id, the first field of its bus tuple: `x^i` (the value `1 << i`) for its
	/// position `i` in [`ShiftOp::ALL`] ([`chip::op_tag`]).
	pub fn id(self) -> u32 {
		1 << (self as u32)
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

/// Column layout of the shift chip.
pub mod columns {
	/// The operation flags, one per [`super::ShiftOp`]: bits, one-hot on every row that receives a
	/// request (bound by its id, `chip::assert_flag_bits`).
	pub const FLAGS: usize = 0;
	/// The 64 bits of the value `a`.
	pub const A: usize = FLAGS + super::ShiftOp::ALL.len();
	/// The 32 bits of the amount's low word (its low 6 bits are the amount).
	pub const B: usize = A + 64;
	/// The amount's high word, passed through to the bus.
	pub const B_HI: usize = B + 32;
	/// Bit 5 of the amount where it counts (the 64-bit forms), else 0.
	pub const B5: usize = B_HI + 1;
	/// The 64 low bits of the product `â p`.
	pub const LO: usize = B5 + 1;
	/// Its 64 high bits.
	pub const HI: usize = LO + 64;
	/// The 64 bits of the result `c`.
	pub const C: usize = HI + 64;
	/// `â`, the packed value, in `E` (four coordinates).
	pub const PACKED: usize = C + 64;
	/// `p = x^n`, the packed amount, in `E` (four coordinates).
	pub const POWER: usize = PACKED + 4;
	/// `x^(n mod 4)`, the product of `p`'s first two factors, in `E` (committed so that no
	/// constraint multiplies more than three factors).
	pub const POW2: usize = POWER + 4;
	/// `x^(n mod 16)`, the product of its first four factors, in `E`.
	pub const POW4: usize = POW2 + 4;
	/// The number of columns.
	pub const WIDTH: usize = POW4 + 4;
}

/// The shift chip's AIR.
#[derive(Clone, Copy, Debug, Default)]
pub struct Shift;

/// `x^k` in `E`.
fn x_pow(k: usize) -> Ext {
	Ext::from_value(1u128 << k)
}

impl Air for Shift {
	fn width(&self) -> usize {
		columns::WIDTH
	}

	fn eval<AB: AirBuilder>(&self, b: &mut AB) {
		use columns::*;
		let n = ShiftOp::ALL.len();
		if b.wants_constraints() {
			Self::constraints(b);
		}
		let fields = [
			chip::op_tag(b, FLAGS, n),
			chip::word(b, A),
			chip::word(b, A + 32),
			chip::word(b, B),
			b.cur(B_HI),
			chip::word(b, C),
			chip::word(b, C + 32),
		];
		b.interact(bus::SHIFT, Direction::Receive, b.one(), &fields);
	}
}

impl Shift {
	/// The chip's constraints (every one but the interaction's): a run that takes the bus
	/// leaves alone does not want them ([`AirBuilder::wants_constraints`]).
	fn constraints<AB: AirBuilder>(b: &mut AB) {
		use columns::*;
		use ShiftOp::*;
		let f = |b: &AB, op: ShiftOp| b.cur(FLAGS + op as usize);
		let sum = |b: &AB, ops: &[ShiftOp]| ops.iter().fold(b.constant(Base::zero()), |acc, &op| acc + f(b, op));
		chip::assert_flag_bits(b, FLAGS, ShiftOp::ALL.len());
		for i in 0..64 {
			b.assert_bit_column(A + i);
			b.assert_bit_column(LO + i);
			b.assert_bit_column(HI + i);
		}
		for j in 0..32 {
			b.assert_bit_column(B + j);
		}
		// The result's bits and `b5` are bits by their equations below (each a sum of bits the flags select),
		// declared so that the commitment packs them too.
		for column in (C..C + 64).chain([B5]) {
			b.assert_bit_column(column);
		}

		// The packing direction and width, each a sum of flags.
		let left64 = sum(b, &[Left64, RotateLeft64]);
		let right64 = sum(b, &[Right64, ArithmeticRight64, RotateRight64]);
		let left32 = sum(b, &[Left32, RotateLeft32]);
		let right32 = sum(b, &[Right32, ArithmeticRight32, RotateRight32]);
		let is32 = left32.clone() + right32.clone();
		// `sar` works on `a ⊕ sign` (and flips the result back below).
		let flip = f(b, ArithmeticRight64) * b.cur(A + 63) + f(b, ArithmeticRight32) * b.cur(A + 31);
		let a = |b: &AB, i: usize| b.cur(A + i) + flip.clone();

		// â, committed, is the packing the flags select.
		let mut packed = b.constant(Base::zero());
		for i in 0..64 {
			let mut weight =
				left64.clone() * b.constant_ext(x_pow(i)) + right64.clone() * b.constant_ext(x_pow(63 - i));
			if i < 32 {
				weight = weight
					+ left32.clone() * b.constant_ext(x_pow(i))
					+ right32.clone() * b.constant_ext(x_pow(31 - i));
			}
			packed = packed + a(b, i) * weight;
		}
		b.assert_eq(b.cur_ext(PACKED), packed);

		// p = x^n, committed, from the amount's bits (bit 5 only for the 64-bit forms), as the
		// product of its factors two at a time: x^(n mod 4), x^(n mod 16), then p.
		b.assert_eq(b.cur(B5), b.cur(B + 5) * (b.one() + is32.clone()));
		let factor = |b: &AB, j: usize| {
			let bit = if j == 5 { b.cur(B5) } else { b.cur(B + j) };
			b.one() + bit * b.constant_ext(x_pow(1 << j).add(&Ext::one()))
		};
		b.assert_eq(b.cur_ext(POW2), factor(b, 0) * factor(b, 1));
		b.assert_eq(b.cur_ext(POW4), b.cur_ext(POW2) * factor(b, 2) * factor(b, 3));
		b.assert_eq(b.cur_ext(POWER), b.cur_ext(POW4) * factor(b, 4) * factor(b, 5));

		// The product, without reduction, is lo + x^64 hi.
		let mut bits = b.constant(Base::zero());
		for q in 0..64 {
			bits = bits + b.cur(LO + q) * b.constant_ext(x_pow(q)) + b.cur(HI + q) * b.constant_ext(x_pow(64 + q));
		}
		b.assert_eq(b.cur_ext(PACKED) * b.cur_ext(POWER), bits);

		// The result bits: linear in lo and hi by the operation.
		let (lo, hi) = (|b: &AB, q: usize| b.cur(LO + q), |b: &AB, q: usize| b.cur(HI + q));
		let left = left64.clone() + left32;
		for q in 0..64 {
			let mut result =
				right64.clone() * lo(b, 63 - q) + f(b, RotateLeft64) * hi(b, q) + f(b, RotateRight64) * hi(b, 63 - q);
			if q < 32 {
				result = result
					+ left.clone() * lo(b, q)
					+ right32.clone() * lo(b, 31 - q)
					+ f(b, RotateLeft32) * lo(b, q + 32)
					+ f(b, RotateRight32) * lo(b, 63 - q)
					+ flip.clone();
			} else {
				result = result
					+ left64.clone() * lo(b, q)
					+ f(b, ArithmeticRight64) * b.cur(A + 63)
					+ is32.clone() * b.cur(C + 31);
			}
			b.assert_eq(b.cur(C + q), result);
		}
	}
}

/// The bus tuple of `c = op(a, b)` (without the bus tag), as a sender puts it on [`bus::SHIFT`].
/// Every sender must put an operation's id first (as this does): the chip's flags are one-hot
/// on a receiving row only because no sender puts anything else there.
pub fn tuple(op: ShiftOp, a: u64, b: u64, c: u64) -> Vec<Base> {
	chip::tuple(op.id(), a, b, c)
}

/// The chip's trace for `ops` (the rows below `R = ops.len()`), over `2^num_vars` rows; the
/// other rows shift 0 left by 0, which satisfies every constraint and receives nothing.
/// `num_vars` must leave room for `R + 1` rows.
pub fn trace(ops: &[(ShiftOp, u64, u64)], num_vars: u32) -> Vec<Vec<Base>> {
	let coordinates = ext::Coordinates::new();
	// The coordinates of `x^k` for every shift amount `k`, once.
	let powers: Vec<[Base; 4]> = (0..64).map(|k| coordinates.of(x_pow(k))).collect();
	chip::trace(ops, num_vars, columns::WIDTH, (ShiftOp::Left64, 0, 0), |op, a, b| {
		row_values(&coordinates, &powers, op, a, b)
	})
}

/// One row's values (`powers[k]`: the coordinates of `x^k`).
fn row_values(coordinates: &ext::Coordinates, powers: &[[Base; 4]], op: ShiftOp, a: u64, b: u64) -> Vec<Base> {
	use columns::*;
	let bit = |v: u128, i: usize| Base::from_value(((v >> i) & 1) as u32);
	let mut row = vec![Base::zero(); WIDTH];
	row[FLAGS + op as usize] = Base::one();
	let arithmetic = matches!(op, ShiftOp::ArithmeticRight64 | ShiftOp::ArithmeticRight32);
	let right = matches!(
		op,
		ShiftOp::Right64
			| ShiftOp::Right32
			| ShiftOp::ArithmeticRight64
			| ShiftOp::ArithmeticRight32
			| ShiftOp::RotateRight64
			| ShiftOp::RotateRight32
	);
	let width = if op.is_32() { 32 } else { 64 };
	let sign = (a >> (width - 1)) & 1 == 1;
	let value = if arithmetic && sign { !a } else { a };
	// â as a polynomial (at most 64 bits), reversed for right shifts.
	let packed: u128 = (0..width)
		.filter(|&i| (value >> i) & 1 == 1)
		.fold(0, |acc, i| acc | 1u128 << if right { width - 1 - i } else { i });
	let amount = (b & if op.is_32() { 31 } else { 63 }) as usize;
	let product = packed << amount;
	let c = op.apply(a, b);
	for i in 0..64 {
		row[A + i] = bit(u128::from(a), i);
		row[LO + i] = bit(product, i);
		row[HI + i] = bit(product, 64 + i);
		row[C + i] = bit(u128::from(c), i);
	}
	for j in 0..32 {
		row[B + j] = bit(u128::from(b), j);
	}
	row[B_HI] = Base::from_value((b >> 32) as u32);
	row[B5] = bit(u128::from(b) * u128::from(!op.is_32()), 5);
	for (k, value) in coordinates.of(Ext::from_value(packed)).into_iter().enumerate() {
		row[PACKED + k] = value;
	}
	for (column, power) in [(POWER, amount), (POW2, amount % 4), (POW4, amount % 16)] {
		row[column..column + 4].copy_from_slice(&powers[power]);
	}
	row
}

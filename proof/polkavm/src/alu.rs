//! The ALU chip: a table of 64-bit integer operations, one per row, each proven bit by bit
//! (`docs/proof-system.md`, stage 3, "The ALU chip").
//!
//! A row holds an operation `op`, its operands `a`, `b` and its result `c` as 64 bits each, and
//! the carries of `a + b` (addition) or `a + !b + 1` (subtraction and comparisons). It
//! *receives* the tuple `(op, a_lo, a_hi, b_lo, b_hi, c_lo, c_hi)` on [`crate::bus::ALU`], each
//! word packed from its 32 bits as `Σ bit_i x^i` (an injective map onto GF(2^32)): whoever
//! sends such a tuple (the CPU table, or the verifier in tests) learns that `c = op(a, b)`.
//!
//! Integer arithmetic in characteristic 2 needs the carries explicitly:
//! `k_0 = s`, `k_{i+1} = a_i b'_i + k_i (a_i + b'_i)` with `b'_i = b_i + s` (`s = 1` when the
//! operation subtracts), the sum bit is `a_i + b'_i + k_i`, and over bits these are XOR and
//! majority. Nothing here needs a range check: every bit column is boolean (asserted for `a`,
//! `b` and the operation flags; carries and results are then boolean by their equations).

use agentic_air::{Air, AirBuilder, Base, BinaryFieldElement, Direction};
use agentic_pcs::field::inv_base;
use alloc::{vec, vec::Vec};

use crate::{bus, chip};

/// An ALU operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AluOp {
	/// `a + b` modulo `2^64`.
	Add64,
	/// `a - b` modulo `2^64`.
	Sub64,
	/// `a + b` modulo `2^32` on the low halves, sign-extended from bit 31.
	Add32,
	/// `a - b` modulo `2^32` on the low halves, sign-extended from bit 31.
	Sub32,
	/// Bitwise and.
	And,
	/// Bitwise or.
	Or,
	/// Bitwise exclusive or.
	Xor,
	/// 1 if `a < b` as unsigned integers, else 0.
	LessUnsigned,
	/// 1 if `a < b` as two's-complement signed integers, else 0.
	LessSigned,
	/// 1 if `a = b`, else 0.
	Equal,
}

impl AluOp {
	/// Every operation, in the order of their ids.
	pub const ALL: [AluOp; 10] = [
		AluOp::Add64,
		AluOp::Sub64,
		AluOp::Add32,
		AluOp::Sub32,
		AluOp::And,
		AluOp::Or,
		AluOp::Xor,
		AluOp::LessUnsigned,
		AluOp::LessSigned,
		AluOp::Equal,
	];

	/// The operation's id, the first field of its bus tuple: `x^i` (the value `1 << i`) for its
	/// position `i` in [`AluOp::ALL`], so that the chip's flags are bound to it by one equation
	/// ([`chip::op_tag`]).
	pub fn id(self) -> u32 {
		1 << (self as u32)
	}

	/// Whether the carry chain computes `a + !b + 1` rather than `a + b`.
	pub fn subtracts(self) -> bool {
		matches!(self, AluOp::Sub64 | AluOp::Sub32 | AluOp::LessUnsigned | AluOp::LessSigned)
	}

	/// The result, as polkavm computes it.
	pub fn apply(self, a: u64, b: u64) -> u64 {
		let sext32 = |x: u32| i64::from(x as i32) as u64;
		match self {
			AluOp::Add64 => a.wrapping_add(b),
			AluOp::Sub64 => a.wrapping_sub(b),
			AluOp::Add32 => sext32((a as u32).wrapping_add(b as u32)),
			AluOp::Sub32 => sext32((a as u32).wrapping_sub(b as u32)),
			AluOp::And => a & b,
			AluOp::Or => a | b,
			AluOp::Xor => a ^ b,
			AluOp::LessUnsigned => u64::from(a < b),
			AluOp::LessSigned => u64::from((a as i64) < (b as i64)),
			AluOp::Equal => u64::from(a == b),
		}
	}
}

/// Column layout of the ALU chip.
pub mod columns {
	/// The operation flags, one per [`super::AluOp`]: bits, one-hot on every row that receives a
	/// request (bound by its id, `chip::assert_flag_bits`).
	pub const FLAGS: usize = 0;
	/// The 64 bits of `a`, least significant first.
	pub const A: usize = FLAGS + super::AluOp::ALL.len();
	/// The 64 bits of `b`.
	pub const B: usize = A + 64;
	/// The 64 bits of `c`.
	pub const C: usize = B + 64;
	/// The carries `k_1 .. k_64` (`k_i` into bit `i`; `k_64` out of bit 63).
	pub const CARRY: usize = C + 64;
	/// For [`super::AluOp::Equal`]: `u, v` with `δ_lo u + δ_hi v = 1` when `a ≠ b`.
	pub const INV: usize = CARRY + 64;
	/// The number of columns.
	pub const WIDTH: usize = INV + 2;
}

/// The ALU chip's AIR.
#[derive(Clone, Copy, Debug, Default)]
pub struct Alu;

impl Air for Alu {
	fn width(&self) -> usize {
		columns::WIDTH
	}

	fn eval<AB: AirBuilder>(&self, b: &mut AB) {
		use columns::*;
		let n = AluOp::ALL.len();
		// The words, packed once: the request's fields, and the equality's differences.
		let [a_lo, a_hi, b_lo, b_hi] = [A, A + 32, B, B + 32].map(|first| chip::word(b, first));
		if b.wants_constraints() {
			Self::constraints(b, [&a_lo, &a_hi, &b_lo, &b_hi]);
		}
		// The request this row answers.
		let fields = [chip::op_tag(b, FLAGS, n), a_lo, a_hi, b_lo, b_hi, chip::word(b, C), chip::word(b, C + 32)];
		b.interact(bus::ALU, Direction::Receive, b.one(), &fields);
	}
}

impl Alu {
	/// The chip's constraints (every one but the interaction's), given the operands' packed
	/// words: a run that takes the bus leaves alone does not want them
	/// ([`AirBuilder::wants_constraints`]).
	fn constraints<AB: AirBuilder>(b: &mut AB, [a_lo, a_hi, b_lo, b_hi]: [&AB::Expr; 4]) {
		use columns::*;
		let flag = |b: &AB, op: AluOp| b.cur(FLAGS + op as usize);
		let (a, bb, c) = (|i: usize| A + i, |i: usize| B + i, |i: usize| C + i);
		chip::assert_flag_bits(b, FLAGS, AluOp::ALL.len());

		// The operands' bits; the result's bits and the carries are bits by their equations
		// below, and declared so that the commitment packs them too.
		for i in 0..64 {
			b.assert_bit_column(a(i));
			b.assert_bit_column(bb(i));
			b.assert_bit_column(c(i));
			b.assert_bit_column(CARRY + i);
		}

		// The carry chain, on every row (an operation that does not read it has one anyway).
		let s =
			flag(b, AluOp::Sub64) + flag(b, AluOp::Sub32) + flag(b, AluOp::LessUnsigned) + flag(b, AluOp::LessSigned);
		let carry = |b: &AB, i: usize| if i == 0 { s.clone() } else { b.cur(CARRY + i - 1) };
		let b_eff = |b: &AB, i: usize| b.cur(bb(i)) + s.clone();
		for i in 0..64 {
			let next = b.cur(a(i)) * b_eff(b, i) + carry(b, i) * (b.cur(a(i)) + b_eff(b, i));
			b.assert_eq(carry(b, i + 1), next);
		}
		let sum_bit = |b: &AB, i: usize| b.cur(a(i)) + b_eff(b, i) + carry(b, i);
		let borrow = b.one() + carry(b, 64);
		let (a63, b63) = (b.cur(a(63)), b.cur(bb(63)));
		let signs_differ = a63.clone() + b63;
		let less_signed = signs_differ.clone() * a63 + (b.one() + signs_differ) * borrow.clone();

		// Each result bit is the selected operation's. The bitwise operations grouped by the
		// terms they share: and·ab + or·(a + b + ab) + xor·(a + b) is
		// (and + or)·ab + (or + xor)·(a + b), the same polynomial in two products and `ab`.
		let add64 = flag(b, AluOp::Add64) + flag(b, AluOp::Sub64);
		let add32 = flag(b, AluOp::Add32) + flag(b, AluOp::Sub32);
		let and_or = flag(b, AluOp::And) + flag(b, AluOp::Or);
		let or_xor = flag(b, AluOp::Or) + flag(b, AluOp::Xor);
		let sum31 = sum_bit(b, 31);
		for i in 0..64 {
			let (ai, bi) = (b.cur(a(i)), b.cur(bb(i)));
			let sum_32 = if i < 31 { sum_bit(b, i) } else { sum31.clone() };
			let mut result = add64.clone() * sum_bit(b, i)
				+ add32.clone() * sum_32
				+ and_or.clone() * (ai.clone() * bi.clone())
				+ or_xor.clone() * (ai + bi);
			if i == 0 {
				result = result
					+ flag(b, AluOp::LessUnsigned) * borrow.clone()
					+ flag(b, AluOp::LessSigned) * less_signed.clone()
					+ flag(b, AluOp::Equal) * b.cur(c(0));
			}
			b.assert_eq(b.cur(c(i)), result);
		}

		// Equality: with δ = a + b packed in two words (a XOR, so δ = 0 exactly when a = b),
		// c_0 = 1 forces δ = 0 and c_0 = 0 requires an inverse witness for a nonzero half.
		let delta_lo = a_lo.clone() + b_lo.clone();
		let delta_hi = a_hi.clone() + b_hi.clone();
		let eq = flag(b, AluOp::Equal);
		b.assert_zero(eq.clone() * b.cur(c(0)) * delta_lo.clone());
		b.assert_zero(eq.clone() * b.cur(c(0)) * delta_hi.clone());
		b.assert_zero(eq * (delta_lo * b.cur(INV) + delta_hi * b.cur(INV + 1) + b.one() + b.cur(c(0))));
	}
}

/// The bus tuple of `c = op(a, b)` (without the bus tag), as a sender puts it on [`bus::ALU`].
/// Every sender must put an operation's id first (as this does): the chip's flags are one-hot
/// on a receiving row only because no sender puts anything else there.
pub fn tuple(op: AluOp, a: u64, b: u64, c: u64) -> Vec<Base> {
	chip::tuple(op.id(), a, b, c)
}

/// The chip's trace for `ops` (the rows below `R = ops.len()`), over `2^num_vars` rows; the
/// other rows repeat a zero addition, which satisfies every constraint and, being at or above
/// `R`, receives nothing. `num_vars` must leave room for `R + 1` rows.
pub fn trace(ops: &[(AluOp, u64, u64)], num_vars: u32) -> Vec<Vec<Base>> {
	chip::trace(ops, num_vars, columns::WIDTH, (AluOp::Add64, 0, 0), row_values)
}

/// One row's values.
fn row_values(op: AluOp, a: u64, b: u64) -> Vec<Base> {
	use columns::*;
	let bit = |v: u64, i: usize| Base::from_value(((v >> i) & 1) as u32);
	let c = op.apply(a, b);
	let mut row = vec![Base::zero(); WIDTH];
	row[FLAGS + op as usize] = Base::one();
	let s = u64::from(op.subtracts());
	let b_eff = b ^ (s * u64::MAX);
	let mut k = s;
	for i in 0..64 {
		row[A + i] = bit(a, i);
		row[B + i] = bit(b, i);
		row[C + i] = bit(c, i);
		let (ai, bi) = ((a >> i) & 1, (b_eff >> i) & 1);
		k = (ai & bi) | (k & (ai ^ bi));
		row[CARRY + i] = Base::from_value(k as u32);
	}
	if op == AluOp::Equal && a != b {
		let delta = a ^ b;
		if delta as u32 != 0 {
			row[INV] = inv_base(&Base::from_value(delta as u32));
		} else {
			row[INV + 1] = inv_base(&Base::from_value((delta >> 32) as u32));
		}
	}
	row
}

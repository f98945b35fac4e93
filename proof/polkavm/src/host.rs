//! Host calls on the chips layout (`docs/proof-system.md`, "Host calls and state on the chips
//! layout", revision 3, and "traps with rollback" in part 3): the host-call table (one row per
//! `ecalli` and per `trap`), the host-byte table (one row per byte a call moves or a rollback
//! restores), the public constants and inputs tables, and the host the witness runs the ABI's
//! calls and the rollbacks with.
//!
//! The CPU sends each call as a request on bus `HOST`. A host-call row receives it, decides the
//! outcome with exact comparisons asked of the ALU chip, computes the call's gas factor, and,
//! when bytes move, sends a *segment* `(call, ts_hi, g_start, p_start, n, K, T_inv, T)`. The
//! host-byte table receives each segment at the first row of a run of exactly `n` rows; each
//! row moves one byte between guest memory (a one-byte access request, timestamp `(ts_hi, j)`)
//! and the input, the state (a byte cell on bus `STATE`, checked like RAM) or the output (a
//! public receive, unless the invocation traps). A `trap` sends a `ROLLBACK` request: its run
//! receives, on bus `UNDO`, the value each state byte had before the invocation first touched
//! it, and writes it back.

use agentic_air::{Air, AirBuilder, Base, BinaryFieldElement, Direction, Ext, Selector};
use agentic_pcs::field::inv_base;
use agentic_primitives::abi::{self, HostCall};
use alloc::{vec, vec::Vec};

use crate::{
	alu::AluOp,
	bus, chip,
	cpu::{counter_step, gas_generator, read, serve},
	memory::{LO_BITS, STAMP_BITS, TS_BIT},
};

/// A call's id on the buses: its position in [`abi::HOST_CALLS`] plus one (0 is "no call").
pub fn call_id(call: HostCall) -> u32 {
	call as u32 + 1
}

/// The id of the rollback a `trap` asks the host for, after the calls' ids.
pub const ROLLBACK: u32 = HostCall::ALL.len() as u32 + 1;

/// What a host-call row answers: one of the ABI's calls (an `ecalli`), or the rollback a `trap`
/// asks for (the invocation's state bytes go back to their values before it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Request {
	/// An `ecalli` of this call.
	Call(HostCall),
	/// A `trap`'s rollback.
	Rollback,
}

impl Request {
	/// The request's id on the buses: the call's [`call_id`], or [`ROLLBACK`].
	pub fn id(self) -> u32 {
		match self {
			Request::Call(call) => call_id(call),
			Request::Rollback => ROLLBACK,
		}
	}

	/// Its flag's position in the host-call table (its id less one).
	pub fn flag(self) -> usize {
		self.id() as usize - 1
	}

	/// Whether it moves bytes between the guest's memory and the host (the rollback's bytes stay
	/// in the state).
	pub fn moves_bytes(self) -> bool {
		matches!(self, Request::Call(call) if moves_bytes(call))
	}

	/// Its flag's position in the host-byte table, if it has rows there: its position in
	/// [`MOVING`], or 4 for the rollback.
	pub fn byte_flag(self) -> Option<usize> {
		match self {
			Request::Call(call) => MOVING.iter().position(|&moving| moving == call),
			Request::Rollback => Some(MOVING.len()),
		}
	}

	/// Whether it reads or writes state bytes (and so has state cells in the host-byte table).
	pub fn touches_state(self) -> bool {
		matches!(self, Request::Call(HostCall::StateRead | HostCall::StateWrite) | Request::Rollback)
	}
}

/// The keys of the constants table.
pub mod key {
	/// The state's length in bytes, `256 << depth`.
	pub const STATE_LEN: u32 = 1;
	/// The declared consensus time (absent if the statement declares none).
	pub const TIME: u32 = 2;
	/// The input's length.
	pub const INPUT_LEN: u32 = 3;
}

/// The constants-table key a call reads, if any.
pub fn constant_key(call: HostCall) -> Option<u32> {
	match call {
		HostCall::InputLen | HostCall::InputRead => Some(key::INPUT_LEN),
		HostCall::StateLen | HostCall::StateRead | HostCall::StateWrite => Some(key::STATE_LEN),
		HostCall::ConsensusTime => Some(key::TIME),
		HostCall::Output => None,
	}
}

/// Whether a call moves bytes (and has a length argument).
pub fn moves_bytes(call: HostCall) -> bool {
	matches!(call, HostCall::InputRead | HostCall::StateRead | HostCall::StateWrite | HostCall::Output)
}

/// The calls that move bytes, in the order of the host-byte table's flags.
pub const MOVING: [HostCall; 4] = [HostCall::InputRead, HostCall::StateRead, HostCall::StateWrite, HostCall::Output];

/// The bits of a call's length (`len ≤ 65536`).
pub const LEN_BITS: usize = 17;

/// Column layout of the host-call table.
pub mod call_columns {
	use super::LEN_BITS;
	/// The request flags, one-hot in [`agentic_primitives::abi::HostCall::ALL`] order, then the
	/// rollback's.
	pub const F: usize = 0;
	/// The number of flags.
	pub const FLAGS: usize = 8;
	/// `a0, a1, a2`, two words each.
	pub const ARGS: usize = F + FLAGS;
	/// The result, two words.
	pub const RES: usize = ARGS + 6;
	/// The output length before the call.
	pub const OUT: usize = RES + 2;
	/// The output length after it.
	pub const OUT_AFTER: usize = OUT + 1;
	/// The gas factor `H`, four coordinates.
	pub const H: usize = OUT_AFTER + 1;
	/// The calling row's timestamp (high word).
	pub const TS_HI: usize = H + 4;
	/// The invocation's name `κ`.
	pub const K: usize = TS_HI + 1;
	/// The high word of the invocation's first timestamp.
	pub const T_INV: usize = K + 1;
	/// The invocation traps.
	pub const T: usize = T_INV + 1;
	/// The constant's invocation field: `κ` for the input length, else 0.
	pub const ID: usize = T + 1;
	/// The constant read, two words.
	pub const C: usize = ID + 1;
	/// Its read counter.
	pub const RHO: usize = C + 2;
	/// The counter's inverse.
	pub const RHO_INV: usize = RHO + 1;
	/// The length's bits.
	pub const M: usize = RHO_INV + 1;
	/// Three ALU requests: op, `x`, `y`, `z` (two words each).
	pub const Q: usize = M + LEN_BITS;
	/// The width of one request.
	pub const Q_WIDTH: usize = 7;
	/// The bytes moved.
	pub const N: usize = Q + 3 * Q_WIDTH;
	/// `[n ≠ 0]`.
	pub const NZ: usize = N + 1;
	/// Its inverse witness.
	pub const NZ_INV: usize = NZ + 1;
	/// The guest address of the first byte.
	pub const G_START: usize = NZ_INV + 1;
	/// The other side's position of the first byte.
	pub const P_START: usize = G_START + 1;
	/// `[len mod 16 ≠ 0]`.
	pub const ROUND: usize = P_START + 1;
	/// The gas factor's partial products, four coordinates each.
	pub const PARTIAL: usize = ROUND + 1;
	/// The number of columns.
	pub const WIDTH: usize = PARTIAL + 12;
}

/// Column layout of the host-byte table.
pub mod byte_columns {
	use super::LEN_BITS;
	use crate::memory::{STAMP_BITS, TS_BIT};
	/// The flags of [`super::MOVING`], then the rollback's, one-hot on the active rows.
	pub const F: usize = 0;
	/// The number of flags.
	pub const FLAGS: usize = 5;
	/// The timestamp's high-word bits below [`TS_BIT`].
	pub const TS: usize = F + FLAGS;
	/// `lo`, the byte's number in its call (from 1).
	pub const LO: usize = TS + TS_BIT;
	/// The carries of `lo + 1` into bits `1..LEN_BITS`.
	pub const LO_C: usize = LO + LEN_BITS;
	/// The call's byte count.
	pub const N: usize = LO_C + LEN_BITS - 1;
	/// The row starts a call's run.
	pub const FIRST: usize = N + 1;
	/// The row ends it (`lo = n`).
	pub const LAST: usize = FIRST + 1;
	/// The inverse witness of `last`.
	pub const LAST_INV: usize = LAST + 1;
	/// The guest address's bits.
	pub const G: usize = LAST_INV + 1;
	/// The carries of `g + 1` into bits `1..32`.
	pub const G_C: usize = G + 32;
	/// The other position's bits.
	pub const P: usize = G_C + 31;
	/// The carries of `p + 1` into bits `1..=24` (the last is the carry out).
	pub const P_C: usize = P + 24;
	/// The byte moved.
	pub const BYTE: usize = P_C + 24;
	/// The input read's counter.
	pub const RHO: usize = BYTE + 1;
	/// Its inverse.
	pub const RHO_INV: usize = RHO + 1;
	/// The state byte before the access.
	pub const SOLD: usize = RHO_INV + 1;
	/// The invocation's name `κ`.
	pub const K: usize = SOLD + 1;
	/// The invocation traps.
	pub const T: usize = K + 1;
	/// The bits below [`TS_BIT`] of the high word of the invocation's first timestamp.
	pub const T_INV: usize = T + 1;
	/// The state cell's previous timestamp bits (low word's, then high word's).
	pub const PREV: usize = T_INV + TS_BIT;
	/// The borrows of `prev - ts`.
	pub const BORROW: usize = PREV + STAMP_BITS;
	/// `[prev < (t_inv, 0)]` on the rows of state calls: the call's first touch of the byte in
	/// the invocation.
	pub const TOUCH: usize = BORROW + STAMP_BITS;
	/// The borrows of `prev - (t_inv, 0)`.
	pub const TOUCH_BORROW: usize = TOUCH + 1;
	/// `touch · T`: the row sends the byte's value before the invocation to the rollback.
	pub const UNDO: usize = TOUCH_BORROW + STAMP_BITS;
	/// `output · (1 + T)`: the row's byte is part of a public output.
	pub const PUBLISH: usize = UNDO + 1;
	/// The number of columns.
	pub const WIDTH: usize = PUBLISH + 1;
}

/// The host-call table's AIR.
#[derive(Clone, Copy, Debug, Default)]
pub struct Calls;

/// The host-byte table's AIR.
#[derive(Clone, Copy, Debug, Default)]
pub struct Bytes;

/// The constants table's AIR: public `(key, invocation or 0, lo, hi)`, the final read counter
/// committed.
#[derive(Clone, Copy, Debug, Default)]
pub struct Constants;

/// The inputs table's AIR: public `(invocation, position, byte)`, the final read counter
/// committed.
#[derive(Clone, Copy, Debug, Default)]
pub struct Inputs;

/// The constant `v`, by its bit pattern.
fn value<AB: AirBuilder>(b: &AB, v: u32) -> AB::Expr {
	b.constant(Base::from_value(v))
}

/// `1 + bit (g + 1)`: `g` when the bit is set, else 1.
fn power_factor<AB: AirBuilder>(b: &AB, bit: AB::Expr, g: Ext) -> AB::Expr {
	b.one() + bit * b.constant_ext(g.add(&Ext::one()))
}

/// `ω_g^(2^j)`.
fn gas_power(j: usize) -> Ext {
	gas_generator().pow(1 << j)
}

/// The gas factor's partial products: the bits of `len` each factor takes (after `ω_g^20` and
/// the rounding bit, which the first takes).
const PARTIAL_BITS: [core::ops::Range<usize>; 4] = [4..7, 7..11, 11..15, 15..17];

impl Air for Calls {
	fn width(&self) -> usize {
		call_columns::WIDTH
	}

	fn eval<AB: AirBuilder>(&self, b: &mut AB) {
		use call_columns::*;
		let zero = b.constant(Base::zero());
		let active = b.selector(Selector::Active);
		let flag = |b: &AB, call: HostCall| b.cur(F + call as usize);
		let (il, ir, sl, sr, sw, out, ct) = (
			flag(b, HostCall::InputLen),
			flag(b, HostCall::InputRead),
			flag(b, HostCall::StateLen),
			flag(b, HostCall::StateRead),
			flag(b, HostCall::StateWrite),
			flag(b, HostCall::Output),
			flag(b, HostCall::ConsensusTime),
		);
		let rb = b.cur(F + Request::Rollback.flag());
		let state = sr.clone() + sw.clone();
		let moving = ir.clone() + state.clone() + out.clone();
		let arg = |b: &AB, k: usize, w: usize| b.cur(ARGS + 2 * k + w);

		// Flags: bits, pairwise exclusive, exactly one on the rows that are requests.
		for i in 0..FLAGS {
			b.assert_bit_column(F + i);
			for j in i + 1..FLAGS {
				b.assert_zero(b.cur(F + i) * b.cur(F + j));
			}
		}
		let sum = (1..FLAGS).fold(b.cur(F), |acc, i| acc + b.cur(F + i));
		b.assert_zero(active.clone() * (sum + b.one()));

		// The length: its bits are the length register's low word (0 for the calls that move
		// nothing), its high word is 0, and it is at most 65536. Pointers fit in 32 bits.
		let len_reg = |b: &AB, w: usize| (ir.clone() + state.clone()) * arg(b, 2, w) + out.clone() * arg(b, 1, w);
		let len = chip::pack(b, (0..LEN_BITS).map(|i| b.cur(M + i)));
		for i in 0..LEN_BITS {
			b.assert_bit_column(M + i);
		}
		b.assert_eq(len.clone(), len_reg(b, 0));
		b.assert_zero(len_reg(b, 1));
		for j in 0..LEN_BITS - 1 {
			b.assert_zero(b.cur(M + LEN_BITS - 1) * b.cur(M + j));
		}
		b.assert_zero((ir.clone() + out.clone()) * arg(b, 0, 1));
		b.assert_zero(state.clone() * arg(b, 1, 1));

		// The constant the call reads.
		let reads = il.clone() + ir.clone() + sl.clone() + state.clone() + ct.clone();
		let key = value(b, key::STATE_LEN) * (sl.clone() + state.clone())
			+ value(b, key::TIME) * ct.clone()
			+ value(b, key::INPUT_LEN) * (il.clone() + ir.clone());
		b.assert_eq(b.cur(ID), b.cur(K) * (il.clone() + ir.clone()));
		read(b, bus::CONSTANTS, reads.clone(), &[key, b.cur(ID), b.cur(C), b.cur(C + 1)], b.cur(RHO));
		b.assert_zero(reads.clone() * (b.cur(RHO) * b.cur(RHO_INV) + b.one()));
		for column in [C, C + 1, RHO, RHO_INV] {
			b.assert_zero((b.one() + reads.clone()) * b.cur(column));
		}

		// The ALU requests: operands and operations by call; none for the other calls.
		let q = |b: &AB, k: usize, field: usize| b.cur(Q + k * Q_WIDTH + field);
		let z = |b: &AB, k: usize| q(b, k, 5);
		let (ltu, sub, add) =
			(value(b, AluOp::LessUnsigned.id()), value(b, AluOp::Sub64.id()), value(b, AluOp::Add64.id()));
		let cw = |b: &AB, w: usize| b.cur(C + w);
		let out_word = |b: &AB, w: usize| if w == 0 { b.cur(OUT) } else { zero.clone() };
		let n_word = |b: &AB, w: usize| if w == 0 { b.cur(N) } else { zero.clone() };
		let limit = [value(b, abi::MAX_OUTPUT_LEN as u32), zero.clone()];
		let ops = [
			(ir.clone() + state.clone()) * ltu.clone() + out.clone() * sub.clone(),
			(ir.clone() + state.clone()) * sub + out.clone() * ltu.clone(),
			(ir.clone() + state.clone()) * ltu + out.clone() * add,
		];
		for (k, op) in ops.into_iter().enumerate() {
			b.assert_eq(q(b, k, 0), op);
		}
		for w in 0..2 {
			let (a0, a1, a2) = (arg(b, 0, w), arg(b, 1, w), arg(b, 2, w));
			let q1z = q(b, 0, 5 + w);
			let q2z = q(b, 1, 5 + w);
			let xs = [
				ir.clone() * a1.clone() + state.clone() * cw(b, w) + out.clone() * limit[w].clone(),
				(ir.clone() + state.clone()) * cw(b, w) + out.clone() * q1z,
				ir.clone() * a2.clone() + state.clone() * q2z.clone() + out.clone() * out_word(b, w),
			];
			let ys = [
				ir.clone() * cw(b, w) + state.clone() * a0.clone() + out.clone() * out_word(b, w),
				ir.clone() * a1.clone() + state.clone() * a0 + out.clone() * a1,
				ir.clone() * q2z + state.clone() * a2 + out.clone() * n_word(b, w),
			];
			for (k, (x, y)) in xs.into_iter().zip(ys).enumerate() {
				b.assert_eq(q(b, k, 1 + w), x);
				b.assert_eq(q(b, k, 3 + w), y);
				b.assert_zero((b.one() + moving.clone()) * q(b, k, 5 + w));
			}
		}
		for k in 0..3 {
			let fields: Vec<AB::Expr> = (0..Q_WIDTH).map(|field| q(b, k, field)).collect();
			b.interact(bus::ALU, Direction::Send, moving.clone(), &fields);
		}

		// Outcomes.
		let (z1, z2, z3) = (z(b, 0), z(b, 1), z(b, 2));
		let n = b.cur(N);
		// input_read: n = min(offset + len, L) - min(offset, L).
		let clamped = z1.clone() * (z3.clone() * arg(b, 2, 0) + (b.one() + z3.clone()) * z2.clone());
		b.assert_zero(ir.clone() * (n.clone() + clamped));
		b.assert_zero(ir.clone() * (b.cur(RES) + n.clone()));
		// state_read, state_write: out of bounds iff offset > S or len > S - offset.
		let oob = z1.clone() + z3.clone() + z1 * z3.clone();
		b.assert_zero(state.clone() * (b.cur(RES) + oob.clone()));
		b.assert_zero(state.clone() * (n.clone() + (b.one() + oob) * len.clone()));
		// output: full iff len > 4096 - out; out_after = out + n.
		b.assert_zero(out.clone() * (n.clone() + (b.one() + z2.clone()) * len.clone()));
		b.assert_zero(out.clone() * (b.cur(RES) + value(b, abi::ERR_OUTPUT_FULL as u32) * z2));
		b.assert_zero(out.clone() * (b.cur(OUT_AFTER) + z3));
		b.assert_zero((b.one() + out.clone()) * (b.cur(OUT_AFTER) + b.cur(OUT)));
		b.assert_zero((moving.clone() + rb.clone()) * b.cur(RES + 1));
		// The calls that return a constant.
		let constant = il + sl + ct;
		for w in 0..2 {
			b.assert_zero(constant.clone() * (b.cur(RES + w) + cw(b, w)));
		}
		// The rollback restores `u` bytes, its result, and only in an invocation that traps (the
		// CPU already ties ROLLBACK to such invocations; checked here too, review TR-6).
		b.assert_zero(rb.clone() * (b.cur(RES) + n.clone()));
		b.assert_zero(rb.clone() * (b.one() + b.cur(T)));
		b.assert_zero((b.one() + moving.clone() + rb.clone()) * n.clone());

		// The segment of the bytes moved.
		b.assert_bit_column(NZ);
		b.assert_eq(n.clone() * b.cur(NZ_INV), b.cur(NZ));
		b.assert_zero(n.clone() * (b.one() + b.cur(NZ)));
		b.assert_zero((b.one() + b.cur(NZ)) * b.cur(NZ_INV));
		b.assert_eq(b.cur(G_START), (ir.clone() + out.clone()) * arg(b, 0, 0) + state.clone() * arg(b, 1, 0));
		b.assert_eq(
			b.cur(P_START),
			ir.clone() * arg(b, 1, 0) + state.clone() * arg(b, 0, 0) + out.clone() * b.cur(OUT),
		);
		let id = (0..FLAGS).fold(zero.clone(), |acc, i| acc + value(b, i as u32 + 1) * b.cur(F + i));
		let segment = [id.clone(), b.cur(TS_HI), b.cur(G_START), b.cur(P_START), n, b.cur(K), b.cur(T_INV), b.cur(T)];
		b.interact(bus::SEGMENT, Direction::Send, b.cur(NZ), &segment);

		// Gas: H = ω^(20 + ⌈len / 16⌉) for a call, 1 for the rollback (len = 0), through partial
		// products of degree at most 6.
		let m = |b: &AB, j: usize| b.cur(M + j);
		let low = (0..4).fold(b.one(), |acc, j| acc * (b.one() + m(b, j)));
		b.assert_eq(b.cur(ROUND), b.one() + low);
		let call_steps = power_factor(b, b.one() + rb, gas_generator().pow(abi::HOST_CALL_STEPS));
		let mut previous = call_steps * power_factor(b, b.cur(ROUND), gas_generator());
		for (k, bits) in PARTIAL_BITS.iter().enumerate() {
			let product = bits.clone().fold(previous, |acc, j| acc * power_factor(b, m(b, j), gas_power(j - 4)));
			let target = if k < 3 { PARTIAL + 4 * k } else { H };
			b.assert_eq(b.cur_ext(target), product);
			previous = b.cur_ext(target);
		}

		// The request this row answers.
		let mut request = vec![id];
		request.extend((0..6).map(|i| b.cur(ARGS + i)));
		request.extend([b.cur(RES), b.cur(RES + 1), b.cur(OUT), b.cur(OUT_AFTER)]);
		request.extend((0..4).map(|k| b.cur(H + k)));
		request.extend([b.cur(TS_HI), b.cur(K), b.cur(T_INV), b.cur(T)]);
		b.interact(bus::HOST, Direction::Receive, b.one(), &request);
	}
}

/// `Σ bits x^i` of `count` columns from `first`.
fn packed<AB: AirBuilder>(b: &AB, first: usize, count: usize) -> AB::Expr {
	chip::pack(b, (0..count).map(|i| b.cur(first + i)))
}

/// The bits of `v + 1` over `count` bits from `first`, with the carries into bits `1..count`
/// at `carries`: asserts the carries and returns the packed sum.
fn increment<AB: AirBuilder>(b: &mut AB, first: usize, carries: usize, count: usize) -> AB::Expr {
	let carry = |b: &AB, i: usize| if i == 0 { b.one() } else { b.cur(carries + i - 1) };
	for i in 1..count {
		b.assert_eq(carry(b, i), carry(b, i - 1) * b.cur(first + i - 1));
	}
	chip::pack(b, (0..count).map(|i| b.cur(first + i) + carry(b, i)))
}

impl Air for Bytes {
	fn width(&self) -> usize {
		byte_columns::WIDTH
	}

	fn eval<AB: AirBuilder>(&self, b: &mut AB) {
		use byte_columns::*;
		let zero = b.constant(Base::zero());
		let active = b.selector(Selector::Active);
		let f = |b: &AB, k: usize| b.cur(F + k);
		let (ir, sr, sw, out, rb) = (f(b, 0), f(b, 1), f(b, 2), f(b, 3), f(b, 4));
		let state = sr.clone() + sw.clone();
		// The rows that move a byte between the guest and the host (all but the rollback's).
		let data = ir.clone() + state.clone() + out.clone();
		// The rows with a state cell.
		let cell = state.clone() + rb.clone();

		// Flags one-hot on the active rows; bits.
		for i in 0..FLAGS {
			b.assert_bool(f(b, i));
			for j in i + 1..FLAGS {
				b.assert_zero(f(b, i) * f(b, j));
			}
		}
		b.assert_zero(active.clone() * (data.clone() + rb.clone() + b.one()));
		// (These are read on the next row, so not declared bit columns.)
		for (first, count) in [(TS, TS_BIT), (LO, LEN_BITS), (G, 32), (P, 24), (T_INV, TS_BIT)] {
			for i in 0..count {
				b.assert_bool(b.cur(first + i));
			}
		}
		b.assert_bool(b.cur(FIRST));
		b.assert_bit_column(LAST);

		// Runs: row 0 and every inactive row are first rows, and a first row follows each last
		// row, so the active rows split into runs that each end with a last row.
		let (first, last) = (b.cur(FIRST), b.cur(LAST));
		b.assert_zero(b.selector(Selector::First) * (first.clone() + b.one()));
		b.assert_zero((b.one() + active.clone()) * (first.clone() + b.one()));
		b.assert_transition(b.next(FIRST) + last.clone());
		let lo = packed(b, LO, LEN_BITS);
		b.assert_zero(first.clone() * (lo.clone() + b.one()));
		// last = [lo = n].
		let gap = lo.clone() + b.cur(N);
		b.assert_zero(gap.clone() * last.clone());
		b.assert_eq(gap * b.cur(LAST_INV), b.one() + last.clone());
		b.assert_zero(last.clone() * b.cur(LAST_INV));

		// Within a run: the request, its timestamp, n and its invocation stay; lo and g step by
		// one, and so does p except in a rollback (whose addresses come with its bytes).
		let ts_low = packed(b, TS, TS_BIT);
		let t_inv = packed(b, T_INV, TS_BIT) + value(b, 1 << TS_BIT);
		let lo_next = increment(b, LO, LO_C, LEN_BITS);
		let g_next = increment(b, G, G_C, 32);
		let p_next = increment(b, P, P_C, 24);
		// g never wraps within a run (polkavm refuses a range past 2^32).
		b.assert_zero((b.one() + last.clone()) * b.cur(G_C + 30) * b.cur(G + 31));
		let p_carry_out = b.cur(P_C + 23);
		b.assert_eq(p_carry_out, b.cur(P_C + 22) * b.cur(P + 23));
		let stay = b.one() + last.clone();
		for k in 0..FLAGS {
			b.assert_transition(stay.clone() * (b.next(F + k) + f(b, k)));
		}
		b.assert_transition(stay.clone() * (packed_next(b, TS, TS_BIT) + ts_low.clone()));
		b.assert_transition(stay.clone() * (packed_next(b, T_INV, TS_BIT) + packed(b, T_INV, TS_BIT)));
		for column in [N, K, T] {
			b.assert_transition(stay.clone() * (b.next(column) + b.cur(column)));
		}
		b.assert_transition(stay.clone() * (packed_next(b, LO, LEN_BITS) + lo_next));
		b.assert_transition(stay.clone() * (packed_next(b, G, 32) + g_next));
		let moves = b.one() + rb.clone();
		b.assert_transition(stay * moves.clone() * (packed_next(b, P, 24) + p_next));
		// p never wraps (the public tables' positions are below 2^24).
		b.assert_zero((b.one() + last) * moves.clone() * b.cur(P_C + 23));

		// A run begins with its request's segment (a rollback's starts at position 0).
		let ts_hi = ts_low + value(b, 1 << TS_BIT);
		let (g, p) = (packed(b, G, 32), packed(b, P, 24));
		let id = (0..FLAGS).fold(zero.clone(), |acc, k| {
			let request = if k < MOVING.len() { Request::Call(MOVING[k]) } else { Request::Rollback };
			acc + value(b, request.id()) * f(b, k)
		});
		let segment = [id, ts_hi.clone(), g.clone(), moves * p.clone(), b.cur(N), b.cur(K), t_inv.clone(), b.cur(T)];
		b.interact(bus::SEGMENT, Direction::Receive, first, &segment);

		// The guest side: a one-byte store (into the guest) or unsigned load (from it).
		let store = crate::memory::AccessKind { size: 1, signed: false, store: true }.id();
		let byte = b.cur(BYTE);
		let access = [
			value(b, store) * (ir.clone() + sr.clone()),
			g,
			byte.clone(),
			zero.clone(),
			ts_hi.clone(),
			lo.clone(),
			t_inv,
		];
		b.interact(bus::ACCESS, Direction::Send, data, &access);

		// The input side.
		read(b, bus::INPUTS, ir.clone(), &[b.cur(K), p.clone(), byte.clone()], b.cur(RHO));
		b.assert_zero(ir.clone() * (b.cur(RHO) * b.cur(RHO_INV) + b.one()));
		for column in [RHO, RHO_INV] {
			b.assert_zero((b.one() + ir.clone()) * b.cur(column));
		}

		// The output side, unless the invocation traps.
		b.assert_eq(b.cur(PUBLISH), out * (b.one() + b.cur(T)));
		b.interact(bus::OUTPUT, Direction::Send, b.cur(PUBLISH), &[b.cur(K), p.clone(), byte.clone()]);

		// The state side: a byte cell read and written with a strictly later timestamp.
		b.assert_zero(sr * (b.cur(SOLD) + byte.clone()));
		b.assert_zero((b.one() + cell.clone()) * b.cur(SOLD));
		crate::memory::assert_earlier(b, cell.clone(), PREV, BORROW, LO, TS);
		let prev_lo = packed(b, PREV, LO_BITS);
		let prev_hi = packed(b, PREV + LO_BITS, crate::memory::TS_BITS);
		b.interact(bus::STATE, Direction::Receive, cell.clone(), &[p.clone(), b.cur(SOLD), prev_hi, prev_lo]);
		b.interact(bus::STATE, Direction::Send, cell, &[p.clone(), byte.clone(), ts_hi, lo]);

		// Rollback: a state call's first touch of a byte in a trapping invocation sends the
		// byte's value before the invocation; each rollback row receives one and writes it back.
		crate::memory::assert_first_touch(b, state, PREV, TOUCH_BORROW, T_INV, TOUCH);
		b.assert_eq(b.cur(UNDO), b.cur(TOUCH) * b.cur(T));
		b.interact(bus::UNDO, Direction::Send, b.cur(UNDO), &[b.cur(K), p.clone(), b.cur(SOLD)]);
		b.assert_zero(rb.clone() * (b.one() + b.cur(T)));
		b.interact(bus::UNDO, Direction::Receive, rb, &[b.cur(K), p, byte]);
	}
}

/// `Σ next(bits) x^i`.
fn packed_next<AB: AirBuilder>(b: &AB, first: usize, count: usize) -> AB::Expr {
	chip::pack(b, (0..count).map(|i| b.next(first + i)))
}

impl Air for Constants {
	fn width(&self) -> usize {
		5
	}

	fn eval<AB: AirBuilder>(&self, b: &mut AB) {
		serve(b, bus::CONSTANTS, 4);
	}
}

impl Air for Inputs {
	fn width(&self) -> usize {
		4
	}

	fn eval<AB: AirBuilder>(&self, b: &mut AB) {
		serve(b, bus::INPUTS, 3);
	}
}

/// One host request as the host-call table needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CallRow {
	/// The call, or the rollback.
	pub call: Request,
	/// `a0, a1, a2`.
	pub args: [u64; 3],
	/// The result (`a0` after the call).
	pub result: u64,
	/// The output length before the call.
	pub out: u32,
	/// The output length after it.
	pub out_after: u32,
	/// The calling row's timestamp (high word).
	pub ts_hi: u32,
	/// The invocation's name `κ`.
	pub k: Base,
	/// The high word of the invocation's first timestamp.
	pub t_inv: u32,
	/// The invocation traps.
	pub trapped: bool,
	/// The constant read (value) and its read counter.
	pub constant: Option<(u64, Base)>,
	/// The length argument (0 for the calls that move nothing).
	pub len: u32,
	/// The three ALU requests with their results (zero for the calls that move nothing).
	pub queries: [(AluOp, u64, u64, u64); 3],
	/// The bytes moved.
	pub n: u32,
	/// The guest address of the first byte.
	pub g_start: u32,
	/// The other side's position of the first byte.
	pub p_start: u32,
}

impl CallRow {
	/// The gas the call is charged: `20 + ⌈len / 16⌉` (the rollback is free).
	pub fn cost(&self) -> u64 {
		match self.call {
			Request::Call(_) => abi::HOST_CALL_STEPS + u64::from(self.len).div_ceil(abi::BYTES_PER_STEP),
			Request::Rollback => 0,
		}
	}

	/// `ω_g^cost`.
	pub fn gas_factor(&self) -> Ext {
		gas_generator().pow(self.cost())
	}
}

/// One byte a call moves, or one state byte a rollback restores, as the host-byte table needs
/// it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ByteRow {
	/// The call (one of [`MOVING`]), or the rollback.
	pub call: Request,
	/// The calling row's timestamp (high word).
	pub ts_hi: u32,
	/// The invocation's name `κ`.
	pub k: Base,
	/// The high word of the invocation's first timestamp.
	pub t_inv: u32,
	/// The invocation traps.
	pub trapped: bool,
	/// The byte's number in the call, from 1.
	pub lo: u32,
	/// The call's byte count.
	pub n: u32,
	/// The guest address.
	pub g: u32,
	/// The other side's position (the state address, for the rollback).
	pub p: u32,
	/// The byte (the value restored, for the rollback).
	pub byte: u8,
	/// The input read's counter (input reads).
	pub rho: Base,
	/// The state byte before (state calls and the rollback).
	pub sold: u8,
	/// The state cell's previous timestamp (state calls and the rollback).
	pub prev: u64,
}

impl ByteRow {
	/// The `lo`-th byte (from 1) of the request `at`, at guest address `g` and position `p`
	/// (no counter, no state cell: the callers set those).
	fn of(at: &CallRow, lo: u32, g: u32, p: u32, byte: u8) -> Self {
		ByteRow {
			call: at.call,
			ts_hi: at.ts_hi,
			k: at.k,
			t_inv: at.t_inv,
			trapped: at.trapped,
			lo,
			n: at.n,
			g,
			p,
			byte,
			rho: Base::zero(),
			sold: 0,
			prev: 0,
		}
	}
}

/// The host-call table's columns over `2^num_vars` rows (padding: rows with no call).
pub fn call_trace(rows: &[CallRow], num_vars: u32) -> Vec<Vec<Base>> {
	let coordinates = agentic_air::ext::Coordinates::new();
	table(rows.iter().map(Some), num_vars, call_columns::WIDTH, |row| call_row_values(row, &coordinates))
}

/// The host-byte table's columns over `2^num_vars` rows (padding: first and last rows of a
/// one-byte run with no call).
pub fn byte_trace(rows: &[ByteRow], num_vars: u32) -> Vec<Vec<Base>> {
	let mut columns = table(rows.iter().map(Some), num_vars, byte_columns::WIDTH, byte_row_values);
	for i in 0..rows.len() {
		let first = i == 0 || rows[i - 1].lo == rows[i - 1].n;
		columns[byte_columns::FIRST][i] = Base::from_value(u32::from(first));
	}
	columns
}

fn table<'a, T: 'a>(
	rows: impl Iterator<Item = Option<&'a T>>,
	num_vars: u32,
	width: usize,
	values: impl Fn(Option<&T>) -> Vec<Base>,
) -> Vec<Vec<Base>> {
	let height = 1usize << num_vars;
	let mut columns = vec![vec![Base::zero(); height]; width];
	let mut rows = rows.chain(core::iter::repeat(None));
	for i in 0..height {
		let row = rows.next().flatten();
		for (column, value) in columns.iter_mut().zip(values(row)) {
			column[i] = value;
		}
	}
	columns
}

fn bit(v: u64, i: usize) -> Base {
	Base::from_value(((v >> i) & 1) as u32)
}

fn word(v: u64, w: usize) -> Base {
	Base::from_value((v >> (32 * w)) as u32)
}

/// The carries of `v + 1` into bits `1..count`.
fn carries(v: u64, count: usize) -> impl Iterator<Item = Base> {
	(1..count).map(move |i| Base::from_value(u32::from(v & ((1 << i) - 1) == (1 << i) - 1)))
}

fn call_row_values(row: Option<&CallRow>, coordinates: &agentic_air::ext::Coordinates) -> Vec<Base> {
	use call_columns::*;
	let mut out = vec![Base::zero(); WIDTH];
	let len = row.map_or(0, |r| r.len);
	for i in 0..LEN_BITS {
		out[M + i] = bit(u64::from(len), i);
	}
	out[ROUND] = Base::from_value(u32::from(len % 16 != 0));
	// The partial products, as the constraints build them (the rollback costs nothing).
	let call_steps = if row.is_some_and(|r| r.call == Request::Rollback) { 0 } else { abi::HOST_CALL_STEPS };
	let mut product = gas_generator().pow(call_steps + u64::from(len % 16 != 0));
	for (k, bits) in PARTIAL_BITS.iter().enumerate() {
		for j in bits.clone() {
			if (len >> j) & 1 == 1 {
				product = product.mul(&gas_power(j - 4));
			}
		}
		let target = if k < 3 { PARTIAL + 4 * k } else { H };
		out[target..target + 4].copy_from_slice(&coordinates.of(product));
	}
	let Some(row) = row else { return out };
	out[F + row.call.flag()] = Base::one();
	for (k, &a) in row.args.iter().enumerate() {
		out[ARGS + 2 * k] = word(a, 0);
		out[ARGS + 2 * k + 1] = word(a, 1);
	}
	out[RES] = word(row.result, 0);
	out[RES + 1] = word(row.result, 1);
	out[OUT] = Base::from_value(row.out);
	out[OUT_AFTER] = Base::from_value(row.out_after);
	out[TS_HI] = Base::from_value(row.ts_hi);
	out[K] = row.k;
	out[T_INV] = Base::from_value(row.t_inv);
	out[T] = Base::from_value(u32::from(row.trapped));
	if matches!(row.call, Request::Call(HostCall::InputLen | HostCall::InputRead)) {
		out[ID] = row.k;
	}
	if let Some((value, rho)) = row.constant {
		out[C] = word(value, 0);
		out[C + 1] = word(value, 1);
		out[RHO] = rho;
		out[RHO_INV] = inv_base(&rho);
	}
	if row.call.moves_bytes() {
		for (k, &(op, x, y, z)) in row.queries.iter().enumerate() {
			let values =
				[Base::from_value(op.id()), word(x, 0), word(x, 1), word(y, 0), word(y, 1), word(z, 0), word(z, 1)];
			out[Q + k * Q_WIDTH..Q + (k + 1) * Q_WIDTH].copy_from_slice(&values);
		}
	}
	out[N] = Base::from_value(row.n);
	if row.n != 0 {
		out[NZ] = Base::one();
		out[NZ_INV] = inv_base(&Base::from_value(row.n));
	}
	out[G_START] = Base::from_value(row.g_start);
	out[P_START] = Base::from_value(row.p_start);
	out
}

fn byte_row_values(row: Option<&ByteRow>) -> Vec<Base> {
	use byte_columns::*;
	let mut out = vec![Base::zero(); WIDTH];
	let (lo, n) = row.map_or((1, 1), |r| (r.lo, r.n));
	for i in 0..LEN_BITS {
		out[LO + i] = bit(u64::from(lo), i);
	}
	for (i, carry) in carries(u64::from(lo), LEN_BITS).enumerate() {
		out[LO_C + i] = carry;
	}
	out[N] = Base::from_value(n);
	out[FIRST] = Base::one();
	if lo == n {
		out[LAST] = Base::one();
	} else {
		out[LAST_INV] = inv_base(&Base::from_value(lo).add(&Base::from_value(n)));
	}
	// Padding: g = p = 0 still have the carries of 0 + 1.
	let (g, p) = row.map_or((0, 0), |r| (r.g, r.p));
	for i in 0..32 {
		out[G + i] = bit(u64::from(g), i);
	}
	for (i, carry) in carries(u64::from(g), 32).enumerate() {
		out[G_C + i] = carry;
	}
	for i in 0..24 {
		out[P + i] = bit(u64::from(p), i);
	}
	for (i, carry) in carries(u64::from(p), 25).enumerate() {
		out[P_C + i] = carry;
	}
	let Some(row) = row else { return out };
	let k = row.call.byte_flag().expect("a request with bytes");
	out[F + k] = Base::one();
	for i in 0..TS_BIT {
		out[TS + i] = bit(u64::from(row.ts_hi), i);
		out[T_INV + i] = bit(u64::from(row.t_inv), i);
	}
	out[BYTE] = Base::from_value(u32::from(row.byte));
	out[K] = row.k;
	out[T] = Base::from_value(u32::from(row.trapped));
	if row.call == Request::Call(HostCall::InputRead) {
		out[RHO] = row.rho;
		out[RHO_INV] = row.rho.inv();
	}
	if row.call == Request::Call(HostCall::Output) && !row.trapped {
		out[PUBLISH] = Base::one();
	}
	if row.call.touches_state() {
		out[SOLD] = Base::from_value(u32::from(row.sold));
		let (bits, borrows) = crate::memory::earlier_cells(row.prev, crate::memory::stamp(row.ts_hi, row.lo));
		out[PREV..PREV + STAMP_BITS].copy_from_slice(&bits);
		out[BORROW..BORROW + STAMP_BITS].copy_from_slice(&borrows);
	}
	if row.call.touches_state() && row.call != Request::Rollback {
		let (_, borrows) = crate::memory::earlier_cells(row.prev, crate::memory::stamp(row.t_inv, 0));
		out[TOUCH_BORROW..TOUCH_BORROW + STAMP_BITS].copy_from_slice(&borrows);
		let touch = borrows[STAMP_BITS - 1];
		out[TOUCH] = touch;
		if row.trapped {
			out[UNDO] = touch;
		}
	}
	out
}

/// The name `κ_k = ω^k` of the `k`-th invocation (from 1) on the buses.
pub fn invocation_name(k: usize) -> Base {
	counter(k as u64)
}

/// The constants table's entries `(key, invocation, value)`: the state length, the time if
/// declared, and each input's length (keyed by its invocation's name).
pub fn constant_entries(state_len: u64, time: Option<u64>, inputs: &[Vec<u8>]) -> Vec<(u32, Base, u64)> {
	let mut entries = vec![(key::STATE_LEN, Base::zero(), state_len)];
	if let Some(time) = time {
		entries.push((key::TIME, Base::zero(), time));
	}
	for (k, input) in inputs.iter().enumerate() {
		entries.push((key::INPUT_LEN, invocation_name(k + 1), input.len() as u64));
	}
	entries
}

/// The public columns of the constants table.
pub fn constant_columns(entries: &[(u32, Base, u64)], num_vars: u32) -> Vec<Vec<Base>> {
	let mut columns = vec![vec![Base::zero(); 1 << num_vars]; 4];
	for (i, &(key, id, value)) in entries.iter().enumerate() {
		columns[0][i] = Base::from_value(key);
		columns[1][i] = id;
		columns[2][i] = word(value, 0);
		columns[3][i] = word(value, 1);
	}
	columns
}

/// The public columns of the inputs table: `(κ_k, position, byte)` for every byte of every
/// input.
pub fn input_columns(inputs: &[Vec<u8>], num_vars: u32) -> Vec<Vec<Base>> {
	let mut columns = vec![vec![Base::zero(); 1 << num_vars]; 3];
	let bytes = inputs.iter().enumerate().flat_map(|(k, input)| {
		input.iter().enumerate().map(move |(i, &byte)| (invocation_name(k + 1), i as u32, byte))
	});
	for (row, (k, i, byte)) in bytes.enumerate() {
		columns[0][row] = k;
		columns[1][row] = Base::from_value(i);
		columns[2][row] = Base::from_value(u32::from(byte));
	}
	columns
}

/// `ω^reads`, the read counter after `reads` reads.
pub fn counter(reads: u64) -> Base {
	counter_step().pow(reads)
}

/// What a run reads besides its program: the inputs (one invocation each), the state and the
/// time.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunInput {
	/// The inputs, in order.
	pub inputs: Vec<Vec<u8>>,
	/// The state's depth (`2^depth` pages).
	pub depth: u8,
	/// The declared consensus time.
	pub time: Option<u64>,
	/// The state's pages that are not zero.
	pub pages: alloc::collections::BTreeMap<u32, [u8; crate::state::PAGE]>,
}

impl RunInput {
	/// The state's length in bytes.
	pub fn state_len(&self) -> u64 {
		(crate::state::PAGE as u64) << self.depth
	}
}

/// The invocation a host call is made in: its index (from 0), first timestamp and input.
#[derive(Clone, Copy, Debug)]
pub struct Current<'a> {
	/// The index of the invocation, from 0.
	pub index: usize,
	/// The high word of its first timestamp.
	pub t_inv: u32,
	/// Its input.
	pub input: &'a [u8],
}

/// The host of one invocation as the witness runs it: the ABI's calls with exec.rs's
/// semantics, recording the rows the host tables need. A call that would trap is refused
/// (`None`): v1 does not prove traps.
#[derive(Clone, Debug, Default)]
pub struct Host {
	/// The output so far.
	pub output: Vec<u8>,
	/// The state bytes accessed.
	pub state: crate::state::StateTracker,
	/// Reads of each constants-table entry, by key and invocation index (0 for the global ones).
	pub constant_reads: alloc::collections::BTreeMap<(u32, usize), u64>,
	/// Reads of each input byte, by invocation index and position.
	pub input_reads: alloc::collections::BTreeMap<(usize, u32), u64>,
	/// The state bytes the current invocation touched, with their values before it.
	undo: alloc::collections::BTreeMap<u32, u8>,
}

impl Host {
	/// Starts an invocation: no output yet, no state byte touched.
	pub fn start(&mut self) {
		self.output.clear();
		self.undo.clear();
	}

	/// Carries out the rollback of a `trap` at CPU row timestamp `ts_hi` with the machine's
	/// registers: restores every state byte the invocation touched to its value before it, at
	/// timestamps `(ts_hi, 1..=u)` in ascending address order, and discards the output; returns
	/// its rows, or `None` if `u` does not fit the timestamps' low word.
	pub fn rollback(
		&mut self,
		machine: &crate::machine::Machine<'_>,
		run: &RunInput,
		current: Current<'_>,
		ts_hi: u32,
	) -> Option<(CallRow, Vec<ByteRow>)> {
		self.restore(machine, run, current, ts_hi, 0)
	}

	/// [`Host::rollback`], leaving the `skip` lowest addresses as the invocation left them (none
	/// for the honest rollback; some for the forged witnesses of the tests).
	pub(crate) fn restore(
		&mut self,
		machine: &crate::machine::Machine<'_>,
		run: &RunInput,
		current: Current<'_>,
		ts_hi: u32,
		skip: usize,
	) -> Option<(CallRow, Vec<ByteRow>)> {
		use crate::machine::A0;
		let (k, t_inv) = (invocation_name(current.index + 1), current.t_inv);
		let undo: Vec<(u32, u8)> = core::mem::take(&mut self.undo).into_iter().skip(skip).collect();
		let u = u32::try_from(undo.len()).ok().filter(|&u| u < 1 << LO_BITS)?;
		let out = self.output.len() as u32;
		self.output.clear();
		let row = CallRow {
			call: Request::Rollback,
			args: [machine.reg(A0), machine.reg(A0 + 1), machine.reg(A0 + 2)],
			result: u64::from(u),
			out,
			out_after: out,
			ts_hi,
			k,
			t_inv,
			trapped: true,
			constant: None,
			len: 0,
			queries: [(AluOp::Add64, 0, 0, 0); 3],
			n: u,
			g_start: 0,
			p_start: 0,
		};
		// The rollback's byte `j` sits at guest position `j - 1` (its run steps `g` from 0, with
		// no guest access) and writes at `(ts_hi, j)`.
		let bytes = (1..)
			.zip(undo)
			.map(|(j, (p, value))| {
				let (sold, prev) = self.state.access(&run.pages, p, Some(value), crate::memory::stamp(ts_hi, j));
				ByteRow { sold, prev, ..ByteRow::of(&row, j, j - 1, p, value) }
			})
			.collect();
		Some((row, bytes))
	}

	/// Carries out `call` for the machine's registers at CPU row timestamp `ts_hi`: charges it,
	/// moves its bytes, sets `a0`; returns its rows.
	pub fn call(
		&mut self,
		machine: &mut crate::machine::Machine<'_>,
		run: &RunInput,
		current: Current<'_>,
		call: HostCall,
		ts_hi: u32,
	) -> Option<(CallRow, Vec<ByteRow>)> {
		let k = invocation_name(current.index + 1);
		let t_inv = current.t_inv;
		use crate::machine::A0;
		let args = [machine.reg(A0), machine.reg(A0 + 1), machine.reg(A0 + 2)];
		let [a0, a1, a2] = args;
		let max = u64::from(abi::MAX_ACCESS_LEN);
		let (len, pointer) = match call {
			HostCall::InputRead => (a2, Some(a0)),
			HostCall::StateRead | HostCall::StateWrite => (a2, Some(a1)),
			HostCall::Output => (a1, Some(a0)),
			_ => (0, None),
		};
		// Traps in exec.rs, which v1 does not prove.
		if len > max || pointer.is_some_and(|p| p > u64::from(u32::MAX)) {
			return None;
		}
		let len = len as u32;
		let out = self.output.len() as u32;
		let state_len = run.state_len();
		let input_len = current.input.len() as u64;
		let constant = constant_key(call).map(|key| {
			let value = match key {
				key::STATE_LEN => Some(state_len),
				key::TIME => run.time,
				_ => Some(input_len),
			};
			let index = if key == key::INPUT_LEN { current.index + 1 } else { 0 };
			let reads = self.constant_reads.entry((key, index)).or_insert(0);
			let rho = counter(*reads);
			*reads += 1;
			value.map(|value| (value, rho))
		});
		let constant = match constant {
			Some(None) => return None,
			Some(Some(c)) => Some(c),
			None => None,
		};
		let query = |op: AluOp, x: u64, y: u64| (op, x, y, op.apply(x, y));
		let mut row = CallRow {
			call: Request::Call(call),
			args,
			result: 0,
			out,
			out_after: out,
			ts_hi,
			k,
			t_inv,
			trapped: false,
			constant,
			len,
			queries: [(AluOp::Add64, 0, 0, 0); 3],
			n: 0,
			g_start: 0,
			p_start: 0,
		};
		let mut bytes = Vec::new();
		match call {
			HostCall::InputLen => row.result = input_len,
			HostCall::StateLen => row.result = state_len,
			HostCall::ConsensusTime => row.result = constant?.0,
			HostCall::InputRead => {
				let q2 = query(AluOp::Sub64, input_len, a1);
				row.queries = [query(AluOp::LessUnsigned, a1, input_len), q2, query(AluOp::LessUnsigned, a2, q2.3)];
				let start = a1.min(input_len);
				let end = a1.saturating_add(a2).min(input_len);
				row.n = (end - start) as u32;
				row.result = u64::from(row.n);
				(row.g_start, row.p_start) = (a0 as u32, a1 as u32);
				for j in 0..row.n {
					let p = row.p_start + j;
					let byte = current.input[p as usize];
					if !machine.write(row.g_start.checked_add(j)?, &[byte]) {
						return None;
					}
					let reads = self.input_reads.entry((current.index, p)).or_insert(0);
					let rho = counter(*reads);
					*reads += 1;
					let g = row.g_start.wrapping_add(j);
					bytes.push(ByteRow { rho, ..ByteRow::of(&row, j + 1, g, p, byte) });
				}
			},
			HostCall::StateRead | HostCall::StateWrite => {
				let q2 = query(AluOp::Sub64, state_len, a0);
				row.queries = [query(AluOp::LessUnsigned, state_len, a0), q2, query(AluOp::LessUnsigned, q2.3, a2)];
				(row.g_start, row.p_start) = (a1 as u32, a0 as u32);
				if a0.saturating_add(a2) > state_len {
					row.result = abi::ERR_OUT_OF_BOUNDS;
				} else {
					row.n = len;
					for j in 0..row.n {
						let (g, p) = (row.g_start.wrapping_add(j), row.p_start + j);
						let ts = crate::memory::stamp(ts_hi, j + 1);
						let (byte, sold, prev) = if call == HostCall::StateRead {
							let (sold, prev) = self.state.access(&run.pages, p, None, ts);
							if !machine.write(g, &[sold]) {
								return None;
							}
							(sold, sold, prev)
						} else {
							let byte = machine.read(g, 1)?[0];
							let (sold, prev) = self.state.access(&run.pages, p, Some(byte), ts);
							(byte, sold, prev)
						};
						// The value before the invocation, for a rollback.
						self.undo.entry(p).or_insert(sold);
						bytes.push(ByteRow { sold, prev, ..ByteRow::of(&row, j + 1, g, p, byte) });
					}
				}
			},
			HostCall::Output => {
				let q1 = query(AluOp::Sub64, abi::MAX_OUTPUT_LEN as u64, u64::from(out));
				let q2 = query(AluOp::LessUnsigned, q1.3, a1);
				(row.g_start, row.p_start) = (a0 as u32, out);
				if q2.3 == 1 {
					row.result = abi::ERR_OUTPUT_FULL;
				} else {
					row.n = len;
					for j in 0..row.n {
						let g = row.g_start.wrapping_add(j);
						let byte = machine.read(g, 1)?[0];
						self.output.push(byte);
						bytes.push(ByteRow::of(&row, j + 1, g, out + j, byte));
					}
				}
				row.out_after = out + row.n;
				row.queries = [q1, q2, query(AluOp::Add64, u64::from(out), u64::from(row.n))];
			},
		}
		machine.set_reg(A0, row.result);
		machine.charge(row.cost());
		Some((row, bytes))
	}
}

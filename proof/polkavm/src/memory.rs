//! Memory on the chips layout: the access chip, the RAM table and the read-only image
//! (`docs/proof-system.md`, "Memory on the chips layout").
//!
//! Memory is checked in 8-byte words (`w = address / 8`, unique across regions). The access
//! chip has one row per load or store: it receives the CPU's request `(kind, A, V_lo, V_hi,
//! ts)`, splits `A` into the word `w` and the offset `o`, and works on two *lanes*, the word `w`
//! and, when the access crosses into the next word, `w + 1`. A read-write lane receives the
//! word's cell `(w, old, prev_ts)` and sends `(w, new, ts)` on bus `RAM` with `prev_ts < ts`
//! proven strictly; a read-only lane reads `(w, old)` from the public image with a counter.
//! The RAM table sends every read-write word's initial cell `(w, image, 0)` and receives its
//! final cell. Timestamps are `2^29 + i` for CPU row `i`, above the initial cells' 0.

use agentic_air::{Air, AirBuilder, Base, BinaryFieldElement, Direction, Selector};
use agentic_pcs::field::inv_base;
use alloc::{vec, vec::Vec};

use crate::{bus, chip, cpu::counter_step};

/// The timestamp bit every access has set (so that every access comes after the initial
/// cells, whose timestamp is 0); the CPU row index gives the bits below.
pub const TS_BIT: usize = 29;

/// The bits of a timestamp's high word (a CPU row's `2^29 + i`).
pub const TS_BITS: usize = TS_BIT + 1;

/// The bits of a timestamp's low word (0 for an instruction's access, `j` for the `j`-th byte
/// a host call moves).
pub const LO_BITS: usize = 17;

/// The bits of a whole timestamp `hi · 2^17 + lo`, the order the borrow chains check.
pub const STAMP_BITS: usize = LO_BITS + TS_BITS;

/// A timestamp as the integer the cells are ordered by.
pub fn stamp(hi: u32, lo: u32) -> u64 {
	(u64::from(hi) << LO_BITS) | u64::from(lo)
}

/// The borrow chain of `prev - ts` over [`STAMP_BITS`] bits, gated: `prev`'s bits are the
/// columns from `prev` (low word first); `ts`'s low word is the columns from `ts_lo` (or 0) and
/// its high word the columns from `ts_hi` below [`TS_BIT`] (that bit is always set); the
/// borrows are the columns from `borrows`. Returns the borrow out (`gate · [prev < ts]`).
fn borrow_chain<AB: AirBuilder>(
	b: &mut AB,
	gate: AB::Expr,
	prev: usize,
	borrows: usize,
	ts_lo: Option<usize>,
	ts_hi: usize,
) -> AB::Expr {
	let ts_bit = |b: &AB, i: usize| match i.checked_sub(LO_BITS) {
		None => ts_lo.map_or_else(|| b.constant(Base::zero()), |first| b.cur(first + i)),
		Some(TS_BIT) => b.one(),
		Some(j) => b.cur(ts_hi + j),
	};
	let borrow = |b: &AB, i: usize| if i == 0 { b.constant(Base::zero()) } else { b.cur(borrows + i - 1) };
	for i in 0..STAMP_BITS {
		let (p, t) = (b.cur(prev + i), ts_bit(b, i));
		let next = (b.one() + p.clone()) * t.clone() + borrow(b, i) * (b.one() + p + t);
		b.assert_eq(borrow(b, i + 1), gate.clone() * next);
	}
	borrow(b, STAMP_BITS)
}

/// Requires `prev < ts` when `gate` is 1, for the cell timestamps [`stamp`]`(hi, lo)`: the
/// committed bits of `prev` are booleans, 0 when the gate is off, and the borrow out of
/// `prev - ts` equals the gate (see `borrow_chain` for the columns). Strict: a cell must never
/// be received with the timestamp it is sent with (a self-loop would let a load return
/// anything).
pub(crate) fn assert_earlier<AB: AirBuilder>(
	b: &mut AB,
	gate: AB::Expr,
	prev: usize,
	borrows: usize,
	ts_lo: usize,
	ts_hi: usize,
) {
	for i in 0..STAMP_BITS {
		b.assert_bit_column(prev + i);
		b.assert_zero((b.one() + gate.clone()) * b.cur(prev + i));
	}
	let out = borrow_chain(b, gate.clone(), prev, borrows, Some(ts_lo), ts_hi);
	b.assert_eq(out, gate);
}

/// Requires column `flag` to be `gate · [prev < (t_inv, 0)]`: the cell was last accessed before
/// the invocation that started at `t_inv` (whose bits below [`TS_BIT`] are the columns from
/// `t_inv`), so this is its first touch in the invocation. `prev`'s bits are asserted by
/// [`assert_earlier`].
pub(crate) fn assert_first_touch<AB: AirBuilder>(
	b: &mut AB,
	gate: AB::Expr,
	prev: usize,
	borrows: usize,
	t_inv: usize,
	flag: usize,
) {
	let out = borrow_chain(b, gate, prev, borrows, None, t_inv);
	b.assert_eq(out, b.cur(flag));
}

/// The witness of [`assert_earlier`]: the bits of `prev` and the borrows of `prev - ts`.
pub(crate) fn earlier_cells(prev: u64, ts: u64) -> ([Base; STAMP_BITS], [Base; STAMP_BITS]) {
	let mut bits = [Base::zero(); STAMP_BITS];
	let mut borrows = [Base::zero(); STAMP_BITS];
	let mut borrow = 0u64;
	for i in 0..STAMP_BITS {
		let (p, t) = ((prev >> i) & 1, (ts >> i) & 1);
		bits[i] = Base::from_value(p as u32);
		borrow = ((1 ^ p) & t) | (borrow & (1 ^ p ^ t));
		borrows[i] = Base::from_value(borrow as u32);
	}
	(bits, borrows)
}

/// A load or store's kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AccessKind {
	/// 1, 2, 4 or 8 bytes.
	pub size: u32,
	/// A load that sign-extends.
	pub signed: bool,
	/// A store (else a load).
	pub store: bool,
}

/// The access sizes, in the order of their flags.
pub const SIZES: [u32; 4] = [1, 2, 4, 8];

impl AccessKind {
	/// The kind's id in the program table: `log2(size) + 4 signed + 8 store`.
	pub fn id(&self) -> u32 {
		self.size.trailing_zeros() + 4 * u32::from(self.signed) + 8 * u32::from(self.store)
	}
}

/// Column layout of the access chip.
pub mod columns {
	use super::TS_BIT;

	/// The 32 bits of the address.
	pub const A: usize = 0;
	/// The size flags (1, 2, 4, 8 bytes), one-hot.
	pub const SIZE: usize = A + 32;
	/// A sign-extending load.
	pub const SIGNED: usize = SIZE + 4;
	/// A store.
	pub const STORE: usize = SIGNED + 1;
	/// The timestamp's high-word bits below [`TS_BIT`] (that bit is always set).
	pub const TS: usize = STORE + 1;
	/// The timestamp's low-word bits.
	pub const TS_LO: usize = TS + TS_BIT;
	/// The 64 bits of the value loaded or stored.
	pub const V: usize = TS_LO + super::LO_BITS;
	/// The offset flags `o = A mod 8`, one-hot, decoded from the address's low bits.
	pub const OFFSET: usize = V + 64;
	/// The access crosses into the next word.
	pub const CROSS: usize = OFFSET + 8;
	/// The sign bit a sign-extending load copies (0 for other accesses).
	pub const SIGN: usize = CROSS + 1;
	/// The carries of `w + 1`: `c_i` into address bit `i`, for `i` in `4..=32`.
	pub const CARRY: usize = SIGN + 1;
	/// The bits below [`TS_BIT`] of the high word of the current invocation's first timestamp.
	pub const T_INV: usize = CARRY + 29;
	/// The first lane's columns; the second lane's follow at `LANE + LANE_WIDTH`.
	pub const LANE: usize = T_INV + TS_BIT;
	/// The columns of one lane, from its first column.
	pub mod lane {
		use super::super::STAMP_BITS;
		/// The word is read-only data.
		pub const RO: usize = 0;
		/// The gate of the read-write cell.
		pub const RAM: usize = 1;
		/// The word's 64 bits before the access.
		pub const OLD: usize = 2;
		/// The word's 64 bits after it.
		pub const NEW: usize = OLD + 64;
		/// The previous access's timestamp bits (the low word's, then the high word's).
		pub const PREV: usize = NEW + 64;
		/// The borrows of `prev_ts - ts`: `b_i` out of bit `i - 1`, for `i` in `1..=STAMP_BITS`.
		pub const BORROW: usize = PREV + STAMP_BITS;
		/// The read counter of the image lookup.
		pub const RHO: usize = BORROW + STAMP_BITS;
		/// Its inverse.
		pub const RHO_INV: usize = RHO + 1;
		/// The read-write cell's value as received, two words.
		pub const CUR: usize = RHO_INV + 1;
		/// The cell's first touch in this invocation (its old value is the image's).
		pub const FIRST: usize = CUR + 2;
		/// The borrows of `prev_ts - (t_inv, 0)`.
		pub const FIRST_BORROW: usize = FIRST + 1;
		/// The word's initial value (read from the RAM table on a first touch), two words.
		pub const IMG: usize = FIRST_BORROW + STAMP_BITS;
		/// The initial-value read's counter.
		pub const RHO_IMG: usize = IMG + 2;
		/// Its inverse.
		pub const RHO_IMG_INV: usize = RHO_IMG + 1;
		/// The number of columns of a lane.
		pub const WIDTH: usize = RHO_IMG_INV + 1;
	}
	/// The number of columns.
	pub const WIDTH: usize = LANE + 2 * lane::WIDTH;
}

/// The access chip's AIR.
#[derive(Clone, Copy, Debug, Default)]
pub struct Access;

/// The RAM table's AIR: public `(w, image_lo, image_hi)`, committed `(final_lo, final_hi,
/// last_hi, last_lo)` and the final counter of the image reads.
#[derive(Clone, Copy, Debug, Default)]
pub struct Ram;

/// The read-only image's AIR: public `(w, lo, hi)`, the final read counter committed.
#[derive(Clone, Copy, Debug, Default)]
pub struct RoImage;

/// `Σ_i cells[i] x^i` over `count` (at most 32) columns from `first`.
fn packed<AB: AirBuilder>(b: &AB, first: usize, count: usize) -> AB::Expr {
	chip::pack(b, (0..count).map(|i| b.cur(first + i)))
}

impl Air for Access {
	fn width(&self) -> usize {
		columns::WIDTH
	}

	fn eval<AB: AirBuilder>(&self, b: &mut AB) {
		use columns::*;
		let lane_col = |k: usize, column: usize| LANE + k * lane::WIDTH + column;
		let zero = b.constant(Base::zero());
		let f = |b: &AB, o: usize| b.cur(OFFSET + o);
		let g = |b: &AB, s: usize| b.cur(SIZE + s);
		// The constraints are asserted only where they are wanted (a run that takes the bus
		// leaves alone does not want them); the interactions always.
		let wants = b.wants_constraints();

		if wants {
			// Bits and flags.
			for i in 0..32 {
				b.assert_bit_column(A + i);
			}
			chip::assert_one_hot(b, SIZE, 4);
			for column in [SIGNED, STORE, CROSS] {
				b.assert_bit_column(column);
			}
			b.assert_zero(b.cur(SIGNED) * b.cur(STORE));
			for i in 0..TS_BIT {
				b.assert_bit_column(TS + i);
			}
			for i in 0..LO_BITS {
				b.assert_bit_column(TS_LO + i);
			}
			for i in 0..64 {
				b.assert_bit_column(V + i);
			}
			// Bits by their equations below, declared so that the commitment packs them too
			// (the byte equations read SIGN and the offset flags as bits).
			for column in (OFFSET..OFFSET + 8).chain([SIGN]).chain(CARRY..CARRY + 29) {
				b.assert_bit_column(column);
			}
			// RAM and the borrows are bits by their equations; the new words only by this
			// declaration (the packed byte equations below need them bits, and alone would not
			// make them so).
			for k in 0..2 {
				let lane_bits = [lane::RAM]
					.into_iter()
					.chain(lane::NEW..lane::NEW + 64)
					.chain(lane::BORROW..lane::BORROW + STAMP_BITS)
					.chain(lane::FIRST_BORROW..lane::FIRST_BORROW + STAMP_BITS);
				for column in lane_bits {
					b.assert_bit_column(lane_col(k, column));
				}
			}
			// The offset flags are the low three address bits, decoded.
			for o in 0..8 {
				let literal = |k: usize| if (o >> k) & 1 == 1 { b.cur(A + k) } else { b.one() + b.cur(A + k) };
				b.assert_eq(b.cur(OFFSET + o), literal(0) * literal(1) * literal(2));
			}
			// The access crosses a word when o + size > 8.
			let mut cross = zero.clone();
			for o in 0..8 {
				for (s, &size) in SIZES.iter().enumerate() {
					if o + size as usize > 8 {
						cross = cross + f(b, o) * g(b, s);
					}
				}
			}
			b.assert_eq(b.cur(CROSS), cross);
		}

		// w + 1: carries c_4 = a_3, c_(i+1) = c_i a_i.
		let carry = |b: &AB, i: usize| if i == 3 { b.one() } else { b.cur(CARRY + i - 4) };
		if wants {
			for i in 3..32 {
				b.assert_eq(carry(b, i + 1), carry(b, i) * b.cur(A + i));
			}
		}
		let word0 = chip::pack(b, (3..32).map(|i| b.cur(A + i)));
		let word1 = chip::pack(b, (3..32).map(|i| b.cur(A + i) + carry(b, i)));

		// The byte m (of 16) of the concatenated old and new words, bit k.
		let old = |b: &AB, m: usize, k: usize| b.cur(lane_col(m / 8, lane::OLD + 8 * (m % 8) + k));
		let new = |b: &AB, m: usize, k: usize| b.cur(lane_col(m / 8, lane::NEW + 8 * (m % 8) + k));
		// [j < size] as a sum of size flags.
		let within = |b: &AB, j: usize| {
			SIZES
				.iter()
				.enumerate()
				.filter(|(_, &size)| j < size as usize)
				.fold(zero.clone(), |acc, (s, _)| acc + g(b, s))
		};
		let store = b.cur(STORE);
		let load = b.one() + store.clone();

		if wants {
			// The sign a sign-extending load copies: bit 7 of its top byte.
			let mut sign = zero.clone();
			for o in 0..8 {
				for (s, &size) in SIZES.iter().enumerate() {
					sign = sign + f(b, o) * g(b, s) * old(b, o + size as usize - 1, 7);
				}
			}
			b.assert_eq(b.cur(SIGN), b.cur(SIGNED) * sign);

			// One equation per byte rather than per bit: a byte's bits packed, `Σ_k x^k bit_k`
			// (`chip::pack`). Each equation below is, bit by bit, a sum of products of bits,
			// so a bit in GF(2); the packed sum of such bits is 0 exactly when each is, since
			// x^0, …, x^7 are independent over GF(2). Every bit read is a declared bit column
			// (committed as bits), the offset and size flags are bits and one-hot.
			let byte = |b: &AB, first: &dyn Fn(&AB, usize) -> AB::Expr| chip::pack(b, (0..8).map(|k| first(b, k)));
			let old_bytes: Vec<AB::Expr> = (0..16).map(|m| byte(b, &|b, k| old(b, m, k))).collect();
			let v_bytes: Vec<AB::Expr> = (0..8).map(|j| byte(b, &|b, k| b.cur(V + 8 * j + k))).collect();
			// The sign in every bit of a byte.
			let sign_byte = b.cur(SIGN) * byte(b, &|b, _| b.one());
			// Loads: V's byte j is the old byte o + j below the size, the sign (or 0) above.
			for j in 0..8 {
				let mut selected = zero.clone();
				for (m, old_byte) in old_bytes.iter().enumerate().skip(j).take(8) {
					selected = selected + f(b, m - j) * old_byte.clone();
				}
				let value = within(b, j) * selected + (b.one() + within(b, j)) * sign_byte.clone();
				b.assert_zero(load.clone() * (v_bytes[j].clone() + value));
			}
			// Stores: the bytes o .. o + size take V's bytes, the others keep theirs; loads change
			// nothing.
			for (m, old_byte) in old_bytes.iter().enumerate() {
				let mut spliced = zero.clone();
				for o in 0..=m.min(7) {
					if m - o < 8 {
						spliced = spliced + f(b, o) * within(b, m - o) * (v_bytes[m - o].clone() + old_byte.clone());
					}
				}
				b.assert_eq(byte(b, &|b, k| new(b, m, k)), old_byte.clone() + store.clone() * spliced);
			}
		}

		// Lanes: lane 0 is always used, lane 1 when the access crosses; a used lane is either
		// read-only (no store) or a read-write cell with a strictly earlier timestamp.
		let ts_hi = packed(b, TS, TS_BIT) + b.constant(Base::from_value(1 << TS_BIT));
		let ts_lo = packed(b, TS_LO, LO_BITS);
		if wants {
			for i in 0..TS_BIT {
				b.assert_bit_column(T_INV + i);
			}
		}
		let t_inv = packed(b, T_INV, TS_BIT) + b.constant(Base::from_value(1 << TS_BIT));
		for (k, used, word) in [(0, b.one(), word0), (1, b.cur(CROSS), word1)] {
			let col = |c: usize| lane_col(k, c);
			let (ro, ram) = (b.cur(col(lane::RO)), b.cur(col(lane::RAM)));
			let first = b.cur(col(lane::FIRST));
			if wants {
				b.assert_bit_column(col(lane::RO));
				if k == 1 {
					// (Lane 0 is always used.)
					b.assert_zero(ro.clone() * (b.one() + used.clone()));
				}
				b.assert_eq(ram.clone(), used.clone() * (b.one() + ro.clone()));
				b.assert_zero(ro.clone() * store.clone());
				for i in 0..64 {
					b.assert_bit_column(col(lane::OLD + i));
					if k == 1 {
						// An unused lane is zero.
						b.assert_zero((b.one() + used.clone()) * b.cur(col(lane::OLD + i)));
					}
				}
				assert_earlier(b, ram.clone(), col(lane::PREV), col(lane::BORROW), TS_LO, TS);
				// Lazy reset: a cell last accessed before this invocation started holds a value of
				// an earlier invocation; its first touch here reads the word's initial value instead.
				assert_first_touch(b, ram.clone(), col(lane::PREV), col(lane::FIRST_BORROW), T_INV, col(lane::FIRST));
				b.assert_bit_column(col(lane::FIRST));
				b.assert_zero(first.clone() * (b.cur(col(lane::RHO_IMG)) * b.cur(col(lane::RHO_IMG_INV)) + b.one()));
				for c in [lane::IMG, lane::IMG + 1, lane::RHO_IMG, lane::RHO_IMG_INV] {
					b.assert_zero((b.one() + first.clone()) * b.cur(col(c)));
				}
				for w in 0..2 {
					b.assert_zero((b.one() + ram.clone()) * b.cur(col(lane::CUR + w)));
					let old = packed(b, col(lane::OLD + 32 * w), 32);
					let value = first.clone() * b.cur(col(lane::IMG + w))
						+ (b.one() + first.clone()) * b.cur(col(lane::CUR + w));
					b.assert_zero(ram.clone() * (old + value));
				}
				// The image read's counter.
				b.assert_zero(ro.clone() * (b.cur(col(lane::RHO)) * b.cur(col(lane::RHO_INV)) + b.one()));
				for c in [lane::RHO, lane::RHO_INV] {
					b.assert_zero((b.one() + ro.clone()) * b.cur(col(c)));
				}
			}
			let old_lo = packed(b, col(lane::OLD), 32);
			let old_hi = packed(b, col(lane::OLD + 32), 32);
			let new_lo = packed(b, col(lane::NEW), 32);
			let new_hi = packed(b, col(lane::NEW + 32), 32);
			let prev_lo = packed(b, col(lane::PREV), LO_BITS);
			let prev_hi = packed(b, col(lane::PREV + LO_BITS), TS_BITS);
			let (cur_lo, cur_hi) = (b.cur(col(lane::CUR)), b.cur(col(lane::CUR + 1)));
			b.interact(bus::RAM, Direction::Receive, ram.clone(), &[word.clone(), cur_lo, cur_hi, prev_hi, prev_lo]);
			let image = [word.clone(), b.cur(col(lane::IMG)), b.cur(col(lane::IMG + 1))];
			crate::cpu::read(b, bus::RAM_IMAGE, first, &image, b.cur(col(lane::RHO_IMG)));
			b.interact(bus::RAM, Direction::Send, ram, &[word.clone(), new_lo, new_hi, ts_hi.clone(), ts_lo.clone()]);
			let rho = b.cur(col(lane::RHO));
			b.interact(
				bus::IMAGE,
				Direction::Receive,
				ro.clone(),
				&[word.clone(), old_lo.clone(), old_hi.clone(), rho.clone()],
			);
			b.interact(bus::IMAGE, Direction::Send, ro, &[word, old_lo, old_hi, rho * b.constant(counter_step())]);
		}

		// The request this row answers.
		let kind = (0..4).fold(zero, |acc, s| acc + b.constant(Base::from_value(s as u32)) * g(b, s))
			+ b.constant(Base::from_value(4)) * b.cur(SIGNED)
			+ b.constant(Base::from_value(8)) * b.cur(STORE);
		let fields = [kind, packed(b, A, 32), packed(b, V, 32), packed(b, V + 32, 32), ts_hi, ts_lo, t_inv];
		b.interact(bus::ACCESS, Direction::Receive, b.one(), &fields);
	}
}

impl Ram {
	/// The number of columns.
	pub const WIDTH: usize = 8;
}

impl Air for Ram {
	fn width(&self) -> usize {
		Self::WIDTH
	}

	fn eval<AB: AirBuilder>(&self, b: &mut AB) {
		// Columns: w, image_lo, image_hi (public); final_lo, final_hi, last_hi, last_lo, and the
		// final counter of the image reads (first touches in each invocation).
		let cells = |b: &AB, first: usize| [b.cur(0), b.cur(first), b.cur(first + 1)];
		let zero = b.constant(Base::zero());
		let [w, lo, hi] = cells(b, 1);
		b.interact(bus::RAM, Direction::Send, b.one(), &[w.clone(), lo.clone(), hi.clone(), zero.clone(), zero]);
		b.interact(bus::RAM_IMAGE, Direction::Send, b.one(), &[w.clone(), lo.clone(), hi.clone(), b.one()]);
		b.interact(bus::RAM_IMAGE, Direction::Receive, b.one(), &[w, lo, hi, b.cur(7)]);
		let [w, lo, hi] = cells(b, 3);
		b.interact(bus::RAM, Direction::Receive, b.one(), &[w, lo, hi, b.cur(5), b.cur(6)]);
		for column in 3..Self::WIDTH {
			b.assert_zero((b.one() + b.selector(Selector::Active)) * b.cur(column));
		}
	}
}

impl Air for RoImage {
	fn width(&self) -> usize {
		4
	}

	fn eval<AB: AirBuilder>(&self, b: &mut AB) {
		crate::cpu::serve(b, bus::IMAGE, 3);
	}
}

/// One access as the chip's witness needs it: the request, the words before and after, the
/// lanes' kinds and previous timestamps, and the image read counters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AccessRow {
	/// The kind.
	pub kind: AccessKind,
	/// The address.
	pub address: u32,
	/// The value loaded (extended) or stored (the full register).
	pub value: u64,
	/// The timestamp [`stamp`]`(hi, lo)` (with [`TS_BIT`] of `hi` set).
	pub ts: u64,
	/// The high word of the invocation's first timestamp.
	pub t_inv: u32,
	/// Per lane (the second only if the access crosses): read-only, old word, new word,
	/// previous timestamp (read-write) or read counter (read-only).
	pub lanes: [Option<Lane>; 2],
}

/// One lane of an access.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lane {
	/// The word is read-only data.
	pub ro: bool,
	/// The word before.
	pub old: u64,
	/// The word after.
	pub new: u64,
	/// The previous access's timestamp (read-write words).
	pub prev_ts: u64,
	/// The image read's counter (read-only words).
	pub rho: Base,
	/// The read-write cell's value as received (the previous invocation's on a first touch).
	pub cur: u64,
	/// A read-write cell's first touch in this invocation: `old` is the word's initial value,
	/// read from the RAM table with this counter.
	pub first: Option<Base>,
}

/// The chip's columns for `rows` on `2^num_vars` rows; the rows from `R` on are padding: a
/// one-byte load at address 0 from a zero read-only word with counter 1, which satisfies every
/// constraint that is not gated.
pub fn trace(rows: &[AccessRow], num_vars: u32) -> Vec<Vec<Base>> {
	let height = 1usize << num_vars;
	assert!(rows.len() < height, "{} accesses need more than 2^{num_vars} rows", rows.len());
	crate::chip::columns_of_rows(rows, height, row_values(None), |row| row_values(Some(row)))
}

/// One row's values; `None` is a padding row, which must satisfy every constraint that is not
/// gated: a one-byte load at address 0 from a zero read-only word, with counter 1.
fn row_values(row: Option<&AccessRow>) -> Vec<Base> {
	use columns::*;
	let bit = |v: u64, i: usize| Base::from_value(((v >> i) & 1) as u32);
	let mut out = vec![Base::zero(); WIDTH];
	let lane_col = |k: usize, c: usize| LANE + k * lane::WIDTH + c;
	let Some(row) = row else {
		// Padding: a one-byte load at address 0 from a zero read-only word. Its counter
		// constraint (ro ρ ρ_inv = 1) needs ρ = ρ_inv = 1.
		out[SIZE] = Base::one();
		out[OFFSET] = Base::one();
		out[lane_col(0, lane::RO)] = Base::one();
		out[lane_col(0, lane::RHO)] = Base::one();
		out[lane_col(0, lane::RHO_INV)] = Base::one();
		return out;
	};
	let address = u64::from(row.address);
	for i in 0..32 {
		out[A + i] = bit(address, i);
	}
	let s = row.kind.size.trailing_zeros() as usize;
	out[SIZE + s] = Base::one();
	out[SIGNED] = Base::from_value(u32::from(row.kind.signed));
	out[STORE] = Base::from_value(u32::from(row.kind.store));
	for i in 0..TS_BIT {
		out[TS + i] = bit(row.ts, LO_BITS + i);
	}
	for i in 0..LO_BITS {
		out[TS_LO + i] = bit(row.ts, i);
	}
	for i in 0..TS_BIT {
		out[T_INV + i] = bit(u64::from(row.t_inv), i);
	}
	for i in 0..64 {
		out[V + i] = bit(row.value, i);
	}
	let o = (row.address % 8) as usize;
	out[OFFSET + o] = Base::one();
	let cross = o + row.kind.size as usize > 8;
	out[CROSS] = Base::from_value(u32::from(cross));
	let old: u128 = row.lanes.iter().enumerate().map(|(k, l)| u128::from(l.map_or(0, |l| l.old)) << (64 * k)).sum();
	let top = o + row.kind.size as usize - 1;
	out[SIGN] = Base::from_value(u32::from(row.kind.signed && (old >> (8 * top + 7)) & 1 == 1));
	let mut carry = 1u64;
	for i in 3..32 {
		carry &= (address >> i) & 1;
		out[CARRY + i - 3] = Base::from_value(carry as u32);
	}
	for (k, lane) in row.lanes.iter().enumerate() {
		let Some(lane) = lane else { continue };
		out[lane_col(k, lane::RO)] = Base::from_value(u32::from(lane.ro));
		out[lane_col(k, lane::RAM)] = Base::from_value(u32::from(!lane.ro));
		for i in 0..64 {
			out[lane_col(k, lane::OLD + i)] = bit(lane.old, i);
			out[lane_col(k, lane::NEW + i)] = bit(lane.new, i);
		}
		if lane.ro {
			out[lane_col(k, lane::RHO)] = lane.rho;
			out[lane_col(k, lane::RHO_INV)] = inv_base(&lane.rho);
		} else {
			let (bits, borrows) = earlier_cells(lane.prev_ts, row.ts);
			out[lane_col(k, lane::PREV)..][..STAMP_BITS].copy_from_slice(&bits);
			out[lane_col(k, lane::BORROW)..][..STAMP_BITS].copy_from_slice(&borrows);
			let (_, borrows) = earlier_cells(lane.prev_ts, stamp(row.t_inv, 0));
			out[lane_col(k, lane::FIRST_BORROW)..][..STAMP_BITS].copy_from_slice(&borrows);
			out[lane_col(k, lane::CUR)] = Base::from_value(lane.cur as u32);
			out[lane_col(k, lane::CUR + 1)] = Base::from_value((lane.cur >> 32) as u32);
			if let Some(rho) = lane.first {
				out[lane_col(k, lane::FIRST)] = Base::one();
				out[lane_col(k, lane::IMG)] = Base::from_value(lane.old as u32);
				out[lane_col(k, lane::IMG + 1)] = Base::from_value((lane.old >> 32) as u32);
				out[lane_col(k, lane::RHO_IMG)] = rho;
				out[lane_col(k, lane::RHO_IMG_INV)] = inv_base(&rho);
			}
		}
	}
	out
}

/// The memory as the prover tracks it while it builds access rows: every read-write word's
/// value and last timestamp, every read-only word's value and reads.
#[derive(Clone, Debug)]
pub struct Tracker {
	ram: alloc::collections::BTreeMap<u32, (u64, u64)>,
	/// Each read-write word's initial value and how often it was read as such.
	initial: alloc::collections::BTreeMap<u32, (u64, u64)>,
	ro: alloc::collections::BTreeMap<u32, (u64, u64)>,
	/// The words in table order, with their initial values: read-write, then read-only.
	ram_image: Vec<(u32, u64)>,
	ro_image: Vec<(u32, u64)>,
}

/// The 8-byte words of a region with their initial values.
fn words(region: &crate::program::Region) -> impl Iterator<Item = (u32, u64)> + '_ {
	(0..region.len / 8).map(move |i| {
		let mut bytes = [0u8; 8];
		for (j, byte) in bytes.iter_mut().enumerate() {
			*byte = region.data.get((8 * i) as usize + j).copied().unwrap_or(0);
		}
		(region.address / 8 + i, u64::from_le_bytes(bytes))
	})
}

impl Tracker {
	/// The program's initial memory.
	pub fn new(program: &crate::program::ProgramTable) -> Self {
		let mut ram_image = Vec::new();
		let mut ro_image = Vec::new();
		for region in &program.regions {
			if region.writable {
				ram_image.extend(words(region));
			} else {
				ro_image.extend(words(region));
			}
		}
		Tracker {
			ram: ram_image.iter().map(|&(w, v)| (w, (v, 0))).collect(),
			initial: ram_image.iter().map(|&(w, v)| (w, (v, 0))).collect(),
			ro: ro_image.iter().map(|&(w, v)| (w, (v, 0))).collect(),
			ram_image,
			ro_image,
		}
	}

	/// The read-write words with their initial values, in the RAM table's order.
	pub fn ram_image(&self) -> &[(u32, u64)] {
		&self.ram_image
	}

	/// The read-only words with their values, in the image table's order.
	pub fn ro_image(&self) -> &[(u32, u64)] {
		&self.ro_image
	}

	/// Records an access at timestamp `ts` (with [`TS_BIT`] set) in the invocation that started
	/// at `t_inv` (a high word) and returns its row, or `None` if it touches a word outside the
	/// regions or stores to read-only data (a trap). A read-write word's first touch in the
	/// invocation sees its initial value, whatever an earlier invocation left.
	pub fn access(&mut self, kind: AccessKind, address: u32, value: u64, ts: u64, t_inv: u32) -> Option<AccessRow> {
		let o = address % 8;
		let w = address / 8;
		let crosses = o + kind.size > 8;
		let mut lanes = [None, None];
		let mut old = [0u64; 2];
		for (k, lane) in lanes.iter_mut().enumerate().take(if crosses { 2 } else { 1 }) {
			let word = w.checked_add(k as u32)?;
			if let Some(&(cur, prev_ts)) = self.ram.get(&word) {
				let mut v = cur;
				let mut first = None;
				if prev_ts < stamp(t_inv, 0) {
					let initial = self.initial.get_mut(&word)?;
					v = initial.0;
					first = Some(counter_step().pow(initial.1));
					initial.1 += 1;
				}
				old[k] = v;
				*lane = Some(Lane { ro: false, old: v, new: v, prev_ts, rho: Base::zero(), cur, first });
			} else {
				let &(v, reads) = self.ro.get(&word)?;
				if kind.store {
					return None;
				}
				old[k] = v;
				*lane = Some(Lane {
					ro: true,
					old: v,
					new: v,
					prev_ts: 0,
					rho: counter_step().pow(reads),
					cur: 0,
					first: None,
				});
			}
		}
		let mut bytes = [0u8; 16];
		bytes[..8].copy_from_slice(&old[0].to_le_bytes());
		bytes[8..].copy_from_slice(&old[1].to_le_bytes());
		let range = o as usize..(o + kind.size) as usize;
		let value = if kind.store {
			bytes[range].copy_from_slice(&value.to_le_bytes()[..kind.size as usize]);
			value
		} else {
			let mut v = [0u8; 8];
			v[..kind.size as usize].copy_from_slice(&bytes[range]);
			let loaded = u64::from_le_bytes(v);
			let shift = 64 - 8 * kind.size;
			if kind.signed {
				(((loaded << shift) as i64) >> shift) as u64
			} else {
				loaded
			}
		};
		for (k, lane) in lanes.iter_mut().enumerate() {
			let Some(lane) = lane else { continue };
			let word = w + k as u32;
			let mut new = [0u8; 8];
			new.copy_from_slice(&bytes[8 * k..8 * k + 8]);
			lane.new = u64::from_le_bytes(new);
			if lane.ro {
				if let Some(entry) = self.ro.get_mut(&word) {
					entry.1 += 1;
				}
			} else {
				self.ram.insert(word, (lane.new, ts));
			}
		}
		Some(AccessRow { kind, address, value, ts, t_inv, lanes })
	}

	/// The RAM table's public columns over `2^num_vars` rows: `w, image_lo, image_hi` (what a
	/// verifier builds for the statement, without the rest of the table).
	pub fn ram_public_columns(&self, num_vars: u32) -> Vec<Vec<Base>> {
		image_columns(&self.ram_image, num_vars)
	}

	/// The RAM table's columns over `2^num_vars` rows: the public ones
	/// ([`Self::ram_public_columns`]), then `final_lo, final_hi, last_hi, last_lo` and the
	/// initial-value reads' final counter.
	pub fn ram_columns(&self, num_vars: u32) -> Vec<Vec<Base>> {
		let mut columns = self.ram_public_columns(num_vars);
		columns.resize(Ram::WIDTH, vec![Base::zero(); 1 << num_vars]);
		for (i, &(w, image)) in self.ram_image.iter().enumerate() {
			let (value, ts) = self.ram.get(&w).copied().unwrap_or((image, 0));
			let (hi, lo) = ((ts >> LO_BITS) as u32, (ts & ((1 << LO_BITS) - 1)) as u32);
			let row = [value as u32, (value >> 32) as u32, hi, lo];
			for (c, v) in row.into_iter().enumerate() {
				columns[3 + c][i] = Base::from_value(v);
			}
			columns[7][i] = counter_step().pow(self.initial.get(&w).map_or(0, |&(_, reads)| reads));
		}
		columns
	}

	/// The read-only image's public columns over `2^num_vars` rows: `w, lo, hi`.
	pub fn ro_public_columns(&self, num_vars: u32) -> Vec<Vec<Base>> {
		image_columns(&self.ro_image, num_vars)
	}

	/// The read-only image's columns over `2^num_vars` rows: the public ones
	/// ([`Self::ro_public_columns`]) and the final read counter.
	pub fn ro_columns(&self, num_vars: u32) -> Vec<Vec<Base>> {
		let mut columns = self.ro_public_columns(num_vars);
		let mut counters = vec![Base::zero(); 1 << num_vars];
		for (i, &(w, _)) in self.ro_image.iter().enumerate() {
			let reads = self.ro.get(&w).map_or(0, |&(_, reads)| reads);
			counters[i] = counter_step().pow(reads);
		}
		columns.push(counters);
		columns
	}
}

/// An image's columns `w, lo, hi` over `2^num_vars` rows (zero below the image).
fn image_columns(image: &[(u32, u64)], num_vars: u32) -> Vec<Vec<Base>> {
	let mut columns = vec![vec![Base::zero(); 1 << num_vars]; 3];
	for (i, &(w, value)) in image.iter().enumerate() {
		columns[0][i] = Base::from_value(w);
		columns[1][i] = Base::from_value(value as u32);
		columns[2][i] = Base::from_value((value >> 32) as u32);
	}
	columns
}

//! The CPU table and the read-only tables it looks instructions and jump targets up in
//! (`docs/proof-system.md`, "The CPU table, v0" and its extensions in CPU v1, parts 1 to 3).
//!
//! Row `i < R` of the CPU table executes the `i`-th instruction of the run, invocation after
//! invocation; row `R` follows the last invocation's return. Each row reads its instruction
//! (with the decoded signals) from the program table, selects its operands from the registers,
//! asks the ALU or the shift chip for its result, the access chip for its load or store, or the
//! host for its call, writes `rd` and moves `pc`; after a return, or a `trap` (whose row asks the
//! host to roll the invocation's state writes back), the next row starts the next invocation
//! from the entry point with fresh registers. Gas is a running product of
//! `ω_g^(block cost)` and the host calls' factors in `E`.

use agentic_air::{Air, AirBuilder, Base, BinaryFieldElement, Direction, Ext, Selector};
use alloc::{vec, vec::Vec};

use crate::{
	bus,
	decode::{self, ChipRequest, Signals},
	machine::REGISTERS,
	program::{ProgramRow, ProgramTable},
};

/// The generator of `B*` (order `2^32 - 1`) the lookup counters step by: `x + 1`.
pub fn counter_step() -> Base {
	Base::from_value(3)
}

/// The generator of `E*` (order `2^128 - 1`) gas is counted in: `x` (a test checks it against
/// every prime factor of `2^128 - 1`).
pub fn gas_generator() -> Ext {
	Ext::from_value(2)
}

/// The return-to-host address.
const RETURN_ADDRESS: u32 = polkavm_common::abi::VM_ADDR_RETURN_TO_HOST;

/// The fields of a program-table row, in the order of the table's columns and of the lookup
/// tuple (before the counter).
pub mod fields {
	/// Code offset.
	pub const PC: usize = 0;
	/// Offset of the next instruction.
	pub const NEXT_PC: usize = 1;
	/// Static target.
	pub const TARGET: usize = 2;
	/// First immediate, low and high words.
	pub const IMM: usize = 3;
	/// Second immediate, low and high words.
	pub const IMM2: usize = 5;
	/// `x^rd`, the base-field element whose value is `1 << rd` (0: none).
	pub const RD: usize = 7;
	/// `x^ra` (0: none).
	pub const RA: usize = 8;
	/// `x^rb` (0: none).
	pub const RB: usize = 9;
	/// The ALU operation's id.
	pub const ALU_OP: usize = 10;
	/// The shift operation's id.
	pub const SHIFT_OP: usize = 11;
	/// `ω_g^(block cost)` at a block start, else 1: four coordinates.
	pub const G: usize = 12;
	/// The memory access's kind ([`crate::memory::AccessKind::id`]; 0 without an access).
	pub const ACCESS: usize = 16;
	/// The host request's id ([`crate::host::call_id`] for `ecalli`,
	/// [`crate::host::ROLLBACK`] for `trap`; 0 on the other rows).
	pub const CALL: usize = 17;
	/// The signal bits, packed (`Σ s_j x^j`).
	pub const SIGNALS: usize = 18;
	/// The number of fields.
	pub const COUNT: usize = 19;
}

/// The signal bits' positions (see [`Signals::bits`]).
pub mod signal {
	/// Sends an ALU request.
	pub const ALU: usize = 0;
	/// Sends a shift request.
	pub const SHIFT: usize = 1;
	/// `X = imm` (else `va`).
	pub const X_IMM: usize = 2;
	/// `Y = vb`.
	pub const Y_RB: usize = 3;
	/// `Y = imm`.
	pub const Y_IMM: usize = 4;
	/// `Y = imm2`.
	pub const Y_IMM2: usize = 5;
	/// `Y = va`.
	pub const Y_RA: usize = 6;
	/// Writes the chip's result.
	pub const W_CHIP: usize = 7;
	/// Writes `imm`.
	pub const W_IMM: usize = 8;
	/// Writes `va`.
	pub const W_RA: usize = 9;
	/// A branch.
	pub const BRANCH: usize = 10;
	/// The branch is taken when the result is 1 (else 0).
	pub const WHEN: usize = 11;
	/// A static jump.
	pub const JUMP: usize = 12;
	/// A dynamic jump.
	pub const DYN: usize = 13;
	/// `trap`: ends an invocation that claims to trap.
	pub const TRAP: usize = 14;
	/// Sends a memory access request.
	pub const MEM: usize = 15;
	/// The access is a store.
	pub const STORE: usize = 16;
	/// Writes the loaded value.
	pub const W_MEM: usize = 17;
	/// Stores `vb`.
	pub const V_RB: usize = 18;
	/// Stores `imm2`.
	pub const V_IMM2: usize = 19;
	/// Sends a host request (`ecalli`, or `trap` for its rollback).
	pub const HOST: usize = 20;
	/// Writes the host call's result.
	pub const W_HOST: usize = 21;
}

/// Column layout of the CPU table.
pub mod columns {
	use super::{fields, REGISTERS};
	use crate::decode::Signals;

	/// The looked-up fields `PC .. SHIFT_OP` and `G` at their field positions (`PC` is the
	/// row's `pc`).
	pub const FIELDS: usize = 0;
	/// The signal bits, one column each.
	pub const SIGNALS: usize = fields::SIGNALS;
	/// The program read's counter and its inverse.
	pub const RHO: usize = SIGNALS + Signals::BITS;
	/// `ρ^(-1)`.
	pub const RHO_INV: usize = RHO + 1;
	/// Register `k`'s two words (low, high) at `REGS + 2k`, before the instruction.
	pub const REGS: usize = RHO_INV + 1;
	/// The flags of `rd`.
	pub const D: usize = REGS + 2 * REGISTERS;
	/// The flags of `ra`.
	pub const A: usize = D + REGISTERS;
	/// The flags of `rb`.
	pub const B: usize = A + REGISTERS;
	/// `va`, two words.
	pub const VA: usize = B + REGISTERS;
	/// `vb`.
	pub const VB: usize = VA + 2;
	/// The chip's first operand.
	pub const X: usize = VB + 2;
	/// The chip's second operand.
	pub const Y: usize = X + 2;
	/// The chip's result.
	pub const RES: usize = Y + 2;
	/// The value written to `rd`.
	pub const WVAL: usize = RES + 2;
	/// The row reads the jump table.
	pub const JG: usize = WVAL + 2;
	/// The jump table's target.
	pub const JT: usize = JG + 1;
	/// The jump-table read's counter.
	pub const RHO_J: usize = JT + 1;
	/// Its inverse.
	pub const RHO_J_INV: usize = RHO_J + 1;
	/// `[res_lo = 0xFFFF0000]`.
	pub const RET: usize = RHO_J_INV + 1;
	/// The inverse witness of `ret`.
	pub const RET_INV: usize = RET + 1;
	/// The row starts an invocation (row 0, and every row after one that ended one).
	pub const E: usize = RET_INV + 1;
	/// The gas counter in `E`, four coordinates.
	pub const CNT: usize = E + 1;
	/// The access's address (0 without an access).
	pub const ADDRESS: usize = CNT + 4;
	/// The value loaded or stored, two words.
	pub const MV_OUT: usize = ADDRESS + 1;
	/// The loaded value, two words (0 unless the row loads).
	pub const LOADED: usize = MV_OUT + 2;
	/// The output length before the row.
	pub const OUT: usize = LOADED + 2;
	/// The output length after a host call (0 on other rows).
	pub const OUT_AFTER: usize = OUT + 1;
	/// The host call's result, two words (0 on other rows).
	pub const HRES: usize = OUT_AFTER + 1;
	/// The host call's gas factor `H` in `E`, four coordinates (1 on other rows that execute).
	pub const H: usize = HRES + 2;
	/// The invocation's name on the buses, `κ_k = ω^k` for the `k`-th (from 1).
	pub const K: usize = H + 4;
	/// The high word of the invocation's first timestamp.
	pub const T_INV: usize = K + 1;
	/// The invocation traps (its state writes and output are discarded).
	pub const T: usize = T_INV + 1;
	/// The row ends its invocation: `dyn · ret + trap` (committed so that the transitions it
	/// gates keep a low degree).
	pub const END: usize = T + 1;
	/// The row takes its branch: `branch · t`, `t` the branch's condition (committed for the
	/// degree of the next `pc`).
	pub const TAKEN: usize = END + 1;
	/// The number of columns.
	pub const WIDTH: usize = TAKEN + 1;

	/// Whether a column carries state from row to row (and is therefore not zero on row `R`).
	pub fn is_state(column: usize) -> bool {
		column == FIELDS + fields::PC
			|| (REGS..D).contains(&column)
			|| column == E
			|| (CNT..CNT + 4).contains(&column)
			|| column == OUT
			|| column == K
	}
}

/// `Σ_i bits[i] x^i` as a base-field value, for up to 32 bits.
fn pack_bits(bits: &[bool]) -> Base {
	Base::from_value(bits.iter().enumerate().map(|(i, &bit)| u32::from(bit) << i).sum())
}

/// A program row's fields as the program table holds them.
pub fn row_fields(row: &ProgramRow, coordinates: &agentic_air::ext::Coordinates) -> [Base; fields::COUNT] {
	let word = |v: u64| Base::from_value(v as u32);
	let index = |r: Option<u8>| Base::from_value(r.map_or(0, |r| 1 << r));
	let signals = decode::signals(row.opcode).unwrap_or(decode::TRAP);
	let (alu_op, shift_op) = match signals.chip {
		Some(ChipRequest::Alu(op)) => (op.id(), 0),
		Some(ChipRequest::Shift(op)) => (0, op.id()),
		None => (0, 0),
	};
	let g = if row.block { gas_generator().pow(u64::from(row.block_cost)) } else { Ext::one() };
	let g = coordinates.of(g);
	[
		Base::from_value(row.pc),
		Base::from_value(row.next_pc),
		Base::from_value(row.target),
		word(row.imm),
		word(row.imm >> 32),
		word(row.imm2),
		word(row.imm2 >> 32),
		index(row.rd),
		index(row.ra),
		index(row.rb),
		Base::from_value(alu_op),
		Base::from_value(shift_op),
		g[0],
		g[1],
		g[2],
		g[3],
		Base::from_value(signals.access().map_or(0, |kind| kind.id())),
		Base::from_value(if signals.trap { crate::host::ROLLBACK } else { row.call.map_or(0, crate::host::call_id) }),
		pack_bits(&signals.bits()),
	]
}

/// The program table's public columns over `2^num_vars` rows (zero below the instructions).
pub fn program_columns(
	program: &ProgramTable,
	num_vars: u32,
	coordinates: &agentic_air::ext::Coordinates,
) -> Vec<Vec<Base>> {
	let mut columns = alloc::vec![alloc::vec![Base::zero(); 1 << num_vars]; fields::COUNT];
	for (i, row) in program.rows.iter().enumerate() {
		for (column, value) in columns.iter_mut().zip(row_fields(row, coordinates)) {
			column[i] = value;
		}
	}
	columns
}

/// The jump table's valid entries `(address, target)`.
pub fn jump_entries(program: &ProgramTable) -> Vec<(u32, u32)> {
	program
		.jump_table
		.iter()
		.enumerate()
		.filter_map(|(i, target)| target.map(|target| (2 * (i as u32 + 1), target)))
		.collect()
}

/// The jump table's public columns (address, target) over `2^num_vars` rows.
pub fn jump_columns(program: &ProgramTable, num_vars: u32) -> Vec<Vec<Base>> {
	let mut columns = alloc::vec![alloc::vec![Base::zero(); 1 << num_vars]; 2];
	for (i, (address, target)) in jump_entries(program).into_iter().enumerate() {
		columns[0][i] = Base::from_value(address);
		columns[1][i] = Base::from_value(target);
	}
	columns
}

/// The CPU table's AIR, for a table of `2^num_vars` rows (its timestamps read that many index
/// bits) and a program with this entry point and stack (where every invocation starts).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cpu {
	/// The table's height is `2^num_vars`.
	pub num_vars: u32,
	/// The entry point's code offset.
	pub entry: u32,
	/// The initial stack pointer.
	pub stack_top: u32,
}

impl Cpu {
	/// The registers an invocation starts with: `sp` the stack top, `ra` the return address,
	/// the others 0.
	pub fn initial_registers(&self) -> [u64; REGISTERS] {
		let mut registers = [0; REGISTERS];
		registers[crate::machine::SP] = u64::from(self.stack_top);
		registers[crate::machine::RA] = u64::from(RETURN_ADDRESS);
		registers
	}
}

/// The program table's AIR: its fields are public columns, its one committed column is the
/// final read counter of each instruction.
#[derive(Clone, Copy, Debug, Default)]
pub struct Program;

/// The jump table's AIR: `(address, target)` public, the final read counter committed.
#[derive(Clone, Copy, Debug, Default)]
pub struct Jumps;

/// Requires the `count` flags from `first` to be the bits of `field`: each a bit column, and
/// `Σ_k x^k flag_k = field`. The flags' bits map to a base-field value injectively (the `x^k`
/// are distinct basis elements), so the flags are exactly `field`'s bits: the looked-up
/// `x^r` sets flag `r` alone, and 0 none.
fn assert_flags_are<AB: AirBuilder>(b: &mut AB, first: usize, count: usize, field: AB::Expr) {
	debug_assert!(count <= 32, "a base-field value has 32 bits");
	for k in 0..count {
		b.assert_bit_column(first + k);
	}
	let packed = (0..count)
		.fold(b.constant(Base::zero()), |acc, k| acc + b.constant(Base::from_value(1 << k)) * b.cur(first + k));
	b.assert_eq(field, packed);
}

/// A read of a read-only table with a multiplicative counter `rho`: receive `(fields, ρ)`, send
/// `(fields, ρ ω)`, under `gate`.
pub(crate) fn read<AB: AirBuilder>(b: &mut AB, bus: u32, gate: AB::Expr, fields: &[AB::Expr], rho: AB::Expr) {
	let mut received = fields.to_vec();
	received.push(rho.clone());
	b.interact(bus, Direction::Receive, gate.clone(), &received);
	let mut sent = fields.to_vec();
	sent.push(rho * b.constant(counter_step()));
	b.interact(bus, Direction::Send, gate, &sent);
}

impl Air for Cpu {
	fn width(&self) -> usize {
		columns::WIDTH
	}

	fn eval<AB: AirBuilder>(&self, b: &mut AB) {
		use columns::*;
		let f = |b: &AB, field: usize| b.cur(FIELDS + field);
		let s = |b: &AB, bit: usize| b.cur(SIGNALS + bit);
		let zero = b.constant(Base::zero());
		let active = b.selector(Selector::Active);

		let initial = self.initial_registers();
		// An invocation ends at a return or a trap: `end`, committed, is exactly that.
		let ret = s(b, signal::DYN) * b.cur(RET);
		let trap = s(b, signal::TRAP);
		let end = b.cur(END);
		let (host, mem, store) = (s(b, signal::HOST), s(b, signal::MEM), s(b, signal::STORE));

		// Sections 1 to 6 and the memory operands: constraints alone, which a run that takes
		// the bus leaves alone does not want.
		if b.wants_constraints() {
			b.assert_eq(end.clone(), ret.clone() + trap.clone());
			// 1. Bits and flags; the flags are exactly the looked-up register indices.
			for bit in 0..Signals::BITS {
				b.assert_bit_column(SIGNALS + bit);
			}
			for (first, field) in [(D, fields::RD), (A, fields::RA), (B, fields::RB)] {
				assert_flags_are(b, first, REGISTERS, f(b, field));
			}

			// 2. Operands, result routing.
			for w in 0..2 {
				let select = |b: &AB, flags: usize| {
					(0..REGISTERS).fold(zero.clone(), |acc, k| acc + b.cur(flags + k) * b.cur(REGS + 2 * k + w))
				};
				b.assert_eq(b.cur(VA + w), select(b, A));
				b.assert_eq(b.cur(VB + w), select(b, B));
				let (va, vb, imm, imm2) = (b.cur(VA + w), b.cur(VB + w), f(b, fields::IMM + w), f(b, fields::IMM2 + w));
				let x_imm = s(b, signal::X_IMM);
				b.assert_eq(b.cur(X + w), x_imm.clone() * imm.clone() + (b.one() + x_imm) * va.clone());
				let y = s(b, signal::Y_RB) * vb
					+ s(b, signal::Y_IMM) * imm.clone()
					+ s(b, signal::Y_IMM2) * imm2
					+ s(b, signal::Y_RA) * va.clone();
				b.assert_eq(b.cur(Y + w), y);
				let wval = s(b, signal::W_CHIP) * b.cur(RES + w)
					+ s(b, signal::W_IMM) * imm
					+ s(b, signal::W_RA) * va
					+ s(b, signal::W_MEM) * b.cur(LOADED + w)
					+ s(b, signal::W_HOST) * b.cur(HRES + w);
				b.assert_eq(b.cur(WVAL + w), wval);
				// 3. Registers: rd takes the written value, the others keep theirs; after an
				// invocation's end every register takes its initial value.
				for k in 0..REGISTERS {
					let r = b.cur(REGS + 2 * k + w);
					let written = r.clone() + b.cur(D + k) * (b.cur(WVAL + w) + r);
					let initial = b.constant(Base::from_value((initial[k] >> (32 * w)) as u32));
					let next = (b.one() + end.clone()) * written + end.clone() * initial;
					b.assert_transition(b.next(REGS + 2 * k + w) + next);
				}
			}

			// 4. Returns: ret = [res_lo = 0xFFFF0000], on the rows that execute.
			let delta = b.cur(RES) + b.constant(Base::from_value(RETURN_ADDRESS));
			b.assert_transition(delta.clone() * b.cur(RET));
			b.assert_transition(delta * b.cur(RET_INV) + b.one() + b.cur(RET));
			b.assert_eq(b.cur(JG), s(b, signal::DYN) * (b.one() + b.cur(RET)));
			// `ret`, `jg`, `end` and `taken` are bits by their equations (the comparison a
			// branch reads is 0 or 1): declared so that the commitment packs them.
			for column in [RET, JG, END, TAKEN] {
				b.assert_bit_column(column);
			}

			// 5. The next pc, halting and gas.
			let (next_pc, target) = (f(b, fields::NEXT_PC), f(b, fields::TARGET));
			let when = s(b, signal::WHEN);
			let res_lo = b.cur(RES);
			let taken = when.clone() * res_lo.clone() + (b.one() + when) * (b.one() + res_lo);
			b.assert_eq(b.cur(TAKEN), s(b, signal::BRANCH) * taken);
			let pc = next_pc.clone()
				+ s(b, signal::JUMP) * (target.clone() + next_pc.clone())
				+ b.cur(TAKEN) * (target + next_pc.clone())
				+ b.cur(JG) * (b.cur(JT) + next_pc);
			let entry = b.constant(Base::from_value(self.entry));
			let pc = (b.one() + end.clone()) * pc + end.clone() * entry;
			b.assert_transition(b.next(FIELDS + fields::PC) + pc);
			// Invocations: the row after an end starts the next one, named κ ω.
			b.assert_bool(b.cur(E));
			b.assert_transition(b.next(E) + end.clone());
			let step = b.one() + end.clone() * b.constant(counter_step().add(&Base::one()));
			b.assert_transition(b.next(K) + b.cur(K) * step);
			let g = b.ext_of_coords([0, 1, 2, 3].map(|k| f(b, fields::G + k)));
			b.assert_transition(b.next_ext(CNT) + b.cur_ext(CNT) * g * b.cur_ext(H));

			// Host calls: the output length moves only at a call; H is 1 on the other rows that
			// execute; the call's columns are 0 elsewhere.
			let out = b.cur(OUT) + host.clone() * (b.cur(OUT_AFTER) + b.cur(OUT));
			b.assert_transition(b.next(OUT) + (b.one() + end.clone()) * out);
			let not_host = b.one() + host.clone();
			b.assert_zero(active.clone() * not_host.clone() * (b.cur(H) + b.one()));
			for k in 1..4 {
				b.assert_zero(not_host.clone() * b.cur(H + k));
			}
			for column in [OUT_AFTER, HRES, HRES + 1] {
				b.assert_zero(not_host.clone() * b.cur(column));
			}

			// 6. An invocation that claims to trap ends by a trap, the others by a return; the claim
			// holds for the whole invocation.
			let t = b.cur(T);
			b.assert_bool(t.clone());
			b.assert_zero(active.clone() * trap * (b.one() + t.clone()));
			b.assert_zero(active.clone() * ret * t);
			b.assert_transition((b.one() + end.clone()) * (b.next(T) + b.cur(T)));

			// Counters are nonzero where they count; unused cells are zero (a canonical trace).
			b.assert_transition(b.cur(RHO) * b.cur(RHO_INV) + b.one());
			b.assert_transition(b.cur(JG) * (b.cur(RHO_J) * b.cur(RHO_J_INV) + b.one()));
			for column in [JT, RHO_J, RHO_J_INV] {
				b.assert_zero((b.one() + b.cur(JG)) * b.cur(column));
			}
			b.assert_zero(b.cur(RET) * b.cur(RET_INV));
			for w in 0..2 {
				b.assert_zero((b.one() + s(b, signal::ALU) + s(b, signal::SHIFT)) * b.cur(RES + w));
			}
			for column in (0..WIDTH).filter(|&c| !is_state(c)) {
				b.assert_zero((b.one() + active.clone()) * b.cur(column));
			}

			// Memory: the address is the ALU's `ra + imm` or the immediate; the value is the stored
			// operand or the loaded value, which only a load has.
			let load = mem.clone() * (b.one() + store.clone());
			let alu = s(b, signal::ALU);
			let address = mem.clone() * (alu.clone() * b.cur(RES) + (b.one() + alu) * f(b, fields::IMM));
			b.assert_eq(b.cur(ADDRESS), address);
			for w in 0..2 {
				let stored = s(b, signal::V_RB) * b.cur(VB + w) + s(b, signal::V_IMM2) * f(b, fields::IMM2 + w);
				b.assert_eq(b.cur(MV_OUT + w), store.clone() * stored + load.clone() * b.cur(LOADED + w));
				b.assert_zero((b.one() + load.clone()) * b.cur(LOADED + w));
			}
		}

		// 7. Buses.
		let mut packed = zero;
		for bit in 0..Signals::BITS {
			packed = packed + b.constant(Base::from_value(1 << bit)) * s(b, bit);
		}
		let mut looked_up: Vec<AB::Expr> = (0..fields::SIGNALS).map(|field| f(b, field)).collect();
		looked_up.push(packed);
		read(b, bus::PROGRAM, b.one(), &looked_up, b.cur(RHO));
		let request =
			|b: &AB, op: usize| [f(b, op), b.cur(X), b.cur(X + 1), b.cur(Y), b.cur(Y + 1), b.cur(RES), b.cur(RES + 1)];
		let alu_request = request(b, fields::ALU_OP);
		b.interact(bus::ALU, Direction::Send, s(b, signal::ALU), &alu_request);
		let shift_request = request(b, fields::SHIFT_OP);
		b.interact(bus::SHIFT, Direction::Send, s(b, signal::SHIFT), &shift_request);
		read(b, bus::JUMPS, b.cur(JG), &[b.cur(RES), b.cur(JT)], b.cur(RHO_J));
		// The timestamp 2^29 + row index.
		let mut ts_hi = b.constant(Base::from_value(1 << crate::memory::TS_BIT));
		for j in 0..self.num_vars.min(crate::memory::TS_BIT as u32) {
			ts_hi = ts_hi + b.constant(Base::from_value(1 << j)) * b.index_bit(j as u8);
		}
		// An invocation's first row fixes its first timestamp, which its rows keep; it starts
		// the invocation the verifier names next.
		if b.wants_constraints() {
			b.assert_zero(active.clone() * b.cur(E) * (b.cur(T_INV) + ts_hi.clone()));
			b.assert_transition((b.one() + end) * (b.next(T_INV) + b.cur(T_INV)));
		}
		b.interact(bus::INVOCATION, Direction::Receive, b.cur(E), &[b.cur(K), b.cur(T)]);
		let access = [
			f(b, fields::ACCESS),
			b.cur(ADDRESS),
			b.cur(MV_OUT),
			b.cur(MV_OUT + 1),
			ts_hi.clone(),
			b.constant(Base::zero()),
			b.cur(T_INV),
		];
		b.interact(bus::ACCESS, Direction::Send, mem, &access);
		let reg = |b: &AB, k: usize, w: usize| b.cur(REGS + 2 * k + w);
		let a0 = crate::machine::A0;
		let mut request = vec![f(b, fields::CALL)];
		request.extend((a0..a0 + 3).flat_map(|k| [reg(b, k, 0), reg(b, k, 1)]));
		request.extend([b.cur(HRES), b.cur(HRES + 1), b.cur(OUT), b.cur(OUT_AFTER)]);
		request.extend((0..4).map(|k| b.cur(H + k)));
		request.extend([ts_hi, b.cur(K), b.cur(T_INV), b.cur(T)]);
		b.interact(bus::HOST, Direction::Send, host, &request);
	}
}

/// The read-only side of a lookup: every row below `R` sends `(fields, 1)` and receives
/// `(fields, ρ_final)`; `ρ_final` is zero from `R` on.
pub(crate) fn serve<AB: AirBuilder>(b: &mut AB, bus: u32, count: usize) {
	let fields: Vec<AB::Expr> = (0..count).map(|i| b.cur(i)).collect();
	let mut sent = fields.clone();
	sent.push(b.one());
	b.interact(bus, Direction::Send, b.one(), &sent);
	let mut received = fields;
	received.push(b.cur(count));
	b.interact(bus, Direction::Receive, b.one(), &received);
	b.assert_zero((b.one() + b.selector(Selector::Active)) * b.cur(count));
}

impl Air for Program {
	fn width(&self) -> usize {
		fields::COUNT + 1
	}

	fn eval<AB: AirBuilder>(&self, b: &mut AB) {
		serve(b, bus::PROGRAM, fields::COUNT);
	}
}

impl Air for Jumps {
	fn width(&self) -> usize {
		3
	}

	fn eval<AB: AirBuilder>(&self, b: &mut AB) {
		serve(b, bus::JUMPS, 2);
	}
}

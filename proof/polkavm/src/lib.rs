//! # The PolkaVM arithmetization of the `Ligerito` mode
//!
//! What a proof that a PolkaVM program ran is made of (`docs/proof-system.md`, stage 3):
//!
//! - [`program`]: the v1 instruction subset, the registration check that names an instruction
//!   outside it, and the program table every executed instruction is looked up in;
//! - [`alu`]: the ALU chip, a table of 64-bit integer operations proven bit by bit (carry
//!   chains for addition, subtraction and comparisons; bitwise operations; equality through an
//!   inverse), answering requests on a bus;
//! - [`shift`]: the shift chip, shifts and rotations proven through one product in GF(2^128);
//! - [`decode`]: each instruction's signals (chip, operands, write, control), shared by the
//!   machine and the CPU table;
//! - [`memory`]: the access chip (loads and stores against 8-byte word cells, offline memory
//!   checking with strict timestamps), the RAM table and the read-only image;
//! - [`host`]: host calls and the rollback of a trapping invocation: the host-call and
//!   host-byte tables, the constants and inputs tables;
//! - [`state`]: the state table (the touched pages' bytes, old and new);
//! - [`cpu`]: the CPU table (one row per instruction, invocation after invocation) and the
//!   program and jump tables it reads;
//! - [`vm`]: proofs of whole runs: the statement, the witness, prove and verify;
//! - [`machine`]: an interpreter of the v1 subset that reports, per executed instruction, what
//!   the tables need; it is checked against polkavm's own interpreter step by step.
//!
//! The tables are [`agentic_air::Air`]s, proven together by `agentic-zerocheck`'s
//! `prove_tables`; their buses are numbered in [`bus`].
//!
//! `no_std` with `alloc`: the runtime's verifier (stage 4) builds the program table and
//! evaluates these constraints.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub mod alu;
mod chip;
pub mod cpu;
pub mod decode;
pub mod host;
pub mod machine;
pub mod memory;
pub mod program;
pub mod shift;
pub mod state;
pub mod vm;

use agentic_air::{Air, AirBuilder};

/// Every table of a VM proof, as the one AIR type the multi-table prover takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Table {
	/// The CPU table (its height and the program's entry point and stack).
	Cpu(cpu::Cpu),
	/// The program table.
	Program,
	/// The jump table.
	Jumps,
	/// The ALU chip.
	Alu,
	/// The shift chip.
	Shift,
	/// The access chip.
	Access,
	/// The RAM table.
	Ram,
	/// The read-only image.
	RoImage,
	/// The host-call table.
	HostCalls,
	/// The host-byte table.
	HostBytes,
	/// The state table.
	State,
	/// The constants table.
	Constants,
	/// The inputs table.
	Inputs,
}

impl Air for Table {
	fn width(&self) -> usize {
		match self {
			Table::Cpu(cpu) => cpu.width(),
			Table::Program => cpu::Program.width(),
			Table::Jumps => cpu::Jumps.width(),
			Table::Alu => alu::Alu.width(),
			Table::Shift => shift::Shift.width(),
			Table::Access => memory::Access.width(),
			Table::Ram => memory::Ram.width(),
			Table::RoImage => memory::RoImage.width(),
			Table::HostCalls => host::Calls.width(),
			Table::HostBytes => host::Bytes.width(),
			Table::State => state::State.width(),
			Table::Constants => host::Constants.width(),
			Table::Inputs => host::Inputs.width(),
		}
	}

	fn eval<AB: AirBuilder>(&self, builder: &mut AB) {
		match self {
			Table::Cpu(cpu) => cpu.eval(builder),
			Table::Program => cpu::Program.eval(builder),
			Table::Jumps => cpu::Jumps.eval(builder),
			Table::Alu => alu::Alu.eval(builder),
			Table::Shift => shift::Shift.eval(builder),
			Table::Access => memory::Access.eval(builder),
			Table::Ram => memory::Ram.eval(builder),
			Table::RoImage => memory::RoImage.eval(builder),
			Table::HostCalls => host::Calls.eval(builder),
			Table::HostBytes => host::Bytes.eval(builder),
			Table::State => state::State.eval(builder),
			Table::Constants => host::Constants.eval(builder),
			Table::Inputs => host::Inputs.eval(builder),
		}
	}
}

/// The buses the VM's tables talk on (each tuple's first field, its tag).
pub mod bus {
	/// Requests to the ALU chip: `(op, a_lo, a_hi, b_lo, b_hi, c_lo, c_hi)`.
	pub const ALU: u32 = 1;
	/// Requests to the shift chip: `(op, a_lo, a_hi, b_lo, b_hi, c_lo, c_hi)`.
	pub const SHIFT: u32 = 2;
	/// Reads of the program table: its fields and a counter.
	pub const PROGRAM: u32 = 3;
	/// Reads of the jump table: `(address, target)` and a counter.
	pub const JUMPS: u32 = 4;
	/// Read-write memory cells: `(w, lo, hi, ts)`.
	pub const RAM: u32 = 5;
	/// Reads of the read-only image: `(w, lo, hi)` and a counter.
	pub const IMAGE: u32 = 6;
	/// Requests to the access chip: `(kind, address, value_lo, value_hi, ts_hi, ts_lo, t_inv)`.
	pub const ACCESS: u32 = 7;
	/// Host requests (an `ecalli`'s call, or a `trap`'s rollback): `(request, a0, a1, a2,
	/// result, out, out_after, H, ts_hi, invocation, t_inv, trapped)`.
	pub const HOST: u32 = 8;
	/// The bytes a host request moves or restores: `(request, ts_hi, g_start, p_start, n,
	/// invocation, t_inv, trapped)`.
	pub const SEGMENT: u32 = 9;
	/// State byte cells: `(address, byte, ts_hi, ts_lo)`.
	pub const STATE: u32 = 10;
	/// Reads of the constants table: `(key, invocation or 0, lo, hi)` and a counter.
	pub const CONSTANTS: u32 = 11;
	/// Reads of the inputs table: `(invocation, position, byte)` and a counter.
	pub const INPUTS: u32 = 12;
	/// Output bytes: `(invocation, position, byte)`, received publicly.
	pub const OUTPUT: u32 = 13;
	/// Reads of the RAM table's initial values (first touches): `(w, lo, hi)` and a counter.
	pub const RAM_IMAGE: u32 = 14;
	/// Invocation starts: `(invocation, trapped)`, sent publicly, one per input.
	pub const INVOCATION: u32 = 15;
	/// The state bytes a trapping invocation touched: `(invocation, address, value before it)`,
	/// sent at each first touch and received by the rollback that restores it.
	pub const UNDO: u32 = 16;
}

//! The machine the witness is built from: a PolkaVM interpreter over a [`ProgramTable`] that
//! reports, for every instruction it executes, what the proof's tables need (the ALU and shift
//! requests, the memory access, the register written, the next `pc`).
//!
//! It is a second implementation of polkavm's semantics for the v1 subset, so it is checked
//! against polkavm's own interpreter instruction by instruction (`tests/machine.rs`: random
//! programs, every register, `pc` and the gas after every step, memory at the end). Host calls
//! are left to the caller: `ecalli` stops the machine with [`Exit::Ecalli`], and the caller
//! changes registers and memory through [`Machine::set_reg`] and [`Machine::write`].

use alloc::vec::Vec;
use polkavm_common::abi::VM_ADDR_RETURN_TO_HOST;

use crate::{
	alu::AluOp,
	decode::{self, ChipRequest, Control, Memory, Operand, Write},
	program::{ProgramRow, ProgramTable},
	shift::ShiftOp,
};

/// The number of registers.
pub const REGISTERS: usize = 13;
/// Register `ra` (the return address).
pub const RA: usize = 0;
/// Register `sp` (the stack pointer).
pub const SP: usize = 1;
/// Register `a0` (the first argument and the result of a host call).
pub const A0: usize = 7;

/// A load or store of 1, 2, 4 or 8 bytes, little-endian.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Access {
	/// The first byte's address.
	pub address: u32,
	/// 1, 2, 4 or 8.
	pub size: u32,
	/// The bytes' value before the instruction (zero-extended).
	pub old: u64,
	/// For a store, the value written (its low `size` bytes).
	pub stored: Option<u64>,
}

/// What one executed instruction did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
	/// The instruction (its program-table row).
	pub row: ProgramRow,
	/// Steps charged before it (its block's cost at a block start, else 0).
	pub charged: u32,
	/// The ALU request it makes, with its result: arithmetic, comparison, branch condition or
	/// effective address.
	pub alu: Option<(AluOp, u64, u64, u64)>,
	/// The shift request it makes, with its result.
	pub shift: Option<(ShiftOp, u64, u64, u64)>,
	/// The memory access, if it loads or stores (and did not trap on it).
	pub access: Option<Access>,
	/// The register written and its new value.
	pub write: Option<(u8, u64)>,
	/// How it ended.
	pub exit: Exit,
}

/// How an instruction ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
	/// Continue at this code offset.
	Next(u32),
	/// A host call with this index; the machine continues at `next_pc` when run again.
	Ecalli(u32),
	/// Returned to the host (a jump to `0xFFFF0000`).
	Finished,
	/// Trapped (a `trap`, a bad indirect jump or an access outside the memory map or to
	/// read-only data).
	Trap,
}

/// Why the machine cannot run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MachineError {
	/// The machine is not at an instruction (it finished or trapped, or `pc` is not one).
	NotRunning,
	/// The steps would exceed the limit given.
	OutOfSteps,
}

/// Registers, memory, `pc` and the steps used.
#[derive(Clone, Debug)]
pub struct Machine<'a> {
	program: &'a ProgramTable,
	regs: [u64; REGISTERS],
	/// One byte vector per region of the program's memory map.
	memory: [Vec<u8>; 3],
	pc: Option<u32>,
	steps: u64,
}

impl<'a> Machine<'a> {
	/// A machine with the program's initial memory, ready to run its entry point (registers
	/// as polkavm sets them for a call: `sp` the stack top, `ra` the return-to-host address).
	pub fn new(program: &'a ProgramTable) -> Self {
		let memory = program.regions.clone().map(|region| {
			let mut bytes = region.data.clone();
			bytes.resize(region.len as usize, 0);
			bytes
		});
		let mut machine = Machine { program, regs: [0; REGISTERS], memory, pc: None, steps: 0 };
		machine.restart();
		machine
	}

	/// Puts the registers and `pc` back to a call of the entry point (memory is kept).
	pub fn restart(&mut self) {
		self.regs = [0; REGISTERS];
		self.regs[SP] = u64::from(self.program.stack_top);
		self.regs[RA] = u64::from(VM_ADDR_RETURN_TO_HOST);
		self.pc = Some(self.program.entry);
	}

	/// Register `r`.
	pub fn reg(&self, r: usize) -> u64 {
		self.regs[r]
	}

	/// Sets register `r` (for the host).
	pub fn set_reg(&mut self, r: usize, value: u64) {
		self.regs[r] = value;
	}

	/// The code offset of the next instruction, while running.
	pub fn pc(&self) -> Option<u32> {
		self.pc
	}

	/// The steps charged so far.
	pub fn steps(&self) -> u64 {
		self.steps
	}

	/// Adds `steps` to the count (the host's charges).
	pub fn charge(&mut self, steps: u64) {
		self.steps += steps;
	}

	/// `len` bytes from `address`, if they are all inside one region.
	pub fn read(&self, address: u32, len: u32) -> Option<&[u8]> {
		let (i, offset) = self.locate(address, len)?;
		Some(&self.memory[i][offset..offset + len as usize])
	}

	/// Writes `data` at `address` if it lies inside one writable region (for the host, which
	/// may write where the guest may).
	pub fn write(&mut self, address: u32, data: &[u8]) -> bool {
		match self.locate(address, data.len() as u32) {
			Some((i, offset)) if self.program.regions[i].writable => {
				self.memory[i][offset..offset + data.len()].copy_from_slice(data);
				true
			},
			_ => false,
		}
	}

	fn locate(&self, address: u32, len: u32) -> Option<(usize, usize)> {
		let i = self.program.regions.iter().position(|region| region.contains(address, len))?;
		Some((i, (address - self.program.regions[i].address) as usize))
	}

	/// Executes one instruction, charging its block on entry; fails without changing anything
	/// if that would take the steps above `limit`.
	pub fn step(&mut self, limit: u64) -> Result<Step, MachineError> {
		let pc = self.pc.ok_or(MachineError::NotRunning)?;
		let row = *self.program.at(pc).ok_or(MachineError::NotRunning)?;
		let charged = row.block_cost;
		if self.steps + u64::from(charged) > limit {
			return Err(MachineError::OutOfSteps);
		}
		self.steps += u64::from(charged);
		let mut step =
			Step { row, charged, alu: None, shift: None, access: None, write: None, exit: Exit::Next(row.next_pc) };
		self.execute(&mut step);
		if let Some((r, value)) = step.write {
			self.regs[r as usize] = value;
		}
		self.pc = match step.exit {
			Exit::Next(next) => Some(next),
			Exit::Ecalli(_) => Some(row.next_pc),
			Exit::Finished | Exit::Trap => None,
		};
		Ok(step)
	}

	fn execute(&mut self, step: &mut Step) {
		let row = step.row;
		// Rows hold only the v1 subset, which has signals; anything else traps.
		let Some(signals) = decode::signals(row.opcode) else {
			step.exit = Exit::Trap;
			return;
		};
		let r = |x: Option<u8>| self.regs[x.unwrap_or(0) as usize];
		let (va, vb) = (if row.ra.is_some() { r(row.ra) } else { 0 }, if row.rb.is_some() { r(row.rb) } else { 0 });
		let operand = |source: Operand| match source {
			Operand::Zero => 0,
			Operand::RegA => va,
			Operand::RegB => vb,
			Operand::Imm => row.imm,
			Operand::Imm2 => row.imm2,
		};
		let (x, y) = (operand(signals.x), operand(signals.y));
		let res = match signals.chip {
			Some(ChipRequest::Alu(op)) => {
				let c = op.apply(x, y);
				step.alu = Some((op, x, y, c));
				c
			},
			Some(ChipRequest::Shift(op)) => {
				let c = op.apply(x, y);
				step.shift = Some((op, x, y, c));
				c
			},
			None => 0,
		};
		step.exit = match signals.control {
			_ if signals.trap => Exit::Trap,
			_ if signals.ecalli => Exit::Ecalli(row.imm as u32),
			Control::Next => Exit::Next(row.next_pc),
			Control::Branch { when } if (res == 1) == when => Exit::Next(row.target),
			Control::Branch { .. } => Exit::Next(row.next_pc),
			Control::Jump => Exit::Next(row.target),
			Control::Dynamic => self.jump(res),
		};
		let mut loaded = None;
		if let Some(memory) = signals.memory {
			let address = if signals.chip.is_some() { res as u32 } else { row.imm as u32 };
			match memory {
				Memory::Load { size, signed } => match self.read(address, size) {
					Some(bytes) => {
						let old = le(bytes);
						step.access = Some(Access { address, size, old, stored: None });
						loaded = Some(if signed { sign_extend(old, size) } else { old });
					},
					None => step.exit = Exit::Trap,
				},
				Memory::Store { size, value } => {
					let value = operand(value);
					let bytes = &value.to_le_bytes()[..size as usize];
					match self.read(address, size).map(le) {
						Some(old) if self.write(address, bytes) => {
							step.access = Some(Access { address, size, old, stored: Some(value) });
						},
						_ => step.exit = Exit::Trap,
					}
				},
			}
		}
		let value = match signals.write {
			Write::Nothing => None,
			Write::Memory => loaded,
			Write::Chip => Some(res),
			Write::Imm => Some(row.imm),
			Write::RegA => Some(va),
			// The caller carries the host call out and sets `a0`.
			Write::Host => None,
		};
		step.write = match (row.rd, value) {
			(Some(rd), Some(value)) if step.exit != Exit::Trap => Some((rd, value)),
			_ => None,
		};
	}

	/// Where a dynamic jump to `address` (truncated to 32 bits) goes.
	fn jump(&self, address: u64) -> Exit {
		let address = address as u32;
		if address == VM_ADDR_RETURN_TO_HOST {
			return Exit::Finished;
		}
		if address == 0 || !address.is_multiple_of(2) {
			return Exit::Trap;
		}
		match self.program.jump_table.get((address / 2 - 1) as usize) {
			Some(Some(target)) => Exit::Next(*target),
			_ => Exit::Trap,
		}
	}
}

fn le(bytes: &[u8]) -> u64 {
	bytes.iter().rev().fold(0, |acc, &byte| acc << 8 | u64::from(byte))
}

fn sign_extend(value: u64, size: u32) -> u64 {
	let shift = 64 - 8 * size;
	(((value << shift) as i64) >> shift) as u64
}

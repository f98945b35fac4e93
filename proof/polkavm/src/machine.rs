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
use polkavm_common::{abi::VM_ADDR_RETURN_TO_HOST, program::Opcode};

use crate::{
	alu::AluOp,
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
		use Opcode as O;
		let row = step.row;
		let r = |x: Option<u8>| self.regs[x.unwrap_or(0) as usize];
		let (a, b, imm, imm2) = (r(row.ra), r(row.rb), row.imm, row.imm2);
		let mut request = None;
		let mut alu = |op: AluOp, x: u64, y: u64| {
			let c = op.apply(x, y);
			request = Some((op, x, y, c));
			c
		};
		let mut result = None;
		match row.opcode {
			O::trap => step.exit = Exit::Trap,
			O::fallthrough => {},
			O::ecalli => step.exit = Exit::Ecalli(imm as u32),
			O::jump => step.exit = Exit::Next(row.target),
			O::load_imm_and_jump => {
				result = Some(imm);
				step.exit = Exit::Next(row.target);
			},
			O::jump_indirect => step.exit = self.jump(alu(AluOp::Add64, a, imm)),
			O::load_imm_and_jump_indirect => {
				step.exit = self.jump(alu(AluOp::Add64, a, imm2));
				result = Some(imm);
			},
			O::load_imm | O::load_imm64 => result = Some(imm),
			O::move_reg => result = Some(a),
			_ => {
				if let Some((op, x, y, taken)) = branch(row.opcode, a, b, imm) {
					let c = alu(op, x, y);
					if (c == 1) == taken {
						step.exit = Exit::Next(row.target);
					}
				} else if let Some((op, x, y)) = arithmetic(row.opcode, a, b, imm) {
					result = Some(alu(op, x, y));
				} else if let Some((op, x, y)) = shift(row.opcode, a, b, imm) {
					let c = op.apply(x, y);
					step.shift = Some((op, x, y, c));
					result = Some(c);
				} else if let Some((size, signed, indirect)) = load(row.opcode) {
					let address = if indirect { alu(AluOp::Add64, a, imm) as u32 } else { imm as u32 };
					match self.read(address, size) {
						Some(bytes) => {
							let old = le(bytes);
							step.access = Some(Access { address, size, old, stored: None });
							result = Some(if signed { sign_extend(old, size) } else { old });
						},
						None => step.exit = Exit::Trap,
					}
				} else if let Some((size, value, base)) = store(row.opcode, b, imm2) {
					let address = match base {
						true => alu(AluOp::Add64, a, imm) as u32,
						false => imm as u32,
					};
					let bytes = &value.to_le_bytes()[..size as usize];
					match self.read(address, size).map(le) {
						Some(old) if self.write(address, bytes) => {
							step.access = Some(Access { address, size, old, stored: Some(value) });
						},
						_ => step.exit = Exit::Trap,
					}
				} else {
					// Rows hold only the v1 subset, and every member is handled above.
					step.exit = Exit::Trap;
				}
			},
		}
		step.alu = request;
		step.write = match (row.rd, result) {
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

/// A branch's comparison as an ALU request `(op, x, y)` and whether it jumps when the result
/// is 1 (`true`) or 0 (`false`).
fn branch(opcode: Opcode, a: u64, b: u64, imm: u64) -> Option<(AluOp, u64, u64, bool)> {
	use AluOp::*;
	use Opcode as O;
	Some(match opcode {
		O::branch_eq => (Equal, a, b, true),
		O::branch_not_eq => (Equal, a, b, false),
		O::branch_less_unsigned => (LessUnsigned, a, b, true),
		O::branch_less_signed => (LessSigned, a, b, true),
		O::branch_greater_or_equal_unsigned => (LessUnsigned, a, b, false),
		O::branch_greater_or_equal_signed => (LessSigned, a, b, false),
		O::branch_eq_imm => (Equal, a, imm, true),
		O::branch_not_eq_imm => (Equal, a, imm, false),
		O::branch_less_unsigned_imm => (LessUnsigned, a, imm, true),
		O::branch_less_signed_imm => (LessSigned, a, imm, true),
		O::branch_greater_or_equal_unsigned_imm => (LessUnsigned, a, imm, false),
		O::branch_greater_or_equal_signed_imm => (LessSigned, a, imm, false),
		// a <= imm is not (imm < a); a > imm is imm < a.
		O::branch_less_or_equal_unsigned_imm => (LessUnsigned, imm, a, false),
		O::branch_less_or_equal_signed_imm => (LessSigned, imm, a, false),
		O::branch_greater_unsigned_imm => (LessUnsigned, imm, a, true),
		O::branch_greater_signed_imm => (LessSigned, imm, a, true),
		_ => return None,
	})
}

/// An integer instruction as an ALU request `(op, x, y)` whose result is written to `rd`.
fn arithmetic(opcode: Opcode, a: u64, b: u64, imm: u64) -> Option<(AluOp, u64, u64)> {
	use AluOp::*;
	use Opcode as O;
	Some(match opcode {
		O::add_64 => (Add64, a, b),
		O::add_32 => (Add32, a, b),
		O::sub_64 => (Sub64, a, b),
		O::sub_32 => (Sub32, a, b),
		O::add_imm_64 => (Add64, a, imm),
		O::add_imm_32 => (Add32, a, imm),
		O::negate_and_add_imm_64 => (Sub64, imm, a),
		O::negate_and_add_imm_32 => (Sub32, imm, a),
		O::and => (And, a, b),
		O::or => (Or, a, b),
		O::xor => (Xor, a, b),
		O::and_imm => (And, a, imm),
		O::or_imm => (Or, a, imm),
		O::xor_imm => (Xor, a, imm),
		O::set_less_than_unsigned => (LessUnsigned, a, b),
		O::set_less_than_signed => (LessSigned, a, b),
		O::set_less_than_unsigned_imm => (LessUnsigned, a, imm),
		O::set_less_than_signed_imm => (LessSigned, a, imm),
		O::set_greater_than_unsigned_imm => (LessUnsigned, imm, a),
		O::set_greater_than_signed_imm => (LessSigned, imm, a),
		_ => return None,
	})
}

/// A shift or rotation as a shift request `(op, value, amount)`.
fn shift(opcode: Opcode, a: u64, b: u64, imm: u64) -> Option<(ShiftOp, u64, u64)> {
	use Opcode as O;
	use ShiftOp::*;
	Some(match opcode {
		O::shift_logical_left_64 => (Left64, a, b),
		O::shift_logical_left_32 => (Left32, a, b),
		O::shift_logical_right_64 => (Right64, a, b),
		O::shift_logical_right_32 => (Right32, a, b),
		O::shift_arithmetic_right_64 => (ArithmeticRight64, a, b),
		O::shift_arithmetic_right_32 => (ArithmeticRight32, a, b),
		O::rotate_left_64 => (RotateLeft64, a, b),
		O::rotate_left_32 => (RotateLeft32, a, b),
		O::rotate_right_64 => (RotateRight64, a, b),
		O::rotate_right_32 => (RotateRight32, a, b),
		O::shift_logical_left_imm_64 => (Left64, a, imm),
		O::shift_logical_left_imm_32 => (Left32, a, imm),
		O::shift_logical_right_imm_64 => (Right64, a, imm),
		O::shift_logical_right_imm_32 => (Right32, a, imm),
		O::shift_arithmetic_right_imm_64 => (ArithmeticRight64, a, imm),
		O::shift_arithmetic_right_imm_32 => (ArithmeticRight32, a, imm),
		O::rotate_right_imm_64 => (RotateRight64, a, imm),
		O::rotate_right_imm_32 => (RotateRight32, a, imm),
		O::shift_logical_left_imm_alt_64 => (Left64, imm, a),
		O::shift_logical_left_imm_alt_32 => (Left32, imm, a),
		O::shift_logical_right_imm_alt_64 => (Right64, imm, a),
		O::shift_logical_right_imm_alt_32 => (Right32, imm, a),
		O::shift_arithmetic_right_imm_alt_64 => (ArithmeticRight64, imm, a),
		O::shift_arithmetic_right_imm_alt_32 => (ArithmeticRight32, imm, a),
		O::rotate_right_imm_alt_64 => (RotateRight64, imm, a),
		O::rotate_right_imm_alt_32 => (RotateRight32, imm, a),
		_ => return None,
	})
}

/// A load's size, whether it sign-extends and whether its address is `ra + imm` (else `imm`).
fn load(opcode: Opcode) -> Option<(u32, bool, bool)> {
	use Opcode as O;
	Some(match opcode {
		O::load_u8 => (1, false, false),
		O::load_i8 => (1, true, false),
		O::load_u16 => (2, false, false),
		O::load_i16 => (2, true, false),
		O::load_u32 => (4, false, false),
		O::load_i32 => (4, true, false),
		O::load_u64 => (8, false, false),
		O::load_indirect_u8 => (1, false, true),
		O::load_indirect_i8 => (1, true, true),
		O::load_indirect_u16 => (2, false, true),
		O::load_indirect_i16 => (2, true, true),
		O::load_indirect_u32 => (4, false, true),
		O::load_indirect_i32 => (4, true, true),
		O::load_indirect_u64 => (8, false, true),
		_ => return None,
	})
}

/// A store's size, the value it stores (`rb`, or the immediate `imm2`) and whether its address
/// is `ra + imm` (else `imm`).
fn store(opcode: Opcode, b: u64, imm2: u64) -> Option<(u32, u64, bool)> {
	use Opcode as O;
	Some(match opcode {
		O::store_u8 => (1, b, false),
		O::store_u16 => (2, b, false),
		O::store_u32 => (4, b, false),
		O::store_u64 => (8, b, false),
		O::store_indirect_u8 => (1, b, true),
		O::store_indirect_u16 => (2, b, true),
		O::store_indirect_u32 => (4, b, true),
		O::store_indirect_u64 => (8, b, true),
		O::store_imm_u8 => (1, imm2, false),
		O::store_imm_u16 => (2, imm2, false),
		O::store_imm_u32 => (4, imm2, false),
		O::store_imm_u64 => (8, imm2, false),
		O::store_imm_indirect_u8 => (1, imm2, true),
		O::store_imm_indirect_u16 => (2, imm2, true),
		O::store_imm_indirect_u32 => (4, imm2, true),
		O::store_imm_indirect_u64 => (8, imm2, true),
		_ => return None,
	})
}

//! Decoded signals: what each instruction of the v1 subset does, as the handful of choices the
//! CPU table makes (which chip it asks, which operands, what it writes, where it goes next).
//!
//! The witness machine executes instructions through these signals and the program table
//! publishes them, so the CPU's constraints are the same for every opcode and the mapping has
//! one source: this module (`docs/proof-system.md`, "The CPU table, v0").

use polkavm_common::program::Opcode;

use crate::{alu::AluOp, memory::AccessKind, shift::ShiftOp};

/// A request to a chip.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChipRequest {
	/// To the ALU chip.
	Alu(AluOp),
	/// To the shift chip.
	Shift(ShiftOp),
}

/// Where an operand comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operand {
	/// Nothing (0).
	Zero,
	/// The value of `ra`.
	RegA,
	/// The value of `rb`.
	RegB,
	/// The first immediate.
	Imm,
	/// The second immediate.
	Imm2,
}

/// What the instruction writes to `rd`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Write {
	/// Nothing.
	Nothing,
	/// The chip's result.
	Chip,
	/// The first immediate.
	Imm,
	/// The value of `ra`.
	RegA,
	/// The loaded value.
	Memory,
	/// The host call's result (`ecalli`, into `a0`).
	Host,
}

/// Where execution goes next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Control {
	/// To the next instruction.
	Next,
	/// To the target if the chip answers `when` (1 for `true`), else to the next instruction.
	Branch {
		/// The answer that takes the branch.
		when: bool,
	},
	/// To the static target.
	Jump,
	/// To the dynamic address the ALU computed: a return for `0xFFFF0000`, else through the
	/// jump table.
	Dynamic,
}

/// Memory accesses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Memory {
	/// A load of `size` bytes, sign-extended if `signed`.
	Load {
		/// 1, 2, 4 or 8.
		size: u32,
		/// Whether the value is sign-extended.
		signed: bool,
	},
	/// A store of the low `size` bytes of `value`.
	Store {
		/// 1, 2, 4 or 8.
		size: u32,
		/// Where the stored value comes from: `RegB` or `Imm2`.
		value: Operand,
	},
}

/// The decoded instruction. Memory accesses take their address from the chip's result when
/// they ask the ALU (`base + offset`), else from the immediate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Signals {
	/// The chip request, with operands `x` and `y`.
	pub chip: Option<ChipRequest>,
	/// The first operand: `RegA` or `Imm`.
	pub x: Operand,
	/// The second operand.
	pub y: Operand,
	/// The register write.
	pub write: Write,
	/// The next instruction.
	pub control: Control,
	/// A memory access.
	pub memory: Option<Memory>,
	/// `trap`.
	pub trap: bool,
	/// `ecalli`.
	pub ecalli: bool,
}

impl Signals {
	/// The number of signal bits.
	pub const BITS: usize = 22;

	/// Whether the row asks the host: `ecalli` for a call, `trap` for the rollback of the
	/// invocation's state writes.
	pub fn host(&self) -> bool {
		self.ecalli || self.trap
	}

	/// The memory access's kind, if any.
	pub fn access(&self) -> Option<AccessKind> {
		self.memory.map(|memory| match memory {
			Memory::Load { size, signed } => AccessKind { size, signed, store: false },
			Memory::Store { size, .. } => AccessKind { size, signed: false, store: true },
		})
	}

	/// The signal bits in the CPU table's order: `alu, shift, x_imm, y_rb, y_imm, y_imm2, y_ra,
	/// w_chip, w_imm, w_ra, branch, when, jump, dyn, trap, mem, store, w_mem, v_rb, v_imm2, host,
	/// w_host`.
	pub fn bits(&self) -> [bool; Self::BITS] {
		[
			matches!(self.chip, Some(ChipRequest::Alu(_))),
			matches!(self.chip, Some(ChipRequest::Shift(_))),
			self.x == Operand::Imm,
			self.y == Operand::RegB,
			self.y == Operand::Imm,
			self.y == Operand::Imm2,
			self.y == Operand::RegA,
			self.write == Write::Chip,
			self.write == Write::Imm,
			self.write == Write::RegA,
			matches!(self.control, Control::Branch { .. }),
			matches!(self.control, Control::Branch { when: true }),
			self.control == Control::Jump,
			self.control == Control::Dynamic,
			self.trap,
			self.memory.is_some(),
			matches!(self.memory, Some(Memory::Store { .. })),
			self.write == Write::Memory,
			matches!(self.memory, Some(Memory::Store { value: Operand::RegB, .. })),
			matches!(self.memory, Some(Memory::Store { value: Operand::Imm2, .. })),
			self.host(),
			self.write == Write::Host,
		]
	}
}

impl Signals {
	/// Checks the rules the CPU table's soundness relies on (`docs/proof-system.md`, review
	/// R5-3), for an instruction with these registers: a written chip result, a branch's
	/// condition and a dynamic jump's address come from a chip request of the right kind; the
	/// first operand is `ra` or the immediate; registers read exist; and an instruction the CPU
	/// executes writes a value exactly when it names `rd`.
	pub fn check(&self, rd: Option<u8>, ra: Option<u8>, rb: Option<u8>) -> Result<(), &'static str> {
		use AluOp::{Add64, Equal, LessSigned, LessUnsigned};
		let alu = |ops: &[AluOp]| matches!(self.chip, Some(ChipRequest::Alu(op)) if ops.contains(&op));
		if self.write == Write::Chip && self.chip.is_none() {
			return Err("writes a chip result without a chip request");
		}
		if matches!(self.control, Control::Branch { .. }) && !alu(&[Equal, LessUnsigned, LessSigned]) {
			return Err("a branch without a comparison");
		}
		if self.control == Control::Dynamic && !alu(&[Add64]) {
			return Err("a dynamic jump without an address addition");
		}
		if !matches!(self.x, Operand::RegA | Operand::Imm) {
			return Err("a first operand other than ra or the immediate");
		}
		let store_value = match self.memory {
			Some(Memory::Store { value, .. }) => Some(value),
			_ => None,
		};
		let reads_a =
			(self.chip.is_some() && self.x == Operand::RegA) || self.y == Operand::RegA || self.write == Write::RegA;
		let reads_b = self.y == Operand::RegB || store_value == Some(Operand::RegB);
		if (reads_a && ra.is_none()) || (reads_b && rb.is_none()) {
			return Err("reads a register the instruction does not name");
		}
		if !self.trap && rd.is_some() != (self.write != Write::Nothing) {
			return Err("names rd without writing it, or writes without rd");
		}
		// Memory (review M-9): loads write the loaded value and nothing else does; an access's
		// address is `add64(ra, imm)` or the immediate; a store's value is `rb` or `imm2`.
		let load = matches!(self.memory, Some(Memory::Load { .. }));
		if load != (self.write == Write::Memory) {
			return Err("a load that does not write the loaded value, or a loaded value without a load");
		}
		if self.memory.is_some()
			&& !(self.chip.is_none() || (alu(&[Add64]) && self.x == Operand::RegA && self.y == Operand::Imm))
		{
			return Err("an access address other than ra + imm or the immediate");
		}
		if store_value.is_some_and(|v| !matches!(v, Operand::RegB | Operand::Imm2)) {
			return Err("a stored value other than rb or imm2");
		}
		if self.memory.is_some() && self.control != Control::Next {
			return Err("an access that jumps");
		}
		// Host calls (review H-12): `ecalli` writes the host's result to `a0` and does nothing
		// else; nothing else writes a host result.
		if self.ecalli != (self.write == Write::Host) {
			return Err("a host call that does not write its result, or a host result without a call");
		}
		if self.ecalli
			&& (rd != Some(crate::machine::A0 as u8)
				|| self.chip.is_some()
				|| self.memory.is_some()
				|| self.control != Control::Next
				|| self.trap)
		{
			return Err("a host call that writes another register, asks a chip, accesses memory or jumps");
		}
		Ok(())
	}
}

/// The signals of `trap`.
pub const TRAP: Signals = Signals {
	chip: None,
	x: Operand::RegA,
	y: Operand::Zero,
	write: Write::Nothing,
	control: Control::Next,
	memory: None,
	trap: true,
	ecalli: false,
};

/// The signals of a v1 instruction (`None` outside the subset).
pub fn signals(opcode: Opcode) -> Option<Signals> {
	use AluOp::*;
	use Opcode as O;
	use Operand::{Imm, Imm2, RegA, RegB, Zero};
	use ShiftOp::*;
	let plain = Signals {
		chip: None,
		x: RegA,
		y: Zero,
		write: Write::Nothing,
		control: Control::Next,
		memory: None,
		trap: false,
		ecalli: false,
	};
	let alu = |op, x, y| Signals { chip: Some(ChipRequest::Alu(op)), x, y, write: Write::Chip, ..plain };
	let shift = |op, x, y| Signals { chip: Some(ChipRequest::Shift(op)), x, y, write: Write::Chip, ..plain };
	let branch =
		|op, x, y, when| Signals { chip: Some(ChipRequest::Alu(op)), x, y, control: Control::Branch { when }, ..plain };
	let address = Signals { chip: Some(ChipRequest::Alu(Add64)), x: RegA, y: Imm, ..plain };
	let load = |size, signed, indirect: bool| Signals {
		memory: Some(Memory::Load { size, signed }),
		write: Write::Memory,
		..if indirect { address } else { plain }
	};
	let store = |size, value, indirect: bool| Signals {
		memory: Some(Memory::Store { size, value }),
		..if indirect { address } else { plain }
	};
	Some(match opcode {
		O::trap => TRAP,
		O::fallthrough => plain,
		O::ecalli => Signals { ecalli: true, write: Write::Host, ..plain },
		O::jump => Signals { control: Control::Jump, ..plain },
		O::load_imm_and_jump => Signals { write: Write::Imm, control: Control::Jump, ..plain },
		O::jump_indirect => Signals { control: Control::Dynamic, ..address },
		O::load_imm_and_jump_indirect => Signals { y: Imm2, write: Write::Imm, control: Control::Dynamic, ..address },
		O::load_imm | O::load_imm64 => Signals { write: Write::Imm, ..plain },
		O::move_reg => Signals { write: Write::RegA, ..plain },

		O::branch_eq => branch(Equal, RegA, RegB, true),
		O::branch_not_eq => branch(Equal, RegA, RegB, false),
		O::branch_less_unsigned => branch(LessUnsigned, RegA, RegB, true),
		O::branch_less_signed => branch(LessSigned, RegA, RegB, true),
		O::branch_greater_or_equal_unsigned => branch(LessUnsigned, RegA, RegB, false),
		O::branch_greater_or_equal_signed => branch(LessSigned, RegA, RegB, false),
		O::branch_eq_imm => branch(Equal, RegA, Imm, true),
		O::branch_not_eq_imm => branch(Equal, RegA, Imm, false),
		O::branch_less_unsigned_imm => branch(LessUnsigned, RegA, Imm, true),
		O::branch_less_signed_imm => branch(LessSigned, RegA, Imm, true),
		O::branch_greater_or_equal_unsigned_imm => branch(LessUnsigned, RegA, Imm, false),
		O::branch_greater_or_equal_signed_imm => branch(LessSigned, RegA, Imm, false),
		// a <= imm is not (imm < a); a > imm is imm < a.
		O::branch_less_or_equal_unsigned_imm => branch(LessUnsigned, Imm, RegA, false),
		O::branch_less_or_equal_signed_imm => branch(LessSigned, Imm, RegA, false),
		O::branch_greater_unsigned_imm => branch(LessUnsigned, Imm, RegA, true),
		O::branch_greater_signed_imm => branch(LessSigned, Imm, RegA, true),

		O::add_64 => alu(Add64, RegA, RegB),
		O::add_32 => alu(Add32, RegA, RegB),
		O::sub_64 => alu(Sub64, RegA, RegB),
		O::sub_32 => alu(Sub32, RegA, RegB),
		O::add_imm_64 => alu(Add64, RegA, Imm),
		O::add_imm_32 => alu(Add32, RegA, Imm),
		O::negate_and_add_imm_64 => alu(Sub64, Imm, RegA),
		O::negate_and_add_imm_32 => alu(Sub32, Imm, RegA),
		O::and => alu(And, RegA, RegB),
		O::or => alu(Or, RegA, RegB),
		O::xor => alu(Xor, RegA, RegB),
		O::and_imm => alu(And, RegA, Imm),
		O::or_imm => alu(Or, RegA, Imm),
		O::xor_imm => alu(Xor, RegA, Imm),
		O::set_less_than_unsigned => alu(LessUnsigned, RegA, RegB),
		O::set_less_than_signed => alu(LessSigned, RegA, RegB),
		O::set_less_than_unsigned_imm => alu(LessUnsigned, RegA, Imm),
		O::set_less_than_signed_imm => alu(LessSigned, RegA, Imm),
		O::set_greater_than_unsigned_imm => alu(LessUnsigned, Imm, RegA),
		O::set_greater_than_signed_imm => alu(LessSigned, Imm, RegA),

		O::shift_logical_left_64 => shift(Left64, RegA, RegB),
		O::shift_logical_left_32 => shift(Left32, RegA, RegB),
		O::shift_logical_right_64 => shift(Right64, RegA, RegB),
		O::shift_logical_right_32 => shift(Right32, RegA, RegB),
		O::shift_arithmetic_right_64 => shift(ArithmeticRight64, RegA, RegB),
		O::shift_arithmetic_right_32 => shift(ArithmeticRight32, RegA, RegB),
		O::rotate_left_64 => shift(RotateLeft64, RegA, RegB),
		O::rotate_left_32 => shift(RotateLeft32, RegA, RegB),
		O::rotate_right_64 => shift(RotateRight64, RegA, RegB),
		O::rotate_right_32 => shift(RotateRight32, RegA, RegB),
		O::shift_logical_left_imm_64 => shift(Left64, RegA, Imm),
		O::shift_logical_left_imm_32 => shift(Left32, RegA, Imm),
		O::shift_logical_right_imm_64 => shift(Right64, RegA, Imm),
		O::shift_logical_right_imm_32 => shift(Right32, RegA, Imm),
		O::shift_arithmetic_right_imm_64 => shift(ArithmeticRight64, RegA, Imm),
		O::shift_arithmetic_right_imm_32 => shift(ArithmeticRight32, RegA, Imm),
		O::rotate_right_imm_64 => shift(RotateRight64, RegA, Imm),
		O::rotate_right_imm_32 => shift(RotateRight32, RegA, Imm),
		// `_alt`: the immediate is shifted by the register.
		O::shift_logical_left_imm_alt_64 => shift(Left64, Imm, RegA),
		O::shift_logical_left_imm_alt_32 => shift(Left32, Imm, RegA),
		O::shift_logical_right_imm_alt_64 => shift(Right64, Imm, RegA),
		O::shift_logical_right_imm_alt_32 => shift(Right32, Imm, RegA),
		O::shift_arithmetic_right_imm_alt_64 => shift(ArithmeticRight64, Imm, RegA),
		O::shift_arithmetic_right_imm_alt_32 => shift(ArithmeticRight32, Imm, RegA),
		O::rotate_right_imm_alt_64 => shift(RotateRight64, Imm, RegA),
		O::rotate_right_imm_alt_32 => shift(RotateRight32, Imm, RegA),

		O::load_u8 => load(1, false, false),
		O::load_i8 => load(1, true, false),
		O::load_u16 => load(2, false, false),
		O::load_i16 => load(2, true, false),
		O::load_u32 => load(4, false, false),
		O::load_i32 => load(4, true, false),
		O::load_u64 => load(8, false, false),
		O::load_indirect_u8 => load(1, false, true),
		O::load_indirect_i8 => load(1, true, true),
		O::load_indirect_u16 => load(2, false, true),
		O::load_indirect_i16 => load(2, true, true),
		O::load_indirect_u32 => load(4, false, true),
		O::load_indirect_i32 => load(4, true, true),
		O::load_indirect_u64 => load(8, false, true),
		O::store_u8 => store(1, RegB, false),
		O::store_u16 => store(2, RegB, false),
		O::store_u32 => store(4, RegB, false),
		O::store_u64 => store(8, RegB, false),
		O::store_indirect_u8 => store(1, RegB, true),
		O::store_indirect_u16 => store(2, RegB, true),
		O::store_indirect_u32 => store(4, RegB, true),
		O::store_indirect_u64 => store(8, RegB, true),
		O::store_imm_u8 => store(1, Imm2, false),
		O::store_imm_u16 => store(2, Imm2, false),
		O::store_imm_u32 => store(4, Imm2, false),
		O::store_imm_u64 => store(8, Imm2, false),
		O::store_imm_indirect_u8 => store(1, Imm2, true),
		O::store_imm_indirect_u16 => store(2, Imm2, true),
		O::store_imm_indirect_u32 => store(4, Imm2, true),
		O::store_imm_indirect_u64 => store(8, Imm2, true),
		_ => return None,
	})
}

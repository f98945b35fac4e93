//! The v1 instruction subset and the program table: what registration of a `Ligerito`-mode
//! agent checks, and the public table every executed instruction is looked up in
//! (`docs/proof-system.md`, stage 3, "Instruction subset v1" and "Tables").
//!
//! The table is a function of the blob alone, so the verifier builds it itself (stage 4: once,
//! at registration). Each row is one instruction at its code offset, with its operands in fixed
//! roles (`rd` written, `ra` and `rb` read, the immediates sign-extended to 64 bits, `target`
//! absolute), the offset of the next instruction and whether it starts a basic block. Two
//! load-time decisions of polkavm are applied here, so the trace never has to prove them: an
//! undecodable byte is `trap`, and so is a branch or jump whose static target is not a valid
//! basic-block start.

use agentic_primitives::abi::HostCall;
use alloc::{string::String, vec::Vec};
use polkavm_common::{
	abi::MemoryMapBuilder,
	program::{Instruction, InstructionSet, InstructionSetKind, Opcode, ProgramBlob, ProgramCounter, RawReg},
};

/// The instructions a `Ligerito`-mode program may contain, in the order of their ids in the
/// program table ([`opcode_id`]). Everything else is refused at registration.
pub const SUPPORTED: &[Opcode] = &[
	// control
	Opcode::trap,
	Opcode::fallthrough,
	Opcode::jump,
	Opcode::jump_indirect,
	Opcode::load_imm_and_jump,
	Opcode::load_imm_and_jump_indirect,
	Opcode::ecalli,
	// branches
	Opcode::branch_eq,
	Opcode::branch_not_eq,
	Opcode::branch_less_unsigned,
	Opcode::branch_less_signed,
	Opcode::branch_greater_or_equal_unsigned,
	Opcode::branch_greater_or_equal_signed,
	Opcode::branch_eq_imm,
	Opcode::branch_not_eq_imm,
	Opcode::branch_less_unsigned_imm,
	Opcode::branch_less_signed_imm,
	Opcode::branch_greater_or_equal_unsigned_imm,
	Opcode::branch_greater_or_equal_signed_imm,
	Opcode::branch_less_or_equal_unsigned_imm,
	Opcode::branch_less_or_equal_signed_imm,
	Opcode::branch_greater_unsigned_imm,
	Opcode::branch_greater_signed_imm,
	// moves
	Opcode::load_imm,
	Opcode::load_imm64,
	Opcode::move_reg,
	// integer
	Opcode::add_32,
	Opcode::add_64,
	Opcode::sub_32,
	Opcode::sub_64,
	Opcode::add_imm_32,
	Opcode::add_imm_64,
	Opcode::negate_and_add_imm_32,
	Opcode::negate_and_add_imm_64,
	Opcode::and,
	Opcode::or,
	Opcode::xor,
	Opcode::and_imm,
	Opcode::or_imm,
	Opcode::xor_imm,
	Opcode::set_less_than_unsigned,
	Opcode::set_less_than_signed,
	Opcode::set_less_than_unsigned_imm,
	Opcode::set_less_than_signed_imm,
	Opcode::set_greater_than_unsigned_imm,
	Opcode::set_greater_than_signed_imm,
	// shifts and rotations
	Opcode::shift_logical_left_32,
	Opcode::shift_logical_left_64,
	Opcode::shift_logical_right_32,
	Opcode::shift_logical_right_64,
	Opcode::shift_arithmetic_right_32,
	Opcode::shift_arithmetic_right_64,
	Opcode::shift_logical_left_imm_32,
	Opcode::shift_logical_left_imm_64,
	Opcode::shift_logical_right_imm_32,
	Opcode::shift_logical_right_imm_64,
	Opcode::shift_arithmetic_right_imm_32,
	Opcode::shift_arithmetic_right_imm_64,
	Opcode::shift_logical_left_imm_alt_32,
	Opcode::shift_logical_left_imm_alt_64,
	Opcode::shift_logical_right_imm_alt_32,
	Opcode::shift_logical_right_imm_alt_64,
	Opcode::shift_arithmetic_right_imm_alt_32,
	Opcode::shift_arithmetic_right_imm_alt_64,
	Opcode::rotate_left_32,
	Opcode::rotate_left_64,
	Opcode::rotate_right_32,
	Opcode::rotate_right_64,
	Opcode::rotate_right_imm_32,
	Opcode::rotate_right_imm_64,
	Opcode::rotate_right_imm_alt_32,
	Opcode::rotate_right_imm_alt_64,
	// memory
	Opcode::load_u8,
	Opcode::load_i8,
	Opcode::load_u16,
	Opcode::load_i16,
	Opcode::load_u32,
	Opcode::load_i32,
	Opcode::load_u64,
	Opcode::load_indirect_u8,
	Opcode::load_indirect_i8,
	Opcode::load_indirect_u16,
	Opcode::load_indirect_i16,
	Opcode::load_indirect_u32,
	Opcode::load_indirect_i32,
	Opcode::load_indirect_u64,
	Opcode::store_u8,
	Opcode::store_u16,
	Opcode::store_u32,
	Opcode::store_u64,
	Opcode::store_indirect_u8,
	Opcode::store_indirect_u16,
	Opcode::store_indirect_u32,
	Opcode::store_indirect_u64,
	Opcode::store_imm_u8,
	Opcode::store_imm_u16,
	Opcode::store_imm_u32,
	Opcode::store_imm_u64,
	Opcode::store_imm_indirect_u8,
	Opcode::store_imm_indirect_u16,
	Opcode::store_imm_indirect_u32,
	Opcode::store_imm_indirect_u64,
];

/// The id of a supported instruction in the program table (its position in [`SUPPORTED`]),
/// or `None` if v1 cannot prove it.
pub fn opcode_id(opcode: Opcode) -> Option<u8> {
	// SUPPORTED has fewer than 256 entries (a test checks it).
	SUPPORTED.iter().position(|&o| o == opcode).map(|i| i as u8)
}

/// Why a program cannot run in the `Ligerito` mode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProgramError {
	/// Not a parseable PolkaVM blob.
	Malformed(String),
	/// Not built for the `ReviveV1` instruction set.
	WrongInstructionSet,
	/// Contains an instruction outside the v1 subset: its code offset and polkavm's name for it.
	UnsupportedInstruction {
		/// Code offset of the first such instruction.
		pc: u32,
		/// polkavm's name of the instruction (`mul_64`, `div_unsigned_32`, ...).
		name: &'static str,
		/// The instruction's opcode byte in the `revive_v1` encoding (what the chain's
		/// registration error carries).
		opcode: u8,
	},
	/// Has no export of this name.
	MissingExport(String),
	/// The export is not at the start of a basic block (polkavm would charge the whole block
	/// containing it, which the gas argument does not model).
	ExportNotBlockStart(u32),
	/// The last instruction can fall through past the end of the code.
	FallsOffEnd,
	/// The decoder broke a rule the CPU table relies on (a bug in this crate: refused rather
	/// than proven).
	InconsistentDecoding {
		/// Code offset of the instruction.
		pc: u32,
		/// The rule.
		reason: &'static str,
	},
	/// Imports a symbol that is not an ABI v1 host call.
	UnknownHostCall(String),
	/// Has an `ecalli` whose index has no import behind it.
	MissingImport {
		/// Code offset of the `ecalli`.
		pc: u32,
		/// Its index.
		index: u32,
	},
}

impl core::fmt::Display for ProgramError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			ProgramError::Malformed(e) => write!(f, "malformed program blob: {e}"),
			ProgramError::WrongInstructionSet => {
				write!(f, "the program is not built for the revive_v1 instruction set")
			},
			ProgramError::UnsupportedInstruction { pc, name, .. } => {
				write!(f, "instruction `{name}` at code offset {pc} is outside the Ligerito v1 subset")
			},
			ProgramError::MissingExport(name) => write!(f, "the program has no `{name}` export"),
			ProgramError::ExportNotBlockStart(pc) => {
				write!(f, "the export at code offset {pc} is not the start of a basic block")
			},
			ProgramError::FallsOffEnd => write!(f, "the last instruction can fall through past the end of the code"),
			ProgramError::InconsistentDecoding { pc, reason } => {
				write!(f, "the instruction at code offset {pc} decodes inconsistently: {reason}")
			},
			ProgramError::UnknownHostCall(name) => write!(f, "the program imports `{name}`, not an ABI v1 host call"),
			ProgramError::MissingImport { pc, index } => {
				write!(f, "the ecalli at code offset {pc} calls import {index}, which does not exist")
			},
		}
	}
}

/// One instruction of the program table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProgramRow {
	/// Code offset.
	pub pc: u32,
	/// The instruction as executed: `trap` for an undecodable byte and for a branch or jump
	/// whose static target is not a valid basic-block start.
	pub opcode: Opcode,
	/// The register written (`d` of polkavm's formatter), if any.
	pub rd: Option<u8>,
	/// The first register read (the only one, or the base of an indirect access or jump).
	pub ra: Option<u8>,
	/// The second register read (the stored value of `store_indirect_*`, the second operand).
	pub rb: Option<u8>,
	/// The first immediate, sign-extended to 64 bits (`load_imm64`'s as it is); the address of a
	/// direct load or store; the offset of an indirect access or jump; `ecalli`'s index.
	pub imm: u64,
	/// The second immediate, sign-extended: the value of `store_imm_*` and of
	/// `load_imm_and_jump_indirect`'s jump offset.
	pub imm2: u64,
	/// The absolute target of a direct branch or jump (0 if none).
	pub target: u32,
	/// Code offset of the next instruction.
	pub next_pc: u32,
	/// Whether the instruction starts a basic block (where polkavm charges gas).
	pub block: bool,
	/// At a block start, the steps polkavm charges on entering the block (one per instruction
	/// up to and including the one that ends it); 0 elsewhere.
	pub block_cost: u32,
	/// For `ecalli`, the host call its import names.
	pub call: Option<HostCall>,
}

impl ProgramRow {
	/// A row without operands (the block cost is filled in later).
	fn bare(pc: u32, opcode: Opcode, next_pc: u32, block: bool) -> Self {
		ProgramRow {
			pc,
			opcode,
			rd: None,
			ra: None,
			rb: None,
			imm: 0,
			imm2: 0,
			target: 0,
			next_pc,
			block,
			block_cost: 0,
			call: None,
		}
	}

	/// The instruction's id in [`SUPPORTED`].
	pub fn id(&self) -> u8 {
		// Rows are built only from supported opcodes.
		opcode_id(self.opcode).unwrap_or(0)
	}
}

/// A region of guest memory: its address, its accessible length and its initial bytes (the
/// rest of the region is zero).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Region {
	/// First address.
	pub address: u32,
	/// Accessible bytes (a multiple of the 4 KiB page).
	pub len: u32,
	/// Initial contents of the first bytes.
	pub data: Vec<u8>,
	/// Whether the guest may write it.
	pub writable: bool,
}

impl Region {
	/// Whether `len` bytes from `address` lie inside the region.
	pub fn contains(&self, address: u32, len: u32) -> bool {
		address >= self.address && u64::from(address) + u64::from(len) <= u64::from(self.address) + u64::from(self.len)
	}
}

/// polkavm's page size, which the memory map aligns region lengths to.
pub const PAGE_SIZE: u32 = 0x1000;

/// A program's instructions in code order, its jump table, its memory map with the initial
/// image, and its entry point: the public tables of a `Ligerito`-mode proof.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgramTable {
	/// One row per instruction.
	pub rows: Vec<ProgramRow>,
	/// Code offset of the entry point.
	pub entry: u32,
	/// The jump table: entry `i` serves the dynamic address `2 (i + 1)`; `None` where its target
	/// is not a valid basic-block start (a jump there traps).
	pub jump_table: Vec<Option<u32>>,
	/// Read-only data, read-write data and stack, in that order.
	pub regions: [Region; 3],
	/// The initial stack pointer (the stack's high end).
	pub stack_top: u32,
	/// The declared guest memory in bytes (read-only data, read-write data and stack, as the
	/// blob declares them), which an invocation start is charged for.
	pub memory: u64,
}

impl ProgramTable {
	/// The guest memory the program maps, in bytes: its regions' lengths (each rounded up to
	/// whole pages), which the memory tables' public images span.
	pub fn mapped_memory(&self) -> u64 {
		self.regions.iter().map(|region| u64::from(region.len)).sum()
	}

	/// Parses `blob`, refuses a program v1 cannot prove (naming its first unsupported
	/// instruction) and builds its table with `export` as the entry point.
	pub fn from_blob(blob: &[u8], export: &str) -> Result<Self, ProgramError> {
		let parsed =
			ProgramBlob::parse(blob.to_vec().into()).map_err(|e| ProgramError::Malformed(alloc::format!("{e}")))?;
		if parsed.isa() != InstructionSetKind::ReviveV1 {
			return Err(ProgramError::WrongInstructionSet);
		}
		let isa = InstructionSetKind::ReviveV1;
		let mut imports = Vec::new();
		for import in parsed.imports().iter() {
			let import = import.ok_or_else(|| ProgramError::Malformed("unreadable import table".into()))?;
			let symbol = import.as_bytes();
			imports.push(
				HostCall::from_symbol(symbol)
					.ok_or_else(|| ProgramError::UnknownHostCall(String::from_utf8_lossy(symbol).into()))?,
			);
		}
		let mut rows = Vec::new();
		let mut previous_ends_block = true;
		for instruction in parsed.instructions() {
			let block = previous_ends_block;
			previous_ends_block = instruction.kind.starts_new_basic_block();
			let mut row = decode(instruction.kind, instruction.offset.0, instruction.next_offset.0, block)?;
			if has_static_target(row.opcode) && !parsed.is_jump_target_valid(isa, ProgramCounter(row.target)) {
				row = ProgramRow::bare(row.pc, Opcode::trap, row.next_pc, row.block);
			}
			let signals = crate::decode::signals(row.opcode).ok_or_else(|| unsupported(row.pc, row.opcode))?;
			if row.opcode == Opcode::ecalli {
				let index = row.imm as u32;
				let call = imports.get(index as usize).ok_or(ProgramError::MissingImport { pc: row.pc, index })?;
				row.call = Some(*call);
			}
			signals
				.check(row.rd, row.ra, row.rb)
				.map_err(|reason| ProgramError::InconsistentDecoding { pc: row.pc, reason })?;
			rows.push(row);
		}
		if rows.last().is_none_or(|last| last.opcode.can_fallthrough()) {
			return Err(ProgramError::FallsOffEnd);
		}
		// Block costs, from the end: a block runs to the next instruction that ends one.
		let mut cost = 0;
		for row in rows.iter_mut().rev() {
			if row.opcode.starts_new_basic_block() {
				cost = 0;
			}
			cost += 1;
			if row.block {
				row.block_cost = cost;
			}
		}
		let entry = parsed
			.exports()
			.find(|e| e.symbol().as_bytes() == export.as_bytes())
			.map(|e| e.program_counter().0)
			.ok_or_else(|| ProgramError::MissingExport(export.into()))?;
		if !rows.iter().any(|row| row.pc == entry && row.block) {
			return Err(ProgramError::ExportNotBlockStart(entry));
		}
		let jump_table = parsed
			.jump_table()
			.iter()
			.map(|target| parsed.is_jump_target_valid(isa, target).then_some(target.0))
			.collect();
		let map = MemoryMapBuilder::new(PAGE_SIZE)
			.ro_data_size(parsed.ro_data_size())
			.rw_data_size(parsed.rw_data_size())
			.stack_size(parsed.stack_size())
			.build()
			.map_err(|e| ProgramError::Malformed(e.into()))?;
		let region = |range: core::ops::Range<u32>, data: &[u8], writable| Region {
			address: range.start,
			len: range.end - range.start,
			data: data.to_vec(),
			writable,
		};
		let regions = [
			region(map.ro_data_range(), parsed.ro_data(), false),
			region(map.rw_data_range(), parsed.rw_data(), true),
			region(map.stack_range(), &[], true),
		];
		let memory =
			u64::from(parsed.ro_data_size()) + u64::from(parsed.rw_data_size()) + u64::from(parsed.stack_size());
		Ok(ProgramTable { rows, entry, jump_table, regions, stack_top: map.stack_address_high(), memory })
	}

	/// The row of the instruction at code offset `pc`.
	pub fn at(&self, pc: u32) -> Option<&ProgramRow> {
		self.rows.binary_search_by_key(&pc, |row| row.pc).ok().map(|i| &self.rows[i])
	}
}

/// Whether `opcode` jumps to a static target (which polkavm validates at load time).
fn has_static_target(opcode: Opcode) -> bool {
	matches!(
		opcode,
		Opcode::jump
			| Opcode::load_imm_and_jump
			| Opcode::branch_eq
			| Opcode::branch_not_eq
			| Opcode::branch_less_unsigned
			| Opcode::branch_less_signed
			| Opcode::branch_greater_or_equal_unsigned
			| Opcode::branch_greater_or_equal_signed
			| Opcode::branch_eq_imm
			| Opcode::branch_not_eq_imm
			| Opcode::branch_less_unsigned_imm
			| Opcode::branch_less_signed_imm
			| Opcode::branch_greater_or_equal_unsigned_imm
			| Opcode::branch_greater_or_equal_signed_imm
			| Opcode::branch_less_or_equal_unsigned_imm
			| Opcode::branch_less_or_equal_signed_imm
			| Opcode::branch_greater_unsigned_imm
			| Opcode::branch_greater_signed_imm
	)
}

fn reg(r: RawReg) -> Option<u8> {
	Some(r.get().to_u32() as u8)
}

fn sext(imm: i32) -> u64 {
	i64::from(imm) as u64
}

/// The refusal of an instruction outside the subset, at code offset `pc`.
fn unsupported(pc: u32, opcode: Opcode) -> ProgramError {
	let byte = InstructionSetKind::ReviveV1.opcode_to_u8(opcode).unwrap_or(u8::MAX);
	ProgramError::UnsupportedInstruction { pc, name: opcode.name(), opcode: byte }
}

/// The row of one decoded instruction, or the refusal naming it.
fn decode(kind: Instruction, pc: u32, next_pc: u32, block: bool) -> Result<ProgramRow, ProgramError> {
	use Instruction as I;
	let opcode = kind.opcode();
	if opcode_id(opcode).is_none() {
		return Err(unsupported(pc, opcode));
	}
	let mut row = ProgramRow::bare(pc, opcode, next_pc, block);
	match kind {
		I::trap | I::fallthrough | I::invalid => {},
		I::jump(target) => row.target = target,
		I::ecalli(index) => {
			row.imm = u64::from(index as u32);
			row.rd = Some(crate::machine::A0 as u8);
		},
		I::jump_indirect(base, offset) => (row.ra, row.imm) = (reg(base), sext(offset)),
		I::load_imm_and_jump(d, value, target) => (row.rd, row.imm, row.target) = (reg(d), sext(value), target),
		I::load_imm_and_jump_indirect(d, base, value, offset) => {
			(row.rd, row.ra, row.imm, row.imm2) = (reg(d), reg(base), sext(value), sext(offset))
		},
		I::branch_eq(a, b, target)
		| I::branch_not_eq(a, b, target)
		| I::branch_less_unsigned(a, b, target)
		| I::branch_less_signed(a, b, target)
		| I::branch_greater_or_equal_unsigned(a, b, target)
		| I::branch_greater_or_equal_signed(a, b, target) => (row.ra, row.rb, row.target) = (reg(a), reg(b), target),
		I::branch_eq_imm(a, imm, target)
		| I::branch_not_eq_imm(a, imm, target)
		| I::branch_less_unsigned_imm(a, imm, target)
		| I::branch_less_signed_imm(a, imm, target)
		| I::branch_greater_or_equal_unsigned_imm(a, imm, target)
		| I::branch_greater_or_equal_signed_imm(a, imm, target)
		| I::branch_less_or_equal_unsigned_imm(a, imm, target)
		| I::branch_less_or_equal_signed_imm(a, imm, target)
		| I::branch_greater_unsigned_imm(a, imm, target)
		| I::branch_greater_signed_imm(a, imm, target) => (row.ra, row.imm, row.target) = (reg(a), sext(imm), target),
		I::load_imm(d, imm) => (row.rd, row.imm) = (reg(d), sext(imm)),
		I::load_imm64(d, imm) => (row.rd, row.imm) = (reg(d), imm),
		I::move_reg(d, s) => (row.rd, row.ra) = (reg(d), reg(s)),
		I::add_32(d, a, b)
		| I::add_64(d, a, b)
		| I::sub_32(d, a, b)
		| I::sub_64(d, a, b)
		| I::and(d, a, b)
		| I::or(d, a, b)
		| I::xor(d, a, b)
		| I::set_less_than_unsigned(d, a, b)
		| I::set_less_than_signed(d, a, b)
		| I::shift_logical_left_32(d, a, b)
		| I::shift_logical_left_64(d, a, b)
		| I::shift_logical_right_32(d, a, b)
		| I::shift_logical_right_64(d, a, b)
		| I::shift_arithmetic_right_32(d, a, b)
		| I::shift_arithmetic_right_64(d, a, b)
		| I::rotate_left_32(d, a, b)
		| I::rotate_left_64(d, a, b)
		| I::rotate_right_32(d, a, b)
		| I::rotate_right_64(d, a, b) => (row.rd, row.ra, row.rb) = (reg(d), reg(a), reg(b)),
		// `_alt` forms: the immediate is the first operand and the register the second (the
		// amount); the roles here stay syntactic (`ra` is the register), the AIR reads them by
		// opcode.
		I::add_imm_32(d, a, imm)
		| I::add_imm_64(d, a, imm)
		| I::negate_and_add_imm_32(d, a, imm)
		| I::negate_and_add_imm_64(d, a, imm)
		| I::and_imm(d, a, imm)
		| I::or_imm(d, a, imm)
		| I::xor_imm(d, a, imm)
		| I::set_less_than_unsigned_imm(d, a, imm)
		| I::set_less_than_signed_imm(d, a, imm)
		| I::set_greater_than_unsigned_imm(d, a, imm)
		| I::set_greater_than_signed_imm(d, a, imm)
		| I::shift_logical_left_imm_32(d, a, imm)
		| I::shift_logical_left_imm_64(d, a, imm)
		| I::shift_logical_right_imm_32(d, a, imm)
		| I::shift_logical_right_imm_64(d, a, imm)
		| I::shift_arithmetic_right_imm_32(d, a, imm)
		| I::shift_arithmetic_right_imm_64(d, a, imm)
		| I::shift_logical_left_imm_alt_32(d, a, imm)
		| I::shift_logical_left_imm_alt_64(d, a, imm)
		| I::shift_logical_right_imm_alt_32(d, a, imm)
		| I::shift_logical_right_imm_alt_64(d, a, imm)
		| I::shift_arithmetic_right_imm_alt_32(d, a, imm)
		| I::shift_arithmetic_right_imm_alt_64(d, a, imm)
		| I::rotate_right_imm_32(d, a, imm)
		| I::rotate_right_imm_64(d, a, imm)
		| I::rotate_right_imm_alt_32(d, a, imm)
		| I::rotate_right_imm_alt_64(d, a, imm)
		| I::load_indirect_u8(d, a, imm)
		| I::load_indirect_i8(d, a, imm)
		| I::load_indirect_u16(d, a, imm)
		| I::load_indirect_i16(d, a, imm)
		| I::load_indirect_u32(d, a, imm)
		| I::load_indirect_i32(d, a, imm)
		| I::load_indirect_u64(d, a, imm) => (row.rd, row.ra, row.imm) = (reg(d), reg(a), sext(imm)),
		I::load_u8(d, address)
		| I::load_i8(d, address)
		| I::load_u16(d, address)
		| I::load_i16(d, address)
		| I::load_u32(d, address)
		| I::load_i32(d, address)
		| I::load_u64(d, address) => (row.rd, row.imm) = (reg(d), sext(address)),
		I::store_u8(s, address) | I::store_u16(s, address) | I::store_u32(s, address) | I::store_u64(s, address) => {
			(row.rb, row.imm) = (reg(s), sext(address))
		},
		I::store_indirect_u8(s, base, offset)
		| I::store_indirect_u16(s, base, offset)
		| I::store_indirect_u32(s, base, offset)
		| I::store_indirect_u64(s, base, offset) => (row.ra, row.rb, row.imm) = (reg(base), reg(s), sext(offset)),
		I::store_imm_u8(address, value)
		| I::store_imm_u16(address, value)
		| I::store_imm_u32(address, value)
		| I::store_imm_u64(address, value) => (row.imm, row.imm2) = (sext(address), sext(value)),
		I::store_imm_indirect_u8(base, offset, value)
		| I::store_imm_indirect_u16(base, offset, value)
		| I::store_imm_indirect_u32(base, offset, value)
		| I::store_imm_indirect_u64(base, offset, value) => {
			(row.ra, row.imm, row.imm2) = (reg(base), sext(offset), sext(value))
		},
		// Every other instruction was refused above; a new polkavm instruction added to
		// SUPPORTED without a decoding arm is refused too, not decoded wrongly.
		_ => return Err(unsupported(pc, opcode)),
	}
	Ok(row)
}

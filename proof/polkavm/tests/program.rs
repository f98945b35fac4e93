//! The v1 subset and the program table: the example agents are inside it, programs outside it
//! are refused with the instruction named, and every operand lands in its documented role.

use agentic_example_agents as agents;
use agentic_polkavm_proof::program::{opcode_id, ProgramError, ProgramTable, SUPPORTED};
use polkavm_common::program::{InstructionSetKind, Opcode, ProgramBlob};

const STEP: &str = "step";

fn program(body: &str) -> Vec<u8> {
	let source = format!("%isa = revive_v1\n%rw_data_size = 64\n%stack_size = 4096\npub @step:\n{body}\n");
	agents::assemble_agent(&source).expect("test program assembles")
}

fn table(body: &str) -> Result<ProgramTable, ProgramError> {
	ProgramTable::from_blob(&program(body), STEP)
}

#[test]
fn every_example_agent_is_inside_the_subset() {
	for (name, blob) in [
		("counter", agents::counter()),
		("token_ledger", agents::token_ledger()),
		("hash_chain", agents::hash_chain()),
		("page_toucher", agents::page_toucher()),
		("clock", agents::clock()),
	] {
		let table = ProgramTable::from_blob(&blob, STEP).unwrap_or_else(|e| panic!("{name}: {e}"));
		let parsed = ProgramBlob::parse(blob.into()).expect("parses");
		assert_eq!(table.rows.len(), parsed.instructions().count(), "{name}");
		for (row, instruction) in table.rows.iter().zip(parsed.instructions()) {
			assert_eq!(row.pc, instruction.offset.0, "{name}");
			assert_eq!(row.next_pc, instruction.next_offset.0, "{name}");
			assert_eq!(SUPPORTED[row.id() as usize], row.opcode, "{name}");
		}
		assert!(table.at(table.entry).is_some_and(|row| row.block), "{name}: entry starts a block");
		assert!(table.rows[0].block, "{name}: the code starts a block");
	}
}

#[test]
fn instructions_outside_the_subset_are_named() {
	let cases = [
		("a0 = a1 * a2", "mul_64"),
		("i32 a0 = a1 * a2", "mul_32"),
		("a0 = a1 /u a2", "div_unsigned_64"),
		("a0 = a1 %s a2", "rem_signed_64"),
		("a0 = a1 & ~a2", "and_inverted"),
	];
	for (line, name) in cases {
		let body = format!("a1 = 7\na2 = 3\n{line}\nret");
		match table(&body) {
			Err(ProgramError::UnsupportedInstruction { pc, name: got, opcode }) => {
				assert_eq!(got, name, "{line}");
				// The offending instruction is the third.
				let blob = program(&body);
				let parsed = ProgramBlob::parse(blob.into()).expect("parses");
				let third = parsed.instructions().nth(2).expect("three instructions");
				assert_eq!(pc, third.offset.0, "{line}");
				assert_eq!(third.kind.opcode().name(), name);
				let isa = polkavm_common::program::InstructionSetKind::ReviveV1;
				use polkavm_common::program::InstructionSet;
				assert_eq!(isa.opcode_from_u8(opcode), Some(third.kind.opcode()));
			},
			other => panic!("{line}: expected a refusal naming {name}, got {other:?}"),
		}
	}
	let message = table("a0 = a1 * a2\nret").unwrap_err().to_string();
	assert!(message.contains("mul_64"), "{message}");
}

#[test]
fn the_subset_is_what_the_specification_lists() {
	assert!(SUPPORTED.len() < 256);
	for (i, &opcode) in SUPPORTED.iter().enumerate() {
		assert_eq!(opcode_id(opcode), Some(i as u8), "{} is listed once", opcode.name());
	}
	// Every revive_v1 instruction is either in the subset or in the specification's list of
	// exclusions (docs/proof-system.md, "Instruction subset v1"), none in both.
	let excluded = [
		"mul",
		"div",
		"rem",
		"count_",
		"sign_extend_",
		"zero_extend_16",
		"reverse_byte",
		"cmov_",
		"maximum",
		"minimum",
		"and_inverted",
		"or_inverted",
		"xnor",
	];
	for byte in 0..=255u8 {
		let Some(opcode) = polkavm_common::program::InstructionSet::opcode_from_u8(InstructionSetKind::ReviveV1, byte)
		else {
			continue;
		};
		let name = opcode.name();
		let is_excluded = excluded.iter().any(|prefix| name.starts_with(prefix));
		assert_ne!(opcode_id(opcode).is_some(), is_excluded, "{name}");
	}
	assert_eq!(opcode_id(Opcode::mul_64), None);
}

#[test]
fn operands_take_their_documented_roles() {
	let table = table(
		"a0 = a1 + 16\n\
		 u64 [a1 + 8] = a2\n\
		 u8 [a3 + -4] = 200\n\
		 u32 [0x20010] = a4\n\
		 a5 = i32 [a0 + 2]\n\
		 a2 = -1\n\
		 a3 = a4 >>r 7\n\
		 a4 = a5\n\
		 ecalli 5\n\
		 jump @out if a0 <u a1\n\
		 jump @out if a2 == 3\n\
		 @out:\n\
		 ret",
	)
	.expect("inside the subset");
	let r = |name: &str| -> u8 {
		["ra", "sp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5"]
			.iter()
			.position(|n| *n == name)
			.expect("register") as u8
	};
	let rows = &table.rows;
	assert_eq!(rows[0].opcode, Opcode::add_imm_64);
	assert_eq!((rows[0].rd, rows[0].ra, rows[0].imm), (Some(r("a0")), Some(r("a1")), 16));
	assert_eq!(rows[1].opcode, Opcode::store_indirect_u64);
	assert_eq!((rows[1].rd, rows[1].ra, rows[1].rb, rows[1].imm), (None, Some(r("a1")), Some(r("a2")), 8));
	assert_eq!(rows[2].opcode, Opcode::store_imm_indirect_u8);
	assert_eq!((rows[2].ra, rows[2].imm, rows[2].imm2), (Some(r("a3")), (-4i64) as u64, 200));
	assert_eq!(rows[3].opcode, Opcode::store_u32);
	assert_eq!((rows[3].rb, rows[3].imm), (Some(r("a4")), 0x20010));
	assert_eq!(rows[4].opcode, Opcode::load_indirect_i32);
	assert_eq!((rows[4].rd, rows[4].ra, rows[4].imm), (Some(r("a5")), Some(r("a0")), 2));
	assert_eq!(rows[5].opcode, Opcode::load_imm);
	assert_eq!((rows[5].rd, rows[5].imm), (Some(r("a2")), u64::MAX), "a 32-bit immediate is sign-extended");
	assert_eq!(rows[6].opcode, Opcode::rotate_right_imm_64);
	assert_eq!((rows[6].rd, rows[6].ra, rows[6].imm), (Some(r("a3")), Some(r("a4")), 7));
	assert_eq!(rows[7].opcode, Opcode::move_reg);
	assert_eq!((rows[7].rd, rows[7].ra), (Some(r("a4")), Some(r("a5"))));
	assert_eq!((rows[8].opcode, rows[8].imm), (Opcode::ecalli, 5));
	let out = rows.iter().find(|row| row.block && row.pc > rows[10].pc).expect("@out").pc;
	assert_eq!(rows[9].opcode, Opcode::branch_less_unsigned);
	assert_eq!((rows[9].ra, rows[9].rb, rows[9].target), (Some(r("a0")), Some(r("a1")), out));
	assert_eq!(rows[10].opcode, Opcode::branch_eq_imm);
	assert_eq!((rows[10].ra, rows[10].imm, rows[10].target), (Some(r("a2")), 3, out));
	// Blocks: the code start, after each branch; not after a plain instruction or `ecalli`.
	let blocks: Vec<bool> = rows.iter().map(|row| row.block).collect();
	assert_eq!(&blocks[..11], &[true, false, false, false, false, false, false, false, false, false, true]);
	assert!(rows[11].block);
	let last = rows.last().expect("rows");
	assert_eq!((last.opcode, last.ra, last.imm), (Opcode::jump_indirect, Some(r("ra")), 0));
	for pair in rows.windows(2) {
		assert_eq!(pair[0].next_pc, pair[1].pc);
	}
}

#[test]
fn programs_that_v1_cannot_model_are_refused() {
	// polkavm's assembler ends code that could fall off its end with a `trap` (so
	// `FallsOffEnd` needs a hand-made blob): the table then ends with that trap.
	let ends = table("a0 = 1\na1 = 2").expect("ends with a trap");
	assert_eq!(ends.rows.last().map(|row| row.opcode), Some(Opcode::trap));
	assert!(table("a0 = 1\nret").is_ok());
	assert!(table("a0 = 1\ntrap").is_ok());
	let blob = program("a0 = 1\nret");
	assert_eq!(ProgramTable::from_blob(&blob, "other"), Err(ProgramError::MissingExport("other".into())));
	// An export in the middle of a basic block (the assembler's `%no_fallthrough` places it
	// after `a0 = 1` without starting a block).
	let source = "%isa = revive_v1\n%stack_size = 4096\n@start:\na0 = 1\npub @step: %no_fallthrough\na1 = 2\nret\n";
	let blob = agents::assemble_agent(source).expect("assembles");
	let parsed = ProgramBlob::parse(blob.clone().into()).expect("parses");
	let second = parsed.instructions().nth(1).expect("two instructions").offset.0;
	assert_eq!(ProgramTable::from_blob(&blob, STEP), Err(ProgramError::ExportNotBlockStart(second)));
	assert!(matches!(ProgramTable::from_blob(b"not a blob", STEP), Err(ProgramError::Malformed(_))));
}

#[test]
fn every_instruction_of_the_subset_decodes_and_the_rules_are_checked() {
	use agentic_polkavm_proof::{
		decode::{self, ChipRequest, Control, Operand, Write},
		shift::ShiftOp,
	};
	for &opcode in SUPPORTED {
		assert!(decode::signals(opcode).is_some(), "{}", opcode.name());
	}
	assert_eq!(decode::signals(Opcode::mul_64), None);
	// Each rule the CPU table relies on refuses a violation.
	let add = decode::signals(Opcode::add_64).expect("add");
	assert_eq!(add.check(Some(1), Some(2), Some(3)), Ok(()));
	let violations = [
		(decode::Signals { chip: None, ..add }, "writes a chip result without a chip request"),
		(
			decode::Signals { control: Control::Branch { when: true }, write: Write::Nothing, ..add },
			"a branch without a comparison",
		),
		(
			decode::Signals {
				chip: Some(ChipRequest::Shift(ShiftOp::Left64)),
				control: Control::Dynamic,
				write: Write::Nothing,
				..add
			},
			"a dynamic jump without an address addition",
		),
		(decode::Signals { x: Operand::RegB, ..add }, "a first operand other than ra or the immediate"),
	];
	for (signals, reason) in violations {
		assert_eq!(
			signals.check(None, Some(2), Some(3)).err().or(signals.check(Some(1), Some(2), Some(3)).err()),
			Some(reason)
		);
	}
	assert_eq!(add.check(Some(1), None, Some(3)), Err("reads a register the instruction does not name"));
	assert_eq!(add.check(None, Some(2), Some(3)), Err("names rd without writing it, or writes without rd"));
	let branch = decode::signals(Opcode::branch_eq).expect("branch");
	assert_eq!(branch.check(Some(1), Some(2), Some(3)), Err("names rd without writing it, or writes without rd"));
}

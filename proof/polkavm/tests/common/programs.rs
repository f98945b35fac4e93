//! Seeded random programs over the v1 subset, built with polkavm's blob writer.

use agentic_pcs::test_utils::Rng;
use polkavm::Reg;
use polkavm_common::{
	program::{Instruction as I, InstructionSetKind, RawReg},
	writer::ProgramBlobBuilder,
};

/// The value the tests' host returns in `a0` for every `ecalli`.
pub const HOST_RESULT: u64 = 0x1234_5678_9abc_def0;

/// Which instructions a program may contain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mix {
	/// The whole subset: memory, host calls, traps, jumps anywhere.
	Everything,
	/// Registers and control flow only: no memory, no host calls, no traps, dynamic jumps only
	/// to jump-table entries (or returns).
	Registers,
	/// Registers, control flow and memory: no host calls, no `trap` instructions (accesses
	/// outside the memory map still trap).
	Memory,
}

const RO_SIZE: u32 = 64;
const RW_SIZE: u32 = 4096;
const STACK_SIZE: u32 = 4096;

/// The addresses of the regions, from polkavm's memory map for the sizes above.
struct Map {
	ro: u32,
	rw: u32,
	stack_high: u32,
}

fn map() -> Map {
	let map = polkavm_common::abi::MemoryMapBuilder::new(0x1000)
		.ro_data_size(RO_SIZE)
		.rw_data_size(RW_SIZE)
		.stack_size(STACK_SIZE)
		.build()
		.expect("a valid map");
	Map { ro: map.ro_data_address(), rw: map.rw_data_address(), stack_high: map.stack_address_high() }
}

fn reg(i: u64) -> RawReg {
	Reg::ALL[i as usize].into()
}

/// Immediates near the edges, near the memory regions, and anywhere.
fn imm(rng: &mut Rng) -> i32 {
	match rng.below(6) {
		0 => [0, 1, -1, i32::MIN, i32::MAX, 31, 32, 63, 64][rng.below(9) as usize],
		1 => (map().rw + rng.below(80) as u32) as i32,
		2 => (map().ro + rng.below(40) as u32) as i32,
		3 => rng.below(100) as i32 - 50,
		_ => rng.next() as i32,
	}
}

/// An address for a direct access: mostly inside the read-write data, the read-only data or
/// the stack, now and then anywhere.
fn address(rng: &mut Rng) -> i32 {
	match rng.below(10) {
		0..=5 => (map().rw + rng.below(80) as u32) as i32,
		6 => (map().ro + rng.below(40) as u32) as i32,
		7 => (map().stack_high - 8 - rng.below(64) as u32) as i32,
		8 => (map().rw + RW_SIZE - rng.below(8) as u32) as i32,
		_ => imm(rng),
	}
}

/// A register to write: mostly `t1`, `t2` and the argument registers; now and then any, `sp`
/// and `ra` included (so that returns, stack accesses and the bases below can go wrong too).
/// `t0` (0, the base of dynamic jumps), `s0` (the read-write data) and `s1` (the read-only
/// data) are the bases of indirect accesses and jumps.
fn dst(rng: &mut Rng) -> RawReg {
	if rng.below(50) == 0 {
		reg(rng.below(13))
	} else {
		[3u64, 4, 7, 8, 9, 10, 11, 12].map(reg)[rng.below(8) as usize]
	}
}

/// A base register: `s0` or `s1` mostly.
fn base(rng: &mut Rng) -> RawReg {
	match rng.below(8) {
		0..=4 => reg(5),
		5 | 6 => reg(6),
		_ => src(rng),
	}
}

fn src(rng: &mut Rng) -> RawReg {
	reg(rng.below(13))
}

/// One instruction that does not end a basic block.
fn body(rng: &mut Rng, mix: Mix) -> I {
	let (d, a, b, i, j) = (dst(rng), src(rng), src(rng), imm(rng), imm(rng));
	let range = if mix == Mix::Registers { 49 } else { 64 };
	let pick = match rng.below(range) {
		// No host calls without `Everything`.
		49 if mix != Mix::Everything => 48,
		pick => pick,
	};
	match pick {
		0 => I::add_32(d, a, b),
		1 => I::add_64(d, a, b),
		2 => I::sub_32(d, a, b),
		3 => I::sub_64(d, a, b),
		4 => I::add_imm_32(d, a, i),
		5 => I::add_imm_64(d, a, i),
		6 => I::negate_and_add_imm_32(d, a, i),
		7 => I::negate_and_add_imm_64(d, a, i),
		8 => I::and(d, a, b),
		9 => I::or(d, a, b),
		10 => I::xor(d, a, b),
		11 => I::and_imm(d, a, i),
		12 => I::or_imm(d, a, i),
		13 => I::xor_imm(d, a, i),
		14 => I::set_less_than_unsigned(d, a, b),
		15 => I::set_less_than_signed(d, a, b),
		16 => I::set_less_than_unsigned_imm(d, a, i),
		17 => I::set_less_than_signed_imm(d, a, i),
		18 => I::set_greater_than_unsigned_imm(d, a, i),
		19 => I::set_greater_than_signed_imm(d, a, i),
		20 => I::shift_logical_left_32(d, a, b),
		21 => I::shift_logical_left_64(d, a, b),
		22 => I::shift_logical_right_32(d, a, b),
		23 => I::shift_logical_right_64(d, a, b),
		24 => I::shift_arithmetic_right_32(d, a, b),
		25 => I::shift_arithmetic_right_64(d, a, b),
		26 => I::shift_logical_left_imm_32(d, a, i),
		27 => I::shift_logical_left_imm_64(d, a, i),
		28 => I::shift_logical_right_imm_32(d, a, i),
		29 => I::shift_logical_right_imm_64(d, a, i),
		30 => I::shift_arithmetic_right_imm_32(d, a, i),
		31 => I::shift_arithmetic_right_imm_64(d, a, i),
		32 => I::shift_logical_left_imm_alt_32(d, a, i),
		33 => I::shift_logical_left_imm_alt_64(d, a, i),
		34 => I::shift_logical_right_imm_alt_32(d, a, i),
		35 => I::shift_logical_right_imm_alt_64(d, a, i),
		36 => I::shift_arithmetic_right_imm_alt_32(d, a, i),
		37 => I::shift_arithmetic_right_imm_alt_64(d, a, i),
		38 => I::rotate_left_32(d, a, b),
		39 => I::rotate_left_64(d, a, b),
		40 => I::rotate_right_32(d, a, b),
		41 => I::rotate_right_64(d, a, b),
		42 => I::rotate_right_imm_32(d, a, i),
		43 => I::rotate_right_imm_64(d, a, i),
		44 => I::rotate_right_imm_alt_32(d, a, i),
		45 => I::rotate_right_imm_alt_64(d, a, i),
		46 => I::load_imm(d, i),
		47 => I::load_imm64(d, rng.next()),
		48 => I::move_reg(d, a),
		49 => I::ecalli(0),
		// Memory: sizes and signedness by a second draw; addresses near the regions or anywhere.
		50..=52 => {
			let address = address(rng);
			match rng.below(7) {
				0 => I::load_u8(d, address),
				1 => I::load_i8(d, address),
				2 => I::load_u16(d, address),
				3 => I::load_i16(d, address),
				4 => I::load_u32(d, address),
				5 => I::load_i32(d, address),
				_ => I::load_u64(d, address),
			}
		},
		53..=55 => {
			let (a, offset) = (base(rng), rng.below(80) as i32 - 8);
			match rng.below(7) {
				0 => I::load_indirect_u8(d, a, offset),
				1 => I::load_indirect_i8(d, a, offset),
				2 => I::load_indirect_u16(d, a, offset),
				3 => I::load_indirect_i16(d, a, offset),
				4 => I::load_indirect_u32(d, a, offset),
				5 => I::load_indirect_i32(d, a, offset),
				_ => I::load_indirect_u64(d, a, offset),
			}
		},
		56..=57 => {
			let address = address(rng);
			match rng.below(4) {
				0 => I::store_u8(a, address),
				1 => I::store_u16(a, address),
				2 => I::store_u32(a, address),
				_ => I::store_u64(a, address),
			}
		},
		58..=59 => {
			let (a, offset) = (base(rng), rng.below(80) as i32 - 8);
			match rng.below(4) {
				0 => I::store_indirect_u8(b, a, offset),
				1 => I::store_indirect_u16(b, a, offset),
				2 => I::store_indirect_u32(b, a, offset),
				_ => I::store_indirect_u64(b, a, offset),
			}
		},
		60..=61 => {
			let address = address(rng);
			match rng.below(4) {
				0 => I::store_imm_u8(address, j),
				1 => I::store_imm_u16(address, j),
				2 => I::store_imm_u32(address, j),
				_ => I::store_imm_u64(address, j),
			}
		},
		_ => {
			let (a, offset) = (base(rng), rng.below(80) as i32 - 8);
			match rng.below(4) {
				0 => I::store_imm_indirect_u8(a, offset, j),
				1 => I::store_imm_indirect_u16(a, offset, j),
				2 => I::store_imm_indirect_u32(a, offset, j),
				_ => I::store_imm_indirect_u64(a, offset, j),
			}
		},
	}
}

/// The instruction that ends block `block` of `blocks` (targets are block indices; the jump
/// table has one entry per block, so the dynamic address of block `k` is `2 (k + 1)`).
fn terminator(rng: &mut Rng, block: u32, blocks: u32, mix: Mix) -> I {
	if block + 1 == blocks {
		return match rng.below(8) {
			0 if mix == Mix::Everything => I::trap,
			// `ret`, unless `ra` was overwritten.
			_ => I::jump_indirect(reg(0), 0),
		};
	}
	// Mostly forward, sometimes backward (loops end by the step limit or a trap).
	let target = if rng.below(6) == 0 {
		rng.below(u64::from(blocks)) as u32
	} else {
		block + 1 + rng.below(u64::from(blocks - block - 1)) as u32
	};
	let (a, b, i) = (src(rng), src(rng), imm(rng));
	match rng.below(24) {
		0 => I::branch_eq(a, b, target),
		1 => I::branch_not_eq(a, b, target),
		2 => I::branch_less_unsigned(a, b, target),
		3 => I::branch_less_signed(a, b, target),
		4 => I::branch_greater_or_equal_unsigned(a, b, target),
		5 => I::branch_greater_or_equal_signed(a, b, target),
		6 => I::branch_eq_imm(a, i, target),
		7 => I::branch_not_eq_imm(a, i, target),
		8 => I::branch_less_unsigned_imm(a, i, target),
		9 => I::branch_less_signed_imm(a, i, target),
		10 => I::branch_greater_or_equal_unsigned_imm(a, i, target),
		11 => I::branch_greater_or_equal_signed_imm(a, i, target),
		12 => I::branch_less_or_equal_unsigned_imm(a, i, target),
		13 => I::branch_less_or_equal_signed_imm(a, i, target),
		14 => I::branch_greater_unsigned_imm(a, i, target),
		15 => I::branch_greater_signed_imm(a, i, target),
		16 => I::jump(target),
		17 => I::load_imm_and_jump(dst(rng), i, target),
		18 => I::fallthrough,
		// A dynamic jump to block `target` through a register loaded just before, or
		// somewhere arbitrary (a trap unless it happens to be an entry).
		19 | 20 => I::load_imm_and_jump_indirect(dst(rng), reg(2), i, 2 * (target as i32 + 1)),
		21 => I::jump_indirect(reg(2), 2 * (target as i32 + 1)),
		22 if mix == Mix::Everything => I::jump_indirect(src(rng), i),
		23 if mix == Mix::Everything => I::trap,
		_ => I::fallthrough,
	}
}

/// A random program: block 0 points `s0` at the read-write data and `s1` at the read-only
/// data and zeroes `t0` (the base of dynamic jumps), then random blocks follow.
pub fn random_program(rng: &mut Rng, mix: Mix) -> Vec<u8> {
	let blocks = 2 + rng.below(12) as u32;
	let mut code =
		vec![I::load_imm(reg(5), map().rw as i32), I::load_imm(reg(6), map().ro as i32), I::load_imm(reg(2), 0)];
	for block in 0..blocks {
		for _ in 0..rng.below(16) {
			code.push(body(rng, mix));
		}
		code.push(terminator(rng, block, blocks, mix));
	}
	let jump_table: Vec<u32> = (0..blocks).collect();
	let mut builder = ProgramBlobBuilder::new(InstructionSetKind::ReviveV1);
	builder.set_ro_data_size(RO_SIZE);
	builder.set_ro_data((0..40).map(|_| rng.next() as u8).collect());
	builder.set_rw_data_size(RW_SIZE);
	builder.set_rw_data((0..72).map(|_| rng.next() as u8).collect());
	builder.set_stack_size(STACK_SIZE);
	builder.add_import(agentic_primitives::abi::HOST_INPUT_LEN.as_bytes());
	builder.add_export_by_basic_block(0, b"step");
	builder.set_code(&code, &jump_table);
	builder.into_vec().expect("the program builds")
}

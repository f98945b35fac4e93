//! # Example agents
//!
//! Agents written in PolkaVM assembly (the `programs/*.pvmasm` files next to this crate),
//! assembled at build-of-test time with `polkavm-common`'s assembler: no opaque binaries.
//!
//! - [`counter`]: adds its input (a little-endian `u64`, or 1 if the input is shorter) to a
//!   `u64` at state offset 0 and outputs the new value.
//! - [`token_ledger`]: 512 `u64` balances; an input `from: u64, to: u64, amount: u64` moves
//!   `amount` (a `from` of `u64::MAX` mints). Outputs one status byte: 0 ok, 1 insufficient
//!   funds, 2 bad account, 3 malformed input.
//! - [`hash_chain`]: applies an ARX mixing round `n` times (the input's `u64`) to 32 bytes of
//!   state and outputs them: a loop-heavy agent whose step count grows with its input.
//! - [`register_loop`]: `n` rounds of additions and XORs in registers, no state, no memory: the
//!   run with the largest tables a Ligerito proof of a given size holds.
//!
//! The assembler cannot declare imports, so [`assemble_agent`] adds the agent ABI v1 import
//! table in a fixed order: `ecalli N` calls the `N`-th entry of [`ABI_IMPORTS`].
//!
//! `no_std` with `alloc`, so runtime benchmarks can assemble the same programs.

#![no_std]

extern crate alloc;

use alloc::{string::String, string::ToString, vec::Vec};

use polkavm_common::{
	program::{ProgramBlob, ProgramParts, BLOB_LEN_OFFSET, BLOB_LEN_SIZE, BLOB_MAGIC},
	varint::write_varint,
};

/// The ABI v1 host calls in the order the example programs index them with `ecalli`.
/// (Kept identical to `agentic_primitives::abi::HOST_CALLS`; a test checks it.)
pub const ABI_IMPORTS: [&str; 7] =
	["input_len", "input_read", "state_len", "state_read", "state_write", "output", "consensus_time"];

/// Assembly source of the counter agent.
pub const COUNTER_SRC: &str = include_str!("../programs/counter.pvmasm");
/// Assembly source of the token ledger agent.
pub const TOKEN_LEDGER_SRC: &str = include_str!("../programs/token_ledger.pvmasm");
/// Assembly source of the hash chain agent.
pub const HASH_CHAIN_SRC: &str = include_str!("../programs/hash_chain.pvmasm");
/// Assembly source of the page toucher, a benchmark workload that reads `n` state pages.
pub const PAGE_TOUCHER_SRC: &str = include_str!("../programs/page_toucher.pvmasm");
/// Assembly source of a clock agent that stores the consensus time it reads.
pub const CLOCK_SRC: &str = include_str!("../programs/clock.pvmasm");
/// Assembly source of the mirror agent, which writes its input to its state and outputs it.
pub const MIRROR_SRC: &str = include_str!("../programs/mirror.pvmasm");
/// Assembly source of the register loop, a benchmark workload that works in registers only.
pub const REGISTER_LOOP_SRC: &str = include_str!("../programs/register_loop.pvmasm");

/// State depth (log2 of the page count) each example expects.
pub mod depth {
	/// The counter uses one page.
	pub const COUNTER: u8 = 0;
	/// 512 balances of 8 bytes: 16 pages of 256 bytes.
	pub const TOKEN_LEDGER: u8 = 4;
	/// 32 bytes: one page.
	pub const HASH_CHAIN: u8 = 0;
	/// One page.
	pub const CLOCK: u8 = 0;
	/// The most any chain allows (`MAX_STATE_DEPTH`): the benchmark's state is as deep as a
	/// state can be. It rewrites 4 pages.
	pub const MIRROR: u8 = 16;
	/// The register loop touches no state.
	pub const REGISTER_LOOP: u8 = 0;
}

/// The counter agent's program blob.
pub fn counter() -> Vec<u8> {
	assemble_agent(COUNTER_SRC).expect("counter.pvmasm assembles; checked by tests")
}

/// The token ledger agent's program blob.
pub fn token_ledger() -> Vec<u8> {
	assemble_agent(TOKEN_LEDGER_SRC).expect("token_ledger.pvmasm assembles; checked by tests")
}

/// The hash chain agent's program blob.
pub fn hash_chain() -> Vec<u8> {
	assemble_agent(HASH_CHAIN_SRC).expect("hash_chain.pvmasm assembles; checked by tests")
}

/// The clock agent's program blob.
pub fn clock() -> Vec<u8> {
	assemble_agent(CLOCK_SRC).expect("clock.pvmasm assembles; checked by tests")
}

/// The register loop's program blob.
pub fn register_loop() -> Vec<u8> {
	assemble_agent(REGISTER_LOOP_SRC).expect("register_loop.pvmasm assembles; checked by tests")
}

/// The page toucher's program blob (any state depth).
pub fn page_toucher() -> Vec<u8> {
	assemble_agent(PAGE_TOUCHER_SRC).expect("page_toucher.pvmasm assembles; checked by tests")
}

/// The hash chain agent grown to about `len` bytes (at most `len`, at least `len - 64`, and
/// never below the plain program's size) by unreachable code after its `ret`: the same
/// behaviour and steps, a larger blob. For benchmarks whose cost grows with program size.
pub fn hash_chain_sized(len: usize) -> Vec<u8> {
	padded(HASH_CHAIN_SRC, len)
}

/// The mirror agent grown to about `len` bytes, as [`hash_chain_sized`] grows the hash chain.
pub fn mirror_sized(len: usize) -> Vec<u8> {
	padded(MIRROR_SRC, len)
}

/// `source` assembled with unreachable code appended after its last instruction, to about
/// `len` bytes (at most `len`, at least `len - 64`, never below the plain program's size).
fn padded(source: &str, len: usize) -> Vec<u8> {
	let with = |lines: usize| {
		let mut source = String::from(source);
		source.push_str("\n@unreachable_padding:\n");
		for i in 0..lines {
			source.push_str("a3 = a3 + ");
			source.push_str(&(0x1000 + (i % 0x7000)).to_string());
			source.push('\n');
		}
		assemble_agent(&source).expect("padding assembles")
	};
	let base = with(0).len();
	if len <= base + 64 {
		return with(0);
	}
	// Bytes per padding line, measured over `probe` lines (integers only: this also runs in
	// the runtime's benchmarks).
	let probe = 1000;
	let delta = with(probe).len() - base;
	let per_line = delta.div_ceil(probe);
	let mut lines = (len - base) * probe / delta;
	loop {
		let blob = with(lines);
		if blob.len() > len {
			lines -= 1 + (blob.len() - len) / per_line;
		} else if blob.len() + 64 < len {
			lines += 1 + (len - 64 - blob.len()) / (per_line + 1);
		} else {
			return blob;
		}
	}
}

/// Assembles PolkaVM assembly text and attaches the ABI v1 import table ([`ABI_IMPORTS`]).
pub fn assemble_agent(source: &str) -> Result<Vec<u8>, String> {
	let bytes = polkavm_common::assembler::assemble(None, source)?;
	let version = *bytes.get(BLOB_MAGIC.len()).ok_or_else(|| String::from("assembler output has no header"))?;
	let parts = ProgramParts::from_bytes(bytes.into()).map_err(|e| e.to_string())?;
	let blob = write_blob(version, &parts, &ABI_IMPORTS);
	// Round-trip through the parser so a malformed blob fails here, not in a test far away.
	ProgramBlob::parse(blob.clone().into()).map_err(|e| e.to_string())?;
	Ok(blob)
}

/// Serialises `parts` as a program blob with the given import table, in the section order the
/// polkavm blob format requires.
fn write_blob(version: u8, parts: &ProgramParts, imports: &[&str]) -> Vec<u8> {
	fn varint(out: &mut Vec<u8>, value: u32) {
		let mut buf = [0u8; 5];
		let n = write_varint(value, &mut buf);
		out.extend_from_slice(&buf[..n]);
	}
	fn section(out: &mut Vec<u8>, id: u8, contents: &[u8]) {
		if contents.is_empty() {
			return;
		}
		out.push(id);
		varint(out, contents.len() as u32);
		out.extend_from_slice(contents);
	}
	use polkavm_common::program::{
		SECTION_CODE_AND_JUMP_TABLE, SECTION_END_OF_FILE, SECTION_EXPORTS, SECTION_IMPORTS, SECTION_MEMORY_CONFIG,
		SECTION_RO_DATA, SECTION_RW_DATA,
	};
	let mut out = Vec::new();
	out.extend_from_slice(&BLOB_MAGIC);
	out.push(version);
	out.extend_from_slice(&[0; BLOB_LEN_SIZE]);

	let mut memory = Vec::new();
	varint(&mut memory, parts.ro_data_size);
	varint(&mut memory, parts.rw_data_size);
	varint(&mut memory, parts.stack_size);
	if parts.ro_data_size > 0 || parts.rw_data_size > 0 || parts.stack_size > 0 {
		section(&mut out, SECTION_MEMORY_CONFIG, &memory);
	}
	section(&mut out, SECTION_RO_DATA, &parts.ro_data);
	section(&mut out, SECTION_RW_DATA, &parts.rw_data);
	let mut table = Vec::new();
	varint(&mut table, imports.len() as u32);
	let mut symbols = Vec::new();
	for name in imports {
		table.extend_from_slice(&(symbols.len() as u32).to_le_bytes());
		symbols.extend_from_slice(name.as_bytes());
	}
	table.extend_from_slice(&symbols);
	section(&mut out, SECTION_IMPORTS, &table);
	section(&mut out, SECTION_EXPORTS, &parts.exports);
	section(&mut out, SECTION_CODE_AND_JUMP_TABLE, &parts.code_and_jump_table);
	out.push(SECTION_END_OF_FILE);
	let len = (out.len() as u64).to_le_bytes();
	out[BLOB_LEN_OFFSET..BLOB_LEN_OFFSET + BLOB_LEN_SIZE].copy_from_slice(&len);
	out
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn every_example_assembles_with_the_abi_imports() {
		for blob in [counter(), token_ledger(), hash_chain(), clock(), page_toucher(), register_loop()] {
			let blob: Vec<u8> = blob;
			let parsed = ProgramBlob::parse(blob.into()).unwrap();
			let imports = parsed.imports();
			assert_eq!(imports.len() as usize, ABI_IMPORTS.len());
			for (i, name) in ABI_IMPORTS.iter().enumerate() {
				assert_eq!(imports.get(i as u32).unwrap().as_bytes(), name.as_bytes());
			}
			assert!(parsed.exports().any(|e| e.symbol().as_bytes() == b"step"));
			assert!(parsed.is_64_bit());
		}
	}

	#[test]
	fn sized_programs_have_the_size_asked_for() {
		for len in [0usize, 2048, 64 * 1024, 256 * 1024] {
			let blob = hash_chain_sized(len);
			assert!(blob.len() <= len.max(hash_chain().len() + 64), "{len}: {}", blob.len());
			assert!(blob.len() + 64 >= len, "{len}: {}", blob.len());
			ProgramBlob::parse(blob.into()).unwrap();
		}
	}

	#[test]
	fn bad_source_is_an_error_not_a_panic() {
		assert!(assemble_agent("%isa = revive_v1\npub @step:\n a0 = = 1\n").is_err());
		assert!(assemble_agent("pub @step:\nret\n").is_err(), "no ISA declared");
	}
}

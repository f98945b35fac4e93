//! Loading agent programs and checking them against the agent ABI v1.

use agentic_primitives::abi;
use alloc::{string::String, vec::Vec};
use polkavm::{
	program::{Instruction, InstructionSetKind},
	BackendKind, Config, Engine, GasMeteringKind, Module, ModuleConfig, ProgramBlob, ProgramCounter,
};

/// Largest program blob, in bytes.
pub const MAX_PROGRAM_LEN: usize = 256 * 1024;
/// Most guest memory (read-only data + read-write data + stack) a program may declare.
pub const MAX_GUEST_MEMORY: u32 = 1024 * 1024;

/// Why a program is not a valid ABI v1 agent.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum ProgramError {
	/// Larger than [`MAX_PROGRAM_LEN`].
	TooLarge,
	/// Not a parseable PolkaVM blob.
	Malformed(String),
	/// Not built for the `ReviveV1` instruction set (64-bit, no `sbrk`).
	WrongInstructionSet,
	/// Declares more than [`MAX_GUEST_MEMORY`] of memory.
	MemoryTooLarge,
	/// Does not export [`abi::EXPORT_STEP`].
	MissingStepExport,
	/// Imports a host call ABI v1 does not have (its name, lossily decoded).
	UnknownImport(String),
	/// Has an `ecalli` whose index has no import behind it.
	UnknownHostCallIndex(u32),
	/// The virtual machine refused the module.
	Rejected(String),
}

pub use agentic_primitives::abi::HostCall;

/// A loaded, validated agent program, ready to run.
pub struct Program {
	pub(crate) module: Module,
	pub(crate) step: ProgramCounter,
	/// Host call of each import index (the `ecalli` immediate).
	pub(crate) imports: Vec<HostCall>,
	/// Declared guest memory in bytes (ro data + rw data + stack).
	pub(crate) memory: u64,
}

impl Program {
	/// Parses and validates a blob and prepares it for the interpreter with exact step metering.
	pub fn load(blob: &[u8]) -> Result<Self, ProgramError> {
		if blob.len() > MAX_PROGRAM_LEN {
			return Err(ProgramError::TooLarge);
		}
		let parsed = ProgramBlob::parse(blob.into()).map_err(|e| ProgramError::Malformed(alloc::format!("{e}")))?;
		if parsed.isa() != InstructionSetKind::ReviveV1 {
			return Err(ProgramError::WrongInstructionSet);
		}
		let memory =
			u64::from(parsed.ro_data_size()) + u64::from(parsed.rw_data_size()) + u64::from(parsed.stack_size());
		if memory > u64::from(MAX_GUEST_MEMORY) {
			return Err(ProgramError::MemoryTooLarge);
		}
		let mut imports = Vec::new();
		for import in parsed.imports().iter() {
			let import = import.ok_or_else(|| ProgramError::Malformed("unreadable import table".into()))?;
			let symbol = import.as_bytes();
			let call = HostCall::from_symbol(symbol)
				.ok_or_else(|| ProgramError::UnknownImport(String::from_utf8_lossy(symbol).into()))?;
			imports.push(call);
		}
		for instruction in parsed.instructions() {
			if let Instruction::ecalli(index) = instruction.kind {
				let index = index as u32;
				if index as usize >= imports.len() {
					return Err(ProgramError::UnknownHostCallIndex(index));
				}
			}
		}
		let step = parsed
			.exports()
			.find(|e| e.symbol().as_bytes() == abi::EXPORT_STEP.as_bytes())
			.map(|e| e.program_counter())
			.ok_or(ProgramError::MissingStepExport)?;

		// Config::new (not from_env): the environment must not change how agents run.
		let mut config = Config::new();
		config.set_backend(Some(BackendKind::Interpreter));
		config.set_cache_enabled(false);
		// A logger with debug enabled for polkavm would switch the interpreter to a slow mode.
		config.set_imperfect_logger_filtering_workaround(true);
		let engine = Engine::new(&config).map_err(|e| ProgramError::Rejected(alloc::format!("{e}")))?;
		let mut module_config = ModuleConfig::new();
		module_config.set_gas_metering(Some(GasMeteringKind::Sync));
		let module = Module::from_blob(&engine, &module_config, parsed)
			.map_err(|e| ProgramError::Rejected(alloc::format!("{e}")))?;
		Ok(Program { module, step, imports, memory })
	}
}

/// Checks that a blob is a valid ABI v1 agent (what registration runs).
pub fn validate(blob: &[u8]) -> Result<(), ProgramError> {
	Program::load(blob).map(|_| ())
}

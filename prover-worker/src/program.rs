//! Agent programs: read from a file, or one of the built-in example agents.

use agentic_verifier::program::{Program, ProgramError as LoadError};

/// Prefix naming a built-in example agent instead of a file, e.g. `example:counter`.
pub const EXAMPLE_PREFIX: &str = "example:";

/// The built-in example agents, by name.
pub const EXAMPLES: [&str; 6] = ["counter", "token_ledger", "hash_chain", "clock", "page_toucher", "register_loop"];

/// Why a program cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ProgramError {
	/// The file cannot be read.
	#[error("cannot read program {path}: {source}")]
	Read {
		/// The file.
		path: String,
		/// Why.
		source: std::io::Error,
	},
	/// No example has this name.
	#[error("no example agent {0:?} (there are: {list})", list = EXAMPLES.join(", "))]
	UnknownExample(String),
	/// The blob is not a valid agent program for the chain.
	#[error("{path} is not a valid agent program: {reason:?}")]
	Invalid {
		/// Where it came from.
		path: String,
		/// What the verifier's loader said.
		reason: LoadError,
	},
}

/// A loaded program: its blob (what the chain stores) and the verifier's view of it.
pub struct LoadedProgram {
	/// The PolkaVM blob.
	pub blob: Vec<u8>,
	/// The program ready to run.
	pub program: Program,
}

/// The blob of an example agent.
pub fn example_blob(name: &str) -> Option<Vec<u8>> {
	Some(match name {
		"counter" => agentic_example_agents::counter(),
		"token_ledger" => agentic_example_agents::token_ledger(),
		"hash_chain" => agentic_example_agents::hash_chain(),
		"clock" => agentic_example_agents::clock(),
		"page_toucher" => agentic_example_agents::page_toucher(),
		"register_loop" => agentic_example_agents::register_loop(),
		_ => return None,
	})
}

/// Loads `spec` (a path or `example:<name>`) and checks it the way registration does.
pub fn load_program(spec: &str) -> Result<LoadedProgram, ProgramError> {
	let blob = match spec.strip_prefix(EXAMPLE_PREFIX) {
		Some(name) => example_blob(name).ok_or_else(|| ProgramError::UnknownExample(name.into()))?,
		None => std::fs::read(spec).map_err(|source| ProgramError::Read { path: spec.into(), source })?,
	};
	let program = Program::load(&blob).map_err(|reason| ProgramError::Invalid { path: spec.into(), reason })?;
	Ok(LoadedProgram { blob, program })
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn examples_load_and_garbage_is_refused() {
		for name in EXAMPLES {
			load_program(&format!("example:{name}")).unwrap();
		}
		assert!(matches!(load_program("example:nope"), Err(ProgramError::UnknownExample(_))));
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("bad.polkavm");
		std::fs::write(&path, b"not a program").unwrap();
		let e = load_program(path.to_str().unwrap()).err().unwrap();
		assert!(matches!(e, ProgramError::Invalid { .. }), "{e}");
	}
}

//! The worker's configuration file (TOML).
//!
//! ```toml
//! endpoints = ["ws://127.0.0.1:9944", "ws://127.0.0.1:9945"]  # tried in order, failed over
//! data_dir = "worker-data"                                     # relative to this file
//! metrics = "127.0.0.1:9616"                                   # optional Prometheus endpoint
//!
//! [[agents]]
//! id = 0
//! program = "example:counter"      # a file path, or one of the built-in example agents
//! key_file = "alice.key"           # the agent's signing key (see `prover-worker keygen`)
//! mode = "reexec"                  # or "ligerito" (a validity proof; one input a transition)
//! policy = { kind = "time", interval_ms = 2000 }
//! input = { kind = "file", path = "counter.inputs" }
//! ```
//!
//! Relative paths are resolved against the directory of the configuration file.

use crate::{
	inputs::InputSourceConfig,
	policy::PolicyConfig,
	program::{load_program, ProgramError},
};
use agentic_primitives::AgentId;
use serde::Deserialize;
use std::{
	collections::BTreeSet,
	net::SocketAddr,
	path::{Path, PathBuf},
};

/// What is wrong with a configuration file.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
	/// The file cannot be read.
	#[error("cannot read {path}: {source}")]
	Read {
		/// The file.
		path: PathBuf,
		/// Why.
		source: std::io::Error,
	},
	/// The file is not valid TOML for this schema.
	#[error("{path}: {source}")]
	Parse {
		/// The file.
		path: PathBuf,
		/// Why, with the line and column.
		source: toml::de::Error,
	},
	/// A value is present but unusable.
	#[error("{path}: {message}")]
	Invalid {
		/// The file.
		path: PathBuf,
		/// What is wrong.
		message: String,
	},
	/// An agent's program cannot be loaded.
	#[error("{path}: agent {agent}: {source}")]
	Program {
		/// The file.
		path: PathBuf,
		/// The agent.
		agent: AgentId,
		/// Why.
		source: ProgramError,
	},
}

/// The whole configuration.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
	/// Node WebSocket endpoints, tried in order; the worker fails over to the next when one
	/// stops answering.
	pub endpoints: Vec<String>,
	/// Where the worker's database lives.
	pub data_dir: PathBuf,
	/// Address of the Prometheus endpoint (none if absent).
	#[serde(default)]
	pub metrics: Option<SocketAddr>,
	/// The agents this worker runs.
	#[serde(default)]
	pub agents: Vec<AgentConfig>,
}

/// How transitions of an agent are verified on chain.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum ModeConfig {
	/// Re-execution by the runtime.
	Reexec,
	/// A Ligerito validity proof of the run, made by this worker (within the chain's
	/// `ligerito_limits`: one input a transition today).
	Ligerito,
}

impl From<ModeConfig> for agentic_primitives::VerificationMode {
	fn from(mode: ModeConfig) -> Self {
		match mode {
			ModeConfig::Reexec => Self::Reexec,
			ModeConfig::Ligerito => Self::Ligerito,
		}
	}
}

/// One agent.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentConfig {
	/// The agent's on-chain id (printed by `prover-worker register`).
	pub id: AgentId,
	/// The program: a file holding the PolkaVM blob, or `example:<name>`.
	pub program: String,
	/// The file holding the agent's secret key.
	pub key_file: PathBuf,
	/// Verification mode; must match the registration.
	#[serde(default = "default_mode")]
	pub mode: ModeConfig,
	/// When to submit.
	pub policy: PolicyConfig,
	/// Where inputs come from.
	pub input: InputSourceConfig,
	/// Whether the program reads the consensus time (the worker then declares the oracle's
	/// time in every submission).
	#[serde(default)]
	pub reads_time: bool,
}

fn default_mode() -> ModeConfig {
	ModeConfig::Reexec
}

impl Config {
	/// Reads, parses and checks a configuration file; relative paths become relative to its
	/// directory.
	pub fn load(path: &Path) -> Result<Self, ConfigError> {
		let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read { path: path.into(), source })?;
		let mut config = Self::parse(&text).map_err(|source| ConfigError::Parse { path: path.into(), source })?;
		let base = path.parent().unwrap_or(Path::new("."));
		config.resolve(base);
		config.check().map_err(|message| ConfigError::Invalid { path: path.into(), message })?;
		for agent in &config.agents {
			load_program(&agent.program).map_err(|source| ConfigError::Program {
				path: path.into(),
				agent: agent.id,
				source,
			})?;
		}
		Ok(config)
	}

	/// Parses configuration text (no path resolution, no checks).
	pub fn parse(text: &str) -> Result<Self, toml::de::Error> {
		toml::from_str(text)
	}

	/// Makes relative paths relative to `base`.
	pub fn resolve(&mut self, base: &Path) {
		let join = |p: &mut PathBuf| {
			if p.is_relative() {
				*p = base.join(&*p);
			}
		};
		join(&mut self.data_dir);
		for agent in &mut self.agents {
			join(&mut agent.key_file);
			if !agent.program.starts_with(crate::program::EXAMPLE_PREFIX) {
				let mut p = PathBuf::from(&agent.program);
				join(&mut p);
				agent.program = p.to_string_lossy().into_owned();
			}
			agent.input.resolve(base);
		}
	}

	/// Checks what the types alone do not.
	pub fn check(&self) -> Result<(), String> {
		if self.endpoints.is_empty() {
			return Err("`endpoints` is empty: name at least one node, e.g. \"ws://127.0.0.1:9944\"".into());
		}
		for e in &self.endpoints {
			if !(e.starts_with("ws://") || e.starts_with("wss://")) {
				return Err(format!("endpoint {e:?} is not a ws:// or wss:// URL"));
			}
		}
		if self.agents.is_empty() {
			return Err("no `[[agents]]`: this worker would have nothing to run".into());
		}
		let mut seen = BTreeSet::new();
		for agent in &self.agents {
			if !seen.insert(agent.id) {
				return Err(format!("agent {} is listed twice", agent.id));
			}
			agent.policy.check().map_err(|e| format!("agent {}: policy: {e}", agent.id))?;
			agent.input.check().map_err(|e| format!("agent {}: input: {e}", agent.id))?;
		}
		Ok(())
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	const GOOD: &str = r#"
		endpoints = ["ws://127.0.0.1:9944"]
		data_dir = "data"
		metrics = "127.0.0.1:9616"

		[[agents]]
		id = 0
		program = "example:counter"
		key_file = "alice.key"
		policy = { kind = "time", interval_ms = 1000 }
		input = { kind = "file", path = "in.txt" }

		[[agents]]
		id = 1
		program = "example:hash_chain"
		key_file = "/abs/bob.key"
		policy = { kind = "steps", min_steps = 5000 }
		input = { kind = "repeat", hex = "0a00000000000000", interval_ms = 10 }
	"#;

	#[test]
	fn a_good_config_parses_and_paths_resolve_against_its_directory() {
		let mut c = Config::parse(GOOD).unwrap();
		c.resolve(Path::new("/etc/worker"));
		c.check().unwrap();
		assert_eq!(c.data_dir, PathBuf::from("/etc/worker/data"));
		assert_eq!(c.agents[0].key_file, PathBuf::from("/etc/worker/alice.key"));
		assert_eq!(c.agents[1].key_file, PathBuf::from("/abs/bob.key"));
		assert_eq!(c.agents[0].program, "example:counter");
		assert_eq!(c.agents[0].mode, ModeConfig::Reexec);
	}

	#[test]
	fn bad_configs_are_refused_with_a_reason() {
		let unknown_field = GOOD.replace("data_dir", "datadir");
		assert!(Config::parse(&unknown_field).unwrap_err().to_string().contains("datadir"));
		let bad_policy = GOOD.replace("\"time\"", "\"sometimes\"");
		assert!(Config::parse(&bad_policy).is_err());
		let checks = |text: String| Config::parse(&text).unwrap().check().unwrap_err();
		assert!(checks(GOOD.replace("[\"ws://127.0.0.1:9944\"]", "[]")).contains("endpoints"));
		assert!(checks(GOOD.replace("ws://127.0.0.1:9944", "http://x")).contains("ws://"));
		assert!(checks(GOOD.replace("id = 1", "id = 0")).contains("twice"));
		assert!(checks(GOOD.replace("interval_ms = 1000", "interval_ms = 0")).contains("policy"));
		let ligerito = GOOD.replace("policy = { kind = \"time\"", "mode = \"ligerito\"\npolicy = { kind = \"time\"");
		let ligerito = Config::parse(&ligerito).unwrap();
		assert_eq!(ligerito.agents[0].mode, ModeConfig::Ligerito);
		assert!(ligerito.check().is_ok());
		let unknown_mode = GOOD.replace("policy = { kind = \"time\"", "mode = \"zk\"\npolicy = { kind = \"time\"");
		assert!(Config::parse(&unknown_mode).unwrap_err().to_string().contains("zk"));
	}

	#[test]
	fn an_unreadable_program_is_named() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("worker.toml");
		std::fs::write(&path, GOOD.replace("example:counter", "missing.polkavm")).unwrap();
		let e = Config::load(&path).unwrap_err().to_string();
		assert!(e.contains("agent 0") && e.contains("missing.polkavm"), "{e}");
	}
}

//! What the worker's end-to-end tests share: the binaries, a running worker, and the roots an
//! agent must reach.
#![allow(dead_code)] // each test file uses its own part

use agentic_client::Client;
use agentic_primitives::{
	state::{StateTree, PAGE_SIZE},
	AgentId, AgentInfo, Input, Inputs,
};
use agentic_runtime::{AccountId, BlockNumber};
use agentic_verifier::{program::Program, reexec::build_evidence};
use std::{
	io::Write,
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};

/// The `agentic-node` binary: `$AGENTIC_NODE`, or the one cargo built beside this test.
pub fn node_binary() -> PathBuf {
	if let Some(path) = std::env::var_os("AGENTIC_NODE") {
		return path.into();
	}
	let exe = std::env::current_exe().expect("test executable");
	let dir = exe.parent().and_then(|d| d.parent()).expect("target dir");
	let node = dir.join("agentic-node");
	assert!(node.exists(), "{} missing: build it (cargo build -p agentic-node) or set AGENTIC_NODE", node.display());
	node
}

/// The `prover-worker` binary under test.
pub fn worker() -> Command {
	Command::new(env!("CARGO_BIN_EXE_prover-worker"))
}

/// A running worker; SIGKILLed on drop if still running.
pub struct Worker(pub Child);

impl Worker {
	pub fn start(config: &Path, log: &Path) -> Worker {
		let log = std::fs::OpenOptions::new().create(true).append(true).open(log).expect("worker log");
		let child = worker()
			.args(["run", "--config"])
			.arg(config)
			.env("RUST_LOG", "info")
			.stdout(Stdio::null())
			.stderr(log)
			.spawn()
			.expect("start prover-worker");
		Worker(child)
	}

	pub fn kill9(&mut self) {
		let _ = self.0.kill();
		let _ = self.0.wait();
	}

	/// SIGTERM, and the exit status within 15 s.
	pub fn terminate(&mut self) -> std::process::ExitStatus {
		let _ = Command::new("kill").arg("-TERM").arg(self.0.id().to_string()).status();
		let deadline = Instant::now() + Duration::from_secs(15);
		loop {
			if let Ok(Some(status)) = self.0.try_wait() {
				return status;
			}
			assert!(Instant::now() < deadline, "the worker ignored SIGTERM");
			std::thread::sleep(Duration::from_millis(100));
		}
	}
}

impl Drop for Worker {
	fn drop(&mut self) {
		self.kill9();
	}
}

/// `agent`'s record in the finalized state.
pub async fn finalized_agent(client: &Client, agent: AgentId) -> AgentInfo<AccountId, BlockNumber> {
	let fin = client.finalized_head().await.expect("finalized head");
	client
		.agent_api::<Option<AgentInfo<AccountId, BlockNumber>>>("agent", agent, Some(fin))
		.await
		.expect("agent api")
		.expect("agent exists")
}

/// Waits until `agent`'s finalized root is `root`; panics with the worker log otherwise.
pub async fn wait_for_root(client: &Client, agent: AgentId, root: sp_core::H256, limit: Duration, log: &Path) {
	let start = Instant::now();
	loop {
		let info = finalized_agent(client, agent).await;
		if info.state_root == root {
			return;
		}
		if start.elapsed() > limit {
			let log = std::fs::read_to_string(log).unwrap_or_default();
			let tail: Vec<&str> = log.lines().rev().take(60).collect();
			panic!(
				"agent {agent} did not reach the expected root in {limit:?} (at v{}); worker log tail:\n{}",
				info.version,
				tail.into_iter().rev().collect::<Vec<_>>().join("\n")
			);
		}
		tokio::time::sleep(Duration::from_millis(250)).await;
	}
}

/// The root of `program` applied to `inputs` from the empty state of `depth`.
pub fn expected_root(program: &[u8], depth: u8, inputs: &[Vec<u8>]) -> sp_core::H256 {
	let program = Program::load(program).expect("program");
	let mut state = StateTree::new(depth).expect("state");
	// Apply in chunks, as a worker may batch them any way: the result must not depend on it.
	for chunk in inputs.chunks(7) {
		let inputs = Inputs::truncate_from(chunk.iter().map(|i| Input::truncate_from(i.clone())).collect());
		state = build_evidence(&program, &state, inputs, None, 2_000_000).expect("run").new_state;
	}
	state.root()
}

/// The state root of the example counter holding `value`.
pub fn counter_root(value: u64) -> sp_core::H256 {
	let mut page = [0u8; PAGE_SIZE];
	page[..8].copy_from_slice(&value.to_le_bytes());
	StateTree::from_pages(0, vec![page]).expect("state").root()
}

/// Appends hex input lines to an input file, durably.
pub fn append_lines(path: &Path, lines: &[&str]) {
	let mut f = std::fs::OpenOptions::new().create(true).append(true).open(path).expect("inputs file");
	for line in lines {
		writeln!(f, "{line}").expect("append");
	}
	f.sync_all().expect("sync");
}

/// Registers example agent `program` with `prover-worker register` (bond and prepaid fees from
/// `owner_suri`; `extra` arguments after those), signed for by the key in `key_file`; returns
/// its id.
pub fn register_example(ws: &str, program: &str, key_file: &Path, owner_suri: &str, extra: &[&str]) -> AgentId {
	let register = worker()
		.args(["register", "--url", ws, "--program", &format!("example:{program}"), "--owner-suri", owner_suri])
		.args(extra)
		.arg("--key")
		.arg(key_file)
		.output()
		.expect("run prover-worker register");
	let out = String::from_utf8_lossy(&register.stdout).to_string();
	assert!(register.status.success(), "{out}{}", String::from_utf8_lossy(&register.stderr));
	out.split("registered agent ")
		.nth(1)
		.and_then(|s| s.split_whitespace().next())
		.and_then(|s| s.parse().ok())
		.unwrap_or_else(|| panic!("no agent id in {out:?}"))
}

/// A worker config for two agents: the genesis counter (agent 0, key file `alice.key`, inputs
/// from `counter.inputs`, a submission every 300 ms) and a hash chain (`hash_agent`, key file
/// `hash.key`, fed `count` copies of `hex`); `extra` goes into the top-level table.
pub fn two_agents_config(ws: &str, hash_agent: AgentId, extra: &str, hex: &str, count: u32) -> String {
	format!(
		r#"
endpoints = ["{ws}"]
data_dir = "data"
{extra}

[[agents]]
id = 0
program = "example:counter"
key_file = "alice.key"
policy = {{ kind = "time", interval_ms = 300 }}
input = {{ kind = "file", path = "counter.inputs" }}

[[agents]]
id = {hash_agent}
program = "example:hash_chain"
key_file = "hash.key"
policy = {{ kind = "steps", min_steps = 1, max_delay_ms = 1000 }}
input = {{ kind = "repeat", hex = "{hex}", interval_ms = 200, count = {count} }}
"#
	)
}

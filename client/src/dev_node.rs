//! A development node started as a child process, for tests, benchmarks and tools.
//!
//! [`DevNode::start`] runs `agentic-node --dev` on free ports (in a temporary folder, or in a
//! given base path so that the chain survives a restart), waits until its RPC answers, and
//! retries on fresh ports if the node exits during start-up (a port found free can be taken
//! before the node binds it). The node is stopped when the value is dropped: SIGTERM first,
//! so that it cleans its temporary folder, then SIGKILL if it lingers.

use crate::Client;
use std::{
	net::TcpListener,
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};

/// A running development node: `agentic-node --dev`, or any node with the standard Substrate
/// command line (such as `polkadot-omni-node --chain <para spec> --dev`, see
/// [`DevNodeOptions::chain`]).
pub struct DevNode {
	child: Child,
	ws: String,
	rpc_port: u16,
	log: PathBuf,
}

/// How to start a [`DevNode`].
#[derive(Clone, Debug, Default)]
pub struct DevNodeOptions {
	/// Keep the chain in this folder (`--base-path`) instead of a temporary one.
	pub base_path: Option<PathBuf>,
	/// Serve RPC on this port instead of a free one.
	pub rpc_port: Option<u16>,
	/// Pass `--chain <path>` (a chain spec file) besides `--dev`: what `polkadot-omni-node`
	/// needs, as it has no built-in chain.
	pub chain: Option<PathBuf>,
	/// Further arguments, after the standard ones (for example `--dev-block-time 1000`).
	pub extra_args: Vec<String>,
}

/// A TCP port nobody listens on right now.
pub fn free_port() -> u16 {
	TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).unwrap_or(0)
}

impl DevNode {
	/// Starts `binary --dev` with `options` and connects to it; up to three attempts.
	pub async fn start(binary: &Path, options: &DevNodeOptions) -> Result<(DevNode, Client), String> {
		let mut last = String::new();
		for _ in 0..3 {
			let mut node = Self::spawn(binary, options)?;
			match node.connect(Duration::from_secs(120)).await {
				Ok(client) => return Ok((node, client)),
				Err(e) => last = e,
			}
		}
		Err(format!("{} did not start in three attempts: {last}", binary.display()))
	}

	fn spawn(binary: &Path, options: &DevNodeOptions) -> Result<DevNode, String> {
		let rpc_port = options.rpc_port.unwrap_or_else(free_port);
		let (p2p, prometheus) = (free_port(), free_port());
		let log = std::env::temp_dir().join(format!("agentic-dev-node-{rpc_port}-{}.log", std::process::id()));
		let log_file = std::fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
		let mut command = Command::new(binary);
		command.args(["--dev", "--no-mdns", "--rpc-port", &rpc_port.to_string(), "--port", &p2p.to_string()]);
		command.args(["--prometheus-port", &prometheus.to_string()]);
		if let Some(chain) = &options.chain {
			command.arg("--chain").arg(chain);
		}
		match &options.base_path {
			Some(path) => command.arg("--base-path").arg(path),
			None => command.arg("--tmp"),
		};
		command.args(&options.extra_args);
		let child = command
			.stdout(Stdio::null())
			.stderr(log_file)
			.spawn()
			.map_err(|e| format!("starting {}: {e}", binary.display()))?;
		Ok(DevNode { child, ws: format!("ws://127.0.0.1:{rpc_port}"), rpc_port, log })
	}

	async fn connect(&mut self, limit: Duration) -> Result<Client, String> {
		let start = Instant::now();
		loop {
			if let Ok(Some(status)) = self.child.try_wait() {
				return Err(format!("the node exited during start-up ({status}); log: {}", self.log.display()));
			}
			match Client::connect(&self.ws).await {
				Ok(c) => return Ok(c),
				Err(_) if start.elapsed() < limit => tokio::time::sleep(Duration::from_millis(250)).await,
				Err(e) => return Err(format!("the node did not answer in {limit:?}: {e}")),
			}
		}
	}

	/// The node's WebSocket endpoint.
	pub fn ws(&self) -> &str {
		&self.ws
	}

	/// The node's RPC port.
	pub fn rpc_port(&self) -> u16 {
		self.rpc_port
	}

	/// The node's log file.
	pub fn log(&self) -> &Path {
		&self.log
	}

	fn stop(&mut self) {
		let _ = Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status();
		let deadline = Instant::now() + Duration::from_secs(10);
		while Instant::now() < deadline {
			if let Ok(Some(_)) = self.child.try_wait() {
				return;
			}
			std::thread::sleep(Duration::from_millis(100));
		}
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

impl Drop for DevNode {
	fn drop(&mut self) {
		self.stop();
	}
}

impl Client {
	/// The number of the latest finalized block.
	pub async fn finalized_number(&self) -> Result<u32, crate::Error> {
		let head = self.finalized_head().await?;
		Ok(self.header(Some(head)).await?.number)
	}

	/// Waits until block `at_least` is finalized, for at most `limit`.
	pub async fn wait_finalized(&self, at_least: u32, limit: Duration) -> Result<(), crate::Error> {
		let start = Instant::now();
		loop {
			if self.finalized_number().await? >= at_least {
				return Ok(());
			}
			if start.elapsed() > limit {
				return Err(crate::Error::Unexpected(format!("finality stalled below #{at_least}")));
			}
			tokio::time::sleep(Duration::from_millis(200)).await;
		}
	}
}

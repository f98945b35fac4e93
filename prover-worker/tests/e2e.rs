//! End to end: the real `prover-worker` binary against the real `agentic-node --dev`.
//!
//! - `two_agents_finalize_independently`: registers a second agent with `prover-worker
//!   register`, runs two agents (the genesis counter fed from a file, a hash chain fed by a
//!   generator) under one worker, and checks that both agents' finalized roots are exactly
//!   the roots of their inputs applied once each; then stops the worker with SIGTERM and reads
//!   the state back with `export-state`.
//! - `killed_at_random_points_loses_nothing_and_applies_nothing_twice`: kills the worker with
//!   SIGKILL at seeded random moments many times (and restarts the node on another port once,
//!   which the worker must fail over to) while inputs keep arriving; at the end the counter's
//!   finalized value must equal the number of inputs written, exactly.
//!
//! - `a_ligerito_agent_finalizes_proven_transitions`: registers a counter in the `Ligerito`
//!   mode; the worker proves each input's run and the chain verifies the proofs: its finalized
//!   root must be the inputs applied once each. A fresh worker then replays those transitions
//!   from the chain and proves the next input on the state it rebuilt; the finalized
//!   checkpoint commits to the agent's last proven root.
//!
//! The node binary is looked up next to this test's executable (cargo builds it for the
//! workspace's tests) unless `AGENTIC_NODE` names it.

mod common;

use agentic_client::dev_node::{free_port, DevNode, DevNodeOptions};
use agentic_primitives::{checkpoint, runtime_api::CheckpointProof};
use common::*;
use std::{
	io::Write,
	time::{Duration, Instant},
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_agents_finalize_independently() {
	let (node, client) = DevNode::start(&node_binary(), &DevNodeOptions::default()).await.expect("node");
	let dir = tempfile::tempdir().expect("temp dir");
	let d = dir.path();
	std::fs::write(d.join("alice.key"), "//Alice\n").unwrap();
	let keygen = worker().args(["keygen", "--out"]).arg(d.join("hash.key")).output().unwrap();
	assert!(keygen.status.success(), "{}", String::from_utf8_lossy(&keygen.stderr));
	// A key file is never overwritten.
	assert!(!worker().args(["keygen", "--out"]).arg(d.join("hash.key")).output().unwrap().status.success());

	let hash_agent = register_example(node.ws(), "hash_chain", &d.join("hash.key"), "//Bob", &[]);
	assert_ne!(hash_agent, 0);

	// Eight-byte little-endian amounts (a shorter input adds 1).
	let counter_inputs =
		["0100000000000000", "0200000000000000", "0300000000000000", "0400000000000000", "0500000000000000"];
	append_lines(&d.join("counter.inputs"), &counter_inputs);
	let metrics_port = free_port();
	let config = d.join("worker.toml");
	let metrics = format!("metrics = \"127.0.0.1:{metrics_port}\"");
	std::fs::write(&config, two_agents_config(node.ws(), hash_agent, &metrics, "0500000000000000", 6)).unwrap();
	let log = d.join("worker.log");
	let mut running = Worker::start(&config, &log);

	let counter = counter_root(1 + 2 + 3 + 4 + 5);
	let hash = expected_root(&agentic_example_agents::hash_chain(), 0, &vec![5u64.to_le_bytes().to_vec(); 6]);
	wait_for_root(&client, 0, counter, Duration::from_secs(90), &log).await;
	wait_for_root(&client, hash_agent, hash, Duration::from_secs(90), &log).await;

	// Metrics are served while it runs.
	let metrics = reqwest_free_get(metrics_port, "/metrics");
	assert!(metrics.contains("agentic_worker_submissions_total"), "{metrics}");

	// More input for the counter, then a graceful stop.
	append_lines(&d.join("counter.inputs"), &["0a00000000000000"]);
	wait_for_root(&client, 0, counter_root(25), Duration::from_secs(60), &log).await;
	tokio::time::sleep(Duration::from_secs(2)).await;
	let status = running.terminate();
	assert!(status.success(), "SIGTERM should stop the worker cleanly: {status}");

	let exported = d.join("counter.state");
	let export = worker()
		.args(["export-state", "--agent", "0", "--config"])
		.arg(&config)
		.arg("--out")
		.arg(&exported)
		.output()
		.unwrap();
	assert!(export.status.success(), "{}", String::from_utf8_lossy(&export.stderr));
	let bytes = std::fs::read(&exported).unwrap();
	assert_eq!(u64::from_le_bytes(bytes[..8].try_into().unwrap()), 25);
	let status_out = worker().args(["status", "--config"]).arg(&config).output().unwrap();
	let text = String::from_utf8_lossy(&status_out.stdout);
	assert!(status_out.status.success() && text.contains(&format!("agent {hash_agent}:")), "{text}");

	// A fresh worker (empty database) for the counter rebuilds its state from the chain's history.
	let fresh = d.join("fresh.toml");
	std::fs::write(
		&fresh,
		format!(
			r#"
endpoints = ["{ws}"]
data_dir = "fresh-data"

[[agents]]
id = 0
program = "example:counter"
key_file = "alice.key"
policy = {{ kind = "time", interval_ms = 300 }}
input = {{ kind = "file", path = "no-inputs-yet", start_line = 0 }}
"#,
			ws = node.ws()
		),
	)
	.unwrap();
	let fresh_log = d.join("fresh.log");
	let mut replaying = Worker::start(&fresh, &fresh_log);
	let status_file = d.join("fresh-data").join("status.json");
	let version = finalized_agent(&client, 0).await.version;
	let start = Instant::now();
	loop {
		let status = std::fs::read_to_string(&status_file).unwrap_or_default();
		if status.contains(&format!("\"finalized_version\":{version}")) {
			break;
		}
		assert!(start.elapsed() < Duration::from_secs(60), "no resync: {status}");
		tokio::time::sleep(Duration::from_millis(250)).await;
	}
	assert!(replaying.terminate().success());
	let out = d.join("fresh.state");
	let export = worker()
		.args(["export-state", "--agent", "0", "--config"])
		.arg(&fresh)
		.arg("--out")
		.arg(&out)
		.output()
		.unwrap();
	assert!(export.status.success(), "{}", String::from_utf8_lossy(&export.stderr));
	assert_eq!(std::fs::read(&out).unwrap(), bytes, "the replayed state is the original's");
	assert!(std::fs::read_to_string(&fresh_log).unwrap().contains("replayed a transition"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ligerito_agent_finalizes_proven_transitions() {
	let (node, client) = DevNode::start(&node_binary(), &DevNodeOptions::default()).await.expect("node");
	let dir = tempfile::tempdir().expect("temp dir");
	let d = dir.path();
	let keygen = worker().args(["keygen", "--out"]).arg(d.join("proven.key")).output().unwrap();
	assert!(keygen.status.success(), "{}", String::from_utf8_lossy(&keygen.stderr));
	// A proof is about 2.5 MB of evidence: about 3 UNIT of fees a transition.
	let agent = register_example(
		node.ws(),
		"counter",
		&d.join("proven.key"),
		"//Bob",
		&["--mode", "ligerito", "--prepaid", "50"],
	);
	let info = finalized_agent(&client, agent).await;
	assert_eq!(info.mode, agentic_primitives::VerificationMode::Ligerito);

	append_lines(&d.join("proven.inputs"), &["0700000000000000", "0500000000000000", "0900000000000000"]);
	// A worker with data directory `data`, reading the inputs from line `start`.
	let config = |data: &str, start: u32| {
		let path = d.join(format!("{data}.toml"));
		let text = format!(
			r#"
endpoints = ["{ws}"]
data_dir = "{data}"

[[agents]]
id = {agent}
program = "example:counter"
key_file = "proven.key"
mode = "ligerito"
policy = {{ kind = "time", interval_ms = 300 }}
input = {{ kind = "file", path = "proven.inputs", start_line = {start} }}
"#,
			ws = node.ws()
		);
		std::fs::write(&path, text).unwrap();
		path
	};
	let log = d.join("worker.log");
	let mut running = Worker::start(&config("data", 0), &log);
	// One input a transition (the mode's limit), each proven in a debug build: minutes at most.
	wait_for_root(&client, agent, counter_root(7 + 5 + 9), Duration::from_secs(300), &log).await;
	let info = finalized_agent(&client, agent).await;
	assert_eq!((info.version, info.nonce), (3, 3), "one transition per input");
	assert!(running.terminate().success());

	// A fresh worker (empty database) replays the proven transitions from the chain, then
	// proves the next input on the state it rebuilt.
	append_lines(&d.join("proven.inputs"), &["0400000000000000"]);
	let fresh_log = d.join("fresh.log");
	let mut fresh = Worker::start(&config("fresh-data", 3), &fresh_log);
	wait_for_root(&client, agent, counter_root(7 + 5 + 9 + 4), Duration::from_secs(300), &fresh_log).await;
	assert_eq!(finalized_agent(&client, agent).await.version, 4);
	assert!(fresh.terminate().success());
	let replayed = std::fs::read_to_string(&fresh_log).unwrap_or_default();
	assert!(replayed.contains("replayed a transition"), "the fresh worker replayed nothing:\n{replayed}");

	// SIGTERM during a proof: the worker stops without waiting for it, and sends nothing.
	append_lines(&d.join("proven.inputs"), &["0300000000000000"]);
	let stop_log = d.join("stop.log");
	let mut stopping = Worker::start(&config("fresh-data", 3), &stop_log);
	let deadline = std::time::Instant::now() + Duration::from_secs(120);
	while !std::fs::read_to_string(&stop_log).unwrap_or_default().contains("proving a transition") {
		assert!(std::time::Instant::now() < deadline, "the worker never started proving");
		std::thread::sleep(Duration::from_millis(50));
	}
	assert!(stopping.terminate().success());
	let stopped = std::fs::read_to_string(&stop_log).unwrap_or_default();
	assert!(stopped.contains("the proof in progress is abandoned"), "no proof was abandoned:\n{stopped}");
	assert_eq!(finalized_agent(&client, agent).await.version, 4, "nothing was sent");

	// The finalized checkpoint commits to the proven root.
	let finalized = client.finalized_head().await.expect("finalized head");
	let proof: CheckpointProof = client
		.agent_api::<Option<CheckpointProof>>("checkpoint_proof", agent, Some(finalized))
		.await
		.expect("agent api")
		.expect("the agent is in the checkpoint");
	assert_eq!((proof.state_root, proof.version), (counter_root(7 + 5 + 9 + 4), 4));
	let leaf = checkpoint::leaf(agent, &proof.state_root, proof.version);
	assert!(checkpoint::verify_inclusion(&proof.root, agent, &leaf, &proof.siblings));
	let root: sp_core::H256 = client.agent_api("checkpoint_root", (), Some(finalized)).await.expect("agent api");
	assert_eq!(proof.root, root, "the proof is against the finalized checkpoint");
	drop(node);
}

/// `GET` over a plain TCP socket (no HTTP client dependency for one request).
fn reqwest_free_get(port: u16, path: &str) -> String {
	use std::io::Read;
	let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("metrics port");
	write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
	let mut body = String::new();
	stream.read_to_string(&mut body).unwrap();
	body
}

/// A small deterministic generator (xorshift), so failures reproduce from the printed seed.
struct Rng(u64);

impl Rng {
	fn next(&mut self) -> u64 {
		self.0 ^= self.0 << 13;
		self.0 ^= self.0 >> 7;
		self.0 ^= self.0 << 17;
		self.0
	}
	fn below(&mut self, n: u64) -> u64 {
		self.next() % n
	}
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_at_random_points_loses_nothing_and_applies_nothing_twice() {
	let seed: u64 = std::env::var("CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x5eed_2026);
	let kills: u64 = std::env::var("CRASH_KILLS").ok().and_then(|s| s.parse().ok()).unwrap_or(12);
	eprintln!("crash test: seed {seed}, {kills} kills (CRASH_SEED / CRASH_KILLS to change)");
	let mut rng = Rng(seed);

	let dir = tempfile::tempdir().expect("temp dir");
	let d = dir.path();
	let chain_dir = d.join("chain");
	let (port_a, port_b) = (free_port(), free_port());
	let options =
		|port| DevNodeOptions { base_path: Some(chain_dir.clone()), rpc_port: Some(port), ..Default::default() };
	let (mut node, mut client) = DevNode::start(&node_binary(), &options(port_a)).await.expect("node");

	std::fs::write(d.join("alice.key"), "//Alice\n").unwrap();
	let inputs = d.join("counter.inputs");
	let config = d.join("worker.toml");
	std::fs::write(
		&config,
		format!(
			r#"
endpoints = ["ws://127.0.0.1:{port_a}", "ws://127.0.0.1:{port_b}"]
data_dir = "data"

[[agents]]
id = 0
program = "example:counter"
key_file = "alice.key"
policy = {{ kind = "time", interval_ms = 200 }}
input = {{ kind = "file", path = "counter.inputs" }}
"#
		),
	)
	.unwrap();
	let log = d.join("worker.log");

	let mut written = 0u64;
	for round in 0..kills {
		// New input arrives while the worker runs, dies and restarts.
		let n = 1 + rng.below(4);
		append_lines(&inputs, &vec!["01"; n as usize]);
		written += n;
		let mut running = Worker::start(&config, &log);
		let alive = 300 + rng.below(3000);
		tokio::time::sleep(Duration::from_millis(alive)).await;
		running.kill9();
		if round == kills / 2 {
			// The node goes away and comes back on the other endpoint with the same chain.
			drop(node);
			let restarted = DevNode::start(&node_binary(), &options(port_b)).await.expect("node restart");
			node = restarted.0;
			client = restarted.1;
		}
		let info = finalized_agent(&client, 0).await;
		eprintln!("round {round}: alive {alive} ms, {written} inputs written, chain at v{}", info.version);
	}

	// A last run to let everything through.
	let mut running = Worker::start(&config, &log);
	wait_for_root(&client, 0, counter_root(written), Duration::from_secs(120), &log).await;
	// Nothing is applied again afterwards.
	let version = finalized_agent(&client, 0).await.version;
	tokio::time::sleep(Duration::from_secs(4)).await;
	let info = finalized_agent(&client, 0).await;
	assert_eq!((info.state_root, info.version), (counter_root(written), version), "the counter moved past its inputs");
	assert!(running.terminate().success());
	drop(node);
	// What the runs went through (for whoever reads the test output).
	let log = std::fs::read_to_string(&log).unwrap_or_default();
	for what in
		["transition finalized", "lost track", "pool refused", "not accepted", "replayed", "failing over", "connected"]
	{
		eprintln!("worker log: {:>4} x {what:?}", log.matches(what).count());
	}
}

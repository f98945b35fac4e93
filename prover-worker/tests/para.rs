//! End to end on the parachain flavour: the real `prover-worker` against the stock
//! `polkadot-omni-node` running the `para` runtime in its development mode (no relay chain; the
//! node mocks the relay chain's inherent data and seals a block every second, final at once).
//!
//! It needs what `scripts/para.sh` makes, so it is ignored in a plain `cargo test`;
//! `scripts/test.sh` runs it with:
//! - `AGENTIC_OMNI_NODE`: the `polkadot-omni-node` binary;
//! - `AGENTIC_PARA_SPEC`: the para chain spec (`development` preset).
//!
//! The test registers a hash-chain agent with a signed extrinsic, runs it and the genesis
//! counter under one worker, and checks that both agents' finalized roots are their inputs
//! applied exactly once, and that the chain is the para flavour (parachain id 2000 in
//! `ParachainInfo`).

mod common;

use agentic_client::dev_node::{DevNode, DevNodeOptions};
use common::*;
use std::{path::PathBuf, time::Duration};

fn required_path(var: &str) -> PathBuf {
	let path: PathBuf = std::env::var_os(var)
		.unwrap_or_else(|| panic!("{var} is not set: run this test through scripts/test.sh (or scripts/para.sh first)"))
		.into();
	assert!(path.exists(), "{var}={} does not exist", path.display());
	path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs polkadot-omni-node and the para chain spec; scripts/test.sh runs it"]
async fn para_chain_under_omni_node_accepts_and_finalizes_transitions() {
	let omni_node = required_path("AGENTIC_OMNI_NODE");
	let spec = required_path("AGENTIC_PARA_SPEC");
	let options = DevNodeOptions {
		chain: Some(spec),
		extra_args: vec!["--dev-block-time".into(), "1000".into()],
		..Default::default()
	};
	let (node, client) = DevNode::start(&omni_node, &options).await.expect("polkadot-omni-node");
	client.wait_finalized(2, Duration::from_secs(60)).await.expect("blocks are sealed and final");

	// It is the parachain flavour: ParachainInfo holds the preset's id.
	let id = client.storage_value("ParachainInfo", "ParachainId", None).await.expect("state_getStorage");
	assert_eq!(id, Some(2000u32.to_le_bytes().to_vec()), "ParachainInfo::ParachainId should be 2000");
	// The client steps over ParachainSystem's events (pallet 20) with the chain's own layouts.
	let layouts = client.event_layouts().await.expect("metadata");
	assert!(layouts.has_pallet_events(20), "the para metadata has ParachainSystem events");

	let dir = tempfile::tempdir().expect("temp dir");
	let d = dir.path();
	std::fs::write(d.join("alice.key"), "//Alice\n").unwrap();
	let keygen = worker().args(["keygen", "--out"]).arg(d.join("hash.key")).output().unwrap();
	assert!(keygen.status.success(), "{}", String::from_utf8_lossy(&keygen.stderr));
	let hash_agent = register_example(node.ws(), "hash_chain", &d.join("hash.key"), "//Bob", &[]);
	assert_ne!(hash_agent, 0);

	append_lines(&d.join("counter.inputs"), &["0300000000000000", "0400000000000000"]);
	let config = d.join("worker.toml");
	std::fs::write(&config, two_agents_config(node.ws(), hash_agent, "", "0700000000000000", 3)).unwrap();
	let log = d.join("worker.log");
	let mut running = Worker::start(&config, &log);
	wait_for_root(&client, 0, counter_root(3 + 4), Duration::from_secs(120), &log).await;
	let hash = expected_root(&agentic_example_agents::hash_chain(), 0, &vec![7u64.to_le_bytes().to_vec(); 3]);
	wait_for_root(&client, hash_agent, hash, Duration::from_secs(120), &log).await;
	assert!(running.terminate().success(), "SIGTERM should stop the worker cleanly");
	let counter = finalized_agent(&client, 0).await;
	assert!(counter.version >= 1, "the counter's accepted transitions are counted");
	drop(node);
}

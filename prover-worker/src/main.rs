//! # prover-worker
//!
//! Runs agents off-chain and submits their transitions. This first slice has one subcommand,
//! `demo`, which drives the development chain's sample agent (the counter, id 0, key `//Alice`)
//! from genesis: it executes an input, builds the re-execution evidence, checks it locally with
//! the same verifier the runtime uses, signs it with the agent key and submits it as an
//! authorized transaction, then follows it to GRANDPA finality. The configurable worker (config
//! file, policies, durable store, metrics) is the prover-worker issue.

use agentic_client::Client;
use agentic_primitives::{state::StateTree, AgentId, AgentInfo, Input, Inputs, SignedSubmission};
use agentic_runtime::{AccountId, BlockNumber, RuntimeCall, RuntimeEvent};
use agentic_verifier::{program::Program, reexec::build_evidence, Claim};
use clap::Parser;
use sp_core::{sr25519, Pair};
use std::time::{Duration, Instant};

#[derive(Debug, Parser)]
#[command(version, about = "Runs Agentic agents off-chain and submits their verified transitions")]
enum Cli {
	/// Drive the dev chain's sample counter agent: one transition per interval, each followed to
	/// finality.
	Demo {
		/// The node's WebSocket endpoint.
		#[arg(long, default_value = "ws://127.0.0.1:9944")]
		url: String,
		/// The agent to drive (a counter agent whose state this worker knows from genesis).
		#[arg(long, default_value_t = 0)]
		agent: AgentId,
		/// The agent's signing key as a secret URI.
		#[arg(long, default_value = "//Alice")]
		suri: String,
		/// Pause between transitions, in milliseconds.
		#[arg(long, default_value_t = 1000)]
		interval_ms: u64,
		/// Stop after this many finalized transitions (0: run until interrupted).
		#[arg(long, default_value_t = 0)]
		count: u64,
	},
}

#[tokio::main]
async fn main() {
	let result = match Cli::parse() {
		Cli::Demo { url, agent, suri, interval_ms, count } => demo(&url, agent, &suri, interval_ms, count).await,
	};
	if let Err(e) = result {
		eprintln!("prover-worker: {e}");
		std::process::exit(1);
	}
}

async fn demo(url: &str, agent: AgentId, suri: &str, interval_ms: u64, count: u64) -> Result<(), String> {
	let key = sr25519::Pair::from_string(suri, None).map_err(|e| format!("bad --suri: {e:?}"))?;
	let client = connect(url).await?;
	let program_blob = agentic_example_agents::counter();
	let program = Program::load(&program_blob).map_err(|e| format!("counter program: {e:?}"))?;
	let info = agent_info(&client, agent).await?;
	if info.key != key.public() {
		return Err(format!("agent {agent} is not signed for by {suri}"));
	}
	let mut state = StateTree::new(info.state_depth).map_err(|e| format!("{e:?}"))?;
	if info.state_root != state.root() {
		return Err(format!(
			"agent {agent} is at version {} with a state this demo does not hold (it keeps state in memory \
			 from genesis); restart the dev chain or use another agent",
			info.version
		));
	}
	let mut seq = info.nonce;
	let mut done = 0u64;
	println!("driving agent {agent} (counter) on {url}; Ctrl-C stops");
	loop {
		let started = Instant::now();
		let inputs = Inputs::truncate_from(vec![Input::truncate_from(1u64.to_le_bytes().to_vec())]);
		let exec = build_evidence(&program, &state, inputs, None, 1_000_000).map_err(|e| format!("run: {e:?}"))?;
		let submission = exec.submission(agent, seq, None);
		// Check locally with the runtime's own verifier before spending anything.
		agentic_verifier::verify(&program_blob, &Claim::of(&submission, info.state_depth), &submission.evidence)
			.map_err(|e| format!("local verification failed: {e:?}"))?;
		let signature = key.sign(&submission.signing_payload(&client.genesis()));
		let call = RuntimeCall::AgentSubmissions(pallet_agent_submissions::Call::submit {
			signed: Box::new(SignedSubmission { submission, signature }),
		});
		let executed = started.elapsed();
		let finalized = client
			.submit_and_watch(&client.authorized(call), Duration::from_secs(60))
			.await
			.map_err(|e| format!("submission {seq}: {e}"))?;
		// Finalized is not accepted: read what the chain made of it.
		let events = client.events(finalized.in_block).await.map_err(|e| e.to_string())?;
		let outcome = events.into_iter().find_map(|e| match e {
			RuntimeEvent::AgentSubmissions(e @ pallet_agent_submissions::Event::TransitionAccepted { .. })
			| RuntimeEvent::AgentSubmissions(e @ pallet_agent_submissions::Event::TransitionRejected { .. })
			| RuntimeEvent::AgentSubmissions(e @ pallet_agent_submissions::Event::TransitionFailed { .. }) => Some(e),
			_ => None,
		});
		match outcome {
			Some(pallet_agent_submissions::Event::TransitionAccepted { agent: a, seq: s, .. })
				if a == agent && s == seq => {},
			other => return Err(format!("submission {seq} was not accepted: {other:?}")),
		}
		state = exec.new_state;
		seq += 1;
		done += 1;
		let number = client.header(Some(finalized.finalized)).await.map_err(|e| e.to_string())?.number;
		let value = u64::from_le_bytes(state.page(0).map(|p| p[..8].try_into().unwrap_or([0; 8])).unwrap_or([0; 8]));
		println!(
			"agent {agent}: counter = {value}, {} steps, executed in {:.1} ms, finalized in #{number} after {:.2} s",
			exec.result.steps,
			executed.as_secs_f64() * 1e3,
			started.elapsed().as_secs_f64()
		);
		if count != 0 && done >= count {
			return Ok(());
		}
		tokio::time::sleep(Duration::from_millis(interval_ms)).await;
	}
}

async fn connect(url: &str) -> Result<Client, String> {
	let start = Instant::now();
	loop {
		match Client::connect(url).await {
			Ok(c) => return Ok(c),
			Err(_) if start.elapsed() < Duration::from_secs(60) => tokio::time::sleep(Duration::from_millis(500)).await,
			Err(e) => return Err(format!("cannot reach {url}: {e}")),
		}
	}
}

async fn agent_info(client: &Client, agent: AgentId) -> Result<AgentInfo<AccountId, BlockNumber>, String> {
	client
		.agent_api::<Option<AgentInfo<AccountId, BlockNumber>>>("agent", agent, None)
		.await
		.map_err(|e| e.to_string())?
		.ok_or_else(|| format!("no agent {agent} on this chain"))
}

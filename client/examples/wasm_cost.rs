//! Submits hash-chain transitions of growing size to a dev node, one per block, and prints the
//! block each landed in, so the node's "Prepared block for proposing at N (X ms)" log lines give
//! the cost of re-execution inside the runtime's Wasm. Run it through
//! `scripts/measure-wasm-reexec.sh`, which starts the node and pairs the lines up.

use agentic_client::Client;
use agentic_example_agents as examples;
use agentic_primitives::{state::StateTree, Input, Inputs, SignedSubmission, VerificationMode};
use agentic_runtime::{RuntimeCall, UNIT};
use agentic_verifier::{program::Program, reexec::build_evidence};
use sp_core::{sr25519, Pair};
use std::time::Duration;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
	let url = std::env::args().nth(1).unwrap_or_else(|| "ws://127.0.0.1:9944".into());
	let client = Client::connect(&url).await?;
	// Steps: hash-chain rounds. Pages: the page toucher over a state of 1024 pages.
	run(
		&client,
		"steps",
		examples::hash_chain(),
		examples::depth::HASH_CHAIN,
		42,
		&[0, 30_000, 60_000, 120_000, 0, 120_000],
	)
	.await?;
	run(&client, "pages", examples::page_toucher(), 10, 43, &[1, 512, 1, 512]).await?;
	Ok(())
}

/// Registers an agent running `blob` (signed by //Bob) and submits one transition per input
/// value, each in its own block; prints `<label> <block> <steps> <value>` per transition.
async fn run(
	client: &Client,
	label: &str,
	blob: Vec<u8>,
	depth: u8,
	seed: u8,
	values: &[u64],
) -> Result<(), Box<dyn std::error::Error>> {
	let bob = sr25519::Pair::from_string("//Bob", None).map_err(|e| format!("{e:?}"))?;
	let key = sr25519::Pair::from_seed(&[seed; 32]);
	let register = RuntimeCall::AgentRegistry(pallet_agent_registry::Call::register {
		program: pallet_agent_registry::ProgramSource::Blob(blob.clone().try_into().map_err(|_| "len")?),
		key: key.public(),
		mode: VerificationMode::Reexec,
		state_depth: depth,
		initial_root: None,
		bond: 100 * UNIT,
		prepaid: 10_000 * UNIT,
	});
	let agent = client.register_agent(register, &bob, Duration::from_secs(60)).await?;
	let program = Program::load(&blob).map_err(|e| format!("{e:?}"))?;
	let mut state = StateTree::new(depth).map_err(|e| format!("{e:?}"))?;
	for (seq, value) in values.iter().copied().enumerate() {
		let inputs = Inputs::truncate_from(vec![Input::truncate_from(value.to_le_bytes().to_vec())]);
		let exec = build_evidence(&program, &state, inputs, None, 2_000_000).map_err(|e| format!("{e:?}"))?;
		let submission = exec.submission(agent, seq as u64, None);
		let signature = key.sign(&submission.signing_payload(&client.genesis()));
		let call = RuntimeCall::AgentSubmissions(pallet_agent_submissions::Call::submit {
			signed: Box::new(SignedSubmission { submission, signature }),
		});
		let done = client.submit_and_watch(&client.authorized(call), Duration::from_secs(60)).await?;
		let number = client.header(Some(done.in_block)).await?.number;
		println!("{label} {number} {} {value}", exec.result.steps);
		state = exec.new_state;
	}
	Ok(())
}

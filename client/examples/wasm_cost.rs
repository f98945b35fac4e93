//! Submits hash-chain transitions of growing size to a dev node, one per block, and prints the
//! block each landed in, so the node's "Prepared block for proposing at N (X ms)" log lines give
//! the cost of re-execution inside the runtime's Wasm. Run it through
//! `scripts/measure-wasm-reexec.sh`, which starts the node and pairs the lines up.

use agentic_client::Client;
use agentic_example_agents as examples;
use agentic_primitives::{state::StateTree, Input, Inputs, SignedSubmission, VerificationMode};
use agentic_runtime::{RuntimeCall, RuntimeEvent, UNIT};
use agentic_verifier::{program::Program, reexec::build_evidence};
use sp_core::{sr25519, Pair};
use std::time::Duration;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
	let url = std::env::args().nth(1).unwrap_or_else(|| "ws://127.0.0.1:9944".into());
	let client = Client::connect(&url).await?;
	let bob = sr25519::Pair::from_string("//Bob", None).map_err(|e| format!("{e:?}"))?;
	let key = sr25519::Pair::from_seed(&[42; 32]);
	let register = RuntimeCall::AgentRegistry(pallet_agent_registry::Call::register {
		program: pallet_agent_registry::ProgramSource::Blob(examples::hash_chain().try_into().map_err(|_| "len")?),
		key: key.public(),
		mode: VerificationMode::Reexec,
		state_depth: examples::depth::HASH_CHAIN,
		initial_root: None,
		bond: 100 * UNIT,
		prepaid: 10_000 * UNIT,
	});
	let nonce = client.account_nonce(&bob.public().into()).await?;
	let done = client.submit_and_watch(&client.sign(register, &bob, nonce), Duration::from_secs(60)).await?;
	let agent = client
		.events(done.in_block)
		.await?
		.into_iter()
		.find_map(|e| match e {
			RuntimeEvent::AgentRegistry(pallet_agent_registry::Event::Registered { agent, .. }) => Some(agent),
			_ => None,
		})
		.ok_or("no Registered event")?;
	let program = Program::load(&examples::hash_chain()).map_err(|e| format!("{e:?}"))?;
	let mut state = StateTree::new(examples::depth::HASH_CHAIN).map_err(|e| format!("{e:?}"))?;
	for (seq, rounds) in [0u64, 30_000, 60_000, 120_000, 0, 120_000].into_iter().enumerate() {
		let inputs = Inputs::truncate_from(vec![Input::truncate_from(rounds.to_le_bytes().to_vec())]);
		let exec = build_evidence(&program, &state, inputs, None, 2_000_000).map_err(|e| format!("{e:?}"))?;
		let submission = exec.submission(agent, seq as u64, None);
		let signature = key.sign(&submission.signing_payload(&client.genesis()));
		let call = RuntimeCall::AgentSubmissions(pallet_agent_submissions::Call::submit {
			signed: Box::new(SignedSubmission { submission, signature }),
		});
		let done = client.submit_and_watch(&client.authorized(call), Duration::from_secs(60)).await?;
		let number = client.header(Some(done.in_block)).await?.number;
		println!("block {number} steps {}", exec.result.steps);
		state = exec.new_state;
	}
	Ok(())
}

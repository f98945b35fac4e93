//! Submits the checked-in `Ligerito` fixtures (each a real submission whose proof's opening
//! stacks values at the chain's bound) to a dev node, one per block, and prints the block each
//! landed in, so the node's "Prepared block for proposing at N (X ms)" log lines give the cost of
//! verifying those proofs inside the runtime's Wasm. Run it through
//! `scripts/measure-wasm-ligerito.sh`, which starts the node and pairs the lines up.
//!
//! Each fixture file is the SCALE encoding of `(program, state_depth, submission)`, the
//! submission made for agent 0 from the empty state (`verifier/examples/ligerito_fixture.rs`):
//! the program is registered in the `Ligerito` mode here and the submission re-addressed to the
//! new agent and signed by its key.

use agentic_client::Client;
use agentic_primitives::{SignedSubmission, Submission, VerificationMode};
use agentic_runtime::{RuntimeCall, RuntimeEvent, UNIT};
use codec::DecodeAll;
use sp_core::{sr25519, Pair};
use std::time::Duration;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
	let usage = "usage: ligerito_wasm_cost URL FIXTURE...";
	let url = std::env::args().nth(1).ok_or(usage)?;
	let fixtures: Vec<String> = std::env::args().skip(2).collect();
	if fixtures.is_empty() {
		return Err(usage.into());
	}
	let client = Client::connect(&url).await?;
	let bob = sr25519::Pair::from_string("//Bob", None).map_err(|e| format!("{e:?}"))?;
	for (i, path) in fixtures.iter().enumerate() {
		let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
		let (program, depth, mut submission): (Vec<u8>, u8, Submission) =
			DecodeAll::decode_all(&mut &bytes[..]).map_err(|e| format!("{path}: {e}"))?;
		let key = sr25519::Pair::from_seed(&[60 + i as u8; 32]);
		let register = RuntimeCall::AgentRegistry(pallet_agent_registry::Call::register {
			program: pallet_agent_registry::ProgramSource::Blob(program.try_into().map_err(|_| "program too long")?),
			key: key.public(),
			mode: VerificationMode::Ligerito,
			state_depth: depth,
			initial_root: None,
			bond: 100 * UNIT,
			prepaid: 10_000 * UNIT,
		});
		let agent = client.register_agent(register, &bob, Duration::from_secs(60)).await?;
		submission.agent = agent;
		let steps = submission.steps;
		let proof = match &submission.evidence {
			agentic_primitives::Evidence::Ligerito(evidence) => evidence.proof.len(),
			agentic_primitives::Evidence::Reexec(_) => return Err(format!("{path}: not a Ligerito submission").into()),
		};
		let signature = key.sign(&submission.signing_payload(&client.genesis()));
		let call = RuntimeCall::AgentSubmissions(pallet_agent_submissions::Call::submit {
			signed: Box::new(SignedSubmission { submission, signature }),
		});
		let done = client.submit_and_watch(&client.authorized(call), Duration::from_secs(120)).await?;
		let accepted = client.events(done.in_block).await?.into_iter().any(|e| {
			matches!(e, RuntimeEvent::AgentSubmissions(pallet_agent_submissions::Event::TransitionAccepted { .. }))
		});
		let number = client.header(Some(done.in_block)).await?.number;
		println!("{number} {steps} {proof} {accepted} {path}");
	}
	Ok(())
}

//! End to end: the real node binary on a `--dev --tmp` chain, driven over JSON-RPC.
//!
//! Registers an agent with a signed transaction, submits a valid re-execution transition as an
//! authorized transaction built in Rust, sees it finalized and in the finalized checkpoint, sees
//! an invalid transition rejected and slashed, and sees bad input refused by the pool with
//! distinct errors while blocks keep coming. The node is killed when the test ends, however it
//! ends.

use agentic_client::{
	dev_node::{DevNode, DevNodeOptions},
	Client, Error, Finalized, PoolRefusal,
};
use agentic_example_agents as examples;
use agentic_primitives::{
	checkpoint, runtime_api::CheckpointProof, state::StateTree, AgentId, AgentInfo, Input, Inputs, InvalidSubmission,
	SignedSubmission, Submission,
};
use agentic_runtime::{AccountId, BlockNumber, RuntimeCall, RuntimeEvent};
use agentic_verifier::{program::Program, reexec::build_evidence};
use sp_core::{sr25519, Pair, H256};
use std::{
	path::Path,
	time::{Duration, Instant},
};

async fn start_and_connect() -> (DevNode, Client) {
	DevNode::start(Path::new(env!("CARGO_BIN_EXE_agentic-node")), &DevNodeOptions::default())
		.await
		.expect("start agentic-node")
}

async fn wait_finalized(client: &Client, at_least: BlockNumber) {
	client.wait_finalized(at_least, Duration::from_secs(120)).await.expect("finality");
}

fn inputs(list: &[&[u8]]) -> Inputs {
	Inputs::truncate_from(list.iter().map(|i| Input::truncate_from(i.to_vec())).collect())
}

/// Runs the counter off-chain on `state` and returns the signed, honest submission.
fn transition(
	client: &Client,
	agent: AgentId,
	key: &sr25519::Pair,
	seq: u64,
	state: &StateTree,
	ins: &[&[u8]],
) -> (SignedSubmission, StateTree) {
	let program = Program::load(&examples::counter()).expect("loads");
	let exec = build_evidence(&program, state, inputs(ins), None, 1_000_000).expect("runs");
	(sign(client, key, exec.submission(agent, seq, None)), exec.new_state)
}

fn sign(client: &Client, key: &sr25519::Pair, submission: Submission) -> SignedSubmission {
	let signature = key.sign(&submission.signing_payload(&client.genesis()));
	SignedSubmission { submission, signature }
}

fn submit_call(signed: SignedSubmission) -> RuntimeCall {
	RuntimeCall::AgentSubmissions(pallet_agent_submissions_call(signed))
}

fn pallet_agent_submissions_call(signed: SignedSubmission) -> pallet_agent_submissions::Call<agentic_runtime::Runtime> {
	pallet_agent_submissions::Call::submit { signed: Box::new(signed) }
}

fn refusal(result: Result<H256, Error>) -> PoolRefusal {
	match result {
		Err(Error::Refused(r)) => r,
		other => panic!("expected a pool refusal, got {other:?}"),
	}
}

#[tokio::test(flavor = "multi_thread")]
async fn agents_on_a_real_dev_chain() {
	let (_node, client) = start_and_connect().await;
	wait_finalized(&client, 1).await;

	// The dev preset's sample agent is there.
	let sample: Option<AgentInfo<AccountId, BlockNumber>> = client.agent_api("agent", 0u32, None).await.unwrap();
	assert!(sample.is_some(), "the development preset registers a sample agent");

	// Register a counter agent, signed by Bob.
	let bob = sr25519::Pair::from_string("//Bob", None).unwrap();
	let agent_key = sr25519::Pair::from_seed(&[7; 32]);
	let register = RuntimeCall::AgentRegistry(pallet_agent_registry::Call::register {
		program: pallet_agent_registry::ProgramSource::Blob(examples::counter().try_into().unwrap()),
		key: agent_key.public(),
		mode: agentic_primitives::VerificationMode::Reexec,
		state_depth: examples::depth::COUNTER,
		initial_root: None,
		bond: 100 * agentic_runtime::UNIT,
		prepaid: 10 * agentic_runtime::UNIT,
	});
	let nonce = client.account_nonce(&bob.public().into()).await.unwrap();
	let xt = client.sign(register, &bob, nonce);
	let Finalized { in_block, .. } = client.submit_and_watch(&xt, Duration::from_secs(60)).await.unwrap();
	let agent = client
		.events(in_block)
		.await
		.unwrap()
		.into_iter()
		.find_map(|e| match e {
			RuntimeEvent::AgentRegistry(pallet_agent_registry::Event::Registered { agent, .. }) => Some(agent),
			_ => None,
		})
		.expect("Registered event");
	let info: AgentInfo<AccountId, BlockNumber> =
		client.agent_api::<Option<_>>("agent", agent, None).await.unwrap().unwrap();
	let mut state = StateTree::new(info.state_depth).unwrap();
	assert_eq!(info.state_root, state.root());

	// A valid transition, as an authorized transaction.
	let (signed, next) = transition(&client, agent, &agent_key, 0, &state, &[b"", &41u64.to_le_bytes()]);
	let accepted = signed.clone();
	let Finalized { finalized, .. } =
		client.submit_and_watch(&client.authorized(submit_call(signed)), Duration::from_secs(60)).await.unwrap();
	let events = client.events(finalized).await.unwrap();
	assert!(
		events.iter().any(|e| matches!(e,
			RuntimeEvent::AgentSubmissions(pallet_agent_submissions::Event::TransitionAccepted { agent: a, version: 1, .. }) if *a == agent)),
		"TransitionAccepted in {events:?}"
	);
	state = next;

	// The finalized checkpoint commits to the new root.
	let proof: CheckpointProof =
		client.agent_api::<Option<CheckpointProof>>("checkpoint_proof", agent, Some(finalized)).await.unwrap().unwrap();
	assert_eq!((proof.state_root, proof.version), (state.root(), 1));
	let leaf = checkpoint::leaf(agent, &proof.state_root, proof.version);
	assert!(checkpoint::verify_inclusion(&proof.root, agent, &leaf, &proof.siblings));
	let header = client.header(Some(finalized)).await.unwrap();
	let digest_root = header.digest.logs.iter().find_map(|d| d.as_other().and_then(checkpoint::parse_digest));
	assert_eq!(digest_root, Some(proof.root), "the header digest carries the checkpoint");

	// Bad input gets distinct refusals from the pool and harms nothing.
	let malformed = refusal(client.submit_bytes(vec![0x04, 0x01, 0x02, 0x03]).await);
	let (unknown, _) = transition(&client, 999, &agent_key, 0, &StateTree::new(0).unwrap(), &[b""]);
	let unknown = refusal(client.submit(&client.authorized(submit_call(unknown))).await);
	let (wrong_sig, _) = transition(&client, agent, &sr25519::Pair::from_seed(&[8; 32]), 1, &state, &[b""]);
	let wrong_sig = refusal(client.submit(&client.authorized(submit_call(wrong_sig))).await);
	let replay = refusal(client.submit(&client.authorized(submit_call(accepted))).await);
	eprintln!("refusals:\n  {malformed:?}\n  {unknown:?}\n  {wrong_sig:?}\n  {replay:?}");
	assert_eq!(malformed.code, 1002, "undecodable bytes fail verification: {malformed:?}");
	assert_eq!(unknown.custom_code(), Some(InvalidSubmission::UnknownAgent as u8));
	assert!(wrong_sig.data.contains("bad signature"), "{wrong_sig:?}");
	assert!(replay.data.contains("outdated"), "{replay:?}");
	let reasons = [&malformed, &unknown, &wrong_sig, &replay].map(|r| (r.code, r.data.clone()));
	for (i, a) in reasons.iter().enumerate() {
		for b in &reasons[i + 1..] {
			assert_ne!(a, b, "refusals must be distinct");
		}
	}
	// An invalid transition (wrong new root, properly signed) is included, rejected and slashed.
	let (honest, _) = transition(&client, agent, &agent_key, 1, &state, &[b""]);
	let mut bad = honest.submission.clone();
	bad.new_root = H256::repeat_byte(0xbb);
	let Finalized { in_block, .. } = client
		.submit_and_watch(&client.authorized(submit_call(sign(&client, &agent_key, bad))), Duration::from_secs(60))
		.await
		.unwrap();
	let events = client.events(in_block).await.unwrap();
	assert!(
		events.iter().any(|e| matches!(e,
		RuntimeEvent::AgentSubmissions(pallet_agent_submissions::Event::TransitionRejected { agent: a, .. }) if *a == agent))
	);
	assert!(
		events.iter().any(|e| matches!(e,
		RuntimeEvent::AgentStaking(pallet_agent_staking::Event::Slashed { agent: a, amount }) if *a == agent && *amount > 0))
	);

	// Blocks keep coming and finality follows.
	let best_before = client.header(None).await.unwrap().number;
	let start = Instant::now();
	while client.header(None).await.unwrap().number < best_before + 3 {
		assert!(start.elapsed() < Duration::from_secs(30), "block production stalled");
		tokio::time::sleep(Duration::from_millis(200)).await;
	}
	wait_finalized(&client, best_before + 1).await;
}

//! `prover-worker`: see the crate docs ([`prover_worker`]) and `docs/operator.md`.

use agentic_primitives::{AgentId, AgentInfo, VerificationMode};
use agentic_runtime::{AccountId, Balance, BlockNumber, RuntimeCall, RuntimeEvent, UNIT};
use clap::{Parser, Subcommand};
use prover_worker::{
	chain::Chain,
	config::{Config, ModeConfig},
	keys,
	program::{load_program, EXAMPLE_PREFIX},
	store::Store,
	worker,
};
use sp_core::{sr25519, Pair};
use std::{path::PathBuf, time::Duration};

#[derive(Debug, Parser)]
#[command(version, about = "Runs Agentic agents off-chain and submits their verified transitions")]
struct Cli {
	#[command(subcommand)]
	command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
	/// Generate an agent key into a new file (mode 0600) and print its public key.
	Keygen {
		/// The file to create (never overwritten).
		#[arg(long)]
		out: PathBuf,
	},
	/// Register an agent on chain, signed by its owner, and print its id and config entry.
	Register {
		/// The node's WebSocket endpoint.
		#[arg(long, default_value = "ws://127.0.0.1:9944")]
		url: String,
		/// The program: a file with the PolkaVM blob, or `example:<name>`.
		#[arg(long)]
		program: String,
		/// The agent's signing key file (from `keygen`).
		#[arg(long)]
		key: PathBuf,
		/// The owner's key file (pays the bond and the prepaid fees).
		#[arg(long, conflicts_with = "owner_suri")]
		owner_key: Option<PathBuf>,
		/// The owner as a secret URI instead (e.g. `//Alice` on a dev chain).
		#[arg(long)]
		owner_suri: Option<String>,
		/// Bond, in UNIT (decimals allowed).
		#[arg(long, default_value = "100")]
		bond: String,
		/// Prepaid fee balance, in UNIT.
		#[arg(long, default_value = "10")]
		prepaid: String,
		/// State depth (the state holds 2^depth pages of 256 bytes); defaults to the example's.
		#[arg(long)]
		depth: Option<u8>,
		/// Register this many agents with the same program and key (a fleet, or a load test).
		#[arg(long, default_value_t = 1)]
		count: u32,
		/// How the chain verifies the agent's transitions: `reexec` (it re-executes them) or
		/// `ligerito` (the worker proves them; the chain must enable the mode).
		#[arg(long, value_enum, default_value_t = ModeConfig::Reexec)]
		mode: ModeConfig,
	},
	/// Run the agents of a config file until SIGINT/SIGTERM.
	Run {
		/// The config file.
		#[arg(long)]
		config: PathBuf,
	},
	/// Show each configured agent locally and on chain.
	Status {
		/// The config file.
		#[arg(long)]
		config: PathBuf,
	},
	/// Write an agent's finalized state (its pages, concatenated) to a file.
	ExportState {
		/// The config file.
		#[arg(long)]
		config: PathBuf,
		/// The agent.
		#[arg(long)]
		agent: AgentId,
		/// The file to write.
		#[arg(long)]
		out: PathBuf,
	},
}

#[tokio::main]
async fn main() {
	// On a terminal the progress lines show what happens; logs then default to warnings only.
	let terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
	tracing_subscriber::fmt()
		.with_env_filter(
			tracing_subscriber::EnvFilter::try_from_default_env()
				.unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(if terminal { "warn" } else { "info" })),
		)
		.with_writer(std::io::stderr)
		.with_ansi(terminal)
		.init();
	let result = match Cli::parse().command {
		Command::Keygen { out } => keygen(out),
		Command::Register { url, program, key, owner_key, owner_suri, bond, prepaid, depth, count, mode } =>
			register(url, program, key, owner_key, owner_suri, bond, prepaid, depth, count, mode.into()).await,
		Command::Run { config } => match Config::load(&config) {
			Ok(c) => worker::run(c).await,
			Err(e) => Err(e.to_string()),
		},
		Command::Status { config } => status(config).await,
		Command::ExportState { config, agent, out } => export_state(config, agent, out),
	};
	if let Err(e) = result {
		eprintln!("prover-worker: {e}");
		std::process::exit(1);
	}
	// A proof abandoned at shutdown may still run on a blocking thread, and the runtime would
	// wait for it on the way out; everything the worker keeps is already committed to its
	// database.
	std::process::exit(0);
}

fn keygen(out: PathBuf) -> Result<(), String> {
	let pair = keys::generate_key_file(&out).map_err(|e| e.to_string())?;
	let (hex, ss58) = keys::describe(&pair);
	println!("wrote {}\npublic key: {hex}\naddress:    {ss58}", out.display());
	Ok(())
}

/// Parses an amount in UNIT with up to 12 decimals ("100", "0.5").
fn parse_amount(text: &str) -> Result<Balance, String> {
	let bad = || format!("{text:?} is not an amount in UNIT (e.g. 100 or 0.5)");
	let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
	let decimals = UNIT.ilog10() as usize;
	if frac.len() > decimals || (whole.is_empty() && frac.is_empty()) {
		return Err(bad());
	}
	let whole: Balance = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| bad())? };
	let frac: Balance = if frac.is_empty() { 0 } else { format!("{frac:0<decimals$}").parse().map_err(|_| bad())? };
	whole.checked_mul(UNIT).and_then(|w| w.checked_add(frac)).ok_or_else(bad)
}

#[allow(clippy::too_many_arguments)]
async fn register(
	url: String,
	program: String,
	key: PathBuf,
	owner_key: Option<PathBuf>,
	owner_suri: Option<String>,
	bond: String,
	prepaid: String,
	depth: Option<u8>,
	count: u32,
	mode: VerificationMode,
) -> Result<(), String> {
	let loaded = load_program(&program).map_err(|e| e.to_string())?;
	let agent_key = keys::read_key(&key).map_err(|e| e.to_string())?;
	let owner: sr25519::Pair = match (owner_key, owner_suri) {
		(Some(path), None) => keys::read_key(&path).map_err(|e| e.to_string())?,
		(None, Some(suri)) => keys::from_suri(&suri).map_err(|e| format!("--owner-suri: {e}"))?,
		_ => return Err("name the owner with --owner-key FILE or --owner-suri SURI".into()),
	};
	let depth = match (depth, program.strip_prefix(EXAMPLE_PREFIX)) {
		(Some(d), _) => d,
		(None, Some("token_ledger")) => agentic_example_agents::depth::TOKEN_LEDGER,
		(None, _) => 0,
	};
	if count == 0 {
		return Err("--count must be at least 1".into());
	}
	let (bond, prepaid) = (parse_amount(&bond)?, parse_amount(&prepaid)?);
	let chain = Chain::new(vec![url.clone()], None);
	let client = worker::connect_within(&chain, Duration::from_secs(30)).await?;
	let blob: pallet_agent_registry::ProgramSource<_> = pallet_agent_registry::ProgramSource::Blob(
		loaded.blob.try_into().map_err(|_| "the program is larger than the chain accepts".to_string())?,
	);
	let call = RuntimeCall::AgentRegistry(pallet_agent_registry::Call::register {
		program: blob,
		key: agent_key.public(),
		mode,
		state_depth: depth,
		initial_root: None,
		bond,
		prepaid,
	});
	let owner_account: AccountId = owner.public().into();
	let nonce = client.account_nonce(&owner_account).await.map_err(|e| e.to_string())?;
	// In waves of consecutive nonces (the pool drops what exceeds its limits), each
	// registration followed to finality.
	const WAVE: u32 = 64;
	let mut blocks = Vec::new();
	for wave in (0..count).step_by(WAVE as usize) {
		let watches = (wave..count.min(wave + WAVE)).map(|i| {
			let xt = client.sign(call.clone(), &owner, nonce + i);
			let client = &client;
			async move { client.submit_and_watch(&xt, Duration::from_secs(120)).await }
		});
		for done in futures::future::join_all(watches).await {
			let done = done.map_err(|e| format!("register: {e}"))?;
			if !blocks.contains(&done.in_block) {
				blocks.push(done.in_block);
			}
		}
	}
	let mut agents = Vec::new();
	let mut failures = Vec::new();
	for block in blocks {
		for event in client.events(block).await.map_err(|e| e.to_string())? {
			match event {
				RuntimeEvent::AgentRegistry(pallet_agent_registry::Event::Registered { agent, owner: o, .. })
					if o == owner_account =>
					agents.push(agent),
				RuntimeEvent::System(frame_system::Event::ExtrinsicFailed { dispatch_error, .. }) =>
					failures.push(format!("{dispatch_error:?}")),
				_ => {},
			}
		}
	}
	agents.sort();
	for agent in &agents {
		println!("registered agent {agent} (finalized)");
	}
	for agent in &agents {
		println!("\n[[agents]]\nid = {agent}\nprogram = {program:?}\nkey_file = {:?}", key.display().to_string());
		if mode == VerificationMode::Ligerito {
			println!("mode = \"ligerito\"");
		}
		println!("policy = {{ kind = \"time\", interval_ms = 2000 }}");
		println!("input = {{ kind = \"file\", path = \"agent-{agent}.inputs\" }}");
	}
	if agents.len() < count as usize {
		let mut reasons = std::collections::BTreeMap::<String, usize>::new();
		for f in failures {
			*reasons.entry(f).or_default() += 1;
		}
		let reasons: Vec<String> = reasons.into_iter().map(|(r, n)| format!("{n} x {r}")).collect();
		return Err(format!(
			"{} of {count} registrations failed: {}",
			count as usize - agents.len(),
			if reasons.is_empty() { "no Registered event".into() } else { reasons.join(", ") }
		));
	}
	Ok(())
}

async fn status(path: PathBuf) -> Result<(), String> {
	let config = Config::load(&path).map_err(|e| e.to_string())?;
	// The store is locked while the worker runs; it then keeps a status file instead.
	let local = match Store::open_existing(&config.data_dir) {
		Ok(store) => Some(store),
		Err(e) => {
			let file = config.data_dir.join(worker::STATUS_FILE);
			match std::fs::read_to_string(&file) {
				Ok(text) => println!("worker running; its last status ({}):\n{text}\n", file.display()),
				Err(_) => println!("no local state ({e})"),
			}
			None
		},
	};
	let chain = Chain::new(config.endpoints.clone(), None);
	let client = worker::connect_within(&chain, Duration::from_secs(10)).await.ok();
	for agent in &config.agents {
		print!("agent {}:", agent.id);
		if let Some(store) = &local {
			match store.agent(agent.id).map_err(|e| e.to_string())? {
				Some(r) => print!(
					" local v{} root {:?} synced at #{}, {} queued inputs, pending {}",
					r.version,
					r.root,
					r.synced_block,
					r.next_input - r.first_input,
					r.pending.as_ref().map_or("none".into(), |p| format!("seq {} -> {:?}", p.seq, p.new_root))
				),
				None => print!(" not in the local store yet"),
			}
		}
		if let Some(client) = &client {
			let fin = client.finalized_head().await.map_err(|e| e.to_string())?;
			let info: Option<AgentInfo<AccountId, BlockNumber>> =
				client.agent_api("agent", agent.id, Some(fin)).await.map_err(|e| e.to_string())?;
			match info {
				Some(i) => print!(
					"\n  chain (finalized): v{} root {:?} nonce {} {:?}",
					i.version, i.state_root, i.nonce, i.status
				),
				None => print!("\n  chain: no such agent"),
			}
		} else {
			print!("\n  chain: unreachable");
		}
		println!();
	}
	Ok(())
}

fn export_state(path: PathBuf, agent: AgentId, out: PathBuf) -> Result<(), String> {
	let config = Config::load(&path).map_err(|e| e.to_string())?;
	let store = Store::open_existing(&config.data_dir)
		.map_err(|e| format!("{e} (the worker must be stopped: it holds the database while it runs)"))?;
	let record = store.agent(agent).map_err(|e| e.to_string())?.ok_or(format!("agent {agent} is not in the store"))?;
	let state = store.state(agent).map_err(|e| e.to_string())?;
	let bytes: Vec<u8> = state.pages().iter().flat_map(|p| p.iter().copied()).collect();
	std::fs::write(&out, &bytes).map_err(|e| format!("{}: {e}", out.display()))?;
	println!(
		"wrote {} bytes ({} pages) of agent {agent} at finalized version {}, root {:?}",
		bytes.len(),
		state.pages().len(),
		record.version,
		state.root()
	);
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn amounts_parse_in_unit() {
		assert_eq!(parse_amount("100"), Ok(100 * UNIT));
		assert_eq!(parse_amount("0.5"), Ok(UNIT / 2));
		assert_eq!(parse_amount(".000000000001"), Ok(1));
		for bad in ["", ".", "1.0000000000001", "abc", "-1", "1e3"] {
			assert!(parse_amount(bad).is_err(), "{bad}");
		}
	}
}

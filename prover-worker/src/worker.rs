//! `prover-worker run`: every configured agent as its own task, plus the finalized-block
//! follower (demands for the `interaction` policy), the progress display, the status file, the
//! Prometheus endpoint and graceful shutdown on SIGINT/SIGTERM.

use crate::{
	agent::{demanded_agents, AgentError, AgentRunner, AgentView, Demand, Shared},
	chain::Chain,
	config::{Config, ModeConfig},
	keys::read_key,
	metrics::Metrics,
	program::load_program,
	store::Store,
};
use agentic_primitives::{runtime_api::SubmissionLimits, AgentId, LigeritoLimits, LIGERITO_LIMITS};
use std::{
	collections::BTreeMap,
	io::{IsTerminal, Write},
	path::{Path, PathBuf},
	sync::{Arc, Mutex},
	time::{Duration, Instant},
};
use tokio::sync::watch;

/// Name of the status snapshot the running worker keeps in its data directory.
pub const STATUS_FILE: &str = "status.json";

type Views = BTreeMap<AgentId, Arc<Mutex<AgentView>>>;

/// Runs the worker described by `config` until SIGINT/SIGTERM. Returns an error if it cannot
/// start, or if every agent stopped with an error.
pub async fn run(config: Config) -> Result<(), String> {
	let chain = Arc::new(Chain::new(config.endpoints.clone(), None));
	let client = connect_within(&chain, Duration::from_secs(60)).await?;
	let genesis = client.genesis();
	let (stop, shutdown) = watch::channel(false);
	tokio::spawn(signals(stop));
	let chain = Arc::new(Chain::new(config.endpoints.clone(), Some(genesis)).with_shutdown(shutdown.clone()));
	let store =
		Arc::new(Store::open(&config.data_dir, genesis).map_err(|e| {
			format!("{}: {e} (is another worker running with this data_dir?)", config.data_dir.display())
		})?);
	let limits: SubmissionLimits = client
		.agent_api("submission_limits", (), None)
		.await
		.map_err(|e| format!("reading the chain's limits: {e}"))?;
	// The pool holds Ligerito submissions to these whether or not new agents may register in
	// the mode (the API answers `None` then); read only when an agent proves.
	// At most one proof per two cores at once (at least one); each spreads its rounds and
	// encodings over rayon's pool of every core (feature `parallel`), so a proof in progress
	// gets all the cores the others leave.
	let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
	let provers = Arc::new(tokio::sync::Semaphore::new((cores / 2).max(1)));
	let ligerito_limits = if config.agents.iter().any(|a| a.mode == ModeConfig::Ligerito) {
		let limits: Option<LigeritoLimits> = client
			.agent_api("ligerito_limits", (), None)
			.await
			.map_err(|e| format!("reading the chain's Ligerito limits: {e}"))?;
		limits.unwrap_or_else(|| {
			tracing::warn!(
				"the chain takes no new Ligerito agents; its pool still holds submissions to the built-in limits"
			);
			LIGERITO_LIMITS
		})
	} else {
		LIGERITO_LIMITS
	};

	let metrics = match config.metrics {
		Some(addr) => {
			let registry = substrate_prometheus_endpoint::Registry::new();
			let metrics = Metrics::register(&registry).map_err(|e| format!("metrics: {e}"))?;
			tokio::spawn(async move {
				if let Err(e) = substrate_prometheus_endpoint::init_prometheus(addr, registry).await {
					tracing::error!(error = %e, %addr, "Prometheus endpoint failed");
				}
			});
			tracing::info!(%addr, "Prometheus metrics on http://{addr}/metrics");
			Some(metrics)
		},
		None => None,
	};

	let shared = Shared {
		store,
		chain: chain.clone(),
		genesis,
		limits,
		ligerito_limits,
		metrics,
		shutdown: shutdown.clone(),
		provers,
	};

	let mut demands = BTreeMap::new();
	let mut views: Views = BTreeMap::new();
	let mut tasks = Vec::new();
	for agent in &config.agents {
		let program = load_program(&agent.program).map_err(|e| format!("agent {}: {e}", agent.id))?;
		let key = read_key(&agent.key_file).map_err(|e| format!("agent {}: {e}", agent.id))?;
		let demand = Arc::new(Demand::default());
		let view = Arc::new(Mutex::new(AgentView::default()));
		demands.insert(agent.id, demand.clone());
		views.insert(agent.id, view.clone());
		let runner = match AgentRunner::start(agent.clone(), program, key, shared.clone(), demand, view.clone()).await {
			Ok(r) => r,
			Err(AgentError::ShuttingDown) => return Ok(()),
			Err(e) => return Err(format!("agent {}: {e}", agent.id)),
		};
		let id = agent.id;
		let task = tokio::spawn(async move { runner.run().await });
		tasks.push((id, view, task));
	}
	tracing::info!(agents = config.agents.len(), "running; Ctrl-C stops");
	tokio::spawn(follow_finalized(chain, demands, shutdown.clone()));
	tokio::spawn(progress(views, config.data_dir.clone(), shutdown));

	let mut failed = 0;
	for (id, view, task) in tasks.iter_mut() {
		let error = match task.await {
			Ok(Ok(())) => continue,
			Ok(Err(e)) => e.to_string(),
			Err(e) => format!("the agent's task failed: {e}"),
		};
		tracing::error!(agent = *id, error = %error, "agent stopped");
		view.lock().map(|mut v| v.stopped = Some(error)).ok();
		failed += 1;
	}
	if failed == tasks.len() && failed > 0 {
		return Err("every agent stopped with an error".into());
	}
	tracing::info!("stopped");
	Ok(())
}

/// Connects to one of the chain's endpoints within `limit`.
pub async fn connect_within(chain: &Chain, limit: Duration) -> Result<Arc<agentic_client::Client>, String> {
	let started = Instant::now();
	loop {
		match chain.try_connect().await {
			Ok(c) => return Ok(c),
			Err(e) if started.elapsed() >= limit => return Err(format!("no endpoint answers: {e}")),
			Err(_) => tokio::time::sleep(Duration::from_millis(500)).await,
		}
	}
}

async fn signals(stop: watch::Sender<bool>) {
	use tokio::signal::unix::{signal, SignalKind};
	let (Ok(mut int), Ok(mut term)) = (signal(SignalKind::interrupt()), signal(SignalKind::terminate())) else {
		tracing::error!("cannot listen for signals");
		return;
	};
	tokio::select! {
		_ = int.recv() => {},
		_ = term.recv() => {},
	}
	tracing::info!("shutting down: finishing the current step of every agent");
	let _ = stop.send(true);
}

/// Follows finalized blocks and raises demands of agents whose state another agent read.
async fn follow_finalized(
	chain: Arc<Chain>,
	demands: BTreeMap<AgentId, Arc<Demand>>,
	mut shutdown: watch::Receiver<bool>,
) {
	loop {
		let Ok(client) = chain.client().await else { return };
		let mut heads = match client.subscribe_heads(true).await {
			Ok(s) => s,
			Err(_) => {
				chain.failed(&client).await;
				tokio::time::sleep(Duration::from_secs(1)).await;
				continue;
			},
		};
		loop {
			let head = tokio::select! {
				h = heads.next() => h,
				_ = shutdown.changed() => return,
			};
			let Some(Ok(header)) = head else {
				chain.failed(&client).await;
				break;
			};
			let Ok(Some(hash)) = client.block_hash(header.number).await else { continue };
			let Ok(events) = client.events(hash).await else { continue };
			for agent in demanded_agents(&events) {
				if let Some(d) = demands.get(&agent) {
					d.raise();
				}
			}
		}
	}
}

/// Redraws one line per agent on a terminal every second (logs a summary every 10 s
/// otherwise) and keeps the status file current.
async fn progress(views: Views, data_dir: PathBuf, mut shutdown: watch::Receiver<bool>) {
	let terminal = std::io::stderr().is_terminal();
	let mut drawn = 0usize;
	let mut ticks = 0u64;
	let started = Instant::now();
	loop {
		tokio::select! {
			_ = tokio::time::sleep(Duration::from_secs(1)) => {},
			_ = shutdown.changed() => {},
		}
		ticks += 1;
		let snapshot: BTreeMap<AgentId, AgentView> =
			views.iter().map(|(id, v)| (*id, v.lock().map(|v| v.clone()).unwrap_or_default())).collect();
		write_status(&data_dir, &snapshot);
		let lines: Vec<String> = snapshot.iter().map(|(id, v)| progress_line(*id, v, started.elapsed())).collect();
		if terminal && lines.len() <= 40 {
			let mut err = std::io::stderr().lock();
			if drawn > 0 {
				let _ = write!(err, "\x1b[{drawn}A");
			}
			for line in &lines {
				let _ = writeln!(err, "\x1b[2K{line}");
			}
			drawn = lines.len();
		} else if ticks % 10 == 0 {
			for line in &lines {
				tracing::info!("{line}");
			}
		}
		if *shutdown.borrow() {
			return;
		}
	}
}

fn progress_line(id: AgentId, v: &AgentView, elapsed: Duration) -> String {
	let rate = v.steps as f64 / elapsed.as_secs_f64().max(1e-3);
	let pending = v.pending.map_or("-".to_string(), |s| format!("#{s}"));
	let state = v.stopped.as_deref().map_or(v.last.as_str(), |e| e);
	format!(
		"agent {id:>4}: {:>10} steps ({rate:>9.0}/s)  queued {:>5}  pending {pending:>6}  finalized v{:<6} {state}",
		v.steps, v.queued, v.version
	)
}

fn write_status(data_dir: &Path, snapshot: &BTreeMap<AgentId, AgentView>) {
	let agents: Vec<serde_json::Value> = snapshot
		.iter()
		.map(|(id, v)| {
			serde_json::json!({
				"agent": id, "steps": v.steps, "queued": v.queued, "pending": v.pending,
				"finalized_version": v.version, "last": v.last, "stopped": v.stopped,
			})
		})
		.collect();
	let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
	let doc = serde_json::json!({ "updated_unix": now, "pid": std::process::id(), "agents": agents });
	let tmp = data_dir.join(format!("{STATUS_FILE}.tmp"));
	if std::fs::write(&tmp, doc.to_string()).is_ok() {
		let _ = std::fs::rename(tmp, data_dir.join(STATUS_FILE));
	}
}

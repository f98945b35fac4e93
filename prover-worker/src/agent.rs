//! One agent's life in the worker: read inputs, execute, submit by policy, follow to finality,
//! reconcile with the chain.
//!
//! Each configured agent runs as its own task ([`AgentRunner::run`]) with its own source,
//! policy and key; agents share only the store, the chain connection and the metrics.
//!
//! The runner keeps two states in memory: `base`, the state the chain has finalized (the one
//! in the store), and `tip`, `base` plus the pending transition plus every input executed
//! since. One transition is in flight at a time: it is built from the queued inputs over
//! `base`, checked with the runtime's verifier, signed, stored as pending, and sent; inputs
//! keep executing into `tip` meanwhile and form the next batch. When the chain's finalized
//! state is the pending transition's new root, the store advances `base`.
//!
//! Whenever the chain's answer is not the expected one (a lost connection, a refusal, a
//! transition found neither accepted nor rejected), the runner reconciles with the chain's
//! finalized state: a pending transition is finalized locally, resent byte for byte, waited
//! for, or dropped (its inputs stay queued) depending on the agent's finalized root, version and
//! nonce; if the chain's root is one this worker did not produce, it replays the accepted
//! transitions found in the finalized blocks since its last sync (re-executing their inputs,
//! which the re-execution evidence carries) to catch up.

use crate::{
	chain::{is_connection_error, Chain},
	config::AgentConfig,
	inputs::InputSource,
	metrics::Metrics,
	policy::{Batch, Decision, Policy},
	program::LoadedProgram,
	store::{AgentRecord, Pending, Store, StoreError},
};
use agentic_client::{Client, Error as ClientError, TxStatus};
use agentic_primitives::{
	runtime_api::SubmissionLimits,
	state::{empty_root, StateTree},
	AgentId, AgentInfo, AgentStatus, Evidence, Inputs, SignedSubmission, TimeRead, VerificationMode,
};
use agentic_runtime::{AccountId, BlockNumber, RuntimeCall, RuntimeEvent, UncheckedExtrinsic};
use agentic_verifier::{exec, reexec::build_evidence, Claim};
use codec::Encode;
use pallet_agent_submissions::Event as SubmissionEvent;
use sp_core::{sr25519, Pair, H256};
use std::{
	collections::BTreeSet,
	sync::{
		atomic::{AtomicU32, Ordering},
		Arc, Mutex,
	},
	time::{Duration, Instant},
};
use tokio::sync::watch;

/// How often a runner looks at its source and its transition.
const TICK: Duration = Duration::from_millis(50);
/// Most inputs read from a source per tick.
const MAX_INPUTS_PER_POLL: usize = 256;
/// How long a sent transition may take to be finalized before the runner reconciles.
const FINALITY_TIMEOUT: Duration = Duration::from_secs(60);

type Info = AgentInfo<AccountId, BlockNumber>;

/// Why an agent stopped.
#[derive(Debug, thiserror::Error)]
pub enum AgentError {
	/// The store failed.
	#[error(transparent)]
	Store(#[from] StoreError),
	/// The chain has no such agent, or it is not the one configured.
	#[error("{0}")]
	Mismatch(String),
	/// The chain rejected (and slashed) a transition the local verifier accepted: the agent is
	/// halted rather than risk another slash.
	#[error("the chain rejected transition {seq} ({reason}); halted to avoid further slashing")]
	Rejected {
		/// The transition.
		seq: u64,
		/// The chain's reason.
		reason: String,
	},
	/// The local state cannot be brought to the chain's.
	#[error("cannot follow the chain: {0}")]
	Diverged(String),
}

/// What the progress display shows of an agent.
#[derive(Clone, Debug, Default)]
pub struct AgentView {
	/// Steps executed since the worker started.
	pub steps: u64,
	/// Inputs stored and not yet finalized.
	pub queued: u64,
	/// Seq of the transition in flight.
	pub pending: Option<u64>,
	/// Finalized version.
	pub version: u64,
	/// Last thing that happened.
	pub last: String,
	/// Set when the agent stopped.
	pub stopped: Option<String>,
}

/// Counts requests by other agents for this agent's state (see the `interaction` policy).
#[derive(Default)]
pub struct Demand(AtomicU32);

impl Demand {
	/// Records one request.
	pub fn raise(&self) {
		self.0.fetch_add(1, Ordering::Relaxed);
	}
	fn take(&self) -> u32 {
		self.0.swap(0, Ordering::Relaxed)
	}
	fn peek(&self) -> u32 {
		self.0.load(Ordering::Relaxed)
	}
}

/// Everything a runner shares with the rest of the worker.
#[derive(Clone)]
pub struct Shared {
	/// The store.
	pub store: Arc<Store>,
	/// The chain.
	pub chain: Arc<Chain>,
	/// The chain's genesis hash (what submissions are signed for).
	pub genesis: H256,
	/// The chain's submission limits.
	pub limits: SubmissionLimits,
	/// Metrics, if enabled.
	pub metrics: Option<Metrics>,
	/// Becomes `true` when the worker shuts down.
	pub shutdown: watch::Receiver<bool>,
}

/// The executed, unsubmitted inputs.
#[derive(Default)]
struct Accumulated {
	/// Inputs with ids below this are executed into `tip`.
	upto: u64,
	/// First id of the batch (after the pending transition's inputs).
	from: u64,
	inputs: u32,
	steps: u64,
	pages: BTreeSet<u32>,
	started: Option<Instant>,
	/// The batch cannot take the next input: cut it whatever the policy says.
	full: bool,
}

/// A sent transition being followed.
struct InFlight {
	built: Instant,
	outcome: tokio::task::JoinHandle<Followed>,
}

/// How following a sent transaction ended.
enum Followed {
	/// Its block was finalized.
	Finalized { in_block: H256 },
	/// The pool refused it.
	Refused(agentic_client::PoolRefusal),
	/// The watch ended otherwise (connection lost, dropped, timeout).
	Lost(String),
}

/// One agent's runner.
pub struct AgentRunner {
	id: AgentId,
	label: String,
	config: AgentConfig,
	program: LoadedProgram,
	key: sr25519::Pair,
	source: InputSource,
	shared: Shared,
	demand: Arc<Demand>,
	view: Arc<Mutex<AgentView>>,
	record: AgentRecord,
	base: StateTree,
	tip: StateTree,
	batch: Accumulated,
	in_flight: Option<InFlight>,
	/// The next `seq` to use, as last read from the chain.
	next_seq: u64,
	/// Do not send before this (backoff after a failure).
	quiet_until: Instant,
}

impl AgentRunner {
	/// Prepares agent `config.id`: checks it against the chain, opens or creates its store
	/// record and brings the local state to the chain's finalized one.
	pub async fn start(
		config: AgentConfig,
		program: LoadedProgram,
		key: sr25519::Pair,
		shared: Shared,
		demand: Arc<Demand>,
		view: Arc<Mutex<AgentView>>,
	) -> Result<Self, AgentError> {
		let id = config.id;
		let source = config.input.open().map_err(AgentError::Mismatch)?;
		let program_hash = H256(agentic_primitives::blake2_256(&program.blob));
		let client = shared.chain.client().await;
		let (fin_hash, _) = finalized(&shared.chain, &client).await;
		let info = agent_at(&shared.chain, &client, id, Some(fin_hash)).await?;
		if info.program_hash != program_hash {
			return Err(AgentError::Mismatch(format!(
				"agent {id} runs program {:?} on chain, not the configured {} ({program_hash:?})",
				info.program_hash, config.program
			)));
		}
		if info.key != key.public() {
			return Err(AgentError::Mismatch(format!(
				"agent {id} is signed for by {:?} on chain; the key in {} is {:?}",
				info.key,
				config.key_file.display(),
				key.public()
			)));
		}
		if info.mode != VerificationMode::Reexec {
			return Err(AgentError::Mismatch(format!("agent {id} is registered in mode {:?}", info.mode)));
		}
		let record = match shared.store.agent(id)? {
			Some(r) if r.program_hash == program_hash && r.depth == info.state_depth => r,
			Some(_) => {
				return Err(AgentError::Mismatch(format!(
					"the store holds agent {id} with another program or depth; use another data_dir"
				)))
			},
			None => {
				// A new agent for this store: its state is known if it is still the empty state it
				// was registered with; otherwise replay the chain's history from registration.
				let empty = empty_root(info.state_depth);
				let record = AgentRecord {
					program_hash,
					depth: info.state_depth,
					root: empty,
					version: 0,
					synced_block: info.registered_at.saturating_sub(1),
					first_input: 0,
					next_input: 0,
					cursor: 0,
					pending: None,
				};
				shared.store.reset_agent(id, &record, &[])?;
				record
			},
		};
		let base = shared.store.state(id)?;
		let mut runner = AgentRunner {
			id,
			label: id.to_string(),
			source,
			tip: base.clone(),
			base,
			batch: Accumulated { upto: record.first_input, from: record.first_input, ..Default::default() },
			record,
			config,
			program,
			key,
			shared,
			demand,
			view,
			in_flight: None,
			next_seq: info.nonce,
			quiet_until: Instant::now(),
		};
		runner.reconcile().await?;
		runner.note(format!("ready at version {}", runner.record.version));
		Ok(runner)
	}

	/// Runs until shutdown or a fatal error.
	pub async fn run(mut self) -> Result<(), AgentError> {
		let mut shutdown = self.shared.shutdown.clone();
		let result = loop {
			if *shutdown.borrow() {
				break Ok(());
			}
			if let Err(e) = self.tick().await {
				break Err(e);
			}
			tokio::select! {
				_ = tokio::time::sleep(TICK) => {},
				_ = shutdown.changed() => {},
			}
		};
		if let Some(f) = self.in_flight.take() {
			f.outcome.abort();
		}
		if let Err(e) = &result {
			self.view.lock().map(|mut v| v.stopped = Some(e.to_string())).ok();
		}
		result
	}

	async fn tick(&mut self) -> Result<(), AgentError> {
		self.ingest()?;
		self.execute_queued()?;
		if self.in_flight.as_ref().is_some_and(|f| f.outcome.is_finished()) {
			self.settle().await?;
		}
		if self.in_flight.is_none() && self.record.pending.is_some() && Instant::now() >= self.quiet_until {
			// Pending but not being followed (after a restart or a reconcile): resend.
			self.send().await;
		}
		if self.in_flight.is_none() && self.record.pending.is_none() && Instant::now() >= self.quiet_until {
			let batch = self.batch_view();
			let decision = if self.batch.full && batch.inputs > 0 {
				Decision::Submit("batch full")
			} else {
				self.config.policy.decide(&batch)
			};
			if let Decision::Submit(why) = decision {
				tracing::debug!(agent = self.id, why, inputs = batch.inputs, "cutting a transition");
				self.cut().await?;
			}
		}
		self.publish();
		Ok(())
	}

	fn batch_view(&self) -> Batch {
		Batch {
			inputs: self.batch.inputs,
			steps: self.batch.steps,
			pages_changed: self.batch.pages.len() as u32,
			age_ms: self.batch.started.map_or(0, |s| s.elapsed().as_millis() as u64),
			demands: if self.config.policy.wants_demands() { self.demand.peek() } else { 0 },
		}
	}

	/// Reads new inputs from the source into the store.
	fn ingest(&mut self) -> Result<(), AgentError> {
		let polled = match self.source.poll(self.record.cursor, MAX_INPUTS_PER_POLL) {
			Ok(p) => p,
			Err(e) => {
				tracing::error!(agent = self.id, error = %e, "input source");
				return Ok(());
			},
		};
		for (offset, why) in &polled.skipped {
			tracing::error!(agent = self.id, offset, why = %why, "skipped a malformed input line");
		}
		if polled.cursor == self.record.cursor {
			return Ok(());
		}
		self.record = self.shared.store.ingest(self.id, &polled.inputs, polled.cursor)?;
		if let Some(m) = &self.shared.metrics {
			m.inputs.with_label_values(&[&self.label]).inc_by(polled.inputs.len() as u64);
		}
		Ok(())
	}

	/// Executes stored inputs not yet executed into `tip`, while the batch can take them.
	fn execute_queued(&mut self) -> Result<(), AgentError> {
		if self.batch.full || self.batch.upto >= self.record.next_input {
			return Ok(());
		}
		let inputs = self.shared.store.inputs(self.id, self.batch.upto, self.record.next_input)?;
		let limits = self.shared.limits;
		let time = if self.config.reads_time { Some(now_ms()) } else { None };
		for (id, input) in inputs {
			let mut state = FullTree(&self.tip);
			let run = exec::run(&self.program.program, &mut state, &[&input], time, limits.max_steps);
			let run = match run {
				Ok(r) => r,
				Err(e) => {
					// This input fails the program as a whole on its own: it can never be part of a
					// valid transition. Drop it rather than block the agent.
					tracing::error!(agent = self.id, input = id, error = ?e, "input cannot be executed; dropped");
					self.shared.store.drop_input(self.id, id)?;
					self.batch.upto = id + 1;
					continue;
				},
			};
			let mut pages = self.batch.pages.clone();
			pages.extend(run.touched.iter().copied());
			let would_overflow = self.batch.inputs + 1 > limits.max_inputs ||
				self.batch.steps + run.steps > limits.max_steps ||
				pages.len() as u32 > limits.max_witness_pages;
			if would_overflow && self.batch.inputs > 0 {
				self.batch.full = true;
				break;
			}
			for (index, page) in &run.written {
				self.tip.set_page(*index, *page).map_err(|e| AgentError::Diverged(format!("{e:?}")))?;
			}
			self.batch.pages = pages;
			self.batch.inputs += 1;
			self.batch.steps += run.steps;
			self.batch.started.get_or_insert_with(Instant::now);
			self.batch.upto = id + 1;
			if let Some(m) = &self.shared.metrics {
				m.steps.with_label_values(&[&self.label]).inc_by(run.steps);
			}
			self.view.lock().map(|mut v| v.steps += run.steps).ok();
		}
		Ok(())
	}

	/// Builds, checks, signs and stores a transition from the batch, then sends it.
	async fn cut(&mut self) -> Result<(), AgentError> {
		let stored = self.shared.store.inputs(self.id, self.batch.from, self.batch.upto)?;
		let inputs: Vec<_> = stored.into_iter().map(|(_, i)| agentic_primitives::Input::truncate_from(i)).collect();
		let inputs = Inputs::truncate_from(inputs);
		if inputs.is_empty() {
			self.reset_batch();
			return Ok(());
		}
		let client = self.shared.chain.client().await;
		let time = if self.config.reads_time {
			match oracle_time(&client).await {
				Ok(t) => t,
				Err(e) => {
					self.connection_trouble(&client, &e).await;
					return Ok(());
				},
			}
		} else {
			None
		};
		let best = match client.header(None).await {
			Ok(h) => h.number,
			Err(e) => {
				self.connection_trouble(&client, &e).await;
				return Ok(());
			},
		};
		let built = Instant::now();
		let execution = build_evidence(
			&self.program.program,
			&self.base,
			inputs,
			time.map(|t| t.moment),
			self.shared.limits.max_steps,
		)
		.map_err(|e| AgentError::Diverged(format!("building evidence: {e:?}")))?;
		let submission = execution.submission(self.id, self.next_seq, time);
		agentic_verifier::verify(&self.program.blob, &Claim::of(&submission, self.record.depth), &submission.evidence)
			.map_err(|e| AgentError::Diverged(format!("the local verifier refuses our own transition: {e:?}")))?;
		let signature = self.key.sign(&submission.signing_payload(&self.shared.genesis));
		let seq = submission.seq;
		let new_root = submission.new_root;
		let steps = submission.steps;
		let call = RuntimeCall::AgentSubmissions(pallet_agent_submissions::Call::submit {
			signed: Box::new(SignedSubmission { submission, signature }),
		});
		let extrinsic = client.authorized(call).encode();
		let pending = Pending {
			seq,
			inputs_end: self.batch.upto,
			new_root,
			written: execution.result.written.iter().map(|(i, p)| (*i, *p)).collect(),
			extrinsic,
			built_at_block: best,
			steps,
		};
		self.record = self.shared.store.set_pending(self.id, pending)?;
		if self.config.policy.wants_demands() {
			self.demand.take();
		}
		// Every executed input is in this transition: the next batch starts empty over its new
		// state (for agents reading the time, the speculative run used another time than this).
		self.tip = execution.new_state;
		self.reset_batch();
		self.send_built(built).await;
		Ok(())
	}

	fn reexecute_after_pending(&mut self) -> Result<(), AgentError> {
		let end = self.record.pending.as_ref().map_or(self.record.first_input, |p| p.inputs_end);
		self.batch = Accumulated { upto: end, from: end, ..Default::default() };
		self.execute_queued()
	}

	/// Sends the pending transition (again).
	async fn send(&mut self) {
		self.send_built(Instant::now()).await;
		if let Some(m) = &self.shared.metrics {
			m.submissions.with_label_values(&[&self.label, "resent"]).inc();
		}
	}

	async fn send_built(&mut self, built: Instant) {
		let Some(pending) = &self.record.pending else { return };
		let bytes = pending.extrinsic.clone();
		let chain = self.shared.chain.clone();
		let metrics = self.shared.metrics.clone();
		let label = self.label.clone();
		let sent = Instant::now();
		let outcome = tokio::spawn(async move {
			let client = chain.client().await;
			let mut watch = match client.watch_bytes(bytes).await {
				Ok(w) => w,
				Err(ClientError::Refused(r)) => return Followed::Refused(r),
				Err(e) => {
					if is_connection_error(&e) {
						chain.failed(&client).await;
					}
					return Followed::Lost(e.to_string());
				},
			};
			let deadline = tokio::time::Instant::now() + FINALITY_TIMEOUT;
			let mut in_block = None;
			loop {
				let next = match tokio::time::timeout_at(deadline, watch.next()).await {
					Ok(n) => n,
					Err(_) => return Followed::Lost("not finalized in time".into()),
				};
				match next {
					Ok(TxStatus::InBlock(h)) => {
						if in_block.is_none() {
							if let Some(m) = &metrics {
								m.to_in_block.with_label_values(&[&label]).observe(sent.elapsed().as_secs_f64());
							}
						}
						in_block = Some(h);
					},
					Ok(TxStatus::Retracted) => in_block = None,
					Ok(TxStatus::Finalized(h)) => {
						if let Some(m) = &metrics {
							m.to_finalized.with_label_values(&[&label]).observe(sent.elapsed().as_secs_f64());
						}
						return Followed::Finalized { in_block: in_block.unwrap_or(h) };
					},
					Ok(_) => {},
					Err(e) => {
						if is_connection_error(&e) || !client.is_connected() {
							chain.failed(&client).await;
						}
						return Followed::Lost(e.to_string());
					},
				}
			}
		});
		if let Some(m) = &self.shared.metrics {
			m.submissions.with_label_values(&[&self.label, "sent"]).inc();
		}
		self.in_flight = Some(InFlight { built, outcome });
	}

	/// Acts on how following the transition ended.
	async fn settle(&mut self) -> Result<(), AgentError> {
		let Some(flight) = self.in_flight.take() else { return Ok(()) };
		let Some(pending) = self.record.pending.clone() else { return Ok(()) };
		let followed = flight.outcome.await.unwrap_or_else(|e| Followed::Lost(e.to_string()));
		match followed {
			Followed::Finalized { in_block } => {
				let client = self.shared.chain.client().await;
				let events = match client.events(in_block).await {
					Ok(e) => e,
					Err(e) => {
						self.connection_trouble(&client, &e).await;
						return self.reconcile().await;
					},
				};
				let number = client.header(Some(in_block)).await.map(|h| h.number).unwrap_or(pending.built_at_block);
				match outcome_in(&events, self.id, pending.seq) {
					Some(Outcome::Accepted { new_root, version }) if new_root == pending.new_root => {
						self.finalized(version, number, Some(flight.built))?;
					},
					Some(Outcome::Rejected(reason)) => return self.rejected(pending.seq, reason),
					Some(Outcome::Failed) => self.not_accepted("failed on chain (not the submission's fault)")?,
					_ => return self.reconcile().await,
				}
			},
			Followed::Refused(r) => {
				let text = format!("{} {}", r.message, r.data);
				if let Some(m) = &self.shared.metrics {
					m.submissions.with_label_values(&[&self.label, "refused"]).inc();
				}
				tracing::info!(agent = self.id, seq = pending.seq, refusal = %text, "pool refused the transition");
				if r.data.contains("Payment") || r.data.contains("pay") {
					tracing::error!(agent = self.id, "the agent's prepaid fee balance is too low: top it up (AgentFees::top_up)");
					self.quiet_until = Instant::now() + Duration::from_secs(10);
					return Ok(());
				}
				if r.code == 1013 || r.message.contains("Already") {
					// Already in the pool (sent before a restart): wait for it.
					self.quiet_until = Instant::now() + Duration::from_secs(2);
				}
				return self.reconcile().await;
			},
			Followed::Lost(why) => {
				tracing::info!(agent = self.id, seq = pending.seq, why = %why, "lost track of the transition; reconciling");
				return self.reconcile().await;
			},
		}
		Ok(())
	}

	/// The chain finalized the pending transition at `version` in block `number`.
	fn finalized(&mut self, version: u64, number: u32, built: Option<Instant>) -> Result<(), AgentError> {
		let Some(pending) = self.record.pending.clone() else { return Ok(()) };
		self.record = self.shared.store.finalize_pending(self.id, version, number)?;
		for (index, page) in &pending.written {
			self.base.set_page(*index, *page).map_err(|e| AgentError::Diverged(format!("{e:?}")))?;
		}
		if self.base.root() != self.record.root {
			return Err(AgentError::Diverged("the finalized state's root is not the transition's".into()));
		}
		self.next_seq = self.next_seq.max(pending.seq + 1);
		if let Some(m) = &self.shared.metrics {
			m.submissions.with_label_values(&[&self.label, "accepted"]).inc();
			if let Some(built) = built {
				m.execute_to_finalized.with_label_values(&[&self.label]).observe(built.elapsed().as_secs_f64());
			}
		}
		self.note(format!(
			"v{version} finalized in #{number} ({} steps{})",
			pending.steps,
			built.map(|b| format!(", {:.2} s after execution", b.elapsed().as_secs_f64())).unwrap_or_default()
		));
		let latency_ms = built.map(|b| b.elapsed().as_millis() as u64);
		tracing::info!(
			agent = self.id,
			seq = pending.seq,
			version,
			block = number,
			steps = pending.steps,
			execute_to_finalized_ms = latency_ms,
			"transition finalized"
		);
		Ok(())
	}

	/// The pending transition was processed without being accepted; its inputs go into the next.
	fn not_accepted(&mut self, why: &str) -> Result<(), AgentError> {
		let Some(pending) = self.record.pending.clone() else { return Ok(()) };
		tracing::warn!(agent = self.id, seq = pending.seq, why, "transition not accepted; its inputs will be resubmitted");
		if let Some(m) = &self.shared.metrics {
			m.submissions.with_label_values(&[&self.label, "failed"]).inc();
		}
		self.record = self.shared.store.clear_pending(self.id)?;
		self.next_seq = self.next_seq.max(pending.seq + 1);
		self.quiet_until = Instant::now() + Duration::from_secs(2);
		self.rebuild_tip()
	}

	fn rejected(&mut self, seq: u64, reason: String) -> Result<(), AgentError> {
		if let Some(m) = &self.shared.metrics {
			m.submissions.with_label_values(&[&self.label, "rejected"]).inc();
		}
		self.record = self.shared.store.clear_pending(self.id)?;
		Err(AgentError::Rejected { seq, reason })
	}

	/// Recomputes `tip` from `base` and every queued input.
	fn rebuild_tip(&mut self) -> Result<(), AgentError> {
		self.tip = self.base.clone();
		if let Some(p) = &self.record.pending {
			for (index, page) in &p.written {
				self.tip.set_page(*index, *page).map_err(|e| AgentError::Diverged(format!("{e:?}")))?;
			}
		}
		self.reexecute_after_pending()
	}

	fn reset_batch(&mut self) {
		self.batch = Accumulated { upto: self.batch.upto, from: self.batch.upto, ..Default::default() };
	}

	/// Brings the local view to the chain's finalized one (see the module docs).
	async fn reconcile(&mut self) -> Result<(), AgentError> {
		loop {
			let client = self.shared.chain.client().await;
			let (fin_hash, fin_number) = finalized(&self.shared.chain, &client).await;
			let fin = agent_at(&self.shared.chain, &client, self.id, Some(fin_hash)).await?;
			let best = agent_at(&self.shared.chain, &client, self.id, None).await?;
			if fin.status == AgentStatus::Retired {
				return Err(AgentError::Mismatch(format!("agent {} is retired", self.id)));
			}
			let pending = self.record.pending.clone();
			if fin.version == self.record.version && fin.state_root == self.record.root {
				self.record = self.shared.store.mark_synced(self.id, fin_number)?;
				match pending {
					Some(p) if fin.nonce > p.seq => {
						// Processed in a finalized block and not accepted: find out how.
						match self.find_outcome(&client, p.seq, p.built_at_block, fin_number).await {
							Some(Outcome::Rejected(reason)) => return self.rejected(p.seq, reason),
							_ => self.not_accepted("processed without being accepted")?,
						}
						self.next_seq = best.nonce.max(fin.nonce);
					},
					Some(p) if best.nonce > p.seq => {
						// In a best block, not yet finalized: wait for finality.
						self.quiet_until = Instant::now() + Duration::from_secs(1);
						self.await_finality(Duration::from_millis(500)).await;
						continue;
					},
					Some(_) => {
						// Not on chain yet: it is resent by the next tick.
						self.next_seq = best.nonce;
					},
					None => self.next_seq = best.nonce,
				}
				self.rebuild_tip_if_needed()?;
				return Ok(());
			}
			if let Some(p) = &pending {
				if fin.version == self.record.version + 1 && fin.state_root == p.new_root && fin.nonce > p.seq {
					self.finalized(fin.version, fin_number, None)?;
					self.next_seq = best.nonce;
					return Ok(());
				}
			}
			// The chain moved in a way this worker did not: replay its history.
			self.resync(&client, fin_number).await?;
		}
	}

	fn rebuild_tip_if_needed(&mut self) -> Result<(), AgentError> {
		let expected_upto = self.batch.upto;
		if self.tip.root() == self.base.root() && self.record.pending.is_none() && expected_upto == self.record.first_input
		{
			return Ok(());
		}
		self.rebuild_tip()
	}

	async fn await_finality(&self, pause: Duration) {
		tokio::time::sleep(pause).await;
	}

	/// Looks for the outcome of `seq` in finalized blocks `from..=to`.
	async fn find_outcome(&self, client: &Arc<Client>, seq: u64, from: u32, to: u32) -> Option<Outcome> {
		for n in from..=to {
			let hash = client.block_hash(n).await.ok()??;
			let events = client.events(hash).await.ok()?;
			if let Some(o) = outcome_in(&events, self.id, seq) {
				return Some(o);
			}
		}
		None
	}

	/// Replays the accepted transitions of this agent in finalized blocks after the last sync.
	async fn resync(&mut self, client: &Arc<Client>, to: u32) -> Result<(), AgentError> {
		let from = self.record.synced_block + 1;
		tracing::warn!(agent = self.id, from, to, "the chain's state is not this worker's: replaying the chain's history");
		self.note(format!("resyncing blocks {from}..={to}"));
		for n in from..=to {
			let fetched = async {
				let hash = client.block_hash(n).await?.ok_or_else(|| ClientError::Unexpected("no block".into()))?;
				let events = client.events(hash).await?;
				Ok::<_, ClientError>((hash, events))
			}
			.await;
			let (hash, events) = match fetched {
				Ok(x) => x,
				Err(e) => {
					self.connection_trouble(client, &e).await;
					return Err(AgentError::Diverged(format!("resync interrupted at block {n}: {e}")));
				},
			};
			let accepted: Vec<_> = events
				.iter()
				.filter_map(|e| match e {
					RuntimeEvent::AgentSubmissions(SubmissionEvent::TransitionAccepted {
						agent, seq, new_root, version, ..
					}) if *agent == self.id => Some((*seq, *new_root, *version)),
					_ => None,
				})
				.collect();
			if accepted.is_empty() {
				continue;
			}
			let extrinsics =
				client.block_extrinsics(hash).await.map_err(|e| AgentError::Diverged(format!("block {n}: {e}")))?;
			for (seq, new_root, version) in accepted {
				if let Some(p) = self.record.pending.clone() {
					if p.seq == seq && p.new_root == new_root {
						self.finalized(version, n, None)?;
						continue;
					}
				}
				let submission = find_submission(&extrinsics, self.id, seq)
					.ok_or_else(|| AgentError::Diverged(format!("block {n} accepted seq {seq} but does not carry it")))?;
				if submission.old_root != self.base.root() {
					return Err(AgentError::Diverged(format!(
						"block {n} moves the agent from {:?}, but the local state is {:?}",
						submission.old_root,
						self.base.root()
					)));
				}
				let Evidence::Reexec(evidence) = submission.evidence else {
					return Err(AgentError::Diverged("a transition without re-execution evidence".into()));
				};
				let execution = build_evidence(
					&self.program.program,
					&self.base,
					evidence.inputs,
					submission.time.map(|t| t.moment),
					submission.steps,
				)
				.map_err(|e| AgentError::Diverged(format!("replaying block {n}: {e:?}")))?;
				if execution.new_state.root() != new_root {
					return Err(AgentError::Diverged(format!("replaying block {n} does not reach its root")));
				}
				let written: Vec<_> = execution.result.written.into_iter().collect();
				self.record = self.shared.store.apply_foreign(self.id, &written, new_root, version, n)?;
				self.base = execution.new_state;
				tracing::info!(agent = self.id, seq, version, block = n, "replayed a transition from the chain");
			}
		}
		self.record = self.shared.store.mark_synced(self.id, to)?;
		if let Some(p) = self.record.pending.clone() {
			// Our pending transition was overtaken by others: its seq or root is spent.
			let fin = agent_at(&self.shared.chain, client, self.id, None).await?;
			if fin.nonce > p.seq || fin.state_root != self.record.root {
				self.record = self.shared.store.clear_pending(self.id)?;
			}
		}
		self.rebuild_tip()
	}

	async fn connection_trouble(&mut self, client: &Arc<Client>, e: &ClientError) {
		tracing::warn!(agent = self.id, error = %e, "chain call failed");
		if is_connection_error(e) || !client.is_connected() {
			self.shared.chain.failed(client).await;
		}
		self.quiet_until = Instant::now() + Duration::from_millis(500);
	}

	fn note(&self, what: String) {
		self.view.lock().map(|mut v| v.last = what).ok();
	}

	fn publish(&self) {
		let queued = self.record.next_input - self.record.first_input;
		self.view
			.lock()
			.map(|mut v| {
				v.queued = queued;
				v.pending = self.record.pending.as_ref().map(|p| p.seq);
				v.version = self.record.version;
			})
			.ok();
		if let Some(m) = &self.shared.metrics {
			m.queued.with_label_values(&[&self.label]).set(queued);
			m.version.with_label_values(&[&self.label]).set(self.record.version);
		}
	}
}

/// What became of a submission, from a block's events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
	/// Accepted: the agent is at `new_root`, `version`.
	Accepted {
		/// The new root.
		new_root: H256,
		/// The new version.
		version: u64,
	},
	/// Rejected and slashed, for this reason.
	Rejected(String),
	/// Not verified (not the submitter's fault); the nonce is spent.
	Failed,
}

/// The outcome of submission `seq` of `agent` among `events`.
pub fn outcome_in(events: &[RuntimeEvent], agent: AgentId, seq: u64) -> Option<Outcome> {
	events.iter().find_map(|e| match e {
		RuntimeEvent::AgentSubmissions(SubmissionEvent::TransitionAccepted {
			agent: a, seq: s, new_root, version, ..
		}) if *a == agent && *s == seq => Some(Outcome::Accepted { new_root: *new_root, version: *version }),
		RuntimeEvent::AgentSubmissions(SubmissionEvent::TransitionRejected { agent: a, seq: s, reason, .. })
			if *a == agent && *s == seq =>
			Some(Outcome::Rejected(format!("{reason:?}"))),
		RuntimeEvent::AgentSubmissions(SubmissionEvent::TransitionFailed { agent: a, seq: s, .. })
			if *a == agent && *s == seq =>
			Some(Outcome::Failed),
		_ => None,
	})
}

/// The agents whose state `events` show being read by another agent's accepted transition:
/// the demands the `interaction` policy reacts to.
pub fn demanded_agents(events: &[RuntimeEvent]) -> Vec<AgentId> {
	let mut out = Vec::new();
	for e in events {
		if let RuntimeEvent::AgentSubmissions(SubmissionEvent::TransitionAccepted { agent, depends_on, .. }) = e {
			out.extend(depends_on.iter().filter(|d| d.agent != *agent).map(|d| d.agent));
		}
	}
	out
}

/// The submission of `agent` with `seq` among a block's transactions.
fn find_submission(extrinsics: &[UncheckedExtrinsic], agent: AgentId, seq: u64) -> Option<agentic_primitives::Submission> {
	extrinsics.iter().find_map(|xt| match &xt.function {
		RuntimeCall::AgentSubmissions(pallet_agent_submissions::Call::submit { signed })
			if signed.submission.agent == agent && signed.submission.seq == seq =>
			Some(signed.submission.clone()),
		_ => None,
	})
}

/// The latest finalized block, retrying (and failing over) until the chain answers.
async fn finalized(chain: &Chain, client: &Arc<Client>) -> (H256, u32) {
	let mut client = client.clone();
	loop {
		let answer = async {
			let hash = client.finalized_head().await?;
			let number = client.header(Some(hash)).await?.number;
			Ok::<_, ClientError>((hash, number))
		}
		.await;
		match answer {
			Ok(x) => return x,
			Err(e) => {
				tracing::warn!(error = %e, "reading the finalized head");
				chain.failed(&client).await;
				tokio::time::sleep(Duration::from_millis(500)).await;
				client = chain.client().await;
			},
		}
	}
}

/// The agent's record at `at`, retrying (and failing over) while the chain does not answer.
async fn agent_at(chain: &Chain, client: &Arc<Client>, id: AgentId, at: Option<H256>) -> Result<Info, AgentError> {
	let mut client = client.clone();
	let mut tries = 0;
	loop {
		match client.agent_api::<Option<Info>>("agent", id, at).await {
			Ok(Some(info)) => return Ok(info),
			Ok(None) => return Err(AgentError::Mismatch(format!("no agent {id} on this chain"))),
			Err(e) => {
				tries += 1;
				tracing::warn!(agent = id, error = %e, "reading the agent's record");
				chain.failed(&client).await;
				if tries > 3 && at.is_some() {
					// The block may have been pruned or the node changed: read at the new head.
					return Err(AgentError::Diverged(format!("cannot read agent {id}: {e}")));
				}
				tokio::time::sleep(Duration::from_millis(500)).await;
				client = chain.client().await;
			},
		}
	}
}

/// The oracle's time at the finalized head, as a submission declares it.
async fn oracle_time(client: &Client) -> Result<Option<TimeRead>, ClientError> {
	let hash = client.finalized_head().await?;
	let number = client.header(Some(hash)).await?.number;
	let moment: Option<u64> = client.agent_api("consensus_time_at", number, Some(hash)).await?;
	Ok(moment.map(|moment| TimeRead { block: number, moment }))
}

fn now_ms() -> u64 {
	std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

/// A whole [`StateTree`] as the executor's backend.
struct FullTree<'a>(&'a StateTree);

impl exec::StateAccess for FullTree<'_> {
	fn depth(&self) -> u8 {
		self.0.depth()
	}
	fn load_page(&mut self, index: u32) -> Result<agentic_primitives::state::Page, exec::ExecError> {
		self.0.page(index).copied().ok_or(exec::ExecError::PageUnavailable(index))
	}
}

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
//! finalized state: a pending transition is finalized locally, resent byte for byte (with a
//! growing pause), waited for, or dropped (its inputs stay queued) depending on the agent's
//! finalized root, version and nonce; if the chain's root is one this worker did not produce, it
//! replays the accepted transitions found in the finalized blocks since its last sync
//! (re-executing their inputs, which the re-execution evidence carries) to catch up, and drops
//! queued inputs only if a replayed transition carries exactly them.
//!
//! An input that fails the program as a whole is dropped only once it is judged on the finalized
//! state with nothing pending; ahead of that it just stops the batch. Chain errors are retried
//! ([`AgentError::Transient`]); every wait gives way to shutdown.

use crate::{
	chain::{is_connection_error, Chain, ShuttingDown},
	config::AgentConfig,
	inputs::InputSource,
	metrics::Metrics,
	policy::{Batch, Decision, Policy},
	program::LoadedProgram,
	store::{AgentRecord, Pending, Store, StoreError},
};
use agentic_client::{Client, Error as ClientError, PoolRefusal, TxStatus};
use agentic_primitives::{
	runtime_api::SubmissionLimits,
	state::{empty_root, Page, StateTree},
	AgentId, AgentInfo, AgentStatus, Evidence, Input, Inputs, InvalidSubmission, LigeritoLimits, SignedSubmission,
	Submission, TimeRead, VerificationMode,
};
use agentic_runtime::{AccountId, BlockNumber, RuntimeCall, RuntimeEvent, UncheckedExtrinsic};
use agentic_verifier::{
	exec::{self, ExecError},
	ligerito::{self, BuildError as LigeritoBuildError, RunError},
	reexec::{build_evidence, BuildError},
	Claim, VerifyError,
};
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
/// Longest pause between two resends of the same transition.
const MAX_RESEND_PAUSE: Duration = Duration::from_secs(30);
/// Transitions in a row the pool may refuse as never valid (after the chain's limits are read
/// again and each is rebuilt) before the runner stops: the cause is then the configuration or
/// the chain, which rebuilding cannot fix (a wrong key or mode), and every rebuild of a
/// `ligerito` transition costs a proof.
const MAX_PERMANENT_REFUSALS: u32 = 3;

type Info = AgentInfo<AccountId, BlockNumber>;

/// Why an agent stopped (or, for [`AgentError::Transient`], why a step is retried).
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
	/// The chain did not answer as needed; the step is retried later.
	#[error("chain unavailable: {0}")]
	Transient(String),
	/// The worker is shutting down.
	#[error("shutting down")]
	ShuttingDown,
}

impl From<ShuttingDown> for AgentError {
	fn from(_: ShuttingDown) -> Self {
		AgentError::ShuttingDown
	}
}

impl From<ClientError> for AgentError {
	fn from(e: ClientError) -> Self {
		AgentError::Transient(e.to_string())
	}
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
	/// The chain's limits of the `Ligerito` mode.
	pub ligerito_limits: LigeritoLimits,
	/// Metrics, if enabled.
	pub metrics: Option<Metrics>,
	/// Becomes `true` when the worker shuts down.
	pub shutdown: watch::Receiver<bool>,
	/// Proofs made at once, across agents: a proof takes a core and hundreds of MB for
	/// seconds, so a worker with many `ligerito` agents proves a few at a time.
	pub provers: Arc<tokio::sync::Semaphore>,
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
	/// Execute nothing more before this batch is cut: the next input would overflow the
	/// chain's limits, or fails on a state that is not yet final.
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
	Refused(PoolRefusal),
	/// The watch ended otherwise (connection lost, dropped, timeout, shutdown).
	Lost(String),
}

/// Whether a refusal means the stored transaction can never become valid (as opposed to "not
/// now": stale, already imported, fees short, state moved).
fn permanently_invalid(r: &PoolRefusal) -> bool {
	let permanent = [
		InvalidSubmission::TooManySteps,
		InvalidSubmission::WrongMode,
		InvalidSubmission::UnknownTime,
		InvalidSubmission::ExceedsModeLimits,
		InvalidSubmission::NoInputs,
		InvalidSubmission::TimeRegressed,
	];
	r.custom_code().is_some_and(|c| permanent.iter().any(|p| *p as u8 == c))
		|| r.data.contains("bad signature")
		|| r.data.contains("too large")
		|| r.data.contains("ExhaustsResources")
}

/// The chain's submission limits narrowed to what `prover`'s mode admits.
fn narrowed(limits: SubmissionLimits, prover: &Prover) -> SubmissionLimits {
	match prover {
		Prover::Reexec => limits,
		Prover::Ligerito { mode_limits, .. } => SubmissionLimits {
			max_inputs: limits.max_inputs.min(mode_limits.max_inputs),
			max_witness_pages: limits.max_witness_pages.min(mode_limits.max_pages),
			..limits
		},
	}
}

/// How a runner evidences its transitions.
enum Prover {
	/// Re-execution evidence: the inputs and the touched pages.
	Reexec,
	/// A Ligerito validity proof, made here, of a run within `mode_limits`.
	Ligerito {
		/// The program's table (built once).
		table: Arc<ligerito::ProgramTable>,
		/// The chain's limits of the mode.
		mode_limits: LigeritoLimits,
	},
}

/// A transition built from a batch and checked with the runtime's verifier, unsigned.
struct Built {
	/// The submission, for this agent's next `seq`.
	submission: Submission,
	/// The state after it.
	new_state: StateTree,
	/// The pages it changed, with their new contents.
	written: Vec<(u32, Page)>,
}

/// Why a batch could not be built into a transition.
#[derive(Debug, thiserror::Error)]
enum BuildFailure {
	/// The run fails (re-execution's error): the input's fault.
	#[error("{0:?}")]
	Exec(BuildError),
	/// The run cannot be proven within the mode's limits (too long, too many output bytes or
	/// pages, a proof too large): the input's fault, on this state.
	#[error("cannot be proven within the mode's limits: {0}")]
	Unprovable(String),
	/// The prover or the local verifier failed on a run it should handle: not the input's
	/// fault, so the agent stops rather than drop it.
	#[error("{0}")]
	Broken(String),
	/// The worker is shutting down: the proof in progress is abandoned (nothing was stored
	/// for it; the inputs stay queued for the next start).
	#[error("shutting down")]
	ShuttingDown,
}

/// One agent's runner.
pub struct AgentRunner {
	id: AgentId,
	label: String,
	config: AgentConfig,
	program: LoadedProgram,
	/// How this agent's transitions are evidenced.
	prover: Prover,
	/// The chain's submission limits, narrowed to the mode's.
	limits: SubmissionLimits,
	key: sr25519::Pair,
	source: InputSource,
	shared: Shared,
	demand: Arc<Demand>,
	view: Arc<Mutex<AgentView>>,
	record: AgentRecord,
	/// The finalized state, shared with a proof being made of it (copied only if it changes
	/// meanwhile).
	base: Arc<StateTree>,
	tip: StateTree,
	batch: Accumulated,
	in_flight: Option<InFlight>,
	/// The next `seq` to use, as last read from the chain.
	next_seq: u64,
	/// Do not send before this (backoff after a failure).
	quiet_until: Instant,
	/// Sends of the current pending transition so far (for the resend backoff).
	sends: u32,
	/// The oracle time of the last cut, used to execute ahead (time-reading agents).
	last_time: Option<u64>,
	/// Transitions refused in a row as never valid (see [`MAX_PERMANENT_REFUSALS`]).
	permanent_refusals: u32,
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
		let (info, _) = loop {
			match finalized_agent(&shared.chain, id).await {
				Err(AgentError::Transient(e)) => {
					tracing::warn!(agent = id, error = %e, "reading the agent; retrying");
					sleep_or_shutdown(&shared.shutdown, Duration::from_secs(1)).await?;
				},
				other => break other?,
			}
		};
		if info.program_hash != program_hash {
			return Err(AgentError::Mismatch(format!(
				"agent {id} runs program {:?} on chain, not the configured {} ({program_hash:?})",
				info.program_hash, config.program
			)));
		}
		let mode = VerificationMode::from(config.mode);
		if info.mode != mode {
			return Err(AgentError::Mismatch(format!(
				"agent {id} is registered in mode {:?}, not the configured {mode:?}",
				info.mode
			)));
		}
		let prover = match mode {
			VerificationMode::Reexec => Prover::Reexec,
			VerificationMode::Ligerito => {
				let table = ligerito::program_table(&program.blob).map_err(|e| {
					AgentError::Mismatch(format!("agent {id}: the program cannot be proven in mode ligerito: {e:?}"))
				})?;
				Prover::Ligerito { table: Arc::new(table), mode_limits: shared.ligerito_limits }
			},
		};
		let limits = narrowed(shared.limits, &prover);
		let record = match shared.store.agent(id)? {
			Some(r) if r.program_hash == program_hash && r.depth == info.state_depth => r,
			Some(_) => {
				return Err(AgentError::Mismatch(format!(
					"the store holds agent {id} with another program or depth; use another data_dir"
				)))
			},
			None => {
				// New to this store. The state is rebuilt by replaying the chain's history from
				// registration; where the input source resumes must be said if the agent already
				// has history (its inputs so far must not be read again).
				let cursor = config
					.input
					.start_cursor(info.version > 0)
					.map_err(|e| AgentError::Mismatch(format!("agent {id}: {e}")))?;
				let record = AgentRecord {
					program_hash,
					depth: info.state_depth,
					root: empty_root(info.state_depth),
					version: 0,
					synced_block: info.registered_at.saturating_sub(1),
					first_input: 0,
					next_input: 0,
					cursor,
					pending: None,
				};
				shared.store.reset_agent(id, &record, &[])?;
				record
			},
		};
		let base = Arc::new(shared.store.state(id)?);
		let mut runner = AgentRunner {
			id,
			label: id.to_string(),
			source,
			tip: StateTree::clone(&base),
			base,
			batch: Accumulated { upto: record.first_input, from: record.first_input, ..Default::default() },
			record,
			config,
			program,
			prover,
			limits,
			key,
			shared,
			demand,
			view,
			in_flight: None,
			next_seq: info.nonce,
			quiet_until: Instant::now(),
			sends: 0,
			last_time: None,
			permanent_refusals: 0,
		};
		runner.rebuild_tip()?;
		loop {
			match runner.reconcile().await {
				Err(AgentError::Transient(e)) => {
					tracing::warn!(agent = id, error = %e, "reconciling with the chain; retrying");
					sleep_or_shutdown(&runner.shared.shutdown, Duration::from_secs(1)).await?;
				},
				other => break other?,
			}
		}
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
			match self.tick().await {
				Ok(()) => {},
				Err(AgentError::ShuttingDown) => break Ok(()),
				Err(AgentError::Transient(e)) => {
					tracing::warn!(agent = self.id, error = %e, "chain unavailable; retrying");
					self.quiet_until = Instant::now() + Duration::from_secs(1);
				},
				Err(e) => break Err(e),
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
		let quiet = Instant::now() < self.quiet_until;
		if self.in_flight.as_ref().is_some_and(|f| f.outcome.is_finished()) {
			self.settle().await?;
		} else if self.in_flight.is_none() && self.record.pending.is_some() && !quiet {
			// Pending but not being followed (after a restart or a reconcile): resend.
			self.send(Instant::now());
		} else if self.in_flight.is_none() && self.record.pending.is_none() && !quiet {
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

	/// The time handed to executions ahead of a cut.
	fn execution_time(&self) -> Option<u64> {
		self.config.reads_time.then(|| self.last_time.unwrap_or_else(now_ms))
	}

	/// Executes stored inputs not yet executed into `tip`, while the batch can take them.
	fn execute_queued(&mut self) -> Result<(), AgentError> {
		if self.batch.full {
			if self.batch.inputs > 0 || self.record.pending.is_some() {
				return Ok(());
			}
			// What blocked the batch can now be judged on the finalized state.
			self.batch.full = false;
		}
		if self.batch.upto >= self.record.next_input {
			return Ok(());
		}
		let inputs = self.shared.store.inputs(self.id, self.batch.upto, self.record.next_input)?;
		let limits = self.limits;
		let time = self.execution_time();
		for (id, input) in inputs {
			let run = exec::run(&self.program.program, &mut FullTree(&self.tip), &[&input], time, limits.max_steps);
			let run = match run {
				Ok(r) => r,
				Err(e) if self.batch.inputs > 0 || self.record.pending.is_some() => {
					// It may fail only because of state that is not final yet: judge it once it
					// would start a batch on the finalized state.
					tracing::debug!(agent = self.id, input = id, error = ?e, "input fails ahead of finality; waiting");
					self.batch.full = true;
					break;
				},
				Err(e) => {
					self.poison(id, &format!("{e:?}"), e == ExecError::TimeNotDeclared)?;
					continue;
				},
			};
			let mut pages = self.batch.pages.clone();
			pages.extend(run.touched.iter().copied());
			let would_overflow = self.batch.inputs + 1 > limits.max_inputs
				|| self.batch.steps + run.steps > limits.max_steps
				|| pages.len() as u32 > limits.max_witness_pages;
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

	/// Input `id` fails the program on its own, on the finalized state: it can never be part of
	/// a valid transition. It is dropped, unless the failure is a configuration error.
	fn poison(&mut self, id: u64, why: &str, time_not_declared: bool) -> Result<(), AgentError> {
		if time_not_declared && !self.config.reads_time {
			return Err(AgentError::Mismatch(format!(
				"agent {}'s program reads the consensus time: set `reads_time = true` in its config",
				self.id
			)));
		}
		tracing::error!(agent = self.id, input = id, why, "input cannot be executed on its own; dropped");
		if let Some(m) = &self.shared.metrics {
			m.submissions.with_label_values(&[&self.label, "input_dropped"]).inc();
		}
		self.shared.store.drop_input(self.id, id)?;
		if self.batch.inputs == 0 {
			self.batch.upto = self.batch.upto.max(id + 1);
			self.batch.from = self.batch.upto;
		}
		Ok(())
	}

	/// Builds, checks, signs and stores a transition from the batch, then sends it.
	async fn cut(&mut self) -> Result<(), AgentError> {
		let stored = self.shared.store.inputs(self.id, self.batch.from, self.batch.upto)?;
		if stored.is_empty() {
			self.reset_batch();
			return Ok(());
		}
		let client = self.shared.chain.client().await?;
		let time = if self.config.reads_time {
			match oracle_time(&client).await? {
				Some(t) => Some(t),
				None => {
					tracing::info!(agent = self.id, "the time oracle has no time yet; waiting");
					self.quiet_until = Instant::now() + Duration::from_secs(1);
					return Ok(());
				},
			}
		} else {
			None
		};
		let best = client.header(None).await?.number;
		let built = Instant::now();
		let mut take = stored.len().min(self.limits.max_inputs as usize);
		let execution = loop {
			let inputs =
				Inputs::truncate_from(stored[..take].iter().map(|(_, i)| Input::truncate_from(i.clone())).collect());
			match self.build(inputs, time).await {
				Ok(e) => break e,
				Err(BuildFailure::Broken(e)) => return Err(AgentError::Diverged(e)),
				Err(BuildFailure::ShuttingDown) => return Err(AgentError::ShuttingDown),
				Err(e) if take > 1 => {
					tracing::warn!(agent = self.id, inputs = take, error = ?e, "the batch does not build; cutting its first input alone");
					take = 1;
				},
				Err(e) => {
					// The first input alone fails on the finalized state with nothing pending.
					let no_time = matches!(e, BuildFailure::Exec(BuildError::Exec(ExecError::TimeNotDeclared)));
					self.poison(stored[0].0, &e.to_string(), no_time)?;
					return self.rebuild_tip();
				},
			}
		};
		let inputs_end = stored.get(take).map_or(self.batch.upto, |(id, _)| *id);
		let Built { submission, new_state, written } = execution;
		let signature = self.key.sign(&submission.signing_payload(&self.shared.genesis));
		let (seq, new_root, steps) = (submission.seq, submission.new_root, submission.steps);
		let call = RuntimeCall::AgentSubmissions(pallet_agent_submissions::Call::submit {
			signed: Box::new(SignedSubmission { submission, signature }),
		});
		let pending = Pending {
			seq,
			inputs_end,
			new_root,
			written,
			extrinsic: client.authorized(call).encode(),
			built_at_block: best,
			steps,
		};
		self.record = self.shared.store.set_pending(self.id, pending)?;
		if self.config.policy.wants_demands() {
			self.demand.take();
		}
		self.last_time = time.map(|t| t.moment);
		self.sends = 0;
		if take == stored.len() {
			// Every executed input is in it: the next batch starts empty over its new state.
			self.tip = new_state;
			self.reset_batch();
		} else {
			self.rebuild_tip()?;
		}
		self.send(built);
		Ok(())
	}

	/// Builds the transition of `inputs` on the finalized state (`base`) as the agent's next,
	/// unsigned, and checks it with the runtime's verifier: re-execution evidence, or a
	/// validity proof held to the mode's limits, made and checked on a blocking thread (it
	/// takes seconds).
	async fn build(&self, inputs: Inputs, time: Option<TimeRead>) -> Result<Built, BuildFailure> {
		let (moment, limit) = (time.map(|t| t.moment), self.limits.max_steps);
		let (agent, seq, depth) = (self.id, self.next_seq, self.record.depth);
		let refused =
			|e: VerifyError| BuildFailure::Broken(format!("the local verifier refuses our own transition: {e:?}"));
		match &self.prover {
			Prover::Reexec => {
				let execution = build_evidence(&self.program.program, &self.base, inputs, moment, limit)
					.map_err(BuildFailure::Exec)?;
				let submission = execution.submission(agent, seq, time);
				agentic_verifier::verify(&self.program.blob, &Claim::of(&submission, depth), &submission.evidence)
					.map_err(refused)?;
				Ok(Built {
					submission,
					written: execution.result.written.into_iter().collect(),
					new_state: execution.new_state,
				})
			},
			Prover::Ligerito { table, mode_limits } => {
				let input_bytes: usize = inputs.iter().map(|i| i.len()).sum();
				if input_bytes > mode_limits.max_input_bytes as usize {
					return Err(BuildFailure::Unprovable(format!(
						"{input_bytes} input bytes, more than the mode's {}",
						mode_limits.max_input_bytes
					)));
				}
				let permit = self.shared.provers.clone().acquire_owned().await;
				let permit = permit.map_err(|_| BuildFailure::Broken("the prover pool is closed".into()))?;
				let (table, base, mode_limits) = (table.clone(), self.base.clone(), *mode_limits);
				tracing::info!(agent, seq, "proving a transition");
				let proving = tokio::task::spawn_blocking(move || {
					let _permit = permit;
					let execution =
						ligerito::build_evidence(&table, &base, inputs, moment, limit).map_err(|e| match e {
							LigeritoBuildError::Run(RunError::Unprovable | RunError::BadClaim)
							| LigeritoBuildError::TooLarge(_)
							| LigeritoBuildError::StacksTooLarge(_) => BuildFailure::Unprovable(format!("{e:?}")),
							e => BuildFailure::Broken(format!("the prover failed: {e:?}")),
						})?;
					if !mode_limits.admits(&execution.evidence) {
						return Err(BuildFailure::Unprovable("the run's outputs or pages are beyond them".into()));
					}
					let submission = execution.submission(agent, seq, time);
					let evidence = match &submission.evidence {
						Evidence::Ligerito(evidence) => evidence,
						Evidence::Reexec(_) => return Err(BuildFailure::Broken("the prover made no proof".into())),
					};
					ligerito::verify_with_table(&table, &Claim::of(&submission, depth), evidence).map_err(refused)?;
					let written = evidence.written.iter().map(|p| (p.index, p.data)).collect();
					Ok(Built { submission, written, new_state: execution.new_state })
				});
				// A proof takes seconds to minutes: shutdown does not wait for it. The blocking
				// thread finishes on its own (or dies with the process); its result is dropped.
				let mut shutdown = self.shared.shutdown.clone();
				tokio::select! {
					joined = proving =>
						joined.map_err(|e| BuildFailure::Broken(format!("the prover's thread failed: {e}")))?,
					_ = shutdown.wait_for(|stop| *stop) => {
						tracing::info!(agent, seq, "shutting down: the proof in progress is abandoned");
						Err(BuildFailure::ShuttingDown)
					},
				}
			},
		}
	}

	/// Sends the pending transition and follows it in a task of its own.
	fn send(&mut self, built: Instant) {
		let Some(pending) = &self.record.pending else { return };
		let bytes = pending.extrinsic.clone();
		let chain = self.shared.chain.clone();
		let metrics = self.shared.metrics.clone();
		let label = self.label.clone();
		let outcome = tokio::spawn(async move {
			let sent = Instant::now();
			let Ok(client) = chain.client().await else { return Followed::Lost("shutting down".into()) };
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
		let outcome_label = if self.sends == 0 { "sent" } else { "resent" };
		if let Some(m) = &self.shared.metrics {
			m.submissions.with_label_values(&[&self.label, outcome_label]).inc();
		}
		self.sends += 1;
		self.in_flight = Some(InFlight { built, outcome });
	}

	/// Acts on how following the transition ended.
	async fn settle(&mut self) -> Result<(), AgentError> {
		let Some(flight) = self.in_flight.take() else { return Ok(()) };
		let Some(pending) = self.record.pending.clone() else { return Ok(()) };
		let followed = flight.outcome.await.unwrap_or_else(|e| Followed::Lost(e.to_string()));
		// Whatever happens next, the same bytes are not sent again right away.
		let pause = Duration::from_millis(500).saturating_mul(1 << self.sends.min(6)).min(MAX_RESEND_PAUSE);
		self.quiet_until = Instant::now() + pause;
		match followed {
			Followed::Finalized { in_block } => {
				let client = self.shared.chain.client().await?;
				let found = async {
					let events = client.events(in_block).await?;
					let number = client.header(Some(in_block)).await?.number;
					Ok::<_, ClientError>((outcome_in(&events, self.id, pending.seq), number))
				}
				.await;
				match found {
					Ok((Some(Outcome::Accepted { new_root, version }), number)) if new_root == pending.new_root => {
						self.finalized(version, number, Some(flight.built))
					},
					Ok((Some(Outcome::Rejected(reason)), _)) => self.rejected(pending.seq, reason),
					Ok((Some(Outcome::Failed), _)) => self.not_accepted("failed on chain (not the submission's fault)"),
					Ok(_) => self.reconcile().await,
					Err(e) => {
						self.connection_trouble(&client, &e).await;
						self.reconcile().await
					},
				}
			},
			Followed::Refused(r) => {
				if let Some(m) = &self.shared.metrics {
					m.submissions.with_label_values(&[&self.label, "refused"]).inc();
				}
				tracing::info!(agent = self.id, seq = pending.seq, code = r.code, refusal = %r.data, "pool refused the transition");
				if r.data.contains("Payment") || r.data.contains("pay the fee") {
					tracing::error!(
						agent = self.id,
						"the agent's prepaid fee balance is too low: top it up (AgentFees::top_up)"
					);
					self.quiet_until = Instant::now() + Duration::from_secs(10);
					return Ok(());
				}
				self.reconcile().await?;
				if permanently_invalid(&r) && self.record.pending.as_ref().is_some_and(|p| p.seq == pending.seq) {
					// Still unspent on chain and can never become valid: build it anew, to the
					// chain's limits as they are now (a runtime upgrade may have changed them),
					// unless that keeps failing.
					self.permanent_refusals += 1;
					if self.permanent_refusals >= MAX_PERMANENT_REFUSALS {
						return Err(AgentError::Mismatch(format!(
							"the pool refused {} transitions of agent {} in a row as never valid (last: {}); \
							 check the worker's key and the agent's mode",
							self.permanent_refusals, self.id, r.data
						)));
					}
					tracing::warn!(agent = self.id, seq = pending.seq, refusal = %r.data, "the transition can never be valid; rebuilding it");
					self.record = self.shared.store.clear_pending(self.id)?;
					if let Err(e) = self.refresh_limits().await {
						tracing::warn!(agent = self.id, error = %e, "reading the chain's limits; rebuilding to the last read");
					}
					self.quiet_until = Instant::now();
					self.rebuild_tip()?;
				}
				Ok(())
			},
			Followed::Lost(why) => {
				tracing::info!(agent = self.id, seq = pending.seq, why = %why, "lost track of the transition; reconciling");
				self.reconcile().await
			},
		}
	}

	/// The chain finalized the pending transition at `version` in block `number`.
	fn finalized(&mut self, version: u64, number: u32, built: Option<Instant>) -> Result<(), AgentError> {
		let Some(pending) = self.record.pending.clone() else { return Ok(()) };
		self.record = self.shared.store.finalize_pending(self.id, version, number)?;
		let base = Arc::make_mut(&mut self.base);
		for (index, page) in &pending.written {
			base.set_page(*index, *page).map_err(|e| AgentError::Diverged(format!("{e:?}")))?;
		}
		self.permanent_refusals = 0;
		if self.base.root() != self.record.root {
			return Err(AgentError::Diverged("the finalized state's root is not the transition's".into()));
		}
		self.next_seq = self.next_seq.max(pending.seq + 1);
		self.quiet_until = Instant::now();
		let latency_ms = built.map(|b| b.elapsed().as_millis() as u64);
		if let Some(m) = &self.shared.metrics {
			m.submissions.with_label_values(&[&self.label, "accepted"]).inc();
			if let Some(ms) = latency_ms {
				m.execute_to_finalized.with_label_values(&[&self.label]).observe(ms as f64 / 1e3);
			}
		}
		self.note(format!(
			"v{version} finalized in #{number} ({} steps{})",
			pending.steps,
			latency_ms.map(|ms| format!(", {:.2} s after execution", ms as f64 / 1e3)).unwrap_or_default()
		));
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
		tracing::warn!(
			agent = self.id,
			seq = pending.seq,
			why,
			"transition not accepted; its inputs will be resubmitted"
		);
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

	/// Reads the chain's limits again (its submission limits, and the mode's for a `ligerito`
	/// agent: the pool holds submissions to the built-in ones if the API has none).
	async fn refresh_limits(&mut self) -> Result<(), AgentError> {
		let client = self.shared.chain.client().await?;
		let limits: SubmissionLimits = client.agent_api("submission_limits", (), None).await?;
		if let Prover::Ligerito { mode_limits, .. } = &mut self.prover {
			let chain: Option<LigeritoLimits> = client.agent_api("ligerito_limits", (), None).await?;
			*mode_limits = chain.unwrap_or(agentic_primitives::LIGERITO_LIMITS);
		}
		self.limits = narrowed(limits, &self.prover);
		Ok(())
	}

	/// Recomputes `tip` from `base`, the pending transition and every queued input after it.
	fn rebuild_tip(&mut self) -> Result<(), AgentError> {
		self.tip = StateTree::clone(&self.base);
		let mut end = self.record.first_input;
		if let Some(p) = &self.record.pending {
			for (index, page) in &p.written {
				self.tip.set_page(*index, *page).map_err(|e| AgentError::Diverged(format!("{e:?}")))?;
			}
			end = p.inputs_end;
		}
		self.batch = Accumulated { upto: end, from: end, ..Default::default() };
		self.execute_queued()
	}

	fn reset_batch(&mut self) {
		self.batch = Accumulated { upto: self.batch.upto, from: self.batch.upto, ..Default::default() };
	}

	/// Brings the local view to the chain's finalized one (see the module docs).
	async fn reconcile(&mut self) -> Result<(), AgentError> {
		loop {
			if *self.shared.shutdown.borrow() {
				return Err(AgentError::ShuttingDown);
			}
			let client = self.shared.chain.client().await?;
			let (fin, fin_number) = finalized_agent(&self.shared.chain, self.id).await?;
			let best = agent_at(&client, self.id, None).await?;
			if fin.status == AgentStatus::Retired {
				return Err(AgentError::Mismatch(format!("agent {} is retired", self.id)));
			}
			if best.key != self.key.public() {
				return Err(AgentError::Mismatch(format!(
					"agent {}'s key on chain is now {:?}, not the one in {}",
					self.id,
					best.key,
					self.config.key_file.display()
				)));
			}
			if fin.version < self.record.version {
				// This node is behind what this worker has seen finalized: wait, or fail over.
				tracing::warn!(
					agent = self.id,
					node = fin.version,
					local = self.record.version,
					"the node is behind; waiting"
				);
				self.shared.chain.failed(&client).await;
				sleep_or_shutdown(&self.shared.shutdown, Duration::from_secs(1)).await?;
				continue;
			}
			let pending = self.record.pending.clone();
			if fin.version == self.record.version && fin.state_root == self.record.root {
				self.record = self.shared.store.mark_synced(self.id, fin_number)?;
				match pending {
					Some(p) if fin.nonce > p.seq => {
						// Processed in a finalized block without being accepted: find out how.
						match self.find_outcome(&client, p.seq, p.built_at_block, fin_number).await? {
							Some(Outcome::Rejected(reason)) => return self.rejected(p.seq, reason),
							Some(Outcome::Failed) => {
								self.not_accepted("failed on chain (not the submission's fault)")?
							},
							_ => self.not_accepted("its seq was used by another transition")?,
						}
						self.next_seq = best.nonce.max(fin.nonce);
					},
					Some(p) if best.nonce > p.seq => {
						// In a best block, not yet finalized: wait for finality.
						sleep_or_shutdown(&self.shared.shutdown, Duration::from_millis(500)).await?;
						continue;
					},
					// Not on chain yet: resent by a later tick, after the backoff.
					Some(p) => self.next_seq = p.seq,
					None => self.next_seq = best.nonce,
				}
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
			let applied = self.resync(&client, fin_number, fin.nonce).await?;
			let now = self.record.clone();
			if applied == 0 && (now.version, now.root) != (fin.version, fin.state_root) {
				return Err(AgentError::Diverged(format!(
					"the chain holds agent {} at v{} with root {:?}, which replaying blocks up to #{fin_number} does not \
					 reach from the local v{} (registered with a non-empty initial state? restore its state first)",
					self.id, fin.version, fin.state_root, now.version
				)));
			}
		}
	}

	/// The outcome of `seq` in finalized blocks `from..=to`, if found there.
	async fn find_outcome(&self, client: &Client, seq: u64, from: u32, to: u32) -> Result<Option<Outcome>, AgentError> {
		for n in from..=to {
			let Some(hash) = client.block_hash(n).await? else { continue };
			if let Some(o) = outcome_in(&client.events(hash).await?, self.id, seq) {
				return Ok(Some(o));
			}
		}
		Ok(None)
	}

	/// Replays this agent's transitions in finalized blocks after the last sync up to `to`;
	/// returns how many it applied. `fin_nonce` is the agent's nonce at `to`.
	async fn resync(&mut self, client: &Client, to: u32, fin_nonce: u64) -> Result<usize, AgentError> {
		let from = self.record.synced_block + 1;
		tracing::warn!(
			agent = self.id,
			from,
			to,
			"the chain's state is not this worker's: replaying the chain's history"
		);
		self.note(format!("replaying blocks {from}..={to}"));
		let mut applied = 0;
		for n in from..=to {
			if *self.shared.shutdown.borrow() {
				return Err(AgentError::ShuttingDown);
			}
			let hash = client
				.block_hash(n)
				.await?
				.ok_or_else(|| AgentError::Transient(format!("the node has no block #{n}")))?;
			let events = client.events(hash).await?;
			if let Some(p) = self.record.pending.clone() {
				match outcome_in(&events, self.id, p.seq) {
					Some(Outcome::Accepted { new_root, version }) if new_root == p.new_root => {
						self.finalized(version, n, None)?;
						applied += 1;
						continue;
					},
					Some(Outcome::Rejected(reason)) => return self.rejected(p.seq, reason).map(|_| applied),
					Some(Outcome::Failed) => self.not_accepted("failed on chain (not the submission's fault)")?,
					_ => {},
				}
			}
			let accepted: Vec<_> = events
				.iter()
				.filter_map(|e| match e {
					RuntimeEvent::AgentSubmissions(SubmissionEvent::TransitionAccepted {
						agent,
						seq,
						new_root,
						version,
						..
					}) if *agent == self.id => Some((*seq, *new_root, *version)),
					_ => None,
				})
				.collect();
			if accepted.is_empty() {
				continue;
			}
			let extrinsics = client.block_extrinsics(hash).await?;
			for (seq, new_root, version) in accepted {
				let submission = find_submission(&extrinsics, self.id, seq).ok_or_else(|| {
					AgentError::Diverged(format!("block {n} accepted seq {seq} but does not carry it"))
				})?;
				self.replay(submission, new_root, version, n)?;
				applied += 1;
			}
		}
		self.record = self.shared.store.mark_synced(self.id, to)?;
		if let Some(p) = self.record.pending.clone() {
			if fin_nonce > p.seq {
				// Its seq is spent in a finalized block and it was not accepted: others moved on.
				self.not_accepted("its seq was used by another transition")?;
			}
		}
		self.rebuild_tip()?;
		Ok(applied)
	}

	/// Applies one accepted transition found on chain (not this worker's pending one).
	fn replay(
		&mut self,
		submission: agentic_primitives::Submission,
		new_root: H256,
		version: u64,
		block: u32,
	) -> Result<(), AgentError> {
		if submission.old_root != self.base.root() {
			return Err(AgentError::Diverged(format!(
				"block {block} moves the agent from {:?}, but the local state is {:?}",
				submission.old_root,
				self.base.root()
			)));
		}
		// Either mode's evidence carries the inputs; the transition is re-executed from them
		// (the chain has verified it).
		let evidence_inputs = match submission.evidence {
			Evidence::Reexec(evidence) => evidence.inputs,
			Evidence::Ligerito(evidence) => evidence.inputs,
		};
		// If its inputs are the head of this worker's queue (it sent them, and lost track), they
		// are consumed with it, in the same store transaction. A pending transition, built on
		// the root this one moved away from, can never apply any more and is dropped with it.
		let queued = self.shared.store.inputs(self.id, self.record.first_input, self.record.next_input)?;
		let consumed = (queued.len() >= evidence_inputs.len()
			&& !evidence_inputs.is_empty()
			&& queued.iter().zip(evidence_inputs.iter()).all(|((_, q), e)| q.as_slice() == e.as_slice()))
		.then(|| queued[evidence_inputs.len() - 1].0 + 1);
		let execution = build_evidence(
			&self.program.program,
			&self.base,
			evidence_inputs,
			submission.time.map(|t| t.moment),
			submission.steps,
		)
		.map_err(|e| AgentError::Diverged(format!("replaying block {block}: {e:?}")))?;
		if execution.new_state.root() != new_root {
			return Err(AgentError::Diverged(format!("replaying block {block} does not reach its root")));
		}
		let written: Vec<(u32, Page)> = execution.result.written.into_iter().collect();
		self.record = self.shared.store.apply_foreign(self.id, &written, new_root, version, block, consumed)?;
		self.base = Arc::new(execution.new_state);
		tracing::info!(
			agent = self.id,
			seq = submission.seq,
			version,
			block,
			own_inputs = consumed.is_some(),
			"replayed a transition from the chain"
		);
		Ok(())
	}

	async fn connection_trouble(&mut self, client: &Arc<Client>, e: &ClientError) {
		tracing::warn!(agent = self.id, error = %e, "chain call failed");
		if is_connection_error(e) || !client.is_connected() {
			self.shared.chain.failed(client).await;
		}
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
			agent: a,
			seq: s,
			new_root,
			version,
			..
		}) if *a == agent && *s == seq => Some(Outcome::Accepted { new_root: *new_root, version: *version }),
		RuntimeEvent::AgentSubmissions(SubmissionEvent::TransitionRejected { agent: a, seq: s, reason, .. })
			if *a == agent && *s == seq =>
		{
			Some(Outcome::Rejected(format!("{reason:?}")))
		},
		RuntimeEvent::AgentSubmissions(SubmissionEvent::TransitionFailed { agent: a, seq: s, .. })
			if *a == agent && *s == seq =>
		{
			Some(Outcome::Failed)
		},
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
fn find_submission(
	extrinsics: &[UncheckedExtrinsic],
	agent: AgentId,
	seq: u64,
) -> Option<agentic_primitives::Submission> {
	extrinsics.iter().find_map(|xt| match &xt.function {
		RuntimeCall::AgentSubmissions(pallet_agent_submissions::Call::submit { signed })
			if signed.submission.agent == agent && signed.submission.seq == seq =>
		{
			Some(signed.submission.clone())
		},
		_ => None,
	})
}

/// Sleeps `pause`, or returns early with [`AgentError::ShuttingDown`] on shutdown.
async fn sleep_or_shutdown(shutdown: &watch::Receiver<bool>, pause: Duration) -> Result<(), AgentError> {
	let mut shutdown = shutdown.clone();
	if *shutdown.borrow() {
		return Err(AgentError::ShuttingDown);
	}
	tokio::select! {
		_ = tokio::time::sleep(pause) => Ok(()),
		_ = shutdown.changed() => Err(AgentError::ShuttingDown),
	}
}

/// The agent's record at the latest finalized block, with that block's number.
async fn finalized_agent(chain: &Chain, id: AgentId) -> Result<(Info, u32), AgentError> {
	let client = chain.client().await?;
	let answer = async {
		let hash = client.finalized_head().await?;
		let number = client.header(Some(hash)).await?.number;
		Ok::<_, ClientError>((hash, number))
	}
	.await;
	let (hash, number) = match answer {
		Ok(x) => x,
		Err(e) => {
			chain.failed(&client).await;
			return Err(e.into());
		},
	};
	Ok((agent_at(&client, id, Some(hash)).await?, number))
}

/// The agent's record at `at` (the best block if `None`).
async fn agent_at(client: &Client, id: AgentId, at: Option<H256>) -> Result<Info, AgentError> {
	client
		.agent_api::<Option<Info>>("agent", id, at)
		.await?
		.ok_or_else(|| AgentError::Mismatch(format!("no agent {id} on this chain")))
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
	fn load_page(&mut self, index: u32) -> Result<Page, ExecError> {
		self.0.page(index).copied().ok_or(ExecError::PageUnavailable(index))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn refusal(code: i32, data: &str) -> PoolRefusal {
		PoolRefusal { code, message: "Invalid Transaction".into(), data: data.into() }
	}

	#[test]
	fn refusals_are_classified() {
		assert!(permanently_invalid(&refusal(1010, "Custom error: 7")), "unknown time");
		assert!(permanently_invalid(&refusal(1010, "Custom error: 11")), "time regressed");
		assert!(permanently_invalid(&refusal(1010, "Transaction has a bad signature")));
		assert!(!permanently_invalid(&refusal(1010, "Custom error: 3")), "state mismatch is not permanent");
		assert!(!permanently_invalid(&refusal(1010, "Transaction is outdated")));
		assert!(!permanently_invalid(&refusal(1013, "Transaction Already Imported")));
	}

	#[test]
	fn outcomes_and_demands_are_read_from_events() {
		use agentic_primitives::{Dependency, RejectionReason};
		let accepted = RuntimeEvent::AgentSubmissions(SubmissionEvent::TransitionAccepted {
			agent: 4,
			seq: 9,
			old_root: H256::zero(),
			new_root: H256::repeat_byte(1),
			version: 3,
			steps: 10,
			fee: 1,
			depends_on: vec![Dependency { agent: 2, version: 5 }, Dependency { agent: 4, version: 2 }]
				.try_into()
				.unwrap(),
		});
		let rejected = RuntimeEvent::AgentSubmissions(SubmissionEvent::TransitionRejected {
			agent: 5,
			seq: 1,
			reason: RejectionReason::NewRootMismatch,
			fee: 1,
			slashed: 2,
		});
		let events = vec![accepted, rejected];
		assert_eq!(outcome_in(&events, 4, 9), Some(Outcome::Accepted { new_root: H256::repeat_byte(1), version: 3 }));
		assert_eq!(outcome_in(&events, 4, 8), None);
		assert!(matches!(outcome_in(&events, 5, 1), Some(Outcome::Rejected(_))));
		assert_eq!(demanded_agents(&events), vec![2], "an agent depending on itself is no demand");
	}
}

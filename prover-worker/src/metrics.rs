//! Prometheus metrics of the worker (all labelled by `agent`).
//!
//! | metric | kind | meaning |
//! | --- | --- | --- |
//! | `agentic_worker_steps_total` | counter | PolkaVM steps executed (speculatively, per input) |
//! | `agentic_worker_inputs_total` | counter | inputs read from the agent's source |
//! | `agentic_worker_submissions_total{outcome}` | counter | transitions by outcome: `sent`, `accepted`, `rejected`, `failed`, `refused`, `resent`; `input_dropped` counts inputs that can never execute |
//! | `agentic_worker_submit_to_in_block_seconds` | histogram | from sending to the first best block including it |
//! | `agentic_worker_submit_to_finalized_seconds` | histogram | from sending to GRANDPA finality of its block |
//! | `agentic_worker_execute_to_finalized_seconds` | histogram | from building the transition (executing its inputs) to finality |
//! | `agentic_worker_queued_inputs` | gauge | inputs stored and not yet in a finalized transition |
//! | `agentic_worker_finalized_version` | gauge | the agent's finalized version |

use substrate_prometheus_endpoint::{
	exponential_buckets, register, CounterVec, GaugeVec, HistogramOpts, HistogramVec, Opts, PrometheusError, Registry,
	U64,
};

/// The worker's metrics.
#[derive(Clone)]
pub struct Metrics {
	/// Steps executed.
	pub steps: CounterVec<U64>,
	/// Inputs read.
	pub inputs: CounterVec<U64>,
	/// Transitions by outcome.
	pub submissions: CounterVec<U64>,
	/// Send to in-block latency.
	pub to_in_block: HistogramVec,
	/// Send to finalized latency.
	pub to_finalized: HistogramVec,
	/// Build to finalized latency.
	pub execute_to_finalized: HistogramVec,
	/// Queue length.
	pub queued: GaugeVec<U64>,
	/// Finalized version.
	pub version: GaugeVec<U64>,
}

impl Metrics {
	/// Creates the metrics in `registry`.
	pub fn register(registry: &Registry) -> Result<Self, PrometheusError> {
		let latency = |name: &str, help: &str| -> Result<HistogramVec, PrometheusError> {
			register(
				HistogramVec::new(
					HistogramOpts::new(name, help).buckets(exponential_buckets(0.05, 1.5, 16)?),
					&["agent"],
				)?,
				registry,
			)
		};
		Ok(Metrics {
			steps: register(
				CounterVec::new(Opts::new("agentic_worker_steps_total", "PolkaVM steps executed"), &["agent"])?,
				registry,
			)?,
			inputs: register(
				CounterVec::new(Opts::new("agentic_worker_inputs_total", "Inputs read from the source"), &["agent"])?,
				registry,
			)?,
			submissions: register(
				CounterVec::new(
					Opts::new("agentic_worker_submissions_total", "Transitions by outcome"),
					&["agent", "outcome"],
				)?,
				registry,
			)?,
			to_in_block: latency("agentic_worker_submit_to_in_block_seconds", "Send to first inclusion in a best block")?,
			to_finalized: latency("agentic_worker_submit_to_finalized_seconds", "Send to finality of the including block")?,
			execute_to_finalized: latency(
				"agentic_worker_execute_to_finalized_seconds",
				"Building (executing) a transition to its finality",
			)?,
			queued: register(
				GaugeVec::new(
					Opts::new("agentic_worker_queued_inputs", "Inputs not yet in a finalized transition"),
					&["agent"],
				)?,
				registry,
			)?,
			version: register(
				GaugeVec::new(Opts::new("agentic_worker_finalized_version", "The agent's finalized version"), &["agent"])?,
				registry,
			)?,
		})
	}
}

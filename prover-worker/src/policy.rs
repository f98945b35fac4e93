//! Submission policies: when an agent's executed-but-unsubmitted work becomes a submission.
//!
//! The worker executes inputs as they arrive and keeps a running [`Batch`] of what it has not
//! yet submitted. After every change it asks the agent's [`Policy`]; a `Submit` answer cuts the
//! batch into one transition. Independently of the policy, the worker cuts when the next input
//! would push the batch over the chain's limits (steps, inputs, witness pages).
//!
//! Policies are plain values implementing [`Policy`]; [`PolicyConfig`] is how the config file
//! names the built-in ones.

use serde::Deserialize;

/// What the worker has executed for an agent and not yet submitted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Batch {
	/// Inputs executed.
	pub inputs: u32,
	/// Steps they took, each run on its own (an upper bound of the batch's steps: a batch pays
	/// for loading a page once).
	pub steps: u64,
	/// Distinct state pages they changed.
	pub pages_changed: u32,
	/// Milliseconds since the oldest input of the batch was executed.
	pub age_ms: u64,
	/// Requests for this agent's state seen since the last submission (from other agents).
	pub demands: u32,
}

/// A policy's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
	/// Keep accumulating.
	Wait,
	/// Submit now, for this reason.
	Submit(&'static str),
}

/// Decides when a batch is submitted. Called only for non-empty batches.
pub trait Policy: Send + Sync {
	/// Whether to submit `batch` now.
	fn decide(&self, batch: &Batch) -> Decision;
}

/// The built-in policies, as the config file names them (`policy = { kind = "...", ... }`).
///
/// Every policy except `time` takes an optional `max_delay_ms`: a batch older than that is
/// submitted whatever else holds, so that a quiet agent's work still reaches the chain.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum PolicyConfig {
	/// Submit once the oldest unsubmitted input has waited `interval_ms`.
	Time {
		/// The interval, in milliseconds.
		interval_ms: u64,
	},
	/// Submit once the batch has taken at least `min_steps` steps.
	Steps {
		/// The threshold.
		min_steps: u64,
		/// Fallback delay.
		#[serde(default)]
		max_delay_ms: Option<u64>,
	},
	/// Submit once the batch has changed at least `min_pages` distinct state pages.
	StateChange {
		/// The threshold.
		min_pages: u32,
		/// Fallback delay.
		#[serde(default)]
		max_delay_ms: Option<u64>,
	},
	/// Submit as soon as another agent has asked for this agent's state: today, when a
	/// finalized transition of another agent declares a dependency on this one (its
	/// `depends_on`), meaning it reads this agent's state.
	Interaction {
		/// Fallback delay.
		#[serde(default)]
		max_delay_ms: Option<u64>,
	},
}

impl PolicyConfig {
	/// Checks the parameters.
	pub fn check(&self) -> Result<(), String> {
		let delay = |d: &Option<u64>| match d {
			Some(0) => Err("max_delay_ms = 0 would submit every input on its own; omit it or use a positive value".into()),
			_ => Ok(()),
		};
		match self {
			PolicyConfig::Time { interval_ms: 0 } => Err("interval_ms must be positive".into()),
			PolicyConfig::Time { .. } => Ok(()),
			PolicyConfig::Steps { min_steps: 0, .. } => Err("min_steps must be positive".into()),
			PolicyConfig::Steps { max_delay_ms, .. } => delay(max_delay_ms),
			PolicyConfig::StateChange { min_pages: 0, .. } => Err("min_pages must be positive".into()),
			PolicyConfig::StateChange { max_delay_ms, .. } => delay(max_delay_ms),
			PolicyConfig::Interaction { max_delay_ms } => delay(max_delay_ms),
		}
	}

	/// Whether this policy needs to hear of demands for the agent's state.
	pub fn wants_demands(&self) -> bool {
		matches!(self, PolicyConfig::Interaction { .. })
	}
}

fn overdue(batch: &Batch, max_delay_ms: Option<u64>) -> bool {
	max_delay_ms.is_some_and(|d| batch.age_ms >= d)
}

impl Policy for PolicyConfig {
	fn decide(&self, batch: &Batch) -> Decision {
		if batch.inputs == 0 {
			return Decision::Wait;
		}
		match *self {
			PolicyConfig::Time { interval_ms } if batch.age_ms >= interval_ms => Decision::Submit("interval elapsed"),
			PolicyConfig::Steps { min_steps, .. } if batch.steps >= min_steps => Decision::Submit("step threshold"),
			PolicyConfig::StateChange { min_pages, .. } if batch.pages_changed >= min_pages =>
				Decision::Submit("state change threshold"),
			PolicyConfig::Interaction { .. } if batch.demands > 0 => Decision::Submit("state requested"),
			PolicyConfig::Steps { max_delay_ms, .. } |
			PolicyConfig::StateChange { max_delay_ms, .. } |
			PolicyConfig::Interaction { max_delay_ms }
				if overdue(batch, max_delay_ms) =>
				Decision::Submit("max delay elapsed"),
			_ => Decision::Wait,
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn batch(inputs: u32, steps: u64, pages_changed: u32, age_ms: u64, demands: u32) -> Batch {
		Batch { inputs, steps, pages_changed, age_ms, demands }
	}

	#[test]
	fn time_policy_waits_for_the_interval() {
		let p = PolicyConfig::Time { interval_ms: 1000 };
		assert_eq!(p.decide(&batch(5, 10_000, 3, 999, 1)), Decision::Wait);
		assert!(matches!(p.decide(&batch(1, 0, 0, 1000, 0)), Decision::Submit(_)));
	}

	#[test]
	fn step_policy_counts_steps_and_falls_back_to_the_delay() {
		let p = PolicyConfig::Steps { min_steps: 5000, max_delay_ms: Some(3000) };
		assert_eq!(p.decide(&batch(3, 4999, 9, 2999, 9)), Decision::Wait);
		assert_eq!(p.decide(&batch(3, 5000, 0, 0, 0)), Decision::Submit("step threshold"));
		assert_eq!(p.decide(&batch(1, 1, 0, 3000, 0)), Decision::Submit("max delay elapsed"));
		let no_delay = PolicyConfig::Steps { min_steps: 5000, max_delay_ms: None };
		assert_eq!(no_delay.decide(&batch(1, 1, 0, u64::MAX, 0)), Decision::Wait);
	}

	#[test]
	fn state_change_policy_counts_distinct_pages() {
		let p = PolicyConfig::StateChange { min_pages: 4, max_delay_ms: None };
		assert_eq!(p.decide(&batch(100, 1 << 30, 3, 1 << 20, 5)), Decision::Wait);
		assert_eq!(p.decide(&batch(1, 0, 4, 0, 0)), Decision::Submit("state change threshold"));
	}

	#[test]
	fn interaction_policy_submits_on_demand() {
		let p = PolicyConfig::Interaction { max_delay_ms: Some(60_000) };
		assert_eq!(p.decide(&batch(10, 1 << 30, 1 << 10, 59_999, 0)), Decision::Wait);
		assert_eq!(p.decide(&batch(1, 0, 0, 0, 1)), Decision::Submit("state requested"));
		assert!(p.wants_demands());
		assert!(!PolicyConfig::Time { interval_ms: 1 }.wants_demands());
	}

	#[test]
	fn empty_batches_are_never_submitted() {
		for p in [
			PolicyConfig::Time { interval_ms: 1 },
			PolicyConfig::Steps { min_steps: 1, max_delay_ms: Some(1) },
			PolicyConfig::StateChange { min_pages: 1, max_delay_ms: Some(1) },
			PolicyConfig::Interaction { max_delay_ms: Some(1) },
		] {
			assert_eq!(p.decide(&batch(0, 1 << 40, 1 << 20, u64::MAX, 7)), Decision::Wait, "{p:?}");
		}
	}

	#[test]
	fn nonsense_parameters_are_refused() {
		assert!(PolicyConfig::Time { interval_ms: 0 }.check().is_err());
		assert!(PolicyConfig::Steps { min_steps: 0, max_delay_ms: None }.check().is_err());
		assert!(PolicyConfig::StateChange { min_pages: 1, max_delay_ms: Some(0) }.check().is_err());
		assert!(PolicyConfig::Interaction { max_delay_ms: None }.check().is_ok());
	}
}

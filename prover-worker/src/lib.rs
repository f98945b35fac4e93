//! # prover-worker
//!
//! Runs Agentic agents off-chain and submits their state transitions to the chain, whenever
//! each agent's policy says so, without losing or double-applying a transition across crashes
//! of the worker or the node.
//!
//! - [`config`]: the TOML configuration (endpoints, data directory, agents).
//! - [`keys`]: agent and owner keys in files.
//! - [`program`]: agent programs from files or the built-in examples.
//! - [`inputs`]: where inputs come from (an append-only file, or a repeating generator).
//! - [`policy`]: when a batch of executed inputs becomes a submission.
//! - [`store`]: the durable `redb` store and its crash-safety rules.
//! - [`chain`]: node endpoints with fail-over.
//! - [`agent`]: one agent's runner (execute, build evidence, verify locally, sign, submit,
//!   follow to finality, reconcile, resync).
//! - [`worker`]: the `run` command that ties them together.
//! - [`metrics`]: the Prometheus metrics.

pub mod agent;
pub mod chain;
pub mod config;
pub mod inputs;
pub mod keys;
pub mod metrics;
pub mod policy;
pub mod program;
pub mod store;
pub mod worker;

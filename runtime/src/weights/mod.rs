//! Weights of the agent pallets, generated from this runtime's benchmarks by
//! `scripts/generate-weights.sh` (frame-omni-bencher, 10 steps, 5 repeats, on the machine named
//! in each file's header). Do not edit: regenerate.

pub mod pallet_agent_fees;
pub mod pallet_agent_registry;
pub mod pallet_agent_staking;
pub mod pallet_agent_submissions;
pub mod pallet_checkpoints;
pub mod pallet_time_oracle;

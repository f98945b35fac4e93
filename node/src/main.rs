//! The Agentic node: a solo chain with Aura block authoring every second and GRANDPA finality,
//! hosting the agent pallets. `agentic-node --dev` starts a single-validator development chain.

mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
	command::run()
}

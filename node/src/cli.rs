//! Command line.

/// `agentic-node [SUBCOMMAND] [OPTIONS]`; without a subcommand, runs the node.
#[derive(Debug, clap::Parser)]
pub struct Cli {
	/// A maintenance subcommand.
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	/// Running the node.
	#[clap(flatten)]
	pub run: sc_cli::RunCmd,
}

/// Maintenance subcommands (the standard Substrate ones).
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management.
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),
	/// Build a chain specification (prefer `export-chain-spec`).
	BuildSpec(sc_cli::BuildSpecCmd),
	/// Export a chain specification.
	ExportChainSpec(sc_cli::ExportChainSpecCmd),
	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),
	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),
	/// Export the state of a block as a chain specification.
	ExportState(sc_cli::ExportStateCmd),
	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),
	/// Remove the whole chain.
	PurgeChain(sc_cli::PurgeChainCmd),
	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),
	/// Database metadata.
	ChainInfo(sc_cli::ChainInfoCmd),
}

//! Chain specifications, built from the runtime's genesis presets.

use agentic_runtime::WASM_BINARY;
use sc_service::{ChainType, Properties};

/// The chain specification type of this node.
pub type ChainSpec = sc_service::GenericChainSpec;

fn wasm() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| "the runtime's Wasm was not built (was SKIP_WASM_BUILD set?)".to_string())
}

fn properties() -> Properties {
	let mut p = Properties::new();
	p.insert("tokenSymbol".into(), "AGT".into());
	p.insert("tokenDecimals".into(), 12.into());
	p.insert("ss58Format".into(), 42.into());
	p
}

/// `--dev`: Alice alone.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("Agentic Development")
		.with_id("agentic_dev")
		.with_chain_type(ChainType::Development)
		.with_properties(properties())
		.with_genesis_config_preset_name(sp_genesis_builder::DEV_RUNTIME_PRESET)
		.build())
}

/// `--chain local`: Alice and Bob.
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("Agentic Local Testnet")
		.with_id("agentic_local")
		.with_chain_type(ChainType::Local)
		.with_properties(properties())
		.with_genesis_config_preset_name(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET)
		.build())
}

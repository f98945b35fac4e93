//! Genesis presets: `development` (one validator, Alice) and `local_testnet` (Alice and Bob).
//!
//! Both fund the well-known dev accounts, make Alice sudo, set the fee parameters, make the
//! validators the time oracle's authorities, and register a sample agent: the counter example,
//! owned by Alice and signing with Alice's sr25519 key. In the `para` flavour the validators
//! are collators (Aura only, no GRANDPA) and the parachain id is [`PARA_ID`].

use crate::{configs::default_fee_params, AccountId, Balance, RuntimeGenesisConfig, UNIT};
use agentic_example_agents as examples;
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
#[cfg(not(feature = "para"))]
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// The parachain id of the `para` presets (zombienet sets its own).
#[cfg(feature = "para")]
pub const PARA_ID: u32 = 2000;

/// What each endowed account starts with.
const ENDOWMENT: Balance = 1_000_000 * UNIT;

/// Validators' (Aura sr25519, GRANDPA ed25519) dev keys.
type Validator = (Sr25519Keyring, Ed25519Keyring);

fn testnet_genesis(validators: &[Validator], endowed: Vec<AccountId>, root: AccountId) -> Value {
	let aura: Vec<AuraId> = validators.iter().map(|(k, _)| k.public().into()).collect();
	// Authors feed the time oracle under the account of their Aura key.
	let oracle: Vec<AccountId> = validators.iter().map(|(k, _)| k.to_account_id()).collect();
	let alice = Sr25519Keyring::Alice;
	let sample_agent =
		(alice.to_account_id(), examples::counter(), alice.public(), examples::depth::COUNTER, 100 * UNIT, 10 * UNIT);
	let mut patch = build_struct_json_patch!(RuntimeGenesisConfig {
		balances: pallet_balances::GenesisConfig {
			balances: endowed.iter().cloned().map(|a| (a, ENDOWMENT)).collect::<Vec<_>>()
		},
		aura: pallet_aura::GenesisConfig { authorities: aura },
		sudo: pallet_sudo::GenesisConfig { key: Some(root) },
		agent_fees: pallet_agent_fees::GenesisConfig { params: default_fee_params() },
		time_oracle: pallet_time_oracle::GenesisConfig { authorities: oracle },
		agent_registry: pallet_agent_registry::GenesisConfig { agents: vec![sample_agent] },
	});
	#[cfg(not(feature = "para"))]
	{
		let grandpa: Vec<(GrandpaId, u64)> = validators.iter().map(|(_, k)| (k.public().into(), 1)).collect();
		let extra = build_struct_json_patch!(RuntimeGenesisConfig {
			grandpa: pallet_grandpa::GenesisConfig { authorities: grandpa },
		});
		merge(&mut patch, extra);
	}
	#[cfg(feature = "para")]
	{
		let extra = build_struct_json_patch!(RuntimeGenesisConfig {
			parachain_info: staging_parachain_info::GenesisConfig { parachain_id: PARA_ID.into() },
		});
		merge(&mut patch, extra);
	}
	patch
}

/// Adds the top-level fields of `extra` to `patch`.
fn merge(patch: &mut Value, extra: Value) {
	if let (Value::Object(patch), Value::Object(extra)) = (patch, extra) {
		patch.extend(extra);
	}
}

fn dev_accounts() -> Vec<AccountId> {
	Sr25519Keyring::iter()
		.filter(|k| k != &Sr25519Keyring::One && k != &Sr25519Keyring::Two)
		.map(|k| k.to_account_id())
		.collect()
}

/// The `development` preset: Alice alone validates.
pub fn development_config_genesis() -> Value {
	testnet_genesis(
		&[(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		dev_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
	)
}

/// The `local_testnet` preset: Alice and Bob validate.
pub fn local_config_genesis() -> Value {
	testnet_genesis(
		&[(Sr25519Keyring::Alice, Ed25519Keyring::Alice), (Sr25519Keyring::Bob, Ed25519Keyring::Bob)],
		dev_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
	)
}

/// The preset of a name, as JSON.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		_ => return None,
	};
	Some(serde_json::to_string(&patch).expect("presets serialize").into_bytes())
}

/// The presets this runtime has.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
	]
}

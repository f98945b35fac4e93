//! # Agentic runtime
//!
//! FRAME's system pallets (timestamp, Aura and GRANDPA with 1 s slots, balances, transaction
//! payment, sudo) plus Agentic's agent pallets, wired to each other through the traits in
//! `agentic_primitives::traits`:
//!
//! | pallet | index | role |
//! | --- | --- | --- |
//! | `AgentRegistry` | 10 | agents, programs, roots, versions |
//! | `AgentStaking` | 11 | bonds (holds), unbonding, slashing |
//! | `AgentFees` | 12 | fee parameters, prepaid fee balances |
//! | `TimeOracle` | 13 | consensus time, fed by block authors' timestamps |
//! | `Checkpoints` | 14 | per-block checkpoint root in the header digest |
//! | `AgentSubmissions` | 15 | authorized submissions, verification, slashing |
//!
//! Clients read everything through storage (in metadata) and the
//! `agentic_primitives::runtime_api::AgentApi` runtime API.
//!
//! ## Flavours
//!
//! - `solo` (the default): Aura + GRANDPA with 1 s slots, run by `agentic-node`.
//! - `para`: the same pallets as a cumulus parachain for `polkadot-omni-node`: GRANDPA goes,
//!   `ParachainSystem` (20), `ParachainInfo` (21) and `AuraExt` (22) come in, blocks are 6 s
//!   (one relay-chain slot; a 1 s parachain block needs six relay cores), and a checkpoint is
//!   final when the relay chain finalizes the block that includes it.

#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime`-generated code triggers this on large runtimes.
#![recursion_limit = "256"]

#[cfg(all(feature = "solo", feature = "para"))]
compile_error!(
	"features `solo` and `para` are exclusive: build the parachain with `--no-default-features --features std,para`"
);

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

// Before `apis`: its `list_benchmarks!`/`add_benchmarks!` macros are used there.
#[cfg(feature = "runtime-benchmarks")]
#[macro_use]
pub mod benchmarks;
pub mod apis;
pub mod configs;
pub mod genesis_config_presets;
pub mod weights;

use alloc::{borrow::Cow, vec::Vec};
use sp_runtime::{
	generic, impl_opaque_keys,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature,
};
use sp_version::RuntimeVersion;

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
#[cfg(any(feature = "std", test))]
pub use sp_runtime::BuildStorage;

/// Opaque types for the node, which does not need to know the runtime's calls.
pub mod opaque {
	use super::*;
	use sp_runtime::traits::Hash as HashT;
	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Block header.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Block.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Block hash.
	pub type Hash = <BlakeTwo256 as HashT>::Output;
}

#[cfg(not(feature = "para"))]
impl_opaque_keys! {
	/// The keys a validator holds.
	pub struct SessionKeys {
		/// Block authoring.
		pub aura: Aura,
		/// Finality.
		pub grandpa: Grandpa,
	}
}

#[cfg(feature = "para")]
impl_opaque_keys! {
	/// The keys a collator holds.
	pub struct SessionKeys {
		/// Block authoring.
		pub aura: Aura,
	}
}

/// The runtime's version.
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: Cow::Borrowed("agentic"),
	impl_name: Cow::Borrowed("agentic"),
	authoring_version: 1,
	spec_version: 115,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 2,
	system_version: 1,
};

/// One block per second: the checkpoint interval.
#[cfg(not(feature = "para"))]
pub const MILLI_SECS_PER_BLOCK: u64 = 1000;
/// One block per relay-chain slot (six seconds) on one core.
#[cfg(feature = "para")]
pub const MILLI_SECS_PER_BLOCK: u64 = 6000;
/// Aura's slot duration.
pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;
/// Blocks per minute.
pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
/// Blocks per hour.
pub const HOURS: BlockNumber = MINUTES * 60;

/// One token (12 decimals).
pub const UNIT: Balance = 1_000_000_000_000;
/// A thousandth of a token.
pub const MILLI_UNIT: Balance = 1_000_000_000;
/// A millionth of a token.
pub const MICRO_UNIT: Balance = 1_000_000;
/// The smallest balance an account may hold.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_UNIT;

/// Signatures of signed transactions.
pub type Signature = MultiSignature;
/// Account ids.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// Balances.
pub type Balance = u128;
/// Account nonces.
pub type Nonce = u32;
/// Block hashes.
pub type Hash = sp_core::H256;
/// Block numbers.
pub type BlockNumber = u32;
/// Transaction addresses.
pub type Address = MultiAddress<AccountId, ()>;
/// Block header.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Block.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;

/// The transaction extensions. `AuthorizeCall` comes first: it turns an agent submission (a
/// general transaction with no signer) into an authorized origin when the submission pallet's
/// `authorize` accepts it.
pub type TxExtension = (
	frame_system::AuthorizeCall<Runtime>,
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// Extrinsics as the runtime sees them.
pub type UncheckedExtrinsic = generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;
/// What a signed transaction signs.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Dispatches blocks and transactions to the pallets.
pub type Executive =
	frame_executive::Executive<Runtime, Block, frame_system::ChainContext<Runtime>, Runtime, AllPalletsWithSystem>;

// One declaration per flavour: the `runtime` macro expands every pallet it is given, even one
// behind a `cfg`, so a flavour's pallets that the other flavour does not compile stay out of
// its declaration. Indexes are shared: the agent pallets have the same index in both.
#[cfg(not(feature = "para"))]
#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;
	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;
	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;
	#[runtime::pallet_index(6)]
	pub type Sudo = pallet_sudo;

	#[runtime::pallet_index(10)]
	pub type AgentRegistry = pallet_agent_registry;
	#[runtime::pallet_index(11)]
	pub type AgentStaking = pallet_agent_staking;
	#[runtime::pallet_index(12)]
	pub type AgentFees = pallet_agent_fees;
	#[runtime::pallet_index(13)]
	pub type TimeOracle = pallet_time_oracle;
	#[runtime::pallet_index(14)]
	pub type Checkpoints = pallet_checkpoints;
	#[runtime::pallet_index(15)]
	pub type AgentSubmissions = pallet_agent_submissions;
}

#[cfg(feature = "para")]
#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(20)]
	pub type ParachainSystem = cumulus_pallet_parachain_system;
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(21)]
	pub type ParachainInfo = staging_parachain_info;
	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;
	#[runtime::pallet_index(22)]
	pub type AuraExt = cumulus_pallet_aura_ext;
	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;
	#[runtime::pallet_index(6)]
	pub type Sudo = pallet_sudo;

	#[runtime::pallet_index(10)]
	pub type AgentRegistry = pallet_agent_registry;
	#[runtime::pallet_index(11)]
	pub type AgentStaking = pallet_agent_staking;
	#[runtime::pallet_index(12)]
	pub type AgentFees = pallet_agent_fees;
	#[runtime::pallet_index(13)]
	pub type TimeOracle = pallet_time_oracle;
	#[runtime::pallet_index(14)]
	pub type Checkpoints = pallet_checkpoints;
	#[runtime::pallet_index(15)]
	pub type AgentSubmissions = pallet_agent_submissions;
}

#[cfg(feature = "para")]
cumulus_pallet_parachain_system::register_validate_block! {
	Runtime = Runtime,
	BlockExecutor = cumulus_pallet_aura_ext::BlockExecutor::<Runtime, Executive>,
}

//! Pallet configurations.

use crate::{
	AccountId, Aura, Balance, Balances, Block, BlockNumber, Hash, Nonce, PalletInfo, Runtime, RuntimeCall,
	RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason, RuntimeOrigin, RuntimeTask, System, TimeOracle,
	EXISTENTIAL_DEPOSIT, MILLI_UNIT, MINUTES, SLOT_DURATION, UNIT, VERSION,
};
use agentic_primitives::state::MAX_STATE_DEPTH;
use frame_support::{
	derive_impl,
	dispatch::DispatchClass,
	parameter_types,
	traits::{ConstBool, ConstU128, ConstU32, ConstU64, ConstU8, FindAuthor, OnTimestampSet, VariantCountOf},
	weights::{
		constants::{ParityDbWeight, WEIGHT_REF_TIME_PER_SECOND},
		IdentityFee, Weight,
	},
};
use frame_system::{
	limits::{BlockLength, BlockWeights},
	EnsureRoot,
};
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_core::crypto::ByteArray;
use sp_runtime::{traits::One, Perbill};
use sp_version::RuntimeVersion;

const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

#[cfg(not(feature = "para"))]
parameter_types! {
	/// Two fifths of the 1 s slot for execution: the author proposes within two thirds of the
	/// slot and importers must re-execute in time for the next one.
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::with_sensible_defaults(
		Weight::from_parts(WEIGHT_REF_TIME_PER_SECOND * 2 / 5, u64::MAX),
		NORMAL_DISPATCH_RATIO,
	);
}

#[cfg(feature = "para")]
parameter_types! {
	/// Two seconds of execution (what relay-chain validators allow a parachain block) and half
	/// the relay chain's largest proof of validity.
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::with_sensible_defaults(
		Weight::from_parts(
			WEIGHT_REF_TIME_PER_SECOND * 2,
			cumulus_primitives_core::relay_chain::MAX_POV_SIZE as u64 / 2,
		),
		NORMAL_DISPATCH_RATIO,
	);
}

parameter_types! {
	/// Whether agents may register in the `Ligerito` mode: yes. The pool holds Ligerito
	/// submissions to the mode's limits, the verifier bounds the proof's costliest bytes, and
	/// the weight is the benchmarks of both extreme proof shapes (docs/proof-system.md, "The
	/// worst proof shape").
	pub const LigeritoEnabled: bool = true;
}

parameter_types! {
	pub const BlockHashCount: BlockNumber = 2400;
	pub const Version: RuntimeVersion = VERSION;
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(5 * 1024 * 1024)
		.modify_max_length_for_class(DispatchClass::Normal, |max| *max = NORMAL_DISPATCH_RATIO * *max)
		.build();
	pub const SS58Prefix: u8 = 42;
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	/// The node stores its state in ParityDb.
	type DbWeight = ParityDbWeight;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
	// Both spelled out: `derive_impl` fills only items the impl does not name.
	#[cfg(not(feature = "para"))]
	type OnSetCode = ();
	#[cfg(feature = "para")]
	type OnSetCode = cumulus_pallet_parachain_system::ParachainSetCode<Self>;
}

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = ConstU32<32>;
	/// A parachain may author several blocks per slot (asynchronous backing).
	type AllowMultipleBlocksPerSlot = ConstBool<{ cfg!(feature = "para") }>;
	type SlotDuration = ConstU64<SLOT_DURATION>;
}

#[cfg(not(feature = "para"))]
impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<32>;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

/// Feeds the time oracle: each block's author reports the block's timestamp. The oracle keeps
/// the lower median of its authorities' recent reports, so one author cannot move consensus
/// time on its own.
pub struct AuthorTimeFeed;

impl OnTimestampSet<u64> for AuthorTimeFeed {
	fn on_timestamp_set(moment: u64) {
		let digest = System::digest();
		let pre_runtime = digest.logs.iter().filter_map(|d| d.as_pre_runtime());
		let Some(index) = <Aura as FindAuthor<u32>>::find_author(pre_runtime) else { return };
		let authorities = pallet_aura::Authorities::<Runtime>::get();
		let Some(author) = authorities.get(index as usize) else { return };
		let Ok(raw) = <[u8; 32]>::try_from(author.as_slice()) else { return };
		// Not every author needs to be an oracle authority; their reports are then refused.
		let _ = TimeOracle::do_report_time(AccountId::new(raw), moment);
	}
}

impl pallet_timestamp::Config for Runtime {
	type Moment = u64;
	type OnTimestampSet = (Aura, AuthorTimeFeed);
	/// Solo: half a slot. Parachain: none (slots follow the relay chain, several blocks may
	/// share one).
	type MinimumPeriod = ConstU64<
		{
			if cfg!(feature = "para") {
				0
			} else {
				SLOT_DURATION / 2
			}
		},
	>;
	type WeightInfo = ();
}

impl pallet_balances::Config for Runtime {
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ();
	type ReserveIdentifier = [u8; 8];
	type Balance = Balance;
	type RuntimeEvent = RuntimeEvent;
	type DustRemoval = ();
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type WeightInfo = pallet_balances::weights::SubstrateWeight<Runtime>;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type DoneSlashHandler = ();
}

parameter_types! {
	pub FeeMultiplier: Multiplier = Multiplier::one();
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OnChargeTransaction = FungibleAdapter<Balances, ()>;
	type OperationalFeeMultiplier = ConstU8<5>;
	type WeightToFee = IdentityFee<Balance>;
	type LengthToFee = IdentityFee<Balance>;
	type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
	type WeightInfo = pallet_transaction_payment::weights::SubstrateWeight<Runtime>;
}

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	pub const MaxProgramLen: u32 = 256 * 1024;
	pub const MaxStateDepth: u8 = MAX_STATE_DEPTH;
	pub const MinimumBond: Balance = 100 * UNIT;
	pub const SlashAmount: Balance = 10 * UNIT;
	pub const UnbondingDelay: BlockNumber = 10 * MINUTES;
	pub const MaxUnbondingChunks: u32 = 8;
	pub const MaxOracleAuthorities: u32 = 32;
	/// Reports may differ from the block's own timestamp by at most two slots.
	pub const MaxDrift: u64 = 2 * SLOT_DURATION;
	pub const ReportValidity: BlockNumber = 10;
	/// Ten minutes of consensus time history for submissions' time reads.
	pub const HistoryDepth: u32 = 10 * MINUTES;
	/// Most steps per submission: well inside a block's weight with the current weights.
	pub const MaxSteps: u64 = 2_000_000;
	pub const SubmissionPriority: u64 = u64::MAX / 2;
	pub const SubmissionLongevity: u64 = 64;
}

impl pallet_agent_registry::Config for Runtime {
	type Currency = Balances;
	type Bonds = crate::AgentStaking;
	type Fees = crate::AgentFees;
	type OnTransition = crate::Checkpoints;
	type MaxProgramLen = MaxProgramLen;
	type MaxStateDepth = MaxStateDepth;
	type LigeritoEnabled = LigeritoEnabled;
	type WeightInfo = crate::weights::pallet_agent_registry::WeightInfo<Runtime>;
}

impl pallet_agent_staking::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Agents = crate::AgentRegistry;
	type MinimumBond = MinimumBond;
	type SlashAmount = SlashAmount;
	type UnbondingDelay = UnbondingDelay;
	type MaxUnbondingChunks = MaxUnbondingChunks;
	/// Slashed bonds are burned.
	type Slashed = ();
	type WeightInfo = crate::weights::pallet_agent_staking::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::AgentBenchmarkHelper;
}

impl pallet_agent_fees::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Agents = crate::AgentRegistry;
	/// Submission fees are burned (no surge, no author tips).
	type FeeDestination = ();
	type FeeOrigin = EnsureRoot<AccountId>;
	type WeightInfo = crate::weights::pallet_agent_fees::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::AgentBenchmarkHelper;
}

impl pallet_time_oracle::Config for Runtime {
	type LocalTime = crate::Timestamp;
	type MaxAuthorities = MaxOracleAuthorities;
	type MaxDrift = MaxDrift;
	type ReportValidity = ReportValidity;
	type HistoryDepth = HistoryDepth;
	type AuthorityOrigin = EnsureRoot<AccountId>;
	type WeightInfo = crate::weights::pallet_time_oracle::WeightInfo<Runtime>;
}

impl pallet_checkpoints::Config for Runtime {
	type WeightInfo = crate::weights::pallet_checkpoints::WeightInfo<Runtime>;
}

impl pallet_agent_submissions::Config for Runtime {
	type Balance = Balance;
	type Agents = crate::AgentRegistry;
	type Bonds = crate::AgentStaking;
	type Fees = crate::AgentFees;
	type Time = crate::TimeOracle;
	type OnTransition = crate::Checkpoints;
	type MaxSteps = MaxSteps;
	type MaxProgramLen = MaxProgramLen;
	type SubmissionPriority = SubmissionPriority;
	type SubmissionLongevity = SubmissionLongevity;
	type WeightInfo = crate::weights::pallet_agent_submissions::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::AgentBenchmarkHelper;
}

/// Genesis fee parameters: 0.01 per submission, 0.0001 per step, 0.001 per KiB of evidence (the
/// design note's figures).
pub fn default_fee_params() -> agentic_primitives::FeeParams<Balance> {
	agentic_primitives::FeeParams { base: 10 * MILLI_UNIT, per_step: 100 * crate::MICRO_UNIT, per_kib: MILLI_UNIT }
}

/// The parachain's consensus pieces.
#[cfg(feature = "para")]
pub mod para {
	use super::*;

	/// Relay-chain slot length.
	pub const RELAY_CHAIN_SLOT_DURATION_MILLIS: u32 = 6000;
	/// Parachain blocks per relay-chain block (one core).
	pub const BLOCK_PROCESSING_VELOCITY: u32 = 1;
	/// Blocks authored but not yet included in the relay chain.
	pub const UNINCLUDED_SEGMENT_CAPACITY: u32 = 3;

	/// Paces authoring against the relay chain.
	pub type ConsensusHook = cumulus_pallet_aura_ext::FixedVelocityConsensusHook<
		Runtime,
		RELAY_CHAIN_SLOT_DURATION_MILLIS,
		BLOCK_PROCESSING_VELOCITY,
		UNINCLUDED_SEGMENT_CAPACITY,
	>;

	impl cumulus_pallet_parachain_system::Config for Runtime {
		type RuntimeEvent = RuntimeEvent;
		type OnSystemEvent = ();
		type SelfParaId = staging_parachain_info::Pallet<Runtime>;
		/// No cross-chain messaging: nothing is sent, and what arrives is dropped.
		type OutboundXcmpMessageSource = ();
		type DmpQueue = frame_support::traits::EnqueueWithOrigin<(), sp_core::ConstU8<0>>;
		type ReservedDmpWeight = ();
		type XcmpMessageHandler = ();
		type ReservedXcmpWeight = ();
		type CheckAssociatedRelayNumber = cumulus_pallet_parachain_system::RelayNumberMonotonicallyIncreases;
		type ConsensusHook = ConsensusHook;
		type WeightInfo = ();
		type RelayParentOffset = ConstU32<0>;
		type SchedulingSignatureVerifier = ();
	}

	impl staging_parachain_info::Config for Runtime {}

	impl cumulus_pallet_aura_ext::Config for Runtime {}
}

#[cfg(test)]
mod tests {
	use super::*;
	use agentic_primitives::{SignedSubmission, Submission};
	use codec::DecodeAll;
	use frame_support::dispatch::DispatchClass;

	/// A `Ligerito` submission (the benchmarks' checked-in one at the mode's limits), charged
	/// for the worst proof shape (the limits' benchmark and the long run's together), fits one
	/// block's normal class.
	#[test]
	fn a_ligerito_submission_fits_a_block_at_its_charged_weight() {
		let bytes = include_bytes!("../../pallets/submissions/benchmarks/ligerito_limits.scale");
		let (program, _, submission) =
			<(Vec<u8>, u8, Submission)>::decode_all(&mut &bytes[..]).expect("the benchmark fixture decodes");
		let signed = SignedSubmission { submission, signature: sp_core::sr25519::Signature::from_raw([0; 64]) };
		let charged = pallet_agent_submissions::Pallet::<Runtime>::submit_weight(&signed, program.len() as u32);
		let normal = RuntimeBlockWeights::get().get(DispatchClass::Normal).max_extrinsic;
		let normal = normal.expect("the normal class has a per-extrinsic limit");
		assert!(charged.all_lte(normal), "charged {charged:?}, the normal class allows {normal:?}");
		// And both benchmarks are in it.
		type Bench = crate::weights::pallet_agent_submissions::WeightInfo<Runtime>;
		use pallet_agent_submissions::WeightInfo;
		let at_limits = Bench::submit_ligerito().max(Bench::submit_ligerito_rejected());
		let both = at_limits.ref_time() + Bench::submit_ligerito_long_run().ref_time();
		assert!(charged.ref_time() >= both);
	}
}

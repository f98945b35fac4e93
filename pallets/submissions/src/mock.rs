//! A runtime with every Agentic pallet, wired as the chain wires them, and helpers that play
//! the prover worker: run an agent off-chain, build evidence, sign.

use crate as pallet_agent_submissions;
#[cfg(feature = "runtime-benchmarks")]
use agentic_example_agents as examples;
use agentic_primitives::{
	state::StateTree, AgentId, FeeParams, Input, Inputs, SignedSubmission, Submission, TimeRead, VerificationMode,
};
use agentic_verifier::{program::Program, reexec::build_evidence};
use core::cell::RefCell;
use frame_support::{
	derive_impl, parameter_types,
	traits::{tokens::imbalance::ResolveTo, UnixTime},
	BoundedVec,
};
use frame_system::EnsureRoot;
use sp_core::{sr25519, Pair, H256};
use sp_runtime::{testing::UintAuthorityId, BuildStorage};

/// Blocks whose extrinsics may be general transactions authorized by `AuthorizeCall`.
pub type TxExtension = (frame_system::AuthorizeCall<Test>,);
pub type Block = frame_system::mocking::MockBlock<Test, UintAuthorityId, TxExtension>;
pub type Extrinsic = frame_system::mocking::MockUncheckedExtrinsic<Test, UintAuthorityId, TxExtension>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Registry: pallet_agent_registry,
		Staking: pallet_agent_staking,
		Fees: pallet_agent_fees,
		TimeOracle: pallet_time_oracle,
		Checkpoints: pallet_checkpoints,
		Submissions: pallet_agent_submissions,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
}

pub const ALICE: u64 = 1;
pub const BOB: u64 = 2;
pub const TREASURY: u64 = 98;
pub const COLLECTOR: u64 = 99;
pub const MIN_BOND: u64 = 1_000;
pub const SLASH: u64 = 300;
pub const PREPAID: u64 = 100_000;
pub const FEES: FeeParams<u64> = FeeParams { base: 10, per_step: 1, per_kib: 5 };

parameter_types! {
	pub const MaxProgramLen: u32 = 256 * 1024;
	pub const MaxStateDepth: u8 = agentic_primitives::state::MAX_STATE_DEPTH;
	pub const MinimumBond: u64 = MIN_BOND;
	pub const SlashAmount: u64 = SLASH;
	pub const UnbondingDelay: u64 = 10;
	pub const MaxUnbondingChunks: u32 = 4;
	pub const Treasury: u64 = TREASURY;
	pub const Collector: u64 = COLLECTOR;
	pub const MaxAuthorities: u32 = 8;
	pub const MaxDrift: u64 = 1_000;
	pub const ReportValidity: u64 = 5;
	pub const HistoryDepth: u32 = 20;
	pub const MaxSteps: u64 = 5_000_000;
	pub const SubmissionPriority: u64 = 1 << 20;
	pub const SubmissionLongevity: u64 = 64;
}

impl pallet_agent_registry::Config for Test {
	type Currency = Balances;
	type Bonds = Staking;
	type Fees = Fees;
	type OnTransition = Checkpoints;
	type MaxProgramLen = MaxProgramLen;
	type MaxStateDepth = MaxStateDepth;
	type LigeritoEnabled = frame_support::traits::ConstBool<true>;
	type WeightInfo = ();
}

impl pallet_agent_staking::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Agents = Registry;
	type MinimumBond = MinimumBond;
	type SlashAmount = SlashAmount;
	type UnbondingDelay = UnbondingDelay;
	type MaxUnbondingChunks = MaxUnbondingChunks;
	type Slashed = ResolveTo<Treasury, Balances>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchHelper;
}

impl pallet_agent_fees::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Agents = Registry;
	type FeeDestination = ResolveTo<Collector, Balances>;
	type FeeOrigin = EnsureRoot<u64>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchHelper;
}

thread_local! {
	static NOW_MS: RefCell<u64> = const { RefCell::new(1_700_000_000_000) };
}

/// The chain's local clock, settable by tests.
pub struct MockTime;

impl MockTime {
	/// Sets the local clock (ms since the Unix epoch).
	pub fn set(ms: u64) {
		NOW_MS.with(|t| *t.borrow_mut() = ms);
	}
}
impl UnixTime for MockTime {
	fn now() -> core::time::Duration {
		core::time::Duration::from_millis(NOW_MS.with(|t| *t.borrow()))
	}
}

impl pallet_time_oracle::Config for Test {
	type LocalTime = MockTime;
	type MaxAuthorities = MaxAuthorities;
	type MaxDrift = MaxDrift;
	type ReportValidity = ReportValidity;
	type HistoryDepth = HistoryDepth;
	type AuthorityOrigin = EnsureRoot<u64>;
	type WeightInfo = ();
}

impl pallet_checkpoints::Config for Test {
	type WeightInfo = ();
}

impl pallet_agent_submissions::Config for Test {
	type Balance = u64;
	type Agents = Registry;
	type Bonds = Staking;
	type Fees = Fees;
	type Time = TimeOracle;
	type OnTransition = Checkpoints;
	type MaxSteps = MaxSteps;
	type MaxProgramLen = MaxProgramLen;
	type SubmissionPriority = SubmissionPriority;
	type SubmissionLongevity = SubmissionLongevity;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchHelper;
}

/// The key the benchmark agent signs with.
#[cfg(feature = "runtime-benchmarks")]
pub fn bench_pair() -> sr25519::Pair {
	sr25519::Pair::from_seed(&[42; 32])
}

/// Benchmark set-up through the real pallets.
#[cfg(feature = "runtime-benchmarks")]
pub struct BenchHelper;

#[cfg(feature = "runtime-benchmarks")]
impl BenchHelper {
	fn fund(who: u64) {
		use frame_support::traits::fungible::Mutate;
		let _ = Balances::set_balance(&who, 100 * MIN_BOND + 1_000 * PREPAID);
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_agent_staking::BenchmarkHelper<u64> for BenchHelper {
	fn create_agent(owner: &u64) -> AgentId {
		Self::fund(*owner);
		register(*owner, examples::counter(), 0, &bench_pair())
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_agent_fees::BenchmarkHelper<u64> for BenchHelper {
	fn create_agent(owner: &u64) -> AgentId {
		Self::fund(*owner);
		register(*owner, examples::counter(), 0, &bench_pair())
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper for BenchHelper {
	fn register_agent(program: Vec<u8>, depth: u8, mode: VerificationMode) -> AgentId {
		use agentic_primitives::traits::AgentFees;
		Self::fund(ALICE);
		let id = register_in(ALICE, program, depth, mode, &bench_pair());
		// Enough prepaid fees for the largest benchmarked submission.
		<Fees as AgentFees<u64, u64>>::top_up(&ALICE, id, 500 * PREPAID).expect("funded");
		id
	}
	fn sign(payload: &[u8; 32]) -> agentic_primitives::AgentSignature {
		bench_pair().sign(payload)
	}
}

pub fn new_test_ext() -> sp_io::TestExternalities {
	NOW_MS.with(|t| *t.borrow_mut() = 1_700_000_000_000);
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(ALICE, 10_000_000), (BOB, 10_000_000), (TREASURY, 1), (COLLECTOR, 1)],
		..Default::default()
	}
	.assimilate_storage(&mut t)
	.unwrap();
	pallet_agent_fees::GenesisConfig::<Test> { params: FEES }.assimilate_storage(&mut t).unwrap();
	pallet_time_oracle::GenesisConfig::<Test> { authorities: vec![ALICE] }.assimilate_storage(&mut t).unwrap();
	let mut ext: sp_io::TestExternalities = t.into();
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Registers `program` for `owner` in the `Reexec` mode with the minimum bond and `PREPAID` fees.
pub fn register(owner: u64, program: Vec<u8>, depth: u8, key: &sr25519::Pair) -> AgentId {
	register_in(owner, program, depth, VerificationMode::Reexec, key)
}

/// Registers `program` for `owner` in `mode` with the minimum bond and `PREPAID` fees.
pub fn register_in(owner: u64, program: Vec<u8>, depth: u8, mode: VerificationMode, key: &sr25519::Pair) -> AgentId {
	pallet_agent_registry::Pallet::<Test>::do_register(
		owner,
		pallet_agent_registry::ProgramSource::Blob(BoundedVec::try_from(program).unwrap()),
		key.public(),
		mode,
		depth,
		None,
		MIN_BOND,
		PREPAID,
	)
	.unwrap()
}

/// What a prover worker keeps for one agent.
pub struct Worker {
	pub id: AgentId,
	pub pair: sr25519::Pair,
	pub program: Vec<u8>,
	pub state: StateTree,
	pub seq: u64,
}

impl Worker {
	/// Registers a new agent running `program` and returns its worker.
	pub fn register(owner: u64, program: Vec<u8>, depth: u8, seed: u8) -> Self {
		let pair = sr25519::Pair::from_seed(&[seed; 32]);
		let id = register(owner, program.clone(), depth, &pair);
		Worker { id, pair, program, state: StateTree::new(depth).unwrap(), seq: 0 }
	}

	/// Runs the inputs off-chain and returns the honest, signed submission (state unchanged
	/// until [`Self::accepted`]).
	pub fn prepare(&self, inputs: &[&[u8]], time: Option<TimeRead>) -> (SignedSubmission, StateTree) {
		let program = Program::load(&self.program).unwrap();
		let inputs =
			Inputs::try_from(inputs.iter().map(|i| Input::try_from(i.to_vec()).unwrap()).collect::<Vec<_>>()).unwrap();
		let exec = build_evidence(&program, &self.state, inputs, time.map(|t| t.moment), 10_000_000).unwrap();
		(self.sign(exec.submission(self.id, self.seq, time)), exec.new_state)
	}

	/// Signs a (possibly tampered) submission with this agent's key.
	pub fn sign(&self, submission: Submission) -> SignedSubmission {
		sign_with(&self.pair, submission)
	}

	/// Records that the chain accepted a submission leading to `state`.
	pub fn accepted(&mut self, state: StateTree) {
		self.state = state;
		self.seq += 1;
	}
}

/// Signs `submission` for this chain with `pair`.
pub fn sign_with(pair: &sr25519::Pair, submission: Submission) -> SignedSubmission {
	let genesis: H256 = System::block_hash(0);
	let signature = pair.sign(&submission.signing_payload(&genesis));
	SignedSubmission { submission, signature }
}

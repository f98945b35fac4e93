//! A test runtime: `frame_system` and the time oracle, with a settable local clock.

use crate as pallet_time_oracle;
use core::{cell::Cell, time::Duration};
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64, UnixTime},
};
use frame_system::EnsureRoot;
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		TimeOracle: pallet_time_oracle,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// The local clock's time at the start of every test (ms).
pub const START: u64 = 1_700_000_000_000;
/// `MaxDrift` of the test runtime (ms).
pub const MAX_DRIFT: u64 = 2_000;
/// `ReportValidity` of the test runtime (blocks).
pub const REPORT_VALIDITY: u64 = 3;
/// `HistoryDepth` of the test runtime (blocks).
pub const HISTORY_DEPTH: u32 = 5;
/// `MaxAuthorities` of the test runtime.
pub const MAX_AUTHORITIES: u32 = 10;

thread_local! {
	static LOCAL_NOW: Cell<u64> = const { Cell::new(START) };
}

/// The chain's clock in tests: a thread-local value in ms, set with [`MockTime::set`].
pub struct MockTime;

impl MockTime {
	/// Sets the local clock to `ms` since the Unix epoch.
	pub fn set(ms: u64) {
		LOCAL_NOW.with(|now| now.set(ms));
	}

	/// The local clock in ms.
	pub fn get() -> u64 {
		LOCAL_NOW.with(|now| now.get())
	}
}

impl UnixTime for MockTime {
	fn now() -> Duration {
		Duration::from_millis(Self::get())
	}
}

parameter_types! {
	pub const MaxDrift: u64 = MAX_DRIFT;
	pub const HistoryDepth: u32 = HISTORY_DEPTH;
}

impl pallet_time_oracle::Config for Test {
	type LocalTime = MockTime;
	type MaxAuthorities = ConstU32<MAX_AUTHORITIES>;
	type MaxDrift = MaxDrift;
	type ReportValidity = ConstU64<REPORT_VALIDITY>;
	type HistoryDepth = HistoryDepth;
	type AuthorityOrigin = EnsureRoot<u64>;
	type WeightInfo = ();
}

/// Storage with authorities 1..=4, at block 1, with the local clock at [`START`].
pub fn new_test_ext() -> sp_io::TestExternalities {
	MockTime::set(START);
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_time_oracle::GenesisConfig::<Test> { authorities: vec![1, 2, 3, 4] }.assimilate_storage(&mut t).unwrap();
	let mut ext: sp_io::TestExternalities = t.into();
	ext.execute_with(|| System::set_block_number(1));
	ext
}

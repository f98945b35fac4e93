//! # Time oracle pallet
//!
//! A byzantine-fault-tolerant *consensus time* that agents may read, and that the chain can check.
//!
//! ## Overview
//!
//! Agents run off-chain, and everything a program reads must be checkable on-chain. Reading the
//! clock is no exception: a submission declares the time its program read as a
//! [`TimeRead`](agentic_primitives::TimeRead) `{ block, moment }`, and the chain accepts it only
//! if this pallet recorded exactly `moment` as the consensus time at `block`
//! ([`ConsensusTime::at`]). The clock an agent reads is therefore not any one machine's clock,
//! but the value the chain agreed on at some recent block.
//!
//! The authorities (the block authors of a solo chain, the collators of a parachain) report
//! their wall-clock time with [`Pallet::report_time`]. At the end of every block the pallet
//! aggregates the *fresh* reports of the *current* authorities into the consensus time:
//!
//! 1. **Bounded.** A report is refused ([`Error::OutOfBounds`]) unless it is within
//!    [`Config::MaxDrift`] milliseconds of the block's own timestamp ([`Config::LocalTime`],
//!    `pallet_timestamp` in a runtime). No reporter, honest or not, can move the consensus time
//!    far from the chain's clock.
//! 2. **Fresh.** Only reports made in the last [`Config::ReportValidity`] blocks count, and only
//!    those of accounts that are authorities now. An authority reports at most once per block
//!    ([`Error::AlreadyReported`]); a new report replaces its previous one.
//! 3. **Robust.** The candidate is the *lower median* of the fresh moments: sorted ascending, the
//!    element at index `(len - 1) / 2`.
//! 4. **Monotonic.** The consensus time is `max(previous consensus time, candidate)`: it never
//!    goes backwards, so programs may rely on time not decreasing between their reads.
//!
//! The result is stored in [`Now`] and, for every block from the first aggregate on, in
//! [`History`], which keeps the last [`Config::HistoryDepth`] blocks so that submissions made a
//! little later can still be checked against the block they read at.
//!
//! ## Why the lower median
//!
//! Let `m` fresh reports contain at most `f` faulty ones (lying, arbitrarily wrong, or
//! colluding), with `m >= 2f + 1`. Sort them and take the element `c` at index
//! `k = (m - 1) / 2`, so `k >= f`:
//!
//! - The `k + 1 >= f + 1` reports at indices `0..=k` are all `<= c`. At most `f` of them are
//!   faulty, so at least one honest report is `<= c`: `c >=` the smallest honest report.
//! - The `m - k >= f + 1` reports at indices `k..m` are all `>= c`. Again one of them is honest:
//!   `c <=` the largest honest report.
//!
//! So the candidate always lies within the range of the honest reports: faulty reporters can
//! choose *where* in that range it lands, but cannot push it outside. With `m < 2f + 1` (too few
//! honest authorities reported recently) there is no such guarantee beyond the
//! [`Config::MaxDrift`] bound, which holds for every report. Because the consensus time never
//! decreases, a candidate that momentarily lands high is not undone; it is overtaken once the
//! honest clocks pass it.
//!
//! ## Resolution
//!
//! The consensus time changes only in `on_finalize`, once per block. Its resolution is
//! therefore the block time: every read at a block sees the same moment, and two reads of
//! different blocks differ by about the block time (more, if no fresh reports arrived in
//! between; never less than zero). It also lags real time by the reports' age: the latency from
//! an authority's clock to inclusion, and up to [`Config::ReportValidity`] blocks when the
//! reports that still count are that old. Agents should treat it as a coarse, agreed-upon clock, not a stopwatch.
//!
//! ## Trust in the chain's own clock
//!
//! The bounds check uses the block's timestamp, which the block author sets and the other
//! nodes check only loosely (slot-based consensus and the timestamp inherent's drift limit). A
//! faulty author can thus shift the window the reports must fall into, within those limits,
//! but cannot choose the consensus time: that is still the median of the authorities' reports.
//!
//! ## Interface
//!
//! - Dispatchables: [`Pallet::report_time`] (authorities), [`Pallet::set_authorities`]
//!   ([`Config::AuthorityOrigin`]).
//! - [`ConsensusTime`] for [`Pallet`]: `now()` is [`Now`], `at(block)` is [`History`].
//! - For a runtime API: [`Pallet::consensus_time`], [`Pallet::time_at`].

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

use agentic_primitives::traits::ConsensusTime;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::{BuildGenesisConfig, UnixTime},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{
		traits::{Saturating, UniqueSaturatedInto},
		SaturatedConversion,
	};

	/// An authority's latest time report.
	#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
	pub struct Report<BlockNumber> {
		/// The reported wall-clock time, in milliseconds since the Unix epoch.
		pub moment: u64,
		/// The block in which it was reported.
		pub at: BlockNumber,
	}

	/// The pallet.
	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Configuration of the time oracle.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The chain's own clock for the bounds check (pallet_timestamp in the runtime).
		type LocalTime: UnixTime;
		/// The largest number of authorities.
		#[pallet::constant]
		type MaxAuthorities: Get<u32>;
		/// How far (ms) a report may differ from `LocalTime::now()`.
		#[pallet::constant]
		type MaxDrift: Get<u64>;
		/// Reports older than this many blocks no longer count.
		#[pallet::constant]
		type ReportValidity: Get<BlockNumberFor<Self>>;
		/// How many recent blocks' consensus times are kept for `ConsensusTime::at`.
		#[pallet::constant]
		type HistoryDepth: Get<u32>;
		/// Who may replace the authority set (root or governance; the runtime may later sync it
		/// from the session/aura set).
		type AuthorityOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Weights of this pallet's calls and hooks.
		type WeightInfo: WeightInfo;
	}

	/// The accounts whose reports make up the consensus time.
	#[pallet::storage]
	pub type Authorities<T: Config> = StorageValue<_, BoundedVec<T::AccountId, T::MaxAuthorities>, ValueQuery>;

	/// Each authority's latest report. Removed when the account leaves the authority set.
	#[pallet::storage]
	pub type Reports<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, Report<BlockNumberFor<T>>>;

	/// The current consensus time (ms since the Unix epoch); `None` until the first fresh report
	/// has been aggregated.
	#[pallet::storage]
	pub type Now<T: Config> = StorageValue<_, u64, OptionQuery>;

	/// The consensus time at the end of each of the last [`Config::HistoryDepth`] blocks, by block
	/// number.
	#[pallet::storage]
	pub type History<T: Config> = StorageMap<_, Twox64Concat, u32, u64>;

	/// The initial authority set.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The initial authorities; at most [`Config::MaxAuthorities`], without duplicates.
		pub authorities: Vec<T::AccountId>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			let authorities: BoundedVec<T::AccountId, T::MaxAuthorities> =
				self.authorities.clone().try_into().expect("genesis: more authorities than MaxAuthorities");
			assert!(!has_duplicates(&authorities), "genesis: duplicate authority");
			Authorities::<T>::put(authorities);
		}
	}

	/// Events of the time oracle.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An authority reported its wall-clock time.
		TimeReported {
			/// The reporting authority.
			who: T::AccountId,
			/// The reported time, in ms since the Unix epoch.
			moment: u64,
		},
		/// The authority set was replaced.
		AuthoritiesSet {
			/// The number of authorities in the new set.
			count: u32,
		},
	}

	/// Errors of the time oracle.
	#[pallet::error]
	pub enum Error<T> {
		/// The caller is not one of the current authorities.
		NotAuthority,
		/// The caller has already reported in this block.
		AlreadyReported,
		/// The reported time is more than `MaxDrift` away from the block's timestamp.
		OutOfBounds,
		/// The new authority set lists an account twice.
		DuplicateAuthority,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Accounts for the work of `on_finalize`, for the current number of authorities.
		fn on_initialize(_n: BlockNumberFor<T>) -> Weight {
			let authorities = Authorities::<T>::decode_len().unwrap_or(0) as u32;
			T::DbWeight::get().reads(1).saturating_add(T::WeightInfo::on_finalize(authorities))
		}

		/// Aggregates the fresh reports into the consensus time and records it in the history.
		fn on_finalize(n: BlockNumberFor<T>) {
			Self::aggregate(n);
		}

		fn integrity_test() {
			assert!(T::MaxAuthorities::get() > 0, "MaxAuthorities must be positive");
			assert!(T::HistoryDepth::get() > 0, "HistoryDepth must be positive");
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Reports the caller's wall-clock time `moment` (ms since the Unix epoch).
		///
		/// The caller must be an authority, must not have reported in this block yet, and
		/// `moment` must be within [`Config::MaxDrift`] of the block's timestamp. The report
		/// replaces the caller's previous one and counts for [`Config::ReportValidity`] blocks.
		///
		/// Emits [`Event::TimeReported`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::report_time())]
		pub fn report_time(origin: OriginFor<T>, moment: u64) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_report_time(who, moment)
		}

		/// Replaces the authority set. Reports of accounts that leave the set are removed.
		///
		/// Origin: [`Config::AuthorityOrigin`]. Fails with [`Error::DuplicateAuthority`] if an
		/// account is listed twice.
		///
		/// Emits [`Event::AuthoritiesSet`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::set_authorities(T::MaxAuthorities::get()))]
		pub fn set_authorities(
			origin: OriginFor<T>,
			authorities: BoundedVec<T::AccountId, T::MaxAuthorities>,
		) -> DispatchResultWithPostInfo {
			T::AuthorityOrigin::ensure_origin(origin)?;
			let work = Self::do_set_authorities(authorities)?;
			Ok(Some(T::WeightInfo::set_authorities(work)).into())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The current consensus time (ms since the Unix epoch), once one exists.
		pub fn consensus_time() -> Option<u64> {
			Now::<T>::get()
		}

		/// The consensus time recorded at `block`, while it is within the last
		/// [`Config::HistoryDepth`] blocks.
		pub fn time_at(block: u32) -> Option<u64> {
			History::<T>::get(block)
		}

		/// Checks and stores a report of `who`, with the same checks as [`Pallet::report_time`].
		///
		/// Runtimes feed the oracle through this without a transaction, e.g. with the block
		/// author's own timestamp from `pallet_timestamp::Config::OnTimestampSet` (the author
		/// must be in [`Authorities`]). Its weight is the caller's to account.
		pub fn do_report_time(who: T::AccountId, moment: u64) -> DispatchResult {
			ensure!(Authorities::<T>::get().contains(&who), Error::<T>::NotAuthority);
			let block = frame_system::Pallet::<T>::block_number();
			if let Some(previous) = Reports::<T>::get(&who) {
				ensure!(previous.at != block, Error::<T>::AlreadyReported);
			}
			let local: u64 = T::LocalTime::now().as_millis().saturated_into();
			ensure!(moment.abs_diff(local) <= T::MaxDrift::get(), Error::<T>::OutOfBounds);

			Reports::<T>::insert(&who, Report { moment, at: block });
			Self::deposit_event(Event::TimeReported { who, moment });
			Ok(())
		}

		/// Replaces the authority set and drops the reports of accounts that left it. Returns
		/// the larger of the old and the new set's sizes (the work done, for the weight).
		pub(crate) fn do_set_authorities(
			authorities: BoundedVec<T::AccountId, T::MaxAuthorities>,
		) -> Result<u32, DispatchError> {
			ensure!(!has_duplicates(&authorities), Error::<T>::DuplicateAuthority);
			let old = Authorities::<T>::get();
			for gone in old.iter().filter(|a| !authorities.contains(a)) {
				Reports::<T>::remove(gone);
			}
			let count = authorities.len() as u32;
			let work = count.max(old.len() as u32);
			Authorities::<T>::put(authorities);
			Self::deposit_event(Event::AuthoritiesSet { count });
			Ok(work)
		}

		/// The `on_finalize` work at block `n`: folds the fresh reports into [`Now`] and records
		/// [`Now`] in [`History`], pruning the entry that fell out of the history window.
		pub(crate) fn aggregate(n: BlockNumberFor<T>) {
			let validity = T::ReportValidity::get();
			let mut moments: Vec<u64> = Authorities::<T>::get()
				.iter()
				.filter_map(Reports::<T>::get)
				.filter(|report| report.at.saturating_add(validity) >= n)
				.map(|report| report.moment)
				.collect();

			let previous = Now::<T>::get();
			let now = match lower_median(&mut moments) {
				Some(candidate) => {
					let consensus = previous.map_or(candidate, |p| p.max(candidate));
					Now::<T>::put(consensus);
					Some(consensus)
				},
				None => previous,
			};

			if let Some(now) = now {
				let block: u32 = n.unique_saturated_into();
				let depth = T::HistoryDepth::get();
				if depth > 0 {
					History::<T>::insert(block, now);
				}
				if let Some(expired) = block.checked_sub(depth) {
					History::<T>::remove(expired);
				}
			}
		}
	}

	/// The lower median: sorted ascending, the element at index `(len - 1) / 2`. `None` if
	/// `moments` is empty. Sorts `moments` in place.
	pub(crate) fn lower_median(moments: &mut [u64]) -> Option<u64> {
		moments.sort_unstable();
		moments.get(moments.len().saturating_sub(1) / 2).copied()
	}

	/// Whether some account appears twice.
	fn has_duplicates<A: Ord + Clone>(accounts: &[A]) -> bool {
		let mut sorted = accounts.to_vec();
		sorted.sort_unstable();
		sorted.windows(2).any(|pair| pair[0] == pair[1])
	}
}

impl<T: Config> ConsensusTime for Pallet<T> {
	fn now() -> Option<u64> {
		Now::<T>::get()
	}

	fn at(block: u32) -> Option<u64> {
		History::<T>::get(block)
	}
}

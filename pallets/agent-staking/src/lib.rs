//! # Agent Staking Pallet
//!
//! Bonds that back Agentic agents.
//!
//! ## Overview
//!
//! An Agentic agent is a PolkaVM program that runs off chain; the chain only verifies the state
//! transitions its operator submits. What keeps an operator honest is a **bond**: a sum held from
//! the agent owner's balance for as long as the agent lives. A submission whose evidence the
//! chain rejects costs the bond a fixed penalty ([`Config::SlashAmount`]), paid to
//! [`Config::Slashed`] (burnt with `()`). An agent whose bond falls below
//! [`Config::MinimumBond`] is one the rest of the system can refuse to serve.
//!
//! The bond of an agent is made of:
//!
//! - the **active** part, which backs the agent now and which an active agent must keep at or
//!   above [`Config::MinimumBond`];
//! - the **unbonding** part: chunks that left the active part and wait [`Config::UnbondingDelay`]
//!   blocks before their owner can withdraw them. Unbonding chunks can still be slashed, so an
//!   owner cannot escape a penalty by unbonding just before misbehaving.
//!
//! All the money stays in the owner's account, held under [`HoldReason::AgentBond`]: the hold of
//! an owner is the sum of the bonds of all its agents.
//!
//! ## Life cycle
//!
//! 1. The agent registry creates the bond when it registers an agent
//!    ([`AgentBonds::bond_new`](agentic_primitives::traits::AgentBonds::bond_new)).
//! 2. The owner may add to it ([`Pallet::bond_extra`]) or move part of it out of the active part
//!    ([`Pallet::unbond`]), keeping the minimum while the agent is active.
//! 3. The submissions pallet slashes it for each rejected submission
//!    ([`AgentBonds::slash`](agentic_primitives::traits::AgentBonds::slash)): the active part
//!    first, then the unbonding chunks, newest first.
//! 4. When the owner retires the agent, the registry unbonds everything
//!    ([`AgentBonds::unbond_all`](agentic_primitives::traits::AgentBonds::unbond_all)).
//! 5. Once chunks mature, the owner releases them ([`Pallet::withdraw_unbonded`]). The record of a
//!    bond that is fully withdrawn is removed.
//!
//! ## Unbonding chunks
//!
//! An agent has at most [`Config::MaxUnbondingChunks`] chunks. Unbonding never fails for lack of
//! room: a new chunk that does not fit, or that unlocks at the same block as the last one, is
//! merged into the last chunk, which then unlocks at the later of the two blocks.
//!
//! ## Interface
//!
//! ### Dispatchable functions (signed by the bond's owner)
//!
//! - [`Pallet::bond_extra`]: hold more for an agent.
//! - [`Pallet::unbond`]: start unbonding part of the active bond.
//! - [`Pallet::withdraw_unbonded`]: release every matured chunk.
//!
//! ### Other pallets
//!
//! The pallet implements [`AgentBonds`](agentic_primitives::traits::AgentBonds) for the agent
//! registry (bond on registration, unbond on retirement) and the submissions pallet (check the
//! bond, slash on rejection). [`Pallet::bond_of`] serves runtime APIs.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

pub use pallet::*;
pub use weights::WeightInfo;

/// Hooks the benchmarks need from the runtime.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Makes `owner` the owner of a new active agent in `T::Agents`; returns its id.
	fn create_agent(owner: &AccountId) -> agentic_primitives::AgentId;
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use agentic_primitives::{
		traits::{AgentBonds, AgentDirectory},
		AgentId, AgentStatus,
	};
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{self, BalancedHold, MutateHold},
			tokens::Precision,
			OnUnbalanced,
		},
		CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::{Saturating, Zero};

	/// The balance type of [`Config::Currency`].
	pub type BalanceOf<T> =
		<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;
	/// Slashed funds, on their way to [`Config::Slashed`].
	pub type CreditOf<T> = fungible::Credit<<T as frame_system::Config>::AccountId, <T as Config>::Currency>;

	/// A part of a bond on its way out: it can be withdrawn from block `unlock_at` on.
	#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
	pub struct UnbondingChunk<Balance, BlockNumber> {
		/// How much unbonds.
		pub amount: Balance,
		/// First block at which the chunk can be withdrawn.
		pub unlock_at: BlockNumber,
	}

	/// The bond of one agent.
	#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound)]
	#[scale_info(skip_type_params(T))]
	#[codec(mel_bound(T: Config))]
	pub struct Bond<T: Config> {
		/// The account the bond is held from, the only one that may manage it.
		pub owner: T::AccountId,
		/// The part that backs the agent now.
		pub active: BalanceOf<T>,
		/// The parts on their way out, oldest first (`unlock_at` never decreases).
		pub unbonding: BoundedVec<UnbondingChunk<BalanceOf<T>, BlockNumberFor<T>>, T::MaxUnbondingChunks>,
	}

	impl<T: Config> Bond<T> {
		/// The sum of the unbonding chunks.
		pub fn unbonding_total(&self) -> BalanceOf<T> {
			self.unbonding.iter().fold(Zero::zero(), |sum: BalanceOf<T>, chunk| sum.saturating_add(chunk.amount))
		}

		/// Everything held for this bond: active and unbonding.
		pub fn total(&self) -> BalanceOf<T> {
			self.active.saturating_add(self.unbonding_total())
		}

		/// Whether nothing is left in the bond.
		fn is_empty(&self) -> bool {
			self.active.is_zero() && self.unbonding.is_empty()
		}
	}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// The pallet's configuration.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The currency bonds are held in.
		type Currency: fungible::Inspect<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ fungible::BalancedHold<Self::AccountId>;

		/// The runtime's hold reason, which includes this pallet's [`HoldReason`].
		type RuntimeHoldReason: From<HoldReason>;

		/// The agent registry (owner and status of agents).
		type Agents: AgentDirectory<Self::AccountId, BlockNumberFor<Self>>;

		/// The smallest bond an active agent must keep.
		#[pallet::constant]
		type MinimumBond: Get<BalanceOf<Self>>;

		/// What one rejected submission costs the bond.
		#[pallet::constant]
		type SlashAmount: Get<BalanceOf<Self>>;

		/// Blocks between unbonding and being able to withdraw.
		#[pallet::constant]
		type UnbondingDelay: Get<BlockNumberFor<Self>>;

		/// Most unbonding chunks one agent's bond keeps (at least 1); further unbondings merge into
		/// the last chunk.
		#[pallet::constant]
		type MaxUnbondingChunks: Get<u32>;

		/// Where slashed funds go (`()` burns them).
		type Slashed: OnUnbalanced<CreditOf<Self>>;

		/// Weights of this pallet's calls and of [`AgentBonds::slash`].
		type WeightInfo: WeightInfo;

		/// Creates agents for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// An agent's bond.
		#[codec(index = 0)]
		AgentBond,
	}

	/// The bond of each bonded agent.
	#[pallet::storage]
	pub type Bonds<T: Config> = StorageMap<_, Twox64Concat, AgentId, Bond<T>, OptionQuery>;

	/// The pallet's events.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `amount` was added to the active bond of `agent` (on creation or by `bond_extra`).
		Bonded {
			/// The agent.
			agent: AgentId,
			/// The owner the amount is held from.
			owner: T::AccountId,
			/// The amount added.
			amount: BalanceOf<T>,
		},
		/// `amount` of the bond of `agent` started unbonding; it can be withdrawn from `unlock_at`.
		Unbonding {
			/// The agent.
			agent: AgentId,
			/// The amount moved out of the active bond.
			amount: BalanceOf<T>,
			/// The block from which the chunk holding it can be withdrawn.
			unlock_at: BlockNumberFor<T>,
		},
		/// Matured unbonding chunks of `agent` worth `amount` were released to the owner.
		Withdrawn {
			/// The agent.
			agent: AgentId,
			/// The amount released.
			amount: BalanceOf<T>,
		},
		/// `amount` of the bond of `agent` was slashed.
		Slashed {
			/// The agent.
			agent: AgentId,
			/// The amount slashed.
			amount: BalanceOf<T>,
		},
	}

	/// The pallet's errors.
	#[pallet::error]
	pub enum Error<T> {
		/// The agent has no bond.
		UnknownBond,
		/// The caller does not own the bond.
		NotOwner,
		/// The amount is zero.
		ZeroAmount,
		/// The bond would be below the minimum an active agent must keep.
		BelowMinimum,
		/// The active bond is smaller than the amount to unbond.
		InsufficientActiveBond,
		/// No unbonding chunk has matured yet.
		NothingToWithdraw,
		/// The agent already has a bond.
		AlreadyBonded,
		/// The agent registry does not know the agent.
		UnknownAgent,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxUnbondingChunks::get() >= 1, "MaxUnbondingChunks must be at least 1");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Holds `amount` more from the caller as the active bond of `agent`.
		///
		/// The caller must own the bond. Emits [`Event::Bonded`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::bond_extra())]
		pub fn bond_extra(
			origin: OriginFor<T>,
			agent: AgentId,
			#[pallet::compact] amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_bond_extra(&who, agent, amount)
		}

		/// Moves `amount` of the active bond of `agent` into a chunk that can be withdrawn
		/// [`Config::UnbondingDelay`] blocks from now.
		///
		/// The caller must own the bond. While the agent is active, the active bond left must stay
		/// at or above [`Config::MinimumBond`]. Emits [`Event::Unbonding`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::unbond())]
		pub fn unbond(origin: OriginFor<T>, agent: AgentId, #[pallet::compact] amount: BalanceOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_unbond(&who, agent, amount)
		}

		/// Releases every matured unbonding chunk of `agent` to the caller.
		///
		/// The caller must own the bond. The bond's record is removed once nothing is left in it.
		/// Emits [`Event::Withdrawn`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::withdraw_unbonded())]
		pub fn withdraw_unbonded(origin: OriginFor<T>, agent: AgentId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw_unbonded(&who, agent)
		}
	}

	impl<T: Config> Pallet<T> {
		/// The bond of `agent`, if it has one.
		pub fn bond_of(agent: AgentId) -> Option<Bond<T>> {
			Bonds::<T>::get(agent)
		}

		fn hold_reason() -> T::RuntimeHoldReason {
			HoldReason::AgentBond.into()
		}

		/// The bond of `agent`, checking that `who` owns it.
		fn owned_bond(who: &T::AccountId, agent: AgentId) -> Result<Bond<T>, DispatchError> {
			let bond = Bonds::<T>::get(agent).ok_or(Error::<T>::UnknownBond)?;
			ensure!(bond.owner == *who, Error::<T>::NotOwner);
			Ok(bond)
		}

		/// Holds `amount` more from `who` for `agent`.
		pub(crate) fn do_bond_extra(who: &T::AccountId, agent: AgentId, amount: BalanceOf<T>) -> DispatchResult {
			let mut bond = Self::owned_bond(who, agent)?;
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			T::Currency::hold(&Self::hold_reason(), who, amount)?;
			bond.active = bond.active.saturating_add(amount);
			Bonds::<T>::insert(agent, bond);
			Self::deposit_event(Event::Bonded { agent, owner: who.clone(), amount });
			Ok(())
		}

		/// Starts unbonding `amount` of the active bond of `agent`, on behalf of `who`.
		pub(crate) fn do_unbond(who: &T::AccountId, agent: AgentId, amount: BalanceOf<T>) -> DispatchResult {
			let mut bond = Self::owned_bond(who, agent)?;
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			ensure!(amount <= bond.active, Error::<T>::InsufficientActiveBond);
			let remaining = bond.active.saturating_sub(amount);
			let status = T::Agents::agent(agent).ok_or(Error::<T>::UnknownAgent)?.status;
			if status == AgentStatus::Active {
				ensure!(remaining >= T::MinimumBond::get(), Error::<T>::BelowMinimum);
			}
			Self::start_unbonding(agent, &mut bond, amount)?;
			Bonds::<T>::insert(agent, bond);
			Ok(())
		}

		/// Moves `amount` (at most the active bond) from `bond.active` into a chunk, merging into
		/// the last chunk when the list is full or the last chunk unlocks at the same block.
		/// Emits [`Event::Unbonding`]; the caller writes `bond` back.
		fn start_unbonding(agent: AgentId, bond: &mut Bond<T>, amount: BalanceOf<T>) -> DispatchResult {
			let unlock_at = frame_system::Pallet::<T>::block_number().saturating_add(T::UnbondingDelay::get());
			let chunk = UnbondingChunk { amount, unlock_at };
			let is_full = bond.unbonding.len() >= T::MaxUnbondingChunks::get() as usize;
			match bond.unbonding.last_mut() {
				Some(last) if is_full || last.unlock_at == unlock_at => {
					last.amount = last.amount.saturating_add(amount);
					last.unlock_at = last.unlock_at.max(unlock_at);
				},
				_ => bond
					.unbonding
					.try_push(chunk)
					.map_err(|_| DispatchError::Other("MaxUnbondingChunks must be at least 1"))?,
			}
			bond.active = bond.active.saturating_sub(amount);
			Self::deposit_event(Event::Unbonding { agent, amount, unlock_at });
			Ok(())
		}

		/// Releases the matured chunks of `agent` to `who`.
		pub(crate) fn do_withdraw_unbonded(who: &T::AccountId, agent: AgentId) -> DispatchResult {
			let mut bond = Self::owned_bond(who, agent)?;
			let now = frame_system::Pallet::<T>::block_number();
			let mut amount: BalanceOf<T> = Zero::zero();
			bond.unbonding.retain(|chunk| {
				let matured = chunk.unlock_at <= now;
				if matured {
					amount = amount.saturating_add(chunk.amount);
				}
				!matured
			});
			ensure!(!amount.is_zero(), Error::<T>::NothingToWithdraw);
			T::Currency::release(&Self::hold_reason(), who, amount, Precision::Exact)?;
			if bond.is_empty() {
				Bonds::<T>::remove(agent);
			} else {
				Bonds::<T>::insert(agent, bond);
			}
			Self::deposit_event(Event::Withdrawn { agent, amount });
			Ok(())
		}

		/// Takes up to `amount` off `bond`'s records: the active part first, then the unbonding
		/// chunks newest first, dropping emptied chunks. Returns what it took.
		fn deduct(bond: &mut Bond<T>, amount: BalanceOf<T>) -> BalanceOf<T> {
			let from_active = amount.min(bond.active);
			bond.active = bond.active.saturating_sub(from_active);
			let mut left = amount.saturating_sub(from_active);
			for chunk in bond.unbonding.iter_mut().rev() {
				if left.is_zero() {
					break;
				}
				let from_chunk = left.min(chunk.amount);
				chunk.amount = chunk.amount.saturating_sub(from_chunk);
				left = left.saturating_sub(from_chunk);
			}
			bond.unbonding.retain(|chunk| !chunk.amount.is_zero());
			amount.saturating_sub(left)
		}

		/// Checks that every owner's hold equals the sum of the bonds of its agents, and that no
		/// bond keeps an empty chunk or chunks out of order.
		#[cfg(any(feature = "try-runtime", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			use alloc::collections::btree_map::BTreeMap;
			use frame_support::traits::fungible::InspectHold;

			let mut held: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
			for (_, bond) in Bonds::<T>::iter() {
				ensure!(bond.unbonding.iter().all(|c| !c.amount.is_zero()), "empty unbonding chunk");
				ensure!(bond.unbonding.windows(2).all(|w| w[0].unlock_at <= w[1].unlock_at), "chunks out of order");
				let sum = held.entry(bond.owner.clone()).or_insert_with(Zero::zero);
				*sum = sum.saturating_add(bond.total());
			}
			for (owner, total) in held {
				ensure!(
					T::Currency::balance_on_hold(&Self::hold_reason(), &owner) == total,
					"hold differs from the owner's bonds"
				);
			}
			Ok(())
		}
	}

	impl<T: Config> AgentBonds<T::AccountId, BalanceOf<T>> for Pallet<T> {
		fn minimum_bond() -> BalanceOf<T> {
			T::MinimumBond::get()
		}

		/// Does not consult [`Config::Agents`]: the registry may call it before it stores the
		/// agent's record.
		fn bond_new(owner: &T::AccountId, agent: AgentId, amount: BalanceOf<T>) -> DispatchResult {
			ensure!(!Bonds::<T>::contains_key(agent), Error::<T>::AlreadyBonded);
			ensure!(amount >= T::MinimumBond::get(), Error::<T>::BelowMinimum);
			T::Currency::hold(&Self::hold_reason(), owner, amount)?;
			Bonds::<T>::insert(agent, Bond { owner: owner.clone(), active: amount, unbonding: BoundedVec::new() });
			Self::deposit_event(Event::Bonded { agent, owner: owner.clone(), amount });
			Ok(())
		}

		fn active_bond(agent: AgentId) -> BalanceOf<T> {
			Bonds::<T>::get(agent).map(|bond| bond.active).unwrap_or_else(Zero::zero)
		}

		/// Fails with [`Error::UnknownBond`] if the agent has no bond; does nothing (and emits
		/// nothing) if its active bond is already zero.
		fn unbond_all(agent: AgentId) -> DispatchResult {
			let mut bond = Bonds::<T>::get(agent).ok_or(Error::<T>::UnknownBond)?;
			if bond.active.is_zero() {
				return Ok(());
			}
			let amount = bond.active;
			Self::start_unbonding(agent, &mut bond, amount)?;
			Bonds::<T>::insert(agent, bond);
			Ok(())
		}

		/// Slashes `min(SlashAmount, active + unbonding)`, emits [`Event::Slashed`] when that is
		/// not zero, and returns it. Returns zero for an agent without a bond.
		fn slash(agent: AgentId) -> BalanceOf<T> {
			let Some(mut bond) = Bonds::<T>::get(agent) else { return Zero::zero() };
			let amount = T::SlashAmount::get().min(bond.total());
			if amount.is_zero() {
				return Zero::zero();
			}
			let (credit, not_slashed) =
				<T::Currency as BalancedHold<T::AccountId>>::slash(&Self::hold_reason(), &bond.owner, amount);
			T::Slashed::on_unbalanced(credit);
			let slashed = Self::deduct(&mut bond, amount.saturating_sub(not_slashed));
			Bonds::<T>::insert(agent, bond);
			if !slashed.is_zero() {
				Self::deposit_event(Event::Slashed { agent, amount: slashed });
			}
			slashed
		}
	}
}

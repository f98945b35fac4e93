//! # Agent Fees Pallet
//!
//! The fee schedule of Agentic's submissions, and the prepaid fee balances of agents that pay it.
//!
//! ## Overview
//!
//! Every submission the chain accepts costs its agent a fee, computed by
//! [`FeeParams::quote`](agentic_primitives::FeeParams::quote):
//!
//! ```text
//! fee = base + per_step * steps + per_kib * ceil(evidence_bytes / 1024)
//! ```
//!
//! The three parameters are set by governance ([`Config::FeeOrigin`]) with
//! [`Pallet::set_fee_params`]. There is no surge pricing: the fee of a submission depends only
//! on its declared steps, the size of its evidence and the current parameters, so an agent's
//! operator can compute it in advance.
//!
//! The fee is not paid by whoever relays a submission, but from the agent's **prepaid fee
//! balance**. The agent's owner tops that balance up ([`Pallet::top_up`]) and may take back what
//! is left ([`Pallet::withdraw`]). The funds never leave the owner's account until they are
//! charged: they are *held* there under this pallet's [`HoldReason::PrepaidFees`]. An owner with
//! several agents has one hold covering all of them; the pallet records in [`Prepaid`] how much
//! of it belongs to each agent, so each agent's balance is separate.
//!
//! When a submission is accepted, the submission pallet charges its fee through
//! [`AgentFees::charge`](agentic_primitives::traits::AgentFees::charge): the fee is slashed from
//! the owner's hold, the agent's prepaid balance goes down by the same amount, and the slashed
//! funds go to [`Config::FeeDestination`] (a treasury or the block author; `()` burns them). A
//! charge that the prepaid balance cannot cover fails and charges nothing.
//!
//! ## Terminology
//!
//! - **Fee parameters**: the `base`, `per_step` and `per_kib` of the fee formula ([`Params`]).
//! - **Prepaid balance**: the part of its owner's held funds that an agent may spend on fees
//!   ([`Prepaid`]).
//! - **Owner**: the account that registered the agent, as the agent directory
//!   ([`Config::Agents`]) reports it. Only the owner may top up or withdraw.
//!
//! ## Interface
//!
//! ### Dispatchable functions
//!
//! - [`set_fee_params`](Pallet::set_fee_params): governance sets the fee parameters.
//! - [`top_up`](Pallet::top_up): an owner moves funds into an agent's prepaid balance.
//! - [`withdraw`](Pallet::withdraw): an owner takes funds back out of an agent's prepaid
//!   balance.
//!
//! ### Trait implementations
//!
//! - [`AgentFees`](agentic_primitives::traits::AgentFees): how the other pallets top up, read,
//!   quote and charge prepaid fees (the registry tops up at registration, the submission pallet
//!   quotes and charges).
//!
//! ### Public functions (for runtime APIs)
//!
//! - [`Pallet::quote_fee`]: the fee of a submission with given dimensions.
//! - [`Pallet::fee_params`]: the current fee parameters.
//!
//! ## Invariant
//!
//! For every owner, the balance held under [`HoldReason::PrepaidFees`] equals the sum of the
//! [`Prepaid`] balances of the owner's agents, and [`Prepaid`] stores no zero balances.

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

/// Serde for [`FeeParams`](agentic_primitives::FeeParams) in the genesis config, which needs
/// it: `agentic_primitives` does not derive serde. JSON shape:
/// `{ "base": .., "perStep": .., "perKib": .. }`.
mod fee_params_serde {
	use agentic_primitives::FeeParams;
	use frame_support::__private::serde::{Deserialize, Deserializer, Serialize, Serializer};

	#[derive(Serialize, Deserialize)]
	#[serde(crate = "frame_support::__private::serde", rename_all = "camelCase", deny_unknown_fields)]
	struct Repr<B> {
		base: B,
		per_step: B,
		per_kib: B,
	}

	pub fn serialize<B: Serialize + Copy, S: Serializer>(p: &FeeParams<B>, s: S) -> Result<S::Ok, S::Error> {
		Repr { base: p.base, per_step: p.per_step, per_kib: p.per_kib }.serialize(s)
	}

	pub fn deserialize<'de, B: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<FeeParams<B>, D::Error> {
		let Repr { base, per_step, per_kib } = Repr::<B>::deserialize(d)?;
		Ok(FeeParams { base, per_step, per_kib })
	}
}

#[frame_support::pallet]
pub mod pallet {
	use super::WeightInfo;
	use agentic_primitives::{
		traits::{AgentDirectory, AgentFees},
		AgentId, FeeParams,
	};
	use frame_support::{
		defensive,
		pallet_prelude::*,
		traits::{
			fungible::{self, BalancedHold, InspectHold, MutateHold},
			tokens::Precision,
			OnUnbalanced,
		},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{
		traits::{CheckedAdd, CheckedSub, Zero},
		ArithmeticError,
	};

	/// The balance type of [`Config::Currency`].
	pub type BalanceOf<T> =
		<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;
	/// Funds taken out of circulation by a charge, on their way to [`Config::FeeDestination`].
	pub type CreditOf<T> = fungible::Credit<<T as frame_system::Config>::AccountId, <T as Config>::Currency>;

	/// The pallet.
	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Configuration of the pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The currency fees are paid in; prepaid balances are held in it.
		type Currency: fungible::Inspect<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ fungible::BalancedHold<Self::AccountId>;
		/// The runtime's aggregated hold reason, which includes this pallet's [`HoldReason`].
		type RuntimeHoldReason: From<HoldReason>;
		/// The agent directory (the registry): who owns which agent.
		type Agents: AgentDirectory<Self::AccountId, BlockNumberFor<Self>>;
		/// Where charged fees go (`()` burns them).
		type FeeDestination: OnUnbalanced<CreditOf<Self>>;
		/// Who may set the fee parameters (root or a governance origin).
		type FeeOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Weights of this pallet's calls and of [`AgentFees::charge`].
		type WeightInfo: WeightInfo;
		/// Creates agents for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// What the benchmarks need from the runtime.
	#[cfg(feature = "runtime-benchmarks")]
	pub trait BenchmarkHelper<AccountId> {
		/// Makes `owner` the owner of a new active agent in `T::Agents`; returns its id.
		fn create_agent(owner: &AccountId) -> AgentId;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// An agent's prepaid fees.
		#[codec(index = 0)]
		PrepaidFees,
	}

	/// The current fee parameters.
	#[pallet::storage]
	pub type Params<T: Config> = StorageValue<_, FeeParams<BalanceOf<T>>, ValueQuery>;

	/// Each agent's prepaid fee balance: its share of its owner's [`HoldReason::PrepaidFees`]
	/// hold. Zero balances are not stored.
	#[pallet::storage]
	pub type Prepaid<T: Config> = StorageMap<_, Twox64Concat, AgentId, BalanceOf<T>, ValueQuery>;

	/// Genesis configuration.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The initial fee parameters.
		#[serde(with = "crate::fee_params_serde")]
		pub params: FeeParams<BalanceOf<T>>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			Params::<T>::put(self.params);
		}
	}

	/// Events of the pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// The fee parameters were set.
		FeeParamsSet {
			/// The new parameters.
			params: FeeParams<BalanceOf<T>>,
		},
		/// An agent's prepaid balance was topped up from its owner's funds.
		ToppedUp {
			/// The agent.
			agent: AgentId,
			/// The amount added (and held from the owner).
			amount: BalanceOf<T>,
		},
		/// Funds were taken out of an agent's prepaid balance and released to its owner.
		Withdrawn {
			/// The agent.
			agent: AgentId,
			/// The amount released.
			amount: BalanceOf<T>,
		},
		/// A fee was charged from an agent's prepaid balance.
		FeeCharged {
			/// The agent.
			agent: AgentId,
			/// The fee, slashed from the owner's hold and handed to the fee destination.
			fee: BalanceOf<T>,
		},
	}

	/// Errors of the pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// No agent with this id in the agent directory.
		UnknownAgent,
		/// The caller does not own the agent.
		NotOwner,
		/// The amount is zero.
		ZeroAmount,
		/// The agent's prepaid balance is smaller than the amount.
		InsufficientPrepaid,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Sets the fee parameters. Only [`Config::FeeOrigin`] may call it.
		///
		/// Emits [`Event::FeeParamsSet`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::set_fee_params())]
		pub fn set_fee_params(origin: OriginFor<T>, params: FeeParams<BalanceOf<T>>) -> DispatchResult {
			T::FeeOrigin::ensure_origin(origin)?;
			Self::do_set_fee_params(params);
			Ok(())
		}

		/// Adds `amount` of the caller's free funds to the prepaid balance of `agent`, holding
		/// them. The caller must own the agent and `amount` must not be zero.
		///
		/// Emits [`Event::ToppedUp`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::top_up())]
		pub fn top_up(origin: OriginFor<T>, agent: AgentId, #[pallet::compact] amount: BalanceOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::ensure_owner(agent, &who)?;
			Self::do_top_up(&who, agent, amount)
		}

		/// Takes `amount` out of the prepaid balance of `agent`, releasing it to the caller's
		/// free funds. The caller must own the agent; `amount` must not be zero nor exceed the
		/// prepaid balance.
		///
		/// Emits [`Event::Withdrawn`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::withdraw())]
		pub fn withdraw(
			origin: OriginFor<T>,
			agent: AgentId,
			#[pallet::compact] amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::ensure_owner(agent, &who)?;
			Self::do_withdraw(&who, agent, amount)
		}
	}

	impl<T: Config> Pallet<T> {
		/// The fee of a submission of `steps` steps with `evidence_len` bytes of evidence, under
		/// the current parameters. For runtime APIs.
		pub fn quote_fee(steps: u64, evidence_len: u32) -> BalanceOf<T> {
			Params::<T>::get().quote(steps, evidence_len)
		}

		/// The current fee parameters. For runtime APIs.
		pub fn fee_params() -> FeeParams<BalanceOf<T>> {
			Params::<T>::get()
		}

		fn hold_reason() -> T::RuntimeHoldReason {
			HoldReason::PrepaidFees.into()
		}

		/// The owner of `agent`, per the agent directory.
		fn owner_of(agent: AgentId) -> Result<T::AccountId, DispatchError> {
			Ok(T::Agents::agent(agent).ok_or(Error::<T>::UnknownAgent)?.owner)
		}

		/// Fails unless `who` owns `agent`.
		fn ensure_owner(agent: AgentId, who: &T::AccountId) -> DispatchResult {
			ensure!(Self::owner_of(agent)? == *who, Error::<T>::NotOwner);
			Ok(())
		}

		/// Stores a prepaid balance, removing the entry when it is zero.
		fn set_prepaid(agent: AgentId, amount: BalanceOf<T>) {
			if amount.is_zero() {
				Prepaid::<T>::remove(agent);
			} else {
				Prepaid::<T>::insert(agent, amount);
			}
		}

		fn do_set_fee_params(params: FeeParams<BalanceOf<T>>) {
			Params::<T>::put(params);
			Self::deposit_event(Event::FeeParamsSet { params });
		}

		fn do_top_up(owner: &T::AccountId, agent: AgentId, amount: BalanceOf<T>) -> DispatchResult {
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			let new = Prepaid::<T>::get(agent).checked_add(&amount).ok_or(ArithmeticError::Overflow)?;
			T::Currency::hold(&Self::hold_reason(), owner, amount)?;
			Self::set_prepaid(agent, new);
			Self::deposit_event(Event::ToppedUp { agent, amount });
			Ok(())
		}

		fn do_withdraw(owner: &T::AccountId, agent: AgentId, amount: BalanceOf<T>) -> DispatchResult {
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			let rest = Prepaid::<T>::get(agent).checked_sub(&amount).ok_or(Error::<T>::InsufficientPrepaid)?;
			T::Currency::release(&Self::hold_reason(), owner, amount, Precision::Exact)?;
			Self::set_prepaid(agent, rest);
			Self::deposit_event(Event::Withdrawn { agent, amount });
			Ok(())
		}

		fn do_charge(agent: AgentId, fee: BalanceOf<T>) -> DispatchResult {
			if fee.is_zero() {
				return Ok(());
			}
			let rest = Prepaid::<T>::get(agent).checked_sub(&fee).ok_or(Error::<T>::InsufficientPrepaid)?;
			let owner = Self::owner_of(agent)?;
			let reason = Self::hold_reason();
			// The owner's hold covers all their agents' prepaid balances, so this only fails if
			// that invariant is broken; checked anyway so that a failed charge charges nothing.
			ensure!(T::Currency::balance_on_hold(&reason, &owner) >= fee, Error::<T>::InsufficientPrepaid);
			let (credit, missing) = <T::Currency as BalancedHold<T::AccountId>>::slash(&reason, &owner, fee);
			if !missing.is_zero() {
				defensive!("the hold was checked to cover the fee");
			}
			T::FeeDestination::on_unbalanced(credit);
			Self::set_prepaid(agent, rest);
			Self::deposit_event(Event::FeeCharged { agent, fee });
			Ok(())
		}

		/// Checks the [invariant](crate#invariant) for every owner of an agent with a prepaid
		/// balance.
		#[cfg(any(feature = "try-runtime", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			use alloc::collections::btree_map::BTreeMap;
			use sp_runtime::traits::Saturating;

			let mut per_owner: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
			for (agent, amount) in Prepaid::<T>::iter() {
				ensure!(!amount.is_zero(), "a zero prepaid balance is stored");
				let owner = Self::owner_of(agent).map_err(|_| "a prepaid balance belongs to an unknown agent")?;
				let total = per_owner.entry(owner).or_default();
				*total = total.saturating_add(amount);
			}
			let reason = Self::hold_reason();
			for (owner, total) in per_owner {
				ensure!(
					T::Currency::balance_on_hold(&reason, &owner) == total,
					"an owner's hold differs from the sum of their agents' prepaid balances"
				);
			}
			Ok(())
		}
	}

	impl<T: Config> AgentFees<T::AccountId, BalanceOf<T>> for Pallet<T> {
		/// Holds `amount` from `owner` and adds it to the agent's prepaid balance. Does not check
		/// that `owner` owns the agent: the caller (the registry) vouches for it. Fails with
		/// [`Error::ZeroAmount`] on zero.
		/// Holds `amount` from `owner` for `agent`. `owner` must be the agent's owner in the
		/// directory ([`Error::NotOwner`] otherwise), so that the hold on an account always equals
		/// the sum of its agents' prepaid balances.
		fn top_up(owner: &T::AccountId, agent: AgentId, amount: BalanceOf<T>) -> DispatchResult {
			Self::ensure_owner(agent, owner)?;
			Self::do_top_up(owner, agent, amount)
		}

		fn prepaid(agent: AgentId) -> BalanceOf<T> {
			Prepaid::<T>::get(agent)
		}

		fn quote(steps: u64, evidence_len: u32) -> BalanceOf<T> {
			Self::quote_fee(steps, evidence_len)
		}

		/// Slashes `fee` from the owner's hold to [`Config::FeeDestination`]. Fails with
		/// [`Error::InsufficientPrepaid`] (charging nothing) if the prepaid balance is short, or
		/// [`Error::UnknownAgent`]. A zero fee charges nothing and emits no event.
		fn charge(agent: AgentId, fee: BalanceOf<T>) -> DispatchResult {
			Self::do_charge(agent, fee)
		}
	}
}

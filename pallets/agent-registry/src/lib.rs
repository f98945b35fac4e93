//! # Agent registry
//!
//! An *agent* is a PolkaVM program with a private state that runs off-chain; the chain keeps its
//! public commitment, the `state_root`, and advances it when a verified transition is
//! submitted. This pallet is the directory of agents:
//!
//! - **Registration** stores the program (or refers to one already stored, by hash), checks it
//!   against the agent ABI v1 (it must load in polkavm, use the `ReviveV1` instruction set,
//!   export `step` and import only ABI host calls), records the agent's public key, verification
//!   mode, state size and initial root, and takes its bond and prepaid fees through
//!   [`Config::Bonds`] and [`Config::Fees`].
//! - **Owners** can rotate the agent's key and retire it (its bond then starts unbonding).
//! - **Versions**: every agent has a `version` (accepted transitions) and a `nonce` (processed
//!   submissions, accepted or rejected). The submission pallet advances them through the
//!   [`AgentDirectory`] trait this pallet implements.
//!
//! Anyone can read an agent's [`AgentInfo`] (root, version, status) from the [`Agents`] storage
//! map, e.g. with polkadot.js: `api.query.agentRegistry.agents(id)`.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

use agentic_primitives::{
	state::{empty_root, MAX_STATE_DEPTH},
	traits::{AgentBonds, AgentDirectory, AgentFees, OnAgentTransition},
	AgentId, AgentInfo, AgentPublic, AgentStatus, ProgramHash, StateRoot, VerificationMode, Version,
};
use agentic_verifier::program::ProgramError;
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::*, traits::fungible};
use frame_system::pallet_prelude::*;
use scale_info::TypeInfo;
use sp_core::H256;
use sp_runtime::{traits::Zero, DispatchError, DispatchResult};

pub use pallet::*;
pub use weights::WeightInfo;

/// The balance type of the currency bonds and fees are paid in.
pub type BalanceOf<T> = <<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;
/// The registry's record of an agent.
pub type AgentInfoOf<T> = AgentInfo<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;

/// Where a registration takes the agent's program from.
#[derive(
	frame_support::CloneNoBound,
	frame_support::PartialEqNoBound,
	frame_support::EqNoBound,
	frame_support::DebugNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxLen))]
pub enum ProgramSource<MaxLen: Get<u32>> {
	/// The blob itself; stored under its blake2-256 hash unless already there.
	Blob(BoundedVec<u8, MaxLen>),
	/// A blob some earlier registration stored.
	Stored(ProgramHash),
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The currency bonds and prepaid fees are paid in (only its balance type is used here).
		type Currency: fungible::Inspect<Self::AccountId> + fungible::Mutate<Self::AccountId>;
		/// Takes the bond of a new agent and unbonds a retired one.
		type Bonds: AgentBonds<Self::AccountId, BalanceOf<Self>>;
		/// Takes the prepaid fees of a new agent.
		type Fees: AgentFees<Self::AccountId, BalanceOf<Self>>;
		/// Told about every new agent's initial root (version 0), for the checkpoint.
		type OnTransition: OnAgentTransition;
		/// Largest program blob, in bytes.
		#[pallet::constant]
		type MaxProgramLen: Get<u32>;
		/// Largest state tree depth (the state holds `2^depth` pages of 256 bytes).
		#[pallet::constant]
		type MaxStateDepth: Get<u8>;
		/// Whether agents may register in `Ligerito` mode. Off in the runtime until the
		/// submissions pallet accepts their submissions (their dispatch weight is benchmarked
		/// first), so that no agent is registered that cannot move.
		#[pallet::constant]
		type LigeritoEnabled: Get<bool>;
		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
	}

	/// The id the next registered agent gets.
	#[pallet::storage]
	pub type NextAgentId<T> = StorageValue<_, AgentId, ValueQuery>;

	/// Every registered agent, active or retired.
	#[pallet::storage]
	pub type Agents<T: Config> = StorageMap<_, Twox64Concat, AgentId, AgentInfoOf<T>>;

	/// Program blobs by blake2-256 hash.
	#[pallet::storage]
	pub type Programs<T: Config> = StorageMap<_, Identity, ProgramHash, BoundedVec<u8, T::MaxProgramLen>>;

	/// How many active agents run each stored program; a blob is removed when this reaches zero.
	#[pallet::storage]
	pub type ProgramUsers<T> = StorageMap<_, Identity, ProgramHash, u32, ValueQuery>;

	/// Agents registered at genesis, e.g. a dev chain's sample agent.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// `(owner, program blob, agent key, state depth, bond, prepaid fees)` per agent, registered
		/// in order (ids 0, 1, ...) in re-execution mode with the all-zero initial state.
		pub agents: Vec<(T::AccountId, Vec<u8>, AgentPublic, u8, BalanceOf<T>, BalanceOf<T>)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for (owner, program, key, depth, bond, prepaid) in &self.agents {
				let program = BoundedVec::try_from(program.clone()).expect("genesis program fits MaxProgramLen");
				Pallet::<T>::do_register(
					owner.clone(),
					ProgramSource::Blob(program),
					*key,
					VerificationMode::Reexec,
					*depth,
					None,
					*bond,
					*prepaid,
				)
				.expect("genesis agents are valid and their owners funded");
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A program blob was stored.
		ProgramStored {
			/// Its blake2-256 hash.
			hash: ProgramHash,
			/// Its length in bytes.
			len: u32,
		},
		/// An agent was registered.
		Registered {
			/// The new agent's id.
			agent: AgentId,
			/// Its owner.
			owner: T::AccountId,
			/// Its program.
			program_hash: ProgramHash,
			/// How its transitions are verified.
			mode: VerificationMode,
			/// Its initial state root.
			state_root: StateRoot,
		},
		/// An agent's signing key was replaced.
		KeyUpdated {
			/// The agent.
			agent: AgentId,
			/// The new key.
			key: AgentPublic,
		},
		/// An agent was retired; it accepts no more submissions and its bond is unbonding.
		Retired {
			/// The agent.
			agent: AgentId,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The program is larger than `MaxProgramLen` or the verifier's limit.
		ProgramTooLarge,
		/// The program is not a parseable PolkaVM blob.
		MalformedProgram,
		/// The program is not built for the `ReviveV1` instruction set.
		WrongInstructionSet,
		/// The program does not export `step`.
		MissingStepExport,
		/// The program imports a host call the agent ABI v1 does not have, or calls (`ecalli`) an
		/// import index it does not declare.
		UnknownHostCall,
		/// The program declares more guest memory than allowed.
		ProgramMemoryTooLarge,
		/// The virtual machine refused the program.
		ProgramRejected,
		/// `ProgramSource::Stored` names a hash no blob is stored under.
		UnknownProgram,
		/// This verification mode is not enabled on this chain (see `LigeritoEnabled`).
		ModeNotSupported,
		/// A `Ligerito`-mode program contains an instruction outside the proof system's v1
		/// subset (`docs/proof-system.md`): the first one, by its opcode byte in the `revive_v1`
		/// encoding (polkavm names it; so does the error's `Display` off chain, with its code
		/// offset).
		UnsupportedInstruction {
			/// The opcode byte.
			opcode: u8,
		},
		/// A `Ligerito`-mode program cannot be proven for another reason: its `step` export is
		/// not at the start of a basic block, or its code can fall off its end.
		ProgramNotProvable,
		/// The state depth is above `MaxStateDepth`.
		StateDepthTooLarge,
		/// Every agent id has been used.
		AgentIdsExhausted,
		/// No agent with this id.
		UnknownAgent,
		/// Only the agent's owner may do this.
		NotOwner,
		/// The agent is retired.
		AgentRetired,
		/// A `Ligerito`-mode program is larger, or maps more guest memory, than the mode's
		/// limits allow (`agentic_primitives::LIGERITO_LIMITS`).
		ExceedsModeLimits,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers an agent owned by the caller.
		///
		/// `bond` is held from the caller as the agent's bond (at least the minimum bond) and
		/// `prepaid` as its prepaid fee balance. `initial_root` defaults to the all-zero state of
		/// `state_depth`.
		#[pallet::call_index(0)]
		#[pallet::weight(Pallet::<T>::register_weight(program, *mode).saturating_add(T::OnTransition::weight()))]
		pub fn register(
			origin: OriginFor<T>,
			program: ProgramSource<T::MaxProgramLen>,
			key: AgentPublic,
			mode: VerificationMode,
			state_depth: u8,
			initial_root: Option<StateRoot>,
			bond: BalanceOf<T>,
			prepaid: BalanceOf<T>,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_register(owner, program, key, mode, state_depth, initial_root, bond, prepaid).map(|_| ())
		}

		/// Replaces the key that signs the agent's submissions. Owner only.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::update_key())]
		pub fn update_key(origin: OriginFor<T>, agent: AgentId, key: AgentPublic) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Agents::<T>::try_mutate(agent, |info| {
				let info = Self::owned_active(info.as_mut(), &who)?;
				info.key = key;
				Ok::<_, DispatchError>(())
			})?;
			Self::deposit_event(Event::KeyUpdated { agent, key });
			Ok(())
		}

		/// Retires the agent: no more submissions are accepted and its whole bond starts
		/// unbonding. Its last root stays in the registry and the checkpoint. Owner only.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::retire())]
		pub fn retire(origin: OriginFor<T>, agent: AgentId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let program_hash = Agents::<T>::try_mutate(agent, |info| {
				let info = Self::owned_active(info.as_mut(), &who)?;
				info.status = AgentStatus::Retired;
				Ok::<_, DispatchError>(info.program_hash)
			})?;
			T::Bonds::unbond_all(agent)?;
			Self::release_program(program_hash);
			Self::deposit_event(Event::Retired { agent });
			Ok(())
		}
	}
}

impl<T: Config> Pallet<T> {
	/// Registration without the origin check; returns the new agent's id.
	#[allow(clippy::too_many_arguments)]
	pub fn do_register(
		owner: T::AccountId,
		program: ProgramSource<T::MaxProgramLen>,
		key: AgentPublic,
		mode: VerificationMode,
		state_depth: u8,
		initial_root: Option<StateRoot>,
		bond: BalanceOf<T>,
		prepaid: BalanceOf<T>,
	) -> Result<AgentId, DispatchError> {
		ensure!(mode == VerificationMode::Reexec || T::LigeritoEnabled::get(), Error::<T>::ModeNotSupported);
		ensure!(state_depth <= T::MaxStateDepth::get().min(MAX_STATE_DEPTH), Error::<T>::StateDepthTooLarge);
		let program_hash = Self::store_program(program, mode)?;
		let agent = NextAgentId::<T>::get();
		NextAgentId::<T>::put(agent.checked_add(1).ok_or(Error::<T>::AgentIdsExhausted)?);
		let state_root = initial_root.unwrap_or_else(|| empty_root(state_depth));
		Agents::<T>::insert(
			agent,
			AgentInfo {
				owner: owner.clone(),
				key,
				program_hash,
				mode,
				state_depth,
				state_root,
				version: 0,
				nonce: 0,
				status: AgentStatus::Active,
				registered_at: frame_system::Pallet::<T>::block_number(),
			},
		);
		T::Bonds::bond_new(&owner, agent, bond)?;
		if !prepaid.is_zero() {
			T::Fees::top_up(&owner, agent, prepaid)?;
		}
		T::OnTransition::on_transition(agent, state_root, 0);
		Self::deposit_event(Event::Registered { agent, owner, program_hash, mode, state_root });
		Ok(agent)
	}

	/// The weight of registering `program` in `mode`: validation and storage by the blob's
	/// length; in `Ligerito` mode the program table too, which is built only for a program
	/// within the mode's limit (a stored program is not stored again, but read and tabled).
	pub fn register_weight(program: &ProgramSource<T::MaxProgramLen>, mode: VerificationMode) -> Weight {
		let limit = agentic_primitives::LIGERITO_LIMITS.max_program_len;
		match (program, mode) {
			(ProgramSource::Blob(blob), VerificationMode::Reexec) => T::WeightInfo::register(blob.len() as u32),
			(ProgramSource::Blob(blob), VerificationMode::Ligerito) => {
				let len = blob.len() as u32;
				T::WeightInfo::register(len).max(T::WeightInfo::register_ligerito(len.min(limit)))
			},
			(ProgramSource::Stored(_), VerificationMode::Reexec) => T::WeightInfo::register(0),
			(ProgramSource::Stored(_), VerificationMode::Ligerito) => T::WeightInfo::register_ligerito(limit),
		}
	}

	/// Validates and stores a blob (or checks a stored one exists) and counts the new user. A
	/// `Ligerito`-mode agent's program must also have a program table (every instruction inside
	/// the proof system's subset) and be within the mode's limits.
	fn store_program(
		program: ProgramSource<T::MaxProgramLen>,
		mode: VerificationMode,
	) -> Result<ProgramHash, DispatchError> {
		let provable = |blob: &[u8]| -> Result<(), DispatchError> {
			match mode {
				VerificationMode::Reexec => Ok(()),
				VerificationMode::Ligerito => {
					// The length first: the table costs what the program's length does.
					let limits = agentic_primitives::LIGERITO_LIMITS;
					ensure!(blob.len() <= limits.max_program_len as usize, Error::<T>::ExceedsModeLimits);
					let table = agentic_verifier::ligerito::program_table(blob).map_err(Self::table_error)?;
					ensure!(limits.admits_program(blob.len(), table.mapped_memory()), Error::<T>::ExceedsModeLimits);
					Ok(())
				},
			}
		};
		let hash = match program {
			ProgramSource::Blob(blob) => {
				agentic_verifier::program::validate(&blob).map_err(Self::program_error)?;
				provable(&blob)?;
				let hash = H256(agentic_primitives::blake2_256(&blob));
				if !Programs::<T>::contains_key(hash) {
					let len = blob.len() as u32;
					Programs::<T>::insert(hash, blob);
					Self::deposit_event(Event::ProgramStored { hash, len });
				}
				hash
			},
			ProgramSource::Stored(hash) => {
				match mode {
					VerificationMode::Reexec => {
						ensure!(Programs::<T>::contains_key(hash), Error::<T>::UnknownProgram);
					},
					VerificationMode::Ligerito => {
						// The length before the blob is read.
						let len = Programs::<T>::decode_len(hash).ok_or(Error::<T>::UnknownProgram)?;
						ensure!(
							len <= agentic_primitives::LIGERITO_LIMITS.max_program_len as usize,
							Error::<T>::ExceedsModeLimits
						);
						let blob = Programs::<T>::get(hash).ok_or(Error::<T>::UnknownProgram)?;
						provable(&blob)?;
					},
				}
				hash
			},
		};
		ProgramUsers::<T>::mutate(hash, |n| *n = n.saturating_add(1));
		Ok(hash)
	}

	/// One user fewer; the blob goes when none is left.
	fn release_program(hash: ProgramHash) {
		let left = ProgramUsers::<T>::mutate(hash, |n| {
			*n = n.saturating_sub(1);
			*n
		});
		if left == 0 {
			ProgramUsers::<T>::remove(hash);
			Programs::<T>::remove(hash);
		}
	}

	fn program_error(e: ProgramError) -> DispatchError {
		match e {
			ProgramError::TooLarge => Error::<T>::ProgramTooLarge,
			ProgramError::Malformed(_) => Error::<T>::MalformedProgram,
			ProgramError::WrongInstructionSet => Error::<T>::WrongInstructionSet,
			ProgramError::MemoryTooLarge => Error::<T>::ProgramMemoryTooLarge,
			ProgramError::MissingStepExport => Error::<T>::MissingStepExport,
			ProgramError::UnknownImport(_) | ProgramError::UnknownHostCallIndex(_) => Error::<T>::UnknownHostCall,
			ProgramError::Rejected(_) => Error::<T>::ProgramRejected,
		}
		.into()
	}

	fn table_error(e: agentic_verifier::VerifyError) -> DispatchError {
		use agentic_verifier::ligerito::TableError as E;
		match e {
			agentic_verifier::VerifyError::ProgramTable(e) => match e {
				E::UnsupportedInstruction { opcode, .. } => Error::<T>::UnsupportedInstruction { opcode },
				E::Malformed(_) => Error::<T>::MalformedProgram,
				E::WrongInstructionSet => Error::<T>::WrongInstructionSet,
				E::MissingExport(_) => Error::<T>::MissingStepExport,
				E::UnknownHostCall(_) | E::MissingImport { .. } => Error::<T>::UnknownHostCall,
				E::ExportNotBlockStart(_) | E::FallsOffEnd | E::InconsistentDecoding { .. } => {
					Error::<T>::ProgramNotProvable
				},
			},
			_ => Error::<T>::ProgramNotProvable,
		}
		.into()
	}

	fn owned_active<'a>(
		info: Option<&'a mut AgentInfoOf<T>>,
		who: &T::AccountId,
	) -> Result<&'a mut AgentInfoOf<T>, DispatchError> {
		let info = info.ok_or(Error::<T>::UnknownAgent)?;
		ensure!(info.owner == *who, Error::<T>::NotOwner);
		ensure!(info.status == AgentStatus::Active, Error::<T>::AgentRetired);
		Ok(info)
	}

	/// Agents with ids from `start`, at most `count` of them, for paginated reads.
	pub fn agents_from(start: AgentId, count: u32) -> Vec<(AgentId, AgentInfoOf<T>)> {
		let end = NextAgentId::<T>::get();
		(start..end).filter_map(|id| Agents::<T>::get(id).map(|a| (id, a))).take(count as usize).collect()
	}
}

impl<T: Config> AgentDirectory<T::AccountId, BlockNumberFor<T>> for Pallet<T> {
	fn agent(agent: AgentId) -> Option<AgentInfoOf<T>> {
		Agents::<T>::get(agent)
	}

	fn program(agent: AgentId) -> Option<Vec<u8>> {
		Agents::<T>::get(agent).and_then(|a| Programs::<T>::get(a.program_hash)).map(|b| b.into_inner())
	}

	fn apply_transition(agent: AgentId, new_root: StateRoot) -> Result<Version, DispatchError> {
		Agents::<T>::try_mutate(agent, |info| {
			let info = info.as_mut().ok_or(Error::<T>::UnknownAgent)?;
			ensure!(info.status == AgentStatus::Active, Error::<T>::AgentRetired);
			info.state_root = new_root;
			info.version = info.version.saturating_add(1);
			info.nonce = info.nonce.saturating_add(1);
			Ok(info.version)
		})
	}

	fn consume_nonce(agent: AgentId) -> DispatchResult {
		Agents::<T>::try_mutate(agent, |info| {
			let info = info.as_mut().ok_or(Error::<T>::UnknownAgent)?;
			info.nonce = info.nonce.saturating_add(1);
			Ok(())
		})
	}
}

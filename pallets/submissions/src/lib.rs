//! # Agent submissions
//!
//! An agent's prover worker submits `old_root -> new_root` with evidence whenever its policy
//! says so. The submission is an *authorized* transaction (FRAME's `#[pallet::authorize]`, run
//! by the `frame_system::AuthorizeCall` transaction extension): no account signs or pays for it;
//! the agent's own key signs the submission, and the agent's prepaid fee balance pays.
//!
//! ## Two stages
//!
//! 1. **Pool validation** ([`Pallet::check`], cheap, run when the transaction enters the pool
//!    and again when it is applied): the agent is registered, active and bonded; the evidence is
//!    of the agent's mode, with at least one input (and `Ligerito` evidence within
//!    [`LIGERITO_LIMITS`](agentic_primitives::LIGERITO_LIMITS)); `seq` equals the agent's nonce (a replay is `Stale`, a gap `Future`);
//!    `old_root` is the agent's current root; the steps fit; the prepaid balance covers the fee;
//!    the declared consensus time is what the oracle recorded, and not older than the time the
//!    agent's previous accepted transition read; dependencies and vector clock are consistent; and the agent key's signature over
//!    [`Submission::signing_payload`](agentic_primitives::Submission::signing_payload) holds.
//!    The transaction `provides` the tag `(agent, seq)`, so one submission per agent and nonce
//!    can be in the pool.
//! 2. **Verification in dispatch** (heavy): [`agentic_verifier::verify`] re-executes the
//!    program (weighed by the benchmarked steps, evidence size and program size) or checks the
//!    validity proof (weighed by the benchmark of a submission at the `Ligerito` limits). If the evidence holds, the fee is
//!    charged, the agent's root and version advance, the checkpoint is told, and
//!    [`Event::TransitionAccepted`] is emitted. If the evidence is wrong, the agent's nonce is
//!    consumed (the signed submission can never be replayed), its bond is slashed, and
//!    [`Event::TransitionRejected`] says why. Spam with bad evidence thus costs the spammer.
//!
//! Failures of stage 1 are distinct pool errors (see
//! [`InvalidSubmission`](agentic_primitives::InvalidSubmission)) and distinct dispatch errors
//! ([`Error`]).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(any(test, feature = "runtime-benchmarks"))]
mod fixtures;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

use agentic_primitives::{
	traits::{AgentBonds, AgentDirectory, AgentFees, ConsensusTime, OnAgentTransition},
	AgentId, AgentInfo, AgentStatus, Dependency, Evidence, InvalidSubmission, RejectionReason, SignedSubmission,
	StateRoot, Version, LIGERITO_LIMITS, MAX_DEPENDENCIES,
};
use agentic_verifier::{Claim, VerifyError};
use alloc::boxed::Box;
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::*;
use sp_core::H256;
use sp_runtime::{
	traits::{AtLeast32BitUnsigned, Verify, Zero},
	transaction_validity::TransactionValidityWithRefund,
};

pub use pallet::*;
pub use weights::WeightInfo;

/// The registry's record of an agent.
pub type AgentInfoOf<T> = AgentInfo<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;

/// Sets up agents for the benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper {
	/// Registers an active agent running `program` in `mode` with an empty state of `2^depth`
	/// pages, bonded and with ample prepaid fees, whose key is the one [`Self::sign`] signs
	/// with. `Ligerito`-mode registration must be enabled while benchmarks run.
	fn register_agent(program: alloc::vec::Vec<u8>, depth: u8, mode: agentic_primitives::VerificationMode) -> AgentId;
	/// Signs a submission payload with the benchmark agent's key.
	fn sign(payload: &[u8; 32]) -> agentic_primitives::AgentSignature;
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<Hash = H256> {
		/// The balance type of bonds and fees.
		type Balance: Parameter + Member + AtLeast32BitUnsigned + Copy + MaxEncodedLen + Default;
		/// The agent registry.
		type Agents: AgentDirectory<Self::AccountId, BlockNumberFor<Self>>;
		/// Agents' bonds: checked in the pool, slashed for bad evidence.
		type Bonds: AgentBonds<Self::AccountId, Self::Balance>;
		/// Agents' prepaid fees: checked in the pool, charged on acceptance.
		type Fees: AgentFees<Self::AccountId, Self::Balance>;
		/// The time oracle that declared time reads are checked against.
		type Time: ConsensusTime;
		/// Told about every accepted transition (the checkpoint).
		type OnTransition: OnAgentTransition;
		/// Most steps one submission may declare (bounds the re-execution in one block).
		#[pallet::constant]
		type MaxSteps: Get<u64>;
		/// Largest program an agent may run (the registry's limit). A submission's weight
		/// assumes a program this large until dispatch knows the agent's own and refunds the
		/// difference.
		#[pallet::constant]
		type MaxProgramLen: Get<u32>;
		/// Priority of submissions in the transaction pool.
		#[pallet::constant]
		type SubmissionPriority: Get<TransactionPriority>;
		/// Blocks a submission stays valid in the pool.
		#[pallet::constant]
		type SubmissionLongevity: Get<TransactionLongevity>;
		/// Weights of this pallet.
		type WeightInfo: WeightInfo;
		/// Sets up agents for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper;
	}

	/// The oracle block of the consensus time each agent's latest accepted transition read.
	/// A later transition may not read a time recorded earlier.
	#[pallet::storage]
	pub type LastTimeBlock<T> = StorageMap<_, Twox64Concat, AgentId, u32>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A transition was verified and applied.
		TransitionAccepted {
			/// The agent.
			agent: AgentId,
			/// The submission's nonce.
			seq: u64,
			/// Root before.
			old_root: StateRoot,
			/// Root after.
			new_root: StateRoot,
			/// The agent's version after.
			version: Version,
			/// Steps executed.
			steps: u64,
			/// Fee charged from the prepaid balance.
			fee: T::Balance,
			/// Other agents' states the transition read.
			depends_on: BoundedVec<Dependency, ConstU32<MAX_DEPENDENCIES>>,
		},
		/// A submission's evidence was wrong: its nonce is consumed, its fee charged (as far as
		/// the prepaid balance goes) and the bond slashed.
		TransitionRejected {
			/// The agent.
			agent: AgentId,
			/// The submission's nonce.
			seq: u64,
			/// What was wrong.
			reason: RejectionReason,
			/// What was charged from the prepaid fee balance.
			fee: T::Balance,
			/// What was slashed from the bond.
			slashed: T::Balance,
		},
		/// A submission could not be verified for a reason that is not its submitter's fault
		/// (the agent's stored program no longer loads, or the verifier failed). Its nonce is
		/// consumed and the base fee charged, so that it cannot be included again for free;
		/// nothing is slashed.
		TransitionFailed {
			/// The agent.
			agent: AgentId,
			/// The submission's nonce.
			seq: u64,
			/// What was charged from the prepaid fee balance.
			fee: T::Balance,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No agent with this id.
		UnknownAgent,
		/// The agent is retired.
		AgentRetired,
		/// `old_root` is not the agent's current root.
		StateMismatch,
		/// The agent's bond is below the minimum.
		InsufficientBond,
		/// More steps than `MaxSteps`.
		TooManySteps,
		/// The evidence is not of the agent's verification mode.
		WrongMode,
		/// The declared time is not what the oracle recorded at that block.
		UnknownTime,
		/// The declared time is older than the one this agent's previous transition read.
		TimeRegressed,
		/// A dependency names an unknown agent, the agent itself, or a version not reached.
		InvalidDependency,
		/// The vector clock is inconsistent (see [`InvalidSubmission::InvalidVectorClock`]).
		InvalidVectorClock,
		/// The signature is not the agent key's over the submission.
		BadSignature,
		/// `seq` is below the agent's nonce: a replay.
		StaleSubmission,
		/// `seq` is above the agent's nonce.
		FutureSubmission,
		/// The prepaid fee balance does not cover the fee.
		InsufficientPrepaid,
		/// The evidence goes beyond its mode's limits (see
		/// [`InvalidSubmission::ExceedsModeLimits`]).
		ExceedsModeLimits,
		/// The evidence has no input.
		NoInputs,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Submits an agent state transition. Authorized by the agent key's signature inside
		/// `signed` (see the pallet docs), not by an account.
		#[pallet::call_index(0)]
		#[pallet::weight(Pallet::<T>::submit_weight(&signed, T::MaxProgramLen::get()))]
		#[pallet::authorize(Pallet::<T>::authorize_submit)]
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_submit(evidence_kib(signed)))]
		pub fn submit(origin: OriginFor<T>, signed: Box<SignedSubmission>) -> DispatchResultWithPostInfo {
			frame_system::ensure_authorized(origin)?;
			let info = Self::check(&signed).map_err(Error::<T>::from)?;
			let program_len = Self::verify_and_apply(&signed, &info)?;
			Ok(Some(Self::submit_weight(&signed, program_len)).into())
		}
	}
}

/// The weight of verifying and applying any `Ligerito`-mode submission the pool admits.
///
/// Two benchmarks bound it: the proof at every one of the mode's limits (accepted or rejected
/// at its last check, whichever costs more), and the register loop's long run, whose bytes go
/// to tall trace tables. A submitter chooses the proof's table heights, and so the size of its
/// opening's stack, at most [`MAX_STACKED_VALUES`](agentic_primitives::MAX_STACKED_VALUES), and
/// of its bus circuit (at most the opening's): its statement costs at most the first
/// benchmark's, and its opening, bus circuit and per-table work at most what the two verify
/// together (each opens the largest stack, which a test keeps true, so the second opening is
/// margin), so the computation time charged is the two together
/// (`docs/proof-system.md`, "The worst proof shape", gives the argument part by part). The storage
/// reads' and writes' time is counted twice (conservative); the proof size is the larger
/// benchmark's.
pub fn ligerito_weight<T: Config>() -> Weight {
	let at_limits = T::WeightInfo::submit_ligerito().max(T::WeightInfo::submit_ligerito_rejected());
	let long_run = T::WeightInfo::submit_ligerito_long_run();
	at_limits.max(long_run).set_ref_time(at_limits.ref_time().saturating_add(long_run.ref_time()))
}

/// `steps` in thousands, rounded up: the benchmark's step component.
pub fn kilo_steps(steps: u64) -> u32 {
	u32::try_from(steps.div_ceil(1000)).unwrap_or(u32::MAX)
}

/// Evidence size in KiB, rounded up: the benchmark's size component.
pub fn evidence_kib(signed: &SignedSubmission) -> u32 {
	signed.submission.evidence_len().div_ceil(1024)
}

/// Program size in KiB, rounded up (at least 1): the benchmark's program component.
pub fn program_kib(len: u32) -> u32 {
	len.div_ceil(1024).max(1)
}

/// Why stage 1 refused a submission.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CheckError {
	/// A refusal with an Agentic-specific code.
	Invalid(InvalidSubmission),
	/// The signature does not verify.
	BadSignature,
	/// `seq` below the nonce.
	Stale,
	/// `seq` above the nonce.
	Future,
	/// The prepaid balance does not cover the fee.
	InsufficientPrepaid,
}

impl From<CheckError> for TransactionValidityError {
	fn from(e: CheckError) -> Self {
		InvalidTransaction::from(e).into()
	}
}

impl From<CheckError> for InvalidTransaction {
	fn from(e: CheckError) -> Self {
		match e {
			CheckError::Invalid(code) => InvalidTransaction::Custom(code as u8),
			CheckError::BadSignature => InvalidTransaction::BadProof,
			CheckError::Stale => InvalidTransaction::Stale,
			CheckError::Future => InvalidTransaction::Future,
			CheckError::InsufficientPrepaid => InvalidTransaction::Payment,
		}
	}
}

impl<T> From<CheckError> for Error<T> {
	fn from(e: CheckError) -> Self {
		match e {
			CheckError::Invalid(code) => match code {
				InvalidSubmission::UnknownAgent => Error::UnknownAgent,
				InvalidSubmission::AgentRetired => Error::AgentRetired,
				InvalidSubmission::StateMismatch => Error::StateMismatch,
				InvalidSubmission::InsufficientBond => Error::InsufficientBond,
				InvalidSubmission::TooManySteps => Error::TooManySteps,
				InvalidSubmission::WrongMode => Error::WrongMode,
				InvalidSubmission::UnknownTime => Error::UnknownTime,
				InvalidSubmission::InvalidDependency => Error::InvalidDependency,
				InvalidSubmission::InvalidVectorClock => Error::InvalidVectorClock,
				InvalidSubmission::ExceedsModeLimits => Error::ExceedsModeLimits,
				InvalidSubmission::NoInputs => Error::NoInputs,
				InvalidSubmission::TimeRegressed => Error::TimeRegressed,
			},
			CheckError::BadSignature => Error::BadSignature,
			CheckError::Stale => Error::StaleSubmission,
			CheckError::Future => Error::FutureSubmission,
			CheckError::InsufficientPrepaid => Error::InsufficientPrepaid,
		}
	}
}

impl<T: Config> Pallet<T> {
	/// The `authorize` function of [`Pallet::submit`]: stage 1 for the transaction pool.
	pub fn authorize_submit(
		_source: TransactionSource,
		signed: &Box<SignedSubmission>,
	) -> TransactionValidityWithRefund {
		Self::check(signed)?;
		let sub = &signed.submission;
		let valid = ValidTransaction::with_tag_prefix("AgentSubmission")
			.priority(T::SubmissionPriority::get())
			.and_provides((sub.agent, sub.seq))
			.longevity(T::SubmissionLongevity::get())
			.propagate(true)
			.build()?;
		Ok((valid, Weight::zero()))
	}

	/// Stage 1: every cheap check, cheapest first, the signature last. Returns the agent.
	pub fn check(signed: &SignedSubmission) -> Result<AgentInfoOf<T>, CheckError> {
		use InvalidSubmission as I;
		let sub = &signed.submission;
		let info = T::Agents::agent(sub.agent).ok_or(CheckError::Invalid(I::UnknownAgent))?;
		if info.status != AgentStatus::Active {
			return Err(CheckError::Invalid(I::AgentRetired));
		}
		if sub.evidence.mode() != info.mode {
			return Err(CheckError::Invalid(I::WrongMode));
		}
		if sub.evidence.inputs().is_empty() {
			return Err(CheckError::Invalid(I::NoInputs));
		}
		// A Ligerito verification's weight is benchmarked at the mode's limits.
		if let Evidence::Ligerito(evidence) = &sub.evidence {
			if !LIGERITO_LIMITS.admits(evidence) {
				return Err(CheckError::Invalid(I::ExceedsModeLimits));
			}
		}
		if sub.seq < info.nonce {
			return Err(CheckError::Stale);
		}
		if sub.seq > info.nonce {
			return Err(CheckError::Future);
		}
		if sub.old_root != info.state_root {
			return Err(CheckError::Invalid(I::StateMismatch));
		}
		if sub.steps > T::MaxSteps::get() {
			return Err(CheckError::Invalid(I::TooManySteps));
		}
		let min = T::Bonds::minimum_bond();
		if min.is_zero() || T::Bonds::active_bond(sub.agent) < min {
			return Err(CheckError::Invalid(I::InsufficientBond));
		}
		if T::Fees::prepaid(sub.agent) < T::Fees::quote(sub.steps, sub.evidence_len()) {
			return Err(CheckError::InsufficientPrepaid);
		}
		if let Some(time) = sub.time {
			if T::Time::at(time.block) != Some(time.moment) {
				return Err(CheckError::Invalid(I::UnknownTime));
			}
			if LastTimeBlock::<T>::get(sub.agent).is_some_and(|last| time.block < last) {
				return Err(CheckError::Invalid(I::TimeRegressed));
			}
		}
		Self::check_causality(sub.agent, &sub.depends_on, &sub.vector_clock)?;
		let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		let payload = sub.signing_payload(&genesis);
		if !signed.signature.verify(&payload[..], &info.key) {
			return Err(CheckError::BadSignature);
		}
		Ok(info)
	}

	/// Dependencies name other existing agents at versions they reached, sorted by agent, one
	/// entry each; the vector clock is sorted by agent, one entry each, at versions the agents
	/// (this one included) reached, and covers every dependency.
	fn check_causality(agent: AgentId, deps: &[Dependency], clock: &[Dependency]) -> Result<(), CheckError> {
		let reached = |d: &Dependency| T::Agents::agent(d.agent).is_some_and(|a| d.version <= a.version);
		let sorted = |list: &[Dependency]| list.windows(2).all(|w| w[0].agent < w[1].agent);
		if !sorted(deps) || deps.iter().any(|d| d.agent == agent || !reached(d)) {
			return Err(CheckError::Invalid(InvalidSubmission::InvalidDependency));
		}
		let covered = deps.iter().all(|d| clock.iter().any(|c| c.agent == d.agent && c.version >= d.version));
		if !sorted(clock) || !covered || !clock.iter().all(reached) {
			return Err(CheckError::Invalid(InvalidSubmission::InvalidVectorClock));
		}
		Ok(())
	}

	/// The weight of `submit` for `signed` by an agent whose program is `program_len` bytes:
	/// re-execution by its steps, evidence and program; a validity proof by
	/// [`ligerito_weight`].
	pub fn submit_weight(signed: &SignedSubmission, program_len: u32) -> Weight {
		let verification = match signed.submission.evidence {
			Evidence::Reexec(_) => T::WeightInfo::submit(
				kilo_steps(signed.submission.steps),
				evidence_kib(signed),
				program_kib(program_len),
			),
			Evidence::Ligerito(_) => ligerito_weight::<T>(),
		};
		verification.saturating_add(T::OnTransition::weight())
	}

	/// Stage 2: verifies and applies (or rejects) a checked submission; returns the length of
	/// the program it ran.
	fn verify_and_apply(signed: &SignedSubmission, info: &AgentInfoOf<T>) -> Result<u32, DispatchError> {
		let sub = &signed.submission;
		let claim = Claim::of(sub, info.state_depth);
		let program = T::Agents::program(sub.agent);
		let program_len = program.as_ref().map_or(0, |p| u32::try_from(p.len()).unwrap_or(u32::MAX));
		let verdict = match program {
			Some(program) => agentic_verifier::verify(&program, &claim, &sub.evidence),
			None => {
				Err(VerifyError::Program(agentic_verifier::program::ProgramError::Malformed("program missing".into())))
			},
		};
		match verdict {
			Ok(()) => {
				let fee = T::Fees::quote(sub.steps, sub.evidence_len());
				T::Fees::charge(sub.agent, fee)?;
				let version = T::Agents::apply_transition(sub.agent, sub.new_root)?;
				T::OnTransition::on_transition(sub.agent, sub.new_root, version);
				if let Some(time) = sub.time {
					LastTimeBlock::<T>::insert(sub.agent, time.block);
				}
				Self::deposit_event(Event::TransitionAccepted {
					agent: sub.agent,
					seq: sub.seq,
					old_root: sub.old_root,
					new_root: sub.new_root,
					version,
					steps: sub.steps,
					fee,
					depends_on: sub.depends_on.clone(),
				});
				Ok(program_len)
			},
			Err(e) => {
				// Either way the signed submission is spent: it must never be includable twice
				// for free.
				T::Agents::consume_nonce(sub.agent)?;
				match e.rejection_reason() {
					Some(reason) => {
						// Wrong evidence costs at least what right evidence would have, plus the
						// slash: rejection is never the cheap way to fill a block.
						let fee = Self::charge_up_to(sub.agent, T::Fees::quote(sub.steps, sub.evidence_len()));
						let slashed = T::Bonds::slash(sub.agent);
						Self::deposit_event(Event::TransitionRejected {
							agent: sub.agent,
							seq: sub.seq,
							reason,
							fee,
							slashed,
						});
					},
					None => {
						let fee = Self::charge_up_to(sub.agent, T::Fees::quote(0, 0));
						Self::deposit_event(Event::TransitionFailed { agent: sub.agent, seq: sub.seq, fee });
					},
				}
				Ok(program_len)
			},
		}
	}

	/// Charges `fee`, or what is left of the prepaid balance if that is less; returns the charge.
	fn charge_up_to(agent: AgentId, fee: T::Balance) -> T::Balance {
		let fee = fee.min(T::Fees::prepaid(agent));
		match T::Fees::charge(agent, fee) {
			Ok(()) => fee,
			Err(_) => Zero::zero(),
		}
	}
}

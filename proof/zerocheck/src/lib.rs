//! # Agentic zerocheck
//!
//! Proofs that an execution trace satisfies an [`Air`]: stage 2 of the `Ligerito`
//! verification mode (`docs/proof-system.md`).
//!
//! The prover commits the trace's columns (one [`agentic_pcs`] commitment interleaving all of
//! them), then shows that `Q(x) = Σ_j λ_j P_j(cur(x), next(x), selectors(x))` vanishes on every
//! row by a sumcheck of `Σ_x eq(τ, x) · Q(x) = 0` (the `λ_j` and `τ` drawn after the
//! commitment). The sumcheck ends at a random point `s`; the prover sends every column's value
//! and every next-row column's value there, the verifier evaluates the constraints on them, and
//! a stage 1 opening proves those values (and the statement's boundary values) against the
//! commitment.
//!
//! What a proof binds: the caller's statement bytes ([`Statement::context`]), the number of
//! transitions `R`, the AIR's canonical encoding, the boundary values and the public columns.
//! The verifier builds the commitment's shape from these, never from the proof.
//!
//! [`prover::prove`] (feature `prover`, std) makes proofs; [`verify`] checks them and builds
//! `no_std`.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

#[cfg(feature = "prover")]
pub mod prover;
mod shape;
mod verifier;

pub use agentic_air::{Air, AirError, AirInfo};
pub use agentic_pcs::{Base, Ext, OpeningProof, PcsError, SECURE_NUM_QUERIES};
pub use shape::Shape;
pub use verifier::verify;

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode};
use scale_info::TypeInfo;

/// The transcript's domain: the protocol and its version.
pub const DOMAIN: &[u8] = b"agentic-zerocheck-v1";

/// The most boundary values one statement may claim.
pub const MAX_BOUNDARIES: usize = 1 << 12;

/// A value the trace must hold at one cell: column `column` on row `row` equals `value` (the
/// initial state on row 0, the final state on row `R`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Boundary {
	/// The column.
	pub column: u32,
	/// The row, below `2^n`.
	pub row: u64,
	/// The value.
	pub value: Base,
}

/// A column whose every value is public: the verifier evaluates it itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicColumn {
	/// The column.
	pub column: u32,
	/// Its `2^n` values.
	pub values: Vec<Base>,
}

/// What a proof is about, besides the AIR: the verifier's own knowledge, never the prover's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
	/// The caller's statement (for the `Ligerito` mode: the submission without its evidence
	/// and the program hash, SCALE-encoded), absorbed before anything else.
	pub context: Vec<u8>,
	/// `R`, the number of transitions: the trace has `2^n` rows with `n` the bit length of `R`,
	/// and the transition constraints hold on rows `0 .. R`.
	pub active_rows: u64,
	/// Cells the trace must hold.
	pub boundaries: Vec<Boundary>,
	/// Columns the verifier knows entirely, in increasing column order.
	pub public_columns: Vec<PublicColumn>,
}

/// Protocol parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
	/// Queries of the commitment opening: [`SECURE_NUM_QUERIES`] in production.
	pub num_queries: u16,
}

impl Default for Config {
	fn default() -> Self {
		Config { num_queries: SECURE_NUM_QUERIES }
	}
}

/// A proof that a committed trace satisfies an AIR under a [`Statement`].
///
/// Decode it with `DecodeAll::decode_all` where proofs are identified by their bytes.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct TraceProof {
	/// The Merkle root of the committed trace.
	pub trace_root: [u8; 32],
	/// Per variable, the zerocheck's round polynomial `h_t` at the nodes `0, 1, x, x + 1, …`
	/// (`D + 2` values, `D` the AIR's degree).
	pub rounds: Vec<Vec<u128>>,
	/// Every column's value at the sumcheck's point `s`.
	pub cur: Vec<u128>,
	/// Every next-row column's value at `s`, in the order of [`AirInfo::next_columns`].
	pub next: Vec<u128>,
	/// The opening of the commitment at `s` (and at the boundary cells).
	pub opening: OpeningProof,
}

/// Why a proof was refused or could not be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ZerocheckError {
	/// The AIR is malformed.
	Air(AirError),
	/// The statement or trace does not have a shape a proof can have.
	BadShape(&'static str),
	/// The prover was given a trace that violates a constraint.
	Violation(agentic_air::RowViolation),
	/// The prover was given a trace that does not hold a boundary value or public column.
	BoundaryViolation {
		/// The column.
		column: u32,
		/// The row.
		row: u64,
	},
	/// The proof's parts do not have the sizes the statement implies.
	Malformed(&'static str),
	/// A round polynomial does not sum to the running claim.
	RoundFailed {
		/// The round (variable).
		round: u32,
	},
	/// The constraints at the sumcheck's point do not give its final claim.
	FinalCheckFailed,
	/// A public column's value at the sumcheck's point is not the one the proof sends.
	PublicColumnMismatch {
		/// The column.
		column: u32,
	},
	/// The opening of the commitment failed.
	Opening(PcsError),
}

impl core::fmt::Display for ZerocheckError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			ZerocheckError::Air(e) => write!(f, "bad AIR: {e}"),
			ZerocheckError::BadShape(s) => write!(f, "bad shape: {s}"),
			ZerocheckError::Violation(v) => write!(f, "the trace is invalid: {v}"),
			ZerocheckError::BoundaryViolation { column, row } => {
				write!(f, "the trace does not hold the claimed value of column {column} at row {row}")
			},
			ZerocheckError::Malformed(s) => write!(f, "malformed proof: {s}"),
			ZerocheckError::RoundFailed { round } => write!(f, "zerocheck round {round} does not sum to the claim"),
			ZerocheckError::FinalCheckFailed => {
				f.write_str("the constraints at the final point do not match the sumcheck")
			},
			ZerocheckError::PublicColumnMismatch { column } => write!(f, "public column {column} does not match"),
			ZerocheckError::Opening(e) => write!(f, "opening: {e}"),
		}
	}
}

#[cfg(feature = "std")]
impl std::error::Error for ZerocheckError {}

impl From<AirError> for ZerocheckError {
	fn from(e: AirError) -> Self {
		ZerocheckError::Air(e)
	}
}

impl From<PcsError> for ZerocheckError {
	fn from(e: PcsError) -> Self {
		ZerocheckError::Opening(e)
	}
}

//! # Agentic zerocheck
//!
//! Proofs that execution traces satisfy their [`Air`]s: stage 2 of the `Ligerito`
//! verification mode, with stage 3's multi-table extension (`docs/proof-system.md`).
//!
//! A proof covers one or more *tables*, each a trace of its own height with its own AIR (one AIR
//! type, which may be an enum over several). Tables talk through buses: what all rows send
//! must be, as a multiset, what all rows receive, together with the statement's public
//! interactions. Then, per table:
//!
//! The prover commits every table's columns in one [`agentic_pcs`] commitment (stacked, each
//! column at its table's height; the columns an AIR declares bits packed 32 to a polynomial,
//! their values at the end reduced to claims on the packs by [`agentic_pcs::ring_switch`]),
//! then shows per table that
//! `Q(x) = Σ_j λ_j P_j(cur(x), next(x), selectors(x))` vanishes on every row by a sumcheck of
//! `Σ_x eq(τ, x) · Q(x) = 0` (`λ_j = λ^j`, the powers of one draw `λ`, and `τ` drawn after the
//! commitments). Each sumcheck ends at a random point `s`; the prover sends every column's
//! value and every next-row column's value there, the verifier evaluates the constraints on
//! them, and one stage 1 opening proves every table's values (and the statement's boundary
//! values) against the commitment.
//!
//! With interactions, the transcript draws the bus challenges after the commitment; the prover
//! then proves the grand products of every interacting table's per-row sends and receives by a
//! layered product circuit (GKR, [`BusProof`]), the verifier checks that its outputs balance
//! with the public interactions, and the circuit's last claims (one pair per table) join each
//! table's zerocheck sumcheck (run at the circuit's point: `τ = r_t`), so that the one opening
//! proves them too. Every zerocheck and circuit round sends its polynomial without the `eq`
//! factor and without its value at 1 (Gruen's factoring; `docs/proof-system.md`).
//!
//! What a proof binds: the caller's statement bytes ([`Statement::context`]), per table the
//! number of transitions `R`, the AIR's canonical encoding, the boundary values and the public
//! columns, and the public interactions. The verifier builds every commitment's shape from
//! these, never from the proof.
//!
//! [`prover::prove_tables`] and [`prover::prove`] (one table; feature `prover`, std) make
//! proofs; [`verify_tables`] and [`verify`] check them and build `no_std`.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

mod bus;
#[cfg(feature = "prover")]
pub mod prover;
mod shape;
mod verifier;

pub use agentic_air::{Air, AirError, AirInfo, Direction};
pub use agentic_pcs::{
	Base, Ext, OpeningProof, PcsError, RecursiveOpeningProof, NODE_BYTES, SECURE_GRINDING_BITS,
	SECURE_NUM_QUERIES_RECURSIVE,
};
pub use shape::Shape;
pub use verifier::{verify, verify_tables};

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode};
use scale_info::TypeInfo;

/// The transcript's domain: the protocol and its version.
pub const DOMAIN: &[u8] = b"agentic-zerocheck-v7";

/// The most tables one proof may cover.
pub const MAX_TABLES: usize = 64;

/// The most public interactions one statement may list.
pub const MAX_PUBLIC_INTERACTIONS: usize = 1 << 20;

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

/// What a one-table proof is about, besides the AIR: the verifier's own knowledge, never the
/// prover's.
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

impl Statement {
	/// The statement as one of several tables'.
	pub fn table(&self) -> TableStatement {
		TableStatement {
			active_rows: self.active_rows,
			boundaries: self.boundaries.clone(),
			public_columns: self.public_columns.clone(),
		}
	}

	/// The multi-table statement of this one table.
	pub fn tables(&self) -> Tables {
		Tables { context: self.context.clone(), tables: alloc::vec![self.table()], public_interactions: Vec::new() }
	}
}

/// What one table of a proof is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableStatement {
	/// `R`, the number of transitions (see [`Statement::active_rows`]).
	pub active_rows: u64,
	/// Cells the trace must hold.
	pub boundaries: Vec<Boundary>,
	/// Columns the verifier knows entirely, in increasing column order.
	pub public_columns: Vec<PublicColumn>,
}

/// A tuple the verifier puts on a bus, or takes off it, itself (a row of a table it knows).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicInteraction {
	/// The bus.
	pub bus: u32,
	/// Send or receive.
	pub direction: Direction,
	/// The fields (besides the bus tag).
	pub fields: Vec<Base>,
}

/// What a multi-table proof is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tables {
	/// The caller's statement, absorbed before anything else.
	pub context: Vec<u8>,
	/// One statement per table, in the order of the proof's tables.
	pub tables: Vec<TableStatement>,
	/// The tuples the verifier sends and receives itself.
	pub public_interactions: Vec<PublicInteraction>,
}

/// Protocol parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
	/// Queries of every level of the commitment openings: [`SECURE_NUM_QUERIES_RECURSIVE`] in
	/// production.
	pub num_queries: u16,
	/// Bits of work before each level's queries ([`agentic_pcs::Params::grinding_bits`]):
	/// [`SECURE_GRINDING_BITS`] in production.
	pub grinding_bits: u8,
	/// The most values a proof's opening may stack (`2^N` for its stack of `N` variables, as
	/// [`TraceProof::stacked_values`]): prover and verifier refuse a
	/// statement whose shape stacks more ([`ZerocheckError::StacksTooLarge`]) before anything
	/// is committed or checked. No bound by default; the chain's is
	/// `agentic_primitives::MAX_STACKED_VALUES`.
	pub max_stacked_values: u64,
}

impl Default for Config {
	fn default() -> Self {
		Config {
			num_queries: SECURE_NUM_QUERIES_RECURSIVE,
			grinding_bits: SECURE_GRINDING_BITS,
			max_stacked_values: u64::MAX,
		}
	}
}

/// One table's part of a [`TraceProof`].
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct TableProof {
	/// Per variable, the zerocheck's round polynomial without its `eq` factor (Gruen's
	/// factoring, of the AIR's degree `D`) at the nodes `0, x, x + 1, …` up to `D`: `D` values
	/// (its value at 1 follows from the running claim).
	pub rounds: Vec<Vec<u128>>,
	/// Every column's value at the sumcheck's point `s`.
	pub cur: Vec<u128>,
	/// Every next-row column's value at `s`, in the order of [`AirInfo::next_columns`].
	pub next: Vec<u128>,
}

/// One layer of the bus's product circuit ([`BusProof`]).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct BusLayer {
	/// Per variable of the layer, its sumcheck's round polynomial without its `eq` factor (of
	/// degree 2) at the nodes `0` and `x` (its value at 1 follows from the running claim).
	pub rounds: Vec<[u128; 2]>,
	/// The next layer's send and receive trees at the sumcheck's point, with the top variable
	/// 0 and 1: `u_0, u_1, v_0, v_1`.
	pub values: [u128; 4],
}

/// The bus part of a [`TraceProof`]: the grand products of what every interacting table's rows
/// send and receive, proven by a layered product circuit (`docs/proof-system.md`, "Buses by a
/// GKR grand product").
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct BusProof {
	/// The two trees' layer 1: `u_0, u_1, v_0, v_1` (the products are `u_0 u_1` and `v_0 v_1`).
	pub outputs: [u128; 4],
	/// Layers 1 to `N - 1`, layer `ℓ` with `ℓ` rounds.
	pub layers: Vec<BusLayer>,
	/// Per interacting table (statement order), its send and receive leaves' extensions at the
	/// circuit's last point.
	pub leaves: Vec<[u128; 2]>,
}

/// A proof that committed traces satisfy their AIRs under a [`Tables`] statement (or a
/// [`Statement`], for one table).
///
/// Every table's columns are committed together (one stacked commitment, see
/// [`agentic_pcs::Layout`]) and opened once for all tables' claims, by a recursive opening
/// (its combined rows committed until one is short enough to send). The tables' buses are
/// proven by [`BusProof`], whose claims the tables' zerochecks reduce to the same opening.
///
/// Decode it with `DecodeAll::decode_all` where proofs are identified by their bytes.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct TraceProof {
	/// The Merkle root of every table's committed columns.
	pub trace_root: [u8; 32],
	/// The grand products of the buses (only if some AIR interacts).
	pub bus: Option<BusProof>,
	/// One part per table, in the statement's order.
	pub tables: Vec<TableProof>,
	/// The opening of the committed columns at every table's point (and at the boundary
	/// cells).
	pub opening: RecursiveOpeningProof,
}

impl TraceProof {
	/// The values its opening stacks: `2^N` for the first level's `N` variables (its sumcheck's
	/// rounds). What verifying the proof costs grows with it (the leaves, the levels, the rounds,
	/// and the bus circuit, whose stack is at most the trace's), and the verifier refuses a
	/// sumcheck of any other length than the statement's shape implies, so this is known, and
	/// can be bounded, before anything is verified. Saturates.
	pub fn stacked_values(&self) -> u64 {
		let o = &self.opening;
		let rounds = o.levels.first().map_or(o.last.sumcheck.len(), |level| level.sumcheck.len());
		u32::try_from(rounds).ok().and_then(|n| 1u64.checked_shl(n)).unwrap_or(u64::MAX)
	}
}

/// Why a proof was refused or could not be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ZerocheckError {
	/// The AIR is malformed.
	Air(AirError),
	/// The statement or trace does not have a shape a proof can have.
	BadShape(&'static str),
	/// The statement's openings stack more values than [`Config::max_stacked_values`] (the
	/// values they stack).
	StacksTooLarge(u64),
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
	/// The constraints at the sumcheck's point do not give its final claim.
	FinalCheckFailed,
	/// A public column's value at the sumcheck's point is not the one the proof sends.
	PublicColumnMismatch {
		/// The column.
		column: u32,
	},
	/// What the tables send and what they receive (with the public interactions) differ, or a
	/// claimed product or public fingerprint is 0.
	Unbalanced,
	/// A layer of the bus's product circuit does not give its sumcheck's final claim.
	BusLayerFailed {
		/// The layer (1 to `N - 1`).
		layer: u32,
	},
	/// The bus's leaf claims do not recombine to the circuit's last claims.
	BusLeavesMismatch,
	/// The opening of the commitment failed.
	Opening(PcsError),
}

impl core::fmt::Display for ZerocheckError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			ZerocheckError::Air(e) => write!(f, "bad AIR: {e}"),
			ZerocheckError::BadShape(s) => write!(f, "bad shape: {s}"),
			ZerocheckError::StacksTooLarge(values) => {
				write!(f, "the openings stack {values} values, more than the configuration allows")
			},
			ZerocheckError::Violation(v) => write!(f, "the trace is invalid: {v}"),
			ZerocheckError::BoundaryViolation { column, row } => {
				write!(f, "the trace does not hold the claimed value of column {column} at row {row}")
			},
			ZerocheckError::Malformed(s) => write!(f, "malformed proof: {s}"),
			ZerocheckError::FinalCheckFailed => {
				f.write_str("the constraints at the final point do not match the sumcheck")
			},
			ZerocheckError::PublicColumnMismatch { column } => write!(f, "public column {column} does not match"),
			ZerocheckError::Unbalanced => f.write_str("the buses do not balance"),
			ZerocheckError::BusLayerFailed { layer } => write!(f, "layer {layer} of the bus's product circuit fails"),
			ZerocheckError::BusLeavesMismatch => {
				f.write_str("the bus's leaf claims do not recombine to its last claims")
			},
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

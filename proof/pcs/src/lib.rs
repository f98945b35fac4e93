//! # Agentic polynomial commitments
//!
//! Commitments to multilinear polynomials over the binary field GF(2^32) ([`Base`]), opened at
//! arbitrary points of GF(2^128) ([`Ext`]), many claims at once. This is the commitment layer of
//! the `Ligerito` verification mode: the execution-trace proof commits its columns here and
//! reduces every constraint check to evaluation claims that this crate proves.
//!
//! ## The scheme
//!
//! A polynomial in `n` variables is given by its `2^n` values on the boolean hypercube
//! (evaluation form), index bit `j` being variable `x_j`. Several polynomials, of any sizes,
//! are committed together: they are *stacked*, largest first, into one polynomial `F` in `N`
//! variables (each at an offset that is a multiple of its size; see [`Layout`]), and `F` is
//! laid out as a matrix with `2^w` columns (`w` the *leaf width*) and `m = 2^(N - w)` rows:
//! entry `(i, c)` is `F[i * 2^w + c]`. Every column is Reed-Solomon encoded at rate 1/4
//! (ligerito's additive-FFT code over GF(2^32)) and the `4m` rows of the encoded matrix are
//! the leaves of a Merkle tree; its root is the [`Commitment`]. Whatever the number of
//! polynomials, an opening reveals `Q` leaves of `2^w` values: stacking many small
//! polynomials costs no more leaves than one large one.
//!
//! An opening proves claims `f(r) = v` and `next(f)(r) = v` (the polynomial shifted by one
//! index: a trace column's next row), `r` any point of `Ext^n`, over one or more commitments of
//! the same shape:
//!
//! 1. the transcript takes the parameters, every commitment and every claim;
//! 2. the powers `α_l = α^l` of one random `α`, one per claim, and a *batching sumcheck* over
//!    the `N` variables reduces
//!    `Σ_l α_l · v_l = Σ_x Σ_g F_g(x) · W_g(x)` (with `W_g = Σ α_l eq(r_l, ·) · sel_l` over the
//!    claims on commitment `g`, `sel_l` selecting the claimed polynomial's place in `F`, and
//!    `S(r_l, ·)`, the successor polynomial, in place of `eq` for shifted claims) to the
//!    values `e_g = F_g(s)` at one transcript-random point `s`;
//! 3. a random weight `γ_g` per commitment; the prover sends `y = Σ γ_g · F_g(s_lo, ·)`, the
//!    combined row (one GF(2^128) value per matrix row, without the rows past the
//!    polynomials, which are zero); the verifier checks `⟨y, eq(s_hi)⟩ = Σ γ_g · e_g`;
//! 4. `Q` transcript-chosen leaves are opened in every tree, and for each the verifier checks
//!    `Σ γ_g · ⟨leaf_g, eq(s_lo)⟩ = Enc(y)[q]`, the code applied to `y` (ligerito's code with
//!    its twiddles embedded in GF(2^128)).
//!
//! Bit columns may be committed packed, 32 to a polynomial ([`pack`]): claims on their values
//! at a point are reduced by ring switching ([`ring_switch`]) to [`ClaimKind::Packed`] claims,
//! which an opening proves like the others.
//!
//! A *recursive* opening ([`prover::open_recursive`], [`verify_recursive`]) commits the
//! combined row instead of sending it and proves the verifier's checks of it (its value at
//! `s_hi` and its encoding at the queried leaves, [`ClaimKind::Tensor`] claims) with another
//! opening, until a row short enough to send: Ligerito's recursion, at most [`MAX_LEVELS`]
//! levels, their shapes fixed by the first one's.
//!
//! [`docs/proof-system.md`](../../docs/proof-system.md) states the protocol, the transcript
//! order and the soundness argument with its parameters.
//!
//! ## Use
//!
//! [`prover::commit`] and [`prover::open`] (feature `prover`, std) make commitments and
//! proofs; [`verify`] checks them and builds `no_std` for the runtime. Prover and verifier take
//! a [`Transcript`] that the caller has already fed whatever the claims depend on.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

mod code;
pub mod field;
mod hash;
mod layout;
mod merkle;
#[cfg(feature = "prover")]
pub mod prover;
mod recursion;
mod ring;
#[cfg(feature = "test-utils")]
pub mod test_utils;
mod transcript;
mod verifier;

pub use code::CodeCache;
pub use layout::{eq_eval, eq_table, successor, tensor_eval, Layout, MAX_LOG_LEAF_WIDTH, MAX_NUM_QUERIES, MAX_POLYS};
pub use ligerito_binary_fields::{BinaryElem128 as Ext, BinaryElem32 as Base, BinaryFieldElement};
pub use merkle::{Node, NODE_BYTES};
pub use recursion::{MAX_LEVELS, SECURE_GRINDING_BITS, SECURE_NUM_QUERIES_RECURSIVE};
#[cfg(feature = "prover")]
pub use ring::pack;
pub use ring::{packed_eval, ring_switch, PackedClaim, LOG_EXT_BITS, PACK};
pub use transcript::Transcript;
pub use verifier::{verify, verify_recursive, verify_recursive_with, verify_with};

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode};
use scale_info::TypeInfo;

/// The code's rate is `1 / 2^LOG_INV_RATE`.
pub const LOG_INV_RATE: u32 = 2;
/// The most variables a committed polynomial may have.
pub const MAX_NUM_VARS: u8 = 30;
/// The most commitments one opening may cover.
pub const MAX_COMMITMENTS: usize = 64;

/// The most claims one opening proves. The claims are batched by the powers of one challenge,
/// which errs with probability at most `(claims - 1) / |E|`: at most `2^-104` with this many.
/// (A zerocheck at its limits makes fewer than `2^19`.)
pub const MAX_CLAIMS: usize = 1 << 24;

/// The number of queries for 100 bits of security under the proximity argument of
/// `docs/proof-system.md` (`(3/4)^241 < 2^-100`), without grinding.
pub const SECURE_NUM_QUERIES: u16 = 241;

/// The most bits of work a level may ask before its queries (`2^32` hashes, minutes of a
/// prover's time).
pub const MAX_GRINDING_BITS: u8 = 32;

/// Parameters every commitment and opening of one protocol shares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct Params {
	/// `w`: the encoded matrix has `2^w` columns (one leaf holds `2^w` base-field values).
	pub log_leaf_width: u8,
	/// How many leaves an opening reveals per commitment (all of them if there are fewer), at
	/// every level of a recursive opening; in production [`SECURE_NUM_QUERIES`] for a one-level
	/// opening and [`SECURE_NUM_QUERIES_RECURSIVE`] for a recursive one (the verifier takes the
	/// caller's), fewer only in tests.
	pub num_queries: u16,
	/// Grinding: before each level draws its queries the prover finds a nonce whose work hash
	/// starts with this many zero bits (about `2^bits` hashes) and the verifier checks it (one
	/// hash), so that each new draw of the queries costs a cheating prover that much work: the
	/// query phase counts `bits` more bits of security, at most [`MAX_GRINDING_BITS`]. In
	/// production 0 with [`SECURE_NUM_QUERIES`] and [`SECURE_GRINDING_BITS`] with
	/// [`SECURE_NUM_QUERIES_RECURSIVE`].
	pub grinding_bits: u8,
}

impl Params {
	/// The parameters that make openings of polynomials taking up `values` values in all (the
	/// sum of their sizes) shortest under `num_queries` queries: the leaf width `w` (at most the
	/// stacked polynomial's `N` variables and [`MAX_LOG_LEAF_WIDTH`], and wide enough for at
	/// most `2^26` rows) that minimises the opened leaves (`4 Q 2^w` bytes) plus the combined
	/// row (`16 ⌈values / 2^w⌉` bytes), the narrower of two ties; `grinding_bits` as given.
	pub fn shortest(values: u64, num_queries: u16, grinding_bits: u8) -> Params {
		let total = values.max(1).next_power_of_two().trailing_zeros();
		let high = total.min(MAX_LOG_LEAF_WIDTH as u32);
		let low = total.saturating_sub(26).min(high);
		let cost = |w: u32| 4 * u64::from(num_queries) * (1u64 << w) + 16 * values.div_ceil(1u64 << w);
		let best = (low..=high).min_by_key(|&w| (cost(w), w)).unwrap_or(low);
		Params { log_leaf_width: best as u8, num_queries, grinding_bits }
	}
}

/// A commitment: the Merkle root of the encoded matrix and the shape it commits to.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct Commitment {
	/// The Merkle root over the encoded rows.
	pub root: [u8; 32],
	/// Per committed polynomial, in order, its number of variables (`n_j`). The root does not
	/// bind this: a protocol takes it from its own statement.
	pub num_vars: Vec<u8>,
}

/// What a claim says about its polynomial `f` at its point `r`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClaimKind {
	/// `f(r)`: the polynomial's value at `r`.
	Eq,
	/// `next(f)(r)`, where `next(f)[i] = f[i + 1]` and `0` for the last index: the value at `r`
	/// of the polynomial shifted up by one (a trace column's next row).
	Shifted,
	/// `Σ_i f[i] · Π_t (bit t of i ? v_t : u_t)`: a linear functional whose weights are a
	/// product of one factor per variable, given by its two values. The claim's point holds the
	/// pairs `(u_0, v_0, u_1, v_1, …)`, two coordinates per variable. (`Eq` at `r` is the pairs
	/// `(1 + r_t, r_t)`.) A recursive opening states its combined row's checks this way.
	Tensor,
	/// `Σ_i f[i] · Σ_u eq(ρ, u) bit_u(eq(r, i))`: bit columns packed in `f`, their claims at `r`
	/// reduced by [`ring_switch`]. The point is `r` followed by the 7 coordinates of `ρ`.
	Packed,
}

impl ClaimKind {
	fn tag(self) -> u64 {
		match self {
			ClaimKind::Eq => 0,
			ClaimKind::Shifted => 1,
			ClaimKind::Tensor => 2,
			ClaimKind::Packed => 3,
		}
	}

	/// Coordinates of a point of this kind on a polynomial of `num_vars` variables.
	pub(crate) fn point_len(self, num_vars: u32) -> usize {
		match self {
			ClaimKind::Eq | ClaimKind::Shifted => num_vars as usize,
			ClaimKind::Tensor => 2 * num_vars as usize,
			ClaimKind::Packed => num_vars as usize + ring::LOG_EXT_BITS,
		}
	}
}

/// A claim about polynomial `poly` of commitment `commitment`: `f(point) = value`, or
/// `next(f)(point) = value` (see [`ClaimKind`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claim {
	/// Index of the commitment in the opening's list.
	pub commitment: u32,
	/// Index of the polynomial inside that commitment.
	pub poly: u32,
	/// What is claimed of the polynomial at the point.
	pub kind: ClaimKind,
	/// The point, one coordinate per variable, `x_0` first (two per variable for
	/// [`ClaimKind::Tensor`]).
	pub point: Vec<Ext>,
	/// The claimed value.
	pub value: Ext,
}

/// One commitment's part of an opening: the revealed leaves and their Merkle multiproof.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct LeafOpening {
	/// The opened rows of the encoded matrix, in increasing query order, `2^w` values each.
	pub rows: Vec<Vec<u32>>,
	/// The Merkle multiproof of those rows: layer by layer from the leaves, in increasing
	/// index order, the sibling of every known node not itself known (26-byte nodes).
	pub siblings: Vec<Node>,
}

/// A proof that a list of claims holds for a list of commitments.
///
/// Decode it with `DecodeAll::decode_all` where proofs are identified by their bytes: plain
/// `decode` ignores trailing bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct OpeningProof {
	/// The batching sumcheck: per variable, the round polynomial as `(h(0), X² coefficient)`
	/// (`h(1)` follows from the running claim: `h(0) + h(1)` is the claim).
	pub sumcheck: Vec<[u128; 2]>,
	/// `F_g(s)` for every commitment `g`, at the sumcheck's point `s`.
	pub evaluations: Vec<u128>,
	/// `y = Σ_g γ_g · F_g(s_lo, ·)`: one value per row of the (unencoded) matrix.
	pub combined_row: Vec<u128>,
	/// The proof of work before the queries ([`Params::grinding_bits`]).
	pub nonce: u64,
	/// Per commitment, the opened leaves.
	pub openings: Vec<LeafOpening>,
}

/// One level of a recursive opening: the reduction of its claims to the combined row, and the
/// row committed (its root) instead of sent. The next level opens that commitment for the
/// checks the row must pass (see [`RecursiveOpeningProof`]).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct CommittedLevel {
	/// The batching sumcheck, as in [`OpeningProof::sumcheck`].
	pub sumcheck: Vec<[u128; 2]>,
	/// `F_g(s)` for every commitment of the level.
	pub evaluations: Vec<u128>,
	/// The root of the commitment to the combined row's coordinates over GF(2^32).
	pub row_root: [u8; 32],
	/// The proof of work before the level's queries ([`Params::grinding_bits`]).
	pub nonce: u64,
	/// Per commitment of the level, the opened leaves.
	pub openings: Vec<LeafOpening>,
}

/// A recursive opening (Ligerito's recursion): each level's combined row is committed and the
/// next level proves what the verifier would have checked of it (its value at `s_hi` and its
/// encoding at the queried leaves), until a row short enough to send. The number of levels and
/// their leaf widths follow from the first level's shape ([`MAX_LEVELS`] at most), never from
/// the proof.
///
/// Decode it with `DecodeAll::decode_all` where proofs are identified by their bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct RecursiveOpeningProof {
	/// The levels whose combined rows are committed, the caller's commitments' first.
	pub levels: Vec<CommittedLevel>,
	/// The last level: the opening of the last committed row (of the caller's commitments if
	/// there are no levels), its combined row in the clear.
	pub last: OpeningProof,
}

/// Why a commitment, claim list or proof was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PcsError {
	/// Parameters or shapes that no commitment can have (e.g. too many variables).
	BadShape(&'static str),
	/// A claim names a commitment or polynomial that does not exist, or has a point of the
	/// wrong length.
	BadClaim(&'static str),
	/// The proof's parts do not have the sizes the parameters and claims imply.
	Malformed(&'static str),
	/// The evaluations at the sumcheck point do not match the sumcheck's final claim.
	EvaluationMismatch,
	/// The combined row does not evaluate to the combined evaluations.
	CombinedRowMismatch,
	/// A Merkle multiproof does not open the commitment at the queried leaves.
	MerkleFailed {
		/// The commitment whose tree failed.
		commitment: u32,
	},
	/// An opened leaf is not consistent with the encoded combined row.
	ColumnCheckFailed {
		/// The leaf index.
		leaf: u32,
	},
	/// A level's nonce does not prove the work [`Params::grinding_bits`] asks.
	NotEnoughWork,
}

impl core::fmt::Display for PcsError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			PcsError::BadShape(s) => write!(f, "bad shape: {s}"),
			PcsError::BadClaim(s) => write!(f, "bad claim: {s}"),
			PcsError::Malformed(s) => write!(f, "malformed proof: {s}"),
			PcsError::EvaluationMismatch => f.write_str("the evaluations do not match the sumcheck's final claim"),
			PcsError::CombinedRowMismatch => f.write_str("the combined row does not match the evaluations"),
			PcsError::MerkleFailed { commitment } => write!(f, "the leaves do not open commitment {commitment}"),
			PcsError::ColumnCheckFailed { leaf } => write!(f, "leaf {leaf} is inconsistent with the combined row"),
			PcsError::NotEnoughWork => f.write_str("a nonce does not prove the work the parameters ask"),
		}
	}
}

#[cfg(feature = "std")]
impl std::error::Error for PcsError {}

pub(crate) fn ext(v: u128) -> Ext {
	Ext::from_value(v)
}

pub(crate) fn ext_value(e: Ext) -> u128 {
	e.poly().value()
}

//! # The PolkaVM arithmetization of the `Ligerito` mode
//!
//! What a proof that a PolkaVM program ran is made of (`docs/proof-system.md`, stage 3):
//!
//! - [`program`]: the v1 instruction subset, the registration check that names an instruction
//!   outside it, and the program table every executed instruction is looked up in;
//! - [`alu`]: the ALU chip, a table of 64-bit integer operations proven bit by bit (carry
//!   chains for addition, subtraction and comparisons; bitwise operations; equality through an
//!   inverse), answering requests on a bus;
//! - [`shift`]: the shifts and rotations (their semantics so far);
//! - [`machine`]: an interpreter of the v1 subset that reports, per executed instruction, what
//!   the tables need; it is checked against polkavm's own interpreter step by step.
//!
//! The tables are [`agentic_air::Air`]s, proven together by `agentic-zerocheck`'s
//! `prove_tables`; their buses are numbered in [`bus`].
//!
//! `no_std` with `alloc`: the runtime's verifier (stage 4) builds the program table and
//! evaluates these constraints.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub mod alu;
pub mod machine;
pub mod program;
pub mod shift;

/// The buses the VM's tables talk on (each tuple's first field, its tag).
pub mod bus {
	/// Requests to the ALU chip: `(op, a_lo, a_hi, b_lo, b_hi, c_lo, c_hi)`.
	pub const ALU: u32 = 1;
}

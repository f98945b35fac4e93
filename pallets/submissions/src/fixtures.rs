//! Real `Ligerito`-mode submissions, for the `submit_ligerito*` benchmarks and the tests.
//!
//! The prover cannot run in the runtime's Wasm (it needs `std`), where the benchmarks run, so
//! the submissions are made natively by the verifier's `ligerito_fixture` example and checked
//! in. The first, `benchmarks/ligerito_limits.scale`:
//!
//! ```sh
//! CARGO_TARGET_DIR=$HOME/.cache/agentic/bench-target RUSTFLAGS="-C target-cpu=native" \
//!   cargo run --release -p agentic-verifier --features prover,hardware-accel \
//!   --example ligerito_fixture -- pallets/submissions/benchmarks/ligerito_limits.scale
//! ```
//!
//! It is the mirror agent at every one of the mode's limits
//! ([`LIGERITO_LIMITS`](agentic_primitives::LIGERITO_LIMITS)): the largest program, with
//! read-only data and a jump table, the most mapped memory, one input of the most bytes,
//! written to the most state pages of the deepest state and output, and then as many steps as
//! still fit a proof (it is the bound on stacked values that stops it). The second,
//! `benchmarks/ligerito_long_run.scale` (the same command with
//! `pallets/submissions/benchmarks/ligerito_long_run.scale long_run` as its arguments), is the
//! register loop agent over one 8-byte input for as many rounds as fit a proof: small public
//! tables and tall trace tables. Each stacks more than half of
//! [`MAX_STACKED_VALUES`](agentic_primitives::MAX_STACKED_VALUES), which the weight of a
//! `Ligerito` submission rests on (`docs/proof-system.md`, "The worst proof shape"). The
//! tests check that both still verify and are where the weight needs them; remake them
//! whenever the proof system or the limits change.

use agentic_primitives::Submission;
use alloc::vec::Vec;

/// The SCALE encoding of `(program, state depth, submission)`: the submission is for agent 0
/// with nonce 0, from the empty state, unsigned.
const LIGERITO_LIMITS: &[u8] = include_bytes!("../benchmarks/ligerito_limits.scale");

/// The same for the register loop's long run.
const LIGERITO_LONG_RUN: &[u8] = include_bytes!("../benchmarks/ligerito_long_run.scale");

/// The fixture at the mode's limits: program, state depth and submission.
pub fn ligerito_limits() -> (Vec<u8>, u8, Submission) {
	codec::DecodeAll::decode_all(&mut &LIGERITO_LIMITS[..]).expect("the checked-in fixture decodes")
}

/// The long-run fixture: program, state depth and submission.
pub fn ligerito_long_run() -> (Vec<u8>, u8, Submission) {
	codec::DecodeAll::decode_all(&mut &LIGERITO_LONG_RUN[..]).expect("the checked-in fixture decodes")
}

//! A real `Ligerito`-mode submission, for the `submit_ligerito` benchmark and the tests.
//!
//! The prover cannot run in the runtime's Wasm (it needs `std`), where the benchmark runs, so
//! the submission is made natively by the verifier's `ligerito_fixture` example and checked in
//! as `benchmarks/ligerito_limits.scale`:
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
//! still fit a proof. The tests check that it still verifies and is at the limits; remake it
//! whenever the proof system or the limits change.

use agentic_primitives::Submission;
use alloc::vec::Vec;

/// The SCALE encoding of `(program, state depth, submission)`: the submission is for agent 0
/// with nonce 0, from the empty state, unsigned.
const LIGERITO_LIMITS: &[u8] = include_bytes!("../benchmarks/ligerito_limits.scale");

/// The fixture's program, state depth and submission.
pub fn ligerito_limits() -> (Vec<u8>, u8, Submission) {
	codec::DecodeAll::decode_all(&mut &LIGERITO_LIMITS[..]).expect("the checked-in fixture decodes")
}

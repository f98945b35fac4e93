//! Verifies a saved `Ligerito` submission (the SCALE encoding of `(program, state depth,
//! submission)`, as `ligerito_fixture` writes it) `N` times and prints the time of each: the
//! native side of the runtime's `submit_ligerito` benchmark, for profiling.
//!
//! ```sh
//! cargo run --release -p agentic-verifier --example ligerito_verify -- \
//!   pallets/submissions/benchmarks/ligerito_limits.scale 5
//! ```
//!
//! Without the `hardware-accel` feature the binary fields multiply in portable code, as they
//! do in the runtime's Wasm.

use agentic_primitives::Submission;
use agentic_verifier::{verify, Claim};
use codec::DecodeAll;
use std::time::Instant;

fn main() {
	let usage = "usage: ligerito_verify FIXTURE [TIMES]";
	let path = std::env::args().nth(1).expect(usage);
	let times: usize = std::env::args().nth(2).map_or(1, |n| n.parse().expect(usage));
	let bytes = std::fs::read(&path).expect("reads the fixture");
	let (program, depth, submission) =
		<(Vec<u8>, u8, Submission)>::decode_all(&mut &bytes[..]).expect("a (program, depth, submission) fixture");
	let claim = Claim::of(&submission, depth);
	for _ in 0..times {
		let start = Instant::now();
		let verdict = verify(&program, &claim, &submission.evidence);
		println!("{verdict:?} in {:.2?}", start.elapsed());
	}
}

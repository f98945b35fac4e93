//! Verifies a saved `Ligerito` submission (the SCALE encoding of `(program, state depth,
//! submission)`, as `ligerito_fixture` writes it) `N` times and prints the time of each: the
//! native side of the runtime's `submit_ligerito` benchmark, for profiling. First it prints the
//! proof's shape: per opening, the bytes of its opened leaves, combined row and Merkle siblings.
//!
//! ```sh
//! cargo run --release -p agentic-verifier --example ligerito_verify -- \
//!   pallets/submissions/benchmarks/ligerito_limits.scale 5
//! ```
//!
//! Without the `hardware-accel` feature the binary fields multiply in portable code, as they
//! do in the runtime's Wasm.

use agentic_polkavm_proof::vm::RunProof;
use agentic_primitives::{Evidence, Submission};
use agentic_verifier::{verify, Claim};
use agentic_zerocheck::RecursiveOpeningProof;
use codec::{DecodeAll, Encode};
use std::time::Instant;

fn main() {
	let usage = "usage: ligerito_verify FIXTURE [TIMES]";
	let path = std::env::args().nth(1).expect(usage);
	let times: usize = std::env::args().nth(2).map_or(1, |n| n.parse().expect(usage));
	let bytes = std::fs::read(&path).expect("reads the fixture");
	let (program, depth, submission) =
		<(Vec<u8>, u8, Submission)>::decode_all(&mut &bytes[..]).expect("a (program, depth, submission) fixture");
	let claim = Claim::of(&submission, depth);
	if let Evidence::Ligerito(evidence) = &submission.evidence {
		let proof = RunProof::decode_all(&mut &evidence.proof[..]).expect("a run proof");
		print_shape(&proof, evidence.proof.len());
	}
	for _ in 0..times {
		let start = Instant::now();
		let verdict = verify(&program, &claim, &submission.evidence);
		println!("{verdict:?} in {:.2?}", start.elapsed());
	}
}

/// Per opening: leaves, combined row and siblings in bytes; per table, its zerocheck's bytes;
/// then the totals.
fn print_shape(proof: &RunProof, len: usize) {
	let sizes = |o: &RecursiveOpeningProof| {
		let openings = o.levels.iter().map(|l| &l.openings).chain([&o.last.openings]).flatten();
		let (mut leaves, mut siblings) = (0, 0);
		for l in openings {
			leaves += l.rows.iter().map(|r| 4 * r.len()).sum::<usize>();
			siblings += agentic_zerocheck::NODE_BYTES * l.siblings.len();
		}
		[leaves, 16 * o.last.combined_row.len(), siblings]
	};
	let proof = &proof.proof;
	let mut total = [0usize; 3];
	println!("| opening | leaves B (every level) | last combined row B | siblings B (every level) |");
	println!("| --- | --- | --- | --- |");
	let s = sizes(&proof.opening);
	total.iter_mut().zip(s).for_each(|(t, s)| *t += s);
	println!("| trace | {} | {} | {} |", s[0], s[1], s[2]);
	println!();
	if let Some(bus) = &proof.bus {
		let rounds: usize = bus.layers.iter().map(|l| l.rounds.len()).sum();
		println!(
			"bus: {} layers, {rounds} rounds, {} tables, {} B",
			bus.layers.len(),
			bus.leaves.len(),
			bus.encode().len()
		);
		println!();
	}
	println!("| table | rounds | zerocheck B |");
	println!("| --- | --- | --- |");
	for (t, table) in proof.tables.iter().enumerate() {
		println!("| {t} | {} | {} |", table.rounds.len(), table.encode().len());
	}
	println!("proof {len} B: leaves {} B, combined rows {} B, siblings {} B", total[0], total[1], total[2]);
}

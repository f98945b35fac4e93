//! What a Ligerito submission costs to prove and to verify, by workload: an example agent
//! (`hash_chain` or `mirror`) grown to `P` KiB of program, over `N` inputs of `L` bytes each,
//! the first starting with `R` as a little-endian u64 (the hash chain's rounds) and the rest of
//! every input a pseudo-random byte pattern.
//!
//! ```sh
//! cargo run --release -p agentic-verifier --features prover --example ligerito_cost -- AGENT P R N L
//! ```

use agentic_example_agents as examples;
use agentic_primitives::{state::StateTree, Input, Inputs};
use agentic_verifier::{
	ligerito::{build_evidence, program_table, LigeritoVerifier},
	Claim, Verifier,
};
use codec::Encode;
use std::time::Instant;

fn main() {
	let usage = "usage: ligerito_cost hash_chain|mirror PROGRAM_KIB ROUNDS INPUTS INPUT_LEN";
	let agent = std::env::args().nth(1).expect(usage);
	let args: Vec<usize> = std::env::args().skip(2).map(|a| a.parse().expect(usage)).collect();
	let [kib, rounds, count, len] = args[..] else {
		panic!("{usage}");
	};
	let (program, depth) = match agent.as_str() {
		"hash_chain" => (examples::hash_chain_sized(kib * 1024), examples::depth::HASH_CHAIN),
		"mirror" => (examples::mirror_sized(kib * 1024), examples::depth::MIRROR),
		_ => panic!("{usage}"),
	};
	let inputs: Vec<Input> = (0..count.max(1))
		.map(|i| {
			let mut bytes: Vec<u8> = (0..len.max(8)).map(|j| (j * 131 + i * 7 + 1) as u8).collect();
			if i == 0 {
				bytes[..8].copy_from_slice(&(rounds as u64).to_le_bytes());
			}
			Input::truncate_from(bytes)
		})
		.collect();
	let state = StateTree::new(depth).expect("depth");
	let start = Instant::now();
	let table = program_table(&program).expect("inside the subset");
	let table_time = start.elapsed();
	let start = Instant::now();
	let exec = build_evidence(&table, &state, Inputs::truncate_from(inputs), None, 1 << 24).expect("proves");
	let prove = start.elapsed();
	// The claim the chain makes of the submission, as the pallet does.
	let claim = Claim::of(&exec.submission(0, 0, None), state.depth());
	let start = Instant::now();
	LigeritoVerifier.verify(&program, &claim, &exec.evidence).expect("verifies");
	let verify = start.elapsed();
	println!(
		"program {} B ({:?} table), steps {}, evidence {} B (proof {} B), prove {:.2?}, verify {:.2?}",
		program.len(),
		table_time,
		exec.steps,
		exec.evidence.encoded_size(),
		exec.evidence.proof.len(),
		prove,
		verify
	);
}

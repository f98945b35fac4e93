//! Re-execution cost per step and per witness page, natively.
//!
//! Run: `cargo bench -p agentic-verifier --bench reexec` (see docs/benchmarks.md).
//! Prints one line per measurement; each figure is the median of several timed runs of the whole
//! verification (program load, witness opening, execution, re-rooting).

use agentic_example_agents as examples;
use agentic_primitives::{inputs_commitment, outputs_commitment, state::StateTree, Input, Inputs};
use agentic_verifier::{
	program::Program,
	reexec::{build_evidence, ReexecVerifier},
	Claim, Verifier,
};
use std::time::{Duration, Instant};

/// Reads 8 bytes from each of the first `n` pages (n = the input's u64): touches n pages.

fn median(mut xs: Vec<Duration>) -> Duration {
	xs.sort();
	xs[xs.len() / 2]
}

/// Median time to verify one run of `program` on `input` over a state of `depth`.
fn measure(program: &[u8], depth: u8, input: &[u8], runs: usize) -> (Duration, u64, usize) {
	let loaded = Program::load(program).expect("loads");
	let state = StateTree::new(depth).expect("depth");
	let inputs = Inputs::truncate_from(vec![Input::truncate_from(input.to_vec())]);
	let exec = build_evidence(&loaded, &state, inputs, None, u64::MAX >> 2).expect("runs");
	let claim = Claim {
		state_depth: depth,
		old_root: state.root(),
		new_root: exec.new_state.root(),
		steps: exec.result.steps,
		inputs_commitment: inputs_commitment(&exec.evidence.inputs),
		outputs_commitment: outputs_commitment(&exec.result.outputs),
		time: None,
	};
	let times = (0..runs)
		.map(|_| {
			let start = Instant::now();
			ReexecVerifier.verify(program, &claim, &exec.evidence).expect("verifies");
			start.elapsed()
		})
		.collect();
	(median(times), exec.result.steps, exec.evidence.witness.pages.len())
}

fn main() {
	println!("re-execution verification, native, median of runs");
	let chain = examples::hash_chain();
	let (base, base_steps, _) = measure(&chain, 0, &0u64.to_le_bytes(), 51);
	println!(
		"hash chain, 0 rounds: {:>9.1} us total, {base_steps} steps (fixed cost: load + witness + call)",
		base.as_secs_f64() * 1e6
	);
	for rounds in [1_000u64, 10_000, 100_000, 1_000_000] {
		let (t, steps, _) = measure(&chain, 0, &rounds.to_le_bytes(), 11);
		let per_step = (t.saturating_sub(base)).as_secs_f64() * 1e9 / (steps - base_steps) as f64;
		println!(
			"hash chain, {rounds:>7} rounds: {:>10.1} us total, {steps:>9} steps, {per_step:.2} ns/step",
			t.as_secs_f64() * 1e6
		);
	}
	let toucher = examples::page_toucher();
	for depth in [6u8, 10, 14] {
		let (base, _, _) = measure(&toucher, depth, &1u64.to_le_bytes(), 51);
		for pages in [16u64, 64] {
			let (t, steps, touched) = measure(&toucher, depth, &pages.to_le_bytes(), 31);
			let per_page = (t.saturating_sub(base)).as_secs_f64() * 1e6 / (touched - 1) as f64;
			println!(
				"page toucher, depth {depth:>2}, {touched:>3} pages: {:>8.1} us total, {steps} steps, {per_page:.2} us/page",
				t.as_secs_f64() * 1e6
			);
		}
	}
}

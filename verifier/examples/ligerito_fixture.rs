//! Writes the submissions pallet's Ligerito benchmark fixture: a real `Ligerito`-mode
//! submission at every one of the mode's limits (`agentic_primitives::LIGERITO_LIMITS`), made
//! by the mirror agent grown to the largest program, mapping the most memory, over one input of
//! the most bytes, which it writes to as many state pages as allowed and outputs; and as long a
//! run as a proof may be: the mirror then spins for the largest number of rounds (found by
//! doubling and bisection, at most `u16::MAX`, what its input holds) whose proof still fits
//! `MAX_PROOF_LEN` and `MAX_STACKED_VALUES`.
//!
//! The prover cannot run in the runtime's Wasm, where the benchmark runs, so the fixture is
//! made here and checked in; the pallet's tests check that it still verifies and is at the
//! limits. Remake it whenever the proof system or the limits change:
//!
//! ```sh
//! CARGO_TARGET_DIR=$HOME/.cache/agentic/bench-target RUSTFLAGS="-C target-cpu=native" \
//!   cargo run --release -p agentic-verifier --features prover,hardware-accel \
//!   --example ligerito_fixture -- pallets/submissions/benchmarks/ligerito_limits.scale
//! ```
//!
//! (from the last fixture's round count, two proofs and a few minutes in all: a run past
//! `MAX_STACKED_VALUES` is refused from its trace's shape, before proving; a debug build
//! without the carry-less multiply takes minutes for each proof).
//!
//! The file is the SCALE encoding of `(program: Vec<u8>, state_depth: u8, submission)`, the
//! submission for agent 0 with nonce 0 from the empty state, unsigned.
//!
//! A round count after the workload (`limits` or `long_run`) starts the search there instead
//! of at the smallest runs (the last fixture's count, say: its proofs are the slow ones).
//!
//! With `long_run` after the path it writes another workload instead, for measuring the
//! proof shape that costs the most to verify per byte (`docs/proof-system.md`, "The worst proof
//! shape"): the register loop agent (a small program, no state, no memory image, no shifts or
//! memory accesses in its loop) over one 8-byte input, for the most rounds whose proof fits, so
//! that the bytes go to the tallest tables of a long run rather than to the public ones.

use agentic_example_agents as examples;
use agentic_polkavm_proof::program::ProgramTable;
use agentic_primitives::{state::StateTree, Input, Inputs, LIGERITO_LIMITS};
use agentic_verifier::ligerito::{build_evidence, program_table, BuildError, Execution};
use codec::Encode;

/// A workload: its program, its state depth, and its one input for `rounds` rounds.
struct Workload {
	program: Vec<u8>,
	depth: u8,
	input: fn(u16) -> Vec<u8>,
}

/// The mirror's input: the round count, then pseudo-random bytes, never zero (every page the
/// mirror writes changes), of the most bytes an input may have.
fn mirror_input(rounds: u16) -> Vec<u8> {
	let mut input: Vec<u8> = (0..LIGERITO_LIMITS.max_input_bytes).map(|i| (i * 89 % 251 + 1) as u8).collect();
	input[..2].copy_from_slice(&rounds.to_le_bytes());
	input
}

/// The register loop's input: its round count as a little-endian u64.
fn register_loop_input(rounds: u16) -> Vec<u8> {
	u64::from(rounds).to_le_bytes().to_vec()
}

/// The workload's run for `rounds` rounds, if its proof fits.
fn run(workload: &Workload, table: &ProgramTable, state: &StateTree, rounds: u16) -> Option<Execution> {
	let inputs = Inputs::truncate_from(vec![Input::truncate_from((workload.input)(rounds))]);
	match build_evidence(table, state, inputs, None, u64::MAX) {
		Ok(exec) => {
			let values = agentic_verifier::ligerito::stacked_values(&exec.evidence);
			eprintln!(
				"{rounds} rounds: {} steps, proof {} B, {values:?} values stacked",
				exec.steps,
				exec.evidence.proof.len()
			);
			Some(exec)
		},
		Err(e @ (BuildError::TooLarge(_) | BuildError::StacksTooLarge(_))) => {
			eprintln!("{rounds} rounds: {e:?}");
			None
		},
		Err(e) => panic!("the workload proves: {e:?}"),
	}
}

fn main() {
	let usage = "usage: ligerito_fixture OUTPUT_FILE [limits|long_run [FROM]]";
	let path = std::env::args().nth(1).expect(usage);
	let limits = LIGERITO_LIMITS;
	let kind = std::env::args().nth(2);
	let at_limits = matches!(kind.as_deref(), None | Some("limits"));
	// A round count known to fit (the last fixture's, say) to start the doubling from.
	let from: Option<u32> = std::env::args().nth(3).map(|r| r.parse::<u16>().expect(usage).into());
	let workload = match kind.as_deref() {
		None | Some("limits") => {
			let program = examples::mirror_sized(limits.max_program_len as usize);
			Workload { program, depth: examples::depth::MIRROR, input: mirror_input }
		},
		Some("long_run") => Workload {
			program: examples::register_loop(),
			depth: examples::depth::REGISTER_LOOP,
			input: register_loop_input,
		},
		Some(_) => panic!("{usage}"),
	};
	let table = program_table(&workload.program).expect("the example agents are inside the subset");
	assert!(limits.admits_program(workload.program.len(), table.mapped_memory()), "the agent is within the limits");
	if at_limits {
		assert_eq!(table.mapped_memory(), u64::from(limits.max_memory), "the mirror agent maps the most memory");
	}
	let state = StateTree::new(workload.depth).expect("depth");
	// The proof's length grows with the rounds (in steps, as the tables' heights cross powers
	// of two), so the longest run that fits is found by doubling, then bisection (long runs
	// are slow to prove: the doubling starts low).
	// The workloads take the round count as a `u16`: the search stays below `2^16`.
	let most = u32::from(u16::MAX);
	let (mut fits, mut too_long) = (0u32, from.unwrap_or(if at_limits { 64u32 } else { 1 }).max(1));
	let mut best = run(&workload, &table, &state, 0).expect("the shortest run fits MAX_PROOF_LEN");
	loop {
		match run(&workload, &table, &state, too_long as u16) {
			Some(exec) => (fits, best) = (too_long, exec),
			None => break,
		}
		eprintln!("{fits} rounds fit");
		if too_long == most {
			too_long = most + 1;
			break;
		}
		too_long = (too_long * 2).min(most);
	}
	while too_long - fits > 1 {
		let mid = (fits + too_long) / 2;
		match run(&workload, &table, &state, mid as u16) {
			Some(exec) => (fits, best) = (mid, exec),
			None => too_long = mid,
		}
		eprintln!("rounds in [{fits}, {too_long})");
	}
	let exec = best;
	assert!(LIGERITO_LIMITS.admits(&exec.evidence), "the submission is within the limits");
	let submission = exec.submission(0, 0, None);
	std::fs::write(&path, (workload.program, state.depth(), submission).encode()).expect("writes the fixture");
	println!("{path}: {fits} rounds, {} steps, proof {} bytes", exec.steps, exec.evidence.proof.len());
}

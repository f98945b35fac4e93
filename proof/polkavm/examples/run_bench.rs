//! Times proving and verifying whole runs, and prints the tables' heights and the proof size.
//!
//!   RUSTFLAGS="-C target-cpu=native" cargo run --release -p agentic-polkavm-proof \
//!       --features hardware-accel --example run_bench -- [ITERATIONS...]
//!
//! The program is a loop of ARX mixing (additions, xors, rotations) with a store and a load of
//! a stack slot per iteration, 13 instructions per iteration, run once and returning; the
//! proof uses `SECURE_NUM_QUERIES_RECURSIVE` queries per level. Single-threaded.

use agentic_polkavm_proof::{program::ProgramTable, vm};
use agentic_zerocheck::Config;
use codec::Encode;
use std::time::Instant;

fn program(iterations: u32) -> ProgramTable {
	let source = format!(
		"%isa = revive_v1\n%stack_size = 4096\npub @step:\n\
		 a5 = {iterations}\na1 = 1\na2 = 2\na3 = 3\na4 = 4\n\
		 @loop:\njump @done if a5 == 0\n\
		 a1 = a1 + a2\na4 = a4 ^ a1\na4 = a4 >>r 32\na3 = a3 + a4\na2 = a2 ^ a3\na2 = a2 >>r 24\n\
		 u64 [sp + -8] = a1\na1 = u64 [sp + -8]\na1 = a1 + 0x2545f491\n\
		 a5 = a5 - 1\njump @loop\n\
		 @done:\nret\n"
	);
	let blob = agentic_example_agents::assemble_agent(&source).expect("assembles");
	ProgramTable::from_blob(&blob, "step").expect("inside the subset")
}

fn main() {
	let sizes: Vec<u32> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
	let sizes = if sizes.is_empty() { vec![300, 1200] } else { sizes };
	let config = Config::default();
	println!("| iterations | instructions | ALU | shift | accesses | prove ms | verify ms | proof KiB | proof B |");
	println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
	for iterations in sizes {
		let program = program(iterations);
		let start = Instant::now();
		let (claim, proof) = vm::prove(
			&program,
			&vm::RunInput { inputs: vec![Vec::new()], ..vm::RunInput::default() },
			u64::MAX >> 1,
			&config,
		)
		.expect("prove");
		let prove_ms = start.elapsed().as_secs_f64() * 1e3;
		let start = Instant::now();
		vm::verify(&program, &claim, &proof, &config).expect("verify");
		let verify_ms = start.elapsed().as_secs_f64() * 1e3;
		println!(
			"| {iterations} | {} | {} | {} | {} | {prove_ms:.0} | {verify_ms:.1} | {:.0} | {} |",
			proof.instructions,
			proof.alu_requests,
			proof.shift_requests,
			proof.accesses,
			proof.encode().len() as f64 / 1024.0,
			proof.encode().len()
		);
	}
}

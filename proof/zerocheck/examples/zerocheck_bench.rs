//! Times proving and verifying a trace proof, and prints proof sizes.
//!
//!   RUSTFLAGS="-C target-cpu=native" cargo run --release -p agentic-zerocheck \
//!       --example zerocheck_bench -- [LOG_ROWS...]
//!
//! The AIR is a 32-bit binary counter with explicit carries (63 columns: 32 bits and 31 carries,
//! degree 2, transitions degree 2 with their `active` factor), run for `2^LOG_ROWS - 1`
//! transitions with its initial and final bits as boundary values, and `SECURE_NUM_QUERIES_RECURSIVE`
//! queries. Single-threaded. It stands in for an execution trace's width and degree until the
//! PolkaVM arithmetization exists; it is not one.

#![allow(clippy::needless_range_loop)]

#[path = "../tests/common/mod.rs"]
mod common;

use agentic_zerocheck::{prover::prove, verify, Boundary, Config, Statement};
use codec::Encode;
use common::Counter;
use std::time::Instant;

fn main() {
	let sizes: Vec<u32> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
	let sizes = if sizes.is_empty() { vec![12, 16] } else { sizes };
	let air = Counter { bits: 32 };
	let config = Config::default();
	println!("| rows | columns | prove ms | verify ms | proof KB |");
	println!("| --- | --- | --- | --- | --- |");
	for log_rows in sizes {
		let r = (1u64 << log_rows) - 1;
		let trace = air.trace(0x1234_5678, log_rows);
		let mut boundaries = Vec::new();
		for i in 0..air.bits {
			boundaries.push(Boundary { column: i as u32, row: 0, value: trace[i][0] });
			boundaries.push(Boundary { column: i as u32, row: r, value: trace[i][r as usize] });
		}
		let statement = Statement { context: b"bench".to_vec(), active_rows: r, boundaries, public_columns: vec![] };
		let start = Instant::now();
		let proof = prove(&air, &statement, &config, &trace).expect("prove");
		let prove_ms = start.elapsed().as_secs_f64() * 1e3;
		let start = Instant::now();
		verify(&air, &statement, &config, &proof).expect("verify");
		let verify_ms = start.elapsed().as_secs_f64() * 1e3;
		println!(
			"| 2^{log_rows} | {} | {prove_ms:.0} | {verify_ms:.1} | {:.0} |",
			trace.len(),
			proof.encode().len() as f64 / 1024.0
		);
	}
}

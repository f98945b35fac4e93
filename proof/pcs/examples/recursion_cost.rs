//! What recursion saves: one opening of a random polynomial of `N` variables (one random-point
//! claim), one level (`open`, `SECURE_NUM_QUERIES`, the leaf width of `Params::shortest`)
//! against recursive (`open_recursive`, `SECURE_NUM_QUERIES_RECURSIVE`, first leaf widths
//! `W_MIN..=W_MAX`, the later levels by the schedule; `*` marks the width
//! `Params::shortest_recursive` picks): proof bytes, levels, proving and the fastest of `RUNS`
//! verifications.
//!
//!   cargo run --release -p agentic-pcs --example recursion_cost -- MIN_VARS MAX_VARS W_MIN W_MAX [RUNS]
//!
//! Build it without `hardware-accel` (and without `target-cpu=native`) to time the portable
//! arithmetic the runtime's Wasm runs.

use agentic_pcs::{
	prover::{commit, open, open_recursive},
	test_utils::Rng,
	verify, verify_recursive, Base, Claim, ClaimKind, Ext, Params, Transcript, SECURE_GRINDING_BITS,
	SECURE_NUM_QUERIES, SECURE_NUM_QUERIES_RECURSIVE,
};
use codec::Encode;
use std::time::Instant;

fn fastest(runs: i64, mut f: impl FnMut()) -> f64 {
	(0..runs)
		.map(|_| {
			let start = Instant::now();
			f();
			start.elapsed().as_secs_f64()
		})
		.fold(f64::INFINITY, f64::min)
}

fn main() {
	let usage = "usage: recursion_cost MIN_VARS MAX_VARS W_MIN W_MAX [RUNS]";
	let args: Vec<i64> = std::env::args().skip(1).map(|a| a.parse().expect(usage)).collect();
	let (min_vars, max_vars, w_min, w_max) = match args[..] {
		[lo, hi, a, b, ..] => (lo as u8, hi as u8, a as u8, b as u8),
		_ => panic!("{usage}"),
	};
	let runs = args.get(4).copied().unwrap_or(5).max(1);
	let mut rng = Rng(0x5eed);
	println!("| N | opening | first leaf width | levels | proof B | last row B | prove s | verify ms |");
	println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
	for n in min_vars..=max_vars {
		let values: Vec<Base> = (0..1usize << n).map(|_| rng.base()).collect();
		let point: Vec<Ext> = (0..n).map(|_| rng.ext()).collect();
		let one = Params::shortest(1u64 << n, SECURE_NUM_QUERIES, 0);
		let committed = commit(&one, &[&values[..]]).expect("commit");
		let value = committed.evaluate(0, ClaimKind::Eq, &point);
		let claims = [Claim { commitment: 0, poly: 0, kind: ClaimKind::Eq, point: point.clone(), value }];
		let start = Instant::now();
		let proof = open(&one, &[&committed], &claims, &mut Transcript::new(b"cost")).expect("open");
		let prove = start.elapsed().as_secs_f64();
		let c = [committed.commitment()];
		let verify_s =
			fastest(runs, || verify(&one, &c, &claims, &proof, &mut Transcript::new(b"cost")).expect("verify"));
		println!(
			"| {n} | one level | 2^{} | 0 | {} | {} | {prove:.2} | {:.2} |",
			one.log_leaf_width,
			proof.encode().len(),
			16 * proof.combined_row.len(),
			verify_s * 1e3
		);
		let chosen =
			Params::shortest_recursive(1u64 << n, SECURE_NUM_QUERIES_RECURSIVE, SECURE_GRINDING_BITS).log_leaf_width;
		for w in w_min..=w_max.min(n) {
			let params = Params {
				log_leaf_width: w,
				num_queries: SECURE_NUM_QUERIES_RECURSIVE,
				grinding_bits: SECURE_GRINDING_BITS,
			};
			let committed = commit(&params, &[&values[..]]).expect("commit");
			let start = Instant::now();
			let proof = open_recursive(&params, &[&committed], &claims, &mut Transcript::new(b"cost")).expect("open");
			let prove = start.elapsed().as_secs_f64();
			let c = [committed.commitment()];
			let verify_s = fastest(runs, || {
				verify_recursive(&params, &c, &claims, &proof, &mut Transcript::new(b"cost")).expect("verify")
			});
			println!(
				"| {n} | recursive | 2^{w}{} | {} | {} | {} | {prove:.2} | {:.2} |",
				if w == chosen { " *" } else { "" },
				proof.levels.len(),
				proof.encode().len(),
				16 * proof.last.combined_row.len(),
				verify_s * 1e3
			);
		}
	}
}

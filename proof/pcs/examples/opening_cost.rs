//! What verifying one opening costs per byte of proof, by the commitment's size: the spread
//! that a submitter who chooses a proof's table heights can reach at a fixed proof length
//! (`docs/proof-system.md`, "The worst proof shape").
//!
//!   cargo run --release -p agentic-pcs --example opening_cost -- LOG_POLYS MIN_VARS MAX_VARS [RUNS [SHIFT]]
//!
//! For each total size `N = num_vars + LOG_POLYS` from `MIN_VARS + LOG_POLYS` up: one
//! commitment of `2^LOG_POLYS` random polynomials, one random-point claim per polynomial,
//! `SECURE_NUM_QUERIES` queries and the leaf width a trace table gets (the one minimising the
//! opened leaves plus the combined row) moved by `SHIFT` (default 0; nonzero splits the bytes
//! between leaves and combined row as no trace table does, to price each kind), then the
//! fastest of `RUNS` verifications (default 9). Build it without `hardware-accel` (and without
//! `target-cpu=native`) to time the portable arithmetic the runtime's Wasm runs.

use agentic_pcs::{
	prover::{commit, open},
	verify, Base, Claim, ClaimKind, Ext, Params, Transcript, MAX_LOG_LEAF_WIDTH, SECURE_NUM_QUERIES,
};
use codec::Encode;
use std::time::Instant;

fn main() {
	let usage = "usage: opening_cost LOG_POLYS MIN_VARS MAX_VARS [RUNS [SHIFT]]";
	let args: Vec<i64> = std::env::args().skip(1).map(|a| a.parse().expect(usage)).collect();
	let (log_polys, min_vars, max_vars) = match args[..] {
		[p, lo, hi, ..] => (p as u32, lo as u32, hi as u32),
		_ => panic!("{usage}"),
	};
	let runs = args.get(3).copied().unwrap_or(9).max(1);
	let shift = args.get(4).copied().unwrap_or(0);
	let polys = 1usize << log_polys;
	let mut seed = 0x5eed_u64;
	let mut next = move || {
		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		seed
	};
	println!("| N = vars + log polys | leaf width | rows | leaves B | combined row B | siblings B | proof B | verify ms | ns per B |");
	println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
	for n in min_vars..=max_vars {
		let total = n + log_polys;
		let w = i64::from(Params::shortest(1u64 << total, SECURE_NUM_QUERIES, 0).log_leaf_width) + shift;
		let w = w.clamp(0, total.min(MAX_LOG_LEAF_WIDTH as u32) as i64) as u8;
		let params = Params { log_leaf_width: w, num_queries: SECURE_NUM_QUERIES, grinding_bits: 0 };
		let values: Vec<Vec<Base>> =
			(0..polys).map(|_| (0..1usize << n).map(|_| Base::from_value(next() as u32)).collect()).collect();
		let slices: Vec<&[Base]> = values.iter().map(|v| &v[..]).collect();
		let committed = commit(&params, &slices).expect("commit");
		let claims: Vec<Claim> = (0..polys as u32)
			.map(|j| {
				let point: Vec<Ext> =
					(0..n).map(|_| Ext::from_value(((next() as u128) << 64) | next() as u128)).collect();
				Claim {
					commitment: 0,
					poly: j,
					kind: ClaimKind::Eq,
					value: committed.evaluate(j, ClaimKind::Eq, &point),
					point,
				}
			})
			.collect();
		let proof = open(&params, &[&committed], &claims, &mut Transcript::new(b"cost")).expect("open");
		let commitment = [committed.commitment()];
		let fastest = (0..runs)
			.map(|_| {
				let start = Instant::now();
				verify(&params, &commitment, &claims, &proof, &mut Transcript::new(b"cost")).expect("verify");
				start.elapsed().as_secs_f64()
			})
			.fold(f64::INFINITY, f64::min);
		let bytes = proof.encode().len();
		let leaves: usize = proof.openings.iter().flat_map(|o| &o.rows).map(|r| 4 * r.len()).sum();
		let siblings: usize = proof.openings.iter().map(|o| agentic_pcs::NODE_BYTES * o.siblings.len()).sum();
		println!(
			"| {total} | 2^{w} | 2^{} | {leaves} | {} | {siblings} | {bytes} | {:.2} | {:.1} |",
			total - w as u32,
			16 * proof.combined_row.len(),
			fastest * 1e3,
			fastest * 1e9 / bytes as f64
		);
	}
}

//! Times commit, open and verify of the polynomial commitment, and prints proof sizes.
//!
//!   cargo run --release -p agentic-pcs --example pcs_bench -- [NUM_VARS...]
//!
//! For each size: one commitment of 8 polynomials of `NUM_VARS` variables (a trace's columns),
//! one random-point claim per polynomial, `SECURE_NUM_QUERIES` queries, and the leaf width that
//! gives the smallest proof. Single-threaded unless built with `--features parallel`.

use agentic_pcs::{
	prover::{commit, open},
	verify, Base, Claim, ClaimKind, Ext, Params, Transcript, SECURE_NUM_QUERIES,
};
use codec::Encode;
use std::time::Instant;

fn main() {
	let sizes: Vec<u8> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
	let sizes = if sizes.is_empty() { vec![12, 16, 20] } else { sizes };
	let polys = 8usize;
	let mut seed = 0x5eed_u64;
	let mut next = move || {
		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		seed
	};
	println!("| vars | polys | leaf width | commit ms | open ms | verify ms | proof KB |");
	println!("| --- | --- | --- | --- | --- | --- | --- |");
	for n in sizes {
		let values: Vec<Vec<Base>> =
			(0..polys).map(|_| (0..1usize << n).map(|_| Base::from_value(next() as u32)).collect()).collect();
		let slices: Vec<&[Base]> = values.iter().map(|v| &v[..]).collect();
		// The leaf width balancing the opened leaves against the combined row.
		let best = (3..=(n + 3).min(16))
			.map(|w| {
				let rows = 1usize << (n as usize + 3 - w as usize);
				let bytes = 4 * SECURE_NUM_QUERIES as usize * (1 << w) + 16 * rows;
				(bytes, w)
			})
			.min()
			.map(|(_, w)| w)
			.unwrap_or(3);
		let params = Params { log_leaf_width: best, num_queries: SECURE_NUM_QUERIES, grinding_bits: 0 };
		let start = Instant::now();
		let committed = commit(&params, &slices).expect("commit");
		let commit_ms = start.elapsed().as_secs_f64() * 1e3;
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
		let start = Instant::now();
		let proof = open(&params, &[&committed], &claims, &mut Transcript::new(b"bench")).expect("open");
		let open_ms = start.elapsed().as_secs_f64() * 1e3;
		let start = Instant::now();
		verify(&params, &[committed.commitment()], &claims, &proof, &mut Transcript::new(b"bench")).expect("verify");
		let verify_ms = start.elapsed().as_secs_f64() * 1e3;
		println!(
			"| {n} | {polys} | 2^{best} | {commit_ms:.1} | {open_ms:.1} | {verify_ms:.2} | {:.1} |",
			proof.encode().len() as f64 / 1024.0
		);
	}
}

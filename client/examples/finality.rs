//! Measures block time and finality lag of a running node.
//!
//! ```sh
//! cargo run -p agentic-client --example finality -- ws://127.0.0.1:9944 120
//! ```
//!
//! Follows best and finalized heads for N blocks and prints p50/p95 of: the interval between
//! successive best blocks, the time from a block's arrival as best to its finalization, and the
//! number of blocks the finalized head trails the best head when a block is finalized.

use agentic_client::Client;
use std::{collections::BTreeMap, time::Instant};

fn percentile(sorted: &[f64], p: f64) -> f64 {
	let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
	sorted[i]
}

fn report(name: &str, unit: &str, mut xs: Vec<f64>) {
	xs.sort_by(|a, b| a.total_cmp(b));
	println!(
		"{name}: p50 {:.0} {unit}, p95 {:.0} {unit}, min {:.0}, max {:.0} (n = {})",
		percentile(&xs, 0.5),
		percentile(&xs, 0.95),
		xs[0],
		xs[xs.len() - 1],
		xs.len()
	);
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
	let mut args = std::env::args().skip(1);
	let url = args.next().unwrap_or_else(|| "ws://127.0.0.1:9944".into());
	let blocks: u32 = args.next().map(|n| n.parse()).transpose()?.unwrap_or(120);
	let client = Client::connect(&url).await?;
	let mut best = client.subscribe_heads(false).await?;
	let mut finalized = client.subscribe_heads(true).await?;
	let mut arrived: BTreeMap<u32, Instant> = BTreeMap::new();
	let mut intervals = Vec::new();
	let mut lag_ms = Vec::new();
	let mut lag_blocks = Vec::new();
	let mut best_number = 0u32;
	let mut last_final = 0u32;
	let mut last_best_at: Option<Instant> = None;
	let start_final: Option<u32> = None;
	let mut start_final = start_final;
	loop {
		tokio::select! {
			Some(Ok(h)) = best.next() => {
				let now = Instant::now();
				if h.number > best_number {
					if let Some(prev) = last_best_at {
						if h.number == best_number + 1 {
							intervals.push(now.duration_since(prev).as_secs_f64() * 1e3);
						}
					}
					best_number = h.number;
					last_best_at = Some(now);
				}
				arrived.entry(h.number).or_insert(now);
			}
			Some(Ok(h)) = finalized.next() => {
				let now = Instant::now();
				let first = *start_final.get_or_insert(h.number);
				if h.number > last_final {
					for n in (last_final + 1)..=h.number {
						if let Some(t) = arrived.get(&n) {
							if n > first {
								lag_ms.push(now.duration_since(*t).as_secs_f64() * 1e3);
							}
						}
					}
					lag_blocks.push(f64::from(best_number.saturating_sub(h.number)));
					last_final = h.number;
				}
				if h.number >= first + blocks {
					break;
				}
			}
			else => break,
		}
	}
	println!("{url}: {blocks} finalized blocks followed");
	report("block interval", "ms", intervals);
	report("finality lag (best arrival -> finalized)", "ms", lag_ms);
	report("finality lag in blocks (best - finalized at each finalization)", "blocks", lag_blocks);
	Ok(())
}

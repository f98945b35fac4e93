//! Builds the runtime's Wasm blob (set `SKIP_WASM_BUILD=1` to skip it for checks that need none).

#[cfg(feature = "std")]
fn main() {
	substrate_wasm_builder::WasmBuilder::build_using_defaults();
	// The Wasm builder reruns for changed `.rs` and `.toml` files only; the submissions
	// pallet's benchmarks include checked-in proofs (`include_bytes!`), which a benchmark
	// build must not take stale.
	println!("cargo:rerun-if-changed=../pallets/submissions/benchmarks");
}

/// Nothing to build when compiling the runtime itself to Wasm.
#[cfg(not(feature = "std"))]
fn main() {}

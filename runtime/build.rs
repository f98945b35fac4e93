//! Builds the runtime's Wasm blob (set `SKIP_WASM_BUILD=1` to skip it for checks that need none).

#[cfg(feature = "std")]
fn main() {
	substrate_wasm_builder::WasmBuilder::build_using_defaults();
}

/// Nothing to build when compiling the runtime itself to Wasm.
#[cfg(not(feature = "std"))]
fn main() {}

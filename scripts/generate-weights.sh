#!/usr/bin/env bash
# Regenerates runtime/src/weights/*.rs from the runtime's benchmarks.
#
#   scripts/generate-weights.sh [PALLET...]
#
# Builds the runtime with `runtime-benchmarks` (into $CARGO_TARGET_DIR/benchmarks), then runs
# `frame-omni-bencher v1 benchmark pallet` on its Wasm for each agent pallet (or those named),
# 10 steps per component and 5 repeats, writing runtime/src/weights/<pallet>.rs.
#
# The bencher runs the benchmarks in the runtime's Wasm but the host functions (storage, hashing,
# signature checks) natively, so it must be an optimised build: a debug build overstates them
# several times (sr25519 verification alone took about 14 ms). FRAME_OMNI_BENCHER names the
# binary; by default scripts/install-tool.sh installs an optimised one (once, cached).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

bencher="${FRAME_OMNI_BENCHER:-$(scripts/install-tool.sh frame-omni-bencher)}"

CARGO_TARGET_DIR="$CARGO_TARGET_DIR/benchmarks" cargo build --locked -p agentic-runtime --features runtime-benchmarks
wasm="$CARGO_TARGET_DIR/benchmarks/debug/wbuild/agentic-runtime/agentic_runtime.wasm"

pallets=("$@")
if [ ${#pallets[@]} -eq 0 ]; then
	pallets=(pallet_agent_registry pallet_agent_staking pallet_agent_fees pallet_time_oracle pallet_checkpoints
		pallet_agent_submissions)
fi
mkdir -p runtime/src/weights
for pallet in "${pallets[@]}"; do
	echo "== $pallet ==" >&2
	"$bencher" v1 benchmark pallet --runtime "$wasm" --pallet "$pallet" --extrinsic "*" \
		--steps 10 --repeat 5 --output "runtime/src/weights/$pallet.rs"
done

#!/usr/bin/env bash
# Runs every test of the workspace, installing what is missing first (see scripts/setup.sh).
#
#   scripts/test.sh
#
# 1. unit, property and pallet tests (benchmarks included, they run as tests);
# 2. a no_std build of the verifier and the pallets for wasm32v1-none, the runtime's target, so
#    nothing std-only creeps onto the on-chain verification path.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
scripts/setup.sh

echo "== cargo test (workspace, runtime-benchmarks) ==" >&2
SKIP_WASM_BUILD=1 cargo test --locked --workspace --features runtime-benchmarks

echo "== no_std check for wasm32v1-none ==" >&2
SKIP_WASM_BUILD=1 CARGO_TARGET_DIR="$CARGO_TARGET_DIR/wasm-check" cargo check --locked --quiet \
	--target wasm32v1-none --no-default-features \
	-p agentic-primitives -p agentic-verifier -p agentic-example-agents \
	-p pallet-agent-registry -p pallet-agent-staking -p pallet-agent-fees \
	-p pallet-time-oracle -p pallet-checkpoints -p pallet-agent-submissions
echo "no_std check: ok" >&2

#!/usr/bin/env bash
# Runs every test of the workspace, installing what is missing first (see scripts/setup.sh).
#
#   scripts/test.sh
#
# 1. unit, property and pallet tests, with the pallet benchmarks running as tests
#    (feature runtime-benchmarks; no runtime Wasm needed), the prover on every core as the
#    worker runs it (features agentic-zerocheck/parallel and agentic-polkavm-proof/parallel: the
#    same proofs, the witness's tables on every core too); then the zerocheck's
#    unit tests on one thread (without `parallel`), the PCS's tests again with `hardware-accel`
#    (the carry-less multiply instructions the CPU has, asked at run time), the PCS's and the
#    pinned proof's with `hardware-accel` and `parallel` (the worker's build), and the PCS's (and,
#    with AVX-512, the AIR's) in a build that fixes the widest instructions this processor has
#    (its own target folder);
# 2. the chain: runtime, client and node, including the end-to-end test that starts the real
#    node on a dev chain (builds the runtime Wasm);
# 3. a no_std build of the verifier and the pallets for wasm32v1-none, the runtime's target;
# 4. the runtime's parachain flavour for real: scripts/para.sh builds it, installs the stock
#    polkadot-omni-node once (cached outside the checkout) and exports its chain spec; the
#    worker's `para` test then runs it in omni-node's development mode (no relay chain) and
#    pushes agent transitions through it to finality.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
scripts/setup.sh

chain=(-p agentic-runtime -p agentic-client -p agentic-node -p prover-worker)

echo "== cargo test: libraries and pallets (runtime-benchmarks) ==" >&2
SKIP_WASM_BUILD=1 cargo test --locked --workspace \
	--exclude agentic-runtime --exclude agentic-client --exclude agentic-node --exclude prover-worker \
	--features runtime-benchmarks,agentic-zerocheck/parallel,agentic-polkavm-proof/parallel

echo "== agentic-zerocheck without the parallel feature, with hardware-accel ==" >&2
# The prover's single-thread paths (feature `parallel` off), which step 1 does not compile, with
# the hot loops taking the CPU's instructions (step 1 builds it without `hardware-accel`).
SKIP_WASM_BUILD=1 cargo test --locked -p agentic-zerocheck --features hardware-accel --lib

echo "== agentic-pcs with hardware-accel: the carry-less multiply asked of the CPU ==" >&2
# With `hardware-accel` the binary fields' products use the carry-less multiply instructions the
# CPU has (asked at run time): the PCS's tests compare every tier this CPU runs (portable,
# pclmulqdq, AVX-512) with each other and with ligerito's arithmetic.
SKIP_WASM_BUILD=1 cargo test --locked -p agentic-pcs --features hardware-accel --lib --tests

echo "== the pinned proof and the PCS, built as the worker builds them (hardware-accel, parallel) ==" >&2
# The worker's prover has both features: the tree's hashes sixteen at a time (AVX-512) on every
# core, and the hot loops compiled for the instructions the CPU has, which neither build above
# has together. The fixed run's proof must still be the pinned one, byte for byte.
SKIP_WASM_BUILD=1 cargo test --locked -p agentic-pcs --features hardware-accel,parallel --lib
# The zerocheck's round sums and folds with the AVX-512 products taken without a test of the
# CPU between them (its `WideLanes` and the PCS's `WideCpu`, where the CPU has them).
if ! { grep -qw avx512f /proc/cpuinfo && grep -qw avx512bw /proc/cpuinfo && grep -qw vpclmulqdq /proc/cpuinfo; }; then
	echo "== no AVX-512 carry-less multiply here: the untested-products paths are compiled, not run ==" >&2
fi
SKIP_WASM_BUILD=1 cargo test --locked -p agentic-zerocheck --features hardware-accel,parallel --lib
SKIP_WASM_BUILD=1 cargo test --locked -p agentic-polkavm-proof --features hardware-accel,parallel --test run \
	a_fixed_runs_proof_is_pinned

# A build whose target enables the instructions (the benchmarks' `-C target-cpu=native`) takes
# them as constants, inlined, and ligerito's own arithmetic changes path too: the PCS's tests
# (and, with AVX-512, the AIR evaluators') in a build of their own, with the widest instructions
# this processor has.
if grep -qw avx512f /proc/cpuinfo && grep -qw avx512bw /proc/cpuinfo && grep -qw vpclmulqdq /proc/cpuinfo; then
	echo "== agentic-pcs and agentic-air built for AVX-512's carry-less multiply ==" >&2
	SKIP_WASM_BUILD=1 RUSTFLAGS="-C target-feature=+pclmulqdq,+avx512f,+avx512bw,+vpclmulqdq" \
		CARGO_TARGET_DIR="$CARGO_TARGET_DIR/avx512" \
		cargo test --locked -p agentic-pcs -p agentic-air --features agentic-pcs/hardware-accel --lib --tests
else
	echo "== no AVX-512 carry-less multiply here: its kernels (the eight lanes' widest tier, the butterfly) are not tested ==" >&2
	echo "== agentic-pcs built for the carry-less multiply instruction ==" >&2
	SKIP_WASM_BUILD=1 RUSTFLAGS="-C target-feature=+pclmulqdq" CARGO_TARGET_DIR="$CARGO_TARGET_DIR/pclmul" \
		cargo test --locked -p agentic-pcs --features hardware-accel --lib
fi

echo "== cargo test: runtime, client, node (end to end) ==" >&2
cargo test --locked "${chain[@]}"

echo "== no_std check for wasm32v1-none ==" >&2
SKIP_WASM_BUILD=1 CARGO_TARGET_DIR="$CARGO_TARGET_DIR/wasm-check" cargo check --locked --quiet \
	--target wasm32v1-none --no-default-features \
	-p agentic-primitives -p agentic-verifier -p agentic-example-agents \
	-p agentic-pcs -p agentic-air -p agentic-zerocheck -p agentic-polkavm-proof \
	-p pallet-agent-registry -p pallet-agent-staking -p pallet-agent-fees \
	-p pallet-time-oracle -p pallet-checkpoints -p pallet-agent-submissions
echo "no_std check: ok" >&2

echo "== the parachain flavour under polkadot-omni-node ==" >&2
AGENTIC_OMNI_NODE="${AGENTIC_OMNI_NODE:-$(scripts/install-tool.sh polkadot-omni-node)}"
export AGENTIC_OMNI_NODE
para_out="$(scripts/para.sh)"
# The same packages as step 2: cargo resolves features over the packages it is given, and with
# the worker alone the runtime would lose its `solo` feature and be built again (its build script
# rewriting the solo Wasm project). Only the worker has a `para` test.
AGENTIC_PARA_SPEC="$para_out/agentic-para-spec.json" cargo test --locked "${chain[@]}" --test para -- --ignored

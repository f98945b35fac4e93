#!/usr/bin/env bash
# The main job: a local development chain with a prover worker submitting real work.
#
#   scripts/run-dev.sh
#
# Builds the node and the worker (installing what is missing first), starts `agentic-node --dev`
# (one validator, 1 s blocks, GRANDPA finality, state in a temporary folder) with RPC on
# ws://127.0.0.1:9944 and Prometheus on :9615, and runs `prover-worker demo`, which executes
# the dev chain's sample counter agent off-chain and submits each transition, verified locally
# first, as an authorized transaction followed to finality. Ctrl-C stops both.
#
# Environment: RPC_PORT (9944), NODE_LOG (a file; default: the node logs to this terminal).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
scripts/setup.sh

cargo build --locked -p agentic-node -p prover-worker
node="$CARGO_TARGET_DIR/debug/agentic-node"
worker="$CARGO_TARGET_DIR/debug/prover-worker"
port="${RPC_PORT:-9944}"

if [ -n "${NODE_LOG:-}" ]; then
	"$node" --dev --tmp --rpc-port "$port" 2>"$NODE_LOG" &
else
	"$node" --dev --tmp --rpc-port "$port" &
fi
node_pid=$!
trap 'kill "$node_pid" 2>/dev/null; wait "$node_pid" 2>/dev/null' EXIT INT TERM

"$worker" demo --url "ws://127.0.0.1:$port" "$@"

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
# Environment: RPC_PORT (9944), P2P_PORT (30333), PROMETHEUS_PORT (9615), NODE_LOG (a file;
# default: the node logs to this terminal). Arguments are passed to `prover-worker demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
scripts/setup.sh

cargo build --locked -p agentic-node -p prover-worker
node="$CARGO_TARGET_DIR/debug/agentic-node"
worker="$CARGO_TARGET_DIR/debug/prover-worker"
port="${RPC_PORT:-9944}"

for p in "$port" "${P2P_PORT:-30333}" "${PROMETHEUS_PORT:-9615}"; do
	if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
		echo "run-dev: port $p is already in use (another node?); set RPC_PORT, P2P_PORT or PROMETHEUS_PORT" >&2
		exit 1
	fi
done

args=(--dev --tmp --rpc-port "$port" --port "${P2P_PORT:-30333}" --prometheus-port "${PROMETHEUS_PORT:-9615}")
if [ -n "${NODE_LOG:-}" ]; then
	"$node" "${args[@]}" 2>"$NODE_LOG" &
else
	"$node" "${args[@]}" &
fi
node_pid=$!
worker_pid=""
stop() {
	set +e
	if [ -n "$worker_pid" ]; then kill "$worker_pid" 2>/dev/null; fi
	kill "$node_pid" 2>/dev/null
	wait 2>/dev/null
}
trap stop EXIT
trap 'exit 130' INT TERM

"$worker" demo --url "ws://127.0.0.1:$port" "$@" &
worker_pid=$!
wait "$worker_pid"

#!/usr/bin/env bash
# The main job: a local development chain with a prover worker submitting real work.
#
#   scripts/run-dev.sh
#
# Builds the node and the worker (installing what is missing first), starts `agentic-node --dev`
# (one validator, 1 s blocks, GRANDPA finality, state in a temporary folder) with RPC on
# ws://127.0.0.1:9944 and Prometheus on :9615, registers two more example agents with
# `prover-worker register` (a hash chain owned by Bob, and a counter in the `Ligerito` mode owned
# by Charlie), and runs `prover-worker run` on three agents: the genesis counter (agent 0, key
# //Alice) fed one input every 500 ms and submitting every second, the hash chain fed every
# 300 ms and submitting every 20,000 steps (or after 2 s), and the proven counter fed every 15 s,
# each input's run proven by the worker (a validity proof of a few hundred KB; in this debug build
# 9 to 12 s from execution to finality, most of it proving) and the proof checked by the runtime. Each transition is executed off-chain,
# checked with the runtime's verifier, signed, submitted and followed to GRANDPA finality; the
# worker shows a line per agent. Its metrics are on :9616. Ctrl-C stops both.
#
# Environment: RPC_PORT (9944), P2P_PORT (30333), PROMETHEUS_PORT (9615), WORKER_METRICS_PORT
# (9616), WORK_DIR (worker config, keys, database and node log; default: a new temporary folder).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
scripts/setup.sh

cargo build --locked -p agentic-node -p prover-worker
node="$CARGO_TARGET_DIR/debug/agentic-node"
worker="$CARGO_TARGET_DIR/debug/prover-worker"
port="${RPC_PORT:-9944}"
worker_metrics="${WORKER_METRICS_PORT:-9616}"
work="${WORK_DIR:-$(mktemp -d -t agentic-dev.XXXXXX)}"
mkdir -p "$work"

for p in "$port" "${P2P_PORT:-30333}" "${PROMETHEUS_PORT:-9615}" "$worker_metrics"; do
	if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
		echo "run-dev: port $p is already in use (another node?); set RPC_PORT, P2P_PORT, PROMETHEUS_PORT or WORKER_METRICS_PORT" >&2
		exit 1
	fi
done

"$node" --dev --tmp --rpc-port "$port" --port "${P2P_PORT:-30333}" \
	--prometheus-port "${PROMETHEUS_PORT:-9615}" >"$work/node.log" 2>&1 &
node_pid=$!
worker_pid=""
stop() {
	set +e
	if [ -n "$worker_pid" ]; then kill "$worker_pid" 2>/dev/null; fi
	kill "$node_pid" 2>/dev/null
	wait 2>/dev/null
	echo "run-dev: stopped; the node log, worker config and database are in $work"
}
trap stop EXIT
trap 'exit 130' INT TERM
echo "run-dev: node starting (log: $work/node.log)"

# The genesis counter agent is signed for by the dev key //Alice.
echo "//Alice" >"$work/alice.key"
[ -f "$work/hash.key" ] || "$worker" keygen --out "$work/hash.key"
[ -f "$work/proven.key" ] || "$worker" keygen --out "$work/proven.key"
for _ in $(seq 1 240); do
	if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
	sleep 0.5
done
registered=$("$worker" register --url "ws://127.0.0.1:$port" --program example:hash_chain \
	--key "$work/hash.key" --owner-suri //Bob --bond 100 --prepaid 100)
hash_agent=$(echo "$registered" | sed -n 's/^registered agent \([0-9]*\).*/\1/p')
echo "run-dev: registered the hash chain agent as agent $hash_agent"
# A proof is 2 to 3 MB of evidence: about 3 UNIT of fees a transition, so 1000 UNIT prepaid
# last about 330 transitions (about 80 minutes at one input every 15 s; then the worker
# reports the balance too low: top it up with AgentFees::top_up).
registered=$("$worker" register --url "ws://127.0.0.1:$port" --program example:counter --mode ligerito \
	--key "$work/proven.key" --owner-suri //Charlie --bond 100 --prepaid 1000)
proven_agent=$(echo "$registered" | sed -n 's/^registered agent \([0-9]*\).*/\1/p')
echo "run-dev: registered the proven counter (Ligerito mode) as agent $proven_agent"

cat >"$work/worker.toml" <<TOML
endpoints = ["ws://127.0.0.1:$port"]
data_dir = "data"
metrics = "127.0.0.1:$worker_metrics"

[[agents]]
id = 0
program = "example:counter"
key_file = "alice.key"
policy = { kind = "time", interval_ms = 1000 }
input = { kind = "repeat", hex = "0100000000000000", interval_ms = 500 }

[[agents]]
id = $hash_agent
program = "example:hash_chain"
key_file = "hash.key"
policy = { kind = "steps", min_steps = 20000, max_delay_ms = 2000 }
input = { kind = "repeat", hex = "0a00000000000000", interval_ms = 300 }

[[agents]]
id = $proven_agent
program = "example:counter"
key_file = "proven.key"
mode = "ligerito"
policy = { kind = "time", interval_ms = 1000 }
input = { kind = "repeat", hex = "0100000000000000", interval_ms = 15000 }
TOML

"$worker" run --config "$work/worker.toml" &
worker_pid=$!
wait "$worker_pid"

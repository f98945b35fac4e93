#!/usr/bin/env bash
# Measures one prover worker against one dev node: latency from execution to finality, finalized
# transitions per second, and the worker's resident memory.
#
#   scripts/bench-worker.sh AGENTS SECONDS INPUT_INTERVAL_MS
#
# Starts `agentic-node --dev --tmp` on free ports, registers AGENTS counter agents (owner //Bob,
# one key) with `prover-worker register --count`, and runs `prover-worker run` on all of them
# for SECONDS. Every agent gets the input `1` every INPUT_INTERVAL_MS and the policy
# `steps >= 1`: it submits whatever it has executed as soon as its previous transition is
# finalized. With an interval longer than the finality lag every transition holds one input
# (the counter's smallest transition, 1,593 steps), which is the latency measurement; with a
# short interval and many agents it is the throughput measurement.
#
# Prints: transitions finalized in the window and per second; p50/p95/max of execution ->
# finalized (from the worker's log); the worker's VmRSS at the end and its peak (VmHWM). The
# builds are the debug ones `scripts/run-dev.sh` uses (dependencies at opt-level 1).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

agents="${1:?usage: bench-worker.sh AGENTS SECONDS INPUT_INTERVAL_MS}"
seconds="${2:?usage}"
interval="${3:?usage}"

cargo build --locked -q -p agentic-node -p prover-worker
node="$CARGO_TARGET_DIR/debug/agentic-node"
worker="$CARGO_TARGET_DIR/debug/prover-worker"
work="$(mktemp -d -t agentic-bench.XXXXXX)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rpc=$(free_port)
metrics=$(free_port)

"$node" --dev --tmp --no-mdns --rpc-port "$rpc" --port "$(free_port)" --prometheus-port "$(free_port)" \
	2>"$work/node.log" &
node_pid=$!
worker_pid=""
stop() {
	set +e
	if [ -n "$worker_pid" ]; then kill "$worker_pid" 2>/dev/null; fi
	kill "$node_pid" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$work"
}
trap stop EXIT
for _ in $(seq 1 240); do
	if (exec 3<>"/dev/tcp/127.0.0.1/$rpc") 2>/dev/null; then break; fi
	sleep 0.5
done

"$worker" keygen --out "$work/agent.key" >/dev/null
"$worker" register --url "ws://127.0.0.1:$rpc" --program example:counter --key "$work/agent.key" \
	--owner-suri //Bob --bond 100 --prepaid 200 --count "$agents" >"$work/registered.txt"
{
	echo "endpoints = [\"ws://127.0.0.1:$rpc\"]"
	echo "data_dir = \"data\""
	echo "metrics = \"127.0.0.1:$metrics\""
	sed -n 's/^registered agent \([0-9]*\).*/\1/p' "$work/registered.txt" | while read -r id; do
		echo
		echo "[[agents]]"
		echo "id = $id"
		echo "program = \"example:counter\""
		echo "key_file = \"agent.key\""
		echo "policy = { kind = \"steps\", min_steps = 1 }"
		echo "input = { kind = \"repeat\", hex = \"0100000000000000\", interval_ms = $interval }"
	done
} >"$work/worker.toml"

RUST_LOG=info "$worker" run --config "$work/worker.toml" 2>"$work/worker.log" &
worker_pid=$!
# Warm-up: every agent started and one round of transitions through.
sleep 10
accepted() {
	curl -s "http://127.0.0.1:$metrics/metrics" |
		awk '/^agentic_worker_submissions_total\{.*outcome="accepted"/ { s += $NF } END { print s + 0 }'
}
start_count=$(accepted)
start_line=$(wc -l <"$work/worker.log")
sleep "$seconds"
end_count=$(accepted)
rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$worker_pid/status")
hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$worker_pid/status")

tail -n +"$((start_line + 1))" "$work/worker.log" |
	sed -n 's/.*transition finalized.*steps=\([0-9]*\).*execute_to_finalized_ms=\([0-9]*\).*/\1 \2/p' >"$work/latency.txt"
python3 - "$work/latency.txt" "$agents" "$seconds" "$interval" "$start_count" "$end_count" "$rss" "$hwm" <<'PY'
import sys
path, agents, seconds, interval, c0, c1, rss, hwm = sys.argv[1:]
rows = [tuple(map(int, l.split())) for l in open(path) if l.strip()]
lat = sorted(r[1] for r in rows)
steps = sorted(r[0] for r in rows)
def pct(xs, p):
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else float("nan")
n = int(c1) - int(c0)
print(f"agents {agents}, input every {interval} ms, window {seconds} s")
print(f"finalized transitions: {n} ({n / int(seconds):.1f}/s)")
print(f"execute -> finalized: n={len(lat)} p50 {pct(lat, 50)} ms, p95 {pct(lat, 95)} ms, max {lat[-1] if lat else 'nan'} ms")
print(f"steps per transition: p50 {pct(steps, 50)}, min {steps[0] if steps else 'nan'}, max {steps[-1] if steps else 'nan'}")
print(f"worker memory: VmRSS {int(rss) / 1024:.1f} MiB, peak VmHWM {int(hwm) / 1024:.1f} MiB")
PY

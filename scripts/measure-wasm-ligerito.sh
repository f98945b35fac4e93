#!/usr/bin/env bash
# Measures `Ligerito` verification inside the runtime's Wasm on a dev node: registers the
# programs of the checked-in fixtures (the submission at the mode's limits and the long run, both
# stacking values at the chain's bound) and submits each fixture's transition in its own block,
# then prints, for each, the time the block author took to build that block (the node's
# "Prepared block for proposing" log line), next to the times of blocks without a submission.
# A block's time is the whole block (the verification, the state update, the rest), run by the
# node's Wasm executor as on a real chain; it does not need frame-omni-bencher.
#
#   scripts/measure-wasm-ligerito.sh [REPEAT]   # REPEAT rounds of both fixtures (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
repeat="${1:-3}"
cargo build --locked -p agentic-node
cargo build --locked -p agentic-client --example ligerito_wasm_cost
. scripts/dev-node.sh
start_dev_node 9989
fixtures=()
for _ in $(seq "$repeat"); do
	fixtures+=(pallets/submissions/benchmarks/ligerito_limits.scale pallets/submissions/benchmarks/ligerito_long_run.scale)
done
"$CARGO_TARGET_DIR/debug/examples/ligerito_wasm_cost" ws://127.0.0.1:9989 "${fixtures[@]}" |
	while read -r number steps proof accepted path; do
		ms=$(grep -o "Prepared block for proposing at $number ([0-9]* ms)" "$log" | grep -o '([0-9]* ms)' | tr -d '()')
		echo "block $number: $(basename "$path"), $steps steps, proof $proof B, accepted $accepted, built in $ms"
	done
echo "blocks without submissions:"
grep -o 'Prepared block for proposing at [0-9]* ([0-9]* ms)' "$log" | tail -5

#!/usr/bin/env bash
# Measures re-execution inside the runtime's Wasm on a dev node: submits hash-chain transitions
# of growing size, then page-toucher transitions touching 1 or 512 pages of a 1024-page state
# (one per block), and prints, for each, the steps and the time the block author took to build
# that block (the node's "Prepared block for proposing" log line), next to the
# time of a block without a submission.
#
#   scripts/measure-wasm-reexec.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
cargo build --locked -p agentic-node
cargo build --locked -p agentic-client --example wasm_cost
. scripts/dev-node.sh
start_dev_node 9988
"$CARGO_TARGET_DIR/debug/examples/wasm_cost" ws://127.0.0.1:9988 | while read -r label number steps value; do
	ms=$(grep -o "Prepared block for proposing at $number ([0-9]* ms)" "$log" | grep -o '([0-9]* ms)' | tr -d '()')
	case "$label" in
		steps) echo "block $number: hash chain, $value rounds, $steps steps, built in $ms" ;;
		pages) echo "block $number: page toucher, $value of 1024 pages, $steps steps, built in $ms" ;;
	esac
done
echo "blocks without submissions:"
grep -o 'Prepared block for proposing at [0-9]* ([0-9]* ms)' "$log" | tail -5

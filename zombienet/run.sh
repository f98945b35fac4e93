#!/usr/bin/env bash
# Runs the parachain flavour under a local relay chain with zombienet (native provider: the
# nodes are local processes).
#
#   zombienet/run.sh test     # spawns the network, runs agentic-para.zndsl, tears it down
#   zombienet/run.sh spawn    # spawns the network and keeps it up until Ctrl-C
#
# It needs, and installs once into the tools cache if missing (scripts/install-tool.sh):
#   polkadot 41.0.0 with polkadot-prepare-worker and polkadot-execute-worker (the relay chain;
#     an optimised cargo build, long: about 45 minutes on two cores after omni-node's, whose
#     dependencies it shares, and more from nothing), polkadot-omni-node 0.24.0 (the
#     collators), @zombienet/cli 1.3.138 from npm (needs Node.js and npm).
# POLKADOT_BINARY, AGENTIC_OMNI_NODE and ZOMBIENET name existing binaries instead.
# It also builds prover-worker (the test pushes a transition with it) and the para chain spec
# (scripts/para.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

mode="${1:-test}"
case "$mode" in
test | spawn) ;;
*)
	echo "usage: zombienet/run.sh [test|spawn]" >&2
	exit 2
	;;
esac

cargo build --locked -p prover-worker >&2
export AGENTIC_PROVER_WORKER="$CARGO_TARGET_DIR/debug/prover-worker"
AGENTIC_OMNI_NODE="${AGENTIC_OMNI_NODE:-$(scripts/install-tool.sh polkadot-omni-node)}"
export AGENTIC_OMNI_NODE
out="$(scripts/para.sh)"
export AGENTIC_PARA_SPEC="$out/agentic-para-spec.json"
POLKADOT_BINARY="${POLKADOT_BINARY:-$(scripts/install-tool.sh polkadot)}"
export POLKADOT_BINARY
zombienet="${ZOMBIENET:-$(scripts/install-tool.sh zombienet)}"
# polkadot finds its PVF workers beside itself or on PATH.
export PATH="$(dirname "$POLKADOT_BINARY"):$PATH"

if [ "$mode" = test ]; then
	exec "$zombienet" --provider native test zombienet/agentic-para.zndsl
else
	exec "$zombienet" --provider native spawn zombienet/agentic-para.toml
fi

#!/usr/bin/env bash
# Builds the parachain flavour of the runtime and exports what a relay chain and its collators
# need: the chain spec (plain and raw), the genesis head and the genesis validation code.
#
#   scripts/para.sh            # prints the output folder
#
# 1. builds the runtime with `--no-default-features --features std,para` into
#    $CARGO_TARGET_DIR/para (a folder of its own: in one cargo invocation with the node, the
#    `solo` and `para` features would unify, which the runtime refuses, and the two Wasm blobs
#    would overwrite each other);
# 2. installs the stock `polkadot-omni-node` once (scripts/install-tool.sh), unless
#    AGENTIC_OMNI_NODE names one;
# 3. writes, into $PARA_OUT (default $CARGO_TARGET_DIR/para/out):
#      agentic-para.wasm            the runtime (compact, compressed)
#      agentic-para-spec.json       chain spec, `development` preset (para id 2000, relay chain
#                                   rococo-local, Alice as the Aura collator, funded dev
#                                   accounts, the sample counter agent); zombienet takes this one
#                                   and puts its own collators in as the Aura authorities
#      agentic-para-spec-raw.json   the same, raw (what a collator runs)
#      genesis-head                 hex, for registering the para on a relay chain
#      genesis-wasm                 hex, the same
#
# Run the flavour without a relay chain (omni-node's development mode, a block every second):
#   polkadot-omni-node --chain "$PARA_OUT/agentic-para-spec.json" --dev --dev-block-time 1000
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
scripts/setup.sh >&2

para_target="$CARGO_TARGET_DIR/para"
out="${PARA_OUT:-$para_target/out}"
mkdir -p "$out"

echo "para: building the runtime's para flavour" >&2
# Only the Wasm is wanted, so the native crates are type-checked, not compiled: `cargo check`
# still runs the runtime's build script, which builds the Wasm (always an optimised build). The
# `release` profile because the Wasm builder compacts and compresses the blob only then (the
# relay chain limits code size, and the uncompressed blob is about 4 MB).
CARGO_TARGET_DIR="$para_target" cargo check --locked --release -p agentic-runtime \
	--no-default-features --features std,para >&2
wasm="$para_target/release/wbuild/agentic-runtime/agentic_runtime.compact.compressed.wasm"
[ -f "$wasm" ] || { echo "para: $wasm was not built" >&2; exit 1; }
cp "$wasm" "$out/agentic-para.wasm"

omni="${AGENTIC_OMNI_NODE:-$(scripts/install-tool.sh polkadot-omni-node)}"

"$omni" chain-spec-builder --chain-spec-path "$out/agentic-para-spec.json" create \
	--chain-name "Agentic Parachain Development" --chain-id agentic_para_dev -t development \
	--properties tokenSymbol=AGT,tokenDecimals=12 \
	--relay-chain rococo-local --runtime "$out/agentic-para.wasm" named-preset development >&2
"$omni" chain-spec-builder --chain-spec-path "$out/agentic-para-spec-raw.json" convert-to-raw \
	"$out/agentic-para-spec.json" >&2
"$omni" export-genesis-head --chain "$out/agentic-para-spec-raw.json" >"$out/genesis-head"
"$omni" export-genesis-wasm --chain "$out/agentic-para-spec-raw.json" >"$out/genesis-wasm"
echo "para: chain spec, genesis head and wasm in $out" >&2
echo "$out"

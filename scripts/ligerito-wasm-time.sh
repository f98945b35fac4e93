#!/usr/bin/env bash
# Times a Ligerito verification in the runtime's Wasm: the submissions pallet's
# `submit_ligerito` and `submit_ligerito_rejected` benchmarks (the checked-in submission at
# every limit of the mode), REPEAT times each (default 30), and prints the spread in ms.
#
#   scripts/ligerito-wasm-time.sh [REPEAT]
#
# Builds the runtime with `runtime-benchmarks` as scripts/generate-weights.sh does. This
# machine is a shared VM: single runs vary by up to 1.8x, so compare the minimum and the lower
# quartile between builds, not one run.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

repeat="${1:-30}"
bencher="${FRAME_OMNI_BENCHER:-$(scripts/install-tool.sh frame-omni-bencher)}"
CARGO_TARGET_DIR="$CARGO_TARGET_DIR/benchmarks" cargo build --locked -q -p agentic-runtime --features runtime-benchmarks
wasm="$CARGO_TARGET_DIR/benchmarks/debug/wbuild/agentic-runtime/agentic_runtime.wasm"

json="$(mktemp)"
trap 'rm -f "$json"' EXIT
"$bencher" v1 benchmark pallet --runtime "$wasm" --pallet pallet_agent_submissions \
	--extrinsic "submit_ligerito,submit_ligerito_rejected" --steps 2 --repeat "$repeat" \
	--json-file "$json" >/dev/null
python3 - "$json" <<'PY'
import json, sys
for bench in json.load(open(sys.argv[1])):
    ts = sorted(r["extrinsic_time"] / 1e6 for r in bench["time_results"])
    q = lambda f: ts[int(f * (len(ts) - 1))]
    print(f"{bench['benchmark']}: {len(ts)} runs, min {ts[0]:.1f} ms, p25 {q(0.25):.1f}, "
          f"median {q(0.5):.1f}, max {ts[-1]:.1f}")
PY

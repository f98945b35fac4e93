#!/usr/bin/env bash
# Installs one of the stock polkadot-sdk tools this repository runs, once, into a cache outside
# the checkout, and prints the path of its binary.
#
#   scripts/install-tool.sh frame-omni-bencher | polkadot-omni-node | polkadot | zombienet
#
# Versions are those of polkadot-sdk stable2609, which the workspace pins:
#   frame-omni-bencher 0.28.0   benchmarks the runtime (scripts/generate-weights.sh)
#   polkadot-omni-node 0.24.0   runs the `para` runtime (polkadot-omni-node-lib 0.24.0)
#   polkadot 41.0.0             relay-chain validator for zombienet (polkadot-cli 42.0.0); its three
#                               binaries polkadot, polkadot-prepare-worker, polkadot-execute-worker
#   zombienet 1.3.138           the `@zombienet/cli` npm package, from zombienet/package.json and
#                               its lock file: it overrides `toml`, which @zombienet/utils takes
#                               from GitHub, with the registry's toml 3.0.0 (only the package
#                               registries are reachable from the machines this is built on)
#
# The Rust tools are built with an optimised but quick profile (opt-level 1, 16 codegen units,
# no LTO) into $AGENTIC_TOOLS (default $HOME/.cache/agentic/tools-release), sharing one target
# folder ($AGENTIC_TOOLS_TARGET, default $HOME/.cache/agentic/tools-target) so that they reuse
# each other's dependencies. An optimised build matters: the bencher and the nodes run host
# functions (hashing, signatures, networking) natively, and a debug build overstates weights and
# makes relay validators miss their slots. The runtime itself always runs as compiled Wasm.
#
# `SKIP_WASM_BUILD=1` is set for the bencher and omni-node: a test runtime inside their
# dependencies (frame-storage-access-test-runtime) fails its Wasm build otherwise, and neither
# needs an embedded runtime (they are given ours). For `polkadot` only that test runtime's Wasm
# is skipped: its rococo-local relay chain is built into the binary.
set -euo pipefail
cd "$(dirname "$0")/.."

tool="${1:-}"
tools="${AGENTIC_TOOLS:-$HOME/.cache/agentic/tools-release}"
tools_target="${AGENTIC_TOOLS_TARGET:-$HOME/.cache/agentic/tools-target}"
if [ -f "$HOME/.cargo/env" ]; then
	# shellcheck disable=SC1091
	. "$HOME/.cargo/env"
fi

cargo_install() {
	local crate="$1" skip_wasm="$2"
	shift 2
	echo "install-tool: building $crate into $tools (optimised, once; this takes a while)" >&2
	env ${skip_wasm:+SKIP_WASM_BUILD=1} \
		CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_LTO=false \
		cargo install "$crate" --locked --root "$tools" --target-dir "$tools_target" "$@" >&2
}

case "$tool" in
frame-omni-bencher)
	bin="$tools/bin/frame-omni-bencher"
	[ -x "$bin" ] || cargo_install frame-omni-bencher@0.28.0 1
	;;
polkadot-omni-node)
	bin="$tools/bin/polkadot-omni-node"
	[ -x "$bin" ] || cargo_install polkadot-omni-node@0.24.0 1
	;;
polkadot)
	bin="$tools/bin/polkadot"
	if [ ! -x "$bin" ] || [ ! -x "$tools/bin/polkadot-prepare-worker" ] || [ ! -x "$tools/bin/polkadot-execute-worker" ]; then
		# rococo-local is built into the binary only with polkadot-cli's `rococo-native`, which
		# the `polkadot` package does not re-export: enabled as a feature of that dependency.
		# The storage-access test runtime's Wasm is skipped (see above); rococo's is needed.
		SKIP_FRAME_STORAGE_ACCESS_TEST_RUNTIME_WASM_BUILD=1 \
			cargo_install polkadot@41.0.0 "" --features polkadot-cli/rococo-native
	fi
	;;
zombienet)
	bin="$tools/zombienet/node_modules/.bin/zombienet"
	if [ ! -x "$bin" ] || ! cmp -s zombienet/package-lock.json "$tools/zombienet/package-lock.json"; then
		if ! command -v npm >/dev/null 2>&1; then
			echo "install-tool: zombienet is an npm package; install Node.js and npm first" >&2
			exit 1
		fi
		echo "install-tool: installing @zombienet/cli (zombienet/package-lock.json) into $tools/zombienet" >&2
		mkdir -p "$tools/zombienet"
		cp zombienet/package.json zombienet/package-lock.json "$tools/zombienet/"
		(cd "$tools/zombienet" && npm ci --no-audit --no-fund >&2)
	fi
	;;
*)
	echo "usage: scripts/install-tool.sh frame-omni-bencher | polkadot-omni-node | polkadot | zombienet" >&2
	exit 2
	;;
esac
[ -x "$bin" ] || { echo "install-tool: $bin missing after the install" >&2; exit 1; }
echo "$bin"

# Sourced by the other scripts: the environment every build of this repository uses.
#
# Builds are reused across checkouts: the target folder lives outside the work tree unless the
# caller chose one.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/agentic/target}"
if [ -f "$HOME/.cargo/env" ]; then
	# shellcheck disable=SC1091
	. "$HOME/.cargo/env"
fi
mkdir -p "$CARGO_TARGET_DIR"
# The runtime's Wasm build looks for Cargo.lock from the target folder; point it at the
# workspace so the Wasm is built with the locked versions.
export WASM_BUILD_WORKSPACE_HINT="${WASM_BUILD_WORKSPACE_HINT:-$PWD}"

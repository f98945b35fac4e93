# Sourced by the other scripts: the environment every build of this repository uses.
#
# Builds are reused across checkouts: the target folder lives outside the work tree unless the
# caller chose one. Cargo names a workspace crate's build by its path inside the workspace and
# judges it fresh by file times, so two checkouts sharing the folder share builds: after building
# another checkout (a CI clone, say), files edited here before that build look older than it and
# are not recompiled. `touch` them (`git diff --name-only | xargs touch`) or give each checkout
# its own CARGO_TARGET_DIR.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/agentic/target}"
if [ -f "$HOME/.cargo/env" ]; then
	# shellcheck disable=SC1091
	. "$HOME/.cargo/env"
fi
mkdir -p "$CARGO_TARGET_DIR"
# The runtime's Wasm build looks for Cargo.lock from the target folder; point it at the
# workspace so the Wasm is built with the locked versions.
export WASM_BUILD_WORKSPACE_HINT="${WASM_BUILD_WORKSPACE_HINT:-$PWD}"

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

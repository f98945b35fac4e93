#!/usr/bin/env bash
# Installs what building and testing Agentic needs, if it is missing, on Debian with rustup:
# protobuf-compiler, clang and libclang-dev from apt (plus make and perl, which the vendored
# OpenSSL build of the node's networking needs); the wasm32v1-none target and the rust-src
# component from rustup (the runtime's Wasm builder in polkadot-sdk stable2609 wants both).
set -euo pipefail

missing=()
for pkg in protobuf-compiler clang libclang-dev make perl; do
	if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
		missing+=("$pkg")
	fi
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "setup: installing ${missing[*]} with apt-get" >&2
	sudo=""
	if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v rustup >/dev/null 2>&1; then
	echo "setup: rustup is required (https://rustup.rs); it is not on PATH" >&2
	exit 1
fi
if ! rustup target list --installed | grep -qx wasm32v1-none; then
	echo "setup: adding the wasm32v1-none target" >&2
	rustup target add wasm32v1-none
fi
if ! rustup component list --installed | grep -q '^rust-src'; then
	echo "setup: adding the rust-src component" >&2
	rustup component add rust-src
fi

# Sourced by the measuring scripts: `start_dev_node RPC_PORT` starts the debug dev node
# (`--dev --tmp`, its P2P and Prometheus ports derived from RPC_PORT) in the background with its
# log in "$log", stops it and removes the log when the script exits, and returns once its RPC
# port answers (or fails with the log if the node dies first). Build the node before.
start_dev_node() {
	local rpc="$1"
	log="$(mktemp)"
	"$CARGO_TARGET_DIR/debug/agentic-node" --dev --tmp --rpc-port "$rpc" --port $((rpc + 20600)) \
		--prometheus-port $((rpc - 300)) 2>"$log" &
	node_pid=$!
	trap 'kill "$node_pid" 2>/dev/null; wait "$node_pid" 2>/dev/null; rm -f "$log"' EXIT
	for _ in $(seq 120); do
		(exec 3<>"/dev/tcp/127.0.0.1/$rpc") 2>/dev/null && return 0
		kill -0 "$node_pid" 2>/dev/null || { cat "$log" >&2; return 1; }
		sleep 1
	done
	echo "the dev node's RPC port $rpc did not answer in 120 s" >&2
	return 1
}

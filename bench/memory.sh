#!/usr/bin/env bash
# Peak memory of `status` over many IDs from stdin, against a local server
# that answers at once. Needs a release build (cargo build --release) and
# python3; BIN names another binary to compare. Prints the peak resident set
# (GNU time's %M) and the wall time for --json, -q and the table.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-target/release/beam-task}
port=${PORT:-18712}
count=${COUNT:-10000}
python3 bench/server.py "$port" 0 &
server=$!
trap 'kill $server' EXIT
sleep 0.5

export BEAM_TOKEN=bench-token BEAM_API_URL="http://127.0.0.1:$port"
ids=$(mktemp)
seq -f 'task-%g' 1 "$count" >"$ids"
for mode in --json -q --output=table; do
  /usr/bin/time -f "$count IDs $mode: %M KiB peak, %e s" \
    "$bin" status - "$mode" <"$ids" >/dev/null
done
rm -f "$ids"

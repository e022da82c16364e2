#!/usr/bin/env bash
# `list --all` over many tasks (100,000 by default) from a local workspace
# API: wall time and peak memory (GNU time's %M) for `-o ids`, `--json` and
# the table. Needs a release build (cargo build --release) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-target/release/beam-task}
port=${PORT:-18713}
count=${COUNT:-100000}
python3 bench/workspace_server.py "$port" "$count" &
server=$!
trap 'kill $server' EXIT
sleep 0.5

export BEAM_TOKEN=bench-token BEAM_APP_URL="http://127.0.0.1:$port"
for mode in "-o ids" --json "-o table"; do
  # shellcheck disable=SC2086 # the mode is two words on purpose
  /usr/bin/time -f "list --all $mode over $count tasks: %M KiB peak, %e s" \
    "$bin" list --all $mode | wc -l | sed 's/^/  lines on stdout: /'
done

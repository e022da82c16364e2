#!/usr/bin/env bash
# `logs` from a local workspace API: the peak memory and wall time of a long
# history (a million lines by default, pages of 1000), and whether `logs -f`
# keeps up with a stream of 10,000 lines a second (50,000 lines by default:
# a client that keeps up ends 5 s after the first line plus 1 s of quiet),
# then the same stream as fast as the server sends it. Needs a release build
# (cargo build --release) and python3; BIN names another binary.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-target/release/beam-task}
port=${PORT:-18714}
history=${HISTORY:-1000000}
follow=${FOLLOW:-50000}
rate=${RATE:-10000}

serve() {
  python3 bench/logs_server.py "$port" "$history" "$follow" "$1" &
  server=$!
  sleep 0.5
}
trap 'kill "${server:-}" 2>/dev/null || true' EXIT
export BEAM_TOKEN=bench-token BEAM_API_URL="http://127.0.0.1:$port" \
  BEAM_APP_URL="http://127.0.0.1:$port"

serve "$rate"
for mode in "" --json --timestamps; do
  # shellcheck disable=SC2086 # no mode is no word
  /usr/bin/time -f "history of $history lines ${mode:-(messages)}: %M KiB peak, %e s" \
    "$bin" logs hist $mode | wc -l | sed 's/^/  lines on stdout: /'
done
/usr/bin/time -f "follow of $follow lines at $rate a second: %M KiB peak, %e s (keeping up: $((follow / rate)) s + 1 s)" \
  "$bin" logs -f live | wc -l | sed 's/^/  lines on stdout: /'
kill "$server"
wait "$server" 2>/dev/null || true

serve 0
/usr/bin/time -f "follow of $follow lines as fast as they come: %M KiB peak, %e s (1 s of it the quiet)" \
  "$bin" logs -f live | wc -l | sed 's/^/  lines on stdout: /'

#!/usr/bin/env bash
# How fast `wait` hears of a change, and what waiting costs, listening to
# the subscribe stream and polling (--poll), against bench/subscribe_server.py
# (a task turns COMPLETE a fixed time after it is first asked about; the
# stream checks every second, as beta9's does). Needs a release build
# (cargo build --release), python3, curl and bc. Prints, for each way:
# - the median delay between the change and the end of `wait` (5 runs; the
#   change comes 5.5 s in, half-way between two of the stream's checks);
# - the requests one task costs over an hour, run on the scaled clock
#   (BEAM_TASK_TIME_SCALE=0.01: an hour of the schedules in 36 s);
# - the CPU time of a wait on 64 tasks for 60 s.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-target/release/beam-task}
port=${PORT:-18714}
runs=${RUNS:-5}
export BEAM_TOKEN=bench-token BEAM_API_URL="http://127.0.0.1:$port" BEAM_APP_URL="http://127.0.0.1:$port"

server=
serve() { # CHANGE_AFTER_SECONDS
  [ -z "$server" ] || kill "$server"
  python3 bench/subscribe_server.py "$port" "$1" &
  server=$!
  sleep 0.5
}
trap '[ -z "$server" ] || kill "$server"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for way in stream --poll; do
  flags=()
  [ "$way" = --poll ] && flags=(--poll)
  serve 5.5
  for n in $(seq "$runs"); do
    start=$(date +%s.%N)
    "$bin" wait "latency-$way-$n" -q "${flags[@]}"
    end=$(date +%s.%N)
    echo "$end - $start - 5.5" | bc
  done | median | sed "s/^/$way: median delay after the change (s): /"

  serve 36
  BEAM_TASK_TIME_SCALE=0.01 "$bin" wait "hour-$way" -q "${flags[@]}"
  echo "$way: requests for an hour-long task (scaled clock): $(curl -s "$BEAM_API_URL/counts")"

  serve 60
  ids=$(seq -f "cpu-$way-%g" 1 64 | tr '\n' ' ')
  # shellcheck disable=SC2086 # one word per ID
  /usr/bin/time -f "$way: 64 tasks for %e s: %U s user + %S s system CPU, %M KiB peak" \
    "$bin" wait $ids -q "${flags[@]}"
done

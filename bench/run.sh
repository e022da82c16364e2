#!/usr/bin/env bash
# Benchmarks beam-task against curl on a local server that answers in 20 ms.
# Needs: a release build (cargo build --release), python3, curl, jq,
# hyperfine (apt-get install -y curl jq hyperfine). Prints hyperfine's tables
# and the peak memory of one fetch. The machine is shared and noisy: read the
# results as ratios within one run.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/beam-task
port=${PORT:-18711}
python3 bench/server.py "$port" 20 &
server=$!
trap 'kill $server' EXIT
sleep 0.5

export BEAM_TOKEN=bench-token BEAM_API_URL="http://127.0.0.1:$port"
url="$BEAM_API_URL/v2/task/t1/"
ids=$(seq -f 't%g' 1 100 | tr '\n' ' ')

echo "== binary size"
echo "$(wc -c <"$bin") bytes"

echo "== one task: beam-task vs curl | jq"
hyperfine -N --warmup 3 --runs 30 \
  -n 'beam-task status --json' "$bin status t1 --json" \
  -n 'curl | jq' "bash -c 'curl -s -H \"Authorization: Bearer bench-token\" $url | jq -r .status'"

echo "== 100 tasks: beam-task (--jobs 8) vs a loop of 100 curl calls"
hyperfine --warmup 1 --runs 5 \
  -n 'beam-task 100 ids' "$bin status -q $ids" \
  -n 'curl loop' "for id in $ids; do curl -s -H 'Authorization: Bearer bench-token' $BEAM_API_URL/v2/task/\$id/ >/dev/null; done"

echo "== peak memory of one fetch"
/usr/bin/time -f '%M KiB max resident' "$bin" status t1 -q

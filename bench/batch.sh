#!/usr/bin/env bash
# Reading many tasks: beam-task's batch reads (a hundred tasks a request on
# the workspace API's list) beside curl -Z --parallel-max 64 reading each
# task, against bench/batch_server.py (1,000 tasks, 20 ms added to every
# answer). Needs a release build (cargo build --release), python3, curl,
# openssl and GNU time. Prints, from one run:
# - status -q of 1,000 finished tasks: median wall time of RUNS runs and the
#   requests made, beside curl's 1,000 reads;
# - wait -q on 1,000 running tasks that finish over 10 s: the requests, how
#   long after the last one finished the wait ended, and the peak memory;
# - status -q -j 64 of 100 tasks over TLS (and --json, which reads each
#   task on the task API over 64 connections): the peak memory, beside
#   curl's.
# The machine is shared and noisy: read the figures as ratios within one run.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-target/release/beam-task}
port=${PORT:-18716}
runs=${RUNS:-5}
tmp=$(mktemp -d)
server=
serve() { # MODE [CERT KEY]
  [ -z "$server" ] || kill "$server"
  python3 bench/batch_server.py "$port" 20 1000 "$@" &
  server=$!
  sleep 0.5
}
cleanup() {
  [ -z "$server" ] || kill "$server"
  rm -rf "$tmp"
}
trap cleanup EXIT

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
seconds() { # COMMAND...: wall time of one run
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
counts() { curl -s "$scheme://127.0.0.1:$port/counts" "${curl_tls[@]}"; }

export BEAM_TOKEN=bench-token
seq -f '5c9a1e0d-4b7f-4d2e-9f3a-%012g' 1 1000 >"$tmp/ids"
head -100 "$tmp/ids" >"$tmp/ids100"
curl_config() { # BASE_URL IDS_FILE: a curl config reading each task
  while read -r id; do
    printf 'url = "%s/v2/task/%s/"\noutput = "/dev/null"\n' "$1" "$id"
  done <"$2"
}
curl_reads() { # CONFIG
  curl -Z --parallel-max 64 -s -H "Authorization: Bearer $BEAM_TOKEN" "${curl_tls[@]}" -K "$1" 2>/dev/null
}
beam_status() { # ARGS... (IDs from $ids)
  "$bin" status "$@" - <"$ids"
}

scheme=http
curl_tls=()
base="http://127.0.0.1:$port"
export BEAM_API_URL=$base BEAM_APP_URL=$base
serve finished
curl_config "$base" "$tmp/ids" >"$tmp/curl"
ids=$tmp/ids

echo "== status -q of 1,000 finished tasks (median of $runs runs)"
counts >/dev/null
ours=$(for _ in $(seq "$runs"); do seconds beam_status -q; done | median)
echo "beam-task status -q: $ours s, $(counts | jq .total) requests in $runs runs"
theirs=$(for _ in $(seq "$runs"); do seconds curl_reads "$tmp/curl"; done | median)
echo "curl -Z --parallel-max 64: $theirs s, $(counts | jq .total) requests in $runs runs"
echo "ratio: $(echo "scale=3; $ours / $theirs" | bc)"

echo "== wait -q on 1,000 running tasks that finish over 10 s"
serve running 10
/usr/bin/time -f '%M' -o "$tmp/peak" "$bin" wait -q - <"$ids"
ended=$(date +%s.%N)
result=$(counts)
echo "requests: $(jq .total <<<"$result") ($(jq -c 'del(.total, .last_finished)' <<<"$result"))"
echo "ended $(echo "$ended - $(jq .last_finished <<<"$result")" | bc) s after the last task finished"
echo "peak memory: $(cat "$tmp/peak") KiB"

echo "== 100 tasks over TLS, 64 at once: peak memory"
# A CA (what the clients trust, cert.pem) and the server's certificate.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=bench-ca \
  -keyout "$tmp/ca.key" -out "$tmp/cert.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 \
  -keyout "$tmp/key.pem" -out "$tmp/server.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\n' >"$tmp/san"
openssl x509 -req -in "$tmp/server.csr" -CA "$tmp/cert.pem" -CAkey "$tmp/ca.key" \
  -CAcreateserial -days 1 -extfile "$tmp/san" -out "$tmp/server.pem" 2>/dev/null
serve finished 10 "$tmp/server.pem" "$tmp/key.pem"
scheme=https
curl_tls=(--cacert "$tmp/cert.pem")
base="https://127.0.0.1:$port"
export BEAM_API_URL=$base BEAM_APP_URL=$base SSL_CERT_FILE=$tmp/cert.pem
ids=$tmp/ids100
curl_config "$base" "$ids" >"$tmp/curl100"
for args in "-q -j 64" "--json -j 64"; do
  # shellcheck disable=SC2086 # one word per argument
  /usr/bin/time -f "beam-task status $args: %M KiB peak, %e s" "$bin" status $args - <"$ids" >/dev/null
  echo "  requests: $(counts | jq -c 'del(.total)')"
done
/usr/bin/time -f "curl -Z --parallel-max 64: %M KiB peak, %e s" \
  curl -Z --parallel-max 64 -s -H "Authorization: Bearer $BEAM_TOKEN" --cacert "$tmp/cert.pem" -K "$tmp/curl100" \
  2>&1 >/dev/null | grep peak

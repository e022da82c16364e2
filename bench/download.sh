#!/usr/bin/env bash
# `beam-task download` against `curl -o`: both fetch the same file (1 GiB
# of random bytes by default) from the same local plain-http server
# (bench/storage.py, which sends it with sendfile), into the same folder.
# Needs a release build (cargo build --release), python3, curl, jq,
# hyperfine and GNU time. SIZE_MIB sets the file's size, RUNS the runs of
# each; BIN names another binary. Prints hyperfine's table, each one's
# throughput, and each one's peak resident memory (GNU time's %M).
# The file is in the page cache for both: this measures the clients.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-target/release/beam-task}
port=${PORT:-18713}
size=${SIZE_MIB:-1024}
runs=${RUNS:-5}
# Under target/: on the disk, as a download would be (/tmp may be tmpfs).
work=$(mktemp -d target/bench-download.XXXXXX)
head -c "$((size * 1024 * 1024))" /dev/urandom >"$work/big.bin"
python3 bench/storage.py "$port" "$work/big.bin" &
server=$!
trap 'kill $server; rm -rf "$work"' EXIT
sleep 0.5

export BEAM_TOKEN=bench-token BEAM_API_URL="http://127.0.0.1:$port"
url="$BEAM_API_URL/files/big.bin?X-Amz-Signature=bench"
out="$work/out"

echo "== $size MiB, $runs runs each"
hyperfine --warmup 1 --runs "$runs" --export-json "$work/times.json" \
  --prepare "rm -rf $out" \
  -n 'beam-task download' "$bin download bench -q -d $out" \
  -n 'curl -o' "mkdir -p $out && curl -s -o $out/big.bin $url"
jq -r --argjson mib "$size" \
  '.results[] | "\(.command): \($mib / .mean | floor) MiB/s (mean \(.mean * 1000 | floor) ms)"' \
  "$work/times.json"

echo "== peak memory"
rm -rf "$out"
/usr/bin/time -f "beam-task download: %M KiB peak" "$bin" download bench -q -d "$out"
cmp "$work/big.bin" "$out/big.bin"
rm -rf "$out" && mkdir -p "$out"
/usr/bin/time -f "curl -o: %M KiB peak" curl -s -o "$out/big.bin" "$url"

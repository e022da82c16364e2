#!/usr/bin/env bash
# Startup cost of the trust store: a run that loads the system's store
# against a run with SSL_CERT_FILE set to a file of one CA. Each run loads
# the roots, then its connect to a closed loopback port is refused at once.
#
# Usage: bench/startup.sh [BINARY...]   (default: target/release/beam-task)
# Needs: a release build, hyperfine, jq, strace
# (apt-get install -y hyperfine jq strace). Give several binaries (say, a copy
# of the binary before a change and the one after) to compare them in one
# session: the machine is shared and noisy, so read ratios within one run.
set -euo pipefail
cd "$(dirname "$0")/.."
if (($# == 0)); then
  set -- target/release/beam-task
fi
args=(status abc --retries 0 --api-url https://127.0.0.1:9 --token t)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One CA: the first certificate of the system's bundle.
bundle=${BUNDLE:-/etc/ssl/certs/ca-certificates.crt}
ca="$tmp/one-ca.pem"
awk '{ print } /-----END CERTIFICATE-----/ { exit }' "$bundle" >"$ca"

# The system store is found through the usual locations only.
unset SSL_CERT_FILE SSL_CERT_DIR

# time_ms NAME BINARY [VAR=VALUE...]: hyperfine's median wall time in ms
# (steadier than the mean on a busy machine), with its table on stderr.
time_ms() {
  local name=$1 bin=$2
  shift 2
  env "$@" hyperfine -N -i --warmup 20 --runs "${RUNS:-300}" \
    --export-json "$tmp/$name.json" -n "$name" "$bin ${args[*]}" >&2
  jq '.results[0].median * 1e6 | round / 1000' "$tmp/$name.json"
}

# opened BINARY [VAR=VALUE...]: "N openat calls, M for certificates".
opened() {
  local bin=$1
  shift
  env "$@" strace -f -qq -e trace=openat -o "$tmp/trace" "$bin" "${args[@]}" 2>/dev/null || true
  echo "$(grep -c 'openat(' "$tmp/trace") openat calls," \
    "$(grep -cE '/etc/(ssl|pki)|\.pem|\.crt' "$tmp/trace") of certificates"
}

for bin in "$@"; do
  echo "== $bin ($(stat -c %s "$bin") bytes)"
  system=$(time_ms system-store "$bin")
  one=$(time_ms one-ca-file "$bin" SSL_CERT_FILE="$ca")
  echo "median: system store $system ms, SSL_CERT_FILE of one CA $one ms," \
    "ratio $(jq -n "$system / $one * 100 | round / 100")"
  echo "files, system store: $(opened "$bin")"
  echo "files, one CA file:  $(opened "$bin" SSL_CERT_FILE="$ca")"
done

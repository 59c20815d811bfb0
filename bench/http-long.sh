#!/usr/bin/env bash
# One `kyc serve` under the load of bench/http-vs-nginx.sh for several 10-second wrk runs in a
# row, as bench/run gives it: shows whether throughput holds while the audit log grows. Prints
# per run requests/s, p50 and p99, the log's size and the machine's page cache.
# Usage: bench/http-long.sh RUNS KYC_BINARY [SERVE_ARGS...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
peers=$root/../shared/bench-peers
facts=${PEERS_DIR:-/tmp/kycd-bench-peers}/facts.jsonl
runs=$1 kyc=$2
shift 2
source "$root/bench/evaluate-load.sh"
require_load "$facts"

work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
write_evaluate_load "$work" "$facts"
start_kycd "$kyc" 8096 "$work" "$@"
sleep 0.5
for ((run = 1; run <= runs; run++)); do
  wrk -t2 -c64 -d10s --latency -s "$work/post.lua" http://127.0.0.1:8096/v1/evaluate | awk \
    -v run=$run -v log_mib="$(du -sm "$work/var" | cut -f1)" \
    -v cache_mib="$(awk '/^Cached:/ {print int($2 / 1024)}' /proc/meminfo)" '
    /Requests\/sec/ {rps = $2} /^ +50%/ {p50 = $2} /^ +99%/ {p99 = $2}
    END {printf "run %d  %8.0f req/s  p50 %s  p99 %s  log before the run %5d MiB  page cache %6d MiB\n",
         run, rps, p50, p99, log_mib, cache_mib}'
done

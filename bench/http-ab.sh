#!/usr/bin/env bash
# A/B of kyc binaries under the HTTP load of bench/http-vs-nginx.sh: each round runs every
# binary once (a fresh `kyc serve` and data dir, wrk -t2 -c64 for SECONDS), in turn. Prints
# requests/s and the server's own CPU time per request (user + sys of the process, from
# /proc): on 2 shared cores requests/s swings by 10% between runs of one binary, the CPU per
# request much less, so a change that saves work shows in the second column first.
# Usage: bench/http-ab.sh ROUNDS SECONDS KYC_BINARY... [-- SERVE_ARGS...]
# KYC_BENCH_LOAD=account sends a backend's request (an account_id; bench/evaluate-load.sh)
# instead of the one with every fact given.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
peers=$root/../shared/bench-peers
facts=${PEERS_DIR:-/tmp/kycd-bench-peers}/facts.jsonl
rounds=$1 secs=$2
shift 2
binaries=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do binaries+=("$1"); shift; done
[ $# -gt 0 ] && shift
source "$root/bench/evaluate-load.sh"
require_load "$facts"

work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
write_evaluate_load "$work" "$facts"
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
for ((round = 1; round <= rounds; round++)); do
  for kyc in "${binaries[@]}"; do
    rm -rf "$work/var"
    start_kycd "$kyc" 8094 "$work" "$@"
    pid=$kycd_pid
    # Up when /healthz answers: on a loaded machine a fixed 0.5 s was sometimes too short.
    for _ in $(seq 100); do curl -sf http://127.0.0.1:8094/healthz >/dev/null && break; sleep 0.1; done
    before=$(cpu_ticks $pid)
    out=$(wrk -t2 -c64 -d"${secs}s" -s "$work/${KYC_BENCH_LOAD:-post}.lua" \
      http://127.0.0.1:8094/v1/evaluate)
    after=$(cpu_ticks $pid)
    kill $pid
    wait $pid 2>/dev/null || true
    echo "$out" | awk -v kyc="$kyc" -v round=$round -v ticks=$((after - before)) \
      -v hz="$(getconf CLK_TCK)" '
      /requests in/ {n = $1} /Requests\/sec/ {rps = $2} /Non-2xx/ {bad = $NF}
      END {printf "round %d  %-40s %8.0f req/s  %6.2f us CPU/request%s\n", round, kyc, rps,
           ticks * 1e6 / hz / n, bad ? "  NON-2XX ANSWERS: " bad : ""}'
  done
done

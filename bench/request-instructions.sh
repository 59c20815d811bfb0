#!/usr/bin/env bash
# Instructions per POST /v1/evaluate, counted by callgrind: repeatable whatever else the
# machine is doing, so a change on the request path can be judged on a busy machine where
# requests/s move by 10-20%. Runs `kyc serve` (one IO thread) under callgrind, sends N requests
# one after another, and prints the instructions per request of the IO thread and of the audit
# writer (which commits each request on its own here: no group commit with one client).
# Usage: bench/request-instructions.sh KYC [N] [post|account]   (N 2000; account: a backend's
# request with an account_id, bench/evaluate-load.sh)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
peers=$root/../shared/bench-peers
kyc=$1 n=${2:-2000} load=${3:-post}
facts=${PEERS_DIR:-/tmp/kycd-bench-peers}/facts.jsonl
command -v valgrind >/dev/null || apt-get install -y -q --no-install-recommends valgrind
source "$root/bench/evaluate-load.sh"
require_load "$facts"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
write_evaluate_load "$work" "$facts"
"$kyc" accounts import --data-dir "$work/var" "$work/accounts.csv" > /dev/null
# kyc re-executes itself to set OMP_THREAD_LIMIT (cli/main.cc); set, it runs in place.
KYCD_TOKEN_RATE=0 KYCD_ADDRESS_RATE=0 OMP_THREAD_LIMIT=1 valgrind --tool=callgrind --separate-threads=yes \
  --callgrind-out-file="$work/cg" "$kyc" serve --listen 127.0.0.1:8098 --threads 1 \
  --policy-dir "$peers" --policy-file bench.policy --data-dir "$work/var" \
  --tokens "$work/tokens" > "$work/kycd.log" 2>&1 &
pid=$!
for _ in $(seq 600); do curl -sf localhost:8098/readyz > /dev/null && break; sleep 0.1; done
count() {  # instructions of every thread file matching $1
  local total=0
  for f in "$work"/cg.1-*; do  # part 1: from --zero to --dump
    local report
    report=$(callgrind_annotate --inclusive=yes "$f" 2>/dev/null)
    if grep -q "$1" <<< "$report"; then
      total=$((total + $(awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}' <<< "$report")))
    fi
  done
  echo "$total"
}
# Counted from here: the start-up is zeroed, then N requests, then the counts are dumped.
callgrind_control --zero "$pid" > /dev/null
token_for_load=$([ "$load" = account ] && echo "$backend_token" || echo "$token")
body=$([ "$load" = account ] && echo "$work/account.json" || echo "$work/body.json")
python3 - "$n" "$body" "$token_for_load" <<'PY'
import http.client, sys
n, body, token = int(sys.argv[1]), open(sys.argv[2], "rb").read(), sys.argv[3]
c = http.client.HTTPConnection("127.0.0.1", 8098)
for _ in range(n):
    c.request("POST", "/v1/evaluate", body, {"Authorization": "Bearer " + token,
                                             "Content-Type": "application/json"})
    r = c.getresponse(); r.read()
    if r.status != 200: sys.exit("answer %d" % r.status)
PY
sleep 0.5  # the last commit
callgrind_control --dump "$pid" > /dev/null
kill -TERM "$pid"; wait "$pid" || true
io=$(count "Session::on_read"); writer=$(count "writer_loop")
echo "$load: $((io / n)) instructions per request on the IO thread, $((writer / n)) on the audit writer ($n requests)"

#!/usr/bin/env bash
# The README's curl example against the real binary: a decision with a token, 401 without.
# Usage: curl_test.sh KYC_BINARY SOURCE_DIR
set -euo pipefail
kyc=$1; src=$2
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -m 700 "$work/var"
token=$("$kyc" tokens new --roles evaluate --file "$work/var/tokens")
"$kyc" serve --listen 127.0.0.1:0 --port-file "$work/port" --policy-dir "$src/policies" --data-dir "$work/var" \
  > "$work/log" 2>&1 &
pid=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
port=$(cat "$work/port")
out=$(curl -s -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d @"$src/policies/examples/evaluate-request.json" "localhost:$port/v1/evaluate")
echo "$out"
grep -q '"outcome":"resubmit"' <<< "$out"
grep -q '"code":"DOC_EXPIRED"' <<< "$out"
status=$(curl -s -o /dev/null -w '%{http_code}' -d @"$src/policies/examples/evaluate-request.json" \
  -H 'Content-Type: application/json' "localhost:$port/v1/evaluate")
[ "$status" = 401 ] || { echo "expected 401 without a token, got $status"; exit 1; }
kill -TERM $pid
wait $pid
echo "curl test passed"

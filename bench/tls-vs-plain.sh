#!/usr/bin/env bash
# HTTPS against plain HTTP on one `kyc serve` build (issue 20, item 3): a new connection per
# request (curl, so the figure includes curl's own start), keep-alive on one connection (curl
# URL globbing: sequential requests, one client), and full handshakes per second
# (openssl s_time). wrk, when installed, is the better tool for throughput.
# Usage: bench/tls-vs-plain.sh KYC_BINARY [ROUNDS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
kyc=$(realpath "$1") rounds=${2:-1}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
cd "$work"
key="-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
openssl req -x509 $key -keyout ca.key -out ca.pem -days 2 -subj /CN=bench-ca 2>/dev/null
openssl req $key -keyout server.key -out server.csr -subj /CN=localhost 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\n' > server.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -days 2 -extfile server.ext \
  -out server.pem 2>/dev/null
mkdir -p policies && cp "$root/policies/kyc.policy" policies/
python3 - "$root" > facts.json <<'PY'
import json, sys
f = json.load(open(sys.argv[1] + "/policies/examples/expired-passport.json")); f.pop("today", None)
print(json.dumps({"facts": f, "account_id": "acct-1", "locale": "en"}))
PY
"$kyc" serve --no-auth --listen 127.0.0.1:18080 --policy-dir policies --data-dir v1 > plain.log 2>&1 &
"$kyc" serve --no-auth --listen 127.0.0.1:18443 --policy-dir policies --data-dir v2 \
  --tls-cert server.pem --tls-key server.key > tls.log 2>&1 &
sleep 2
rate() { local n=$1 s e; shift; s=$(date +%s.%N); "$@"; e=$(date +%s.%N); echo "$n / ($e - $s)" | bc -l | cut -d. -f1; }
for ((round = 1; round <= rounds; round++)); do
  for url in http://127.0.0.1:18080 https://127.0.0.1:18443; do
    echo "== round $round, $url"
    for i in $(seq 300); do
      curl -s --cacert ca.pem -o /dev/null -w '%{time_appconnect} %{time_total}\n' "$url/healthz"
    done | sort -k2 -n | awk '{a[NR]=$2; h+=$1} END {printf "new connection, GET /healthz x%d: median %.2f ms, p90 %.2f ms (TLS handshake mean %.2f ms)\n", NR, a[int(NR/2)]*1000, a[int(NR*0.9)]*1000, h/NR*1000}'
    echo "keep-alive, GET /healthz x5000: $(rate 5000 curl -s --cacert ca.pem -o /dev/null "$url/healthz?n=[1-5000]") req/s"
    echo "keep-alive, POST /v1/evaluate x1000: $(rate 1000 curl -s --cacert ca.pem -o /dev/null \
      -H 'Content-Type: application/json' --data-binary @facts.json "$url/v1/evaluate?n=[1-1000]") req/s"
  done
done
echo "== openssl s_time: full TLS handshakes (new session each), 5 s"
openssl s_time -connect 127.0.0.1:18443 -new -time 5 -CAfile ca.pem 2>&1 | grep "connections in"

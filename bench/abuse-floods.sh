#!/usr/bin/env bash
# The three floods of issue 20 against a fresh `kyc serve` with the default abuse limits and
# --ops-listen, counted from its /metrics: wrong tokens for 3 s, one token's evaluates for 3 s, and
# /healthz on the ops port while 2,000 idle sockets hold the main one. Needs wrk and python3.
# Usage: bench/abuse-floods.sh [KYC_BINARY]   (default build/cli/kyc; about 10 s)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
kyc=${1:-$root/build/cli/kyc}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
token=measure-evaluate-token-000001
echo "sha256:$(printf %s "$token" | sha256sum | cut -d' ' -f1) evaluate" > "$work/tokens"
"$kyc" serve --listen 127.0.0.1:0 --port-file "$work/port" --ops-listen 127.0.0.1:8197 \
  --policy-dir "$root/policies" --data-dir "$work/var" --tokens "$work/tokens" > "$work/log" 2>&1 &
for i in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
port=$(cat "$work/port")
m() { curl -s "http://127.0.0.1:8197/metrics" | grep -E "$1" || true; }
echo "== wrong-token flood: wrk -t1 -c32 -d3s -H 'Authorization: Bearer wrong' GET /v1/me"
wrk -t1 -c32 -d3s -H 'Authorization: Bearer wrong' "http://127.0.0.1:$port/v1/me" | grep -E "requests in|Non-2xx"
m 'route="(GET /v1/me|throttled)"'
m 'kycd_throttled_requests_total'
python3 - "$root" "$work" <<'PY'
import json, sys
root, work = sys.argv[1], sys.argv[2]
facts = json.load(open(root + "/policies/examples/expired-passport.json"))
facts.pop("today", None)
open(work + "/body.json", "w").write(json.dumps({"facts": facts, "account_id": "acct-1"}))
PY
cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
local f = io.open("$work/body.json"); wrk.body = f:read("*a"); f:close()
LUA
# a fresh server for the token flood (the address above is paused)
kill %1; wait %1 2>/dev/null || true
rm -f "$work/port"
"$kyc" serve --listen 127.0.0.1:0 --port-file "$work/port" --ops-listen 127.0.0.1:8197 \
  --policy-dir "$root/policies" --data-dir "$work/var2" --tokens "$work/tokens" > "$work/log" 2>&1 &
for i in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
port=$(cat "$work/port")
echo "== one token's evaluates: wrk -t1 -c32 -d3s POST /v1/evaluate"
wrk -t1 -c32 -d3s -s "$work/post.lua" "http://127.0.0.1:$port/v1/evaluate" | grep -E "requests in|Non-2xx"
m 'route="(POST /v1/evaluate|throttled)"'
m 'kycd_throttled_requests_total'
echo "== /healthz on the ops port under 2,000 idle sockets to the main port"
python3 - "$port" <<'PY'
import socket, sys, time, resource, statistics
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
port = int(sys.argv[1])
flood = []
for i in range(2000):
    s = socket.create_connection(("127.0.0.1", port)); flood.append(s)
times = []
for i in range(20):
    t = time.perf_counter()
    p = socket.create_connection(("127.0.0.1", 8197))
    p.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    data = b""
    while True:
        chunk = p.recv(4096)
        if not chunk: break
        data += chunk
    times.append((time.perf_counter() - t) * 1000)
    assert data.startswith(b"HTTP/1.1 200"), data[:40]
    p.close()
print("2000 idle sockets open; ops /healthz x20: median %.2f ms, max %.2f ms" % (statistics.median(times), max(times)))
main = socket.create_connection(("127.0.0.1", port)); main.settimeout(3)
print("main port, one more connection:", main.recv(200).split(b"\r\n")[0].decode())
PY
m 'kycd_refused_connections_total'

#!/usr/bin/env bash
# Replay speed: fill an audit log through the real service (wrk for N seconds on
# POST /v1/evaluate with the benchmark policy), then `kyc replay` it on one core.
# Usage: bench/replay.sh [SECONDS_OF_LOAD] (default 10)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
peers=$root/../shared/bench-peers
secs=${1:-10}
build=$root/build-release
command -v wrk >/dev/null || apt-get install -y -q --no-install-recommends wrk
[ -x "$build/cli/kyc" ] || BUILD_DIR=$build "$root/scripts/build.sh" -DCMAKE_BUILD_TYPE=Release
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
token=bench-admin-token-0000000001
echo "sha256:$(printf %s "$token" | sha256sum | cut -d" " -f1) admin" > "$work/tokens"  # the file keeps hashes
facts=${PEERS_DIR:-/tmp/kycd-bench-peers}/facts.jsonl
[ -f "$facts" ] || { mkdir -p "$(dirname "$facts")"; node "$peers/facts.mjs" 2000 > "$facts"; }
# wrk cycles through the fact sets so that the log holds varied decisions.
lua_facts=$(head -200 "$facts" | sed 's/\\/\\\\/g; s/"/\\"/g; s/^/"{\\"facts\\": /; s/$/}",/')
cat > "$work/post.lua" <<LUA
local bodies = { $lua_facts }
local i = 0
request = function()
  i = i % #bodies + 1
  return wrk.format("POST", "/v1/evaluate", {["Content-Type"] = "application/json",
                    ["Authorization"] = "Bearer $token"}, bodies[i])
end
LUA
"$build/cli/kyc" serve --listen 127.0.0.1:8094 --policy-dir "$peers" --policy-file bench.policy \
  --data-dir "$work/var" --tokens "$work/tokens" --threads 2 --token-rate 0 --address-rate 0 \
  > "$work/kycd.log" 2>&1 &
sleep 1
wrk -t2 -c64 -d"${secs}s" -s "$work/post.lua" http://127.0.0.1:8094/v1/evaluate | grep -E "Requests/sec|Non-2xx" || true
kill -TERM %1; wait %1 || true
"$build/cli/kyc" audit verify --data-dir "$work/var"
taskset -c 0 "$build/cli/kyc" replay --data-dir "$work/var"

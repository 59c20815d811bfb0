#!/usr/bin/env bash
# HTTP throughput of POST /v1/evaluate against nginx `return 200` (the limit for any HTTP
# server on this machine) and a Node.js http server evaluating the same rules with cel-js,
# with wrk, alternating in one run; medians of several repetitions. kycd is measured twice:
# as a backend calls it (`kycd-account`: an account_id, the store's facts looked up, the
# document linked and the attempt counted: the headline) and with every fact given and no
# account (`kycd`: what the Node.js peer does too).
# Usage: [BUILD=DIR] bench/http-vs-nginx.sh [REPETITIONS] [SECONDS] [CONNECTIONS]
#   (defaults 3, 10, 64; BUILD build-release, built with the Release preset when it has no kyc)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
peers=$root/../shared/bench-peers
reps=${1:-3}; secs=${2:-10}; conns=${3:-64}
build=${BUILD:-$root/build-release}
KYC_BENCH_DEPS=1 "$root/scripts/install-deps.sh"
command -v wrk >/dev/null || apt-get install -y -q --no-install-recommends wrk
command -v nginx >/dev/null || apt-get install -y -q --no-install-recommends nginx-light
[ -x "$build/cli/kyc" ] || BUILD_DIR=$build "$root/scripts/build.sh" -DCMAKE_BUILD_TYPE=Release
peers_dir=${PEERS_DIR:-/tmp/kycd-bench-peers}
facts=$peers_dir/facts.jsonl
mkdir -p "$peers_dir"
[ -f "$facts" ] || node "$peers/facts.mjs" 2000 > "$facts"
"$peers/run" "$facts" 0.1 cel >/dev/null  # installs the peers on first use

work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; nginx -p "$work" -c nginx.conf -s stop 2>/dev/null || true; rm -rf "$work"' EXIT
source "$root/bench/evaluate-load.sh"
write_evaluate_load "$work" "$facts"
cat > "$work/nginx.conf" <<NGINX
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  server { listen 127.0.0.1:8091; location / { return 200 'ok'; } }
}
NGINX
nginx -p "$work" -c nginx.conf
start_kycd "$build/cli/kyc" 8092 "$work"
(cd "$peers_dir" && exec node "$peers/http-peer.mjs" 8093 > "$work/node.log" 2>&1) &
sleep 1
for request in body:$token account:$backend_token; do
  curl -sf -H "Authorization: Bearer ${request#*:}" -H 'Content-Type: application/json' \
    -d @"$work/${request%%:*}.json" localhost:8092/v1/evaluate > /dev/null ||
    { echo "kycd did not answer ${request%%:*}.json"; cat "$work/kycd.log"; exit 1; }
done

run_wrk() {  # script url -> "rps p50_ms p99_ms non2xx"
  wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$work/$1.lua" "$2" 2>/dev/null | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ {rps=$2} /^ +50%/ {p50=ms($2)} /^ +99%/ {p99=ms($2)}
    /Non-2xx/ {bad=$NF} END {printf "%d %.3f %.3f %d\n", rps, p50, p99, bad}'
}
declare -A rps p50 p99
for ((i = 1; i <= reps; i++)); do
  echo "repetition $i/$reps" >&2
  for target in nginx:8091:post kycd-account:8092:account kycd:8092:post node-cel:8093:post; do
    IFS=: read -r name port script <<< "$target"
    read -r r a b bad < <(run_wrk "$script" "http://127.0.0.1:$port/v1/evaluate")
    [ "${bad:-0}" = 0 ] || echo "warning: $name answered $bad non-2xx responses" >&2
    rps[$name]+="$r "; p50[$name]+="$a "; p99[$name]+="$b "
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
rss_kb=$(awk '/VmHWM/ {print $2}' /proc/$kycd_pid/status)
k=$(echo "${rps[kycd-account]}" | median)
printf '| server | requests/s | p50 ms | p99 ms | kycd-account / server |\n|---|---:|---:|---:|---:|\n'
for name in kycd-account kycd nginx node-cel; do
  r=$(echo "${rps[$name]}" | median)
  printf '| %s | %.0f | %s | %s | %.3f |\n' "$name" "$r" "$(echo "${p50[$name]}" | median)" \
    "$(echo "${p99[$name]}" | median)" "$(awk -v a="$k" -v b="$r" 'BEGIN {print a / b}')"
done
echo "kycd peak RSS: $((rss_kb / 1024)) MiB; wrk -t2 -c$conns -d${secs}s, $reps repetitions, medians"

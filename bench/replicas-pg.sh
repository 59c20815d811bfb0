#!/usr/bin/env bash
# The PostgreSQL store under load (issue 21): POST /v1/evaluate with an account_id, as a
# backend sends it, first against one replica, then against two replicas on the same database
# (one wrk each, run at once, rates summed), and where the two cores went meanwhile: CPU
# seconds of kycd, of PostgreSQL and of wrk per 1,000 requests. A throwaway cluster
# (scripts/pg-test-cluster.sh) holds the database; synchronous_commit as Debian ships it (on).
#   bench/replicas-pg.sh [SECS] [CONNS per replica] [REPS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
peers=$root/../shared/bench-peers
secs=${1:-5}; conns=${2:-32}; reps=${3:-3}
kyc=${KYC:-$root/build-release/cli/kyc}
[ -x "$kyc" ] || kyc=$root/build/cli/kyc
command -v wrk >/dev/null || apt-get install -y -q --no-install-recommends wrk
peers_dir=${PEERS_DIR:-/tmp/kycd-bench-peers}
facts=$peers_dir/facts.jsonl
mkdir -p "$peers_dir"
[ -f "$facts" ] || node "$peers/facts.mjs" 2000 > "$facts"

work=$(mktemp -d)
chmod 755 "$work"  # the cluster runs as the postgres user, who must reach $work/pg
cluster=$work/pg
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null; "$root/scripts/pg-test-cluster.sh" stop "$cluster" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
"$root/scripts/pg-test-cluster.sh" start "$cluster" > /dev/null
psql -q "$(cat "$cluster/url")" -c "CREATE DATABASE kycd_bench"
export KYC_BENCH_STORE=$(sed 's#/postgres$#/kycd_bench#' "$cluster/url")
source "$root/bench/evaluate-load.sh"

mkdir -p "$work/a" "$work/b"
write_evaluate_load "$work/a" "$facts"
start_kycd "$kyc" 8094 "$work/a"
pid_a=$kycd_pid
# The second replica: the same tokens and the keys of the first (one chain, one document key).
cp "$work/a/tokens" "$work/a/"*.lua "$work/a/"*.json "$work/a/accounts.csv" "$work/b/"
mkdir -m 700 "$work/b/var"
cp "$work/a/var/"{chain,master,document,checkpoint}.key "$work/b/var/"
curl -sf -H "Authorization: Bearer $backend_token" -H 'Content-Type: application/json' \
  -d @"$work/a/account.json" localhost:8094/v1/evaluate > /dev/null ||
  { echo "kycd did not answer account.json"; cat "$work/a/kycd.log"; exit 1; }

ticks() {  # the CPU clock ticks (user + system) of the processes named by pid
  local total=0 pid
  for pid in "$@"; do
    [ -r "/proc/$pid/stat" ] || continue
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo "$total"
}
postgres_pids() { pgrep -u postgres -f "postgres" || true; }
hz=$(getconf CLK_TCK)

# run PORT... -> "requests/s kycd_ms postgres_ms wrk_ms" (CPU ms per 1,000 requests)
run() {
  local port pids=() wrks=() total=0 before_k before_p before_w
  before_k=$(ticks $kycd_pids); before_p=$(ticks $(postgres_pids))
  for port in "$@"; do
    wrk -t1 -c"$conns" -d"${secs}s" -s "$work/a/account.lua" "http://127.0.0.1:$port/v1/evaluate" \
      > "$work/wrk.$port" 2>&1 &
    wrks+=($!)
  done
  sleep 0.5
  before_w=$(ticks "${wrks[@]}")
  wait "${wrks[@]}" || true
  for port in "$@"; do
    total=$(awk -v t="$total" '/Requests\/sec/ {print t + $2}' "$work/wrk.$port")
    grep -q "Non-2xx" "$work/wrk.$port" && echo "warning: non-2xx answers on port $port" >&2
  done
  local k p requests
  k=$(( $(ticks $kycd_pids) - before_k )); p=$(( $(ticks $(postgres_pids)) - before_p ))
  requests=$(awk -v r="$total" -v s="$secs" 'BEGIN {print r * s}')
  awk -v r="$total" -v k="$k" -v p="$p" -v hz="$hz" -v n="$requests" \
    'BEGIN {printf "%.0f %.0f %.0f\n", r, k * 1000 / hz * 1000 / n, p * 1000 / hz * 1000 / n}'
}

declare -A rate kms pms
kycd_pids=$pid_a
for ((i = 1; i <= reps; i++)); do
  read -r r k p < <(run 8094)
  rate[one]+="$r "; kms[one]+="$k "; pms[one]+="$p "
done
start_kycd "$kyc" 8095 "$work/b"
kycd_pids="$pid_a $kycd_pid"
for ((i = 1; i <= reps; i++)); do
  read -r r k p < <(run 8094 8095)
  rate[two]+="$r "; kms[two]+="$k "; pms[two]+="$p "
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
printf '| replicas on one PostgreSQL | requests/s | kycd CPU ms per 1,000 | PostgreSQL CPU ms per 1,000 |\n|---|---:|---:|---:|\n'
for n in one two; do
  printf '| %s | %s | %s | %s |\n' "$n" "$(echo "${rate[$n]}" | median)" \
    "$(echo "${kms[$n]}" | median)" "$(echo "${pms[$n]}" | median)"
done
read -r records bytes < <(psql -qAt -F' ' "$KYC_BENCH_STORE" \
  -c "SELECT (SELECT seq FROM chain_head), pg_database_size(current_database())")
echo "wrk -t1 -c$conns -d${secs}s per replica, $reps repetitions, medians; $(nproc) cores; $(basename "$(dirname "$(dirname "$kyc")")")"
echo "database: $records records in $((bytes / 1048576)) MiB, $((bytes / records)) bytes per record (indexes and the account tables included)"

#!/usr/bin/env bash
# Engine throughput: `kyc bench` against the JavaScript peer engines of shared/bench-peers on
# the same rules and fact sets, alternating in one run, medians of several repetitions.
# Usage: bench/engine-vs-peers.sh [REPETITIONS] [SECONDS]   (defaults 5 and 3)
# Needs a Release build in build-release/ (made here if absent) and node + npm.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
peers=$root/../shared/bench-peers
reps=${1:-5}; secs=${2:-3}
build=$root/build-release
KYC_BENCH_DEPS=1 "$root/scripts/install-deps.sh"
[ -x "$build/cli/kyc" ] || BUILD_DIR=$build "$root/scripts/build.sh" -DCMAKE_BUILD_TYPE=Release -DKYC_BENCH=ON
facts=${PEERS_DIR:-/tmp/kycd-bench-peers}/facts.jsonl
mkdir -p "$(dirname "$facts")"
[ -f "$facts" ] || node "$peers/facts.mjs" 2000 > "$facts"
"$peers/run" "$facts" 0.2 cel >/dev/null  # installs the peers on first use

declare -A samples
for ((i = 1; i <= reps; i++)); do
  echo "repetition $i/$reps" >&2
  line=$("$build/cli/kyc" bench --policy "$peers/bench.policy" --facts "$facts" --seconds "$secs" | tail -1)
  samples[kycd]+="${line##* } "
  while read -r peer _ rate _ fired; do
    samples[$peer]+="$rate "
  done < <("$peers/run" "$facts" "$secs" native cel jsonlogic zen jre)
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
kycd=$(echo "${samples[kycd]}" | median)
printf '| engine | evals/s (median of %d) | kycd / engine |\n|---|---:|---:|\n' "$reps"
printf '| kycd (`kyc bench`) | %.0f | 1.00 |\n' "$kycd"
for peer in js-hand-written cel-js json-logic-js zen-engine json-rules-engine; do
  m=$(echo "${samples[$peer]:-}" | median)
  [ -n "$m" ] && printf '| %s | %.0f | %.2f |\n' "$peer" "$m" "$(awk -v a="$kycd" -v b="$m" 'BEGIN {print a / b}')"
done

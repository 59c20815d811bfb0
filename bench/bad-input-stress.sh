#!/usr/bin/env bash
# The bad-input table (and the slow-sender case) N times in a row with every core busy: an
# early answer (413, 431, 401) must reach its client however slowly the machine runs.
# Usage: bench/bad-input-stress.sh [BUILD_DIR] [REPEATS]   (defaults: build, 20)
# The load is one busy loop per core (no stress-ng needed); it stops with the script.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
repeats=${2:-20}
tests="$build/tests/e2e/kyc_e2e_tests"
[ -x "$tests" ] || { echo "no $tests: build first (scripts/build.sh)"; exit 1; }
loads=()
trap 'kill "${loads[@]}" 2>/dev/null || true' EXIT
for _ in $(seq "$(nproc)"); do
  ( while :; do :; done ) &
  loads+=($!)
done
echo "== $repeats runs of the bad-input table with $(nproc) busy loops on $(nproc) cores"
start=$(date +%s)
"$tests" --gtest_filter='BadInput.*' --gtest_repeat="$repeats" --gtest_break_on_failure 2>&1 |
  grep -E '^\[  (PASSED|FAILED) |Failure|Expected' | sort | uniq -c
status=${PIPESTATUS[0]}
echo "== exit $status after $(( $(date +%s) - start )) s"
exit "$status"

#!/usr/bin/env bash
# The long local fuzzing run of issue 7: each libFuzzer target (ASan + UBSan) for SECONDS
# (default 600) from its seed corpus, one after the other; writes bench/fuzz-long.md, which
# bench/run copies into bench/results.md. About 40 minutes at the default.
# Usage: bench/fuzz-long.sh [SECONDS]     (FUZZ_LOG=FILE: only summarise an earlier run's log)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-600}
log=${FUZZ_LOG:-}
if [ -z "$log" ]; then
  log=$(mktemp)
  CXX=clang++ BUILD_DIR="$root/build-fuzz" "$root/scripts/build.sh" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER=clang++ -DKYC_FUZZ=ON -DKYC_BENCH=OFF >&2  # as scripts/test.sh builds them
  "$root/tests/fuzz/run-fuzzers.sh" "$root/build-fuzz" "$seconds" 2>&1 | tee "$log" >&2
fi
{
  echo "Fuzzing run of $(date -u '+%Y-%m-%d %H:%M') UTC, \`bench/fuzz-long.sh $seconds\`:"
  echo
  echo "| target | seconds | inputs run | new corpus units | crashes, leaks, sanitizer reports |"
  echo "|---|---:|---:|---:|---|"
  awk '
    /^-- .*_fuzzer for/ { if (name) emit(); name = $2; runs = "?"; secs = "?"; units = 0; bad = 0 }
    /^Done [0-9]+ runs in/ { runs = $2; secs = $5 }
    /stat::new_units_added:/ { units = $2 }
    /ERROR: |SUMMARY: |==[0-9]+==|deadly signal|Test unit written/ { bad++ }
    function emit() { printf "| %s | %s | %s | %s | %s |\n", name, secs, runs, units, bad ? bad " lines of reports" : "none" }
    END { if (name) emit() }' "$log"
} > "$root/bench/fuzz-long.md"
cat "$root/bench/fuzz-long.md"

#!/usr/bin/env bash
# Runs each libFuzzer target for N seconds from its seed corpus (tests/fuzz/corpus/<name>).
# New inputs go to a scratch folder, so the seeds in the tree stay as they are.
# Usage: run-fuzzers.sh BUILD_DIR SECONDS
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$1; seconds=$2
for fuzzer in policy facts multipart sniffer decoder exif; do
  work=$(mktemp -d)
  seeds=("$here/corpus/$fuzzer")
  [ "$fuzzer" = policy ] && seeds+=("$here/../../policies" "$here/../dsl/data")
  [ "$fuzzer" = sniffer ] || [ "$fuzzer" = decoder ] && seeds+=("$here/../../../shared/data/mrz/images")
  [ "$fuzzer" = exif ] && seeds+=("$here/corpus/decoder")
  echo "-- ${fuzzer}_fuzzer for ${seconds}s"
  "$build/tests/fuzz/${fuzzer}_fuzzer" -max_total_time="$seconds" -max_len=65536 -print_final_stats=1 \
    -rss_limit_mb=2048 "$work" "${seeds[@]}" 2>&1 | tail -n 12
  rm -rf "$work"
done

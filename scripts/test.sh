#!/usr/bin/env bash
# Quick start (2): install, build and run the whole test suite: unit and policy tests,
# the same tests under AddressSanitizer + UndefinedBehaviorSanitizer, and the fuzzers.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
fuzz_seconds=${FUZZ_SECONDS:-60}
# Test binaries that read MRZs in-process (the reader's and the adapters' tests) get what
# `kyc` sets for itself (cli/main.cc): Tesseract's OpenMP threads, which spin against each
# other on a busy machine, off. (Serve.TheServiceRunsWithOneOpenMpThread unsets it first.)
export OMP_THREAD_LIMIT=1
"$root/scripts/install-deps.sh"

echo "== build and test (RelWithDebInfo)"
"$root/scripts/build.sh" release
(cd "$root/build" && ctest --output-on-failure -j "$(nproc)")

echo "== unit tests under ASan + UBSan"
"$root/scripts/build.sh" asan
(cd "$root/build-asan" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
   ctest --output-on-failure -j "$(nproc)")

echo "== fuzzers (clang, libFuzzer + ASan + UBSan), ${fuzz_seconds}s each"
"$root/scripts/build.sh" fuzz
"$root/tests/fuzz/run-fuzzers.sh" "$root/build-fuzz" "$fuzz_seconds"
echo "== all tests passed"

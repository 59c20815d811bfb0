#!/usr/bin/env bash
# Quick start (2): install, build and run the whole test suite: unit and policy tests,
# the same tests under AddressSanitizer + UndefinedBehaviorSanitizer, and the fuzzers.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
fuzz_seconds=${FUZZ_SECONDS:-60}
# Not plain nproc: GNU nproc honours OMP_THREAD_LIMIT, set below, and answers 1; the builds
# and ctest then ran one job at a time on two cores (stop 27's CI took 87 minutes).
jobs=${JOBS:-$(env -u OMP_THREAD_LIMIT -u OMP_NUM_THREADS nproc)}
export JOBS=$jobs
# Test binaries that read MRZs in-process (the reader's and the adapters' tests) get what
# `kyc` sets for itself (cli/main.cc): Tesseract's OpenMP threads, which spin against each
# other on a busy machine, off. (Serve.TheServiceRunsWithOneOpenMpThread unsets it first.)
export OMP_THREAD_LIMIT=1
# Each stage says how long the run has taken so far: CI has a time limit, and this is where
# to look when a stage grows.
started=$SECONDS
stage() { echo "== $1 ($(( (SECONDS - started) / 60 )) min so far)"; }
"$root/scripts/install-deps.sh"

stage "build and test (optimised: every test, the accuracy sweeps and load tests too)"
"$root/scripts/build.sh" release
(cd "$root/build" && ctest --output-on-failure -j "$jobs")

stage "the tests again under ASan + UBSan (clang, unoptimised)"
"$root/scripts/build.sh" asan
(cd "$root/build-asan" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
   LSAN_OPTIONS=suppressions=$root/tests/lsan.supp ctest --output-on-failure -j "$jobs")

stage "fuzzers (clang, libFuzzer + ASan + UBSan), ${fuzz_seconds}s each"
"$root/scripts/build.sh" fuzz
"$root/tests/fuzz/run-fuzzers.sh" "$root/build-fuzz" "$fuzz_seconds"
stage "all tests passed"

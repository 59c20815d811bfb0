#!/usr/bin/env bash
# Configures and builds one flavour of kycd from CMakePresets.json: release (build/), debug,
# asan or fuzz (build-NAME/). BUILD_DIR puts it elsewhere; JOBS sets the parallelism.
# Usage: scripts/build.sh [PRESET] [extra cmake arguments...]   (PRESET defaults to release)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
preset=release
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then preset=$1; shift; fi
# Not plain nproc: it answers 1 when OMP_THREAD_LIMIT=1 is set (as scripts/test.sh does).
jobs=${JOBS:-$(env -u OMP_THREAD_LIMIT -u OMP_NUM_THREADS nproc)}
args=(--preset "$preset")
[ -n "${BUILD_DIR:-}" ] && args+=(-B "$BUILD_DIR")
(cd "$root" && cmake "${args[@]}" "$@" >/dev/null)
build=${BUILD_DIR:-$root/$( [ "$preset" = release ] && echo build || echo "build-$preset")}
cmake --build "$build" -j "$jobs"

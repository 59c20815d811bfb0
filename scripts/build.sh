#!/usr/bin/env bash
# Configures and builds one flavour of kycd into build/ (or the folder given as $BUILD_DIR).
# Usage: scripts/build.sh [extra cmake arguments...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
jobs=${JOBS:-$(nproc)}
cmake -S "$root" -B "$build" -G Ninja "$@" >/dev/null
cmake --build "$build" -j "$jobs"

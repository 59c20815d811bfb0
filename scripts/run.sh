#!/usr/bin/env bash
# Quick start (1): install, build, and run the main job on the shipped policy.
# The HTTP service (`kyc serve`) arrives with the service issue; until then the main job is
# checking the shipped policy, running its tests and evaluating a sample submission.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" -DCMAKE_BUILD_TYPE=Release
kyc="$root/build/cli/kyc"
cd "$root"
"$kyc" check policies/kyc.policy
"$kyc" test policies/
echo "sample decision (policies/examples/expired-passport.json):"
"$kyc" eval --policy policies/kyc.policy --facts policies/examples/expired-passport.json

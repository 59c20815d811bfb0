#!/usr/bin/env bash
# Quick start (1): install, build, and start the service on the shipped policy.
# Data (tokens now; audit log and account store as they land) goes to ./var. On first start a
# development token with every role is created in var/tokens and printed.
# Extra arguments go to `kyc serve` (e.g. --listen 0.0.0.0:8080).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" -DCMAKE_BUILD_TYPE=Release
cd "$root"
./build/cli/kyc check policies/kyc.policy
echo "try: curl -H \"Authorization: Bearer \$(awk '!/^#/ {print \$1; exit}' var/tokens)\" \\"
echo "       -H 'Content-Type: application/json' -d @policies/examples/evaluate-request.json localhost:8080/v1/evaluate"
exec ./build/cli/kyc serve --policy-dir policies --data-dir var "$@"

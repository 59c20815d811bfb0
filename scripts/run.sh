#!/usr/bin/env bash
# Quick start (1): install, build, and start the service on the shipped policy.
# Data (tokens, audit log, account store) goes to ./var, readable by this user only. On first
# start a development token with every role is made: var/tokens keeps only its hash, and the
# token itself is kept in var/dev-token for the curl example (development only).
# Extra arguments go to `kyc serve` (e.g. --listen 0.0.0.0:8080).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" -DCMAKE_BUILD_TYPE=Release
cd "$root"
./build/cli/kyc check policies/kyc.policy
if [ ! -e var/tokens ]; then
  mkdir -p -m 700 var
  (umask 077 && ./build/cli/kyc tokens new --roles evaluate,audit,admin --file var/tokens > var/dev-token)
fi
echo "try: curl -H \"Authorization: Bearer \$(cat var/dev-token)\" \\"
echo "       -H 'Content-Type: application/json' -d @policies/examples/evaluate-request.json localhost:8080/v1/evaluate"
exec ./build/cli/kyc serve --policy-dir policies --data-dir var "$@"

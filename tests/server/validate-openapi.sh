#!/usr/bin/env bash
# Validates the served API description against the OpenAPI 3.1 schema
# (@seriousme/openapi-schema-validator, pinned; installed from npm into CACHE_DIR once).
# Usage: validate-openapi.sh OPENAPI_JSON CACHE_DIR
set -euo pipefail
doc=$1; cache=$2
validator="$cache/node_modules/.bin/validate-api"
if [ ! -x "$validator" ]; then
  mkdir -p "$cache"
  npm install --prefix "$cache" --no-audit --no-fund --silent \
    @seriousme/openapi-schema-validator@2.11.0 >/dev/null
fi
out=$("$validator" "$doc")
echo "$out"
grep -q '"valid": true' <<< "$out"

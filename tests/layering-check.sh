#!/usr/bin/env bash
# The arrows of the layout, checked on what the compiler really read (ninja's dependency log):
# the CLI and the service include no Beast or Asio header, the service no OpenCV or SQLite;
# engine/ includes only engine/ and common/ (and its headers no Boost.JSON: that is engine/json/), dsl/ only dsl/, engine/ and common/, common/ only
# itself, store/ only store/ and common/; in the server only http/ includes Beast or Asio; no adapter includes server/, service/ or cli/; and no
# source folder defines more than one library or program.
# Usage: layering-check.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$1; build=$2
fail=0
objects() { ninja -C "$build" -t targets all | grep -oE "^$1/CMakeFiles/[a-z_]+\.dir/[a-z_/]+\.cc\.o" | sort -u; }
forbid_deps() {  # FOLDER REGEX WHAT
  for o in $(objects "$1"); do
    if ninja -C "$build" -t deps "$o" | grep -Eq "$2"; then
      echo "layering: $o includes $3"; fail=1
    fi
  done
}
forbid_deps cli 'boost/(beast|asio)' "a Beast or Asio header"
forbid_deps service 'boost/(beast|asio)|opencv|SQLiteCpp|sqlite3' "a Beast, Asio, OpenCV or SQLite header"
forbid_deps store/memory 'SQLiteCpp|sqlite3|pqxx|libpq' "a SQLite or PostgreSQL header"
# libpqxx stays in store/postgres/, SQLite in store/sqlite/: the rest opens them through
# store/backend/.
for folder in cli server service store/sqlite store/backend; do
  forbid_deps "$folder" 'pqxx|libpq-fe' "a PostgreSQL header"
done
forbid_deps store/postgres 'SQLiteCpp|sqlite3' "a SQLite header"
# In the server, Beast and Asio stay in http/: the route table and the handlers do not see them.
for o in $(objects server); do
  case "$o" in */http/*) continue ;; esac
  if ninja -C "$build" -t deps "$o" | grep -Eq 'boost/(beast|asio)'; then
    echo "layering: $o includes a Beast or Asio header (only server/http/ may)"; fail=1
  fi
done
only_includes() {  # FOLDER ALLOWED-REGEX
  local bad
  bad=$(grep -rhoE '#include "[a-z_]+/' "$src/$1" --include=*.h --include=*.cc |
        sed 's/#include "//' | sort -u | grep -vE "^($2)/$" || true)
  if [ -n "$bad" ]; then echo "layering: $1/ includes from $(echo $bad)"; fail=1; fi
}
only_includes common 'common'
only_includes engine 'engine|common'
only_includes dsl 'dsl|engine|common'
# The evaluator's public headers do not expose Boost.JSON: JSON in and out is engine/json/.
if grep -lE '#include <boost/json' "$src"/engine/*.h; then
  echo "layering: the engine headers above include Boost.JSON (only engine/json/ may)"; fail=1
fi
only_includes store 'store|common'
for adapter in "$src"/adapters/*/; do
  if grep -rqE '#include "(server|service|cli)/' "$adapter"; then
    echo "layering: ${adapter#$src/} includes server/, service/ or cli/"; fail=1
  fi
done
# One library (or program) per source folder: its CMakeLists.txt defines one target at most.
while IFS= read -r lists; do
  n=$(grep -cE '^\s*add_(library|executable)\(' "$lists" || true)
  if [ "$n" -gt 1 ]; then echo "layering: ${lists#$src/} defines $n targets"; fail=1; fi
done < <(find "$src" -name CMakeLists.txt -not -path "$src/tests/*" -not -path "$src/build*" \
           -not -path "$src/bench/*" -not -path "$src/CMakeLists.txt")
[ "$fail" = 0 ] && echo "layering: ok"
exit "$fail"

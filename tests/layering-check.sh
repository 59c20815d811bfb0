#!/usr/bin/env bash
# The arrows of the layout, checked on what the compiler really read (ninja's dependency log):
# the CLI and the service include no Beast or Asio header, the service no OpenCV; engine/
# includes only engine/ and common/, dsl/ only dsl/, engine/ and common/, common/ only itself,
# and no adapter includes server/, service/ or cli/.
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
forbid_deps service 'boost/(beast|asio)|opencv' "a Beast, Asio or OpenCV header"
only_includes() {  # FOLDER ALLOWED-REGEX
  local bad
  bad=$(grep -rhoE '#include "[a-z_]+/' "$src/$1" --include=*.h --include=*.cc |
        sed 's/#include "//' | sort -u | grep -vE "^($2)/$" || true)
  if [ -n "$bad" ]; then echo "layering: $1/ includes from $(echo $bad)"; fail=1; fi
}
only_includes common 'common'
only_includes engine 'engine|common'
only_includes dsl 'dsl|engine|common'
for adapter in "$src"/adapters/*/; do
  if grep -rqE '#include "(server|service|cli)/' "$adapter"; then
    echo "layering: ${adapter#$src/} includes server/, service/ or cli/"; fail=1
  fi
done
[ "$fail" = 0 ] && echo "layering: ok"
exit "$fail"

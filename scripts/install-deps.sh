#!/usr/bin/env bash
# Installs what kycd needs to build and test on Debian 12 (run as root). Idempotent.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
packages=(
  build-essential cmake ninja-build ccache pkg-config curl
  tao-pegtl-dev libboost1.81-all-dev libcli11-dev libssl-dev libspdlog-dev libsqlitecpp-dev libsqlite3-dev
  libre2-dev                        # the policy language's matches(): linear-time patterns
  libgoogle-perftools-dev           # tcmalloc for the kyc command (see cli/CMakeLists.txt)
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  libopencv-dev libexiv2-dev libjpeg62-turbo-dev libpng-dev # image adapter: decoding, measures, EXIF
  libtesseract-dev tesseract-ocr-eng libzxing-dev  # text adapter: MRZ OCR, PDF417 barcodes
  fonts-ocr-b fonts-dejavu-core                  # typefaces of the synthetic test documents
  clang libclang-rt-14-dev          # libFuzzer and the sanitizer runtimes
  chromium chromium-driver python3-selenium  # browser tests: the impact report, the console
  fonts-droid-fallback  # CJK glyphs, so the console's screenshots show the zh notice
  libjs-codemirror libjs-chart.js   # the console's editor and charts, embedded at build time
  libsystemd-dev                    # sd_notify: kycd.service is Type=notify
  libpq-dev libpqxx-dev             # the PostgreSQL store (store/postgres/)
  # The server: the store's tests start a throwaway cluster (scripts/pg-test-cluster.sh), run
  # as the unprivileged `postgres` user this package creates.
  postgresql
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
# Node.js runs the OpenAPI schema check (tests/server/validate-openapi.sh) and the peer engines
# of bench/ (cel-js & co.); any node will do, so Debian's is installed only where there is none
# (a machine with another Node.js would conflict).
if ! command -v npm >/dev/null; then
  apt-get update -q
  apt-get install -y -q --no-install-recommends nodejs npm
fi

#!/usr/bin/env bash
# Installs, builds and runs every test (lit + GoogleTest) through ctest, then
# the same tests under ASan + UBSan (scripts/sanitize.sh) and a short pass of
# every fuzzer (scripts/fuzz.sh); MAMBA_QUICK_TEST=1 skips those two.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
"$root/scripts/build.sh"
ctest --test-dir "$build" --output-on-failure -j "$(nproc)"
if [ -z "${MAMBA_QUICK_TEST:-}" ]; then
  "$root/scripts/sanitize.sh"
  "$root/scripts/fuzz.sh"
fi

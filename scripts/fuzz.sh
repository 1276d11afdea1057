#!/usr/bin/env bash
# Builds the libFuzzer harnesses of test/fuzz with clang-19, AddressSanitizer
# and UndefinedBehaviorSanitizer into ${FUZZ_BUILD_DIR:-build-fuzz}, then runs
# each for ${MAMBA_FUZZ_SECONDS:-20} seconds from its seed corpus
# (test/fuzz/corpus/<harness>), keeping what it finds in
# build-fuzz/corpus/<harness>. Fails when any harness finds a crash, a leak,
# undefined behaviour, a timeout or an out-of-memory input; the input is left
# in build-fuzz/artifacts/ and the log in build-fuzz/logs/<harness>.log.
#
#   scripts/fuzz.sh                        # every harness, 20 s each
#   MAMBA_FUZZ_SECONDS=600 scripts/fuzz.sh fuzz-npy fuzz-zip
#   build-fuzz/fuzz/fuzz-npy CRASH_FILE    # rerun one input
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${FUZZ_BUILD_DIR:-$root/build-fuzz}"
seconds="${MAMBA_FUZZ_SECONDS:-20}"
"$root/scripts/setup.sh"

if [ ! -f "$build/build.ninja" ]; then
  flags="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all"
  flags+=" -fno-omit-frame-pointer"
  cmake -G Ninja -S "$root" -B "$build" \
    -DMLIR_DIR=/usr/lib/llvm-19/lib/cmake/mlir -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 \
    -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" -DMAMBA_FUZZ=ON
fi
cmake --build "$build" --target mamba-fuzzers

harnesses=("$@")
if [ "${#harnesses[@]}" -eq 0 ]; then
  for d in "$root"/test/fuzz/corpus/*/; do harnesses+=("$(basename "$d")"); done
fi

export ASAN_OPTIONS="detect_leaks=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
mkdir -p "$build/logs" "$build/artifacts"
failed=()
for h in "${harnesses[@]}"; do
  mkdir -p "$build/corpus/$h"
  log="$build/logs/$h.log"
  start=$(date +%s)
  if "$build/fuzz/$h" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$build/artifacts/$h-" \
      "$build/corpus/$h" "$root/test/fuzz/corpus/$h" >"$log" 2>&1; then
    status=ok
  else
    status=FAILED
    failed+=("$h")
  fi
  done_line=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  echo "fuzz: $h: $status in $(( $(date +%s) - start )) s: ${execs:-?} execs," \
    "${rate:-?}/s, last: ${done_line:-none}"
  if [ "$status" = FAILED ]; then
    tail -n 60 "$log" >&2
  fi
done

if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz: FAILED: ${failed[*]} (inputs in $build/artifacts, logs in $build/logs)" >&2
  exit 1
fi
echo "fuzz: all ${#harnesses[@]} harnesses clean, ${seconds} s each"

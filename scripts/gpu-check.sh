#!/usr/bin/env bash
# Runs on the GPU machine from the repository root, with .gpu/ carried:
#   scripts/gpu-check.sh STEP...   (steps: env fixtures kernels engine bench
#                                   sweep sanitize tokenizer models long e2e
#                                   run serve robust profile tune tune-ab)
# Logs go to $OUT/<step>.log; fixtures come back as $OUT/fixtures.tgz.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="${OUT:-/tmp/out}"
mkdir -p "$out"
bin="$root/.gpu/bin"
# scripts/stage-gpu.sh packs large sets of binaries.
[ -d "$bin" ] || [ ! -f "$bin.tar.xz" ] || tar xJf "$bin.tar.xz" -C "$root/.gpu"
export MAMBA_CACHE_DIR=/tmp/mamba-cache
# Libraries scripts/stage-gpu.sh copied (mamba-server's cpp-httplib).
export LD_LIBRARY_PATH="$root/.gpu/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export MAMBA_TEST_DATA_DIR="$root/test/data"
export MAMBA_RUN="$bin/mamba-run"
export PYTHONUNBUFFERED=1
status=0
# Model $1 end to end with tuning database $2 (or off): prefill 2048 + b1
# decode, then 64 x 100 prefill + b64 decode.
tuning_ab() {
  echo "--- $1, MAMBA_TUNING_DB=$2" | tee -a "$log"
  for shape in "--promptlen 2048" "--promptlen 100 --batch 64"; do
    MAMBA_TUNING_DB="$2" "$bin/mamba-bench" generate --random-model "$1" $shape \
      --genlen 100 --repeats 5 --device cuda -q 2>&1 | tee -a "$log" || status=1
  done
}
for step in "$@"; do
  log="$out/$step.log"
  echo "=== $step" | tee "$log"
  case "$step" in
    env)
      nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv 2>&1 | tee -a "$log"
      ldd "$bin/mamba-bench" 2>&1 | tee -a "$log"
      # NVRTC and cuBLASLt are dlopen'ed, so ldd does not list them: --version
      # says which driver and NVRTC the binary finds.
      "$bin/mamba-bench" --version 2>&1 | tee -a "$log"
      python3 -c 'import torch, transformers; print(torch.__version__, transformers.__version__)' 2>&1 | tee -a "$log"
      ;;
    fixtures)
      rm -rf /tmp/fixtures
      python3 scripts/make_fixtures.py /tmp/fixtures 2>&1 | tee -a "$log" || status=1
      tar czf "$out/fixtures.tgz" -C /tmp fixtures
      mkdir -p test/data && rm -rf test/data/fixtures && cp -r /tmp/fixtures test/data/
      ;;
    tokenizer)
      python3 scripts/make_tokenizer_fixtures.py "${TOKENIZER_CORPUS:-.gpu/corpus}" /tmp/tokfix 2>&1 | tee -a "$log" || status=1
      tar czf "$out/tokenizer.tgz" -C /tmp tokfix
      ;;
    kernels)
      "$bin/MambaKernelGpuTests" 2>&1 | tee -a "$log" | grep -vE "^\[ result" | tail -40 || true
      grep -E "^\[  (PASSED|FAILED)" "$log" || status=1
      ;;
    engine)
      "$bin/MambaEngineTests" 2>&1 | tee -a "$log" | tail -40
      ;;
    bench)
      "$bin/mamba-bench" kernels --json "$out/kernels.json" 2>&1 | tee -a "$log"
      ;;
    sweep)
      # The tiles that are not the heuristic's yet (docs/performance.md):
      # the SSD's sequence split at batch 1, and the decode step's lanes.
      "$bin/mamba-bench" kernels --filter "ssd b1" --repeats 30 \
        --tile "chunk = 64, p_tile = 64, warps = 16, stages = 2, segments = 1" \
        --tile "chunk = 32, p_tile = 64, warps = 8, stages = 2, segments = 3" \
        --tile "chunk = 32, p_tile = 32, warps = 8, stages = 2, segments = 2" \
        --tile "chunk = 64, p_tile = 64, warps = 8, stages = 2, segments = 3" \
        --json "$out/sweep-ssd.json" 2>&1 | tee -a "$log" || status=1
      "$bin/mamba-bench" kernels --filter "selective_state_update mamba2" --repeats 50 \
        --tile "lanes_per_row = 32, warps = 4" --tile "lanes_per_row = 16, warps = 4" \
        --tile "lanes_per_row = 8, warps = 4" --tile "lanes_per_row = 16, warps = 8" \
        --json "$out/sweep-ssu.json" 2>&1 | tee -a "$log" || status=1
      ;;
    tune)
      # mamba-tune on ${TUNE_MODELS} (batch 1 and 64, prefill length 2048)
      # into $out/tuning-<arch>.json, then the end-to-end prefill 2048 and
      # decode (b1) and the b64 decode without the database and with it.
      # TUNE_DTYPES lists the activations (mamba-bench generate runs f16);
      # TUNE_SEED_DB is a database to add the records to; TUNE_OPS limits
      # the ops (e.g. conv_state_update,selective_state_update: the fused
      # decode ops that tuning/sm_90.json has no records of).
      db="$out/tuning-${TUNE_ARCH:-sm_90}.json"
      if [ -n "${TUNE_SEED_DB:-}" ]; then cp "$TUNE_SEED_DB" "$db"; fi
      for m in ${TUNE_MODELS:-mamba2-2.7b}; do
        for dt in ${TUNE_DTYPES:-f16}; do
          "$bin/mamba-tune" tune --random-model $m --batch 1,64 --seqlen 2048 \
            --dtype $dt ${TUNE_OPS:+--ops "$TUNE_OPS"} \
            --max-candidates ${TUNE_CANDIDATES:-32} --db "$db" \
            --json "$out/tune-$m-$dt.json" 2>&1 | tee -a "$log" || status=1
        done
        for w in off "$db"; do tuning_ab "$m" "$w"; done
      done
      ;;
    tune-ab)
      # The shipped database (or TUNE_DB) against none, end to end, in
      # alternating runs: prefill 2048 + b1 decode, and the b64 decode.
      for m in ${TUNE_MODELS:-mamba2-2.7b mamba-2.8b}; do
        for w in off "${TUNE_DB:-tuning/sm_90.json}" off "${TUNE_DB:-tuning/sm_90.json}"; do
          tuning_ab "$m" "$w"
        done
      done
      ;;
    models)
      # Every published shape, random weights: prefill 2048 + 100 decode steps.
      for m in mamba-130m mamba-370m mamba-790m mamba-1.4b mamba-2.8b \
               mamba2-130m mamba2-370m mamba2-780m mamba2-1.3b mamba2-2.7b; do
        "$bin/mamba-bench" generate --random-model $m --promptlen 2048 --genlen 100 \
          --repeats 1 --device cuda -q --json "$out/models-$m.json" 2>&1 | tee -a "$log" || status=1
      done
      ;;
    long)
      # A 1M-token prefill in bounded memory (peak memory is printed).
      "$bin/mamba-bench" generate --random-model mamba2-130m --promptlen 1048576 --genlen 1 \
        --repeats 1 --device cuda -q --json "$out/long.json" 2>&1 | tee -a "$log" || status=1
      ;;
    e2e)
      # The reference's end-to-end benchmark shapes (targets.md), fp16, greedy.
      for m in mamba-130m mamba2-130m mamba-2.8b mamba2-2.7b; do
        for b in 1 64; do
          "$bin/mamba-bench" generate --random-model $m --promptlen 100 --genlen 100 \
            --batch $b --repeats ${E2E_REPEATS:-5} --device cuda -q \
            --json "$out/e2e-$m-b$b.json" 2>&1 | tee -a "$log" || status=1
        done
      done
      ;;
    serve) # needs scripts/stage-gpu.sh mamba-server
      # mamba-server under load (scripts/server-load.py): 64 clients, prompts
      # of 200-2000 tokens, 256 new tokens, against 16 of the same requests
      # one at a time, and the prefix cache's time to first token.
      for m in ${SERVE_MODELS:-mamba2-2.7b mamba-2.8b}; do
        echo "--- $m" | tee -a "$log"
        python3 scripts/server-load.py --requests "${SERVE_REQUESTS:-128}" \
          --clients 64 --sequential-requests 16 --json "$out/serve-$m.json" \
          -- "$bin/mamba-server" --random-model "$m" --device cuda \
          --tokenizer test/data/text/neox-like/tokenizer.json --dtype f16 \
          --slots 64 -q 2>&1 | tee -a "$log" || status=1
      done
      ;;
    run) # needs scripts/stage-gpu.sh mamba-run
      "$bin/mamba-run" --device cuda --prompt "In the beginning" --max-new-tokens 60 --seed 1 \
        2>&1 | tee -a "$log" || status=1
      "$bin/mamba-run" --device cuda --perplexity models/demo/heldout.txt 2>&1 | tee -a "$log" || status=1
      "$bin/mamba-run" --device cuda --random-model mamba-2.8b \
        --tokenizer test/data/text/neox-like/tokenizer.json --prompt "The meaning of life is" \
        --max-new-tokens 30 --seed 1 2>&1 | tee -a "$log" || status=1
      ;;
    robust) # needs scripts/stage-gpu.sh mamba-run examples/run-op
      # The example's GPU path, a model too large for the card, and every
      # GPU allocation of a demo run failing in turn (MAMBA_FAIL_ALLOC_AFTER):
      # each must end with an error message and exit 1, never a signal.
      "$bin/run-op" 2>&1 | tee -a "$log" || status=1
      "$bin/mamba-bench" generate --random-model mamba-2.8b --batch 4096 --promptlen 8192 \
        --genlen 1 --repeats 1 --device cuda -q 2>&1 | tail -3 | tee -a "$log"
      [ "${PIPESTATUS[0]}" = 1 ] || { echo "robust: the oversized run did not exit 1" | tee -a "$log"; status=1; }
      for n in 0 1 2 3 5 8 13 21 34 55 89 144; do
        MAMBA_FAIL_ALLOC_AFTER=$n "$bin/mamba-run" --device cuda --prompt "In the beginning" \
          --max-new-tokens 4 --seed 1 > /tmp/robust.out 2>&1
        rc=$?
        echo "MAMBA_FAIL_ALLOC_AFTER=$n rc=$rc: $(tail -1 /tmp/robust.out | cut -c1-160)" | tee -a "$log"
        [ $rc -le 1 ] || status=1
      done
      ;;
    sanitize)
      for f in SanitizeShapes.OnePerKernel ArgmaxGpu.NansTiesAndViews NormsGpu.RmsNormAndGated; do
        for tool in memcheck racecheck; do
          echo "--- $tool $f" | tee -a "$log"
          compute-sanitizer --tool $tool --error-exitcode 9 "$bin/MambaKernelGpuTests" \
            --gtest_filter="$f" 2>&1 | grep -E "ERROR SUMMARY|RACECHECK SUMMARY|PASSED|FAILED|Error" | tee -a "$log"
        done
      done
      ;;
    profile)
      # Hardware counters of one launch of one `mamba-bench kernels` row
      # (Nsight Compute, clocks left alone): PROFILE_FILTER picks the row
      # (default the SSD at batch 1, L 2048), PROFILE_TILE replaces its tile.
      # Writes profile.ncu-rep, profile-details.txt and profile-sass.csv, and
      # logs the summary of scripts/sass-hotspots.py.
      filter="${PROFILE_FILTER:-ssd b1 L2048 H80 P64 N128 bf16}"
      tile_args=()
      if [ -n "${PROFILE_TILE:-}" ]; then tile_args=(--tile "$PROFILE_TILE"); fi
      ncu --clock-control none -k regex:mamba_ --launch-count 1 --set full \
        --import-source no -f -o "$out/profile" "$bin/mamba-bench" kernels \
        --filter "$filter" ${tile_args[@]+"${tile_args[@]}"} --repeats 3 >> "$log" 2>&1 || status=1
      ncu -i "$out/profile.ncu-rep" --page details > "$out/profile-details.txt" 2>&1
      ncu -i "$out/profile.ncu-rep" --page source --csv --print-source sass \
        > "$out/profile-sass.csv" 2>&1
      python3 scripts/sass-hotspots.py "$out/profile-sass.csv" 2>&1 | tee -a "$log" || status=1
      ;;
    *) echo "unknown step $step" | tee -a "$log"; status=1 ;;
  esac
done
exit $status

#!/usr/bin/env bash
# Side-by-side benchmark against the reference (mamba_ssm + causal-conv1d) in
# one run on one card. Runs on the GPU machine from the repository root, after
# scripts/stage-gpu.sh here (which stages the binaries, the peers' sources and
# the commit into .gpu; name .gpu in the device tool's `carry`):
#
#   scripts/bench-peers.sh [SECTION...]    sections: kernels gen prefill neox
#                                          (default: kernels gen prefill)
#
#   kernels  the kernel rows of targets.md: peers by CUDA-graph replay
#            (bench_peers_graph.py ss,ssd,ssu), ours by `mamba-bench kernels`
#   gen      prompt 100 + 100 greedy tokens, batch 1 and 64, fp16, for
#            mamba-130m, mamba2-130m, mamba-2.8b, mamba2-2.7b (BENCH_MODELS)
#   prefill  whole-model prefill of 2048 and 8192 tokens, mamba-2.8b and
#            mamba2-2.7b, batch 1
#   neox     a GPT-NeoX 2.8B Transformer (transformers, static KV cache, fp16)
#            against mamba-2.8b: prompt 2048, batch 1, 16, 64
#
# Every run also measures the copy roof and the fp16 GEMM peak of the card.
# Raw results accumulate in $BENCH_RESULTS (default /tmp/bench-peers: they
# stay while the machine is warm, so sections can be run in several calls);
# the table (bench-peers.md, bench-peers.json) and a tarball of the raw
# results are written to $OUT. scripts/peers-table.py makes the table again
# from the tarball on any machine, and --update docs/performance.md puts it
# there.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="${OUT:-/tmp/out}"
res="${BENCH_RESULTS:-/tmp/bench-peers}"
bin="$root/.gpu/bin"
# scripts/stage-gpu.sh packs large sets of binaries.
[ -d "$bin" ] || [ ! -f "$bin.tar.xz" ] || tar xJf "$bin.tar.xz" -C "$root/.gpu"
peer=/tmp/peer
mkdir -p "$out" "$res"
export MAMBA_CACHE_DIR=/tmp/mamba-cache PYTHONUNBUFFERED=1 OUT="$res"
sections=("$@")
[ ${#sections[@]} -gt 0 ] || sections=(kernels gen prefill)
models="${BENCH_MODELS:-mamba-130m mamba2-130m mamba-2.8b mamba2-2.7b}"
status=0
say() { echo "bench-peers: $*" >&2; }

for tool in "$bin/mamba-bench" python3 nvidia-smi; do
  command -v "$tool" >/dev/null || { say "missing $tool (run scripts/stage-gpu.sh first)"; exit 2; }
done
src=""
for d in "${PEERS_DIR:-}" "$root/.gpu/peers" "$root/../shared/peers"; do
  if [ -n "$d" ] && [ -f "$d/build_peer_ext.py" ]; then src="$d"; break; fi
done
[ -n "$src" ] || { say "no peers directory (PEERS_DIR, .gpu/peers or ../shared/peers)"; exit 2; }

# The card, the commit and the software of this run.
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader \
  > "$res/gpu.txt" 2>&1
cat "$root/.gpu/commit" > "$res/commit.txt" 2>/dev/null || echo unknown > "$res/commit.txt"

if [ ! -f "$peer/.built" ]; then
  rm -rf "$peer" && cp -r "$src" "$peer"
  say "building the reference's CUDA extensions (forward only)"
  if python3 "$peer/build_peer_ext.py" "$peer" > "$res/peer-build.log" 2>&1; then
    touch "$peer/.built"
  else
    say "peer build failed:"; tail -20 "$res/peer-build.log" >&2; status=1
  fi
fi
export PYTHONPATH="$peer/mamba:$peer/causal-conv1d:$peer/ss:$peer/cc${PYTHONPATH:+:$PYTHONPATH}"

ours() { # ours NAME ARGS...: one mamba-bench generate run, JSON to $res/ours-NAME.json
  local name="$1"; shift
  say "ours: $name"
  "$bin/mamba-bench" generate "$@" --device cuda -q --json "$res/ours-$name.json" \
    > "$res/ours-$name.log" 2>&1 || { say "ours $name failed:"; tail -5 "$res/ours-$name.log" >&2; status=1; }
}

for s in "${sections[@]}"; do
  say "=== $s"
  case "$s" in
    kernels)
      python3 "$peer/bench_peers_graph.py" ss,ssd,ssu "$peer" > "$res/peer-kernels.log" 2>&1 || status=1
      "$bin/mamba-bench" kernels --json "$res/ours-kernels.json" > "$res/ours-kernels.log" 2>&1 || status=1
      ;;
    gen)
      GEN_MODELS="$(echo $models | tr ' ' ,)" python3 "$peer/bench_peers.py" gen "$peer" \
        > "$res/peer-gen.log" 2>&1 || status=1
      for m in $models; do
        for b in 1 64; do
          ours "gen-$m-b$b" --random-model "$m" --promptlen 100 --genlen 100 --batch $b \
            --repeats "${GEN_REPEATS:-5}" --dtype f16
        done
      done
      ;;
    prefill)
      python3 "$peer/bench_peers_graph.py" prefill "$peer" > "$res/peer-prefill.log" 2>&1 || status=1
      for m in mamba-2.8b mamba2-2.7b; do
        for L in 2048 8192; do
          ours "prefill-$m-L$L" --random-model "$m" --promptlen $L --genlen 1 --repeats 5 --dtype f16
        done
      done
      ;;
    neox)
      python3 "$root/scripts/bench_peers_extra.py" neox > "$res/neox.log" 2>&1 || status=1
      for b in 1 16 64; do
        ours "neox-mamba-2.8b-b$b" --random-model mamba-2.8b --promptlen 2048 \
          --genlen "${NEOX_GENLEN:-64}" --batch $b --repeats 2 --dtype f16
      done
      ;;
    *) say "unknown section $s"; status=1 ;;
  esac
done

# The card's ceilings, measured after the sections (the table reads these).
python3 "$root/scripts/bench_peers_extra.py" env || status=1
tar czf "$out/bench-peers-results.tgz" -C "$res" .
python3 "$root/scripts/peers-table.py" "$out/bench-peers-results.tgz" \
  --markdown "$out/bench-peers.md" --json "$out/bench-peers.json" || status=1
cat "$out/bench-peers.md" 2>/dev/null
exit $status

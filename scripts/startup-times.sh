#!/usr/bin/env bash
# Start-up times of mamba-run: the median wall time (and min/max) over N runs
# (default 20) of
#   mamba-run --help
#   mamba-run --tokenize --prompt Hello                 (demo model's tokenizer)
#   mamba-run --prompt Hello --max-new-tokens 1 --device cpu   (first token)
# Targets (docs/performance.md, "Startup"): 20 ms, 50 ms, 150 ms.
#   scripts/startup-times.sh [-n RUNS] [MAMBA_RUN]   (default build/bin/mamba-run)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs=20
if [ "${1:-}" = "-n" ]; then
  runs="$2"
  shift 2
fi
exe="${1:-${BUILD_DIR:-$root/build}/bin/mamba-run}"
if [ ! -x "$exe" ]; then
  echo "startup-times: no executable $exe (build first, or pass MAMBA_RUN)" >&2
  exit 1
fi
model="${MAMBA_MODEL:-$root/models/demo}"
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "binary:  $exe ($("$exe" --version 2>/dev/null | head -1 || echo 'no --version'))"
python3 - "$runs" "$exe" "$model" <<'PY'
import statistics, subprocess, sys, time

runs, exe, model = int(sys.argv[1]), sys.argv[2], sys.argv[3]
cases = [
    ("--help", 20, [exe, "--help"]),
    ("--tokenize --prompt Hello", 50,
     [exe, "--model", model, "--tokenize", "--prompt", "Hello"]),
    ("first token on the CPU", 150,
     [exe, "--model", model, "--prompt", "Hello", "--max-new-tokens", "1",
      "--device", "cpu", "--seed", "1", "-q"]),
]
failed = False
for name, target, cmd in cases:
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # warm the page cache
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append((time.perf_counter() - t) * 1e3)
        if r.returncode != 0:
            sys.exit("startup-times: %s failed:\n%s" % (" ".join(cmd), r.stderr.decode()))
    median = statistics.median(times)
    over = median > target
    failed |= over
    print("%-28s median %7.1f ms  (min %6.1f, max %6.1f, %d runs; target %d ms)%s"
          % (name, median, min(times), max(times), runs, target,
             "  OVER" if over else ""))
sys.exit(1 if failed else 0)
PY

#!/usr/bin/env bash
# Copies stripped binaries that the GPU machine runs into .gpu/bin (ignored
# by git; name .gpu in the device tool's `carry`). The GPU machine has no
# MLIR or LLVM: the binaries link them statically.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
mkdir -p "$root/.gpu/bin"
for b in MambaKernelGpuTests MambaEngineTests MambaKernelCompileTests mamba-bench mamba-run "$@"; do
  strip -o "$root/.gpu/bin/$b" "$build/bin/$b"
done
du -sh "$root/.gpu"

#!/usr/bin/env bash
# Copies stripped binaries that the GPU machine runs into .gpu/bin (ignored
# by git; name .gpu in the device tool's `carry`), the reference
# implementation's sources (../shared/peers) into .gpu/peers for
# scripts/bench-peers.sh, and the commit into .gpu/commit. The GPU machine has
# no MLIR or LLVM: the binaries link them statically.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
mkdir -p "$root/.gpu/bin"
# The device tool carries at most 64 MiB with the tree: name more binaries
# (mamba-run, mamba-server, examples/run-op) as arguments when a call needs
# them. Past 24 MiB they travel as .gpu/bin.tar.xz (the static MLIR and LLVM
# they share compress well), which gpu-check.sh and bench-peers.sh unpack over there.
rm -rf "$root"/.gpu/bin "$root"/.gpu/bin.tar.xz
mkdir -p "$root/.gpu/bin"
for b in MambaKernelGpuTests MambaEngineTests mamba-bench "$@"; do
  src="$build/bin/$b"
  [ -f "$src" ] || src="$build/$b"
  strip -o "$root/.gpu/bin/$(basename "$b")" "$src"
done
if [ "$(du -sm "$root/.gpu/bin" | cut -f1)" -gt 24 ]; then
  tar cJf "$root/.gpu/bin.tar.xz" -C "$root/.gpu" bin
  rm -rf "$root/.gpu/bin"
fi
# Shared libraries of the binaries that the GPU machine lacks (mamba-server's
# cpp-httplib and its brotli, as ldd resolves them here): gpu-check.sh puts
# .gpu/lib on LD_LIBRARY_PATH.
rm -rf "$root/.gpu/lib" && mkdir -p "$root/.gpu/lib"
for b in "$@"; do
  [ -f "$build/bin/$b" ] || continue
  ldd "$build/bin/$b" | awk '/libcpp-httplib|libbrotli/ {print $3}' |
    while read -r path; do cp -L "$path" "$root/.gpu/lib/"; done
done
if [ -d "$root/../shared/peers" ]; then
  rm -rf "$root/.gpu/peers"
  cp -r "$root/../shared/peers" "$root/.gpu/peers"
fi
commit="$(git -C "$root" rev-parse --short HEAD)"
if [ -n "$(git -C "$root" status --porcelain --untracked-files=no)" ]; then
  commit="$commit+changes"
fi
echo "$commit" > "$root/.gpu/commit"
du -sh "$root/.gpu"

#!/usr/bin/env bash
# Installs every Debian package the project needs (idempotent: packages that
# are already installed are skipped without touching apt).
set -euo pipefail

packages=(
  cmake ninja-build g++ python3 libgtest-dev
  libmlir-19-dev mlir-19-tools llvm-19-dev llvm-19-tools libzstd-dev
  libfmt-dev nlohmann-json3-dev libcli11-dev libpcre2-dev libopenblas-dev
  libutf8proc-dev libcpp-httplib-dev clang-19 libclang-rt-19-dev
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: all ${#packages[@]} packages present"
fi

if [ ! -x /usr/local/cuda/bin/nvcc ] && [ ! -f /usr/local/cuda/include/nvrtc.h ]; then
  echo "setup: warning: no CUDA toolkit at /usr/local/cuda; the CUDA backend will not be built" >&2
fi

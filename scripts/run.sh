#!/usr/bin/env bash
# The main job: installs what is missing, builds, and generates text with the
# bundled demo model (models/demo) on the GPU when there is one, else on the
# CPU. Arguments go to mamba-run; without any, a default prompt is used.
#   scripts/run.sh
#   scripts/run.sh --prompt "And God said" --max-new-tokens 200 --seed 7
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
"$root/scripts/build.sh" >&2
if [ "$#" -eq 0 ]; then
  set -- --prompt "In the beginning" --max-new-tokens 100
fi
exec "$build/bin/mamba-run" "$@"

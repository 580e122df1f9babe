#!/usr/bin/env bash
# Configures and builds into build/ (binaries in build/bin). Extra arguments go to
# the configure step, e.g. scripts/build.sh -DER_SANITIZE=ON with BUILD_DIR=build-asan.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
"$(dirname "$0")/setup.sh"
cmake -S . -B "$build_dir" -G Ninja "$@" >/dev/null
cmake --build "$build_dir" -j "$(nproc)"

#!/usr/bin/env bash
# Builds and runs every test (unit tests, Lua behaviour scripts, goldens).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
scripts/build.sh "$@"
ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)"

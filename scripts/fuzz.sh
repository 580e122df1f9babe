#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for a bounded time
# (first argument, seconds; default 60; some targets are capped shorter below). Any
# crash, leak or sanitizer report fails.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
scripts/setup.sh
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DER_FUZZ=ON -DER_BUILD_TESTS=OFF \
  -DER_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz --target fuzz_targets -j "$(nproc)"
shopt -s nullglob
targets=(build-fuzz/bin/*_fuzz)
if [ ${#targets[@]} -eq 0 ]; then
  echo "fuzz: no fuzz targets built"
  exit 1
fi
for target in "${targets[@]}"; do
  name=$(basename "$target")
  corpus=build-fuzz/corpus/$name
  mkdir -p "$corpus"
  run_for=$seconds
  # The pattern differential target compares with Lua's own matcher, which is slow
  # on some inputs: a short run is enough for CI.
  if [ "$name" = lua_pattern_fuzz ] && [ "$run_for" -gt 30 ]; then run_for=30; fi
  echo "fuzz: $name for ${run_for}s"
  "$target" -max_total_time="$run_for" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    "$corpus" fuzz/corpus 2>&1 | tail -n 12
done

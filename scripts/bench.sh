#!/usr/bin/env bash
# Builds a Release tree in build-bench/ and runs the benchmarks, one section after the
# other. Not part of the test command: timings need a quiet machine.
#
#   scripts/bench.sh                      build, then run every section
#   scripts/bench.sh luasys_workloads     run only the named section(s)
#   NO_BUILD=1 scripts/bench.sh           reuse the existing build-bench/
#   scripts/bench.sh engine               only the engine figures (E1-E7, docs/benchmarks.md)
#   scripts/bench.sh controllers          only rules across controllers (C0-C3, docs/multi-controller.md)
#
# Each section is a function named section_<name> listed in SECTIONS below; to add
# one (for example compiler benchmarks), write the function and append its name.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${BUILD_DIR:-build-bench}
WORKLOADS_DIR=${WORKLOADS_DIR:-../shared/bench/luasys}
RUN_TIMEOUT=${RUN_TIMEOUT:-900}  # seconds per workload run
SECTIONS=(luasys_workloads engine controllers google_benchmarks)

# ---------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------

# Builds only what the sections run (luasys, benchclock, every *_bench program), so a
# part that does not build in Release cannot stop the others. The build log goes to a
# file so the tables stay readable; a failure shows its end.
build_release() {
  echo "== building Release into $BUILD_DIR"
  mkdir -p "$BUILD_DIR"
  local log="$BUILD_DIR/bench-build.log"
  : >"$log"
  if ! cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DER_BUILD_TESTS=OFF >>"$log" 2>&1; then
    tail -n 30 "$log"
    echo "bench: configuring $BUILD_DIR failed (full log: $log)" >&2
    exit 1
  fi
  local target
  for target in luasys eventrunner benchclock $(bench_targets); do
    if ! cmake --build "$BUILD_DIR" -j "$(nproc)" --target "$target" >>"$log" 2>&1; then
      echo "bench: target $target did not build in Release (see $log); its results are missing"
    fi
  done
}

# The Google Benchmark targets of the build: every target named *_bench.
bench_targets() {
  ninja -C "$BUILD_DIR" -t targets all 2>/dev/null | sed -n 's/^\([A-Za-z0-9_]*_bench\): .*/\1/p' | sort -u
}

# ---------------------------------------------------------------------------
# Section: the LuaSys workloads W1-W5 (../shared/bench/luasys, run unchanged)
# ---------------------------------------------------------------------------

# Rows of the results table, filled by add_row and printed by print_workload_table.
ROWS=()

# Output of workload runs that printed no result line, shown under the table.
FAILURES=()

# run_workload <script> [VAR=value...]: runs one workload script with luasys in real
# time (the workloads measure wall time) and leaves its output in OUT. (Not called in a
# command substitution, so that FAILURES survives.)
OUT=""
run_workload() {
  local script=$1
  shift
  local status=0
  OUT=$(env "$@" LUA_CPATH="$BUILD_DIR/lib/?.so;;" \
    timeout "$RUN_TIMEOUT" "$BUILD_DIR/bin/luasys" "$WORKLOADS_DIR/$script" 2>&1) || status=$?
  if ! grep -q '^W[0-9]' <<<"$OUT"; then
    FAILURES+=("$script $* (exit status $status): $(head -c 600 <<<"$OUT")")
  fi
}

# field <output> <tag> <key>: the value of key=value on the line starting with tag.
field() {
  awk -v tag="$2" -v key="$3" '
    $1 == tag { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == key) { print kv[2]; exit } } }
  ' <<<"$1"
}

# per_cpu_second <output> <tag> <count key>: count / cpu_s, the rate the workload would
# reach with a CPU to itself (wall-clock figures drop on a busy machine).
per_cpu_second() {
  awk -v c="$(field "$1" "$2" "$3")" -v s="$(field "$1" "$2" cpu_s)" \
    'BEGIN { if (c != "" && s > 0) printf "%.0f\n", c / s }'
}

# verdict <value> <op> <target>: prints "ratio pass|miss", where ratio is how many
# times over the target is met (>= 1 passes) whichever direction the target points.
verdict() {
  awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN {
    if (v == "" || t == "-") { print "-", (v == "" ? "ERROR" : "info"); exit }
    if (op == ">=") { r = v / t; ok = (v >= t) }
    else { r = (v == 0 ? "inf" : t / v); ok = (op == "<" ? v < t : v <= t) }
    printf "%s %s\n", (r == "inf" ? r : sprintf("%.2f", r)), (ok ? "pass" : "miss")
  }'
}

# add_row <workload> <figure> <value> <op> <target> <reference>
add_row() {
  local result
  result=$(verdict "$3" "$4" "$5")
  local target_text="-"
  [ "$5" != "-" ] && target_text="$4 $5"
  ROWS+=("$1|$2|${3:-ERROR}|$target_text|$6|${result% *}|${result#* }")
}

print_workload_table() {
  {
    echo "workload|figure|value|target|reference (LuatOS)|ratio to target|result"
    printf '%s\n' "${ROWS[@]}"
  } | column -t -s '|'
  echo "ratio: how many times over the target is met, whichever way the target points (>= 1 passes)"
  local failure
  for failure in "${FAILURES[@]}"; do
    echo "failed run: $failure"
  done
}

# Each measure_* runs one workload and adds its rows. Targets and references come
# from the project brief and ../shared/bench/luasys/README.md.
measure_w1() {
  run_workload w1_task_switch.lua
  add_row W1 resumes_per_s "$(field "$OUT" W1 resumes_per_s)" ">=" 5000000 "43k-48k"
  add_row W1 resumes_per_cpu_s "$(per_cpu_second "$OUT" W1 resumes)" ">=" - "-"
}

measure_w1t() {
  run_workload w1t_wait1.lua
  add_row W1t resumes_per_s "$(field "$OUT" W1t resumes_per_s)" ">=" - "-"
}

measure_w2() {
  run_workload w2_pubsub.lua
  add_row W2 msgs_per_s "$(field "$OUT" W2 msgs_per_s)" ">=" 2000000 "126k-145k"
  add_row W2 msgs_per_cpu_s "$(per_cpu_second "$OUT" W2 msgs)" ">=" - "-"
}

measure_w3() {
  run_workload w3_timers.lua
  add_row W3 start_ms "$(field "$OUT" W3 start_ms)" "<" 100 "~500 s"
  add_row W3 late_p99_ms "$(field "$OUT" W3 late_p99_ms)" "<" 1 "-"
  add_row W3 late_p50_ms "$(field "$OUT" W3 late_p50_ms)" "<" - "-"
  add_row W3 fire_all_ms "$(field "$OUT" W3 fire_all_ms)" "<" - "-"
}

measure_w3w() {
  run_workload w3w_wait_timers.lua
  add_row W3w start_ms "$(field "$OUT" W3w start_ms)" "<" - "-"
  add_row W3w late_p50_ms "$(field "$OUT" W3w late_p50_ms)" "<" - "0.06 ms"
  add_row W3w late_p99_ms "$(field "$OUT" W3w late_p99_ms)" "<" - "-"
}

measure_w4() {
  run_workload w4_memory.lua
  add_row W4 bytes_per_idle_task "$(field "$OUT" W4 bytes_per_idle_task)" "<=" 1200 "1,279 B"
  add_row W4 bare_coroutine_bytes "$(field "$OUT" W4 bare_coroutine_bytes)" "<=" - "~1,146 B"
}

measure_w5() {
  run_workload w5_pingpong.lua
  add_row W5 round_trips_per_s "$(field "$OUT" W5 round_trips_per_s)" ">=" 1000000 "123k-250k"
  add_row W5 round_trips_per_cpu_s "$(per_cpu_second "$OUT" W5 round_trips)" ">=" - "-"
  run_workload w5_pingpong.lua W5_TIMEOUT=1000 W5_TAG=W5t
  add_row "W5 (W5_TIMEOUT=1000)" round_trips_per_s "$(field "$OUT" W5t round_trips_per_s)" ">=" 1000000 "-"
}

section_luasys_workloads() {
  echo
  echo "== LuaSys workloads ($WORKLOADS_DIR), real time, $BUILD_DIR/bin/luasys"
  echo "   (machine load: $(cut -d " " -f 1-3 /proc/loadavg), $(nproc) CPUs; busy machines give low figures)"
  if [ ! -x "$BUILD_DIR/bin/luasys" ] || [ ! -f "$BUILD_DIR/lib/benchclock.so" ]; then
    echo "skipped: $BUILD_DIR/bin/luasys or $BUILD_DIR/lib/benchclock.so is missing"
    return
  fi
  ROWS=()
  FAILURES=()
  measure_w1
  measure_w1t
  measure_w2
  measure_w3
  measure_w3w
  measure_w4
  measure_w5
  print_workload_table
}

# ---------------------------------------------------------------------------
# Section: the engine figures E1-E7 (build-bench/bin/engine_bench, docs/benchmarks.md)
# ---------------------------------------------------------------------------

# One workload at a time, so that a failing one leaves the others' figures. `traces`
# prints tracing's cost (E6 runs, E7 dispatch) as ratios to tracing off, the modes
# alternating within each round (ENGINE_BENCH_ROUNDS, default 3) and the medians last.
ENGINE_WORKLOADS=(dispatch runs traces define year)

section_engine() {
  echo
  echo "== engine figures ($BUILD_DIR/bin/engine_bench; CPU time, best of 5 trials per figure)"
  echo "   (machine load: $(cut -d " " -f 1-3 /proc/loadavg), $(nproc) CPUs)"
  local program="$BUILD_DIR/bin/engine_bench" workload
  if [ ! -x "$program" ]; then
    echo "skipped: $program is missing"
    return
  fi
  for workload in "${ENGINE_WORKLOADS[@]}"; do
    echo "-- $workload"
    timeout "$RUN_TIMEOUT" "$program" "$workload" 2>&1 || echo "engine_bench $workload failed with status $?"
  done
}

# ---------------------------------------------------------------------------
# Section: rules across controllers (controllers_bench, issue #15)
# ---------------------------------------------------------------------------

# Cross-controller latency (publish on one engine to a rule run on another) through one
# broker and through a bridge, and events/s between two engines.
section_controllers() {
  echo
  echo "== Rules across controllers ($BUILD_DIR/bin/controllers_bench;" \
       "targets: C1 p99_us < 5000, C3 events_per_s >= 20000)"
  local program="$BUILD_DIR/bin/controllers_bench"
  if [ ! -x "$program" ]; then
    echo "controllers_bench not built"
    return
  fi
  timeout "$RUN_TIMEOUT" "$program" 2>&1 || echo "controllers_bench failed with status $?"
}

# ---------------------------------------------------------------------------
# Section: Google Benchmark programs (build-bench/bin/*_bench)
# ---------------------------------------------------------------------------

section_google_benchmarks() {
  echo
  echo "== Google Benchmark programs ($BUILD_DIR/bin/*_bench)"
  local found=0 program extra_args
  for program in "$BUILD_DIR"/bin/*_bench; do
    [ -x "$program" ] || continue
    [ "$(basename "$program")" = engine_bench ] && continue  # Not Google Benchmark: section_engine.
    [ "$(basename "$program")" = controllers_bench ] && continue  # section_controllers.
    found=1
    echo "-- $(basename "$program")"
    # BENCH_ARGS holds extra flags (e.g. --benchmark_filter=Timer), split on blanks.
    read -r -a extra_args <<<"${BENCH_ARGS:-}"
    "$program" "${extra_args[@]}" 2>&1 || echo "$(basename "$program") failed with status $?"
  done
  [ "$found" = 1 ] || echo "none built yet"
}

# ---------------------------------------------------------------------------

main() {
  [ "${NO_BUILD:-0}" = 1 ] || build_release
  local sections=("$@")
  [ ${#sections[@]} -gt 0 ] || sections=("${SECTIONS[@]}")
  for name in "${sections[@]}"; do
    "section_$name"
  done
}

main "$@"

// Timer heap micro-benchmarks: start+stop, start+fire among many pending timers, and
// collecting a due set.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <vector>

#include "core/timer_heap.h"

namespace luasys {
namespace {

TimerSpec once(Millis delay) {
  TimerSpec spec;
  spec.delay = delay;
  return spec;
}

// Fills the heap with `count` timers spread over an hour, far from "now".
void fill(TimerHeap& heap, std::int64_t count) {
  std::mt19937 random(1);
  for (std::int64_t i = 0; i < count; ++i) {
    heap.start(0, once(1'000'000 + static_cast<Millis>(random() % 3'600'000)));
  }
}

void BM_TimerStartStop(benchmark::State& state) {
  TimerHeap heap;
  fill(heap, state.range(0));
  Millis now = 0;
  for (auto _ : state) {
    const TimerHandle handle = heap.start(now, once(500'000 + (now % 1000)));
    benchmark::DoNotOptimize(heap.stop(handle));
    ++now;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TimerStartStop)->Arg(0)->Arg(1000)->Arg(100'000);

// Each iteration starts one timer due now and fires it, with `range(0)` others pending.
void BM_TimerStartFire(benchmark::State& state) {
  TimerHeap heap;
  fill(heap, state.range(0));
  std::vector<DueTimer> due;
  DueTimer fired;
  Millis now = 0;
  for (auto _ : state) {
    heap.start(now, once(0));
    due.clear();
    heap.collect_due(now, due);
    for (const DueTimer& entry : due) benchmark::DoNotOptimize(heap.pop_due(entry, now, fired));
    ++now;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TimerStartFire)->Arg(100'000);

// Collecting (not firing) the `range(0)` due timers out of 100,000 pending.
void BM_TimerCollectDue(benchmark::State& state) {
  TimerHeap heap;
  const std::int64_t due_count = state.range(0);
  for (std::int64_t i = 0; i < due_count; ++i) heap.start(0, once(i % 100));
  fill(heap, 100'000 - due_count);
  std::vector<DueTimer> due;
  due.reserve(static_cast<std::size_t>(due_count));
  for (auto _ : state) {
    due.clear();
    heap.collect_due(100, due);
    benchmark::DoNotOptimize(due.data());
  }
  if (due.size() != static_cast<std::size_t>(due_count)) state.SkipWithError("wrong due count");
  state.SetItemsProcessed(state.iterations() * due_count);
}
BENCHMARK(BM_TimerCollectDue)->Arg(1)->Arg(64)->Arg(1000);

}  // namespace
}  // namespace luasys

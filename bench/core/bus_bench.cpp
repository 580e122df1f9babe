// Bus benchmarks: the single-thread post/take cost, and a producer thread feeding a
// consumer through the default 256 slots with blocking posts.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <thread>
#include <utility>

#include "core/bus.h"
#include "port/linux_port.h"

namespace luasys {
namespace {

Message numbered(std::int64_t n) {
  Message message;
  message.id = StaticText("tick");
  message.args[0] = n;
  message.argc = 1;
  return message;
}

void BM_BusTryPostTake(benchmark::State& state) {
  LinuxPort port;
  Bus bus(port);
  Message out;
  std::int64_t n = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(bus.try_post(numbered(n++)));
    benchmark::DoNotOptimize(bus.take(out));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BusTryPostTake);

// One producer thread posts 1,000,000 numbered messages with blocking post; this
// thread takes them, idling in the port when the bus is empty, as the loop does.
// Fails the run if a message is lost or out of order.
void BM_BusProducerToConsumer(benchmark::State& state) {
  constexpr std::int64_t kMessages = 1'000'000;
  for (auto _ : state) {
    LinuxPort port;
    Bus bus(port, BusOptions{256});
    std::thread producer([&bus] {
      for (std::int64_t n = 0; n < kMessages; ++n) bus.post(numbered(n), kForever);
    });
    std::int64_t expected = 0;
    Message out;
    while (expected < kMessages) {
      if (!bus.take(out)) {
        port.wait_until(kForever);  // Woken by the next post.
        continue;
      }
      if (std::get<std::int64_t>(out.args[0]) != expected) state.SkipWithError("out of order");
      ++expected;
    }
    producer.join();
    if (bus.dropped() != 0) state.SkipWithError("messages dropped");
  }
  state.SetItemsProcessed(state.iterations() * kMessages);
  state.counters["messages/s"] =
      benchmark::Counter(static_cast<double>(state.iterations() * kMessages),
                         benchmark::Counter::kIsRate);
}
BENCHMARK(BM_BusProducerToConsumer)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace luasys

// LoopLag: nearest-rank percentiles over the recent window, totals over the whole run,
// and the event loop recording each fired timer's lag.

#include "core/loop_lag.h"

#include <gtest/gtest.h>

#include "core/event_loop.h"
#include "fake_port.h"

namespace luasys {
namespace {

TEST(core_loop_lag, NothingRecordedSummarisesAsZeros) {
  const LagSummary summary = LoopLag().summary();
  EXPECT_EQ(summary.count, 0U);
  EXPECT_EQ(summary.window, 0U);
  EXPECT_EQ(summary.p50, 0);
  EXPECT_EQ(summary.p99, 0);
}

TEST(core_loop_lag, PercentilesAreNearestRank) {
  LoopLag lag;
  for (Millis ms = 100; ms >= 1; --ms) lag.record(ms);  // Order must not matter.
  const LagSummary summary = lag.summary();
  EXPECT_EQ(summary.p50, 50);
  EXPECT_EQ(summary.p99, 99);
  EXPECT_EQ(summary.max, 100);
  EXPECT_EQ(summary.count, 100U);
  EXPECT_EQ(summary.sum_ms, 5050U);
  EXPECT_EQ(summary.window, 100U);
}

TEST(core_loop_lag, OneLateTimerInAHundredShowsInP99NotP50) {
  LoopLag lag;
  for (int i = 0; i < 98; ++i) lag.record(1);
  lag.record(250);
  lag.record(250);
  const LagSummary summary = lag.summary();
  EXPECT_EQ(summary.p50, 1);
  EXPECT_EQ(summary.p99, 250);
}

TEST(core_loop_lag, PercentilesForgetSamplesOlderThanTheWindow) {
  LoopLag lag;
  for (int i = 0; i < 1000; ++i) lag.record(500);
  for (std::size_t i = 0; i < LoopLag::kWindow; ++i) lag.record(7);
  const LagSummary summary = lag.summary();
  EXPECT_EQ(summary.p99, 7);
  EXPECT_EQ(summary.max, 7);
  EXPECT_EQ(summary.count, 1000U + LoopLag::kWindow);
  EXPECT_EQ(summary.sum_ms, 500U * 1000U + 7U * LoopLag::kWindow);
}

TEST(core_loop_lag, EarlyOrNegativeLagCountsAsZero) {
  LoopLag lag;
  lag.record(-5);
  EXPECT_EQ(lag.summary().max, 0);
  EXPECT_EQ(lag.summary().sum_ms, 0U);
}

// A handler that does nothing: the loop's own bookkeeping is under test.
class QuietHandler final : public LoopHandler {
 public:
  void drain() override {}
  void on_timer(const DueTimer&) override {}
  void on_bus_message(Message&) override {}
  void run_ready() override {}
  [[nodiscard]] bool has_ready() const override { return false; }
  [[nodiscard]] bool has_queued() const override { return false; }
  void on_bus_drops(std::uint64_t, std::uint64_t) override {}
};

struct LagLoop {
  testing::FakePort port;
  VirtualClock clock;
  TimerHeap timers;
  Bus bus{port};
  QuietHandler handler;
  EventLoop loop{clock, port, timers, bus, handler};

  void start(Millis delay) {
    TimerSpec spec;
    spec.delay = delay;
    timers.start(clock.now(), spec);
  }
};

TEST(core_loop_lag, TheLoopRecordsHowLongAfterItsDeadlineEachTimerFired) {
  LagLoop t;
  t.start(10);
  t.start(30);
  t.clock.advance_to(50);  // The loop was busy: both timers are late.
  ASSERT_TRUE(t.loop.run_pass());
  const LagSummary summary = t.loop.lag().summary();
  EXPECT_EQ(summary.count, 2U);
  EXPECT_EQ(summary.sum_ms, 60U);
  EXPECT_EQ(summary.p50, 20);
  EXPECT_EQ(summary.p99, 40);
}

TEST(core_loop_lag, OnTheVirtualClockTimersFireOnTime) {
  LagLoop t;
  for (Millis delay = 100; delay <= 1000; delay += 100) t.start(delay);
  t.loop.run();
  const LagSummary summary = t.loop.lag().summary();
  EXPECT_EQ(summary.count, 10U);
  EXPECT_EQ(summary.max, 0);
}

}  // namespace
}  // namespace luasys

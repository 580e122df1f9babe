// EventLoop: pass phases, timer semantics through the loop, idling, RunOptions,
// stopping, and the bus under real threads.

#include "core/event_loop.h"

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <functional>
#include <future>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "fake_port.h"
#include "port/linux_port.h"

namespace luasys {
namespace {

using testing::FakePort;

// Records what the loop asks of it; tests script reactions through the std::functions.
class ScriptedHandler final : public LoopHandler {
 public:
  void drain() override {
    ++drains;
    if (drain_action) drain_action();
    if (queued > 0) {
      log.push_back("drain " + std::to_string(queued));
      queued = 0;
    }
  }
  void on_timer(const DueTimer& timer) override {
    log.push_back("timer " + std::to_string(timer.payload.data) + " @" +
                  std::to_string(timer.deadline));
    if (timer_action) timer_action(timer);
  }
  void on_bus_message(Message& message) override {
    log.push_back("bus " + std::to_string(std::get<std::int64_t>(message.args[0])));
    if (bus_action) bus_action(message);
  }
  void run_ready() override {
    if (ready_passes > 0) {
      --ready_passes;
      log.push_back("ready");
    }
  }
  [[nodiscard]] bool has_ready() const override { return ready_passes > 0; }
  [[nodiscard]] bool has_queued() const override { return queued > 0; }
  void on_bus_drops(std::uint64_t new_drops, std::uint64_t total) override {
    log.push_back("drops " + std::to_string(new_drops) + "/" + std::to_string(total));
  }
  void end_pass() override {
    ++pass_ends;
    if (log_pass_ends) log.push_back("end");
  }

  std::vector<std::string> log;
  int pass_ends = 0;
  bool log_pass_ends = false;
  int drains = 0;
  int queued = 0;
  int ready_passes = 0;
  std::function<void()> drain_action;
  std::function<void(const DueTimer&)> timer_action;
  std::function<void(Message&)> bus_action;
};

Message numbered(std::int64_t n) {
  Message message;
  message.id = StaticText("n");
  message.args[0] = n;
  message.argc = 1;
  return message;
}

TimerSpec once(Millis delay, std::uint64_t data) {
  TimerSpec spec;
  spec.delay = delay;
  spec.payload.data = data;
  return spec;
}

// A loop on the virtual clock and the fake port.
struct VirtualLoop {
  FakePort port;
  VirtualClock clock;
  TimerHeap timers;
  Bus bus{port};
  ScriptedHandler handler;
  EventLoop loop{clock, port, timers, bus, handler};

  TimerHandle start(Millis delay, std::uint64_t data) {
    return timers.start(clock.now(), once(delay, data));
  }
};

using Log = std::vector<std::string>;

TEST(core_event_loop, NothingToDoReturnsIdleAtOnce) {
  VirtualLoop t;
  EXPECT_FALSE(t.loop.has_work());
  EXPECT_FALSE(t.loop.run_pass());
  EXPECT_EQ(t.loop.run(), RunResult::Idle);
  EXPECT_EQ(t.handler.drains, 0);
  EXPECT_FALSE(t.loop.running());
}

TEST(core_event_loop, PassRunsItsPhasesInOrder) {
  VirtualLoop t;
  t.handler.queued = 1;
  t.start(0, 1);
  t.bus.try_post(numbered(7));
  t.handler.ready_passes = 1;
  t.handler.timer_action = [&](const DueTimer&) { t.handler.queued = 2; };
  ASSERT_TRUE(t.loop.run_pass());
  EXPECT_EQ(t.handler.log, (Log{"drain 1", "timer 1 @0", "drain 2", "bus 7", "ready"}));
}

TEST(core_event_loop, EveryPassEndsAfterItsReadyTasks) {
  VirtualLoop t;
  t.handler.log_pass_ends = true;
  t.start(0, 1);
  t.bus.try_post(numbered(7));
  t.handler.ready_passes = 2;
  EXPECT_EQ(t.loop.run(), RunResult::Idle);
  EXPECT_EQ(t.handler.log, (Log{"timer 1 @0", "bus 7", "ready", "end", "ready", "end"}));
  EXPECT_EQ(t.handler.pass_ends, 2);
}

TEST(core_event_loop, VirtualClockJumpsStraightToDeadlines) {
  VirtualLoop t;
  t.start(100, 1);
  t.start(7LL * 24 * 3600 * 1000, 2);  // A week later.
  std::vector<Millis> seen;
  t.handler.timer_action = [&](const DueTimer&) { seen.push_back(t.clock.now()); };
  EXPECT_EQ(t.loop.run(), RunResult::Idle);
  EXPECT_EQ(seen, (std::vector<Millis>{100, 7LL * 24 * 3600 * 1000}));
  EXPECT_TRUE(t.port.waits.empty());  // Never blocked in real time.
}

TEST(core_event_loop, EqualDeadlinesFireInStartOrder) {
  VirtualLoop t;
  for (std::uint64_t i = 1; i <= 4; ++i) t.start(10, i);
  t.loop.run();
  EXPECT_EQ(t.handler.log, (Log{"timer 1 @10", "timer 2 @10", "timer 3 @10", "timer 4 @10"}));
}

TEST(core_event_loop, TimerStoppedByAnEarlierCallbackOfThePassDoesNotFire) {
  VirtualLoop t;
  t.start(10, 1);
  const TimerHandle second = t.start(10, 2);
  t.start(10, 3);
  t.handler.timer_action = [&](const DueTimer& timer) {
    if (timer.payload.data == 1) t.timers.stop(second);
  };
  t.loop.run();
  EXPECT_EQ(t.handler.log, (Log{"timer 1 @10", "timer 3 @10"}));
}

TEST(core_event_loop, TimerRearmedAtZeroWaitsOnePass) {
  VirtualLoop t;
  t.start(10, 1);
  t.start(10, 2);
  int passes_seen = 0;
  t.handler.timer_action = [&](const DueTimer& timer) {
    if (timer.payload.data == 1 && passes_seen++ == 0) t.start(0, 1);
  };
  t.clock.advance_to(10);
  ASSERT_TRUE(t.loop.run_pass());
  EXPECT_EQ(t.handler.log, (Log{"timer 1 @10", "timer 2 @10"}));
  ASSERT_TRUE(t.loop.run_pass());
  ASSERT_EQ(t.handler.log.size(), 3U);
  EXPECT_EQ(t.handler.log.back(), "timer 1 @10");
  EXPECT_EQ(t.clock.now(), 10);
}

TEST(core_event_loop, RepeatingTimerFiresNPlusOneTimesWithoutDrift) {
  VirtualLoop t;
  TimerSpec spec = once(20, 9);
  spec.period = 20;
  spec.repeats = 2;
  t.timers.start(0, spec);
  t.loop.run();
  EXPECT_EQ(t.handler.log, (Log{"timer 9 @20", "timer 9 @40", "timer 9 @60"}));
}

TEST(core_event_loop, UntilFiresTimersDueExactlyThenAndStopsTheClockThere) {
  VirtualLoop t;
  TimerSpec spec = once(400, 1);
  spec.period = 400;
  spec.repeats = -1;
  t.timers.start(0, spec);
  t.start(1000, 2);
  t.start(1001, 3);
  EXPECT_EQ(t.loop.run(RunOptions{1000}), RunResult::TimeUp);
  EXPECT_EQ(t.handler.log, (Log{"timer 1 @400", "timer 1 @800", "timer 2 @1000"}));
  EXPECT_EQ(t.clock.now(), 1000);
}

TEST(core_event_loop, UntilWithoutTimersStillEndsIdle) {
  VirtualLoop t;
  t.start(10, 1);
  EXPECT_EQ(t.loop.run(RunOptions{500}), RunResult::Idle);
  EXPECT_EQ(t.clock.now(), 10);
}

TEST(core_event_loop, UntilNeverJumpsPastTheLimit) {
  VirtualLoop t;
  t.start(5000, 1);
  EXPECT_EQ(t.loop.run(RunOptions{1000}), RunResult::TimeUp);
  EXPECT_EQ(t.clock.now(), 1000);
  EXPECT_TRUE(t.handler.log.empty());
  EXPECT_EQ(t.loop.run(), RunResult::Idle);  // Resumable.
  EXPECT_EQ(t.handler.log, Log{"timer 1 @5000"});
}

TEST(core_event_loop, ReadyTaskStartsTheNextPassWithoutMovingTheClock) {
  VirtualLoop t;
  t.handler.ready_passes = 3;
  t.start(50, 1);
  t.loop.run();
  EXPECT_EQ(t.handler.log, (Log{"ready", "ready", "ready", "timer 1 @50"}));
}

TEST(core_event_loop, BusFloodCannotStarveTimers) {
  VirtualLoop t;
  t.bus.try_post(numbered(0));
  t.start(0, 1);
  std::int64_t next = 1;
  t.handler.bus_action = [&](Message&) {
    if (next < 3) t.bus.try_post(numbered(next++));
  };
  t.handler.timer_action = [&](const DueTimer& timer) {
    if (timer.payload.data == 1) t.start(0, 2);
  };
  t.loop.run();
  EXPECT_EQ(t.handler.log,
            (Log{"timer 1 @0", "bus 0", "timer 2 @0", "bus 1", "bus 2"}));
}

TEST(core_event_loop, DropsAreReportedOncePerPassThatSawThem) {
  VirtualLoop t;
  Bus small(t.port, BusOptions{1});
  EventLoop loop(t.clock, t.port, t.timers, small, t.handler);
  small.try_post(numbered(1));
  small.try_post(numbered(2));
  small.try_post(numbered(3));
  t.start(10, 1);
  t.handler.timer_action = [&](const DueTimer&) { small.try_post(numbered(4)); };
  loop.run();
  EXPECT_EQ(t.handler.log, (Log{"bus 1", "drops 2/2", "timer 1 @10", "bus 4"}));
}

TEST(core_event_loop, LiveProducerKeepsTheLoopWaitingUntilReleased) {
  VirtualLoop t;
  Producer producer = t.bus.add_producer("sensor");
  EXPECT_TRUE(t.loop.has_work());
  int forever_waits = 0;
  // Stands in for the producer thread: it posts during the first wait, then leaves.
  t.port.on_forever_wait = [&] {
    if (forever_waits++ == 0) {
      t.bus.try_post(numbered(1));
    } else {
      producer.release();
    }
  };
  EXPECT_EQ(t.loop.run(), RunResult::Idle);
  EXPECT_EQ(t.handler.log, Log{"bus 1"});
  EXPECT_EQ(forever_waits, 2);
  EXPECT_EQ(t.clock.now(), 0);  // No timers: virtual time stood still.
}

TEST(core_event_loop, TimersThatDoNotCountAsWorkDoNotKeepTheLoopAlive) {
  VirtualLoop t;
  TimerSpec background = once(10, 1);
  background.counts_as_work = false;
  t.timers.start(0, background);
  EXPECT_FALSE(t.loop.has_work());
  t.start(20, 2);
  t.loop.run();
  EXPECT_EQ(t.handler.log, (Log{"timer 1 @10", "timer 2 @20"}));
}

TEST(core_event_loop, StopRequestedBeforeRunReturnsStoppedAtOnce) {
  VirtualLoop t;
  t.start(10, 1);
  t.loop.request_stop();
  EXPECT_EQ(t.loop.run(), RunResult::Stopped);
  EXPECT_TRUE(t.handler.log.empty());
  EXPECT_EQ(t.loop.run(), RunResult::Idle);  // The request was consumed.
}

TEST(core_event_loop, StopRequestedInAPassEndsRunAfterThatPass) {
  VirtualLoop t;
  t.start(10, 1);
  t.start(10, 2);
  t.start(20, 3);
  t.handler.timer_action = [&](const DueTimer& timer) {
    EXPECT_TRUE(t.loop.running());
    if (timer.payload.data == 1) t.loop.request_stop();
  };
  EXPECT_EQ(t.loop.run(), RunResult::Stopped);
  EXPECT_EQ(t.handler.log, (Log{"timer 1 @10", "timer 2 @10"}));
  EXPECT_FALSE(t.loop.running());
}

// ---- Real threads ----

// A loop on the Linux port and the real clock.
struct RealLoop {
  explicit RealLoop(BusOptions options = {}) : bus(port, options) {}
  LinuxPort port;
  RealClock clock{port};
  TimerHeap timers;
  Bus bus;
  ScriptedHandler handler;
  EventLoop loop{clock, port, timers, bus, handler};
};

TEST(core_event_loop, RequestStopFromAnotherThreadEndsAnIdleWait) {
  RealLoop t;
  Producer producer = t.bus.add_producer("keeps the loop waiting");
  std::promise<void> first_pass;
  bool signalled = false;
  t.handler.drain_action = [&] {
    if (!std::exchange(signalled, true)) first_pass.set_value();
  };
  std::thread stopper([&t, started = first_pass.get_future()] {
    started.wait();
    t.loop.request_stop();
  });
  EXPECT_EQ(t.loop.run(), RunResult::Stopped);
  stopper.join();
}

TEST(core_event_loop, ReleasingTheLastProducerFromAnotherThreadEndsRun) {
  RealLoop t;
  Producer producer = t.bus.add_producer("worker");
  std::thread worker([&producer, &t] {
    ASSERT_TRUE(t.bus.post(numbered(42), kForever));
    producer.release();
  });
  EXPECT_EQ(t.loop.run(), RunResult::Idle);
  worker.join();
  EXPECT_EQ(t.handler.log, Log{"bus 42"});
}

// A reply another thread owes holds a virtual clock: the loop waits in the port (where
// the reply is posted) instead of jumping to the timer at 1 s, which fires after the
// reply and at its own deadline.
TEST(core_event_loop, VirtualClockWaitsForAnExpectedReplyBeforeJumping) {
  FakePort port;
  VirtualClock clock;
  TimerHeap timers;
  Bus bus(port);
  ScriptedHandler handler;
  EventLoop loop{clock, port, timers, bus, handler};
  timers.start(0, once(1000, 7));
  bus.expect_reply();
  port.on_forever_wait = [&] { ASSERT_TRUE(bus.try_post(numbered(42))); };
  handler.bus_action = [&](Message&) {
    EXPECT_EQ(clock.now(), 0);
    bus.reply_settled();
  };
  EXPECT_EQ(loop.run(), RunResult::Idle);
  EXPECT_EQ(handler.log, (Log{"bus 42", "timer 7 @1000"}));
  EXPECT_EQ(port.waits, std::vector<Millis>{kForever});
}

// An expected reply alone keeps the loop from finishing as idle.
TEST(core_event_loop, AnExpectedReplyIsWork) {
  LinuxPort port;
  VirtualClock clock;
  TimerHeap timers;
  Bus bus(port);
  ScriptedHandler handler;
  EventLoop loop{clock, port, timers, bus, handler};
  EXPECT_FALSE(loop.has_work());
  bus.expect_reply();
  EXPECT_TRUE(loop.has_work());
  bus.reply_settled();
  EXPECT_FALSE(loop.has_work());
}

// Counts bus messages (producer index, sequence) and checks each producer's order; the
// scripted handler would log a million strings.
class OrderCheckingHandler final : public LoopHandler {
 public:
  explicit OrderCheckingHandler(std::size_t producers) : next_expected(producers, 0) {}
  void drain() override {}
  void on_timer(const DueTimer&) override {}
  void on_bus_message(Message& message) override {
    const auto producer = static_cast<std::size_t>(std::get<std::int64_t>(message.args[0]));
    const std::int64_t sequence = std::get<std::int64_t>(message.args[1]);
    if (next_expected[producer] != sequence) in_order = false;
    next_expected[producer] = sequence + 1;
    ++received;
  }
  void run_ready() override {}
  [[nodiscard]] bool has_ready() const override { return false; }
  [[nodiscard]] bool has_queued() const override { return false; }
  void on_bus_drops(std::uint64_t, std::uint64_t) override { ++drop_reports; }

  std::vector<std::int64_t> next_expected;
  std::int64_t received = 0;
  bool in_order = true;
  int drop_reports = 0;
};

TEST(core_event_loop, BlockingPostFromFourThreadsLosesNothingAndKeepsOrder) {
  constexpr int kProducers = 4;
  constexpr std::int64_t kPerProducer = 250'000;
  RealLoop t(BusOptions{256});
  OrderCheckingHandler counter(static_cast<std::size_t>(kProducers));
  EventLoop loop(t.clock, t.port, t.timers, t.bus, counter);

  std::vector<Producer> handles;
  for (int i = 0; i < kProducers; ++i) handles.push_back(t.bus.add_producer("p"));
  std::vector<std::thread> producers;
  for (int i = 0; i < kProducers; ++i) {
    producers.emplace_back([&t, &handles, i] {
      for (std::int64_t n = 0; n < kPerProducer; ++n) {
        Message message;
        message.args[0] = std::int64_t{i};
        message.args[1] = n;
        message.argc = 2;
        if (!t.bus.post(std::move(message), kForever)) break;  // Counted as lost below.
      }
      handles[static_cast<std::size_t>(i)].release();
    });
  }
  EXPECT_EQ(loop.run(), RunResult::Idle);
  for (std::thread& producer : producers) producer.join();
  EXPECT_EQ(counter.received, kProducers * kPerProducer);
  EXPECT_TRUE(counter.in_order);
  EXPECT_EQ(counter.drop_reports, 0);
  for (const std::int64_t next : counter.next_expected) EXPECT_EQ(next, kPerProducer);
  const BusStats stats = t.bus.stats();
  EXPECT_EQ(stats.dropped, 0U);
  EXPECT_EQ(stats.posted, static_cast<std::uint64_t>(kProducers * kPerProducer));
  EXPECT_LE(stats.peak, 256U);
}

TEST(core_event_loop, RealClockTimerFiresAfterItsDeadline) {
  RealLoop t;
  t.timers.start(t.clock.now(), once(20, 1));
  const Millis started = t.clock.now();
  EXPECT_EQ(t.loop.run(), RunResult::Idle);
  EXPECT_GE(t.loop.pass_now(), started + 20);
  EXPECT_EQ(t.handler.log.size(), 1U);
}

}  // namespace
}  // namespace luasys

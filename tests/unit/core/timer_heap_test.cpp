// TimerHeap: order, stop, stale handles, limits, snapshots and repeats.

#include "core/timer_heap.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <utility>
#include <vector>

namespace luasys {
namespace {

TimerSpec once(Millis delay, std::uint64_t data = 0) {
  TimerSpec spec;
  spec.delay = delay;
  spec.payload.data = data;
  return spec;
}

TimerSpec repeating(Millis delay, Millis period, std::int64_t repeats, std::uint64_t data = 0) {
  TimerSpec spec = once(delay, data);
  spec.period = period;
  spec.repeats = repeats;
  return spec;
}

// Fires everything due at `now` the way the loop does and returns the payload data.
std::vector<std::uint64_t> fire(TimerHeap& heap, Millis now) {
  std::vector<DueTimer> due;
  heap.collect_due(now, due);
  std::vector<std::uint64_t> fired_data;
  DueTimer fired;
  for (const DueTimer& entry : due) {
    if (heap.pop_due(entry, now, fired)) fired_data.push_back(fired.payload.data);
  }
  return fired_data;
}

TEST(core_timer_heap, EqualDeadlinesFireInStartOrder) {
  TimerHeap heap;
  for (std::uint64_t i = 0; i < 20; ++i) heap.start(0, once(10, i));
  heap.start(0, once(5, 100));
  std::vector<std::uint64_t> expected{100};
  for (std::uint64_t i = 0; i < 20; ++i) expected.push_back(i);
  EXPECT_EQ(fire(heap, 10), expected);
  EXPECT_EQ(heap.size(), 0U);
}

TEST(core_timer_heap, LaterStartWithEarlierDeadlineFiresFirst) {
  TimerHeap heap;
  heap.start(0, once(30, 1));
  heap.start(10, once(10, 2));  // Deadline 20.
  EXPECT_EQ(heap.next_deadline(), 20);
  EXPECT_EQ(fire(heap, 30), (std::vector<std::uint64_t>{2, 1}));
}

TEST(core_timer_heap, NothingFiresBeforeItsDeadline) {
  TimerHeap heap;
  const TimerHandle handle = heap.start(0, once(10, 1));
  EXPECT_TRUE(fire(heap, 9).empty());
  EXPECT_TRUE(heap.is_pending(handle));
  EXPECT_EQ(heap.deadline(handle), 10);
  EXPECT_EQ(fire(heap, 10), std::vector<std::uint64_t>{1});
  EXPECT_FALSE(heap.is_pending(handle));
  EXPECT_EQ(heap.deadline(handle), kForever);
}

TEST(core_timer_heap, NegativeDelayCountsAsZero) {
  TimerHeap heap;
  const TimerHandle handle = heap.start(50, once(-5));
  EXPECT_EQ(heap.deadline(handle), 50);
}

TEST(core_timer_heap, StopRemovesAndReportsOnlyPendingTimers) {
  TimerHeap heap;
  const TimerHandle a = heap.start(0, once(10, 1));
  const TimerHandle b = heap.start(0, once(20, 2));
  EXPECT_TRUE(heap.stop(a));
  EXPECT_FALSE(heap.stop(a));
  EXPECT_FALSE(heap.stop(TimerHandle{}));
  EXPECT_FALSE(heap.stop(TimerHandle{0xdeadbeefULL}));
  EXPECT_EQ(heap.payload(a), nullptr);
  ASSERT_NE(heap.payload(b), nullptr);
  EXPECT_EQ(heap.payload(b)->data, 2U);
  EXPECT_EQ(fire(heap, 100), std::vector<std::uint64_t>{2});
}

TEST(core_timer_heap, StaleHandleCannotStopAReusedSlot) {
  TimerHeap heap;
  const TimerHandle old_handle = heap.start(0, once(10, 1));
  EXPECT_EQ(fire(heap, 10), std::vector<std::uint64_t>{1});
  const TimerHandle new_handle = heap.start(10, once(10, 2));  // Reuses the slot.
  EXPECT_NE(old_handle, new_handle);
  EXPECT_FALSE(heap.stop(old_handle));
  EXPECT_FALSE(heap.is_pending(old_handle));
  EXPECT_TRUE(heap.is_pending(new_handle));
  EXPECT_EQ(fire(heap, 20), std::vector<std::uint64_t>{2});
}

TEST(core_timer_heap, LimitGivesNullHandleAndNoSideEffect) {
  TimerHeap heap(TimerHeapOptions{2});
  const TimerHandle a = heap.start(0, once(10, 1));
  heap.start(0, once(20, 2));
  EXPECT_FALSE(heap.start(0, once(5, 3)));
  EXPECT_EQ(heap.size(), 2U);
  EXPECT_EQ(heap.next_deadline(), 10);
  EXPECT_EQ(heap.max_timers(), 2U);
  ASSERT_TRUE(heap.stop(a));
  EXPECT_TRUE(heap.start(0, once(5, 4)));  // Room again.
  EXPECT_EQ(fire(heap, 30), (std::vector<std::uint64_t>{4, 2}));
}

TEST(core_timer_heap, StoppedAfterSnapshotDoesNotFire) {
  TimerHeap heap;
  heap.start(0, once(10, 1));
  const TimerHandle second = heap.start(0, once(10, 2));
  heap.start(0, once(10, 3));
  std::vector<DueTimer> due;
  heap.collect_due(10, due);
  ASSERT_EQ(due.size(), 3U);
  DueTimer fired;
  ASSERT_TRUE(heap.pop_due(due[0], 10, fired));
  heap.stop(second);  // As if the first callback stopped the second timer.
  EXPECT_FALSE(heap.pop_due(due[1], 10, fired));
  EXPECT_TRUE(heap.pop_due(due[2], 10, fired));
  EXPECT_EQ(fired.payload.data, 3U);
}

TEST(core_timer_heap, RestartedAfterSnapshotDoesNotFireInThatPass) {
  TimerHeap heap;
  const TimerHandle first = heap.start(0, once(10, 1));
  std::vector<DueTimer> due;
  heap.collect_due(10, due);
  heap.stop(first);
  const TimerHandle again = heap.start(10, once(0, 1));  // Due now, started meanwhile.
  DueTimer fired;
  EXPECT_FALSE(heap.pop_due(due[0], 10, fired));
  EXPECT_TRUE(heap.is_pending(again));
  EXPECT_EQ(fire(heap, 10), std::vector<std::uint64_t>{1});  // The next pass.
}

TEST(core_timer_heap, RepeatNFiresNPlusOneTimes) {
  TimerHeap heap;
  const TimerHandle handle = heap.start(0, repeating(10, 10, 2, 7));
  std::vector<std::int64_t> repeats_left;
  for (Millis now = 10; now <= 100; now += 10) {
    std::vector<DueTimer> due;
    heap.collect_due(now, due);
    DueTimer fired;
    for (const DueTimer& entry : due) {
      if (heap.pop_due(entry, now, fired)) repeats_left.push_back(fired.repeats_left);
    }
  }
  EXPECT_EQ(repeats_left, (std::vector<std::int64_t>{2, 1, 0}));
  EXPECT_FALSE(heap.is_pending(handle));
}

TEST(core_timer_heap, ForeverTimerReportsMinusOneAndKeepsItsHandle) {
  TimerHeap heap;
  const TimerHandle handle = heap.start(0, repeating(5, 5, -1));
  for (Millis now = 5; now <= 50; now += 5) {
    std::vector<DueTimer> due;
    heap.collect_due(now, due);
    ASSERT_EQ(due.size(), 1U);
    DueTimer fired;
    ASSERT_TRUE(heap.pop_due(due[0], now, fired));
    EXPECT_EQ(fired.repeats_left, -1);
    EXPECT_EQ(fired.handle, handle);
  }
  EXPECT_EQ(heap.deadline(handle), 55);
}

TEST(core_timer_heap, LoopTimerHasNoDriftAndNoCatchUpBurst) {
  TimerHeap heap;
  const TimerHandle handle = heap.start(0, repeating(100, 100, -1));
  // Fired 30 ms late: the next deadline stays on the 100 ms grid (no drift).
  EXPECT_EQ(fire(heap, 130).size(), 1U);
  EXPECT_EQ(heap.deadline(handle), 200);
  // Fired 450 ms late: one firing, then the next period from now (no burst).
  EXPECT_EQ(fire(heap, 650).size(), 1U);
  EXPECT_EQ(heap.deadline(handle), 750);
  EXPECT_TRUE(fire(heap, 650).empty());
}

TEST(core_timer_heap, RearmedForNowWaitsForTheNextSnapshot) {
  TimerHeap heap;
  heap.start(0, once(10, 1));
  std::vector<DueTimer> due;
  heap.collect_due(10, due);
  DueTimer fired;
  ASSERT_TRUE(heap.pop_due(due[0], 10, fired));
  heap.start(10, once(0, 2));  // A callback re-arms at 0 ms.
  EXPECT_EQ(due.size(), 1U);   // Not in this pass's snapshot.
  EXPECT_EQ(fire(heap, 10), std::vector<std::uint64_t>{2});
}

TEST(core_timer_heap, CollectDueAppendsOnlyDueTimersSorted) {
  TimerHeap heap;
  std::mt19937 random(42);
  for (std::uint64_t i = 0; i < 1000; ++i) {
    heap.start(0, once(static_cast<Millis>(random() % 1000), i));
  }
  std::vector<DueTimer> due{DueTimer{}};  // Existing content stays.
  heap.collect_due(250, due);
  ASSERT_GT(due.size(), 1U);
  EXPECT_EQ(due[0].handle, TimerHandle{});
  for (std::size_t i = 1; i < due.size(); ++i) {
    EXPECT_LE(due[i].deadline, 250);
    if (i == 1) continue;
    EXPECT_LE(due[i - 1].deadline, due[i].deadline);
    if (due[i - 1].deadline == due[i].deadline) {
      EXPECT_LT(due[i - 1].payload.data, due[i].payload.data);  // Start order.
    }
  }
  const auto due_count = static_cast<std::size_t>(std::count_if(
      due.begin() + 1, due.end(), [](const DueTimer& timer) { return timer.deadline <= 250; }));
  EXPECT_EQ(due_count, due.size() - 1);
}

// Random starts, stops and firings agree with a sorted reference list.
TEST(core_timer_heap, RandomOperationsMatchAReference) {
  TimerHeap heap;
  std::mt19937 random(7);
  std::vector<std::pair<std::pair<Millis, std::uint64_t>, TimerHandle>> reference;
  Millis now = 0;
  std::uint64_t started = 0;
  for (int step = 0; step < 5000; ++step) {
    const unsigned action = random() % 4;
    if (action <= 1) {
      const Millis delay = static_cast<Millis>(random() % 50);
      const TimerHandle handle = heap.start(now, once(delay, started));
      reference.push_back({{now + delay, started++}, handle});
    } else if (action == 2 && !reference.empty()) {
      const std::size_t victim = random() % reference.size();
      EXPECT_TRUE(heap.stop(reference[victim].second));
      reference.erase(reference.begin() + static_cast<std::ptrdiff_t>(victim));
    } else {
      now += static_cast<Millis>(random() % 10);
      std::sort(reference.begin(), reference.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
      std::vector<std::uint64_t> expected;
      while (!reference.empty() && reference.front().first.first <= now) {
        expected.push_back(reference.front().first.second);
        reference.erase(reference.begin());
      }
      EXPECT_EQ(fire(heap, now), expected);
    }
    ASSERT_EQ(heap.size(), reference.size());
  }
}

TEST(core_timer_heap, WorkCountSkipsTimersThatDoNotKeepTheLoopAlive) {
  TimerHeap heap;
  TimerSpec background = once(10);
  background.counts_as_work = false;
  const TimerHandle quiet = heap.start(0, background);
  EXPECT_EQ(heap.work_count(), 0U);
  const TimerHandle loud = heap.start(0, once(10));
  EXPECT_EQ(heap.work_count(), 1U);
  EXPECT_EQ(heap.size(), 2U);
  heap.stop(loud);
  heap.stop(quiet);
  EXPECT_EQ(heap.work_count(), 0U);
}

}  // namespace
}  // namespace luasys

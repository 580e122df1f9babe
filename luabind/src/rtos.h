#pragma once
// rtos timers and rtos.receive (spec §7): the timers live in a TimerHeap of their own,
// outside the loop's view, so they never keep sys.run alive; they reach Lua only
// through rtos.receive, which also takes bus messages while the loop is not running.
// They still count against the shared timer limit. One RtosPart per Scheduler; its
// state is private to rtos.cpp, and the scheduler reaches it through this interface.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <unordered_map>
#include <vector>

#include <lua.hpp>

#include "core/message.h"
#include "core/time.h"
#include "core/timer_heap.h"

namespace luasys::detail {

class Scheduler;

class RtosPart {
 public:
  explicit RtosPart(Scheduler& scheduler) : s_(scheduler), heap_(TimerHeapOptions{}) {}
  RtosPart(const RtosPart&) = delete;
  RtosPart& operator=(const RtosPart&) = delete;

  /// Pending rtos timers.
  [[nodiscard]] std::size_t pending() const { return heap_.size(); }
  /// rtos.timer_start after its checks: replaces the timer `id` by one of `ms` (>= 1)
  /// repeating `repeats` times (-1: forever). False, with the old timer stopped, at
  /// the timer limit. May raise "not enough memory" (charge_timer).
  bool start_timer(lua_State* L, std::int64_t id, Millis ms, std::int64_t repeats);
  void stop_timer(std::int64_t id);
  /// rtos.receive(timeout) while the loop is not running: pushes what arrives first (a
  /// fired timer or a bus message) and returns how many values, or pushes -1 after
  /// `timeout` ms (< 0: forever). Raises when waiting forever and nothing can arrive.
  int receive(lua_State* L, lua_Number timeout);

 private:
  struct Fired {
    std::int64_t id;
    std::int64_t repeats_left;
  };

  void fire_due(Millis now);
  [[nodiscard]] bool nothing_can_arrive();
  int take_arrival(lua_State* L);

  Scheduler& s_;
  TimerHeap heap_;
  std::unordered_map<std::int64_t, TimerHandle> timers_;  // id -> its timer
  std::deque<Fired> fired_;
  std::vector<DueTimer> due_scratch_;
  Message receive_message_;
};

}  // namespace luasys::detail

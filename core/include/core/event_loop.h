#pragma once
// The event loop. One pass reads as its phases (docs/design.md, "A pass"):
//   1. read the clock once;
//   2. drain queued internal messages;
//   3. fire the timers due at that instant (snapshot), draining after each;
//   4. take bus messages oldest first, publishing and draining after each;
//   5. resume the tasks that yielded for one pass before this pass began, then
//      end the pass (the handler's per-pass batch work);
//   6. start the next pass if a task is ready; else finish when nothing is left to
//      do; else idle until the earliest deadline or a bus post.
// What "deliver", "fire" and "resume" mean is the handler's business (luabind's sys).

#include <atomic>
#include <vector>

#include "core/bus.h"
#include "core/clock.h"
#include "core/loop_lag.h"
#include "core/timer_heap.h"

namespace luasys {

/// Implemented by the layer above (sys). Every call happens on the loop thread.
class LoopHandler {
 public:
  virtual ~LoopHandler() = default;
  /// Phase 2 (and after every timer, bus message and resume): deliver queued
  /// internal messages until the queue is empty.
  virtual void drain() = 0;
  /// Phase 3: one due timer fired (a repeating one is already re-armed).
  virtual void on_timer(const DueTimer& timer) = 0;
  /// Phase 4: one bus message, to be published as sys.publish(id, args...).
  virtual void on_bus_message(Message& message) = 0;
  /// Phase 5: resume the tasks that were ready when the pass began; drain after each.
  virtual void run_ready() = 0;
  /// True if a task waits for the next pass (sys.wait(ms < 1)).
  [[nodiscard]] virtual bool has_ready() const = 0;
  /// True if internal messages are queued.
  [[nodiscard]] virtual bool has_queued() const = 0;
  /// Called once per pass, after phase 4, if bus drops grew during the pass.
  virtual void on_bus_drops(std::uint64_t new_drops, std::uint64_t total) = 0;
  /// Called at the end of every pass, after phase 5: work the layer above batches per
  /// pass (the engine writes the pass's device changes in one transaction here).
  virtual void end_pass() {}
};

struct RunOptions {
  /// Stop after the pass at loop time `until` (timers due exactly then still fire);
  /// the virtual clock never jumps past it. kForever: no limit.
  Millis until = kForever;
};

/// Why run() returned.
enum class RunResult {
  Idle,       ///< Nothing left to do.
  TimeUp,     ///< RunOptions::until reached.
  Stopped,    ///< request_stop() was called.
};

class EventLoop {
 public:
  EventLoop(Clock& clock, Port& port, TimerHeap& timers, Bus& bus, LoopHandler& handler);

  /// Runs passes until one of RunResult's conditions holds.
  RunResult run(const RunOptions& options = {});
  /// Runs one pass; false (at once, doing nothing) if nothing is left to do.
  /// Does not idle: a pass with nothing due returns after its phases.
  bool run_pass();
  /// Thread-safe (and async-signal-safe in effect: an atomic store plus wake()):
  /// run() returns after the current pass. A request made while run() is not running
  /// makes the next run() return Stopped before its first pass.
  void request_stop() noexcept;
  /// True if something is left to do (pending timers that count as work, queued
  /// messages, ready tasks, bus messages or live producers).
  [[nodiscard]] bool has_work() const;
  [[nodiscard]] bool running() const { return running_; }

  [[nodiscard]] Clock& clock() { return clock_; }
  [[nodiscard]] TimerHeap& timers() { return timers_; }
  [[nodiscard]] Bus& bus() { return bus_; }
  /// The loop clock as read at the start of the current pass.
  [[nodiscard]] Millis pass_now() const { return pass_now_; }
  /// How late timers fired: the pass's clock reading minus each timer's deadline.
  [[nodiscard]] const LoopLag& lag() const { return lag_; }

 private:
  void fire_due_timers(Millis now);
  void take_bus_messages();
  void report_bus_drops();
  [[nodiscard]] bool has_immediate_work() const;
  void idle(const RunOptions& options);

  Clock& clock_;
  Port& port_;
  TimerHeap& timers_;
  Bus& bus_;
  LoopHandler& handler_;
  std::vector<DueTimer> due_;  // Reused snapshot storage: no allocation per pass.
  Message bus_message_;        // Reused storage for the message being delivered.
  Millis pass_now_ = 0;
  LoopLag lag_;
  std::uint64_t drops_seen_ = 0;
  bool running_ = false;
  std::atomic<bool> stop_requested_{false};
};

}  // namespace luasys

// The event loop: a pass is its phases, in the order written at the top of
// event_loop.h (spec luasys.md §1.1). Everything here runs on the loop thread except
// request_stop().

#include "core/event_loop.h"

#include <algorithm>

#include "core/port.h"

namespace luasys {
namespace {

// Sets a flag for the lifetime of a scope, so that running() is also reset when a
// handler throws out of run().
class RunningScope {
 public:
  explicit RunningScope(bool& flag) : flag_(flag) { flag_ = true; }
  ~RunningScope() { flag_ = false; }
  RunningScope(const RunningScope&) = delete;
  RunningScope& operator=(const RunningScope&) = delete;

 private:
  bool& flag_;
};

}  // namespace

EventLoop::EventLoop(Clock& clock, Port& port, TimerHeap& timers, Bus& bus,
                     LoopHandler& handler)
    : clock_(clock), port_(port), timers_(timers), bus_(bus), handler_(handler) {}

bool EventLoop::has_work() const {
  return timers_.work_count() > 0 || handler_.has_queued() || handler_.has_ready() ||
         !bus_.empty() || bus_.producer_count() > 0 || bus_.replies_expected() > 0;
}

void EventLoop::request_stop() noexcept {
  stop_requested_.store(true);
  port_.wake();
}

// ---- One pass ----

bool EventLoop::run_pass() {
  if (!has_work()) return false;
  pass_now_ = clock_.now();       // 1. One instant for the whole pass.
  handler_.drain();               // 2. Messages queued before the pass.
  fire_due_timers(pass_now_);     // 3. Timers due at that instant.
  take_bus_messages();            // 4. Posts from other threads and ISRs.
  report_bus_drops();
  handler_.run_ready();           // 5. Tasks that yielded for one pass,
  handler_.end_pass();            //    then the work batched per pass.
  return true;
}

// The snapshot is taken before any callback runs: a timer that a callback starts or
// re-arms for `now` waits for the next pass, and pop_due() skips one that a callback
// stopped.
void EventLoop::fire_due_timers(Millis now) {
  due_.clear();
  timers_.collect_due(now, due_);
  DueTimer fired;
  for (const DueTimer& due : due_) {
    if (!timers_.pop_due(due, now, fired)) continue;
    lag_.record(now - fired.deadline);
    handler_.on_timer(fired);
    handler_.drain();
  }
}

// Only the messages present when the phase starts are taken, so producers that post
// as fast as the loop consumes cannot keep it from its timers.
void EventLoop::take_bus_messages() {
  const std::size_t present = bus_.size();
  for (std::size_t i = 0; i < present && bus_.take(bus_message_); ++i) {
    handler_.on_bus_message(bus_message_);
    handler_.drain();
  }
}

void EventLoop::report_bus_drops() {
  const std::uint64_t total = bus_.dropped();
  if (total == drops_seen_) return;
  const std::uint64_t new_drops = total - drops_seen_;
  drops_seen_ = total;
  handler_.on_bus_drops(new_drops, total);
}

// ---- Running ----

// True if the next pass should start at once, without idling.
bool EventLoop::has_immediate_work() const {
  return handler_.has_ready() || handler_.has_queued() || !bus_.empty() ||
         timers_.next_deadline() <= clock_.now();
}

void EventLoop::idle(const RunOptions& options) {
  // An owed reply comes in real time: a virtual clock that jumped to the next deadline
  // now would let simulated time pass while, say, an HTTP request is still in flight.
  if (clock_.is_virtual() && bus_.replies_expected() > 0) {
    port_.wait_until(kForever);
    return;
  }
  clock_.idle_until(std::min(timers_.next_deadline(), options.until), port_);
}

RunResult EventLoop::run(const RunOptions& options) {
  RunningScope running(running_);
  for (;;) {
    if (stop_requested_.exchange(false)) return RunResult::Stopped;
    if (!run_pass()) return RunResult::Idle;
    if (stop_requested_.exchange(false)) return RunResult::Stopped;
    if (pass_now_ >= options.until) return RunResult::TimeUp;
    if (has_immediate_work()) continue;
    if (!has_work()) return RunResult::Idle;
    idle(options);
  }
}

}  // namespace luasys

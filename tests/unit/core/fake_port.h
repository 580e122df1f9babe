#pragma once
// A single-threaded Port for core tests: time is a number the test sets, waits
// return at once and are recorded, and a hook lets a test act "from another thread"
// while the loop waits without a deadline.

#include <functional>
#include <vector>

#include "core/port.h"

namespace luasys::testing {

class FakePort final : public Port {
 public:
  [[nodiscard]] Millis monotonic_ms() const override { return monotonic; }
  [[nodiscard]] std::int64_t wall_ms() const override { return 1'700'000'000'000 + monotonic; }

  // Records the wait; a deadline wait moves fake time there unless a wake is latched.
  void wait_until(Millis deadline) override {
    waits.push_back(deadline);
    if (woken) {
      woken = false;
      return;
    }
    if (deadline == kForever) {
      if (on_forever_wait) on_forever_wait();
      woken = false;
      return;
    }
    if (deadline > monotonic) monotonic = deadline;
  }
  void wake() noexcept override {
    woken = true;
    ++wakes;
  }
  void lock() noexcept override { ++locks; }
  void unlock() noexcept override { ++unlocks; }
  // Nobody else can free space: the whole timeout passes.
  bool wait_for_space(Millis timeout) override {
    space_waits.push_back(timeout);
    monotonic += timeout;
    return false;
  }
  void notify_space() noexcept override { ++space_notifications; }

  Millis monotonic = 1000;
  bool woken = false;
  int wakes = 0;
  int locks = 0;
  int unlocks = 0;
  int space_notifications = 0;
  std::vector<Millis> waits;
  std::vector<Millis> space_waits;
  std::function<void()> on_forever_wait;  // Stands in for another thread.
};

}  // namespace luasys::testing

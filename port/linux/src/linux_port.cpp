// The Linux port: clock_gettime clocks, one mutex and condition variable for the
// loop's wait, and one mutex and condition variable for the bus.
//
// wake() and notify_space() are called once per post and per take, so both skip the
// mutex and the notification when nobody waits: `waiting` and `space_waiters` say
// whether anyone does, and the sequentially consistent order of the atomics (see
// wait_until and wait_for_space) guarantees that no wake-up is lost.

#include "port/linux_port.h"

#include <time.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace luasys {
namespace {

Millis read_clock_ms(clockid_t clock) {
  timespec now{};
  clock_gettime(clock, &now);
  return Millis{now.tv_sec} * 1000 + Millis{now.tv_nsec} / 1'000'000;
}

// Longer waits are split, so that converting them to steady_clock time cannot
// overflow; callers re-check their condition after every wake-up anyway.
constexpr Millis kLongestWaitMs = 24 * 60 * 60 * 1000;

std::chrono::milliseconds clamped_wait(Millis ms) {
  return std::chrono::milliseconds(ms < kLongestWaitMs ? ms : kLongestWaitMs);
}

}  // namespace

struct LinuxPort::State {
  // The loop's wait. `woken` latches a wake() until the next wait consumes it.
  std::mutex wait_mutex;
  std::condition_variable wait_cv;
  std::atomic<bool> woken{false};
  std::atomic<bool> waiting{false};

  // The bus lock and its "space freed" condition.
  std::mutex bus_mutex;
  std::condition_variable space_cv;
  std::atomic<int> space_waiters{0};
};

LinuxPort::LinuxPort() : state_(std::make_unique<State>()) {}

LinuxPort::~LinuxPort() = default;

Millis LinuxPort::monotonic_ms() const { return read_clock_ms(CLOCK_MONOTONIC); }

std::int64_t LinuxPort::wall_ms() const { return read_clock_ms(CLOCK_REALTIME); }

// `waiting` is raised before `woken` is checked, and wake() sets `woken` before it
// reads `waiting`: either this wait sees the wake, or the waker sees the waiter and
// notifies under the mutex, which this thread holds until it sleeps.
void LinuxPort::wait_until(Millis deadline) {
  State& state = *state_;
  std::unique_lock lock(state.wait_mutex);
  state.waiting.store(true);
  while (!state.woken.exchange(false)) {
    if (deadline == kForever) {
      state.wait_cv.wait(lock);
      continue;
    }
    const Millis remaining = deadline - monotonic_ms();
    if (remaining <= 0) break;
    state.wait_cv.wait_for(lock, clamped_wait(remaining));
  }
  state.waiting.store(false);
}

void LinuxPort::wake() noexcept {
  State& state = *state_;
  state.woken.store(true);
  if (!state.waiting.load()) return;
  const std::lock_guard lock(state.wait_mutex);
  state.wait_cv.notify_one();
}

void LinuxPort::lock() noexcept { state_->bus_mutex.lock(); }

void LinuxPort::unlock() noexcept { state_->bus_mutex.unlock(); }

// The caller holds bus_mutex (through lock()); the unique_lock adopts it for the wait
// and gives it back without unlocking.
bool LinuxPort::wait_for_space(Millis timeout) {
  State& state = *state_;
  std::unique_lock lock(state.bus_mutex, std::adopt_lock);
  state.space_waiters.fetch_add(1);
  bool notified = true;
  if (timeout == kForever) {
    state.space_cv.wait(lock);
  } else {
    // A split wait that ends early is reported as a wake-up, not a timeout.
    notified = state.space_cv.wait_for(lock, clamped_wait(timeout)) ==
                   std::cv_status::no_timeout ||
               timeout > kLongestWaitMs;
  }
  state.space_waiters.fetch_sub(1);
  lock.release();
  return notified;
}

// Called without the lock. A producer counts itself in `space_waiters` under the bus
// mutex before it sleeps, and the take that freed a slot held the same mutex, so a
// producer that found the bus full is already counted (and asleep) here.
void LinuxPort::notify_space() noexcept {
  State& state = *state_;
  if (state.space_waiters.load() == 0) return;
  state.space_cv.notify_all();
}

}  // namespace luasys

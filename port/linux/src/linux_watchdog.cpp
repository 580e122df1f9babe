#include "port/linux_watchdog.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace luasys {

struct LinuxWatchdog::State {
  std::mutex mutex;
  std::condition_variable wake;
  bool quit = false;
  std::thread thread;
};

LinuxWatchdog::LinuxWatchdog(WatchdogClient& client, const Port& port, Millis period)
    : state_(std::make_unique<State>()) {
  State& state = *state_;
  const auto interval = std::chrono::milliseconds(period > 0 ? period : 1);
  state.thread = std::thread([&state, &client, &port, interval] {
    std::unique_lock<std::mutex> lock(state.mutex);
    while (!state.wake.wait_for(lock, interval, [&state] { return state.quit; })) {
      client.watchdog_tick(port.monotonic_ms());
    }
  });
}

LinuxWatchdog::~LinuxWatchdog() {
  {
    const std::lock_guard<std::mutex> lock(state_->mutex);
    state_->quit = true;
  }
  state_->wake.notify_one();
  state_->thread.join();
}

}  // namespace luasys

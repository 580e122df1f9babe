#pragma once
// SIGINT and SIGTERM for the command-line programs (luasys, eventrunner run). The signals are blocked in every thread and taken by
// one watcher thread with sigwait, so the "handler" is ordinary code: it asks the loop
// to stop after its current pass (hooks then run). A second signal ends the process at
// once, for scripts stuck in a busy loop.

#include <atomic>
#include <functional>
#include <thread>

namespace luasys::app {

/// Blocks SIGINT and SIGTERM in the calling thread and in threads it creates later.
/// Call first in main, before any thread starts.
void block_termination_signals();

class SignalWatcher {
 public:
  /// Starts the watcher thread; `on_signal` runs on it for the first signal.
  explicit SignalWatcher(std::function<void()> on_signal);
  ~SignalWatcher();
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

  /// The first signal received, or 0.
  [[nodiscard]] int received() const { return received_.load(); }

 private:
  void watch();

  std::function<void()> on_signal_;
  std::atomic<int> received_{0};
  std::thread thread_;
};

}  // namespace luasys::app

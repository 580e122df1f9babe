#pragma once
// SIGINT, SIGTERM and SIGHUP for the command-line programs (luasys, eventrunner run).
// The signals are blocked in every thread and taken by one watcher thread with sigwait, so
// the "handler" is ordinary code. stop_on_signal() makes it ask the loop to stop after
// its current pass (Runtime::interrupt_and_stop): Lua code still running after the
// grace period (a task in an endless loop) is interrupted by the watchdog, so the
// program stops within a second even then; the shutdown hooks then run. A second
// signal ends the process at once (a shutdown hook stuck in C code). SIGHUP asks a
// program that can reload for a reload (eventrunner run); elsewhere it stops, as
// SIGTERM does.

#include <atomic>
#include <functional>
#include <thread>

namespace luasys {
class Runtime;
}

namespace luasys::app {

/// Blocks SIGINT, SIGTERM and SIGHUP in the calling thread and in threads it creates later.
/// Call first in main, before any thread starts.
void block_termination_signals();

class SignalWatcher {
 public:
  /// Starts the watcher thread; `on_signal` runs on it for the first terminating
  /// signal, `on_hangup` (when given) for every SIGHUP.
  explicit SignalWatcher(std::function<void()> on_signal, std::function<void()> on_hangup = {});
  ~SignalWatcher();
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

  /// The first signal received, or 0.
  [[nodiscard]] int received() const { return received_.load(); }

 private:
  void watch();

  std::function<void()> on_signal_;
  std::function<void()> on_hangup_;
  std::atomic<int> received_{0};
  std::thread thread_;
};

/// A SignalWatcher that calls runtime.interrupt_and_stop() on SIGINT or SIGTERM.
/// Declare it after the runtime (it must stop first); exit with 128 + received().
SignalWatcher stop_on_signal(Runtime& runtime);

}  // namespace luasys::app

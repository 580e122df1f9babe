#include "signals.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include "luabind/runtime.h"

namespace luasys::app {

namespace {

// SIGUSR2 only tells the watcher to quit (sent by the destructor).
sigset_t watched_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  sigaddset(&set, SIGUSR2);
  return set;
}

}  // namespace

void block_termination_signals() {
  const sigset_t set = watched_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

SignalWatcher::SignalWatcher(std::function<void()> on_signal, std::function<void()> on_hangup)
    : on_signal_(std::move(on_signal)), on_hangup_(std::move(on_hangup)), thread_([this] { watch(); }) {}

SignalWatcher::~SignalWatcher() {
  pthread_kill(thread_.native_handle(), SIGUSR2);
  thread_.join();
}

void SignalWatcher::watch() {
  const sigset_t set = watched_signals();
  for (;;) {
    int signal_number = 0;
    if (sigwait(&set, &signal_number) != 0) continue;
    if (signal_number == SIGUSR2) return;
    if (signal_number == SIGHUP && on_hangup_) {
      on_hangup_();
      continue;
    }
    int expected = 0;
    if (received_.compare_exchange_strong(expected, signal_number)) {
      on_signal_();
    } else {
      _exit(128 + signal_number);  // Second signal: do not wait for the loop.
    }
  }
}

SignalWatcher stop_on_signal(Runtime& runtime) {
  return SignalWatcher([&runtime] { runtime.interrupt_and_stop(); });
}

}  // namespace luasys::app

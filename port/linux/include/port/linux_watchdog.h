#pragma once
// The Linux watchdog: a thread that calls WatchdogClient::watchdog_tick with the
// port's monotonic clock every `period` milliseconds, so that a Lua slice that never
// returns to the loop is interrupted (luasys::Runtime is a WatchdogClient). Declare it
// after the Runtime it watches, so that it stops first.

#include <memory>

#include "core/port.h"
#include "core/watchdog.h"

namespace luasys {

class LinuxWatchdog {
 public:
  /// Starts the thread. `period` bounds how late an overrun is noticed.
  LinuxWatchdog(WatchdogClient& client, const Port& port, Millis period = 50);
  /// Stops and joins the thread (returns within one check, not one period).
  ~LinuxWatchdog();
  LinuxWatchdog(const LinuxWatchdog&) = delete;
  LinuxWatchdog& operator=(const LinuxWatchdog&) = delete;

 private:
  struct State;  // Keeps <thread> and <condition_variable> out of this header.
  std::unique_ptr<State> state_;
};

}  // namespace luasys

#pragma once
// The watchdog seam. A port runs one watchdog (a thread on Linux, a task or timer on
// FreeRTOS) that calls WatchdogClient::watchdog_tick every few tens of milliseconds
// with the real monotonic time. The client (luasys::Runtime) decides from lock-free
// state whether the loop thread has been stuck in one piece of work for too long and,
// if so, interrupts it. Nothing here blocks, allocates or takes a lock.

#include "core/time.h"

namespace luasys {

class WatchdogClient {
 public:
  /// Called from the watchdog's thread, never concurrently with itself. `now` is the
  /// port's monotonic clock (never a virtual clock). Must not block.
  virtual void watchdog_tick(Millis now) noexcept = 0;

 protected:
  ~WatchdogClient() = default;
};

}  // namespace luasys

#pragma once
// The FreeRTOS watchdog (sketch; NOT COMPILED IN CI, see freertos_port.h): an
// esp_timer that calls WatchdogClient::watchdog_tick every `period` ms from the
// esp_timer task, with the port's monotonic clock. lua_sethook from that task is
// what lua.c does from a signal handler, and the Runtime's allocator protocol keeps
// the hooked state alive (luabind/src/slice_watch.h). Declare it after the Runtime.

#include "core/port.h"
#include "core/watchdog.h"
#include "esp_timer.h"

namespace luasys {

class FreeRtosWatchdog {
 public:
  FreeRtosWatchdog(WatchdogClient& client, const Port& port, Millis period = 50);
  ~FreeRtosWatchdog();
  FreeRtosWatchdog(const FreeRtosWatchdog&) = delete;
  FreeRtosWatchdog& operator=(const FreeRtosWatchdog&) = delete;

 private:
  static void on_timer(void* self);

  WatchdogClient& client_;
  const Port& port_;
  esp_timer_handle_t timer_ = nullptr;
};

}  // namespace luasys

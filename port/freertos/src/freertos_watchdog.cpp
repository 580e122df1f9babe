// NOT COMPILED IN CI (see freertos_port.h).
#include "port/freertos_watchdog.h"

#include "esp_err.h"

namespace luasys {

FreeRtosWatchdog::FreeRtosWatchdog(WatchdogClient& client, const Port& port, Millis period)
    : client_(client), port_(port) {
  esp_timer_create_args_t args = {};
  args.callback = &FreeRtosWatchdog::on_timer;
  args.arg = this;
  args.name = "luasys_watchdog";
  ESP_ERROR_CHECK(esp_timer_create(&args, &timer_));
  ESP_ERROR_CHECK(esp_timer_start_periodic(timer_, static_cast<uint64_t>(period) * 1000));
}

FreeRtosWatchdog::~FreeRtosWatchdog() {
  esp_timer_stop(timer_);  // Waits for a running callback to finish.
  esp_timer_delete(timer_);
}

void FreeRtosWatchdog::on_timer(void* self) {
  auto* watchdog = static_cast<FreeRtosWatchdog*>(self);
  watchdog->client_.watchdog_tick(watchdog->port_.monotonic_ms());
}

}  // namespace luasys

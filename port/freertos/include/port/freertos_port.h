#pragma once
// The FreeRTOS (ESP-IDF) port of core's Port seam.
//
// NOT COMPILED IN CI: ESP-IDF cannot be installed on the build machines. This port is
// built only by the ESP-IDF component in esp32/; keep it small and obvious.
//
//   clocks       the tick count (extended to 64 bits) times portTICK_PERIOD_MS, and
//                gettimeofday() for the wall clock;
//   loop wait    a direct-to-task notification: ulTaskNotifyTake() in wait_until(),
//                xTaskNotifyGive() / vTaskNotifyGiveFromISR() in wake(), so a wake
//                given before the wait is latched, not lost;
//   bus lock     an ESP-IDF spinlock critical section (portENTER_CRITICAL_SAFE), which
//                works from tasks and from ISRs;
//   bus space    a counting semaphore given once per blocked producer.

#include <cstdint>

#include "core/port.h"
#include "freertos/FreeRTOS.h"
#include "freertos/semphr.h"
#include "freertos/task.h"

namespace luasys {

class FreeRtosPort final : public Port {
 public:
  /// Construct on the loop task: wait_until() must run on the task that constructed
  /// the port (or the one given to set_loop_task()), because wakes notify that task.
  FreeRtosPort();
  ~FreeRtosPort() override;
  FreeRtosPort(const FreeRtosPort&) = delete;
  FreeRtosPort& operator=(const FreeRtosPort&) = delete;

  /// Moves the loop to another task (before the loop first waits).
  void set_loop_task(TaskHandle_t task) { loop_task_ = task; }

  /// Milliseconds from boot in tick steps (10 ms at 100 Hz). Must be read at least
  /// once per 2^32 ticks to extend the tick count; the loop reads it every pass.
  [[nodiscard]] Millis monotonic_ms() const override;
  [[nodiscard]] std::int64_t wall_ms() const override;
  void wait_until(Millis deadline) override;
  void wake() noexcept override;
  void wake_from_isr(bool* yield) noexcept override;
  void lock() noexcept override;
  void unlock() noexcept override;
  bool wait_for_space(Millis timeout) override;
  void notify_space() noexcept override;

 private:
  static constexpr UBaseType_t kMaxSpaceTokens = 32;

  mutable portMUX_TYPE clock_lock_ = portMUX_INITIALIZER_UNLOCKED;
  mutable TickType_t last_tick_ = 0;
  mutable std::uint64_t tick_wraps_ = 0;  // How often the 32-bit tick count wrapped.

  TaskHandle_t loop_task_ = nullptr;
  portMUX_TYPE bus_lock_ = portMUX_INITIALIZER_UNLOCKED;
  StaticSemaphore_t space_storage_{};
  SemaphoreHandle_t space_ = nullptr;
  int space_waiters_ = 0;  // Producers in wait_for_space(); guarded by bus_lock_.
};

}  // namespace luasys

// The FreeRTOS (ESP-IDF) port. NOT COMPILED IN CI: see the header.

#include "port/freertos_port.h"

#include <sys/time.h>

namespace luasys {
namespace {

// Ticks to wait for `ms`, rounded up so that a deadline is never reached early
// (timers fire at the first tick at or after their deadline, spec §1.2).
TickType_t ticks_for(Millis ms) {
  if (ms == kForever) return portMAX_DELAY;
  if (ms <= 0) return 0;
  const Millis ticks = (ms + portTICK_PERIOD_MS - 1) / portTICK_PERIOD_MS;
  const Millis longest = static_cast<Millis>(portMAX_DELAY) - 1;  // MAX_DELAY is "forever".
  return static_cast<TickType_t>(ticks < longest ? ticks : longest);
}

}  // namespace

FreeRtosPort::FreeRtosPort()
    : loop_task_(xTaskGetCurrentTaskHandle()),
      space_(xSemaphoreCreateCountingStatic(kMaxSpaceTokens, 0, &space_storage_)) {}

FreeRtosPort::~FreeRtosPort() { vSemaphoreDelete(space_); }

// ---- Clocks ----

// The 32-bit tick count wraps (after 497 days at 100 Hz); every wrap seen between two
// readings adds 2^32 ticks.
Millis FreeRtosPort::monotonic_ms() const {
  portENTER_CRITICAL_SAFE(&clock_lock_);
  const TickType_t tick = xTaskGetTickCount();
  if (tick < last_tick_) ++tick_wraps_;
  last_tick_ = tick;
  const std::uint64_t ticks = (tick_wraps_ << 32U) | tick;
  portEXIT_CRITICAL_SAFE(&clock_lock_);
  return static_cast<Millis>(ticks) * portTICK_PERIOD_MS;
}

std::int64_t FreeRtosPort::wall_ms() const {
  timeval now{};
  gettimeofday(&now, nullptr);
  return std::int64_t{now.tv_sec} * 1000 + now.tv_usec / 1000;
}

// ---- The loop's wait ----

void FreeRtosPort::wait_until(Millis deadline) {
  for (;;) {
    Millis remaining = kForever;
    if (deadline != kForever) {
      remaining = deadline - monotonic_ms();
      if (remaining <= 0) return;
    }
    // A notification given before this call is still pending: the take returns at once.
    if (ulTaskNotifyTake(pdTRUE, ticks_for(remaining)) > 0) return;
  }
}

void FreeRtosPort::wake() noexcept {
  if (xPortInIsrContext()) {
    bool yield = false;
    wake_from_isr(&yield);
    if (yield) portYIELD_FROM_ISR();
    return;
  }
  xTaskNotifyGive(loop_task_);
}

void FreeRtosPort::wake_from_isr(bool* yield) noexcept {
  BaseType_t higher_priority_woken = pdFALSE;
  vTaskNotifyGiveFromISR(loop_task_, &higher_priority_woken);
  if (yield != nullptr) *yield = higher_priority_woken == pdTRUE;
}

// ---- The bus lock ----

void FreeRtosPort::lock() noexcept { portENTER_CRITICAL_SAFE(&bus_lock_); }

void FreeRtosPort::unlock() noexcept { portEXIT_CRITICAL_SAFE(&bus_lock_); }

// Called inside the critical section, which must not be held while blocking: leave
// it, take a space token, re-enter. A token left over from a producer that timed out
// only causes a spurious wake-up; the bus re-checks and waits again.
bool FreeRtosPort::wait_for_space(Millis timeout) {
  ++space_waiters_;
  unlock();
  const bool got_token = xSemaphoreTake(space_, ticks_for(timeout)) == pdTRUE;
  lock();
  if (!got_token && space_waiters_ > 0) --space_waiters_;
  return got_token;
}

// Called outside the critical section, because FreeRTOS calls are not allowed inside
// one on ESP-IDF: count the waiters under the lock, give their tokens after it.
void FreeRtosPort::notify_space() noexcept {
  lock();
  const int waiters = space_waiters_;
  space_waiters_ = 0;
  unlock();
  for (int i = 0; i < waiters; ++i) xSemaphoreGive(space_);
}

}  // namespace luasys

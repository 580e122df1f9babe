#pragma once
// The port seam: the few OS services the portable core needs. port/linux and
// port/freertos implement it; core itself includes no OS or threading header.

#include <cstdint>

#include "core/time.h"

namespace luasys {

class Port {
 public:
  virtual ~Port() = default;

  // ---- Clocks ----
  /// Monotonic milliseconds from an arbitrary origin.
  [[nodiscard]] virtual Millis monotonic_ms() const = 0;
  /// Unix epoch milliseconds.
  [[nodiscard]] virtual std::int64_t wall_ms() const = 0;

  // ---- The loop thread's wait ----
  /// Blocks the loop thread until wake() is called or the monotonic clock reaches
  /// `deadline` (kForever: no deadline). A wake() that came before the call is not
  /// lost: the next wait returns at once.
  virtual void wait_until(Millis deadline) = 0;
  /// Wakes the loop thread. Safe from any thread (and, on FreeRTOS, from an ISR).
  virtual void wake() noexcept = 0;
  /// wake() for an interrupt handler: sets `*yield` when a higher-priority task was
  /// woken, so that the ISR can ask for a context switch on exit. Ports without
  /// interrupts keep this default, which wakes and never asks for a switch.
  virtual void wake_from_isr(bool* yield) noexcept {
    wake();
    if (yield != nullptr) *yield = false;
  }

  // ---- The bus's critical section ----
  /// Guards the bus ring. Any thread may take it.
  virtual void lock() noexcept = 0;
  virtual void unlock() noexcept = 0;
  /// Called with the lock held: releases it while blocking until notify_space()
  /// or `timeout` ms pass, then retakes it. Returns false on timeout.
  virtual bool wait_for_space(Millis timeout) = 0;
  /// Wakes every producer blocked in wait_for_space(). Called without the lock held
  /// (after each take() and on close()).
  virtual void notify_space() noexcept = 0;
};

}  // namespace luasys

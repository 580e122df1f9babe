#pragma once
// Time is injected: everything in the loop reads time through a Clock.

#include <cstdint>

#include "core/time.h"

namespace luasys {

class Port;

/// The loop clock. `now()` is monotonic milliseconds since the loop started;
/// `wall_ms()` is the Unix epoch in milliseconds that goes with it.
class Clock {
 public:
  virtual ~Clock() = default;
  [[nodiscard]] virtual Millis now() const = 0;
  [[nodiscard]] virtual std::int64_t wall_ms() const = 0;

  /// Called by the loop when nothing is ready before `deadline` (kForever: none).
  /// A real clock blocks in the port until `deadline` or a wake(); a virtual clock
  /// jumps to `deadline` at once, and only blocks in the port when there is no
  /// deadline (a live producer may still post). Returns early on a wake.
  virtual void idle_until(Millis deadline, Port& port) = 0;

  /// True for clocks that jump (tests, --virtual-time).
  [[nodiscard]] virtual bool is_virtual() const = 0;
};

/// A clock that moves only when told to, or when the idle loop jumps it to the next
/// deadline. Deterministic: a simulated week runs in milliseconds.
class VirtualClock final : public Clock {
 public:
  /// `start_wall_ms` is the wall time at loop time 0.
  explicit VirtualClock(std::int64_t start_wall_ms = 0) : start_wall_ms_(start_wall_ms) {}

  [[nodiscard]] Millis now() const override { return now_; }
  [[nodiscard]] std::int64_t wall_ms() const override { return start_wall_ms_ + now_; }
  void idle_until(Millis deadline, Port& port) override;
  [[nodiscard]] bool is_virtual() const override { return true; }

  /// Moves the clock forward to `t`; earlier values are ignored (time never goes back).
  void advance_to(Millis t);

 private:
  std::int64_t start_wall_ms_;
  Millis now_ = 0;
};

/// The real clock, read from the port's monotonic and wall clocks.
class RealClock final : public Clock {
 public:
  explicit RealClock(Port& port);
  [[nodiscard]] Millis now() const override;
  [[nodiscard]] std::int64_t wall_ms() const override;
  void idle_until(Millis deadline, Port& port) override;
  [[nodiscard]] bool is_virtual() const override { return false; }

 private:
  Port& port_;
  Millis origin_;  // The port's monotonic reading at loop time 0.
};

}  // namespace luasys

#pragma once
// Loop lag: how late timers fire. Each fired timer's lag (the pass's clock reading
// minus the timer's deadline) is kept in a small ring of the most recent samples, so
// the percentiles describe the loop as it is now, not averaged over months; a sum and
// a count cover the whole run (Prometheus' summary type). Recording is one store and
// two additions per timer; the percentiles are computed only when asked for (a metrics
// request), by sorting a copy of the ring.

#include <array>
#include <cstddef>
#include <cstdint>

#include "core/time.h"

namespace luasys {

/// What LoopLag::summary() reports, in loop milliseconds.
struct LagSummary {
  Millis p50 = 0;            ///< Median of the recent samples.
  Millis p99 = 0;            ///< 99th percentile of the recent samples.
  Millis max = 0;            ///< Largest of the recent samples.
  std::uint64_t count = 0;   ///< Timers fired since the loop was made.
  std::uint64_t sum_ms = 0;  ///< Their lags added up.
  std::size_t window = 0;    ///< How many recent samples the percentiles use.
};

class LoopLag {
 public:
  /// Recent samples kept: enough for a stable p99, small enough for an ESP32 (2 KB).
  static constexpr std::size_t kWindow = 512;

  /// One fired timer, `lag` ms after its deadline (negative values count as 0).
  void record(Millis lag) noexcept {
    const auto clamped = static_cast<std::uint32_t>(lag <= 0 ? 0 : (lag > kMaxSample ? kMaxSample : lag));
    ring_[static_cast<std::size_t>(count_ % kWindow)] = clamped;
    ++count_;
    sum_ms_ += clamped;
  }

  /// The percentiles of the recent samples (nearest rank) and the totals.
  [[nodiscard]] LagSummary summary() const;

 private:
  static constexpr Millis kMaxSample = 0x7fffffff;
  std::array<std::uint32_t, kWindow> ring_{};
  std::uint64_t count_ = 0;
  std::uint64_t sum_ms_ = 0;
};

}  // namespace luasys

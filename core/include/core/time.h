#pragma once
// Loop time: 64-bit integer milliseconds, saturating instead of overflowing.

#include <cstdint>
#include <limits>

namespace luasys {

/// Milliseconds on the loop clock (since the loop started) or a duration.
using Millis = std::int64_t;

/// "No deadline". Saturating arithmetic keeps every sum at or below it.
inline constexpr Millis kForever = std::numeric_limits<Millis>::max();

/// a + b, clamped to [0, kForever] for b >= 0 (deadlines never wrap).
constexpr Millis saturating_add(Millis a, Millis b) {
  return b > 0 && a > kForever - b ? kForever : a + b;
}

}  // namespace luasys

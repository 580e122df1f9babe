#pragma once
// The "no slot" value of the scheduler's record indices (tasks, sets, timers).

#include <cstdint>

namespace luasys::detail {

inline constexpr std::uint32_t kNone = 0xFFFFFFFFu;

}  // namespace luasys::detail

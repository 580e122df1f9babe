#pragma once
// Checks the local times of `run --start` and `eval --at`: "YYYY-MM-DD HH:MM[:SS]" (or
// with 'T' between date and time). A time that does not exist on the calendar
// (2025-02-31, month 13, 25:00) is an error, never silently moved to another day.

#include <optional>
#include <string>
#include <string_view>

namespace er::cli {

/// Nothing when `text` is a valid local date and time; otherwise what is wrong, e.g.
/// "2025-02-31 is not a date: February 2025 has 28 days".
std::optional<std::string> check_local_time(std::string_view text);

}  // namespace er::cli

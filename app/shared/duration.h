#pragma once
// Command-line values shared by the luasys and eventrunner programs.

#include <cstddef>
#include <optional>
#include <string_view>

#include "core/time.h"

namespace luasys::app {

/// "250ms", "10s", "5m", "2h", "1d" or a bare number of seconds, in milliseconds
/// (fractions round up).
std::optional<Millis> parse_duration(std::string_view text);

/// A size in bytes: "65536", "64k", "64kb", "16m", "16mb", "1g", "1gb" (binary units).
std::optional<std::size_t> parse_size(std::string_view text);

/// A finite decimal number >= 0 ("1.5"), as std::from_chars reads it.
std::optional<double> parse_non_negative(std::string_view text);

}  // namespace luasys::app

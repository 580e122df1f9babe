#pragma once
// The screen of `eventrunner top` (docs/metrics.md): the engine's figures and its
// busiest rules, from two answers of `GET /api/metrics`. A pure function of its
// inputs, so it is tested without an engine or a terminal.

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

namespace er::cli {

struct TopView {
  std::size_t limit = 20;  ///< Rules shown (0: all).
  /// The previous answer, for rates over the interval (events/s, rule time/s); null on
  /// the first screen, which shows the averages since the engine started instead.
  const nlohmann::json* previous = nullptr;
};

/// The screen for `metrics` (rules sorted by run time, the busiest first).
std::string format_top(const nlohmann::json& metrics, const TopView& view);

/// Seconds as a short duration: "850us", "12.3ms", "1.25s", "2h 5m".
std::string format_seconds(double seconds);

}  // namespace er::cli

// The screen of `eventrunner top`: durations, the engine's lines, rates between two
// snapshots, and the rules table.

#include "top_format.h"

#include <gtest/gtest.h>

namespace er::cli {
namespace {

using nlohmann::json;

json snapshot(double uptime, double events) {
  return json{{"home", "flat"},
              {"version", "1.0.0"},
              {"engine",
               {{"uptime_seconds", uptime}, {"events", events}, {"events_per_second", events / uptime},
                {"runs_in_flight", 2}, {"bus_depth", 0}, {"bus_slots", 256}, {"bus_dropped", 1},
                {"heap_bytes", 3 * 1024 * 1024}, {"heap_peak_bytes", 4 * 1024 * 1024}, {"rules", 2},
                {"rules_enabled", 2},
                {"loop_lag", {{"p50_seconds", 0.0}, {"p99_seconds", 0.004}}}}},
              {"rules", json::array({{{"name", "hall_night"}, {"runs", 12}, {"conditions", 12}, {"actions", 3},
                                      {"errors", 0}, {"run_seconds", 0.0123}, {"mean_seconds", 0.001025},
                                      {"max_seconds", 0.0002}, {"suspended_seconds", 600.0}, {"in_flight", 1}},
                                     {{"name", "porch"}, {"runs", 1}}})}};
}

TEST(top_format, SecondsAreShort) {
  EXPECT_EQ(format_seconds(0), "0");
  EXPECT_EQ(format_seconds(0.000850), "850us");
  EXPECT_EQ(format_seconds(0.0123), "12.3ms");
  EXPECT_EQ(format_seconds(1.25), "1.25s");
  EXPECT_EQ(format_seconds(600), "10m 0s");
  EXPECT_EQ(format_seconds(7500), "2h 5m");
}

TEST(top_format, FirstScreenShowsTheAverageRate) {
  const std::string text = format_top(snapshot(100, 250), TopView{});
  EXPECT_NE(text.find("flat (eventrunner 1.0.0), up 1m 40s\n"), std::string::npos) << text;
  EXPECT_NE(text.find("events 2.5/s avg (250 total)  runs in flight 2  loop lag p50 0 p99 4.0ms\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("bus 0/256 (1 dropped)  heap 3.0 MB (peak 4.0 MB)  rules 2/2 enabled\n"), std::string::npos)
      << text;
}

TEST(top_format, LaterScreensShowTheRateOverTheInterval) {
  const json before = snapshot(100, 250);
  const std::string text = format_top(snapshot(102, 270), TopView{20, &before});
  EXPECT_NE(text.find("events 10.0/s (270 total)"), std::string::npos) << text;
}

TEST(top_format, RulesTableInTheEnginesOrderUpToTheLimit) {
  const std::string text = format_top(snapshot(1, 1), TopView{1, nullptr});
  EXPECT_NE(text.find("RULE        RUNS  CONDITIONS  ACTIONS  ERRORS  TIME    MEAN   MAX    SUSPENDED  IN FLIGHT\n"
                      "hall_night  12    12          3        0       12.3ms  1.0ms  200us  10m 0s     1\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("porch"), std::string::npos);
}

TEST(top_format, MissingFieldsDoNotThrow) {
  EXPECT_NO_THROW(format_top(json::object(), TopView{}));
  EXPECT_NO_THROW(format_top(json{{"rules", 3}}, TopView{}));
}

}  // namespace
}  // namespace er::cli

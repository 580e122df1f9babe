// Debug and trace lines of `eventrunner run` (docs/operations.md#logging): a rule's run
// step by step and the state store's flushes at debug, each dispatched event and the
// terms a condition read at trace. At info none of them is written (nor formatted).

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "cli_fixture.h"

namespace er::cli {
namespace {

using testing::Invocation;
using testing::invoke;

class LogDetailTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/er-logdetail-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
    std::ofstream(dir_ + "/home.lua")
        << "return {name = 'levels', location = {tz = 'UTC0'},\n"
           "  devices = {{id = 1, name = 'hall_motion', type = 'binarySensor', props = {value = false}},\n"
           "             {id = 2, name = 'hall_lamp', type = 'binarySwitch', props = {value = false}}},\n"
           "  simulation = {{at = '06:00:20', id = 1, prop = 'value', value = true}}}\n";
    std::ofstream(dir_ + "/10-rules.er") << "::night:: hall_motion:breached & 22:00..05:00 => hall_lamp:on\n"
                                            "::lamp:: hall_motion:breached => hall_lamp:on\n";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  Invocation run_at(const std::string& level) const {
    return invoke(command_run, {dir_, "--virtual", "--start", "2025-05-17 06:00:00", "--for", "1m", "--state",
                                dir_ + "/state.db", "--log-level", level});
  }

  std::string dir_;
};

// The suite is named <part>_<module> (docs/testing.md).
using eventrunner_cli_log_detail = LogDetailTest;

TEST_F(eventrunner_cli_log_detail, debug_shows_runs_and_flushes) {
  const Invocation run = run_at("debug");
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.out.find("[lamp] triggered: "), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("[lamp] action started"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("[night] condition false"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("state store: "), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("dispatch "), std::string::npos) << run.out;
}

TEST_F(eventrunner_cli_log_detail, trace_shows_events_and_condition_terms) {
  const Invocation run = run_at("trace");
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.out.find("dispatch {"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("[night] false: `22:00..05:00` was false"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("[lamp] ran"), std::string::npos) << run.out;
}

TEST_F(eventrunner_cli_log_detail, info_hides_them) {
  const Invocation run = run_at("info");
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out.find("triggered"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("state store: "), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("dispatch "), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("hall_lamp"), std::string::npos) << run.out;  // The action's timeline line.
}

}  // namespace
}  // namespace er::cli

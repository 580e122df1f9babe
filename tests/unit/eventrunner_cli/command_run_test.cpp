// eventrunner run: the timeline of a home on the virtual clock, the summary, state
// files, signals and usage errors.

#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

#include <filesystem>

#include "cli_fixture.h"
#include "signals.h"

namespace er::cli {
namespace {

using testing::invoke;

std::string home(const std::string& name) { return testing::source_dir() + "/tests/rules/homes/" + name; }

TEST(eventrunner_cli_command_run, prints_the_timeline_of_a_simulated_day) {
  const auto result = invoke(command_run, {home("mini"), "--virtual", "--start", "2025-05-17 06:00", "--for", "1d"});
  EXPECT_EQ(result.status, kExitOk) << result.err;
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(result.out,
            "2025-05-17 06:00:00  [RULE1] defined: 2:breached & !Away => 1:on; wait(00:05); 1:off\n"
            "2025-05-17 06:00:00  [RULE2] defined: #device{id=\"remote\", property=\"centralSceneEvent\", "
            "value={keyId=1}} => Away = true\n"
            "2025-05-17 06:00:00  [RULE3] defined: @22:00 => log(\"away: %s\", Away)\n"
            "2025-05-17 06:00:00  [RULE4] defined: #startup => $Starts = ($Starts ?? 0) + 1; "
            "log(\"start %d\", $Starts)\n"
            "2025-05-17 06:00:00  home 'mini': 3 devices, 4 rules, virtual clock, state in memory\n"
            "2025-05-17 06:00:00  [RULE4] start 1\n"
            "2025-05-17 07:00:00  [simulation] 2 motion: value = true\n"
            "2025-05-17 07:00:00  [RULE1] 1 lamp: turnOn\n"
            "2025-05-17 07:00:30  [simulation] 2 motion: value = false\n"
            "2025-05-17 07:05:00  [RULE1] 1 lamp: turnOff\n"
            "2025-05-17 12:00:00  [simulation] \"remote\": centralSceneEvent = "
            "{keyAttribute = \"Pressed\", keyId = 1}\n"
            "2025-05-17 22:00:00  [RULE3] away: true\n"
            "2025-05-18 06:00:00  summary: 4 rules, 10 runs, 2 actions, 0 errors (from 2025-05-17 06:00:00)\n");
}

TEST(eventrunner_cli_command_run, the_simulation_repeats_daily_on_its_weekdays) {
  // Friday to Monday: the remote (key 1 on "sat,sun") reports on two days only.
  const auto result = invoke(command_run, {home("mini"), "--virtual", "--start", "2025-05-16 00:00", "--for", "4d"});
  EXPECT_EQ(result.status, kExitOk) << result.err;
  std::size_t motion = 0;
  std::size_t remote = 0;
  for (std::size_t at = 0; (at = result.out.find("[simulation] 2 motion: value = true", at)) != std::string::npos; ++at) ++motion;
  for (std::size_t at = 0; (at = result.out.find("[simulation] \"remote\"", at)) != std::string::npos; ++at) ++remote;
  EXPECT_EQ(motion, 4u);
  EXPECT_EQ(remote, 2u);
  EXPECT_NE(result.out.find("2025-05-17 12:00:00  [simulation] \"remote\""), std::string::npos);
  EXPECT_NE(result.out.find("2025-05-18 12:00:00  [simulation] \"remote\""), std::string::npos);
}

TEST(eventrunner_cli_command_run, a_home_with_errors_is_reported_and_not_started) {
  const auto result = invoke(command_run, {home("broken"), "--virtual", "--for", "1d"});
  EXPECT_EQ(result.status, kExitErrors);
  EXPECT_EQ(result.out.find("summary"), std::string::npos);
  EXPECT_NE(result.err.find(home("broken") + "/10-bad.er:2:8: error: Use '&' (or 'and') for AND, not '&&'\n"
                            "1:isOn && 1:isOff => log(\"never\")\n"
                            "       ^\n"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("eventrunner: " + home("broken") + ": 1 definition(s) failed; not started\n"),
            std::string::npos)
      << result.err;
}

TEST(eventrunner_cli_command_run, mistakes_in_home_lua_are_reported_by_field) {
  const std::string file = home("invalid") + "/home.lua";
  const auto result = invoke(command_run, {home("invalid"), "--virtual", "--for", "1d"});
  EXPECT_EQ(result.status, kExitErrors);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err,
            "eventrunner: " + file + ": name must be a string, got number\n" +
            file + ": location.latitude must be a number, got string\n" +
            file + ": simulation[1].at must be a time of day \"HH:MM\" or \"HH:MM:SS\", got 7:00\n" +
            file + ": simulation[2].at must be a time of day \"HH:MM\" or \"HH:MM:SS\", got 24:00\n");
}

TEST(eventrunner_cli_command_run, a_state_file_keeps_persistent_variables_across_runs) {
  const auto path = std::filesystem::temp_directory_path() / "eventrunner_cli_run_state.db";
  std::filesystem::remove(path);
  auto result = invoke(command_run, {home("mini"), "--virtual", "--for", "1s", "--state", path.string()});
  EXPECT_EQ(result.status, kExitOk) << result.err;
  EXPECT_NE(result.out.find("[RULE4] start 1\n"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find(", state " + path.string() + "\n"), std::string::npos) << result.out;
  result = invoke(command_run, {home("mini"), "--virtual", "--for", "1s", "--state", path.string()});
  EXPECT_NE(result.out.find("[RULE4] start 2\n"), std::string::npos) << result.out;
  result = invoke(command_run, {home("mini"), "--virtual", "--for", "1s", "--state", "none"});
  EXPECT_NE(result.out.find("[RULE4] start 1\n"), std::string::npos) << result.out;
  std::filesystem::remove(path);
}

TEST(eventrunner_cli_command_run, sigterm_ends_a_real_time_run_cleanly_with_the_summary) {
  // The signal is made pending before the run starts; the run's watcher thread takes
  // it with sigwait and stops the loop, as when it arrives later.
  luasys::app::block_termination_signals();
  ASSERT_EQ(kill(getpid(), SIGTERM), 0);
  const auto result = invoke(command_run, {home("mini"), "--state", "none"});
  EXPECT_EQ(result.status, kExitOk) << result.err;
  EXPECT_NE(result.out.find("home 'mini': 3 devices, 4 rules, real time, state in memory\n"), std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("  summary: 4 rules, "), std::string::npos) << result.out;
}

TEST(eventrunner_cli_command_run, usage_errors_exit_2) {
  auto result = invoke(command_run, {});
  EXPECT_EQ(result.status, kExitUsage);
  EXPECT_EQ(result.err, "eventrunner: run needs a HOME folder\n");
  result = invoke(command_run, {home("none")});
  EXPECT_EQ(result.status, kExitUsage);
  EXPECT_EQ(result.err, "eventrunner: '" + home("none") + "' is not a home folder (no home.lua)\n");
  result = invoke(command_run, {home("mini"), "--start", "2025-05-17 06:00"});
  EXPECT_EQ(result.status, kExitUsage);
  EXPECT_EQ(result.err, "eventrunner: --start needs --virtual\n");
  result = invoke(command_run, {home("mini"), "--virtual", "--for", "a while"});
  EXPECT_EQ(result.status, kExitUsage);
  EXPECT_EQ(result.err, "eventrunner: --for: invalid duration 'a while'\n");
  result = invoke(command_run, {home("mini"), "--virtual", "--start", "tomorrow", "--for", "1s"});
  EXPECT_EQ(result.status, kExitUsage);
  EXPECT_EQ(result.err, "eventrunner: --start: expected \"YYYY-MM-DD HH:MM[:SS]\", got 'tomorrow'\n");
  result = invoke(command_run, {home("mini"), "--virtual", "--start", "2025-02-31 06:00"});
  EXPECT_EQ(result.status, kExitUsage);
  EXPECT_EQ(result.err, "eventrunner: --start: 2025-02-31 is not a date: February 2025 has 28 days\n");
  result = invoke(command_run, {home("mini"), "--virtual", "--start", "2025-05-17 25:00"});
  EXPECT_EQ(result.status, kExitUsage);
  EXPECT_EQ(result.err, "eventrunner: --start: 25:00 is not a time of day: hours go from 00 to 23\n");
  result = invoke(command_run, {home("mini"), "--virtual", "--start", "2025-13-01 06:00"});
  EXPECT_EQ(result.status, kExitUsage);
  EXPECT_EQ(result.err, "eventrunner: --start: 2025-13-01 is not a date: months go from 01 to 12\n");
  result = invoke(command_run, {home("mini"), home("mini")});
  EXPECT_EQ(result.status, kExitUsage);
  EXPECT_EQ(result.err, "eventrunner: run takes one HOME folder\n");
}

}  // namespace
}  // namespace er::cli

// eventrunner eval: values in canonical form, the reference setting, errors in the
// spec §13 shape, suspended chunks, homes and state files.

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "adapters/state_file_lock.h"
#include "cli_fixture.h"

namespace er::cli {
namespace {

using testing::invoke;

std::string eval_out(std::initializer_list<std::string> args) {
  const auto result = invoke(command_eval, args);
  EXPECT_EQ(result.status, kExitOk) << result.err;
  return result.out;
}

TEST(eventrunner_cli_command_eval, spec_examples_evaluate_as_written_in_the_reference_setting) {
  EXPECT_EQ(eval_out({"return 2 * 3"}), "6\n");
  EXPECT_EQ(eval_out({"20 / 5"}), "4.0\n");
  EXPECT_EQ(eval_out({"55:name"}), "\"hall_lamp\"\n");
  EXPECT_EQ(eval_out({"now"}), "43200\n");
  EXPECT_EQ(eval_out({"ostime()"}), "1747216800\n");
  EXPECT_EQ(eval_out({"HM(sunset - 00:30)"}), "\"20:24\"\n");
  EXPECT_EQ(eval_out({"{55,56}:value"}), "{false, 40}\n");
  EXPECT_EQ(eval_out({"x = 5; x += 2; return x"}), "7\n");
}

TEST(eventrunner_cli_command_eval, prints_every_value_on_its_own_line) {
  EXPECT_EQ(eval_out({"return 1, 'a', nil, {b = true}"}), "1\n\"a\"\nnil\n{b = true}\n");
  EXPECT_EQ(eval_out({"local z = 1"}), "");
}

TEST(eventrunner_cli_command_eval, at_sets_the_local_time) {
  EXPECT_EQ(eval_out({"--at", "2025-12-24 18:00", "osdate('%Y-%m-%d %H:%M:%S')"}),
            "\"2025-12-24 18:00:00\"\n");
  EXPECT_EQ(eval_out({"--at=2025-05-14 08:00:30", "now"}), "28830\n");
}

TEST(eventrunner_cli_command_eval, a_rule_prints_its_name_and_logs_on_standard_error) {
  const auto result = invoke(command_eval, {"66:breached => 55:on"});
  EXPECT_EQ(result.status, kExitOk);
  EXPECT_EQ(result.out, "RULE1\n");
  EXPECT_EQ(result.err, "[RULE1] defined: 66:breached => 55:on\n");
}

TEST(eventrunner_cli_command_eval, compile_errors_use_the_spec_shape_and_exit_1) {
  const auto result = invoke(command_eval, {"@7:30 => 55:on"});
  EXPECT_EQ(result.status, kExitErrors);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err,
            "eval:1:2: error: Time literals must be in HH:MM or HH:MM:SS format: 7:30\n"
            "@7:30 => 55:on\n"
            " ^\n");
}

TEST(eventrunner_cli_command_eval, runtime_errors_use_the_spec_shape_and_exit_1) {
  const auto result = invoke(command_eval, {"return fopp()"});
  EXPECT_EQ(result.status, kExitErrors);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err,
            "[eval] eval:1:8: runtime error: Undefined variable: 'fopp'\n"
            "return fopp()\n"
            "       ^\n");
}

TEST(eventrunner_cli_command_eval, a_suspended_chunk_runs_on_the_virtual_clock_until_it_ends) {
  EXPECT_EQ(eval_out({"wait(00:05); return now, HM(ostime())"}), "43500\n\"12:05\"\n");
  const auto result = invoke(command_eval, {"wait(00:05); return nil + 1"});
  EXPECT_EQ(result.status, kExitErrors);
  EXPECT_NE(result.err.find("[eval] eval:1:"), std::string::npos) << result.err;
}

TEST(eventrunner_cli_command_eval, a_chunk_waiting_past_the_bound_fails) {
  const auto result = invoke(command_eval, {"--for", "1m", "wait(00:05); return 1"});
  EXPECT_EQ(result.status, kExitErrors);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err, "eventrunner: the chunk did not finish within the --for bound\n");
}

TEST(eventrunner_cli_command_eval, a_double_dash_ends_the_options) {
  EXPECT_EQ(eval_out({"--", "-1 - 1"}), "-2\n");
}

TEST(eventrunner_cli_command_eval, source_from_standard_input) {
  const auto result = invoke(command_eval, {"-"}, "return 1 +\n 2\n");
  EXPECT_EQ(result.status, kExitOk);
  EXPECT_EQ(result.out, "3\n");
}

TEST(eventrunner_cli_command_eval, a_home_replaces_the_reference_home) {
  const std::string home = testing::source_dir() + "/tests/rules/homes/mini";
  EXPECT_EQ(eval_out({"--home", home, "1:name"}), "\"lamp\"\n");
  EXPECT_EQ(eval_out({"--home", home, "return Away"}), "false\n");
  const auto result = invoke(command_eval, {"--home", home, "55:name"});
  EXPECT_EQ(result.status, kExitErrors);
  EXPECT_NE(result.err.find("No such device: 55"), std::string::npos) << result.err;
}

TEST(eventrunner_cli_command_eval, state_files_keep_persistent_variables_between_calls) {
  const auto path = std::filesystem::temp_directory_path() / "eventrunner_cli_eval_state.db";
  std::filesystem::remove(path);
  EXPECT_EQ(eval_out({"--state", path.string(), "$Count = ($Count ?? 0) + 1; return $Count"}), "1\n");
  EXPECT_EQ(eval_out({"--state", path.string(), "$Count = ($Count ?? 0) + 1; return $Count"}), "2\n");
  EXPECT_EQ(eval_out({"return $Count"}), "nil\n");  // Without --state: memory only.
  std::filesystem::remove(path);
}

TEST(eventrunner_cli_command_eval, a_state_file_in_use_is_refused) {
  const auto path = std::filesystem::temp_directory_path() / "eventrunner_cli_eval_locked.db";
  const StateLockResult held = StateFileLock::acquire(path.string(), "eventrunner run");
  ASSERT_NE(held.lock, nullptr) << held.error;
  const auto result = invoke(command_eval, {"--state", path.string(), "return 1"});
  EXPECT_EQ(result.status, kExitErrors);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err, "eventrunner: state file '" + path.string() +
                            "' is in use by eventrunner run (pid " + std::to_string(getpid()) +
                            "); eval cannot use the state of a running engine (there is no "
                            "control API yet)\n");
  EXPECT_FALSE(std::filesystem::exists(path));  // Refused before the file was opened.
}

TEST(eventrunner_cli_command_eval, at_must_be_a_real_date_and_time) {
  const std::pair<const char*, const char*> cases[] = {
      {"2025-02-31", "2025-02-31 is not a date: February 2025 has 28 days"},
      {"2025-02-29 12:00", "2025-02-29 is not a date: February 2025 has 28 days"},
      {"2025-04-31 12:00", "2025-04-31 is not a date: April 2025 has 30 days"},
      {"2025-13-01 12:00", "2025-13-01 is not a date: months go from 01 to 12"},
      {"2025-00-10 12:00", "2025-00-10 is not a date: months go from 01 to 12"},
      {"2025-05-00 12:00", "2025-05-00 is not a date: May 2025 has 31 days"},
      {"2025-05-14 25:00", "25:00 is not a time of day: hours go from 00 to 23"},
      {"2025-05-14 24:00", "24:00 is not a time of day: hours go from 00 to 23"},
      {"2025-05-14 12:60", "12:60 is not a time of day: minutes go from 00 to 59"},
      {"2025-05-14 12:00:61", "12:00:61 is not a time of day: seconds go from 00 to 59"},
      {"2025-05-14", "expected \"YYYY-MM-DD HH:MM[:SS]\", got '2025-05-14'"},
      {"2025-05-14 12:0", "expected \"YYYY-MM-DD HH:MM[:SS]\", got '2025-05-14 12:0'"},
      {"2025-05-14 12:00:", "expected \"YYYY-MM-DD HH:MM[:SS]\", got '2025-05-14 12:00:'"},
  };
  for (const auto& [at, message] : cases) {
    const auto result = invoke(command_eval, {"--at", at, "now"});
    EXPECT_EQ(result.status, kExitUsage) << at;
    EXPECT_EQ(result.err, "eventrunner: --at: " + std::string(message) + "\n");
  }
  EXPECT_EQ(eval_out({"--at", "2024-02-29 23:59:59", "osdate('%Y-%m-%d %H:%M:%S')"}),
            "\"2024-02-29 23:59:59\"\n");  // A leap day.
  EXPECT_EQ(eval_out({"--at", "2025-05-14T00:00", "now"}), "0\n");
}

TEST(eventrunner_cli_command_eval, usage_errors_exit_2) {
  auto result = invoke(command_eval, {});
  EXPECT_EQ(result.status, kExitUsage);
  EXPECT_EQ(result.err, "eventrunner: eval needs a SOURCE\n");
  result = invoke(command_eval, {"--at", "14.05.2025", "now"});
  EXPECT_EQ(result.status, kExitUsage);
  EXPECT_EQ(result.err, "eventrunner: --at: expected \"YYYY-MM-DD HH:MM[:SS]\", got '14.05.2025'\n");
  result = invoke(command_eval, {"now", "later"});
  EXPECT_EQ(result.status, kExitUsage);
  result = invoke(command_eval, {"--for", "soon", "now"});
  EXPECT_EQ(result.status, kExitUsage);
  EXPECT_EQ(result.err, "eventrunner: --for: invalid duration 'soon'\n");
}

}  // namespace
}  // namespace er::cli

// eventrunner test: PASS/FAIL lines, the count line and the exit status.

#include <gtest/gtest.h>

#include "cli_fixture.h"

namespace er::cli {
namespace {

using testing::invoke;

std::string fixture(const std::string& name) {
  return testing::source_dir() + "/tests/rules/cli/fixtures/" + name;
}

TEST(eventrunner_cli_command_test, failures_name_file_line_and_case_and_exit_1) {
  const std::string file = fixture("failing.lua");
  const auto result = invoke(command_test, {file});
  EXPECT_EQ(result.status, kExitErrors);
  EXPECT_EQ(result.out,
            "PASS passes\n"
            "FAIL " + file + ":6: expected 3, got 2 (fails on purpose)\n"
            "FAIL " + file + ":8: attempt to index a nil value (local 't') (errors on purpose)\n"
            "PASS runs after a failure\n"
            "2 passed, 2 failed\n");
  EXPECT_EQ(result.err, "");
}

TEST(eventrunner_cli_command_test, a_file_without_cases_is_one_test_named_after_it) {
  const std::string file = fixture("no_cases.lua");
  const auto result = invoke(command_test, {file});
  EXPECT_EQ(result.status, kExitOk);
  EXPECT_EQ(result.out, "PASS " + file + "\n1 passed, 0 failed\n");
}

TEST(eventrunner_cli_command_test, an_assertion_outside_cases_fails_the_file) {
  const std::string file = fixture("top_level_error.lua");
  const auto result = invoke(command_test, {file});
  EXPECT_EQ(result.status, kExitErrors);
  EXPECT_EQ(result.out, "PASS passes\nFAIL " + file + ":4: expected \"b\", got \"a\" (" + file +
                            ")\n1 passed, 1 failed\n");
}

TEST(eventrunner_cli_command_test, counts_add_up_over_files_each_in_a_fresh_engine) {
  // no_cases.lua defines RULE1 and checks its effect; run twice, the second copy would
  // see the first one's rule and device state if the engine were shared.
  const std::string file = fixture("no_cases.lua");
  const auto result = invoke(command_test, {file, fixture("failing.lua"), file});
  EXPECT_EQ(result.status, kExitErrors);
  EXPECT_NE(result.out.find("4 passed, 2 failed\n"), std::string::npos) << result.out;
}

TEST(eventrunner_cli_command_test, usage_errors_exit_2) {
  auto result = invoke(command_test, {});
  EXPECT_EQ(result.status, kExitUsage);
  EXPECT_EQ(result.err, "eventrunner: test needs at least one FILE\n");
  result = invoke(command_test, {"--bogus", fixture("no_cases.lua")});
  EXPECT_EQ(result.status, kExitUsage);
  EXPECT_EQ(result.err, "eventrunner: unknown option '--bogus'\n");
  result = invoke(command_test, {fixture("missing.lua"), fixture("no_cases.lua")});
  EXPECT_EQ(result.status, kExitUsage);
  EXPECT_EQ(result.err, "eventrunner: cannot open '" + fixture("missing.lua") + "'\n");
  EXPECT_NE(result.out.find("1 passed, 0 failed"), std::string::npos);
}

TEST(eventrunner_cli_command_test, verbose_forwards_engine_log_lines_to_standard_error) {
  const std::string file = fixture("no_cases.lua");
  auto result = invoke(command_test, {file});
  EXPECT_EQ(result.err, "");
  result = invoke(command_test, {"--verbose", file});
  EXPECT_EQ(result.err, "motion seen\n");
}

}  // namespace
}  // namespace er::cli

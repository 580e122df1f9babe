// The eventrunner command line as a whole: --version, --help, COMMAND --help and
// unknown commands (app/eventrunner/dispatch.cpp).

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "cli.h"

namespace er::cli {
namespace {

struct Result {
  int status = -1;
  std::string out;
  std::string err;
};

Result dispatch_args(std::vector<std::string_view> args) {
  std::istringstream in;
  std::ostringstream out;
  std::ostringstream err;
  Streams streams{in, out, err};
  Result result;
  result.status = dispatch(args, streams);
  result.out = out.str();
  result.err = err.str();
  return result;
}

TEST(eventrunner_cli_dispatch, version_prints_the_project_version) {
  const Result result = dispatch_args({"--version"});
  EXPECT_EQ(result.status, kExitOk);
  EXPECT_EQ(result.out, std::string("eventrunner ") + ER_PROJECT_VERSION + "\n");
  EXPECT_EQ(version(), ER_PROJECT_VERSION);
}

TEST(eventrunner_cli_dispatch, help_lists_every_command_on_standard_output) {
  for (const std::string_view flag : {"--help", "-h", "help"}) {
    const Result result = dispatch_args({flag});
    EXPECT_EQ(result.status, kExitOk);
    for (const Command& command : commands()) {
      EXPECT_NE(result.out.find("  " + std::string(command.name) + ' '), std::string::npos);
    }
    EXPECT_NE(result.out.find("eventrunner <command> --help"), std::string::npos);
    EXPECT_NE(result.out.find("eventrunner --version"), std::string::npos);
  }
}

TEST(eventrunner_cli_dispatch, command_help_prints_its_usage_and_options) {
  for (const Command& command : commands()) {
    const Result result = dispatch_args({command.name, "--help"});
    EXPECT_EQ(result.status, kExitOk) << command.name;
    EXPECT_EQ(result.err, "");
    EXPECT_TRUE(result.out.starts_with("usage: eventrunner " + std::string(command.name) + ' ' +
                                       std::string(command.usage) + "\n"))
        << result.out;
    EXPECT_NE(result.out.find(command.summary), std::string::npos);
    EXPECT_NE(result.out.find("options:\n"), std::string::npos);
    EXPECT_NE(result.out.find("  -h, --help"), std::string::npos);
  }
}

TEST(eventrunner_cli_dispatch, command_help_wins_over_other_arguments) {
  Result result = dispatch_args({"run", "--virtual", "-h"});
  EXPECT_EQ(result.status, kExitOk);
  EXPECT_NE(result.out.find("  --state FILE|none "), std::string::npos) << result.out;
  result = dispatch_args({"eval", "--help"});
  EXPECT_NE(result.out.find("  --at T "), std::string::npos) << result.out;
  result = dispatch_args({"check", "--help"});
  EXPECT_NE(result.out.find("  --trigger-var NAME "), std::string::npos) << result.out;
}

TEST(eventrunner_cli_dispatch, after_double_dash_help_is_an_operand) {
  const Result result = dispatch_args({"eval", "--", "-h"});
  EXPECT_EQ(result.status, kExitErrors);  // Evaluated: `return -h`, and h is undefined.
  EXPECT_NE(result.err.find("Undefined variable: 'h'"), std::string::npos) << result.err;
  EXPECT_EQ(result.out.find("usage:"), std::string::npos);
}

TEST(eventrunner_cli_dispatch, unknown_commands_and_no_command_are_usage_errors) {
  Result result = dispatch_args({"frobnicate"});
  EXPECT_EQ(result.status, kExitUsage);
  EXPECT_TRUE(result.err.starts_with("eventrunner: unknown command 'frobnicate'\n")) << result.err;
  result = dispatch_args({});
  EXPECT_EQ(result.status, kExitUsage);
  EXPECT_TRUE(result.err.starts_with("usage: eventrunner <command>")) << result.err;
}

}  // namespace
}  // namespace er::cli

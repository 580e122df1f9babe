// eventrunner console driven through a stream against a fake engine: evaluation,
// multi-line chunks, dot commands, .watch and the exit statuses.

#include <gtest/gtest.h>

#include "api_example_engine.h"
#include "cli_fixture.h"
#include "remote_commands.h"

namespace er::cli {
namespace {

using nlohmann::json;

class eventrunner_cli_command_console : public ::testing::Test {
 protected:
  testing::Invocation console(const std::string& input) {
    return testing::invoke(command_console, {"--connect", engine_.url(), "--token-file", token_.path()}, input);
  }

  // The sources the console sent to POST /api/eval, in order.
  std::vector<std::string> evaluated() {
    std::vector<std::string> sources;
    for (const testing::FakeRequest& request : engine_.requests()) {
      if (request.path == "/api/eval") sources.push_back(json::parse(request.body)["source"]);
    }
    return sources;
  }

  testing::FakeEngine engine_{testing::example_answer};
  testing::TokenFile token_;
};

TEST_F(eventrunner_cli_command_console, lines_are_evaluated_and_printed_as_eval_prints) {
  const auto result = console("hall_lamp:value\n");
  EXPECT_EQ(result.status, kExitOk) << result.err;
  EXPECT_EQ(result.out, "true\n\"on\"\n");  // No prompt and no banner without a terminal.
  EXPECT_EQ(evaluated(), std::vector<std::string>{"hall_lamp:value"});
  EXPECT_EQ(engine_.requests().front().path, "/api/health");
}

TEST_F(eventrunner_cli_command_console, blocks_and_rules_are_sent_whole) {
  console("if true then\n  x = 1\nend\nmotion:breached =>\n  lamp:on\n\nfunction f()\n");
  EXPECT_EQ(evaluated(), (std::vector<std::string>{"if true then\n  x = 1\nend", "motion:breached =>\n  lamp:on",
                                                   "function f()"}));
}

TEST_F(eventrunner_cli_command_console, a_rule_is_sent_before_a_command_that_follows_it) {
  const auto result = console("motion:breached => lamp:on\n.rules\n");
  EXPECT_EQ(evaluated(), std::vector<std::string>{"motion:breached => lamp:on"});
  EXPECT_EQ(engine_.requests().back().path, "/api/rules");
  EXPECT_NE(result.out.find("morning_lights  enabled"), std::string::npos) << result.out;
}

TEST_F(eventrunner_cli_command_console, errors_print_the_diagnostic_and_fail_the_piped_session) {
  const auto result = console("an error\n1\n");
  EXPECT_EQ(result.status, kExitErrors);
  EXPECT_EQ(result.err, "eval:1:1: error: boom\nan error\n^\n");
  EXPECT_EQ(result.out, "true\n\"on\"\n");
}

TEST_F(eventrunner_cli_command_console, dot_commands_are_the_ctl_verbs) {
  const auto result = console(".disable morning_lights\n.set hall_lamp label hello world\n.reload --dry-run\n");
  EXPECT_EQ(result.status, kExitOk) << result.err;
  EXPECT_EQ(result.out,
            "morning_lights: disabled\n"
            "dry run: no changes made; 3 unchanged, 1 changed, 1 added, 0 removed\n");
  const auto requests = engine_.requests();
  const auto report = std::find_if(requests.begin(), requests.end(),
                                   [](const testing::FakeRequest& r) { return r.path == "/api/devices/hall_lamp/report"; });
  ASSERT_NE(report, requests.end());
  EXPECT_EQ(json::parse(report->body), json::parse(R"({"property": "label", "value": "hello world"})"));
}

TEST_F(eventrunner_cli_command_console, post_sends_an_event_through_eval) {
  console(".post #doorbell{button = 1}\n");
  EXPECT_EQ(evaluated(), std::vector<std::string>{"post(#doorbell{button = 1})"});
}

TEST_F(eventrunner_cli_command_console, reload_fetches_the_names_again) {
  console(".reload\n");
  std::vector<std::string> paths;
  for (const testing::FakeRequest& request : engine_.requests()) paths.push_back(request.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"/api/health", "/api/names", "/api/reload", "/api/names"}));
}

TEST_F(eventrunner_cli_command_console, watch_shows_the_recent_matching_lines_and_ends_with_the_input) {
  const auto result = console(".watch hall_lamp\n");
  EXPECT_EQ(result.out, "2026-12-07 07:00:00  [morning_lights] 55 hall_lamp: turnOn\n");
}

TEST_F(eventrunner_cli_command_console, quit_ends_the_session_and_unknown_commands_are_reported) {
  const auto result = console(".frob\n.quit\n1\n");
  EXPECT_EQ(result.err, "eventrunner: unknown command '.frob' (try .help)\n");
  EXPECT_TRUE(evaluated().empty());
  EXPECT_NE(console(".help\n").out.find(".watch [TEXT]"), std::string::npos);
}

TEST(eventrunner_cli_command_console_reach, an_unreachable_engine_or_a_wrong_home_is_reported) {
  testing::TokenFile token;
  auto result = testing::invoke(command_console, {"--connect", "http://127.0.0.1:1", "--token-file", token.path()}, "1\n");
  EXPECT_EQ(result.status, kExitErrors);
  EXPECT_EQ(result.err, "eventrunner: cannot reach the engine at http://127.0.0.1:1: Connection refused\n");
  result = testing::invoke(command_console, {token.dir().string()});
  EXPECT_EQ(result.status, kExitUsage);
  EXPECT_EQ(result.err, "eventrunner: '" + token.dir().string() + "' is not a home folder (no home.lua)\n");
}

}  // namespace
}  // namespace er::cli

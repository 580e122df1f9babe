// eventrunner ctl against a fake engine that answers as docs/api.md's examples: what
// each verb sends and prints, --json, and the exit statuses.

#include <gtest/gtest.h>

#include "api_example_engine.h"
#include "cli_fixture.h"
#include "remote_commands.h"

namespace er::cli {
namespace {

using nlohmann::json;
using testing::invoke;

class eventrunner_cli_command_ctl : public ::testing::Test {
 protected:
  testing::Invocation ctl(std::initializer_list<std::string> verb_and_args, const std::string& input = {}) {
    std::vector<std::string> args = {"--connect", engine_.url(), "--token-file", token_.path()};
    args.insert(args.end(), verb_and_args);
    std::istringstream in(input);
    std::ostringstream out;
    std::ostringstream err;
    Streams streams{in, out, err};
    const std::vector<std::string_view> views(args.begin(), args.end());
    const int status = command_ctl(views, streams);
    return {status, out.str(), err.str()};
  }

  json last_body() { return json::parse(engine_.requests().back().body); }
  std::string last_request() {
    const testing::FakeRequest request = engine_.requests().back();
    return request.method + " " + request.path;
  }

  testing::FakeEngine engine_{testing::example_answer};
  testing::TokenFile token_;
};

TEST_F(eventrunner_cli_command_ctl, health_prints_the_home_and_its_counts) {
  const auto result = ctl({"health"});
  EXPECT_EQ(result.status, kExitOk) << result.err;
  EXPECT_EQ(result.out,
            "My flat: version 0.9.0, up 1h 0m 5s, clock 2026-12-07 07:00:05, generation 2\n"
            "30 devices, 58 rules (57 enabled, 1 disabled by errors), 4 globals, 1203 runs, 1 errors\n");
  EXPECT_EQ(engine_.requests().back().authorization, "Bearer secret");
}

TEST_F(eventrunner_cli_command_ctl, rules_and_devices_are_aligned_tables) {
  auto result = ctl({"rules"});
  EXPECT_EQ(result.status, kExitOk);
  EXPECT_EQ(result.out,
            "NAME            STATE    NEXT                 ERROR\n"
            "morning_lights  enabled  2026-12-08 07:00:00\n"
            "RULE3           error    -                    attempt to index a nil value\n");
  result = ctl({"devices"});
  EXPECT_EQ(result.out,
            "ID      NAME         TYPE          VALUE            AVAILABLE\n"
            "55      hall_lamp    binarySwitch  true             yes\n"
            "garage  garage_door  binarySensor  batteryLevel=80  no\n");
}

TEST_F(eventrunner_cli_command_ctl, one_rule_and_one_device_are_detail_blocks) {
  auto result = ctl({"rule", "morning_lights"});
  EXPECT_EQ(result.out,
            "name:      morning_lights\n"
            "identity:  morning_lights\n"
            "file:      20-lights.er:12\n"
            "state:     enabled\n"
            "next:      2026-12-08 07:00:00\n"
            "stats:     triggered 3, fired 2, errors 0, running 0\n"
            "source:\n::morning_lights:: @07:00 & !Away => hall_lamp:on\n");
  result = ctl({"device", "hall_lamp"});
  EXPECT_EQ(result.out,
            "id:         55\n"
            "name:       hall_lamp\n"
            "type:       binarySwitch\n"
            "available:  yes\n"
            "changed:    1796626805\n"
            "  power     4.5\n"
            "  value     true\n");
}

TEST_F(eventrunner_cli_command_ctl, rule_verbs_post_and_print_the_new_state) {
  auto result = ctl({"disable", "morning_lights"});
  EXPECT_EQ(result.out, "morning_lights: disabled\n");
  EXPECT_EQ(last_request(), "POST /api/rules/morning_lights/disable");
  EXPECT_EQ(ctl({"enable", "morning_lights"}).out, "morning_lights: enabled\n");
  EXPECT_EQ(ctl({"run", "morning_lights"}).out, "morning_lights: started\n");
  EXPECT_EQ(last_request(), "POST /api/rules/morning_lights/run");
}

TEST_F(eventrunner_cli_command_ctl, an_unknown_rule_is_an_error_with_the_engines_message) {
  const auto result = ctl({"rule", "no such"});
  EXPECT_EQ(result.status, kExitErrors);
  EXPECT_EQ(result.err, "eventrunner: no rule 'no%20such' (HTTP 404)\n");
  EXPECT_EQ(result.out, "");
}

TEST_F(eventrunner_cli_command_ctl, action_and_set_send_json_or_string_values) {
  auto result = ctl({"action", "living_dimmer", "setValue", "40", "fast"});
  EXPECT_EQ(result.status, kExitOk);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(last_request(), "POST /api/devices/living_dimmer");
  EXPECT_EQ(last_body(), json::parse(R"({"action": "setValue", "args": [40, "fast"]})"));
  result = ctl({"set", "hall_lamp", "value", "true"});
  EXPECT_EQ(last_request(), "POST /api/devices/hall_lamp/report");
  EXPECT_EQ(last_body(), json::parse(R"({"property": "value", "value": true})"));
}

TEST_F(eventrunner_cli_command_ctl, globals_are_listed_read_and_set) {
  EXPECT_EQ(ctl({"globals"}).out, "Guests = 2\nMode = \"away\"\n");
  EXPECT_EQ(ctl({"global", "Mode"}).out, "\"away\"\n");
  const auto result = ctl({"global", "Mode", "home"});
  EXPECT_EQ(result.status, kExitOk);
  EXPECT_EQ(last_request(), "PUT /api/globals/Mode");
  EXPECT_EQ(last_body(), json::parse(R"({"value": "home"})"));
}

TEST_F(eventrunner_cli_command_ctl, post_sends_the_event_object) {
  EXPECT_EQ(ctl({"post", R"({"type": "doorbell", "button": 1})"}).status, kExitOk);
  EXPECT_EQ(last_body(), json::parse(R"({"type": "doorbell", "button": 1})"));
  const auto result = ctl({"post", "doorbell"});
  EXPECT_EQ(result.status, kExitUsage);
  EXPECT_EQ(result.err, "eventrunner: post needs a JSON object with a \"type\", e.g. '{\"type\": \"doorbell\"}'\n");
}

TEST_F(eventrunner_cli_command_ctl, eval_prints_values_or_the_diagnostic) {
  auto result = ctl({"eval", "hall_lamp:value"});
  EXPECT_EQ(result.status, kExitOk);
  EXPECT_EQ(result.out, "true\n\"on\"\n");
  result = ctl({"eval", "-"}, "an error");
  EXPECT_EQ(result.status, kExitErrors);
  EXPECT_EQ(result.err, "eval:1:1: error: boom\nan error\n^\n");
  result = ctl({"eval", "wait(00:01)"});
  EXPECT_EQ(result.status, kExitOk);
  EXPECT_EQ(result.err, "eventrunner: the chunk waits; it finishes in the engine\n");
}

TEST_F(eventrunner_cli_command_ctl, check_sends_the_files_and_fails_on_errors) {
  const std::string file = (token_.dir() / "20-lights.er").string();
  std::ofstream(file) << "x > 5 => log(x)\n";
  auto result = ctl({"check", file});
  EXPECT_EQ(result.status, kExitErrors);
  EXPECT_EQ(result.out, "20-lights.er:3:1: error: Rule has no triggers: x > 5\nx > 5 => log(x)\n^\n");
  EXPECT_EQ(last_body()["files"][file], "x > 5 => log(x)\n");
  std::ofstream(file) << "@07:00 => log(1)\n";
  EXPECT_EQ(ctl({"check", file}).out, "no errors\n");
  result = ctl({"check", file + ".missing"});
  EXPECT_EQ(result.status, kExitUsage);
}

TEST_F(eventrunner_cli_command_ctl, reload_prints_the_summary_and_rollback_the_conflict) {
  auto result = ctl({"reload"});
  EXPECT_EQ(result.out, "generation 3: 3 unchanged, 1 changed, 1 added, 0 removed\n");
  EXPECT_EQ(last_body(), json::parse(R"({"dry_run": false})"));
  result = ctl({"reload", "--dry-run"});
  EXPECT_EQ(result.out, "dry run: no changes made; 3 unchanged, 1 changed, 1 added, 0 removed\n");
  result = ctl({"rollback"});
  EXPECT_EQ(result.status, kExitErrors);
  EXPECT_EQ(result.err, "eventrunner: nothing to roll back to (HTTP 409)\n");
}

TEST_F(eventrunner_cli_command_ctl, timeline_prints_the_lines_after_a_sequence_number) {
  auto result = ctl({"timeline"});
  EXPECT_EQ(result.out,
            "2026-12-07 06:59:00  [night] 20 living_dimmer: off\n"
            "2026-12-07 07:00:00  [morning_lights] 55 hall_lamp: turnOn\n");
  result = ctl({"timeline", "--since", "42"});
  EXPECT_EQ(last_request(), "GET /api/timeline?since=42");
  EXPECT_EQ(ctl({"timeline", "--since", "soon"}).status, kExitUsage);
}

TEST_F(eventrunner_cli_command_ctl, json_prints_the_raw_answer_even_on_errors) {
  auto result = ctl({"--json", "global", "Mode"});
  EXPECT_EQ(result.out, "{\"name\":\"Mode\",\"value\":\"away\"}\n");
  result = ctl({"rollback", "--json"});
  EXPECT_EQ(result.status, kExitErrors);
  EXPECT_EQ(result.out, "{\"error\":\"nothing to roll back to\"}\n");
  result = ctl({"--json", "eval", "error"});
  EXPECT_EQ(result.status, kExitErrors);
  EXPECT_EQ(json::parse(result.out)["ok"], false);
}

TEST_F(eventrunner_cli_command_ctl, usage_errors_exit_2_before_any_request) {
  auto result = ctl({});
  EXPECT_EQ(result.status, kExitUsage);
  EXPECT_TRUE(result.err.starts_with("eventrunner: ctl needs a VERB: health, rules,")) << result.err;
  result = ctl({"frobnicate"});
  EXPECT_EQ(result.err, "eventrunner: unknown ctl verb 'frobnicate' (eventrunner ctl help)\n");
  result = ctl({"set", "lamp", "value"});
  EXPECT_EQ(result.err, "eventrunner: set needs 3 arguments (set DEVICE PROP VALUE)\n");
  result = ctl({"rules", "extra"});
  EXPECT_EQ(result.err, "eventrunner: rules takes 0 arguments (rules)\n");
  result = ctl({"global", "a", "b", "c"});
  EXPECT_EQ(result.err, "eventrunner: global takes at most 2 arguments (global NAME [VALUE])\n");
  result = ctl({"rules", "--dry-run"});
  EXPECT_EQ(result.err, "eventrunner: --dry-run goes with reload only\n");
  result = ctl({"rules", "--bogus"});
  EXPECT_EQ(result.err, "eventrunner: unknown option '--bogus'\n");
  EXPECT_TRUE(engine_.requests().empty());
  EXPECT_EQ(ctl({"help"}).status, kExitOk);
}

TEST(eventrunner_cli_command_ctl_reach, an_unreachable_or_missing_engine_exits_1) {
  testing::TokenFile token;
  auto result = invoke(command_ctl, {"--connect", "http://127.0.0.1:1", "--token-file", token.path(), "health"});
  EXPECT_EQ(result.status, kExitErrors);
  EXPECT_EQ(result.err, "eventrunner: cannot reach the engine at http://127.0.0.1:1: Connection refused\n");
  const std::string state = (token.dir() / "home.db").string();
  result = invoke(command_ctl, {"--state", state, "health"});
  EXPECT_EQ(result.status, kExitErrors);
  EXPECT_EQ(result.err, "eventrunner: no engine is running for state file " + state + ": " + state +
                            ".url not found; start it with `eventrunner run . --state " + state + "`\n");
}

TEST(eventrunner_cli_command_ctl_reach, the_first_operand_is_home_when_it_is_a_home_folder) {
  testing::TokenFile token;
  const std::string home = testing::source_dir() + "/tests/rules/homes/mini";
  const auto result = invoke(command_ctl, {home, "--token-file", token.path(), "--state", token.path() + ".db", "health"});
  EXPECT_EQ(result.status, kExitErrors);
  EXPECT_NE(result.err.find("start it with `eventrunner run " + home + " --state"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace er::cli

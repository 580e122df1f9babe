// The console's dot commands and Tab completion, as pure functions.

#include <gtest/gtest.h>

#include "api_verbs.h"
#include "console_commands.h"

namespace er::cli {
namespace {

using Words = std::vector<std::string>;

TEST(eventrunner_cli_console_commands, a_dot_and_a_letter_start_a_command) {
  const auto command = parse_console_command("  .rule   morning_lights  ");
  ASSERT_TRUE(command);
  EXPECT_EQ(command->name, "rule");
  EXPECT_EQ(command->rest, "morning_lights");
  EXPECT_EQ(parse_console_command(".rules")->rest, "");
  EXPECT_FALSE(parse_console_command(".5 + 1"));
  EXPECT_FALSE(parse_console_command("x = 1"));
  EXPECT_FALSE(parse_console_command("."));
}

TEST(eventrunner_cli_console_commands, the_last_word_keeps_the_rest_of_the_line) {
  EXPECT_EQ(split_words("lamp label hello  world", 3), (Words{"lamp", "label", "hello  world"}));
  EXPECT_EQ(split_words("lamp value {\"a\": 1}", 3), (Words{"lamp", "value", "{\"a\": 1}"}));
  EXPECT_EQ(split_words(" a  b c ", kAnyCount), (Words{"a", "b", "c"}));
  EXPECT_EQ(split_words("", 2), Words{});
}

TEST(eventrunner_cli_console_commands, values_are_json_when_they_parse_else_strings) {
  EXPECT_EQ(parse_loose_value("true"), nlohmann::json(true));
  EXPECT_EQ(parse_loose_value("12"), nlohmann::json(12));
  EXPECT_EQ(parse_loose_value("1.5"), nlohmann::json(1.5));
  EXPECT_EQ(parse_loose_value("\"x\""), nlohmann::json("x"));
  EXPECT_EQ(parse_loose_value("{\"a\": [1, 2]}"), nlohmann::json::parse(R"({"a": [1, 2]})"));
  EXPECT_EQ(parse_loose_value("null"), nlohmann::json(nullptr));
  EXPECT_EQ(parse_loose_value("on"), nlohmann::json("on"));
  EXPECT_EQ(parse_loose_value("hello world"), nlohmann::json("hello world"));
  EXPECT_EQ(parse_loose_value("12abc"), nlohmann::json("12abc"));
}

CompletionNames names() {
  return completion_names_from(nlohmann::json::parse(R"({
    "devices": ["hall_lamp", "hall_motion", "garage"], "globals": ["Mode", "$Away"],
    "rules": ["morning_lights", "hall_night"], "builtins": ["log", "post", "hallo"]})"));
}

Words complete(std::string_view line) {
  const std::size_t start = completion_word_start(line, line.size());
  return complete_word(names(), line, start, line.size());
}

TEST(eventrunner_cli_console_commands, completion_offers_names_in_source) {
  EXPECT_EQ(complete("x = hal"), (Words{"hall_lamp", "hall_motion", "hall_night", "hallo"}));
  EXPECT_EQ(complete("lo"), Words{"log"});
  EXPECT_EQ(complete("if $M"), Words{"$Mode"});
  EXPECT_EQ(complete("$"), (Words{"$Away", "$Mode"}));
  EXPECT_EQ(complete("hall_lamp:va"), Words{});
}

TEST(eventrunner_cli_console_commands, completion_knows_what_a_command_takes) {
  EXPECT_EQ(complete(".ru"), (Words{".rule", ".rules", ".run"}));
  EXPECT_EQ(complete(".w"), (Words{".watch", ".why"}));  // .why: the verb of docs/traces.md
  EXPECT_EQ(complete(".enable h"), Words{"hall_night"});
  EXPECT_EQ(complete(".rule "), (Words{"hall_night", "morning_lights"}));
  EXPECT_EQ(complete(".set g"), Words{"garage"});
  EXPECT_EQ(complete(".set garage v"), Words{});
  EXPECT_EQ(complete(".post hal"), (Words{"hall_lamp", "hall_motion", "hall_night", "hallo"}));
}

TEST(eventrunner_cli_console_commands, log_level_completes_rule_names) {
  EXPECT_EQ(parse_console_command(".log-level hall_night debug")->name, "log-level");
  EXPECT_EQ(complete(".log-level h"), Words{"hall_night"});
}

TEST(eventrunner_cli_console_commands, the_completed_word_starts_after_the_last_separator) {
  EXPECT_EQ(completion_word_start("x = hall", 8), 4U);
  EXPECT_EQ(completion_word_start("hall_lamp:va", 12), 10U);
  EXPECT_EQ(completion_word_start("$Mo", 3), 0U);
  EXPECT_EQ(completion_word_start("f(a, b", 6), 5U);
  EXPECT_EQ(completion_word_start("", 0), 0U);
}

TEST(eventrunner_cli_console_commands, missing_name_lists_are_empty) {
  const CompletionNames none = completion_names_from(nlohmann::json::parse(R"({"devices": [1, "x"]})"));
  EXPECT_EQ(none.devices, Words{"x"});
  EXPECT_TRUE(none.rules.empty());
  EXPECT_TRUE(completion_names_from(nlohmann::json()).devices.empty());
}

}  // namespace
}  // namespace er::cli

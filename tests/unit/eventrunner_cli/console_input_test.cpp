// The console's multi-line input: which chunks are whole, which wait for more lines,
// and how rules continue on indented lines.

#include <gtest/gtest.h>

#include "console_input.h"

namespace er::cli {
namespace {

TEST(eventrunner_cli_console_input, whole_statements_and_expressions_are_complete) {
  EXPECT_EQ(classify_chunk("x = 1"), ChunkState::complete);
  EXPECT_EQ(classify_chunk("hall_lamp:value"), ChunkState::complete);
  EXPECT_EQ(classify_chunk("1 + 2"), ChunkState::complete);
  EXPECT_EQ(classify_chunk("if x then y = 1 end"), ChunkState::complete);
  EXPECT_EQ(classify_chunk("-- only a comment"), ChunkState::complete);
}

TEST(eventrunner_cli_console_input, unfinished_blocks_and_brackets_stay_open) {
  EXPECT_EQ(classify_chunk("if x then"), ChunkState::open);
  EXPECT_EQ(classify_chunk("function f()"), ChunkState::open);
  EXPECT_EQ(classify_chunk("for i = 1, 3 do"), ChunkState::open);
  EXPECT_EQ(classify_chunk("while true do x = 1"), ChunkState::open);
  EXPECT_EQ(classify_chunk("f("), ChunkState::open);
  EXPECT_EQ(classify_chunk("x = {"), ChunkState::open);
  EXPECT_EQ(classify_chunk("x = 1 +"), ChunkState::open);
  EXPECT_EQ(classify_chunk("if x then\n  y = 1"), ChunkState::open);
}

TEST(eventrunner_cli_console_input, open_strings_and_long_comments_stay_open) {
  EXPECT_EQ(classify_chunk("x = [[abc"), ChunkState::open);
  EXPECT_EQ(classify_chunk("--[[ a comment"), ChunkState::open);
  EXPECT_EQ(classify_chunk("x = \"abc\\"), ChunkState::open);
  // Short strings span lines (as in ER7): the next line may close the quote.
  EXPECT_EQ(classify_chunk("x = \"abc"), ChunkState::open);
  EXPECT_EQ(classify_chunk("x = 'abc\ndef'"), ChunkState::complete);
}

TEST(eventrunner_cli_console_input, errors_that_more_lines_cannot_fix_are_complete) {
  EXPECT_EQ(classify_chunk("x = )"), ChunkState::complete);
  EXPECT_EQ(classify_chunk("end"), ChunkState::complete);
}

TEST(eventrunner_cli_console_input, rules_are_complete_rules_and_an_arrow_at_the_end_waits_for_the_action) {
  EXPECT_EQ(classify_chunk("motion:breached => lamp:on"), ChunkState::complete_rule);
  EXPECT_EQ(classify_chunk("motion:breached =>"), ChunkState::open);
  EXPECT_EQ(classify_chunk("motion:breached =>\n  lamp:on"), ChunkState::complete_rule);
  EXPECT_EQ(classify_chunk("motion:breached => if x then"), ChunkState::open);
  EXPECT_EQ(classify_chunk("rule(\"a:breached => b:on\")"), ChunkState::complete);  // The arrow is in a string.
}

TEST(eventrunner_cli_console_input, a_line_completes_at_once) {
  ChunkAssembler input;
  EXPECT_EQ(input.add_line("x = 1"), std::vector<std::string>{"x = 1"});
  EXPECT_FALSE(input.pending());
  EXPECT_TRUE(input.add_line("   ").empty());
  EXPECT_FALSE(input.pending());
}

TEST(eventrunner_cli_console_input, a_block_gathers_lines_until_its_end) {
  ChunkAssembler input;
  EXPECT_TRUE(input.add_line("if true then").empty());
  EXPECT_TRUE(input.pending());
  EXPECT_TRUE(input.add_line("  x = 1").empty());
  EXPECT_EQ(input.add_line("end"), std::vector<std::string>{"if true then\n  x = 1\nend"});
  EXPECT_FALSE(input.pending());
}

TEST(eventrunner_cli_console_input, a_rule_continues_on_indented_lines_and_a_blank_line_ends_it) {
  ChunkAssembler input;
  EXPECT_TRUE(input.add_line("motion:breached =>").empty());
  EXPECT_TRUE(input.add_line("  lamp:on;").empty());
  EXPECT_TRUE(input.add_line("  wait(00:05); lamp:off").empty());
  EXPECT_EQ(input.add_line(""), std::vector<std::string>{"motion:breached =>\n  lamp:on;\n  wait(00:05); lamp:off"});
  EXPECT_FALSE(input.pending());
}

TEST(eventrunner_cli_console_input, a_line_in_column_one_ends_a_rule_and_counts_alone) {
  ChunkAssembler input;
  EXPECT_TRUE(input.add_line("motion:breached => lamp:on").empty());
  EXPECT_EQ(input.add_line("x = 1"), (std::vector<std::string>{"motion:breached => lamp:on", "x = 1"}));
  EXPECT_TRUE(input.add_line("motion:breached => lamp:on").empty());
  EXPECT_EQ(input.take_rule_before(".rules"), std::optional<std::string>("motion:breached => lamp:on"));
  EXPECT_FALSE(input.pending());
}

TEST(eventrunner_cli_console_input, two_blank_lines_end_any_chunk) {
  ChunkAssembler input;
  EXPECT_TRUE(input.add_line("x = (").empty());
  EXPECT_TRUE(input.add_line("").empty());
  EXPECT_EQ(input.add_line(""), std::vector<std::string>{"x = ("});
  EXPECT_FALSE(input.pending());
}

TEST(eventrunner_cli_console_input, the_end_of_input_hands_back_what_is_pending) {
  ChunkAssembler input;
  EXPECT_EQ(input.finish(), std::nullopt);
  EXPECT_TRUE(input.add_line("function f()").empty());
  EXPECT_EQ(input.finish(), std::optional<std::string>("function f()"));
  EXPECT_FALSE(input.pending());
}

}  // namespace
}  // namespace er::cli

// Rule names and the normalized source hash (docs/eventscript.md#rule-names-and-identity):
// a `::name::` label in front of a rule, on its line or alone on the lines above; the
// errors of labels that name no rule, reserved and repeated names; and a hash of the
// rule's tokens that comments and layout do not change.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lang/compiler.h"

namespace er::lang {
namespace {

using Lines = std::vector<std::string>;

CompileResult compile_file(std::string_view source) {
  CompileOptions options;
  options.kind = SourceKind::rules_file;
  options.file = "20-lights.er";
  return compile(source, options);
}

// "line:col: message" of every diagnostic of a rules file.
Lines errors_of(std::string_view source) {
  const CompileResult result = compile_file(source);
  Lines out;
  for (const common::Diagnostic& d : result.diagnostics.items()) {
    out.push_back(std::to_string(d.position.line) + ":" + std::to_string(d.position.column) + ": " +
                  d.message);
  }
  return out;
}

TEST(lang_rule_names, a_label_on_the_rules_line_names_it) {
  const CompileResult result = compile_file("::morning_lights:: @07:00 => log(1)\n#b => log(2)\n");
  ASSERT_TRUE(result.ok()) << format_diagnostics(result, "", "f");
  ASSERT_EQ(result.items.size(), 2U);
  EXPECT_EQ(result.items[0].name, "morning_lights");
  EXPECT_EQ(result.items[0].name_position.line, 1U);
  EXPECT_EQ(result.items[0].name_position.column, 3U);
  EXPECT_EQ(result.items[0].source_text, "::morning_lights:: @07:00 => log(1)");
  EXPECT_EQ(result.items[1].name, "");
}

TEST(lang_rule_names, a_label_alone_above_the_rule_names_it_across_comments_and_blank_lines) {
  const CompileResult result = compile_file(
      "x = 1\n"
      "::hall::\n"
      "-- the hall light\n"
      "\n"
      "#go =>\n"
      "  log(x)\n");
  ASSERT_TRUE(result.ok()) << format_diagnostics(result, "", "f");
  ASSERT_EQ(result.items.size(), 2U);
  EXPECT_EQ(result.items[0].kind, ItemKind::script);
  EXPECT_EQ(result.items[1].kind, ItemKind::rule);
  EXPECT_EQ(result.items[1].name, "hall");
  EXPECT_EQ(result.items[1].location.begin.line, 2U);
}

TEST(lang_rule_names, the_hash_ignores_comments_and_layout_but_not_tokens) {
  const auto hash_of = [](std::string_view source) {
    const CompileResult result = compile_file(source);
    EXPECT_TRUE(result.ok()) << format_diagnostics(result, source, "f");
    return result.items.empty() ? 0 : result.items[0].source_hash;
  };
  const std::uint64_t plain = hash_of("#go => log(1); wait(2)\n");
  EXPECT_EQ(hash_of("#go   =>  log( 1 );\n  -- two\n  wait(2) -- end\n"), plain);
  EXPECT_EQ(hash_of("::named:: #go => log(1); wait(2)\n"), plain);
  EXPECT_NE(hash_of("#go => log(1); wait(3)\n"), plain);
  EXPECT_NE(hash_of("#go => log('1'); wait(2)\n"), plain);
  EXPECT_NE(plain, 0U);
}

TEST(lang_rule_names, definitions_hash_and_name_like_rules_files) {
  const CompileResult named = compile("::r:: #go => log(1)");
  ASSERT_TRUE(named.ok());
  EXPECT_EQ(named.items[0].name, "r");
  const CompileResult file = compile_file("#go => log(1)\n");
  EXPECT_EQ(named.items[0].source_hash, file.items[0].source_hash);
}

TEST(lang_rule_names, a_label_alone_in_a_definition_is_still_no_lua_label) {
  const CompileResult result = compile("::top::");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.diagnostics.items()[0].message, "goto and labels are not supported");
}

TEST(lang_rule_names, a_label_in_front_of_a_script_is_an_error) {
  EXPECT_EQ(errors_of("::setup:: x = 1\n#go => log(x)\n"),
            Lines{"1:3: rule name '::setup::' is given to a script; only rules have names"});
  EXPECT_EQ(errors_of("#go => log(1)\n::last::\n"),
            Lines{"2:3: rule name '::last::' is not followed by a rule"});
}

TEST(lang_rule_names, a_name_used_twice_in_a_file_is_an_error_at_the_second) {
  EXPECT_EQ(errors_of("::hall:: #a => log(1)\n::hall::\n#b => log(2)\n"),
            Lines{"2:3: rule name 'hall' is used twice in this file (first at line 1)"});
}

TEST(lang_rule_names, rule_numbers_are_reserved) {
  EXPECT_EQ(errors_of("::RULE3:: #a => log(1)\n"),
            Lines{"1:3: rule name 'RULE3' is reserved: RULE<n> are the names of unnamed rules"});
  EXPECT_TRUE(compile_file("::RULES:: #a => log(1)\n").ok());
}

TEST(lang_rule_names, the_error_shows_the_line_and_a_caret) {
  const std::string source = "::a:: #x => log(1)\n::a:: #y => log(2)\n";
  EXPECT_EQ(format_diagnostics(compile_file(source), source, "20-lights.er"),
            "20-lights.er:2:3: error: rule name 'a' is used twice in this file (first at line 1)\n"
            "::a:: #y => log(2)\n"
            "  ^\n");
}

TEST(lang_rule_names, a_label_inside_code_stays_an_error) {
  EXPECT_EQ(errors_of("#go =>\n  ::inner:: log(1)\n"),
            Lines{"2:3: goto and labels are not supported"});
}

TEST(lang_rule_names, the_rendered_item_shows_the_name) {
  const CompileResult result = compile_file("::hall:: #go => log(1)\n");
  ASSERT_TRUE(result.ok());
  const std::string rendered = render_item(result.items[0], 1);
  EXPECT_EQ(rendered.substr(0, rendered.find('\n', rendered.find('\n') + 1) + 1),
            "-- item 1: rule at line 1\n-- name hall\n");
}

TEST(lang_rule_names, hash_text_is_sixteen_hex_digits) {
  EXPECT_EQ(hash_text(0x0123456789abcdefULL), "0123456789abcdef");
  EXPECT_EQ(hash_text(0), "0000000000000000");
}

}  // namespace
}  // namespace er::lang

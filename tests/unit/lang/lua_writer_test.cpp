#include "lang/lua_writer.h"

#include <gtest/gtest.h>

#include <limits>

namespace er::lang {
namespace {

TEST(lang_lua_writer, spaces_binary_operators_and_keeps_calls_tight) {
  LuaWriter w;
  w.keyword("local");
  w.identifier("x");
  w.binary("=");
  w.identifier("f");
  w.symbol("(");
  w.identifier("a");
  w.symbol(",");
  w.identifier("t");
  w.symbol(".");
  w.identifier("b");
  w.symbol("[");
  w.integer(1);
  w.symbol("]");
  w.symbol(")");
  w.binary("+");
  w.prefix("-");
  w.identifier("y");
  w.newline();
  EXPECT_EQ(w.text(), "local x = f(a, t.b[1]) + -y\n");
}

TEST(lang_lua_writer, never_glues_two_minus_signs_into_a_comment) {
  LuaWriter w;
  w.prefix("-");
  w.prefix("-");
  w.identifier("x");
  EXPECT_EQ(w.text(), "- -x");
}

TEST(lang_lua_writer, writes_anonymous_functions_and_keywords) {
  LuaWriter w;
  w.keyword("return");
  w.keyword("function");
  w.symbol("(");
  w.identifier("x");
  w.symbol(",");
  w.symbol("...");
  w.symbol(")");
  w.keyword("return");
  w.prefix("not");
  w.identifier("x");
  w.keyword("end");
  w.symbol(")");
  EXPECT_EQ(w.text(), "return function(x, ...) return not x end)");
}

TEST(lang_lua_writer, indents_and_counts_lines) {
  LuaWriter w;
  w.keyword("do");
  w.newline();
  w.indent();
  w.mark(MarkKind::call, {3, 7});
  w.identifier("f");
  w.symbol("(");
  w.symbol(")");
  w.newline();
  w.newline();  // An empty line is never produced.
  w.dedent();
  w.keyword("end");
  w.newline();
  EXPECT_EQ(w.text(), "do\n  f()\nend\n");
  EXPECT_EQ(w.line(), 4U);
  ASSERT_EQ(w.line_map().size(), 1U);
  EXPECT_EQ(w.line_map()[0], (LineMark{2, MarkKind::call, {3, 7}}));
}

TEST(lang_lua_writer, escapes_every_special_byte_in_strings) {
  LuaWriter w;
  w.string_literal(std::string_view("a\"b\\c\n\t\r\0" "1\x7f\xc3\xa9", 13));
  EXPECT_EQ(w.text(), R"("a\"b\\c\n\t\r\0001\127)" "\xc3\xa9\"");
}

TEST(lang_lua_writer, keeps_integers_and_floats_apart) {
  LuaWriter w;
  w.integer(42);
  w.symbol(",");
  w.number(1000.0);
  w.symbol(",");
  w.number(0.5);
  w.symbol(",");
  w.number(1e300);
  w.symbol(",");
  w.number(-2.5);
  w.symbol(",");
  w.integer(-3);
  EXPECT_EQ(w.text(), "42, 1000.0, 0.5, 1e+300, (-2.5), (-3)");
}

TEST(lang_lua_writer, writes_special_floats_and_min_integer_as_expressions) {
  LuaWriter w;
  w.number(std::numeric_limits<double>::infinity());
  w.symbol(",");
  w.number(-std::numeric_limits<double>::infinity());
  w.symbol(",");
  w.integer(std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(w.text(), "(1 / 0), (-1 / 0), (-9223372036854775807 - 1)");
}

TEST(lang_lua_writer, never_opens_a_long_string_by_accident) {
  LuaWriter w;
  w.identifier("t");
  w.symbol("[");
  w.symbol("[");
  EXPECT_EQ(w.text(), "t[ [");
}

TEST(lang_lua_writer, writes_runtime_calls_as_units) {
  LuaWriter w;
  w.member_call_open("__R", "prop");
  w.name_argument("__env");
  w.integer(55);
  w.symbol(',');
  w.string_literal("on");
  w.integer_argument(3);
  w.symbol(')');
  EXPECT_EQ(w.text(), "__R.prop(__env, 55, \"on\", 3)");
}

TEST(lang_lua_writer, buffer_is_reused_after_take_text) {
  LuaWriter w(4);
  w.identifier("a_long_identifier");
  EXPECT_EQ(w.take_text(), "a_long_identifier");
  w.identifier("b");
  EXPECT_EQ(w.take_text(), "b");
  EXPECT_EQ(w.line(), 1U);
}

TEST(lang_lua_writer, comments_stay_on_one_line) {
  LuaWriter w;
  w.comment("a\nb");
  EXPECT_EQ(w.text(), "-- a b\n");
}

TEST(lang_lua_writer, puts_two_operations_of_one_kind_on_separate_lines) {
  LuaWriter w;
  w.keyword("return");
  w.identifier("a");
  w.mark(MarkKind::arithmetic, {1, 3});
  w.binary("+");
  w.identifier("b");
  w.mark(MarkKind::arithmetic, {1, 7});
  w.binary("*");
  w.identifier("c");
  w.mark(MarkKind::comparison, {1, 9});
  w.binary("<");
  w.integer(1);
  w.newline();
  w.identifier("x");
  EXPECT_EQ(w.text(), "return a + b\n  * c < 1\nx");
  ASSERT_EQ(w.line_map().size(), 3U);
  EXPECT_EQ(w.line_map()[1], (LineMark{2, MarkKind::arithmetic, {1, 7}}));
  EXPECT_EQ(w.line_map()[2], (LineMark{2, MarkKind::comparison, {1, 9}}));
}

}  // namespace
}  // namespace er::lang

// Diagnostic blocks never echo hostile source text: control characters become U+FFFD
// (one column, so the caret stays aligned) and long lines become a window around the
// error column. Also the input size cap.

#include "lang/diagnostics.h"

#include <gtest/gtest.h>

#include <string>

#include "lang/compiler.h"

namespace er::lang {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";

std::string compile_errors(std::string_view source, const CompileOptions& options = {}) {
  const CompileResult result = compile(source, options);
  return format_diagnostics(result, source, options.file);
}

TEST(lang_diagnostics, plain_lines_are_shown_as_they_are) {
  const Excerpt e = make_excerpt("\tx = \xC3\xA9 + y", 7);
  EXPECT_EQ(e.line, "\tx = \xC3\xA9 + y");
  EXPECT_EQ(e.caret, "\t     ^");
}

TEST(lang_diagnostics, control_characters_are_replaced_one_column_each) {
  const std::string line = std::string("a\0b\x1B[2Jc\x7F", 9) + "d";
  const Excerpt e = make_excerpt(line, 10);
  EXPECT_EQ(e.line, "a" + kFffd + "b" + kFffd + "[2Jc" + kFffd + "d");
  EXPECT_EQ(e.caret, "         ^");
}

TEST(lang_diagnostics, c1_controls_bidi_overrides_and_bad_utf8_are_replaced) {
  EXPECT_EQ(make_excerpt("x\xC2\x9B" "1m", 1).line, "x" + kFffd + "1m");            // U+009B CSI
  EXPECT_EQ(make_excerpt("x\xE2\x80\xAEy", 1).line, "x" + kFffd + "y");             // U+202E
  EXPECT_EQ(make_excerpt("x\xFFy", 1).line, "x" + kFffd + "y");                     // not UTF-8
  EXPECT_EQ(make_excerpt("x\xC0\xAFy", 1).line, "x" + kFffd + "y");                 // overlong
  const Excerpt e = make_excerpt("\xE2\x80\xAE" "ab", 3);
  EXPECT_EQ(e.caret, "  ^");
}

TEST(lang_diagnostics, a_compile_error_on_a_line_with_a_nul_shows_it_replaced) {
  const std::string source = std::string("x = \"a\0b\" &&& y", 15);
  EXPECT_EQ(compile_errors(source),
            "eval:1:11: error: Use '&' (or 'and') for AND, not '&&'\n"
            "x = \"a" + kFffd + "b\" &&& y\n"
            "          ^\n");
}

TEST(lang_diagnostics, messages_quoting_source_are_made_safe) {
  const std::string source = std::string("x = 1 \x01", 7);
  const std::string text = compile_errors(source);
  EXPECT_EQ(text.find('\x01'), std::string::npos) << text;
  EXPECT_NE(text.find("Unexpected character '" + kFffd + "'"), std::string::npos) << text;
}

TEST(lang_diagnostics, a_long_line_is_shown_as_a_window_around_the_column) {
  const std::string line = std::string(5000, 'a') + "!" + std::string(5000, 'b');
  const Excerpt e = make_excerpt(line, 5001);
  EXPECT_EQ(e.line, "..." + std::string(60, 'a') + "!" + std::string(59, 'b') + "...");
  EXPECT_EQ(e.caret, std::string(3 + 60, ' ') + "^");
}

TEST(lang_diagnostics, the_window_sticks_to_the_ends_of_a_long_line) {
  const std::string line = std::string(1000, 'x');
  const Excerpt start = make_excerpt(line, 2);
  EXPECT_EQ(start.line, std::string(kMaxExcerptColumns, 'x') + "...");
  EXPECT_EQ(start.caret, " ^");
  const Excerpt end = make_excerpt(line, 1001);  // Past the end ("got <eof>").
  EXPECT_EQ(end.line, "..." + std::string(kMaxExcerptColumns, 'x'));
  EXPECT_EQ(end.caret, std::string(3 + kMaxExcerptColumns, ' ') + "^");
}

TEST(lang_diagnostics, a_ten_megabyte_line_gives_a_short_block) {
  std::string source = "x = " + std::string(10U << 20U, '1') + " &&& y";
  CompileOptions options;
  options.max_source_bytes = source.size();
  const std::string text = compile_errors(source, options);
  EXPECT_LT(text.size(), 400U);
  EXPECT_NE(text.find("error: Use '&' (or 'and') for AND, not '&&'\n..."), std::string::npos) << text;
  // The caret is under the first '&' of the window.
  const std::size_t line_start = text.find('\n') + 1;
  const std::size_t caret_start = text.find('\n', line_start) + 1;
  const std::size_t caret = text.find('^', caret_start) - caret_start;
  EXPECT_EQ(text[line_start + caret], '&');
}

TEST(lang_diagnostics, long_messages_are_cut) {
  const std::string text = safe_text(std::string(1000, 'm'));
  EXPECT_EQ(text, std::string(kMaxMessageBytes, 'm') + "...");
}

TEST(lang_diagnostics, sources_over_the_limit_get_one_diagnostic_at_1_1) {
  CompileOptions options;
  options.max_source_bytes = 1000;
  const std::string source(1001, ' ');
  const CompileResult result = compile(source, options);
  ASSERT_EQ(result.diagnostics.items().size(), 1U);
  EXPECT_EQ(result.diagnostics.items()[0].position, (common::Position{1, 1}));
  EXPECT_EQ(result.diagnostics.items()[0].message,
            "input is 1001 bytes; the limit is 1000 bytes (split the rules into several files)");
  EXPECT_TRUE(result.items.empty());
  options.max_source_bytes = 1001;
  EXPECT_TRUE(compile(source, options).ok());
}

TEST(lang_diagnostics, the_default_limit_is_8_mib) {
  EXPECT_EQ(CompileOptions{}.max_source_bytes, kMaxSourceBytes);
  EXPECT_EQ(kMaxSourceBytes, 8U * 1024U * 1024U);
  EXPECT_EQ(source_too_large_message(12897485, kMaxSourceBytes),
            "input is 12.3 MiB; the limit is 8 MiB (split the rules into several files)");
  const std::string source(kMaxSourceBytes + 1, ' ');
  const CompileResult result = compile(source);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.diagnostics.items()[0].message,
            "input is 8388609 bytes; the limit is 8388608 bytes (split the rules into several files)");
}

}  // namespace
}  // namespace er::lang

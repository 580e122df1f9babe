#include "common/diagnostic.h"

#include <gtest/gtest.h>

namespace common {
namespace {

TEST(common_diagnostic, formats_file_line_column_source_and_caret) {
  const std::string source = "x = 1\n66:breached && 55:isOff => 55:on\n";
  const Diagnostic d{Severity::Error, {2, 13}, "Use '&' (or 'and') for AND, not '&&'"};
  EXPECT_EQ(format_diagnostic("eval", source, d),
            "eval:2:13: error: Use '&' (or 'and') for AND, not '&&'\n"
            "66:breached && 55:isOff => 55:on\n"
            "            ^\n");
}

TEST(common_diagnostic, caret_copies_tabs_and_counts_utf8_characters) {
  EXPECT_EQ(caret_line("\tx = \xC3\xA9 + y", 7), "\t     ^");
  EXPECT_EQ(caret_line("ab", 5), "    ^");
}

TEST(common_diagnostic, source_line_handles_crlf_and_past_end) {
  EXPECT_EQ(source_line("a\r\nbc\r\n", 2), "bc");
  EXPECT_EQ(source_line("a", 3), "");
}

TEST(common_diagnostic, list_drops_repeats_at_one_position_and_caps) {
  DiagnosticList list(DiagnosticOptions{.max_errors = 2});
  list.error({1, 1}, "first");
  list.error({1, 1}, "second at same place");
  list.error({1, 2}, "b");
  list.error({1, 3}, "c");
  ASSERT_EQ(list.items().size(), 2U);
  EXPECT_EQ(list.items()[0].message, "first");
  EXPECT_EQ(list.error_count(), 3U);
  EXPECT_TRUE(list.truncated());
}

}  // namespace
}  // namespace common

// Lexer tests: every lexical rule and example of spec §1.

#include "lang/lexer.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace er::lang {
namespace {

std::vector<Token> lex_all(std::string_view source) {
  Lexer lexer(source);
  std::vector<Token> tokens;
  for (;;) {
    Token token = lexer.next();
    if (token.kind == TokenKind::Eof) break;
    tokens.push_back(token);
    if (token.kind == TokenKind::Error) break;  // The parser stops at the first one.
  }
  return tokens;
}

std::vector<TokenKind> kinds(std::string_view source) {
  std::vector<TokenKind> result;
  for (const Token& token : lex_all(source)) result.push_back(token.kind);
  return result;
}

std::vector<std::string> texts(std::string_view source) {
  std::vector<std::string> result;
  for (const Token& token : lex_all(source)) result.emplace_back(token.text);
  return result;
}

// The single token of `source`, which must lex to exactly one.
Token only(std::string_view source) {
  const std::vector<Token> tokens = lex_all(source);
  EXPECT_EQ(tokens.size(), 1U) << source;
  return tokens.empty() ? Token{} : tokens[0];
}

// The error message and column of the first Error token of `source`.
std::string first_error(std::string_view source) {
  for (const Token& token : lex_all(source)) {
    if (token.kind == TokenKind::Error) {
      return std::to_string(token.begin.line) + ":" + std::to_string(token.begin.column) + ": " +
             lexical_error_message(token);
    }
  }
  return "no error";
}

std::string decoded(std::string_view literal) {
  std::string out;
  decode_string(literal, out);
  return out;
}

using K = TokenKind;

// --- 1.1 Source, lines, columns, comments --------------------------------------------

TEST(lang_lexer, columns_count_characters_and_tabs_count_one) {
  const std::vector<Token> tokens = lex_all("\txé = 1\n  ü2 = 2");
  ASSERT_EQ(tokens.size(), 6U);
  EXPECT_EQ(tokens[0].begin.column, 2U);
  EXPECT_EQ(tokens[1].begin.column, 5U);  // "xé" is two characters.
  EXPECT_EQ(tokens[3].begin.line, 2U);
  EXPECT_EQ(tokens[3].begin.column, 3U);
  EXPECT_EQ(tokens[4].begin.column, 6U);
}

TEST(lang_lexer, columns_after_multibyte_text_in_strings_and_comments) {
  std::vector<Token> tokens = lex_all("s = [[é\nü]] x");
  ASSERT_EQ(tokens.size(), 4U);
  EXPECT_EQ(tokens[3].begin.line, 2U);
  EXPECT_EQ(tokens[3].begin.column, 5U);
  tokens = lex_all("--[[ ö\n ä ]] y -- ñ\n\tz = 'é' w");
  ASSERT_EQ(tokens.size(), 5U);
  EXPECT_EQ(tokens[0].begin.column, 7U);
  EXPECT_EQ(tokens[1].begin.line, 3U);
  EXPECT_EQ(tokens[1].begin.column, 2U);
  EXPECT_EQ(tokens[4].begin.column, 10U);
  EXPECT_EQ(tokens[4].end.column, 11U);
}

TEST(lang_lexer, crlf_line_ends_are_accepted) {
  const std::vector<Token> tokens = lex_all("x = 1\r\ny = 2\r\n");
  ASSERT_EQ(tokens.size(), 6U);
  EXPECT_EQ(tokens[3].begin.line, 2U);
  EXPECT_EQ(tokens[3].begin.column, 1U);
}

TEST(lang_lexer, statements_need_no_separator) {
  EXPECT_EQ(kinds("x = 1 y = 2"),
            (std::vector<K>{K::Name, K::Assign, K::Number, K::Name, K::Assign, K::Number}));
}

TEST(lang_lexer, comments_are_skipped) {
  EXPECT_EQ(kinds("x -- line comment\n--[[ block\n comment ]] y --[==[ ]] ]==] z"),
            (std::vector<K>{K::Name, K::Name, K::Name}));
  const std::vector<Token> tokens = lex_all("--[[\n\n]] x");
  ASSERT_EQ(tokens.size(), 1U);
  EXPECT_EQ(tokens[0].begin.line, 3U);
  EXPECT_EQ(tokens[0].begin.column, 4U);
}

TEST(lang_lexer, a_dashdash_bracket_without_long_opener_is_a_line_comment) {
  EXPECT_EQ(kinds("--[ not long\nx --[= nor this\ny"), (std::vector<K>{K::Name, K::Name}));
}

TEST(lang_lexer, unfinished_long_comment_is_an_error) {
  EXPECT_EQ(first_error("x = 1 --[[ never closed"), "1:7: Unfinished long comment");
  EXPECT_EQ(first_error("--[==[ ]] ]=] "), "1:1: Unfinished long comment");
}

// --- 1.2 Names ------------------------------------------------------------------------

TEST(lang_lexer, names_allow_underscore_digits_and_utf8) {
  EXPECT_EQ(texts("_a1 Zz9 värme 日本"), (std::vector<std::string>{"_a1", "Zz9", "värme", "日本"}));
  EXPECT_EQ(kinds("värme"), (std::vector<K>{K::Name}));
}

TEST(lang_lexer, reserved_words_are_keywords) {
  EXPECT_EQ(kinds("and break case do else elseif end false for function goto if in local nil "
                  "not or repeat return then true until while"),
            (std::vector<K>{K::And, K::Break, K::Case, K::Do, K::Else, K::Elseif, K::End,
                            K::False, K::For, K::Function, K::Goto, K::If, K::In, K::Local,
                            K::Nil, K::Not, K::Or, K::Repeat, K::Return, K::Then, K::True,
                            K::Until, K::While}));
}

TEST(lang_lexer, modifier_words_and_loop_are_ordinary_names) {
  for (const char* word : {"single", "since", "debounce", "cooldown", "every", "first_in", "loop",
                           "event", "BREAK", "catch", "End", "ands"}) {
    EXPECT_EQ(only(word).kind, K::Name) << word;
  }
}

// --- 1.3 Numerals ---------------------------------------------------------------------

TEST(lang_lexer, numerals_follow_lua) {
  NumberValue value = parse_number("42");
  EXPECT_TRUE(value.ok && value.is_integer);
  EXPECT_EQ(value.integer, 42);
  value = parse_number(".5");
  EXPECT_TRUE(value.ok && !value.is_integer);
  EXPECT_EQ(value.number, 0.5);
  value = parse_number("1e3");
  EXPECT_FALSE(value.is_integer);
  EXPECT_EQ(value.number, 1000.0);
  value = parse_number("0xff");
  EXPECT_TRUE(value.is_integer);
  EXPECT_EQ(value.integer, 255);
  value = parse_number("0x1p4");
  EXPECT_FALSE(value.is_integer);
  EXPECT_EQ(value.number, 16.0);
  value = parse_number("0xA.8p1");
  EXPECT_EQ(value.number, 21.0);
  value = parse_number("3.");
  EXPECT_TRUE(value.ok && !value.is_integer);
  EXPECT_EQ(value.number, 3.0);
  value = parse_number("2.5E-2");
  EXPECT_EQ(value.number, 0.025);
}

TEST(lang_lexer, integer_overflow_rules) {
  NumberValue value = parse_number("9223372036854775807");
  EXPECT_TRUE(value.is_integer);
  EXPECT_EQ(value.integer, INT64_MAX);
  value = parse_number("9223372036854775808");  // Decimal overflow becomes a float.
  EXPECT_FALSE(value.is_integer);
  EXPECT_EQ(value.number, 9223372036854775808.0);
  value = parse_number("0xffffffffffffffff");  // Hex wraps around.
  EXPECT_TRUE(value.is_integer);
  EXPECT_EQ(value.integer, -1);
}

TEST(lang_lexer, numeral_tokens) {
  EXPECT_EQ(texts("42 .5 1e3 0xff 0X1P-2 3.25 1E+10 0x.8"),
            (std::vector<std::string>{"42", ".5", "1e3", "0xff", "0X1P-2", "3.25", "1E+10", "0x.8"}));
}

TEST(lang_lexer, a_numeral_never_absorbs_dotdot) {
  EXPECT_EQ(texts("5..10"), (std::vector<std::string>{"5", "..", "10"}));
  EXPECT_EQ(kinds("1.5..2"), (std::vector<K>{K::Number, K::DotDot, K::Number}));
  EXPECT_EQ(kinds("5...6"), (std::vector<K>{K::Number, K::Ellipsis, K::Number}));
}

TEST(lang_lexer, malformed_numerals) {
  EXPECT_EQ(first_error("x = 3x"), "1:5: malformed number near '3x'");
  EXPECT_EQ(first_error("1e"), "1:1: malformed number near '1e'");
  EXPECT_EQ(first_error("0x"), "1:1: malformed number near '0x'");
  EXPECT_EQ(first_error("1.2.3"), "1:1: malformed number near '1.2.3'");
}

// --- 1.4 Strings ----------------------------------------------------------------------

TEST(lang_lexer, short_strings_with_every_lua_escape) {
  EXPECT_EQ(decoded(R"("a\tb")"), "a\tb");
  EXPECT_EQ(decoded(R"("a\tb")").size(), 3U);
  EXPECT_EQ(decoded(R"("\a\b\f\n\r\t\v\\\"\'")"), "\a\b\f\n\r\t\v\\\"'");
  EXPECT_EQ(decoded(R"('\x41\x6a')"), "Aj");
  EXPECT_EQ(decoded(R"("\65\066\0671")"), "ABC1");
  EXPECT_EQ(decoded(R"("\0")"), std::string(1, '\0'));
  EXPECT_EQ(decoded(R"("\u{48}\u{e9}\u{20AC}\u{1F600}")"), "H\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
  EXPECT_EQ(decoded("\"a\\z  \n   b\""), "ab");
  EXPECT_EQ(decoded("\"a\\\nb\""), "a\nb");
  EXPECT_EQ(decoded("\"a\\\r\nb\""), "a\nb");
  EXPECT_EQ(decoded(R"("\u{7FFFFFFF}")").size(), 6U);
}

TEST(lang_lexer, string_tokens_keep_their_quotes) {
  EXPECT_EQ(texts(R"(x = "a\"b" .. 'c')"), (std::vector<std::string>{"x", "=", R"("a\"b")", "..", "'c'"}));
}

TEST(lang_lexer, long_strings_with_levels) {
  EXPECT_EQ(only("[[a]]").kind, K::String);
  EXPECT_EQ(decoded("[[a]]"), "a");
  EXPECT_EQ(decoded("[==[a]]b]=]c]==]"), "a]]b]=]c");
  EXPECT_EQ(decoded("[[\nfirst newline dropped\n]]"), "first newline dropped\n");
  EXPECT_EQ(decoded("[[\r\nx\r\ny]]"), "x\ny");
  EXPECT_EQ(decoded("[[no \\n escapes]]"), "no \\n escapes");
  const std::vector<Token> tokens = lex_all("[[\n\n]] x");
  ASSERT_EQ(tokens.size(), 2U);
  EXPECT_EQ(tokens[1].begin.line, 3U);
}

TEST(lang_lexer, a_comprehension_starting_with_bracket_needs_a_space) {
  EXPECT_EQ(kinds("[[x]]"), (std::vector<K>{K::String}));
  EXPECT_EQ(kinds("[ [x] ]"),
            (std::vector<K>{K::LeftBracket, K::LeftBracket, K::Name, K::RightBracket, K::RightBracket}));
}

TEST(lang_lexer, string_errors) {
  EXPECT_EQ(first_error("x = 'abc"), "1:5: Unfinished string");
  // A quote left open runs to the end of the source and is reported where it opened.
  EXPECT_EQ(first_error("x = 1\ny = \"abc\nz = 2\n\n"), "2:5: Unfinished string");
  EXPECT_EQ(first_error("'\n\n\n"), "1:1: Unfinished string");
  EXPECT_EQ(first_error("x = '\r\n"), "1:5: Unfinished string");
  EXPECT_EQ(first_error("x = [==[abc]]"), "1:5: Unfinished long string");
  EXPECT_EQ(first_error(R"(x = "a\qb")"), "1:7: invalid escape sequence '\\q'");
  EXPECT_EQ(first_error(R"(x = "\256")"), "1:6: invalid escape sequence '\\256'");
  EXPECT_EQ(first_error(R"(x = "\xZZ")"), "1:6: invalid escape sequence '\\xZ'");
  EXPECT_EQ(first_error(R"(x = "\u{110000000}")"), "1:6: invalid escape sequence '\\u{110000000}'");
}

// ER7's short strings span lines: a raw line break is part of the string, read as "\n"
// whatever the file's line ends, and escapes work as before.
TEST(lang_lexer, short_strings_may_span_lines) {
  const std::vector<Token> tokens = lex_all("x = 'ab\ncd' y\n\"e\\tf\n\ng\" z");
  ASSERT_EQ(tokens.size(), 6U);
  EXPECT_EQ(tokens[2].kind, K::String);
  EXPECT_EQ(tokens[2].text, "'ab\ncd'");
  EXPECT_EQ(tokens[2].begin.line, 1U);
  EXPECT_EQ(tokens[2].begin.column, 5U);
  EXPECT_EQ(tokens[3].begin.line, 2U);
  EXPECT_EQ(tokens[3].begin.column, 5U);
  EXPECT_EQ(tokens[4].begin.line, 3U);
  EXPECT_EQ(tokens[5].begin.line, 5U);
  EXPECT_EQ(tokens[5].begin.column, 4U);
  EXPECT_EQ(decoded("'ab\ncd'"), "ab\ncd");
  EXPECT_EQ(decoded("\"e\\tf\n\ng\""), "e\tf\n\ng");
  EXPECT_TRUE(string_needs_decoding("'a\r\nb'"));
  EXPECT_EQ(decoded("'a\r\nb'"), "a\nb");
  EXPECT_EQ(decoded("'a\n\rb'"), "a\nb");
}

TEST(lang_lexer, escaped_line_breaks_keep_positions_right) {
  const std::vector<Token> tokens = lex_all("x = \"a\\\nb\" y");
  ASSERT_EQ(tokens.size(), 4U);
  EXPECT_EQ(tokens[2].begin.line, 1U);
  EXPECT_EQ(tokens[2].begin.column, 5U);
  EXPECT_EQ(tokens[3].begin.line, 2U);
  EXPECT_EQ(tokens[3].begin.column, 4U);
}

// --- 1.5 Time literals ----------------------------------------------------------------

TEST(lang_lexer, time_literals) {
  EXPECT_EQ(only("10:00").kind, K::Time);
  EXPECT_EQ(parse_time("10:00"), 36000);
  EXPECT_EQ(parse_time("10:00:30"), 36030);
  EXPECT_EQ(parse_time("48:00"), 172800);
  EXPECT_EQ(parse_time("00:00"), 0);
  EXPECT_EQ(parse_time("99:59:59"), 99 * 3600 + 59 * 60 + 59);
}

TEST(lang_lexer, time_literal_errors_quote_the_whole_run) {
  const std::string prefix = ": Time literals must be in HH:MM or HH:MM:SS format: ";
  EXPECT_EQ(first_error("7:30"), "1:1" + prefix + "7:30");
  EXPECT_EQ(first_error("10:0"), "1:1" + prefix + "10:0");
  EXPECT_EQ(first_error("100:00"), "1:1" + prefix + "100:00");
  EXPECT_EQ(first_error("10:00:5"), "1:1" + prefix + "10:00:5");
  EXPECT_EQ(first_error("10:75"), "1:1" + prefix + "10:75");
  EXPECT_EQ(first_error("10:00:60"), "1:1" + prefix + "10:00:60");
  EXPECT_EQ(first_error("10:00:00:00"), "1:1" + prefix + "10:00:00:00");
  EXPECT_EQ(first_error("@7:30 => 55:on"), "1:2" + prefix + "7:30");
}

// Minutes and seconds past 59 are errors where the literal starts; hours are unbounded
// (48:00 is a two-day duration; only a literal after '@' must be a time of day,
// parser_test.cpp).
TEST(lang_lexer, out_of_range_time_fields_are_errors_at_their_position) {
  const std::string prefix = ": Time literals must be in HH:MM or HH:MM:SS format: ";
  EXPECT_EQ(first_error("x = 1 + 24:61"), "1:9" + prefix + "24:61");
  EXPECT_EQ(first_error("@25:60 => 55:on"), "1:2" + prefix + "25:60");
  EXPECT_EQ(first_error("y = 2\nwait(10:00:60)"), "2:6" + prefix + "10:00:60");
  EXPECT_EQ(first_error("t = 99:99:99"), "1:5" + prefix + "99:99:99");
  EXPECT_EQ(first_error("@{07:00, 19:75} => 55:on"), "1:10" + prefix + "19:75");
  EXPECT_EQ(only("24:00").kind, K::Time);
  EXPECT_EQ(only("25:00").kind, K::Time);
}

TEST(lang_lexer, a_numeral_followed_by_colon_and_letter_is_a_property_access) {
  EXPECT_EQ(kinds("78:isOn"), (std::vector<K>{K::Number, K::Colon, K::Name}));
  EXPECT_EQ(kinds("10:00:isOn"), (std::vector<K>{K::Time, K::Colon, K::Name}));
}

// --- 1.6 Date literals ----------------------------------------------------------------

TEST(lang_lexer, date_literals_in_operand_position) {
  EXPECT_EQ(kinds("x = 2025/12/24/18:00"), (std::vector<K>{K::Name, K::Assign, K::Date}));
  EXPECT_EQ(kinds("return /12/24"), (std::vector<K>{K::Return, K::Date}));
  EXPECT_EQ(kinds("{2026/01/01, /06/01/07:30:15}"),
            (std::vector<K>{K::LeftBrace, K::Date, K::Comma, K::Date, K::RightBrace}));
  EXPECT_EQ(kinds("@2025/12/24/18:00"), (std::vector<K>{K::At, K::Date}));
}

TEST(lang_lexer, date_values) {
  DateValue date = parse_date("2025/12/24/18:00");
  EXPECT_TRUE(date.ok && date.has_year && date.has_time && !date.has_seconds);
  EXPECT_EQ(date.year, 2025);
  EXPECT_EQ(date.month, 12);
  EXPECT_EQ(date.day, 24);
  EXPECT_EQ(date.time_of_day, 18 * 3600);
  date = parse_date("/12/24");
  EXPECT_TRUE(date.ok && !date.has_year && !date.has_time);
  date = parse_date("2025/02/30");  // Day overflow is not a lexical error (it rolls over).
  EXPECT_TRUE(date.ok);
  date = parse_date("2025/03/00");  // Day 00: the last day of the previous month (ER7).
  EXPECT_TRUE(date.ok);
  EXPECT_EQ(date.day, 0);
  date = parse_date("/01/00/08:00");
  EXPECT_TRUE(date.ok && date.has_time);
  EXPECT_EQ(date.day, 0);
  date = parse_date("/01/31/07:30:15");
  EXPECT_TRUE(date.ok && date.has_seconds);
  EXPECT_EQ(date.time_of_day, 7 * 3600 + 30 * 60 + 15);
}

TEST(lang_lexer, after_an_operand_slash_divides) {
  EXPECT_EQ(kinds("x/12/25"), (std::vector<K>{K::Name, K::Slash, K::Number, K::Slash, K::Number}));
  EXPECT_EQ(kinds("(a)/12/25"),
            (std::vector<K>{K::LeftParen, K::Name, K::RightParen, K::Slash, K::Number, K::Slash, K::Number}));
  EXPECT_EQ(kinds("x = 10/2"), (std::vector<K>{K::Name, K::Assign, K::Number, K::Slash, K::Number}));
}

TEST(lang_lexer, date_literal_errors) {
  const std::string prefix =
      ": Date literals must be in YYYY/MM/DD[/HH:MM[:SS]] or /MM/DD[/HH:MM[:SS]] format: ";
  EXPECT_EQ(first_error("x = 2025/13/01"), "1:5" + prefix + "2025/13/01");
  EXPECT_EQ(first_error("x = 2025/12/32"), "1:5" + prefix + "2025/12/32");
  EXPECT_EQ(first_error("x = 2025/1/5"), "1:5" + prefix + "2025/1/5");
  EXPECT_EQ(first_error("x = /00/10"), "1:5" + prefix + "/00/10");
  // Only the day may be 00.
  EXPECT_EQ(first_error("x = 2025/00/00"), "1:5" + prefix + "2025/00/00");
  EXPECT_EQ(first_error("x = 2025/12/24/7:00"), "1:5" + prefix + "2025/12/24/7:00");
}

// --- 1.7 Prefix tokens, events, persistent variables ---------------------------------

TEST(lang_lexer, prefix_tokens_in_operand_position) {
  EXPECT_EQ(kinds("x = t/08:00"), (std::vector<K>{K::Name, K::Assign, K::TodayPrefix, K::Time}));
  EXPECT_EQ(kinds("post(#p, n/18:00)"),
            (std::vector<K>{K::Name, K::LeftParen, K::Event, K::Comma, K::NextPrefix, K::Time, K::RightParen}));
  EXPECT_EQ(kinds("return +/00:10"), (std::vector<K>{K::Return, K::FromNowPrefix, K::Time}));
}

TEST(lang_lexer, dividing_t_or_n_needs_a_space_or_an_operand_before) {
  EXPECT_EQ(kinds("x = n / 2"), (std::vector<K>{K::Name, K::Assign, K::Name, K::Slash, K::Number}));
  EXPECT_EQ(kinds("x = t//2"), (std::vector<K>{K::Name, K::Assign, K::Name, K::SlashSlash, K::Number}));
  EXPECT_EQ(kinds("a.t/2"), (std::vector<K>{K::Name, K::Dot, K::TodayPrefix, K::Number}));
  EXPECT_EQ(kinds("x + 1 +/ 2"),
            (std::vector<K>{K::Name, K::Plus, K::Number, K::Plus, K::Slash, K::Number}));
  EXPECT_EQ(kinds("tt/2"), (std::vector<K>{K::Name, K::Slash, K::Number}));
}

TEST(lang_lexer, event_literals) {
  EXPECT_EQ(texts("#tick #alarm{zone=3}"),
            (std::vector<std::string>{"#tick", "#alarm", "{", "zone", "=", "3", "}"}));
  EXPECT_EQ(only("#device").kind, K::Event);
}

TEST(lang_lexer, other_hash_is_an_error) {
  const std::string message = ": '#' must be followed by an event name; use size(x) for a length";
  EXPECT_EQ(first_error("return #t"), "no error");
  EXPECT_EQ(first_error("return # t"), "1:8" + message);
  EXPECT_EQ(first_error("#{1}"), "1:1" + message);
  EXPECT_EQ(first_error("#1"), "1:1" + message);
}

TEST(lang_lexer, persistent_and_quickapp_variables) {
  EXPECT_EQ(kinds("$Mode $$qa $$$store"), (std::vector<K>{K::Persistent, K::QaVariable, K::QaStorage}));
  EXPECT_EQ(texts("$Mode $$qa $$$store"), (std::vector<std::string>{"$Mode", "$$qa", "$$$store"}));
  EXPECT_EQ(first_error("$ x"), "1:1: Unexpected character '$'");
}

// --- 1.8 Operators --------------------------------------------------------------------

TEST(lang_lexer, every_operator_longest_match) {
  EXPECT_EQ(kinds("=> -> ++ ?? === == ~= != <= >= < > = + - * / // % ^ & | ! @@- @@ @"),
            (std::vector<K>{K::FatArrow, K::ThinArrow, K::PlusPlus, K::Coalesce, K::TripleEqual,
                            K::Equal, K::TildeEqual, K::BangEqual, K::LessEqual, K::GreaterEqual,
                            K::Less, K::Greater, K::Assign, K::Plus, K::Minus, K::Star, K::Slash,
                            K::SlashSlash, K::Percent, K::Caret, K::Ampersand, K::Pipe, K::Bang,
                            K::AtAtMinus, K::AtAt, K::At}));
  EXPECT_EQ(kinds("x .. ... . , ; : ( ) [ ] { } += -= *= /= %= || >>"),
            (std::vector<K>{K::Name, K::DotDot, K::Ellipsis, K::Dot, K::Comma, K::Semicolon,
                            K::Colon, K::LeftParen, K::RightParen, K::LeftBracket,
                            K::RightBracket, K::LeftBrace, K::RightBrace, K::PlusAssign,
                            K::MinusAssign, K::StarAssign, K::SlashAssign, K::PercentAssign,
                            K::PipePipe, K::ShiftRight}));
}

TEST(lang_lexer, triple_equal_is_one_token_even_without_spaces) {
  EXPECT_EQ(kinds("a==='x'"), (std::vector<K>{K::Name, K::TripleEqual, K::String}));
  EXPECT_EQ(kinds("a ===="), (std::vector<K>{K::Name, K::TripleEqual, K::Assign}));
  EXPECT_EQ(kinds("==="), (std::vector<K>{K::TripleEqual}));
  EXPECT_EQ(kinds("x = [===[a]===]"), (std::vector<K>{K::Name, K::Assign, K::String}));
}

TEST(lang_lexer, at_at_minus_needs_the_minus_right_after) {
  EXPECT_EQ(kinds("@@-01:00"), (std::vector<K>{K::AtAtMinus, K::Time}));
  EXPECT_EQ(kinds("@@ -01:00"), (std::vector<K>{K::AtAt, K::Minus, K::Time}));
  EXPECT_EQ(kinds("@ @"), (std::vector<K>{K::At, K::At}));
}

TEST(lang_lexer, rejected_operators) {
  EXPECT_EQ(first_error("a && b"), "1:3: Use '&' (or 'and') for AND, not '&&'");
  EXPECT_EQ(first_error("a ~ b"), "1:3: Bitwise operators are not supported");
  EXPECT_EQ(first_error("a << b"), "1:3: Bitwise operators are not supported");
  EXPECT_EQ(first_error("::top::"), "1:1: goto and labels are not supported");
  EXPECT_EQ(first_error("x = 1 ` 2"), "1:7: Unexpected character '`'");
  EXPECT_EQ(first_error("x = ?"), "1:5: Unexpected character '?'");
  EXPECT_EQ(first_error("x\x01"), "1:2: Unexpected character '\x01'");
  EXPECT_EQ(kinds("a ~= b"), (std::vector<K>{K::Name, K::TildeEqual, K::Name}));
}

// --- 1.9 Token spellings, 1.10 operand position ---------------------------------------

TEST(lang_lexer, token_spellings_for_messages) {
  EXPECT_EQ(token_kind_spelling(K::End), "end");
  EXPECT_EQ(token_kind_spelling(K::FatArrow), "=>");
  EXPECT_EQ(token_kind_spelling(K::FromNowPrefix), "+/");
  EXPECT_EQ(token_kind_spelling(K::Eof), "<eof>");
  EXPECT_TRUE(is_reserved_word(K::While));
  EXPECT_FALSE(is_reserved_word(K::Name));
  EXPECT_EQ(keyword_kind("function"), K::Function);
  EXPECT_EQ(keyword_kind("functions"), K::Name);
}

TEST(lang_lexer, operand_position_follows_the_previous_token) {
  // After these tokens an operand has ended, so '/' divides.
  for (const char* before : {"x", "1", "'s'", "10:00", "#e", "$v", "nil", "true", "false", "...",
                             "end", ")", "]", "}"}) {
    const std::string source = std::string(before) + " /12/25";
    const std::vector<Token> tokens = lex_all(source);
    ASSERT_GE(tokens.size(), 2U) << source;
    EXPECT_EQ(tokens[tokens.size() - 4].kind, K::Slash) << source;
  }
  // After anything else it starts a date.
  for (const char* before : {"=", "(", ",", "return", "and", "+", "{", "@"}) {
    const std::string source = std::string(before) + " /12/25";
    EXPECT_EQ(lex_all(source).back().kind, K::Date) << source;
  }
}

TEST(lang_lexer, eof_repeats) {
  Lexer lexer("x");
  EXPECT_EQ(lexer.next().kind, K::Name);
  EXPECT_EQ(lexer.next().kind, K::Eof);
  EXPECT_EQ(lexer.next().kind, K::Eof);
}

}  // namespace
}  // namespace er::lang

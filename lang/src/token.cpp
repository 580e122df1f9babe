#include "lang/token.h"

#include <array>
#include <charconv>
#include <cstddef>
#include <cstdlib>

#include "lang/lexer.h"

namespace er::lang {

namespace {

// The reserved words of spec §1.2, in TokenKind order ("ORDER RESERVED").
constexpr std::array<std::string_view, 23> kReservedWords = {
    "and",  "break", "case",   "do",     "else", "elseif", "end",   "false",
    "for",  "function", "goto", "if",    "in",   "local",  "nil",   "not",
    "or",   "repeat", "return", "then",  "true", "until",  "while",
};
static_assert(kReservedWords.size() ==
              static_cast<std::size_t>(TokenKind::While) - static_cast<std::size_t>(TokenKind::And) + 1);

// Spellings of the operator tokens, from FatArrow on, in TokenKind order.
constexpr std::array<std::string_view, 48> kOperatorSpellings = {
    "=>", "->", "++", "??", "==", "===", "~=", "!=", "<=", ">=", "<",  ">",  "=",  "+",  "-",
    "*",  "/",  "//", "%",  "^",  "&",  "|",  "!",  "@@-", "@@", "@",  "..", "...", ".",
    ",",  ";",  ":",  "(",  ")",  "[",  "]",  "{",  "}",  "+=", "-=", "*=", "/=", "%=",
    "||", ">>", "t/", "n/", "+/",
};
static_assert(kOperatorSpellings.size() == static_cast<std::size_t>(TokenKind::FromNowPrefix) -
                                               static_cast<std::size_t>(TokenKind::FatArrow) + 1);

}  // namespace

std::string_view token_kind_spelling(TokenKind kind) {
  switch (kind) {
    case TokenKind::Eof: return "<eof>";
    case TokenKind::Error: return "<error>";
    case TokenKind::Name: return "<name>";
    case TokenKind::Number: return "<number>";
    case TokenKind::String: return "<string>";
    case TokenKind::Time: return "<time>";
    case TokenKind::Date: return "<date>";
    case TokenKind::Event: return "<event>";
    case TokenKind::Persistent: return "<$name>";
    case TokenKind::QaVariable: return "<$$name>";
    case TokenKind::QaStorage: return "<$$$name>";
    default: break;
  }
  if (is_reserved_word(kind)) {
    return kReservedWords[static_cast<std::size_t>(kind) - static_cast<std::size_t>(TokenKind::And)];
  }
  return kOperatorSpellings[static_cast<std::size_t>(kind) -
                            static_cast<std::size_t>(TokenKind::FatArrow)];
}

bool is_reserved_word(TokenKind kind) { return kind >= TokenKind::And && kind <= TokenKind::While; }

TokenKind keyword_kind(std::string_view text) {
  // Reserved words are 2 to 8 lowercase letters; compare only with the words that start
  // with the same letter, so most names cost one or two character tests.
  if (text.size() < 2 || text.size() > 8) return TokenKind::Name;
  std::size_t first = 0;
  std::size_t last = 0;  // The candidates: kReservedWords[first, last).
  switch (text[0]) {
    case 'a': first = 0; last = 1; break;
    case 'b': first = 1; last = 2; break;
    case 'c': first = 2; last = 3; break;
    case 'd': first = 3; last = 4; break;
    case 'e': first = 4; last = 7; break;
    case 'f': first = 7; last = 10; break;
    case 'g': first = 10; last = 11; break;
    case 'i': first = 11; last = 13; break;
    case 'l': first = 13; last = 14; break;
    case 'n': first = 14; last = 16; break;
    case 'o': first = 16; last = 17; break;
    case 'r': first = 17; last = 19; break;
    case 't': first = 19; last = 21; break;
    case 'u': first = 21; last = 22; break;
    case 'w': first = 22; last = 23; break;
    default: return TokenKind::Name;
  }
  for (std::size_t i = first; i < last; ++i) {
    if (kReservedWords[i] == text) return static_cast<TokenKind>(static_cast<std::size_t>(TokenKind::And) + i);
  }
  return TokenKind::Name;
}

std::string lexical_error_message(const Token& token) {
  const std::string text(token.text);
  switch (token.error) {
    case LexError::UnexpectedCharacter: return "Unexpected character '" + text + "'";
    case LexError::UnfinishedString: return "Unfinished string";
    case LexError::UnfinishedLongString: return "Unfinished long string";
    case LexError::UnfinishedLongComment: return "Unfinished long comment";
    case LexError::InvalidEscape: return "invalid escape sequence '" + text + "'";
    case LexError::MalformedNumber: return "malformed number near '" + text + "'";
    case LexError::BadTime: return "Time literals must be in HH:MM or HH:MM:SS format: " + text;
    case LexError::BadDate:
      return "Date literals must be in YYYY/MM/DD[/HH:MM[:SS]] or /MM/DD[/HH:MM[:SS]] format: " + text;
    case LexError::BadHash: return "'#' must be followed by an event name; use size(x) for a length";
    case LexError::DoubleAmpersand: return "Use '&' (or 'and') for AND, not '&&'";
    case LexError::Bitwise: return "Bitwise operators are not supported";
    case LexError::Label: return "goto and labels are not supported";
    case LexError::None: break;
  }
  return "invalid token";
}

// ---------------------------------------------------------------------------------
// Literal values (declared in lexer.h)
// ---------------------------------------------------------------------------------

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex_digit(char c) { return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }
int hex_value(char c) { return is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10; }

// A float by strtod's rules; false unless all of `text` is used. from_chars reports
// overflow as an error, where Lua gives HUGE_VAL, so that case goes through strtod.
bool to_double(std::string_view text, std::chars_format format, double& out) {
  if (text.empty()) return false;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out, format);
  if (end != text.data() + text.size()) return false;
  if (error == std::errc::result_out_of_range) {
    std::string copy(format == std::chars_format::hex ? "0x" : "");
    copy.append(text);
    out = std::strtod(copy.c_str(), nullptr);
    return true;
  }
  return error == std::errc{};
}

NumberValue parse_hex_number(std::string_view digits) {
  NumberValue value;
  if (digits.find_first_of(".pP") != std::string_view::npos) {
    value.ok = to_double(digits, std::chars_format::hex, value.number);
    return value;
  }
  if (digits.empty()) return value;
  std::uint64_t wrapped = 0;  // Hex integers wrap around modulo 2^64, as in Lua.
  for (const char c : digits) {
    if (!is_hex_digit(c)) return value;
    wrapped = wrapped * 16 + static_cast<std::uint64_t>(hex_value(c));
  }
  value.ok = true;
  value.is_integer = true;
  value.integer = static_cast<std::int64_t>(wrapped);
  return value;
}

NumberValue parse_decimal_number(std::string_view text) {
  NumberValue value;
  // One pass over the digits; only a numeral with a non-digit is searched for ".eE".
  // (find_first_of first cost a memchr per character, and most numerals are integers.)
  std::uint64_t accumulated = 0;
  bool fits = true;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (!is_digit(c)) {
      if (text.find_first_of(".eE", i) == std::string_view::npos) return value;
      value.ok = to_double(text, std::chars_format::general, value.number);
      return value;
    }
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (accumulated > (static_cast<std::uint64_t>(INT64_MAX) - digit) / 10) fits = false;
    accumulated = accumulated * 10 + digit;
  }
  if (!fits) {
    value.ok = to_double(text, std::chars_format::general, value.number);
    return value;
  }
  value.ok = true;
  value.is_integer = true;
  value.integer = static_cast<std::int64_t>(accumulated);
  return value;
}

// Exactly two decimal digits.
int two_digits(std::string_view text) {
  if (text.size() != 2 || !is_digit(text[0]) || !is_digit(text[1])) return -1;
  return (text[0] - '0') * 10 + (text[1] - '0');
}

// Appends code point `code` as (extended, up to 6-byte) UTF-8, as Lua's \u{} does.
void append_utf8(std::uint32_t code, std::string& out) {
  if (code < 0x80) {
    out.push_back(static_cast<char>(code));
    return;
  }
  char buffer[8];
  int count = 0;
  std::uint32_t first_max = 0x3F;  // Largest value that fits in the first byte.
  while (code > first_max) {
    buffer[7 - count++] = static_cast<char>(0x80U | (code & 0x3FU));
    code >>= 6U;
    first_max >>= 1U;
  }
  buffer[7 - count] = static_cast<char>(((~first_max << 1U) | code) & 0xFFU);
  out.append(buffer + 7 - count, static_cast<std::size_t>(count) + 1);
}

// Skips one line break (\n, \r, \r\n or \n\r) at `at`; returns the offset after it.
std::size_t skip_line_break(std::string_view s, std::size_t at) {
  const char first = s[at];
  ++at;
  if (at < s.size() && (s[at] == '\n' || s[at] == '\r') && s[at] != first) ++at;
  return at;
}

// Decodes the escape at s[at] == '\\' (already validated); returns the offset after it.
std::size_t decode_escape(std::string_view s, std::size_t at, std::string& out) {
  const char c = s[at + 1];
  switch (c) {
    case 'a': out.push_back('\a'); return at + 2;
    case 'b': out.push_back('\b'); return at + 2;
    case 'f': out.push_back('\f'); return at + 2;
    case 'n': out.push_back('\n'); return at + 2;
    case 'r': out.push_back('\r'); return at + 2;
    case 't': out.push_back('\t'); return at + 2;
    case 'v': out.push_back('\v'); return at + 2;
    case '\n':
    case '\r':
      out.push_back('\n');
      return skip_line_break(s, at + 1);
    case 'x':
      out.push_back(static_cast<char>(hex_value(s[at + 2]) * 16 + hex_value(s[at + 3])));
      return at + 4;
    case 'z': {
      std::size_t end = at + 2;
      while (end < s.size() && (s[end] == ' ' || (s[end] >= '\t' && s[end] <= '\r'))) ++end;
      return end;
    }
    case 'u': {
      std::size_t end = at + 3;
      std::uint32_t code = 0;
      for (; s[end] != '}'; ++end) code = code * 16 + static_cast<std::uint32_t>(hex_value(s[end]));
      append_utf8(code, out);
      return end + 1;
    }
    default:
      break;
  }
  if (!is_digit(c)) {
    out.push_back(c);  // \\ \" \'
    return at + 2;
  }
  std::size_t end = at + 1;
  int value = 0;
  for (; end < at + 4 && end < s.size() && is_digit(s[end]); ++end) value = value * 10 + (s[end] - '0');
  out.push_back(static_cast<char>(value));
  return end;
}

// Length of a long bracket delimiter "[==[" at the start of `text`.
std::size_t long_bracket_length(std::string_view text) {
  std::size_t level = 1;
  while (level < text.size() && text[level] == '=') ++level;
  return level + 1;
}

}  // namespace

NumberValue parse_number(std::string_view text) {
  if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    return parse_hex_number(text.substr(2));
  }
  return parse_decimal_number(text);
}

std::int64_t parse_time(std::string_view text) {
  std::int64_t fields[3] = {0, 0, 0};
  std::size_t count = 0;
  while (count < 3) {
    const std::size_t colon = text.find(':');
    const int value = two_digits(text.substr(0, colon));
    if (value < 0 || (count > 0 && value > 59)) return -1;
    fields[count++] = value;
    if (colon == std::string_view::npos) break;
    text.remove_prefix(colon + 1);
    if (count == 3) return -1;  // A fourth field.
  }
  if (count < 2) return -1;
  return fields[0] * 3600 + fields[1] * 60 + fields[2];
}

DateValue parse_date(std::string_view text) {
  DateValue date;
  if (text.empty()) return date;
  if (text[0] == '/') {
    text.remove_prefix(1);
  } else {
    const std::size_t slash = text.find('/');
    if (slash != 4 || !is_digit(text[0]) || two_digits(text.substr(0, 2)) < 0 ||
        two_digits(text.substr(2, 2)) < 0) {
      return date;
    }
    date.has_year = true;
    date.year = two_digits(text.substr(0, 2)) * 100 + two_digits(text.substr(2, 2));
    text.remove_prefix(5);
  }
  const std::size_t slash = text.find('/');
  date.month = two_digits(text.substr(0, slash));
  if (slash == std::string_view::npos || date.month < 1 || date.month > 12) return date;
  text.remove_prefix(slash + 1);
  const std::size_t time_slash = text.find('/');
  date.day = two_digits(text.substr(0, time_slash));
  // Day 00 is ER7's idiom for the last day of the previous month (os.time normalises
  // it); the conversion rolls it back like any day past the end of a month.
  if (date.day < 0 || date.day > 31) return date;
  if (time_slash != std::string_view::npos) {
    const std::string_view time = text.substr(time_slash + 1);
    date.time_of_day = parse_time(time);
    if (date.time_of_day < 0) return date;
    date.has_time = true;
    date.has_seconds = time.size() > 5;
  }
  date.ok = true;
  return date;
}

bool string_needs_decoding(std::string_view token_text) {
  if (token_text.empty()) return false;
  if (token_text[0] == '[') {
    const std::size_t open = long_bracket_length(token_text);
    const std::string_view body = token_text.substr(open, token_text.size() - 2 * open);
    return body.find('\r') != std::string_view::npos || (!body.empty() && body[0] == '\n');
  }
  return token_text.find_first_of("\\\r") != std::string_view::npos;
}

void decode_string(std::string_view token_text, std::string& out) {
  if (token_text.size() < 2) return;
  if (token_text[0] == '[') {
    const std::size_t open = long_bracket_length(token_text);
    const std::string_view body = token_text.substr(open, token_text.size() - 2 * open);
    std::size_t at = 0;
    if (!body.empty() && (body[0] == '\n' || body[0] == '\r')) at = skip_line_break(body, 0);
    while (at < body.size()) {
      if (body[at] == '\n' || body[at] == '\r') {
        out.push_back('\n');  // Any line break sequence reads as "\n", as in Lua.
        at = skip_line_break(body, at);
      } else {
        out.push_back(body[at++]);
      }
    }
    return;
  }
  const std::string_view body = token_text.substr(1, token_text.size() - 2);
  std::size_t at = 0;
  while (at < body.size()) {
    if (body[at] == '\\') {
      at = decode_escape(body, at, out);
    } else if (body[at] == '\r' || body[at] == '\n') {
      out.push_back('\n');  // A raw line break (ER7 strings span lines) reads as "\n" too.
      at = skip_line_break(body, at);
    } else {
      out.push_back(body[at++]);
    }
  }
}

}  // namespace er::lang

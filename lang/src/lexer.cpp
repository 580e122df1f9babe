#include "lang/lexer.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstring>

namespace er::lang {

namespace {

// Character classes, computed once. Bytes >= 0x80 are name characters (spec §1.2), so
// UTF-8 names work without decoding.
enum CharClass : std::uint8_t {
  kNameStart = 1U << 0U,
  kDigit = 1U << 1U,
  kHexDigit = 1U << 2U,
  kSpace = 1U << 3U,
};

constexpr std::array<std::uint8_t, 256> make_char_classes() {
  std::array<std::uint8_t, 256> classes{};
  for (int c = 0; c < 256; ++c) {
    std::uint8_t bits = 0;
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (letter || c == '_' || c >= 0x80) bits |= kNameStart;
    if (c >= '0' && c <= '9') bits |= kDigit | kHexDigit;
    if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) bits |= kHexDigit;
    if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') bits |= kSpace;
    classes[static_cast<std::size_t>(c)] = bits;
  }
  return classes;
}

constexpr std::array<std::uint8_t, 256> kCharClasses = make_char_classes();

// The operator spellings of spec §1.8 and the rejected ones (`error` set), grouped by
// first character, longest first within a group: the first that matches wins.
struct OperatorSpelling {
  std::string_view text;
  TokenKind kind = TokenKind::Error;
  LexError error = LexError::None;
};

using K = TokenKind;
constexpr OperatorSpelling kOperators[] = {
    {"===", K::TripleEqual}, {"=>", K::FatArrow}, {"==", K::Equal}, {"=", K::Assign},
    {"->", K::ThinArrow}, {"-=", K::MinusAssign}, {"-", K::Minus},
    {"++", K::PlusPlus}, {"+=", K::PlusAssign}, {"+", K::Plus},
    {"*=", K::StarAssign}, {"*", K::Star},
    {"//", K::SlashSlash}, {"/=", K::SlashAssign}, {"/", K::Slash},
    {"%=", K::PercentAssign}, {"%", K::Percent},
    {"^", K::Caret},
    {"??", K::Coalesce},
    {"~=", K::TildeEqual}, {"~", K::Error, LexError::Bitwise},
    {"!=", K::BangEqual}, {"!", K::Bang},
    {"<=", K::LessEqual}, {"<<", K::Error, LexError::Bitwise}, {"<", K::Less},
    {">=", K::GreaterEqual}, {">>", K::ShiftRight}, {">", K::Greater},
    {"&&", K::Error, LexError::DoubleAmpersand}, {"&", K::Ampersand},
    {"||", K::PipePipe}, {"|", K::Pipe},
    {"@@-", K::AtAtMinus}, {"@@", K::AtAt}, {"@", K::At},
    {"...", K::Ellipsis}, {"..", K::DotDot}, {".", K::Dot},
    {"::", K::Error, LexError::Label}, {":", K::Colon},
    {",", K::Comma}, {";", K::Semicolon},
    {"(", K::LeftParen}, {")", K::RightParen}, {"]", K::RightBracket},
    {"{", K::LeftBrace}, {"}", K::RightBrace},
};

// kOperators[begin, end) are the spellings that start with a given byte.
struct OperatorRange {
  std::uint8_t begin = 0;
  std::uint8_t end = 0;
};

constexpr std::array<OperatorRange, 256> kOperatorRanges = [] {
  std::array<OperatorRange, 256> ranges{};
  for (std::size_t i = 0; i < std::size(kOperators); ++i) {
    OperatorRange& range = ranges[static_cast<unsigned char>(kOperators[i].text[0])];
    if (range.end == 0) range.begin = static_cast<std::uint8_t>(i);
    range.end = static_cast<std::uint8_t>(i + 1);
  }
  return ranges;
}();

bool has_class(char c, CharClass cls) {
  return (kCharClasses[static_cast<unsigned char>(c)] & cls) != 0;
}
bool is_name_start(char c) { return has_class(c, kNameStart); }
bool is_name_char(char c) { return has_class(c, kNameStart) || has_class(c, kDigit); }
bool is_digit(char c) { return has_class(c, kDigit); }
bool is_hex_digit(char c) { return has_class(c, kHexDigit); }
bool is_continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0U) == 0x80U; }

// True if no byte of `text` is 0x80 or above (eight bytes at a time).
bool is_ascii(std::string_view text) {
  std::size_t at = 0;
  for (; at + 8 <= text.size(); at += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, text.data() + at, sizeof word);
    if ((word & 0x8080808080808080ULL) != 0) return false;
  }
  for (; at < text.size(); ++at) {
    if ((static_cast<unsigned char>(text[at]) & 0x80U) != 0) return false;
  }
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  return (c | 0x20) - 'a' + 10;
}

// \ddd: one to three decimal digits with a value of at most 255.
std::uint32_t decimal_escape_length(std::string_view s, std::uint32_t at) {
  std::size_t end = static_cast<std::size_t>(at) + 1;
  int value = 0;
  while (end < s.size() && end < static_cast<std::size_t>(at) + 4 && is_digit(s[end])) {
    value = value * 10 + (s[end] - '0');
    ++end;
  }
  if (end == static_cast<std::size_t>(at) + 1 || value > 255) return 0;
  return static_cast<std::uint32_t>(end - at);
}

// \u{XXX}: at least one hex digit, a value below 2^31.
std::uint32_t unicode_escape_length(std::string_view s, std::uint32_t at) {
  std::size_t end = static_cast<std::size_t>(at) + 2;
  if (end >= s.size() || s[end] != '{') return 0;
  ++end;
  std::uint64_t value = 0;
  const std::size_t first_digit = end;
  while (end < s.size() && is_hex_digit(s[end])) {
    value = value * 16 + static_cast<std::uint64_t>(hex_value(s[end]));
    if (value > 0x7FFFFFFFU) return 0;
    ++end;
  }
  if (end == first_digit || end >= s.size() || s[end] != '}') return 0;
  return static_cast<std::uint32_t>(end + 1 - at);
}

// Tokens after which an operand has just ended (spec §1.10).
bool ends_operand(TokenKind kind) {
  switch (kind) {
    case TokenKind::Name:
    case TokenKind::Number:
    case TokenKind::String:
    case TokenKind::Time:
    case TokenKind::Date:
    case TokenKind::Event:
    case TokenKind::Persistent:
    case TokenKind::QaVariable:
    case TokenKind::QaStorage:
    case TokenKind::Nil:
    case TokenKind::True:
    case TokenKind::False:
    case TokenKind::Ellipsis:
    case TokenKind::End:
    case TokenKind::RightParen:
    case TokenKind::RightBracket:
    case TokenKind::RightBrace:
      return true;
    default:
      return false;
  }
}

// Length of the valid escape sequence starting at the backslash at `at`, or 0 if it is
// not one (spec §1.4: all Lua 5.4 escapes).
std::uint32_t escape_length(std::string_view s, std::uint32_t at) {
  const std::size_t next = static_cast<std::size_t>(at) + 1;
  if (next >= s.size()) return 0;
  switch (s[next]) {
    case 'a': case 'b': case 'f': case 'n': case 'r': case 't': case 'v':
    case '\\': case '"': case '\'':
      return 2;
    case '\n':
      return next + 1 < s.size() && s[next + 1] == '\r' ? 3 : 2;
    case '\r':
      return next + 1 < s.size() && s[next + 1] == '\n' ? 3 : 2;
    case 'z': {
      std::size_t end = next + 1;
      while (end < s.size() && (has_class(s[end], kSpace) || s[end] == '\n')) ++end;
      return static_cast<std::uint32_t>(end - at);
    }
    case 'x':
      return next + 2 < s.size() && is_hex_digit(s[next + 1]) && is_hex_digit(s[next + 2]) ? 4 : 0;
    case 'u':
      return unicode_escape_length(s, at);
    default:
      return decimal_escape_length(s, at);
  }
}

// The text an invalid escape is reported with: from the backslash through the offending
// character, as Lua reports it ("\\q", "\\xZ", "\\300").
std::uint32_t bad_escape_end(std::string_view s, std::uint32_t at) {
  std::size_t end = static_cast<std::size_t>(at) + 1;
  const std::size_t limit = std::min(s.size(), static_cast<std::size_t>(at) + 12);
  const auto ends_text = [&](std::size_t i) {
    return i >= s.size() || s[i] == '\n' || s[i] == '\r' || s[i] == '"' || s[i] == '\'';
  };
  if (end < s.size() && is_digit(s[end])) {
    while (end < limit && is_digit(s[end])) ++end;
    return static_cast<std::uint32_t>(end);
  }
  if (end < s.size() && (s[end] == 'x' || s[end] == 'u')) {
    ++end;
    while (end < limit && (is_hex_digit(s[end]) || s[end] == '{')) ++end;
    if (!ends_text(end)) ++end;
    return static_cast<std::uint32_t>(end);
  }
  if (!ends_text(end) || (end < s.size() && (s[end] == '"' || s[end] == '\''))) {
    ++end;
    while (end < s.size() && is_continuation_byte(s[end])) ++end;
  }
  return static_cast<std::uint32_t>(end);
}

}  // namespace

Lexer::Lexer(std::string_view source) : source_(source) { start_line(0); }

char Lexer::peek(std::uint32_t ahead) const {
  const std::size_t at = static_cast<std::size_t>(pos_) + ahead;
  return at < source_.size() ? source_[at] : '\0';
}

bool Lexer::in_operand_position() const { return !ends_operand(previous_); }

void Lexer::newline_at(std::uint32_t offset) {
  ++line_;
  start_line(offset + 1);
}

// Most lines are pure ASCII, where a column is just the distance from the line start;
// finding that out once per line is cheaper than counting characters per token.
void Lexer::start_line(std::uint32_t offset) {
  line_start_ = offset;
  column_offset_ = offset;
  column_ = 1;
  const std::string_view rest = source_.substr(std::min<std::size_t>(offset, source_.size()));
  const std::string_view line = rest.substr(0, rest.find('\n'));
  line_is_ascii_ = is_ascii(line);
}

common::Position Lexer::position_of_slow(std::uint32_t offset) {
  // A token that began on an earlier line (a string with an escaped line break): its
  // caller saved that position before scanning, and overrides this one.
  if (offset < line_start_) return common::Position{line_, 1};
  if (line_is_ascii_) return common::Position{line_, offset - line_start_ + 1};
  // Offsets only move forward within a line, so the cache is advanced, never rewound.
  if (offset < column_offset_) {
    column_offset_ = line_start_;
    column_ = 1;
  }
  // Locals, not members, in the loop: a char pointer may alias the members.
  const char* data = source_.data();
  std::uint32_t column = column_;
  for (std::uint32_t at = column_offset_; at < offset; ++at) {
    column += is_continuation_byte(data[at]) ? 0U : 1U;
  }
  column_ = column;
  column_offset_ = offset;
  return common::Position{line_, column};
}

Token Lexer::make(TokenKind kind, std::uint32_t start, std::uint32_t end) {
  Token token;
  token.kind = kind;
  token.text = source_.substr(start, end - start);
  token.offset = start;
  token.begin = position_of(start);
  token.end = position_of(end);
  pos_ = end;
  previous_ = kind;
  return token;
}

Token Lexer::make_error(LexError error, std::uint32_t start, std::uint32_t end) {
  Token token = make(TokenKind::Error, start, end);
  token.error = error;
  return token;
}

Token Lexer::next() {
  Token error;
  if (!skip_trivia(error)) return error;
  if (pos_ >= source_.size()) {
    const auto end = static_cast<std::uint32_t>(source_.size());
    Token eof = make(TokenKind::Eof, end, end);
    return eof;
  }
  return scan();
}

// Skips blanks, line ends and comments. Returns false (with `error` set) for an
// unfinished long comment.
bool Lexer::skip_trivia(Token& error) {
  const char* data = source_.data();
  const auto size = static_cast<std::uint32_t>(source_.size());
  std::uint32_t pos = pos_;  // A local: stores through `data` cannot change it.
  while (pos < size) {
    const char c = data[pos];
    if (has_class(c, kSpace)) {
      ++pos;
    } else if (c == '\n') {
      newline_at(pos);
      ++pos;
    } else if (c == '-' && pos + 1 < size && data[pos + 1] == '-') {
      pos_ = pos;
      if (!skip_comment(error)) return false;
      pos = pos_;
    } else {
      break;
    }
  }
  pos_ = pos;
  return true;
}

// -- to the end of the line, or a long comment --[==[ ... ]==].
bool Lexer::skip_comment(Token& error) {
  const std::uint32_t start = pos_;
  pos_ += 2;
  std::uint32_t level = 0;
  if (const std::uint32_t opener = long_bracket_open(pos_, level); opener != 0) {
    const common::Position begin = position_of(start);
    const std::uint32_t close = find_long_bracket_close(pos_ + opener, level);
    if (close == 0) {
      error = Token{};
      error.kind = TokenKind::Error;
      error.error = LexError::UnfinishedLongComment;
      error.text = source_.substr(start, 2);
      error.offset = start;
      error.begin = begin;
      error.end = begin;
      pos_ = static_cast<std::uint32_t>(source_.size());
      return false;
    }
    pos_ = close;
    return true;
  }
  while (pos_ < source_.size() && source_[pos_] != '\n') ++pos_;
  return true;
}

std::uint32_t Lexer::long_bracket_open(std::uint32_t at, std::uint32_t& level) const {
  if (at >= source_.size() || source_[at] != '[') return 0;
  std::uint32_t cursor = at + 1;
  while (cursor < source_.size() && source_[cursor] == '=') ++cursor;
  if (cursor >= source_.size() || source_[cursor] != '[') return 0;
  level = cursor - at - 1;
  return cursor - at + 1;
}

// Scans for "]" level*"=" "]" from `from`, counting line ends on the way. Returns the
// offset after it, or 0 at the end of the source (the caller reports it).
std::uint32_t Lexer::find_long_bracket_close(std::uint32_t from, std::uint32_t level) {
  for (std::uint32_t cursor = from; cursor < source_.size(); ++cursor) {
    const char c = source_[cursor];
    if (c == '\n') {
      newline_at(cursor);
    } else if (c == ']') {
      std::uint32_t end = cursor + 1;
      while (end < source_.size() && source_[end] == '=') ++end;
      if (end < source_.size() && source_[end] == ']' && end - cursor - 1 == level) return end + 1;
    }
  }
  return 0;
}

Token Lexer::scan() {
  const char c = source_[pos_];
  if (is_digit(c)) return scan_number();
  if (c == '.' && is_digit(peek(1))) return scan_number();
  if (is_name_start(c)) return scan_name();
  switch (c) {
    case '"':
    case '\'':
      return scan_short_string();
    case '[': {
      std::uint32_t level = 0;
      if (long_bracket_open(pos_, level) != 0) return scan_long_string(level);
      return make(TokenKind::LeftBracket, pos_, pos_ + 1);
    }
    case '#':
      return scan_hash();
    case '$':
      return scan_dollar();
    default:
      return scan_operator();
  }
}

// Name, reserved word, or the prefix operators t/ and n/ (spec §1.7).
Token Lexer::scan_name() {
  const std::uint32_t start = pos_;
  std::uint32_t end = pos_ + 1;
  while (end < source_.size() && is_name_char(source_[end])) ++end;
  const std::string_view text = source_.substr(start, end - start);
  if (text.size() == 1 && (text[0] == 't' || text[0] == 'n') && in_operand_position() &&
      end < source_.size() && source_[end] == '/' &&
      (end + 1 >= source_.size() || source_[end + 1] != '/')) {
    return make(text[0] == 't' ? TokenKind::TodayPrefix : TokenKind::NextPrefix, start, end + 1);
  }
  return make(keyword_kind(text), start, end);
}

// Lua 5.4 numerals (never absorbing ".."), time literals and, in operand position,
// date literals.
Token Lexer::scan_number() {
  const std::uint32_t start = pos_;
  if (is_digit(source_[pos_])) {
    std::uint32_t digits_end = pos_;
    while (digits_end < source_.size() && is_digit(source_[digits_end])) ++digits_end;
    const char after = digits_end < source_.size() ? source_[digits_end] : '\0';
    const char after2 = digits_end + 1 < source_.size() ? source_[digits_end + 1] : '\0';
    if ((after == ':' || after == '/') && is_digit(after2)) {
      Token run = scan_digits_run();
      if (run.kind != TokenKind::Number) return run;
    }
    // The common case: a decimal integer not followed by anything that would extend it.
    if (after != '.' && !is_name_char(after)) return make(TokenKind::Number, start, digits_end);
  }
  std::uint32_t end = numeral_end(start);
  // A numeral glued to letters is one malformed token, as in Lua ("3x").
  while (end < source_.size() && is_name_char(source_[end])) ++end;
  if (!parse_number(source_.substr(start, end - start)).ok) {
    return make_error(LexError::MalformedNumber, start, end);
  }
  return make(TokenKind::Number, start, end);
}

// The end of the numeral starting at `start`, read as Lua does (digits, hex digits, '.',
// exponents with a sign), except that it stops before "..".
std::uint32_t Lexer::numeral_end(std::uint32_t start) const {
  std::uint32_t end = start;
  const bool hex = source_[start] == '0' && start + 1 < source_.size() &&
                   (source_[start + 1] == 'x' || source_[start + 1] == 'X');
  if (hex) end += 2;
  const char exponent_lower = hex ? 'p' : 'e';
  while (end < source_.size()) {
    const char c = source_[end];
    if (static_cast<char>(c | 0x20) == exponent_lower) {
      ++end;
      if (end < source_.size() && (source_[end] == '+' || source_[end] == '-')) ++end;
    } else if (c == '.') {
      if (end + 1 < source_.size() && source_[end + 1] == '.') break;  // "5..10" is 5 .. 10.
      ++end;
    } else if (is_hex_digit(c)) {
      ++end;
    } else {
      break;
    }
  }
  return end;
}

// Digits followed by ':' or '/' and a digit: a time literal, a date literal, or (for
// "10/2" and the like) just the leading numeral. Returns a Number token kind to ask
// the caller to scan the numeral normally.
Token Lexer::scan_digits_run() {
  const std::uint32_t start = pos_;
  std::uint32_t end = start;
  int slashes = 0;
  while (end < source_.size()) {
    const char c = source_[end];
    if (is_digit(c)) {
      ++end;
    } else if ((c == ':' || c == '/') && end + 1 < source_.size() && is_digit(source_[end + 1])) {
      if (c == '/') ++slashes;
      ++end;
    } else {
      break;
    }
  }
  if (slashes >= 2 && in_operand_position()) return scan_date(start);
  // Not a date: only a run of digits and colons can be a time literal.
  std::uint32_t time_end = start;
  while (time_end < source_.size()) {
    const char c = source_[time_end];
    if (is_digit(c)) {
      ++time_end;
    } else if (c == ':' && time_end + 1 < source_.size() && is_digit(source_[time_end + 1])) {
      ++time_end;
    } else {
      break;
    }
  }
  const std::string_view text = source_.substr(start, time_end - start);
  if (text.find(':') == std::string_view::npos) {
    Token number;
    number.kind = TokenKind::Number;  // "10/2": the caller scans the numeral.
    return number;
  }
  if (parse_time(text) < 0) return make_error(LexError::BadTime, start, time_end);
  return make(TokenKind::Time, start, time_end);
}

// A date literal attempt starting at `start` (a digit, or '/' for the year-less form).
Token Lexer::scan_date(std::uint32_t start) {
  std::uint32_t end = start;
  if (source_[end] == '/') ++end;
  while (end < source_.size()) {
    const char c = source_[end];
    if (is_digit(c)) {
      ++end;
    } else if ((c == ':' || c == '/') && end + 1 < source_.size() && is_digit(source_[end + 1])) {
      ++end;
    } else {
      break;
    }
  }
  const std::string_view text = source_.substr(start, end - start);
  if (!parse_date(text).ok) return make_error(LexError::BadDate, start, end);
  return make(TokenKind::Date, start, end);
}

// "..." and '...' with Lua 5.4 escapes. As in ER7, a raw line break is part of the
// string, so a string may span lines; one left open runs to the end of the source and
// is reported at its opening quote.
Token Lexer::scan_short_string() {
  const std::uint32_t start = pos_;
  const common::Position begin = position_of(start);  // Before any escaped line break.
  const char quote = source_[pos_];
  std::uint32_t cursor = pos_ + 1;
  while (cursor < source_.size()) {
    const char c = source_[cursor];
    if (c == quote) {
      Token token = make(TokenKind::String, start, cursor + 1);
      token.begin = begin;
      return token;
    }
    if (c != '\\') {
      if (c == '\n') newline_at(cursor);
      ++cursor;
      continue;
    }
    const std::uint32_t escape_end = escape_length(source_, cursor);
    if (escape_end == 0) {
      return make_error(LexError::InvalidEscape, cursor, bad_escape_end(source_, cursor));
    }
    // Escaped line breaks are part of the string; keep the line count right.
    for (std::uint32_t i = cursor; i < cursor + escape_end; ++i) {
      if (source_[i] == '\n') newline_at(i);
    }
    cursor += escape_end;
  }
  Token error = make_error(LexError::UnfinishedString, start, start + 1);
  error.begin = begin;
  error.end = begin;
  // The line count has reached the end of the source: lexing resumes there, not after
  // the quote (as after an unfinished long string).
  pos_ = static_cast<std::uint32_t>(source_.size());
  return error;
}

// [[...]] and [==[...]==].
Token Lexer::scan_long_string(std::uint32_t level) {
  const std::uint32_t start = pos_;
  const common::Position begin = position_of(start);
  const std::uint32_t close = find_long_bracket_close(start + level + 2, level);
  if (close == 0) {
    Token error;
    error.kind = TokenKind::Error;
    error.error = LexError::UnfinishedLongString;
    error.text = source_.substr(start, level + 2);
    error.offset = start;
    error.begin = begin;
    error.end = begin;
    pos_ = static_cast<std::uint32_t>(source_.size());
    return error;
  }
  Token token = make(TokenKind::String, start, close);
  token.begin = begin;
  return token;
}

// #name is an event literal; any other '#' is an error (spec §1.7).
Token Lexer::scan_hash() {
  const std::uint32_t start = pos_;
  if (!is_name_start(peek(1))) return make_error(LexError::BadHash, start, start + 1);
  std::uint32_t end = start + 2;
  while (end < source_.size() && is_name_char(source_[end])) ++end;
  return make(TokenKind::Event, start, end);
}

// $name, and the not-yet-supported $$name and $$$name (Appendix B).
Token Lexer::scan_dollar() {
  const std::uint32_t start = pos_;
  std::uint32_t dollars = 1;
  while (dollars < 3 && peek(dollars) == '$') ++dollars;
  if (!is_name_start(peek(dollars))) return make_error(LexError::UnexpectedCharacter, start, start + 1);
  std::uint32_t end = start + dollars + 1;
  while (end < source_.size() && is_name_char(source_[end])) ++end;
  const TokenKind kind = dollars == 1   ? TokenKind::Persistent
                         : dollars == 2 ? TokenKind::QaVariable
                                        : TokenKind::QaStorage;
  return make(kind, start, end);
}

// Operators and punctuation, longest match first (spec §1.8). Two depend on the
// position: `+/` and a year-less date `/MM/DD` exist only in operand position.
Token Lexer::scan_operator() {
  const std::uint32_t start = pos_;
  const char c = source_[pos_];
  if ((c == '+' || c == '/') && in_operand_position()) {
    if (c == '+' && peek(1) == '/') return make(TokenKind::FromNowPrefix, start, start + 2);
    if (c == '/' && is_digit(peek(1)) && starts_yearless_date(start)) return scan_date(start);
  }
  const OperatorRange range = kOperatorRanges[static_cast<unsigned char>(c)];
  const std::string_view rest = source_.substr(start);
  for (std::uint8_t i = range.begin; i < range.end; ++i) {
    const OperatorSpelling& op = kOperators[i];
    if (!rest.starts_with(op.text)) continue;
    const auto end = static_cast<std::uint32_t>(start + op.text.size());
    if (op.error != LexError::None) return make_error(op.error, start, end);
    return make(op.kind, start, end);
  }
  return unexpected_character(start);
}

// "Unexpected character 'c'", with the whole UTF-8 sequence of c.
Token Lexer::unexpected_character(std::uint32_t start) {
  std::uint32_t end = start + 1;
  while (end < source_.size() && is_continuation_byte(source_[end])) ++end;
  return make_error(LexError::UnexpectedCharacter, start, end);
}

// A year-less date "/MM/DD...": '/' digits '/' digit.
bool Lexer::starts_yearless_date(std::uint32_t start) const {
  std::uint32_t cursor = start + 1;
  while (cursor < source_.size() && is_digit(source_[cursor])) ++cursor;
  return cursor + 1 < source_.size() && source_[cursor] == '/' && is_digit(source_[cursor + 1]);
}

}  // namespace er::lang

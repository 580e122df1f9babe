#pragma once
// The EventScript lexer (spec §1). It produces one token per call, allocates nothing,
// and reports problems as Error tokens (the parser turns them into diagnostics, so that
// only the first syntax error of a definition is reported). A Lexer is a small value:
// copy it to look ahead.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/location.h"
#include "lang/token.h"

namespace er::lang {

class Lexer {
 public:
  /// `source` must outlive the lexer and every token it returns. Sources of 4 GiB or
  /// more are not supported (offsets are 32-bit).
  explicit Lexer(std::string_view source);

  /// Scans and returns the next token; at the end, Eof forever.
  Token next();

  [[nodiscard]] std::string_view source() const { return source_; }

 private:
  // Whitespace, line ends and comments; may return an Error token (unfinished comment).
  bool skip_trivia(Token& error);
  bool skip_comment(Token& error);
  void newline_at(std::uint32_t offset);
  void start_line(std::uint32_t offset);

  Token scan();
  Token scan_name();
  Token scan_number();
  [[nodiscard]] std::uint32_t numeral_end(std::uint32_t start) const;
  Token scan_digits_run();
  Token scan_date(std::uint32_t start);
  Token scan_short_string();
  Token scan_long_string(std::uint32_t level);
  Token scan_hash();
  Token scan_dollar();
  Token scan_operator();
  Token unexpected_character(std::uint32_t start);
  [[nodiscard]] bool starts_yearless_date(std::uint32_t start) const;

  [[nodiscard]] bool in_operand_position() const;
  [[nodiscard]] char peek(std::uint32_t ahead = 0) const;
  // Length of a long bracket's "[==[" opener at `at`, setting `level`; 0 if none.
  [[nodiscard]] std::uint32_t long_bracket_open(std::uint32_t at, std::uint32_t& level) const;
  // Offset just past the "]==]" closing a long bracket of `level`, or 0 if none.
  std::uint32_t find_long_bracket_close(std::uint32_t from, std::uint32_t level);

  // The fast path (an ASCII line, the common case) is inline: it runs twice per token.
  [[nodiscard]] common::Position position_of(std::uint32_t offset) {
    if (line_is_ascii_ && offset >= line_start_) {
      return common::Position{line_, offset - line_start_ + 1};
    }
    return position_of_slow(offset);
  }
  [[nodiscard]] common::Position position_of_slow(std::uint32_t offset);
  Token make(TokenKind kind, std::uint32_t start, std::uint32_t end);
  Token make_error(LexError error, std::uint32_t start, std::uint32_t end);

  std::string_view source_;
  std::uint32_t pos_ = 0;
  std::uint32_t line_ = 1;
  std::uint32_t line_start_ = 0;   // Offset of the first byte of the current line.
  // Column cache: the column of `column_offset_` (on the current line); advancing it
  // forward keeps column computation linear even on very long lines.
  std::uint32_t column_offset_ = 0;
  std::uint32_t column_ = 1;
  bool line_is_ascii_ = true;      // The current line has no byte >= 0x80.
  TokenKind previous_ = TokenKind::Eof;  // Eof: no previous token (operand position).
};

/// The value of a numeral, by Lua 5.4's rules.
struct NumberValue {
  bool ok = false;          ///< False for a malformed numeral.
  bool is_integer = false;
  std::int64_t integer = 0;
  double number = 0.0;
};

/// Converts a numeral's text (decimal or hex, integer or float) as Lua 5.4 does:
/// decimal integers that do not fit 64 bits become floats; hex integers wrap around.
NumberValue parse_number(std::string_view text);

/// A time literal's value (H*3600 + M*60 + S), or -1 if the text is not a valid
/// HH:MM or HH:MM:SS (spec §1.5).
std::int64_t parse_time(std::string_view text);

/// The fields of a date literal (spec §1.6).
struct DateValue {
  bool ok = false;
  bool has_year = false;
  std::int32_t year = 0;
  std::int32_t month = 1;
  std::int32_t day = 1;
  bool has_time = false;
  bool has_seconds = false;
  std::int64_t time_of_day = 0;
};

/// Parses YYYY/MM/DD[/HH:MM[:SS]] or /MM/DD[/HH:MM[:SS]]; ok is false if it does not fit.
DateValue parse_date(std::string_view text);

/// Appends the bytes a String token denotes (quotes or long brackets included in
/// `token_text`, escapes already validated by the lexer) to `out`.
void decode_string(std::string_view token_text, std::string& out);

/// True if decoding `token_text` would change anything but strip the delimiters (it
/// has escapes, or it is a long string starting with a line break).
bool string_needs_decoding(std::string_view token_text);

}  // namespace er::lang

#pragma once
// Tokens of EventScript (spec §1). A token is a view into the source: lexing allocates
// nothing, and a token's text stays valid as long as the source does.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/location.h"

namespace er::lang {

// Keep the reserved words contiguous and in the same order as kReservedWords in
// token.cpp ("ORDER RESERVED").
enum class TokenKind : std::uint8_t {
  Eof,
  Error,  ///< A lexical error; `Token::error` says which and `text`/`begin` locate it.

  // Literals and names.
  Name,           ///< Also the contextual modifier words (single, since, ...).
  Number,         ///< Lua 5.4 numeral.
  String,         ///< Short or long string; the text includes the quotes/brackets.
  Time,           ///< HH:MM or HH:MM:SS.
  Date,           ///< YYYY/MM/DD[/HH:MM[:SS]] or /MM/DD[/HH:MM[:SS]] (operand position only).
  Event,          ///< #name; the text includes '#'.
  Persistent,     ///< $name; the text includes '$'.
  QaVariable,     ///< $$name (Appendix B: not supported yet).
  QaStorage,      ///< $$$name (Appendix B: not supported yet).

  // Reserved words (ORDER RESERVED).
  And, Break, Case, Do, Else, Elseif, End, False, For, Function, Goto, If, In, Local,
  Nil, Not, Or, Repeat, Return, Then, True, Until, While,

  // Operators and punctuation (spec §1.8).
  FatArrow,       ///< =>
  ThinArrow,      ///< ->
  PlusPlus,       ///< ++
  Coalesce,       ///< ??
  Equal,          ///< ==
  TripleEqual,    ///< === (string match)
  TildeEqual,     ///< ~=
  BangEqual,      ///< !=
  LessEqual,      ///< <=
  GreaterEqual,   ///< >=
  Less,           ///< <
  Greater,        ///< >
  Assign,         ///< =
  Plus,           ///< +
  Minus,          ///< -
  Star,           ///< *
  Slash,          ///< /
  SlashSlash,     ///< //
  Percent,        ///< %
  Caret,          ///< ^
  Ampersand,      ///< &
  Pipe,           ///< |
  Bang,           ///< !
  AtAtMinus,      ///< @@-
  AtAt,           ///< @@
  At,             ///< @
  DotDot,         ///< ..
  Ellipsis,       ///< ...
  Dot,            ///< .
  Comma,          ///< ,
  Semicolon,      ///< ;
  Colon,          ///< :
  LeftParen,      ///< (
  RightParen,     ///< )
  LeftBracket,    ///< [
  RightBracket,   ///< ]
  LeftBrace,      ///< {
  RightBrace,     ///< }
  PlusAssign,     ///< +=
  MinusAssign,    ///< -=
  StarAssign,     ///< *=
  SlashAssign,    ///< /=
  PercentAssign,  ///< %=
  PipePipe,       ///< || (valid only in 'case')
  ShiftRight,     ///< >> (valid only in 'case')
  TodayPrefix,    ///< t/ (operand position only)
  NextPrefix,     ///< n/ (operand position only)
  FromNowPrefix,  ///< +/ (operand position only)
};

/// Why the lexer produced an Error token. The parser turns it into the exact message of
/// the spec with lexical_error_message().
enum class LexError : std::uint8_t {
  None,
  UnexpectedCharacter,   ///< Unexpected character '<c>'
  UnfinishedString,      ///< Unfinished string
  UnfinishedLongString,  ///< Unfinished long string
  UnfinishedLongComment, ///< Unfinished long comment
  InvalidEscape,         ///< invalid escape sequence '<text>'
  MalformedNumber,       ///< malformed number near '<text>'
  BadTime,               ///< Time literals must be in HH:MM or HH:MM:SS format: <text>
  BadDate,               ///< Date literals must be in ... format: <text>
  BadHash,               ///< '#' must be followed by an event name; use size(x) for a length
  DoubleAmpersand,       ///< Use '&' (or 'and') for AND, not '&&'
  Bitwise,               ///< Bitwise operators are not supported
  Label,                 ///< goto and labels are not supported
};

struct Token {
  std::string_view text;         ///< The token's source text (for errors: the offending text).
  common::Position begin;        ///< First character.
  common::Position end;          ///< One past the last character.
  std::uint32_t offset = 0;      ///< Byte offset of `text` in the source.
  TokenKind kind = TokenKind::Eof;
  LexError error = LexError::None;

  [[nodiscard]] common::Location location() const { return {begin, end}; }
  [[nodiscard]] std::uint32_t end_offset() const {
    return offset + static_cast<std::uint32_t>(text.size());
  }
};

/// The spelling of a token kind as the spec writes it ("'end'", "'=>'"), or a Lua-style
/// placeholder for classes of tokens ("<name>", "<number>", "<eof>").
std::string_view token_kind_spelling(TokenKind kind);

/// True for the reserved words of spec §1.2.
bool is_reserved_word(TokenKind kind);

/// The reserved word spelled `text`, or TokenKind::Name.
TokenKind keyword_kind(std::string_view text);

/// The exact message for a lexical error (spec §1.4–§1.8), given the Error token.
std::string lexical_error_message(const Token& token);

}  // namespace er::lang

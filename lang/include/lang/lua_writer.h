#pragma once
// LuaWriter: the only way the code generator produces Lua text. It owns spacing,
// indentation, literal escaping and the line map, so generated code is always
// well-formed and the generator never pastes strings together.

#include <array>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "common/location.h"
#include "lang/lua_meter.h"

namespace er::lang {

/// What kind of EventScript operation a line-map entry describes. The runtime uses
/// the kind to pick, among the entries of the Lua line an error was raised on, the
/// one whose operation matches the Lua error message (docs/runtime-interface.md §9).
enum class MarkKind : std::uint8_t {
  statement,   ///< The first token of a statement: the fallback for any error on the line.
  arithmetic,  ///< + - * / // % ^ and unary minus ("attempt to perform arithmetic ...").
  comparison,  ///< < <= > >= ("attempt to compare ...").
  call,        ///< A call ("attempt to call ...").
  index,       ///< a.b, a[k] ("attempt to index ...").
  loop,        ///< A numeric for ("'for' step is zero", "'for' initial value ...").
};

/// Returns the name the line map uses for a kind ("statement", "arithmetic", ...).
std::string_view mark_kind_name(MarkKind kind);

/// One line-map entry: Lua line `lua_line` of the chunk holds an operation of kind
/// `kind` written at `source` in the EventScript text.
struct LineMark {
  std::uint32_t lua_line = 1;
  MarkKind kind = MarkKind::statement;
  common::Position source;

  friend bool operator==(const LineMark&, const LineMark&) = default;
};

/// The class of a token, which decides the space between two tokens.
enum class TokenClass : std::uint8_t { line_start, word, keyword, function_word, open, close,
                                       separator, accessor, binary, prefix, prefix_minus };

namespace writer_detail {

// Whether one space separates a token of class `next` from one of class `last`
// (ordinary Lua layout: `f(a, b)`, `t[k]`, `a.b`, `x = -y`, `return {}`,
// `function(x)`). LuaWriter::begin_token adds the two context-dependent rules: never
// `--` (a comment) and never `[[` (a long string) by accident.
constexpr bool space_between(TokenClass last, TokenClass next) {
  using C = TokenClass;
  const bool next_tight = next == C::close || next == C::separator || next == C::accessor;
  switch (last) {
    case C::line_start:
    case C::open:
    case C::accessor:
    case C::prefix:
    case C::prefix_minus:
      return next == C::binary && last != C::open && last != C::line_start;
    case C::separator:
    case C::binary:
      return !next_tight;
    case C::function_word:
      return !next_tight && next != C::open;
    case C::keyword:
      return !next_tight;
    case C::word:
    case C::close:
      return next == C::word || next == C::keyword || next == C::function_word ||
             next == C::binary || next == C::prefix || next == C::prefix_minus;
  }
  return false;
}

constexpr std::size_t kClassCount = 11;

struct SpaceTable {
  bool cells[kClassCount][kClassCount] = {};
};

constexpr SpaceTable make_space_table() {
  SpaceTable table;
  for (std::size_t a = 0; a < kClassCount; ++a) {
    for (std::size_t b = 0; b < kClassCount; ++b) {
      table.cells[a][b] = space_between(static_cast<TokenClass>(a),
                                        static_cast<TokenClass>(b));
    }
  }
  return table;
}

constexpr SpaceTable kSpaceTable = make_space_table();

// Value keywords end an operand like a name does (`nil)`, `true,`), `end` closes.
// constexpr and inline, so that it folds away for the literal keywords callers pass.
constexpr TokenClass classify_keyword(std::string_view word) {
  using C = TokenClass;
  switch (word.size()) {
    case 3:
      if (word == "nil") return C::word;
      if (word == "end") return C::close;
      return C::keyword;
    case 4: return word == "true" ? C::word : C::keyword;
    case 5: return word == "false" ? C::word : C::keyword;
    case 8: return word == "function" ? C::function_word : C::keyword;
    default: return C::keyword;
  }
}

// The class of each one-character symbol ("." and ":" are accessors). A table, because
// symbol(char) runs for most punctuation of the output and a switch was measurable.
constexpr std::array<TokenClass, 256> kSymbolClasses = [] {
  std::array<TokenClass, 256> table{};
  table.fill(TokenClass::accessor);
  for (const char c : {'(', '[', '{'}) table[static_cast<unsigned char>(c)] = TokenClass::open;
  for (const char c : {')', ']', '}'}) table[static_cast<unsigned char>(c)] = TokenClass::close;
  for (const char c : {',', ';'}) table[static_cast<unsigned char>(c)] = TokenClass::separator;
  return table;
}();

}  // namespace writer_detail

/// Appends Lua tokens into one string. Token methods decide the space before a
/// token from the class of the previous one, so callers never write spaces.
class LuaWriter {
 public:
  using TokenClass = lang::TokenClass;

  /// Spaces per indentation level.
  static constexpr std::uint32_t kIndentWidth = 2;

  LuaWriter() = default;
  explicit LuaWriter(std::size_t reserve_bytes) { out_.resize(reserve_bytes); }

  /// A reserved word: `local`, `function`, `end`, `and`, `nil`, ...
  void keyword(std::string_view word) {
    const TokenClass cls = writer_detail::classify_keyword(word);
    // A keyword is spaced as a keyword before it; after it, by what it ends.
    begin_token(cls == TokenClass::function_word ? cls : TokenClass::keyword, word.front());
    put(word);
    last_ = cls;
    measure_keyword(word, cls);
  }
  /// A name. The caller guarantees it is a valid Lua name and not reserved.
  /// (The methods that write most tokens are inline: a call per token was measurable.)
  void identifier(std::string_view name) {
    begin_token(TokenClass::word, name.empty() ? ' ' : name.front());
    put(name);
    last_ = TokenClass::word;
  }
  /// `table.function(` as one unit: the opening of a call of a table's field.
  void member_call_open(std::string_view table, std::string_view function) {
    begin_token(TokenClass::word, table.front());
    put(table);
    put('.');
    put(function);
    put('(');
    last_ = TokenClass::open;
    meter_.open(LuaMeter::Open::bracket);
  }
  /// `, <value>`: a further integer argument (the common position argument).
  void integer_argument(std::int64_t value) {
    symbol(',');
    integer(value);
  }
  /// `<name>, `: a leading name argument.
  void name_argument(std::string_view name);
  /// Tight punctuation: ( ) [ ] { } . : , ; and `...`.
  void symbol(std::string_view text);
  /// The same for a one-character symbol (the common, faster case).
  void symbol(char c) {
    const TokenClass cls = writer_detail::kSymbolClasses[static_cast<unsigned char>(c)];
    begin_token(cls, c);
    put(c);
    last_ = cls;
    measure_symbol(cls, c);
  }
  /// A binary operator or `=`, written with one space on each side.
  void binary(std::string_view op) {
    begin_token(TokenClass::binary, op.empty() ? ' ' : op.front());
    put(op);
    last_ = TokenClass::binary;
    if (op == ".." || op == "^") {
      meter_.chain();  // Right-associative: Lua parses the rest of the chain recursively.
    } else {
      meter_.end_chain();
    }
  }
  /// A prefix operator: `-`, `#`, or the word `not`.
  void prefix(std::string_view op);
  /// A short string literal with exact Lua escaping of every byte.
  void string_literal(std::string_view bytes);
  /// An integer literal; Lua reads it back as the same integer.
  void integer(std::int64_t value) {
    if (value >= 0 && value < 10) {  // Position indexes and small constants: most integers.
      begin_token(TokenClass::word, '0');
      put(static_cast<char>('0' + value));
      last_ = TokenClass::word;
      return;
    }
    integer_digits(value);
  }
  /// A float literal; Lua reads it back as the same float (never as an integer).
  void number(double value);
  /// A `--` comment to the end of the line; line breaks in `text` become spaces.
  void comment(std::string_view text);

  /// Ends the current line. Empty lines are never produced.
  void newline() {
    continuation_ = false;
    break_line();
    meter_.end_chain();
  }
  void indent() { ++depth_; }
  void dedent();

  /// Records that the current Lua line holds an operation from `source`. Lua reports
  /// only a line number for its own errors, so a line holds at most one operation of
  /// each kind other than `statement`: when the current line already has one, the
  /// writer first continues on a new, further-indented line. Call it just before
  /// writing the token whose line Lua attributes the operation to (the operator of a
  /// binary operation, the start of a call's function expression).
  void mark(MarkKind kind, common::Position source);

  /// How much of Lua's nesting and register limits the text so far uses (lua_meter.h).
  [[nodiscard]] const LuaMeter& meter() const { return meter_; }
  /// Tells the meter how many locals the current Lua function has in scope (the code
  /// generator knows; each takes a register).
  void set_active_locals(std::uint32_t count) { meter_.set_locals(count); }

  /// The current (1-based) Lua line.
  [[nodiscard]] std::uint32_t line() const { return line_; }
  [[nodiscard]] std::string_view text() const { return {out_.data(), size_}; }
  [[nodiscard]] const std::vector<LineMark>& line_map() const { return marks_; }
  /// Copies the text out and empties the writer, which keeps its buffer for reuse.
  std::string take_text();
  std::vector<LineMark> take_line_map();

 private:
  // Writes the space (or, at a line start, the indentation) before a token.
  [[gnu::always_inline]] void begin_token(TokenClass next, char first_char) {
    if (last_ == TokenClass::line_start) {
      indent_line();
      return;
    }
    const auto row = static_cast<std::size_t>(last_);
    bool space = writer_detail::kSpaceTable.cells[row][static_cast<std::size_t>(next)];
    if (last_ == TokenClass::prefix_minus) space = first_char == '-';
    if (!space && first_char == '[' && size_ > 0 && out_[size_ - 1] == '[') space = true;
    if (space) put(' ');
  }
  void indent_line();
  void break_line() {
    if (last_ == TokenClass::line_start) return;
    put('\n');
    ++line_;
    line_marks_begin_ = marks_.size();
    last_ = TokenClass::line_start;
  }
  void measure_symbol(TokenClass cls, char first) {
    if (cls == TokenClass::open) {
      meter_.open(first == '{' ? LuaMeter::Open::table : LuaMeter::Open::bracket);
    } else if (cls == TokenClass::close) {
      meter_.close();
    } else if (cls == TokenClass::separator) {
      meter_.separator();
    }
  }
  void measure_keyword(std::string_view word, TokenClass cls);
  // integer() for values outside 0..9.
  void integer_digits(std::int64_t value);
  // The buffer: out_[0, size_) is the text; the rest is room to append without a
  // capacity check per character.
  [[gnu::always_inline]] void put(char c) {
    if (size_ == out_.size()) grow(1);
    out_[size_++] = c;
  }
  [[gnu::always_inline]] void put(std::string_view text) {
    if (text.empty()) return;  // memcpy must not see the null data of an empty view.
    if (out_.size() - size_ < text.size()) grow(text.size());
    copy_bytes(out_.data() + size_, text.data(), text.size());
    size_ += text.size();
  }
  // Most pieces of output are names and keywords of a few bytes. For those, two
  // fixed-size (possibly overlapping) copies inline beat a call to memcpy.
  [[gnu::always_inline]] static void copy_bytes(char* to, const char* from, std::size_t size) {
    if (size > 16) {
      std::memcpy(to, from, size);
    } else if (size >= 8) {
      std::memcpy(to, from, 8);
      std::memcpy(to + size - 8, from + size - 8, 8);
    } else if (size >= 4) {
      std::memcpy(to, from, 4);
      std::memcpy(to + size - 4, from + size - 4, 4);
    } else {
      to[0] = from[0];
      to[size / 2] = from[size / 2];
      to[size - 1] = from[size - 1];
    }
  }
  void grow(std::size_t needed);
  void append_escaped(std::string_view bytes);

  std::string out_;
  std::size_t size_ = 0;
  std::vector<LineMark> marks_;
  std::uint32_t line_ = 1;
  std::uint32_t depth_ = 0;
  bool continuation_ = false;   // The current line continues the previous statement.
  std::size_t line_marks_begin_ = 0;  // The first mark of the current line.
  TokenClass last_ = TokenClass::line_start;
  LuaMeter meter_;
};

}  // namespace er::lang

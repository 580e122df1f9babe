#include "lang/lua_writer.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>

namespace er::lang {

std::string_view mark_kind_name(MarkKind kind) {
  switch (kind) {
    case MarkKind::statement: return "statement";
    case MarkKind::arithmetic: return "arithmetic";
    case MarkKind::comparison: return "comparison";
    case MarkKind::call: return "call";
    case MarkKind::index: return "index";
    case MarkKind::loop: return "loop";
  }
  return "statement";
}

namespace {

// Indentation is copied from here rather than appended space by space.
constexpr std::string_view kSpaces =
    "                                                                                ";

LuaWriter::TokenClass classify_symbol(std::string_view text) {
  using C = LuaWriter::TokenClass;
  if (text.size() != 1) return text == "..." ? C::word : C::accessor;
  switch (text[0]) {
    case '(':
    case '[':
    case '{': return C::open;
    case ')':
    case ']':
    case '}': return C::close;
    case ',':
    case ';': return C::separator;
    default: return C::accessor;  // "." and ":"
  }
}

}  // namespace

void LuaWriter::indent_line() {
  std::size_t width = static_cast<std::size_t>(depth_ + (continuation_ ? 1U : 0U)) * kIndentWidth;
  while (width > 0) {
    const std::size_t chunk = width < kSpaces.size() ? width : kSpaces.size();
    put(kSpaces.substr(0, chunk));
    width -= chunk;
  }
}

void LuaWriter::symbol(std::string_view text) {
  const TokenClass cls = classify_symbol(text);
  begin_token(cls, text.front());
  put(text);
  last_ = cls;
  measure_symbol(cls, text.front());
}

void LuaWriter::name_argument(std::string_view name) {
  begin_token(TokenClass::word, name.front());
  put(name);
  put(',');
  last_ = TokenClass::separator;
  meter_.separator();
}

void LuaWriter::prefix(std::string_view op) {
  if (op == "not") {
    begin_token(TokenClass::keyword, 'n');
    put(op);
    last_ = TokenClass::keyword;
    meter_.chain();
    return;
  }
  const TokenClass cls = op == "-" ? TokenClass::prefix_minus : TokenClass::prefix;
  begin_token(cls, op.empty() ? ' ' : op.front());
  put(op);
  last_ = cls;
  meter_.chain();
}

// Blocks open at `function`, `do`, `then` and `repeat` and close at `end` and `until`;
// `elseif` closes the `then` block its own `then` reopens. A block nests one Lua level
// (its statements); a function, written inside an expression, three: the expression,
// the statements of its body and their expressions.
void LuaWriter::measure_keyword(std::string_view word, TokenClass cls) {
  if (cls == TokenClass::function_word) {
    meter_.open(LuaMeter::Open::function);
    return;
  }
  switch (word[0]) {  // Most keywords need one comparison or none.
    case 'd':
    case 't':
    case 'r':
      if (word == "do" || word == "then" || word == "repeat") meter_.open(LuaMeter::Open::block);
      return;
    case 'e':
    case 'u':
      if (word == "end" || word == "until" || word == "elseif") meter_.close();
      return;
    default: return;
  }
}

void LuaWriter::string_literal(std::string_view bytes) {
  begin_token(TokenClass::word, '"');
  put('"');
  append_escaped(bytes);
  put('"');
  last_ = TokenClass::word;
}

namespace {

// The bytes a "..." literal cannot hold as they are. A table, because string literals
// are scanned byte by byte and four comparisons per byte showed up in profiles.
constexpr std::array<bool, 256> kNeedsEscape = [] {
  std::array<bool, 256> table{};
  for (std::size_t byte = 0; byte < table.size(); ++byte) {
    table[byte] = byte < 0x20 || byte == 0x7F || byte == '"' || byte == '\\';
  }
  return table;
}();

bool needs_escape(unsigned char byte) { return kNeedsEscape[byte]; }

}  // namespace

// Every byte Lua would not read back verbatim inside "..." is escaped; runs of plain
// bytes are copied at once. Control bytes use three-digit decimal escapes so that a
// following digit cannot join them.
void LuaWriter::append_escaped(std::string_view bytes) {
  std::size_t run = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const auto byte = static_cast<unsigned char>(bytes[i]);
    if (!needs_escape(byte)) continue;
    put(bytes.substr(run, i - run));
    run = i + 1;
    switch (byte) {
      case '"': put("\\\""); continue;
      case '\\': put("\\\\"); continue;
      case '\n': put("\\n"); continue;
      case '\r': put("\\r"); continue;
      case '\t': put("\\t"); continue;
      default: break;
    }
    const char escape[4] = {'\\', static_cast<char>('0' + byte / 100),
                            static_cast<char>('0' + (byte / 10) % 10), static_cast<char>('0' + byte % 10)};
    put(std::string_view(escape, 4));
  }
  put(bytes.substr(run));
}

void LuaWriter::integer_digits(std::int64_t value) {
  if (value == std::numeric_limits<std::int64_t>::min()) {
    // "-9223372036854775808" would read back as a float in Lua.
    symbol("(");
    prefix("-");
    integer(std::numeric_limits<std::int64_t>::max());
    binary("-");
    integer(1);
    symbol(")");
    return;
  }
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  const std::string_view digits(buffer, static_cast<std::size_t>(result.ptr - buffer));
  if (value < 0) {
    // Parenthesised so that `2 ^ -1` style contexts and `a - -1` never glue tokens.
    symbol("(");
    put(digits);
    last_ = TokenClass::word;
    symbol(")");
    return;
  }
  begin_token(TokenClass::word, digits.front());
  put(digits);
  last_ = TokenClass::word;
}

void LuaWriter::number(double value) {
  if (std::isnan(value)) {
    symbol("(");
    integer(0);
    binary("/");
    integer(0);
    symbol(")");
    return;
  }
  if (std::isinf(value)) {
    symbol("(");
    if (value < 0) prefix("-");
    integer(1);
    binary("/");
    integer(0);
    symbol(")");
    return;
  }
  char buffer[40];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  std::string_view digits(buffer, static_cast<std::size_t>(result.ptr - buffer));
  const bool looks_float = digits.find_first_of(".e") != std::string_view::npos;
  const bool negative = std::signbit(value);
  if (negative) symbol("(");
  begin_token(TokenClass::word, digits.front());
  put(digits);
  if (!looks_float) put(".0");  // 1e15 prints as "1000000000000000".
  last_ = TokenClass::word;
  if (negative) symbol(")");
}

void LuaWriter::comment(std::string_view text) {
  begin_token(TokenClass::keyword, '-');
  put("-- ");
  // Room for the whole text at once: a capacity check per byte showed up in profiles.
  if (out_.size() - size_ < text.size()) grow(text.size());
  for (const char c : text) out_[size_++] = c == '\n' || c == '\r' ? ' ' : c;
  last_ = TokenClass::keyword;
  newline();
}

void LuaWriter::dedent() {
  if (depth_ > 0) --depth_;
}

void LuaWriter::mark(MarkKind kind, common::Position source) {
  if (kind != MarkKind::statement) {
    for (std::size_t i = line_marks_begin_; i < marks_.size(); ++i) {
      if (marks_[i].kind != kind) continue;
      break_line();
      continuation_ = true;
      break;
    }
  }
  meter_.set_position(source);
  const LineMark entry{line_, kind, source};
  if (!marks_.empty() && marks_.back() == entry) return;
  marks_.push_back(entry);
}

void LuaWriter::grow(std::size_t needed) {
  out_.resize(std::max(out_.size() * 2, size_ + needed + 256));
}

std::string LuaWriter::take_text() {
  std::string text(out_.data(), size_);
  size_ = 0;
  line_ = 1;
  line_marks_begin_ = marks_.size();
  continuation_ = false;
  last_ = TokenClass::line_start;
  meter_.reset();
  return text;
}

std::vector<LineMark> LuaWriter::take_line_map() {
  std::vector<LineMark> marks = std::move(marks_);
  marks_.clear();
  line_marks_begin_ = 0;
  return marks;
}

}  // namespace er::lang

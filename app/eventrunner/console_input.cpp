#include "console_input.h"

#include "lang/compiler.h"
#include "lang/lexer.h"

namespace er::cli {

namespace {

using lang::LexError;
using lang::TokenKind;

// What the tokens of a chunk say, before any parsing.
struct TokenSummary {
  bool unfinished = false;        ///< A long string or comment, or a "\"-continued string, is open.
  bool ends_with_arrow = false;   ///< The last token is `=>`.
  bool has_top_level_arrow = false;  ///< `=>` outside brackets: the chunk is a rule.
};

bool continues_string(const lang::Token& token, std::string_view chunk) {
  // Short strings span lines as in ER7, so an open quote waits for the next line too.
  if (token.error == LexError::UnfinishedLongString ||
      token.error == LexError::UnfinishedLongComment || token.error == LexError::UnfinishedString) {
    return true;
  }
  // A backslash ending the input is an escape the next line completes (Lua's escaped
  // line break); the lexer sees it as a bad escape.
  return token.error == LexError::InvalidEscape && chunk.ends_with('\\');
}

int depth_change(TokenKind kind) {
  switch (kind) {
    case TokenKind::LeftParen: case TokenKind::LeftBracket: case TokenKind::LeftBrace: return 1;
    case TokenKind::RightParen: case TokenKind::RightBracket: case TokenKind::RightBrace: return -1;
    default: return 0;
  }
}

TokenSummary summarise_tokens(std::string_view chunk) {
  TokenSummary summary;
  lang::Lexer lexer(chunk);
  int depth = 0;
  TokenKind last = TokenKind::Eof;
  for (lang::Token token = lexer.next(); token.kind != TokenKind::Eof; token = lexer.next()) {
    if (token.kind == TokenKind::Error) {
      summary.unfinished = continues_string(token, chunk);
      if (token.error != LexError::UnexpectedCharacter) break;  // The lexer cannot go on reliably.
    }
    depth += depth_change(token.kind);
    if (token.kind == TokenKind::FatArrow && depth <= 0) summary.has_top_level_arrow = true;
    last = token.kind;
  }
  summary.ends_with_arrow = last == TokenKind::FatArrow;
  return summary;
}

// The first error of compiling `source` as eval does, or nothing when it compiles.
std::optional<std::string> first_error(std::string_view source) {
  lang::CompileOptions options;
  options.file = "console";
  options.kind = lang::SourceKind::definition;
  options.max_errors = 1;
  const lang::CompileResult result = lang::compile(source, options);
  if (result.ok()) return std::nullopt;
  const auto& items = result.diagnostics.items();
  return items.empty() ? std::string() : items.front().message;
}

}  // namespace

bool is_blank(std::string_view line) { return line.find_first_not_of(" \t\r") == std::string_view::npos; }

// A chunk that compiles as written, or as `return <chunk>` (eval's rule for bare
// expressions, so that `hall_lamp:value` is complete), is whole. Otherwise it is open
// when the parser's only complaint is the end of input, which it names as the token it
// got: "Expected 'end' (to close 'if' at line 1), got '<eof>'".
ChunkState classify_chunk(std::string_view chunk) {
  const TokenSummary tokens = summarise_tokens(chunk);
  if (tokens.unfinished || tokens.ends_with_arrow) return ChunkState::open;
  const ChunkState whole = tokens.has_top_level_arrow ? ChunkState::complete_rule : ChunkState::complete;
  const std::optional<std::string> error = first_error(chunk);
  if (!error || !first_error("return " + std::string(chunk))) return whole;
  return error->ends_with("got '<eof>'") ? ChunkState::open : whole;
}

std::optional<std::string> ChunkAssembler::take_rule_before(std::string_view line) {
  const bool indented = !line.empty() && (line.front() == ' ' || line.front() == '\t') && !is_blank(line);
  if (buffer_.empty() || state_ != ChunkState::complete_rule || indented) return std::nullopt;
  return take();
}

std::vector<std::string> ChunkAssembler::add_line(std::string_view line) {
  std::vector<std::string> ready;
  if (std::optional<std::string> rule = take_rule_before(line)) {
    ready.push_back(std::move(*rule));
    if (is_blank(line)) return ready;  // The blank line only ended the rule.
  }
  const bool blank = is_blank(line);
  if (buffer_.empty() && blank) return ready;
  if (blank && last_line_blank_) {
    ready.push_back(take());
    return ready;
  }
  if (!buffer_.empty()) buffer_ += '\n';
  buffer_ += line;
  last_line_blank_ = blank;
  state_ = classify_chunk(buffer_);
  if (state_ == ChunkState::complete) ready.push_back(take());
  return ready;
}

std::optional<std::string> ChunkAssembler::finish() {
  if (buffer_.empty()) return std::nullopt;
  return take();
}

std::string ChunkAssembler::take() {
  std::string chunk = std::move(buffer_);
  buffer_.clear();
  state_ = ChunkState::complete;
  last_line_blank_ = false;
  // Trailing blank lines of an open block are noise in the engine's diagnostics.
  while (!chunk.empty() && (chunk.back() == '\n' || chunk.back() == ' ' || chunk.back() == '\t')) chunk.pop_back();
  return chunk;
}

}  // namespace er::cli

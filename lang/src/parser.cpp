// Parser core: tokens, diagnostics, node helpers and the entry points.

#include <string>
#include <utility>

#include "parser_impl.h"

namespace er::lang {

namespace {

Token eof_at(const Token& token) {
  Token eof;
  eof.kind = TokenKind::Eof;
  eof.begin = token.begin;
  eof.end = token.begin;
  eof.offset = token.offset;
  return eof;
}

}  // namespace

Parser::Parser(std::string_view source, common::Arena& arena, common::Interner& names,
               common::DiagnosticList& diagnostics)
    : source_(source), arena_(arena), names_(names), diagnostics_(diagnostics), lexer_(source) {
  tokens_.reserve(256);
}

// ---------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------

const Token& Parser::lex_up_to(std::size_t index) {
  while (index >= tokens_.size() && !lexed_all_) {
    tokens_.push_back(lexer_.next());
    lexed_all_ = tokens_.back().kind == TokenKind::Eof;
  }
  return index < tokens_.size() ? tokens_[index] : tokens_.back();
}

void Parser::drop_tokens_before(std::size_t index) {
  tokens_.erase(tokens_.begin(), tokens_.begin() + static_cast<std::ptrdiff_t>(index));
}

bool Parser::scan_for_rule_arrow(std::size_t first, bool stop_at_column_one) {
  int depth = 0;
  for (std::size_t i = first;; ++i) {
    const Token& token = token_at(i);
    if (token.kind == TokenKind::Eof) return false;
    if (stop_at_column_one && i != first && token.begin.column == 1) return false;
    switch (token.kind) {
      case TokenKind::LeftParen:
      case TokenKind::LeftBracket:
      case TokenKind::LeftBrace:
        ++depth;
        break;
      case TokenKind::RightParen:
      case TokenKind::RightBracket:
      case TokenKind::RightBrace:
        if (depth > 0) --depth;
        break;
      case TokenKind::FatArrow:
        if (depth == 0) return true;
        break;
      default:
        break;
    }
  }
}

bool Parser::is_item_boundary(std::size_t index) {
  if (!file_mode_ || index == item_start_) return false;
  const Token& token = token_at(index);
  if (token.kind == TokenKind::Eof || token.begin.column != 1) return false;
  // A rule name on a line of its own starts the next item (the rule below it).
  return stop_at_column_one_ || is_label_at(index) || scan_for_rule_arrow(index, true);
}

Token Parser::peek(std::size_t ahead) {
  if (failed_ || at_boundary_) return current_;
  std::size_t index = current_index_;
  for (std::size_t step = 0; step <= ahead; ++step) {
    if (token_at(index).kind == TokenKind::Eof) return token_at(index);
    ++index;
    if (is_item_boundary(index)) return eof_at(token_at(index));
  }
  return token_at(index);
}

void Parser::advance() {
  previous_end_ = current_.end;
  // After a syntax error, and at the end of an item, the parser sees <eof> for ever.
  if (failed_ || at_boundary_ || current_.kind == TokenKind::Eof) return;
  ++current_index_;
  if (is_item_boundary(current_index_)) {
    at_boundary_ = true;
    current_ = eof_at(token_at(current_index_));
    return;
  }
  current_ = token_at(current_index_);
  if (current_.kind == TokenKind::Error) report_lexical_error(current_);
}

bool Parser::accept(TokenKind kind) {
  if (!check(kind)) return false;
  advance();
  return true;
}

bool Parser::expect(TokenKind kind) {
  if (accept(kind)) return true;
  error_expected(token_kind_spelling(kind));
  return false;
}

bool Parser::expect_match(TokenKind closing, TokenKind opening, Position opened_at) {
  if (accept(closing)) return true;
  const bool bracket = opening == TokenKind::LeftParen || opening == TokenKind::LeftBracket ||
                       opening == TokenKind::LeftBrace;
  if (bracket && opened_at.line == current_.begin.line) {
    error_expected(token_kind_spelling(closing));
    return false;
  }
  std::string note = "to close '";
  note.append(token_kind_spelling(opening)).append("' at line ").append(std::to_string(opened_at.line));
  error_expected(token_kind_spelling(closing), note);
  return false;
}

// ---------------------------------------------------------------------------------
// Diagnostics
// ---------------------------------------------------------------------------------

void Parser::syntax_error(Position at, std::string message) {
  if (failed_) return;
  failed_ = true;
  ++error_count_;
  diagnostics_.error(at, std::move(message));
  current_ = eof_at(current_);
}

void Parser::static_error(Position at, std::string message) {
  if (failed_) return;  // Nothing after the first syntax error is reported.
  ++error_count_;
  diagnostics_.error(at, std::move(message));
}

void Parser::error_expected(std::string_view what, std::string_view note) {
  if (failed_) return;
  if (check(TokenKind::PipePipe)) {
    syntax_error(current_.begin, "Use '|' (or 'or') for OR, not '||'");
    return;
  }
  const std::string_view got = check(TokenKind::Eof) ? std::string_view("<eof>") : current_.text;
  std::string message = "Expected '";
  message.append(what).append("'");
  if (!note.empty()) message.append(" (").append(note).append(")");
  message.append(", got '").append(got).append("'");
  if (is_reserved_word(current_.kind)) message.append(" ('").append(got).append("' is a reserved word)");
  syntax_error(current_.begin, std::move(message));
}

void Parser::report_lexical_error(const Token& token) {
  syntax_error(token.begin, lexical_error_message(token));
}

bool Parser::enter_level() {
  if (++depth_ <= kMaxDepth) return true;
  syntax_error(current_.begin, "expression or block nested too deeply (limit is " +
                                   std::to_string(kMaxDepth) + "); simplify it");
  return false;
}

// ---------------------------------------------------------------------------------
// Node helpers
// ---------------------------------------------------------------------------------

Binding Parser::binding(const Token& name) { return Binding{intern(name.text), name.location()}; }

Binding Parser::expect_name() {
  if (check(TokenKind::Name)) {
    const Binding result = binding(current_);
    advance();
    return result;
  }
  error_expected("<name>");
  return Binding{Name{}, current_.location()};
}

ExprError* Parser::error_expr(Position begin) {
  return arena_.make<ExprError>(span_from(begin), AstArray<Expr*>{});
}

StatError* Parser::error_stat(Position begin) {
  return arena_.make<StatError>(span_from(begin), AstArray<Expr*>{}, AstArray<Stat*>{});
}

StatError* Parser::error_stat(Position begin, std::initializer_list<Expr*> parts) {
  const std::size_t mark = exprs_.mark();
  for (Expr* part : parts) {
    if (part != nullptr) exprs_.push(part);
  }
  return arena_.make<StatError>(span_from(begin), exprs_.finish(mark, arena_), AstArray<Stat*>{});
}

// The decoded value of a String token: a view into the source when it has no escapes,
// else a copy in the arena.
std::string_view Parser::decode_string_token(const Token& token) {
  const std::string_view text = token.text;
  if (!string_needs_decoding(text)) {
    std::size_t delimiter = 1;
    if (text[0] == '[') delimiter = text.find('[', 1) + 1;
    return text.substr(delimiter, text.size() - 2 * delimiter);
  }
  decode_buffer_.clear();
  decode_string(text, decode_buffer_);
  const char* data = arena_.copy_array(decode_buffer_.data(), decode_buffer_.size());
  return std::string_view(data, decode_buffer_.size());
}

// ---------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------

// chunk ::= [label] rule | block
Chunk* Parser::parse_chunk(ChunkMode mode) {
  Label label;
  // A label names a rule only: in front of a script it stays the lexical error it was.
  const bool labelled_rule = mode != ChunkMode::Script && is_label_at(0) &&
                             (mode == ChunkMode::Rule || scan_for_rule_arrow(3, false));
  const std::size_t first = labelled_rule ? take_label(0, label) : 0;
  current_index_ = first;
  current_ = token_at(first);
  const bool is_rule =
      mode == ChunkMode::Rule || (mode == ChunkMode::Auto && scan_for_rule_arrow(first, false));
  if (current_.kind == TokenKind::Error) report_lexical_error(current_);
  const Position begin = labelled_rule ? label.begin : current_.begin;
  previous_end_ = current_.begin;
  Rule* rule = nullptr;
  StatBlock* script = nullptr;
  if (is_rule) {
    rule = parse_rule();
  } else {
    script = parse_block();
  }
  if (!check(TokenKind::Eof)) error_expected("<eof>");
  auto* chunk = arena_.make<Chunk>(span_from(begin), rule, script);
  chunk->text = source_;
  chunk->has_syntax_error = failed_;
  chunk->name = label.name;
  chunk->name_position = label.position;
  if (!failed_) chunk->source_hash = normalized_hash(first, tokens_.size());
  return chunk;
}

ParseResult parse(std::string_view source, common::Arena& arena, common::Interner& names,
                  common::DiagnosticList& diagnostics, const ParseOptions& options) {
  Parser parser(source, arena, names, diagnostics);
  Chunk* chunk = parser.parse_chunk(options.mode);
  return ParseResult{chunk, parser.error_count()};
}

FileParseResult parse_file(std::string_view source, common::Arena& arena, common::Interner& names,
                           common::DiagnosticList& diagnostics, const ParseOptions&) {
  Parser parser(source, arena, names, diagnostics);
  SourceFile* file = parser.parse_source_file();
  return FileParseResult{file, parser.error_count()};
}

bool is_rule_source(std::string_view source) {
  Lexer lexer(source);
  int depth = 0;
  for (Token token = lexer.next(); token.kind != TokenKind::Eof; token = lexer.next()) {
    if (token.kind == TokenKind::LeftParen || token.kind == TokenKind::LeftBracket ||
        token.kind == TokenKind::LeftBrace) {
      ++depth;
    } else if (token.kind == TokenKind::RightParen || token.kind == TokenKind::RightBracket ||
               token.kind == TokenKind::RightBrace) {
      depth = depth > 0 ? depth - 1 : 0;
    } else if (token.kind == TokenKind::FatArrow && depth == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace er::lang

// Rules (spec §6) and the items of a rules file.

#include <array>

#include "parser_impl.h"

namespace er::lang {

namespace {

struct ModifierInfo {
  std::string_view word;
  ModifierKind kind;
  std::string_view missing_operand;  // The message when the operand is missing.
};

constexpr std::array<ModifierInfo, 6> kModifiers = {{
    {"single", ModifierKind::Single, ""},
    {"since", ModifierKind::Since, "'since' requires a duration (e.g. since 00:05)"},
    {"debounce", ModifierKind::Debounce, "'debounce' requires a duration (e.g. debounce 2)"},
    {"cooldown", ModifierKind::Cooldown, "'cooldown' requires a duration (e.g. cooldown 00:10)"},
    {"every", ModifierKind::Every, "'every' requires a count (e.g. every 3)"},
    {"first_in", ModifierKind::FirstIn, "'first_in' requires a time window (e.g. first_in 06:00..09:00)"},
}};

const ModifierInfo* find_modifier(const Token& token) {
  if (token.kind != TokenKind::Name) return nullptr;
  for (const ModifierInfo& info : kModifiers) {
    if (info.word == token.text) return &info;
  }
  return nullptr;
}

// Tokens that can start an expression (a modifier's operand).
bool starts_expression(const Token& token) {
  switch (token.kind) {
    case TokenKind::Nil: case TokenKind::True: case TokenKind::False:
    case TokenKind::Number: case TokenKind::String: case TokenKind::Time:
    case TokenKind::Date: case TokenKind::Ellipsis: case TokenKind::Event:
    case TokenKind::Persistent: case TokenKind::QaVariable: case TokenKind::QaStorage:
    case TokenKind::LeftParen: case TokenKind::LeftBrace: case TokenKind::LeftBracket:
    case TokenKind::Function: case TokenKind::Minus: case TokenKind::Bang:
    case TokenKind::Not: case TokenKind::TodayPrefix: case TokenKind::NextPrefix:
    case TokenKind::FromNowPrefix: case TokenKind::At: case TokenKind::AtAt:
    case TokenKind::AtAtMinus:
      return true;
    case TokenKind::Name:
      return find_modifier(token) == nullptr;
    default:
      return false;
  }
}

}  // namespace

// rule ::= exp {modifier} '=>' block
Rule* Parser::parse_rule() {
  const Position begin = current_.begin;
  in_rule_ = true;
  Expr* condition = nullptr;
  if (check(TokenKind::FatArrow)) {
    syntax_error(current_.begin, "Rule requires a condition before '=>'");
    condition = error_expr(begin);
  } else {
    in_condition_ = true;
    seen_daily_ = false;
    seen_interval_ = false;
    condition = parse_condition();
    in_condition_ = false;
  }
  const std::size_t mark = modifiers_.mark();
  parse_modifiers();
  const AstArray<RuleModifier> modifiers = modifiers_.finish(mark, arena_);
  const Location arrow = current_.location();
  if (!accept(TokenKind::FatArrow)) {
    if (check(TokenKind::PipePipe)) {
      error_expected("=>");
    } else {
      syntax_error(current_.begin, "Expected '=>' after rule modifiers");
    }
  }
  StatBlock* action = parse_block();
  in_rule_ = false;
  return arena_.make<Rule>(span_from(begin), condition, modifiers, arrow, action);
}

// modifier ::= 'single' | ('since' | 'debounce' | 'cooldown' | 'every' | 'first_in') exp
void Parser::parse_modifiers() {
  unsigned seen = 0;  // One bit per ModifierKind.
  while (const ModifierInfo* info = find_modifier(current_)) {
    const Token word = current_;
    advance();
    RuleModifier modifier;
    modifier.kind = info->kind;
    modifier.word_location = word.location();
    if (info->kind != ModifierKind::Single) modifier.operand = parse_modifier_operand(info->kind, word);
    modifier.location = span_from(word.begin);
    const unsigned bit = 1U << static_cast<unsigned>(info->kind);
    if ((seen & bit) != 0) static_error(word.begin, "duplicate modifier '" + std::string(info->word) + "'");
    seen |= bit;
    modifiers_.push(modifier);
  }
}

Expr* Parser::parse_modifier_operand(ModifierKind kind, const Token& word) {
  if (!starts_expression(current_)) {
    syntax_error(word.begin, std::string(kModifiers[static_cast<std::size_t>(kind)].missing_operand));
    return error_expr(current_.begin);
  }
  return parse_expr();
}

// ---------------------------------------------------------------------------------
// Rules files
// ---------------------------------------------------------------------------------

// file ::= {item}; each item starts at a token in column 1 (the first may be indented).
SourceFile* Parser::parse_source_file() {
  file_mode_ = true;
  const Position begin = token_at(0).begin;
  const std::size_t mark = chunks_.mark();
  std::size_t first = 0;
  const Chunk* previous = nullptr;
  while (token_at(first).kind != TokenKind::Eof) {
    drop_tokens_before(first);  // The previous item's tokens are no longer needed.
    Chunk* item = nullptr;
    first = parse_item(0, item);
    // An item of only ';' is no definition at all.
    if (item->is_rule() || !item->script->body.empty() || failed_) {
      if (previous != nullptr) warn_if_rule_was_cut(*previous, *item);
      chunks_.push(item);
      previous = item;
    }
  }
  const AstArray<Chunk*> items = chunks_.finish(mark, arena_);
  return arena_.make<SourceFile>(Location{begin, token_at(first).begin}, items);
}

// A porting hazard: a rule whose action is empty or ends in ';', followed by a script
// item, was most likely meant to go on, its continuation lines written in column 1 as
// in an EventRunner7 rule string. They are a script that runs once, when the file is
// loaded; the warning says so at the script's first line.
void Parser::warn_if_rule_was_cut(const Chunk& rule_item, const Chunk& next) {
  if (!rule_item.is_rule() || next.is_rule() || rule_item.has_syntax_error || next.has_syntax_error) return;
  const std::string_view text = rule_item.text;
  const bool empty_action = rule_item.rule->action->body.empty();
  if (!empty_action && (text.empty() || text.back() != ';')) return;
  const Position at = next.location.begin;
  std::string shown(text.substr(0, text.find('\n')));
  if (!rule_item.name.empty()) shown = rule_item.name;
  if (shown.size() > 60) shown = shown.substr(0, 57) + "...";
  const std::string rule_line = std::to_string(rule_item.location.begin.line);
  diagnostics_.warning(at, "line " + std::to_string(at.line) +
                               " starts in column 1, so it is a script that runs once when the file is "
                               "loaded, not part of the rule '" +
                               shown + "' (line " + rule_line + "): indent the lines that continue the rule" +
                               (empty_action ? "" : ", or drop the ';' that ends it"));
}

// item ::= [label] rule | {stat}   (a rule's action ends before the next column-1 token)
std::size_t Parser::parse_item(std::size_t first, Chunk*& chunk) {
  const std::uint32_t item_offset = token_at(first).offset;
  Label label;
  first = take_label(first, label);
  start_item(first);
  const Position begin = label.name.empty() ? current_.begin : label.begin;
  Rule* rule = nullptr;
  StatBlock* script = nullptr;
  const bool is_rule = scan_for_rule_arrow(first, true);
  check_label_target(label, is_rule);
  if (is_rule) {
    stop_at_column_one_ = true;
    rule = parse_rule();
    if (!check(TokenKind::Eof)) error_expected("<eof>");
  } else {
    stop_at_column_one_ = false;
    script = parse_script_item();
  }
  const std::size_t next = failed_ ? skip_to_next_item(first) : current_index_;
  chunk = arena_.make<Chunk>(span_from(begin), rule, script);
  chunk->has_syntax_error = failed_;
  chunk->name = label.name;
  chunk->name_position = label.position;
  chunk->source_hash = normalized_hash(first, next);
  std::string_view text = source_.substr(item_offset, token_at(next).offset - item_offset);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ' ||
                           text.back() == '\t')) {
    text.remove_suffix(1);
  }
  chunk->text = text;
  return next;
}

void Parser::start_item(std::size_t first) {
  failed_ = false;
  at_boundary_ = false;
  function_ = FunctionContext{};
  in_rule_ = false;
  in_condition_ = false;
  item_start_ = first;
  current_index_ = first;
  current_ = token_at(first);
  previous_end_ = current_.begin;
  if (current_.kind == TokenKind::Error) report_lexical_error(current_);
}

// Consecutive statements up to the next item that is a rule (or the end). Top-level
// statements that start in column 1 stay in one script, so that its locals are shared.
StatBlock* Parser::parse_script_item() {
  const Position begin = current_.begin;
  const std::size_t mark = stats_.mark();
  while (!check(TokenKind::Eof)) {
    if (block_follows()) {
      error_expected("<eof>");
      break;
    }
    if (check(TokenKind::Return)) {
      stats_.push(parse_return());
      if (!check(TokenKind::Eof)) error_expected("<eof>");
      break;
    }
    if (Stat* stat = parse_statement()) stats_.push(stat);
  }
  const AstArray<Stat*> body = stats_.finish(mark, arena_);
  return arena_.make<StatBlock>(span_from(begin), body);
}

// ---------------------------------------------------------------------------------
// Rule names (docs/eventscript.md#rule-names-and-identity)
// ---------------------------------------------------------------------------------

namespace {

// The lexer reads '::' as an error token (goto and labels are not Lua we support); a
// label in front of a rule is the one place where it means something.
bool is_double_colon(const Token& token) {
  return token.kind == TokenKind::Error && token.error == LexError::Label;
}

}  // namespace

// label ::= '::' Name '::'   (on one line)
bool Parser::is_label_at(std::size_t index) {
  const Token open = token_at(index);
  if (!is_double_colon(open)) return false;
  const Token name = token_at(index + 1);
  const Token close = token_at(index + 2);
  return name.kind == TokenKind::Name && is_double_colon(close) &&
         close.begin.line == open.begin.line;
}

std::size_t Parser::take_label(std::size_t first, Label& label) {
  if (!is_label_at(first)) return first;
  label.begin = token_at(first).begin;
  const Token name = token_at(first + 1);
  label.name = name.text;
  label.position = name.begin;
  return first + 3;
}

void Parser::check_label_target(const Label& label, bool is_rule) {
  if (label.name.empty() || is_rule) return;
  const std::string shown = "'::" + std::string(label.name) + "::'";
  if (check(TokenKind::Eof) || is_label_at(current_index_)) {
    static_error(label.position, "rule name " + shown + " is not followed by a rule");
  } else {
    static_error(label.position,
                 "rule name " + shown + " is given to a script; only rules have names");
  }
}

std::uint64_t Parser::normalized_hash(std::size_t from, std::size_t to) {
  constexpr std::uint64_t kOffset = 14695981039346656037ULL;
  constexpr std::uint64_t kPrime = 1099511628211ULL;
  std::uint64_t hash = kOffset;
  for (std::size_t i = from; i < to; ++i) {
    const Token& token = token_at(i);
    if (token.kind == TokenKind::Eof) break;
    if (i != from) hash = (hash ^ static_cast<unsigned char>(' ')) * kPrime;
    for (const char c : token.text) hash = (hash ^ static_cast<unsigned char>(c)) * kPrime;
  }
  return hash;
}

// After a syntax error: the first token from the error on that starts in column 1 (or
// the end).
std::size_t Parser::skip_to_next_item(std::size_t first) {
  std::size_t index = current_index_ > first ? current_index_ : first + 1;
  while (token_at(index).kind != TokenKind::Eof && token_at(index).begin.column != 1) ++index;
  return index;
}

}  // namespace er::lang

#pragma once
// The recursive-descent parser behind parse() and parse_file(). Private to lang/src.
// The grammar (spec §2) is split by concern: parser.cpp holds token handling, errors and
// the entry points; parser_expr.cpp the expressions; parser_stat.cpp the statements;
// parser_rule.cpp rules and rules-file items. Each parse function is headed by the
// production it implements.
//
// Error policy (spec §13.1): the first *syntax* error of a definition is reported and
// stops it: the parser then sees an endless <eof>, so every loop unwinds and partial
// nodes are still built. Static errors that do not confuse the parse ('break' outside
// a loop, '@' outside a condition, ...) are reported and parsing goes on.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "common/arena.h"
#include "common/diagnostic.h"
#include "common/interner.h"
#include "lang/ast.h"
#include "lang/lexer.h"
#include "lang/parser.h"

namespace er::lang {

/// A stack of pending list elements shared by all nested lists of one type: a list
/// pushes its elements, then moves them into the arena and pops them, so building
/// lists allocates no heap memory once the stack has grown.
template <typename T>
class ScratchStack {
 public:
  /// Marks the start of a list; pass the mark to finish().
  [[nodiscard]] std::size_t mark() const { return items_.size(); }
  void push(const T& item) { items_.push_back(item); }
  [[nodiscard]] std::size_t size_since(std::size_t mark) const { return items_.size() - mark; }

  AstArray<T> finish(std::size_t mark, common::Arena& arena) {
    const std::size_t count = items_.size() - mark;
    T* data = arena.copy_array(items_.data() + mark, count);
    items_.resize(mark);
    return AstArray<T>{data, count};
  }

 private:
  std::vector<T> items_;
};

/// A rule name label `::name::` in front of an item (empty name: none).
struct Label {
  std::string_view name;
  Position position;  ///< Where the name (not the '::') is.
  Position begin;     ///< Where the label starts.
};

class Parser {
 public:
  Parser(std::string_view source, common::Arena& arena, common::Interner& names,
         common::DiagnosticList& diagnostics);

  /// chunk ::= rule | block
  Chunk* parse_chunk(ChunkMode mode);
  /// A rules file: items, each starting at a line that starts in column 1.
  SourceFile* parse_source_file();
  void warn_if_rule_was_cut(const Chunk& rule_item, const Chunk& next);

  [[nodiscard]] std::size_t error_count() const { return error_count_; }

 private:
  // ----- tokens (parser.cpp) -----
  /// tokens_[index], lexing on demand (past the end: the Eof token). The reference is
  /// valid until the next call: lexing may grow the window.
  /// The fast path is inline because the parser asks for tokens several times each.
  const Token& token_at(std::size_t index) {
    if (index < tokens_.size()) return tokens_[index];
    return lex_up_to(index);
  }
  /// The slow path of token_at: lexes until tokens_[index] exists or the input ends.
  const Token& lex_up_to(std::size_t index);
  /// Drops the tokens before `index` from the window (a new rules-file item starts there).
  void drop_tokens_before(std::size_t index);
  /// Whether the tokens from `first` on contain a '=>' outside brackets: up to the next
  /// token in column 1 with `stop_at_column_one` (a rules-file item), else to the end.
  bool scan_for_rule_arrow(std::size_t first, bool stop_at_column_one);
  void advance();
  /// The token `ahead` positions after current_ (<eof> past an item boundary).
  Token peek(std::size_t ahead = 0);
  /// In a rules file: whether tokens_[index] starts the next item, so that the current
  /// item ends before it.
  bool is_item_boundary(std::size_t index);
  [[nodiscard]] bool check(TokenKind kind) const { return current_.kind == kind; }
  bool accept(TokenKind kind);
  /// Consumes `kind` or reports "Expected 'kind', got '...'" (a syntax error).
  bool expect(TokenKind kind);
  /// Consumes `closing`, the end of a construct opened by `opening` at `opened_at`, or
  /// reports "Expected 'end' (to close 'if' at line 3), got '<eof>'" (Lua's check_match).
  /// Brackets name their opener only when it is on an earlier line.
  bool expect_match(TokenKind closing, TokenKind opening, Position opened_at);
  [[nodiscard]] Location span_from(Position begin) const { return Location{begin, previous_end_}; }

  // ----- diagnostics (parser.cpp) -----
  /// Reports the first syntax error of the definition and stops it.
  void syntax_error(Position at, std::string message);
  /// Reports an error that does not stop the parse.
  void static_error(Position at, std::string message);
  /// "Expected '<what>', got '<current>'" (+ the reserved-word note), or the specific
  /// message for a token that has one ('||' outside 'case').
  void error_expected(std::string_view what, std::string_view note = {});
  void report_lexical_error(const Token& token);
  [[nodiscard]] bool failed() const { return failed_; }

  // ----- building (parser.cpp) -----
  Name intern(std::string_view text) { return names_.intern(text); }
  Binding binding(const Token& name);
  /// Name ::= a Name token; reports and returns an empty binding otherwise.
  Binding expect_name();
  ExprError* error_expr(Position begin);
  StatError* error_stat(Position begin);
  /// A StatError that keeps the expressions parsed so far.
  StatError* error_stat(Position begin, std::initializer_list<Expr*> parts);
  std::string_view decode_string_token(const Token& token);

  // ----- expressions (parser_expr.cpp) -----
  Expr* parse_expr();
  Expr* parse_binary(int limit);
  Expr* parse_operand(int limit);
  Expr* parse_postfix();
  Expr* parse_suffixes(Expr* object, Position begin);
  Expr* parse_colon_suffix(Expr* object, Position begin);
  AstArray<Expr*> parse_call_args();
  Expr* parse_primary();
  Expr* parse_literal();
  Expr* parse_name_or_lambda();
  Expr* parse_paren_or_lambda();
  [[nodiscard]] bool paren_starts_lambda();
  ExprTable* parse_table();
  void parse_table_field();
  Expr* parse_comprehension_rest(Position begin, Expr* element);
  Expr* parse_comprehension();
  Expr* parse_event();
  Expr* parse_persistent();
  Expr* parse_number_token(const Token& token);
  ExprDate* parse_date_token(const Token& token);
  ExprFunction* parse_function_body(Position begin, bool is_method);
  /// The parameter list; returns whether it ends with '...' (setting its location).
  bool parse_parameters(Location& vararg_location);
  ExprLambda* parse_lambda_body(Position begin, AstArray<Binding> params, bool parenthesized);
  AstArray<Expr*> parse_expr_list();
  Expr* make_binary(BinaryOp op, const Token& op_token, Expr* left, Expr* right);
  void check_schedule(ScheduleKind kind, const Token& op_token, Expr* operand);
  void check_daily_literals(const Expr* operand);
  void check_between_operands(const Token& op_token, Expr* left, Expr* right);
  /// An expression followed by the '=' hint check (if/elseif/while/until, rule conditions).
  Expr* parse_condition();

  // ----- statements (parser_stat.cpp) -----
  StatBlock* parse_block();
  [[nodiscard]] bool block_follows() const;
  Stat* parse_statement();
  Stat* parse_keyword_statement();
  Stat* parse_if();
  Stat* parse_while();
  Stat* parse_do();
  Stat* parse_repeat();
  Stat* parse_case();
  Stat* parse_for();
  Stat* parse_numeric_for(Position begin, Binding var);
  Stat* parse_generic_for(Position begin, Binding first);
  Stat* parse_function_statement();
  Stat* parse_local();
  Stat* parse_local_function(Position begin);
  Stat* parse_return();
  Stat* parse_break();
  Stat* parse_expression_statement();
  Stat* parse_assignment(Position begin, Expr* first);
  Stat* parse_compound_assignment(Position begin, Expr* target);
  bool check_assignment_target(Expr* target);
  StatBlock* parse_loop_body();

  // ----- scene declarations (parser_scene.cpp) -----
  /// Whether the statement here is `scene Name ...` (on one line).
  [[nodiscard]] bool at_scene_declaration();
  Stat* parse_scene();
  std::vector<TableField> parse_scene_bodies(Position open);
  Stat* make_scene_assignment(Location at, Binding name, ExprTable* bodies);
  [[nodiscard]] bool at_scene_section();
  ExprTable* parse_scene_entries();
  bool parse_scene_entry(std::vector<TableField>& entries);
  ExprTable* make_table(Location at, const std::vector<TableField>& fields);

  // ----- rules and items (parser_rule.cpp) -----
  Rule* parse_rule();
  void parse_modifiers();
  Expr* parse_modifier_operand(ModifierKind kind, const Token& word);
  /// Parses the item starting at `first`; sets `next` to the next item's first token.
  /// Parses the item starting at tokens_[first]; returns the next item's first index.
  std::size_t parse_item(std::size_t first, Chunk*& chunk);
  void start_item(std::size_t first);
  StatBlock* parse_script_item();
  std::size_t skip_to_next_item(std::size_t first);
  /// Whether tokens_[index] starts a rule name label `::name::` (on one line).
  bool is_label_at(std::size_t index);
  /// If a label starts at `first`: records it in `label` and returns the index of the
  /// token after it; otherwise returns `first`.
  std::size_t take_label(std::size_t first, Label& label);
  /// Reports a label that names no rule (static errors: the item is parsed as usual).
  void check_label_target(const Label& label, bool is_rule);
  /// FNV-1a 64 of the texts of tokens_[from, to), joined by single spaces.
  std::uint64_t normalized_hash(std::size_t from, std::size_t to);

  // ----- nesting limit (parser.cpp) -----
  /// Nested expressions and blocks (and operators chained at one level) beyond this are
  /// an error, so that no input can overflow the stack here or in later tree walks.
  static constexpr int kMaxDepth = 200;
  /// Counts one nesting level; false (and a syntax error) beyond kMaxDepth. Every call,
  /// successful or not, is paired with leave_level().
  bool enter_level();
  void leave_level() { --depth_; }

  // ----- state -----
  std::string_view source_;
  common::Arena& arena_;
  common::Interner& names_;
  common::DiagnosticList& diagnostics_;
  // Tokens are lexed once into a window: a whole definition for parse(), the current
  // item (and the line group after it) for a rules file, so memory stays small.
  Lexer lexer_;
  std::vector<Token> tokens_;
  bool lexed_all_ = false;         // tokens_ ends with the Eof token.
  std::size_t current_index_ = 0;  // Where current_ is in tokens_ (or would be).
  Token current_;                // tokens_[current_index_], or an <eof> after an error.
  Position previous_end_;

  // Rules-file items: a token in column 1 ends a rule item; one that starts a rule ends
  // a script item. The parser then reads <eof> there.
  bool file_mode_ = false;
  bool stop_at_column_one_ = false;
  std::size_t item_start_ = 0;
  bool at_boundary_ = false;

  bool failed_ = false;
  int depth_ = 0;
  std::size_t error_count_ = 0;

  // Context for static checks.
  struct FunctionContext {
    bool is_vararg = false;
    int loop_depth = 0;
    int case_depth = 0;
  };
  FunctionContext function_;
  bool in_rule_ = false;        // Parsing a rule (its condition or action).
  bool in_condition_ = false;   // Inside a rule condition, outside any function body.
  bool seen_daily_ = false;     // The condition has an '@'.
  bool seen_interval_ = false;  // The condition has an '@@' or '@@-'.

  std::string decode_buffer_;
  ScratchStack<Expr*> exprs_;
  ScratchStack<Stat*> stats_;
  ScratchStack<Binding> bindings_;
  ScratchStack<TableField> fields_;
  ScratchStack<ConditionalClause> clauses_;
  ScratchStack<RuleModifier> modifiers_;
  ScratchStack<Chunk*> chunks_;
};

}  // namespace er::lang

// Statements (spec §2, §4).

#include "parser_impl.h"

namespace er::lang {

namespace {

bool compound_op(TokenKind kind, BinaryOp& op) {
  switch (kind) {
    case TokenKind::PlusAssign: op = BinaryOp::Add; return true;
    case TokenKind::MinusAssign: op = BinaryOp::Sub; return true;
    case TokenKind::StarAssign: op = BinaryOp::Mul; return true;
    case TokenKind::SlashAssign: op = BinaryOp::Div; return true;
    case TokenKind::PercentAssign: op = BinaryOp::Mod; return true;
    default: return false;
  }
}

// The $name at the root of a chain of fields and indexes, or null.
const ExprPersistent* persistent_root(const Expr* target) {
  while (target != nullptr) {
    if (const auto* field = target->as<ExprField>()) {
      target = field->object;
    } else if (const auto* index = target->as<ExprIndex>()) {
      target = index->object;
    } else {
      return target->as<ExprPersistent>();
    }
  }
  return nullptr;
}

}  // namespace

// block ::= {stat} ['return' [explist] [';']]
StatBlock* Parser::parse_block() {
  const Position begin = current_.begin;
  const std::size_t mark = stats_.mark();
  const bool within_limit = enter_level();
  while (within_limit && !block_follows()) {
    if (check(TokenKind::Return)) {
      stats_.push(parse_return());
      break;
    }
    if (Stat* stat = parse_statement()) stats_.push(stat);
  }
  leave_level();
  const bool empty = stats_.size_since(mark) == 0;
  const AstArray<Stat*> body = stats_.finish(mark, arena_);
  return arena_.make<StatBlock>(empty ? Location{begin, begin} : span_from(begin), body);
}

// The tokens that end a block; '||' ends the blocks of a 'case'.
bool Parser::block_follows() const {
  switch (current_.kind) {
    case TokenKind::Eof:
    case TokenKind::End:
    case TokenKind::Else:
    case TokenKind::Elseif:
    case TokenKind::Until:
      return true;
    case TokenKind::PipePipe:
      return function_.case_depth > 0;
    default:
      return false;
  }
}

// stat ::= ';' | varlist '=' explist | var compop exp | callstat | 'do' ... | 'break' | ...
// Returns null for an empty statement (';').
Stat* Parser::parse_statement() {
  switch (current_.kind) {
    case TokenKind::Semicolon:
      advance();
      return nullptr;
    case TokenKind::PipePipe:
      syntax_error(current_.begin, "Use '|' (or 'or') for OR, not '||'");
      return error_stat(current_.begin);
    case TokenKind::Goto:
      syntax_error(current_.begin, "goto and labels are not supported");
      return error_stat(current_.begin);
    case TokenKind::FatArrow:
      if (in_rule_) {
        syntax_error(current_.begin, "unexpected '=>': only one rule per definition");
        return error_stat(current_.begin);
      }
      break;
    case TokenKind::Name:
      if (at_scene_declaration()) return parse_scene();
      break;
    default:
      if (Stat* stat = parse_keyword_statement()) return stat;
      break;
  }
  return parse_expression_statement();
}

// The statements that start with a reserved word, or null.
Stat* Parser::parse_keyword_statement() {
  switch (current_.kind) {
    case TokenKind::If: return parse_if();
    case TokenKind::While: return parse_while();
    case TokenKind::Do: return parse_do();
    case TokenKind::Repeat: return parse_repeat();
    case TokenKind::Case: return parse_case();
    case TokenKind::For: return parse_for();
    case TokenKind::Function: return parse_function_statement();
    case TokenKind::Local: return parse_local();
    case TokenKind::Break: return parse_break();
    default: return nullptr;  // 'return' is handled by the block (it must end it).
  }
}

// 'if' exp 'then' block {'elseif' exp 'then' block} ['else' block] 'end'
Stat* Parser::parse_if() {
  const Position begin = current_.begin;
  const std::size_t mark = clauses_.mark();
  do {
    const Position clause_begin = current_.begin;
    advance();  // 'if' or 'elseif'
    ConditionalClause clause;
    clause.condition = parse_condition();
    expect(TokenKind::Then);
    clause.body = parse_block();
    clause.location = span_from(clause_begin);
    clauses_.push(clause);
  } while (check(TokenKind::Elseif));
  StatBlock* else_body = nullptr;
  if (accept(TokenKind::Else)) else_body = parse_block();
  expect_match(TokenKind::End, TokenKind::If, begin);
  const AstArray<ConditionalClause> clauses = clauses_.finish(mark, arena_);
  return arena_.make<StatIf>(span_from(begin), clauses, else_body);
}

// 'while' exp 'do' block 'end'
Stat* Parser::parse_while() {
  const Position begin = current_.begin;
  advance();
  Expr* condition = parse_condition();
  expect(TokenKind::Do);
  StatBlock* body = parse_loop_body();
  expect_match(TokenKind::End, TokenKind::While, begin);
  return arena_.make<StatWhile>(span_from(begin), condition, body);
}

StatBlock* Parser::parse_loop_body() {
  ++function_.loop_depth;
  StatBlock* body = parse_block();
  --function_.loop_depth;
  return body;
}

// 'do' block 'end'
Stat* Parser::parse_do() {
  const Position begin = current_.begin;
  advance();
  StatBlock* body = parse_block();
  expect_match(TokenKind::End, TokenKind::Do, begin);
  return arena_.make<StatDo>(span_from(begin), body);
}

// 'repeat' block 'until' exp
Stat* Parser::parse_repeat() {
  const Position begin = current_.begin;
  advance();
  StatBlock* body = parse_loop_body();
  expect_match(TokenKind::Until, TokenKind::Repeat, begin);
  Expr* condition = parse_condition();
  return arena_.make<StatRepeat>(span_from(begin), body, condition);
}

// 'case' {'||' exp '>>' block} 'end'
Stat* Parser::parse_case() {
  const Position begin = current_.begin;
  advance();
  ++function_.case_depth;
  const std::size_t mark = clauses_.mark();
  while (check(TokenKind::PipePipe)) {
    const Position clause_begin = current_.begin;
    advance();
    ConditionalClause clause;
    clause.condition = parse_expr();
    expect(TokenKind::ShiftRight);
    clause.body = parse_block();
    clause.location = span_from(clause_begin);
    clauses_.push(clause);
  }
  --function_.case_depth;
  expect_match(TokenKind::End, TokenKind::Case, begin);
  const AstArray<ConditionalClause> clauses = clauses_.finish(mark, arena_);
  return arena_.make<StatCase>(span_from(begin), clauses);
}

// 'for' Name '=' exp ',' exp [',' exp] 'do' block 'end'
// 'for' namelist 'in' explist 'do' block 'end'
Stat* Parser::parse_for() {
  const Position begin = current_.begin;
  advance();
  const Binding first = expect_name();
  if (check(TokenKind::Assign)) return parse_numeric_for(begin, first);
  return parse_generic_for(begin, first);
}

Stat* Parser::parse_numeric_for(Position begin, Binding var) {
  advance();  // '='
  Expr* from = parse_expr();
  expect(TokenKind::Comma);
  Expr* to = parse_expr();
  Expr* step = nullptr;
  if (accept(TokenKind::Comma)) step = parse_expr();
  expect(TokenKind::Do);
  StatBlock* body = parse_loop_body();
  expect_match(TokenKind::End, TokenKind::For, begin);
  return arena_.make<StatNumericFor>(span_from(begin), var, from, to, step, body);
}

Stat* Parser::parse_generic_for(Position begin, Binding first) {
  const std::size_t mark = bindings_.mark();
  bindings_.push(first);
  while (accept(TokenKind::Comma)) bindings_.push(expect_name());
  const AstArray<Binding> names = bindings_.finish(mark, arena_);
  expect(TokenKind::In);
  const AstArray<Expr*> values = parse_expr_list();
  expect(TokenKind::Do);
  StatBlock* body = parse_loop_body();
  expect_match(TokenKind::End, TokenKind::For, begin);
  return arena_.make<StatGenericFor>(span_from(begin), names, values, body);
}

// 'function' funcname funcbody
// funcname ::= Name {'.' Name} [':' Name]
Stat* Parser::parse_function_statement() {
  const Position begin = current_.begin;
  advance();
  const std::size_t mark = bindings_.mark();
  bindings_.push(expect_name());
  while (accept(TokenKind::Dot)) bindings_.push(expect_name());
  Binding method{};
  const bool has_method = accept(TokenKind::Colon);
  if (has_method) method = expect_name();
  const AstArray<Binding> path = bindings_.finish(mark, arena_);
  ExprFunction* function = parse_function_body(begin, has_method);
  std::string debug_name;
  for (const Binding& part : path) debug_name.append(debug_name.empty() ? "" : ".").append(part.name.text);
  if (has_method) debug_name.append(":").append(method.name.text);
  function->debug_name = intern(debug_name);
  return arena_.make<StatFunction>(span_from(begin), path, has_method, method, function);
}

// 'local' 'function' Name funcbody | 'local' namelist ['=' explist]
Stat* Parser::parse_local() {
  const Position begin = current_.begin;
  advance();
  if (accept(TokenKind::Function)) return parse_local_function(begin);
  const std::size_t mark = bindings_.mark();
  bindings_.push(expect_name());
  while (accept(TokenKind::Comma)) bindings_.push(expect_name());
  const AstArray<Binding> names = bindings_.finish(mark, arena_);
  // Lua 5.4 attributes (<const>, <close>) are not part of EventScript (Appendix B).
  if (check(TokenKind::Less)) error_expected("=");
  AstArray<Expr*> values;
  if (accept(TokenKind::Assign)) values = parse_expr_list();
  return arena_.make<StatLocal>(span_from(begin), names, values);
}

Stat* Parser::parse_local_function(Position begin) {
  const Binding name = expect_name();
  ExprFunction* function = parse_function_body(begin, false);
  function->debug_name = name.name;
  return arena_.make<StatLocalFunction>(span_from(begin), name, function);
}

// 'return' [explist] [';']
Stat* Parser::parse_return() {
  const Position begin = current_.begin;
  advance();
  AstArray<Expr*> values;
  if (!block_follows() && !check(TokenKind::Semicolon)) values = parse_expr_list();
  accept(TokenKind::Semicolon);
  return arena_.make<StatReturn>(span_from(begin), values);
}

// 'break'
Stat* Parser::parse_break() {
  const Token token = current_;
  if (function_.loop_depth == 0) static_error(token.begin, "'break' outside a loop");
  advance();
  return arena_.make<StatBreak>(token.location());
}

// varlist '=' explist | var compop exp | callstat
// callstat ::= postfix ending in args, ':' Name args, or ':' Name
Stat* Parser::parse_expression_statement() {
  const Position begin = current_.begin;
  Expr* first = parse_expr();
  if (check(TokenKind::Assign) || check(TokenKind::Comma)) return parse_assignment(begin, first);
  BinaryOp op = BinaryOp::Add;
  if (compound_op(current_.kind, op)) return parse_compound_assignment(begin, first);
  if (first->is<ExprCall>() || first->is<ExprMethodCall>()) {
    return arena_.make<StatCall>(span_from(begin), first);
  }
  if (first->is<ExprProperty>()) {
    return arena_.make<StatPropertyGet>(span_from(begin), first->cast<ExprProperty>());
  }
  if (check(TokenKind::FatArrow) && in_rule_) {
    syntax_error(current_.begin, "unexpected '=>': only one rule per definition");
  } else {
    syntax_error(begin, "expression cannot be used as a statement");
  }
  return error_stat(begin, {first});
}

Stat* Parser::parse_assignment(Position begin, Expr* first) {
  const std::size_t mark = exprs_.mark();
  bool valid = check_assignment_target(first);
  exprs_.push(first);
  while (accept(TokenKind::Comma)) {
    Expr* target = parse_postfix();
    valid = check_assignment_target(target) && valid;
    exprs_.push(target);
  }
  const AstArray<Expr*> targets = exprs_.finish(mark, arena_);
  expect(TokenKind::Assign);
  const AstArray<Expr*> values = parse_expr_list();
  if (!valid) {
    const std::size_t parts = exprs_.mark();
    for (Expr* target : targets) exprs_.push(target);
    for (Expr* value : values) exprs_.push(value);
    return arena_.make<StatError>(span_from(begin), exprs_.finish(parts, arena_), AstArray<Stat*>{});
  }
  return arena_.make<StatAssign>(span_from(begin), targets, values);
}

Stat* Parser::parse_compound_assignment(Position begin, Expr* target) {
  BinaryOp op = BinaryOp::Add;
  compound_op(current_.kind, op);
  const Token op_token = current_;
  if (target->is<ExprProperty>()) {
    static_error(target->location.begin, "compound assignment to a device property is not supported");
  }
  const bool valid = check_assignment_target(target);
  advance();
  Expr* value = parse_expr();
  if (!valid) return error_stat(begin, {target, value});
  return arena_.make<StatCompoundAssign>(span_from(begin), op, op_token.location(), target, value);
}

// var ::= Name | '$' Name | postfix '[' exp ']' | postfix '.' Name | postfix ':' Name
bool Parser::check_assignment_target(Expr* target) {
  switch (target->kind) {
    case NodeKind::ExprName:
    case NodeKind::ExprPersistent:
    case NodeKind::ExprProperty:
      return true;
    case NodeKind::ExprField:
    case NodeKind::ExprIndex:
      if (const ExprPersistent* root = persistent_root(target)) {
        static_error(target->location.begin, "cannot assign into a field of persistent variable '$" +
                                                 std::string(root->name.text) +
                                                 "'; assign the whole value");
      }
      return true;
    case NodeKind::ExprError:
      return false;
    default:
      syntax_error(target->location.begin, "expression cannot be used as a statement");
      return false;
  }
}

}  // namespace er::lang

// Scene declarations (docs/eventscript.md "Scenes"), EventRunner7's named scenes.
//
// As in EventRunner7 a declaration is sugar for an assignment, so no later pass needs
// to know about scenes:
//
//   scene cozy = {lamp:value = 80, hall:off}
//   -->  cozy = defineScene("cozy", {activate = {{lamp, "value", 80},
//                                                {hall, "off", action = true}}})
//
// A literal value is stored as it is; any other expression becomes `() -> exp`, so it
// is evaluated each time the scene is activated or deactivated.

#include "parser_impl.h"

namespace er::lang {

namespace {

constexpr std::string_view kDefineScene = "defineScene";

bool is_literal(const Expr* e) {
  return e->is<ExprNumber>() || e->is<ExprString>() || e->is<ExprBool>() || e->is<ExprNil>();
}

TableField positional(Expr* value) {
  TableField field;
  field.location = value->location;
  field.value = value;
  return field;
}

TableField named(Name name, Expr* value) {
  TableField field = positional(value);
  field.kind = TableFieldKind::Named;
  field.name = name;
  return field;
}

}  // namespace

bool Parser::at_scene_declaration() {
  return current_.text == "scene" && peek().kind == TokenKind::Name &&
         peek().begin.line == current_.begin.line;
}

ExprTable* Parser::make_table(Location at, const std::vector<TableField>& fields) {
  const std::size_t mark = fields_.mark();
  for (const TableField& field : fields) fields_.push(field);
  return arena_.make<ExprTable>(at, fields_.finish(mark, arena_));
}

// scene ::= 'scene' Name '=' '{' (entries | section {[','] section}) '}'
Stat* Parser::parse_scene() {
  const Position begin = current_.begin;
  advance();  // 'scene'
  const Binding name = expect_name();
  expect(TokenKind::Assign);
  const Position open = current_.begin;
  expect(TokenKind::LeftBrace);
  const std::vector<TableField> bodies = parse_scene_bodies(open);
  expect_match(TokenKind::RightBrace, TokenKind::LeftBrace, open);
  if (failed()) return error_stat(begin);
  return make_scene_assignment(span_from(begin), name, make_table(span_from(open), bodies));
}

// The named fields activate = {...} [, deactivate = {...}]: the sections, or the
// entries of the short form as the activate body.
// section ::= ('activate' | 'deactivate') ':' '{' entries '}'
std::vector<TableField> Parser::parse_scene_bodies(Position open) {
  std::vector<TableField> bodies;
  if (!at_scene_section()) {
    std::vector<TableField> entries;
    while (!failed() && !check(TokenKind::RightBrace) && parse_scene_entry(entries)) {
      if (!accept(TokenKind::Comma)) break;
    }
    bodies.push_back(named(intern("activate"), make_table(span_from(open), entries)));
    return bodies;
  }
  while (!failed() && at_scene_section()) {
    const Name which = intern(current_.text);
    advance();  // 'activate' or 'deactivate'
    advance();  // ':'
    bodies.push_back(named(which, parse_scene_entries()));
    accept(TokenKind::Comma);
  }
  return bodies;
}

// name = defineScene("name", bodies)
Stat* Parser::make_scene_assignment(Location at, Binding name, ExprTable* bodies) {
  const std::size_t mark = exprs_.mark();
  exprs_.push(arena_.make<ExprString>(name.location, name.name.text, name.name.text));
  exprs_.push(bodies);
  auto* callee = arena_.make<ExprName>(name.location, intern(kDefineScene));
  auto* call = arena_.make<ExprCall>(at, callee, exprs_.finish(mark, arena_));
  const std::size_t target_mark = exprs_.mark();
  exprs_.push(arena_.make<ExprName>(name.location, name.name));
  const AstArray<Expr*> targets = exprs_.finish(target_mark, arena_);
  const std::size_t value_mark = exprs_.mark();
  exprs_.push(call);
  return arena_.make<StatAssign>(at, targets, exprs_.finish(value_mark, arena_));
}

// `activate: {` or `deactivate: {` (a device named activate would be `activate:p`).
bool Parser::at_scene_section() {
  return current_.kind == TokenKind::Name &&
         (current_.text == "activate" || current_.text == "deactivate") &&
         peek().kind == TokenKind::Colon && peek(1).kind == TokenKind::LeftBrace;
}

// entries ::= '{' [entry {',' entry} [',']] '}'
ExprTable* Parser::parse_scene_entries() {
  const Position open = current_.begin;
  expect(TokenKind::LeftBrace);
  std::vector<TableField> entries;
  while (!failed() && !check(TokenKind::RightBrace) && parse_scene_entry(entries)) {
    if (!accept(TokenKind::Comma)) break;
  }
  expect_match(TokenKind::RightBrace, TokenKind::LeftBrace, open);
  return make_table(span_from(open), entries);
}

// entry ::= postfixexp ':' Name ['=' exp]
// Adds {object, "name", value} or {object, "name", action = true} to `entries`.
bool Parser::parse_scene_entry(std::vector<TableField>& entries) {
  const Position begin = current_.begin;
  Expr* target = parse_postfix();
  const auto* property = target->as<ExprProperty>();
  if (property == nullptr) {
    if (!failed()) {
      syntax_error(begin, "a scene entry is 'object:property = value' or 'object:action'");
    }
    return false;
  }
  std::vector<TableField> entry;
  entry.push_back(positional(property->object));
  const Name name = property->name;
  entry.push_back(
      positional(arena_.make<ExprString>(property->name_location, name.text, name.text)));
  if (accept(TokenKind::Assign)) {
    const Position value_begin = current_.begin;
    Expr* value = parse_expr();
    if (!is_literal(value)) {
      value = arena_.make<ExprLambda>(span_from(value_begin), AstArray<Binding>{}, true, value);
    }
    entry.push_back(positional(value));
  } else {
    entry.push_back(named(intern("action"), arena_.make<ExprBool>(property->name_location, true)));
  }
  entries.push_back(positional(make_table(span_from(begin), entry)));
  return true;
}

}  // namespace er::lang

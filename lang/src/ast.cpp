#include "lang/ast.h"

#include <array>
#include <cstddef>

namespace er::lang {

namespace {

// Indexed by NodeKind ("ORDER NODEKIND").
constexpr std::array<std::string_view, 45> kNodeKindNames = {
    "ExprNil",        "ExprBool",          "ExprNumber",       "ExprString",
    "ExprTime",       "ExprDate",          "ExprVararg",       "ExprEvent",
    "ExprPersistent", "ExprName",          "ExprParen",        "ExprTable",
    "ExprComprehension", "ExprFunction",   "ExprLambda",       "ExprBinary",
    "ExprUnary",      "ExprSchedule",      "ExprIndex",        "ExprField",
    "ExprCall",       "ExprMethodCall",    "ExprProperty",     "ExprError",
    "StatBlock",      "StatLocal",         "StatAssign",       "StatCompoundAssign",
    "StatCall",       "StatPropertyGet",   "StatDo",           "StatWhile",
    "StatRepeat",     "StatIf",            "StatCase",         "StatNumericFor",
    "StatGenericFor", "StatFunction",      "StatLocalFunction", "StatReturn",
    "StatBreak",      "StatError",         "Rule",             "Chunk",
    "SourceFile",
};
static_assert(kNodeKindNames.size() == static_cast<std::size_t>(NodeKind::SourceFile) + 1,
              "keep kNodeKindNames in sync with NodeKind");

// Indexed by BinaryOp.
constexpr std::array<std::string_view, 19> kBinarySpellings = {
    "|", "&", "??", "==", "~=", "===", "<", "<=", ">", ">=", "..", "++",
    "+", "-", "*", "/", "//", "%", "^",
};
static_assert(kBinarySpellings.size() == static_cast<std::size_t>(BinaryOp::Pow) + 1);

constexpr std::array<std::string_view, 5> kUnarySpellings = {"-", "!", "t/", "n/", "+/"};
constexpr std::array<std::string_view, 3> kScheduleSpellings = {"@", "@@", "@@-"};
constexpr std::array<std::string_view, 6> kModifierSpellings = {
    "single", "since", "debounce", "cooldown", "every", "first_in"};

bool is_continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0U) == 0x80U; }

// Byte offset of `at` in `source`, or npos when the position is not in it.
std::size_t offset_of(std::string_view source, Position at) {
  std::size_t offset = 0;
  for (std::uint32_t line = 1; line < at.line; ++line) {
    const std::size_t newline = source.find('\n', offset);
    if (newline == std::string_view::npos) return std::string_view::npos;
    offset = newline + 1;
  }
  for (std::uint32_t column = 1; column < at.column; ++column) {
    if (offset >= source.size() || source[offset] == '\n') return std::string_view::npos;
    ++offset;
    while (offset < source.size() && is_continuation_byte(source[offset])) ++offset;
  }
  return offset;
}

}  // namespace

std::string_view node_kind_name(NodeKind kind) {
  return kNodeKindNames[static_cast<std::size_t>(kind)];
}

std::string_view binary_op_spelling(BinaryOp op) {
  return kBinarySpellings[static_cast<std::size_t>(op)];
}

bool is_comparison(BinaryOp op) { return op >= BinaryOp::Equal && op <= BinaryOp::GreaterEqual; }

std::string_view unary_op_spelling(UnaryOp op) {
  return kUnarySpellings[static_cast<std::size_t>(op)];
}

std::string_view schedule_spelling(ScheduleKind kind) {
  return kScheduleSpellings[static_cast<std::size_t>(kind)];
}

std::string_view modifier_spelling(ModifierKind kind) {
  return kModifierSpellings[static_cast<std::size_t>(kind)];
}

std::string_view location_text(std::string_view source, Location location) {
  const std::size_t begin = offset_of(source, location.begin);
  const std::size_t end = offset_of(source, location.end);
  if (begin == std::string_view::npos || end == std::string_view::npos || end < begin) return {};
  return source.substr(begin, end - begin);
}

namespace {

// Visits the children of each node kind, in source order.
void visit_all(AstArray<Expr*> exprs, AstVisitor& visitor) {
  for (Expr* expr : exprs) expr->visit(visitor);
}

void visit_optional(AstNode* node, AstVisitor& visitor) {
  if (node != nullptr) node->visit(visitor);
}

void visit_fields(ExprTable* table, AstVisitor& visitor) {
  for (const TableField& field : table->fields) {
    visit_optional(field.key, visitor);
    field.value->visit(visitor);
  }
}

void visit_clauses(AstArray<ConditionalClause> clauses, AstVisitor& visitor) {
  for (const ConditionalClause& clause : clauses) {
    clause.condition->visit(visitor);
    clause.body->visit(visitor);
  }
}

bool enter_expr(Expr* node, AstVisitor& visitor) {
  switch (node->kind) {
    case NodeKind::ExprNil: return visitor.visit_expr_nil(node->cast<ExprNil>());
    case NodeKind::ExprBool: return visitor.visit_expr_bool(node->cast<ExprBool>());
    case NodeKind::ExprNumber: return visitor.visit_expr_number(node->cast<ExprNumber>());
    case NodeKind::ExprString: return visitor.visit_expr_string(node->cast<ExprString>());
    case NodeKind::ExprTime: return visitor.visit_expr_time(node->cast<ExprTime>());
    case NodeKind::ExprDate: return visitor.visit_expr_date(node->cast<ExprDate>());
    case NodeKind::ExprVararg: return visitor.visit_expr_vararg(node->cast<ExprVararg>());
    case NodeKind::ExprEvent: return visitor.visit_expr_event(node->cast<ExprEvent>());
    case NodeKind::ExprPersistent: return visitor.visit_expr_persistent(node->cast<ExprPersistent>());
    case NodeKind::ExprName: return visitor.visit_expr_name(node->cast<ExprName>());
    case NodeKind::ExprParen: return visitor.visit_expr_paren(node->cast<ExprParen>());
    case NodeKind::ExprTable: return visitor.visit_expr_table(node->cast<ExprTable>());
    case NodeKind::ExprComprehension:
      return visitor.visit_expr_comprehension(node->cast<ExprComprehension>());
    case NodeKind::ExprFunction: return visitor.visit_expr_function(node->cast<ExprFunction>());
    case NodeKind::ExprLambda: return visitor.visit_expr_lambda(node->cast<ExprLambda>());
    case NodeKind::ExprBinary: return visitor.visit_expr_binary(node->cast<ExprBinary>());
    case NodeKind::ExprUnary: return visitor.visit_expr_unary(node->cast<ExprUnary>());
    case NodeKind::ExprSchedule: return visitor.visit_expr_schedule(node->cast<ExprSchedule>());
    case NodeKind::ExprIndex: return visitor.visit_expr_index(node->cast<ExprIndex>());
    case NodeKind::ExprField: return visitor.visit_expr_field(node->cast<ExprField>());
    case NodeKind::ExprCall: return visitor.visit_expr_call(node->cast<ExprCall>());
    case NodeKind::ExprMethodCall: return visitor.visit_expr_method_call(node->cast<ExprMethodCall>());
    case NodeKind::ExprProperty: return visitor.visit_expr_property(node->cast<ExprProperty>());
    default: return visitor.visit_expr_error(node->cast<ExprError>());
  }
}

void visit_expr_children(Expr* node, AstVisitor& visitor) {
  switch (node->kind) {
    case NodeKind::ExprEvent: {
      auto* event = node->cast<ExprEvent>();
      visit_optional(event->fields, visitor);
      break;
    }
    case NodeKind::ExprParen: node->cast<ExprParen>()->inner->visit(visitor); break;
    case NodeKind::ExprTable: visit_fields(node->cast<ExprTable>(), visitor); break;
    case NodeKind::ExprComprehension: {
      auto* comprehension = node->cast<ExprComprehension>();
      comprehension->element->visit(visitor);
      comprehension->source->visit(visitor);
      visit_optional(comprehension->filter, visitor);
      break;
    }
    case NodeKind::ExprFunction: node->cast<ExprFunction>()->body->visit(visitor); break;
    case NodeKind::ExprLambda: node->cast<ExprLambda>()->body->visit(visitor); break;
    case NodeKind::ExprBinary:
      node->cast<ExprBinary>()->left->visit(visitor);
      node->cast<ExprBinary>()->right->visit(visitor);
      break;
    case NodeKind::ExprUnary: node->cast<ExprUnary>()->operand->visit(visitor); break;
    case NodeKind::ExprSchedule: node->cast<ExprSchedule>()->operand->visit(visitor); break;
    case NodeKind::ExprIndex:
      node->cast<ExprIndex>()->object->visit(visitor);
      node->cast<ExprIndex>()->key->visit(visitor);
      break;
    case NodeKind::ExprField: node->cast<ExprField>()->object->visit(visitor); break;
    case NodeKind::ExprCall:
      node->cast<ExprCall>()->function->visit(visitor);
      visit_all(node->cast<ExprCall>()->args, visitor);
      break;
    case NodeKind::ExprMethodCall:
      node->cast<ExprMethodCall>()->object->visit(visitor);
      visit_all(node->cast<ExprMethodCall>()->args, visitor);
      break;
    case NodeKind::ExprProperty: node->cast<ExprProperty>()->object->visit(visitor); break;
    case NodeKind::ExprError: visit_all(node->cast<ExprError>()->parts, visitor); break;
    default: break;  // Leaves.
  }
}

bool enter_stat(Stat* node, AstVisitor& visitor) {
  switch (node->kind) {
    case NodeKind::StatBlock: return visitor.visit_stat_block(node->cast<StatBlock>());
    case NodeKind::StatLocal: return visitor.visit_stat_local(node->cast<StatLocal>());
    case NodeKind::StatAssign: return visitor.visit_stat_assign(node->cast<StatAssign>());
    case NodeKind::StatCompoundAssign:
      return visitor.visit_stat_compound_assign(node->cast<StatCompoundAssign>());
    case NodeKind::StatCall: return visitor.visit_stat_call(node->cast<StatCall>());
    case NodeKind::StatPropertyGet: return visitor.visit_stat_property_get(node->cast<StatPropertyGet>());
    case NodeKind::StatDo: return visitor.visit_stat_do(node->cast<StatDo>());
    case NodeKind::StatWhile: return visitor.visit_stat_while(node->cast<StatWhile>());
    case NodeKind::StatRepeat: return visitor.visit_stat_repeat(node->cast<StatRepeat>());
    case NodeKind::StatIf: return visitor.visit_stat_if(node->cast<StatIf>());
    case NodeKind::StatCase: return visitor.visit_stat_case(node->cast<StatCase>());
    case NodeKind::StatNumericFor: return visitor.visit_stat_numeric_for(node->cast<StatNumericFor>());
    case NodeKind::StatGenericFor: return visitor.visit_stat_generic_for(node->cast<StatGenericFor>());
    case NodeKind::StatFunction: return visitor.visit_stat_function(node->cast<StatFunction>());
    case NodeKind::StatLocalFunction:
      return visitor.visit_stat_local_function(node->cast<StatLocalFunction>());
    case NodeKind::StatReturn: return visitor.visit_stat_return(node->cast<StatReturn>());
    case NodeKind::StatBreak: return visitor.visit_stat_break(node->cast<StatBreak>());
    default: return visitor.visit_stat_error(node->cast<StatError>());
  }
}

void visit_stat_children(Stat* node, AstVisitor& visitor) {
  switch (node->kind) {
    case NodeKind::StatBlock:
      for (Stat* stat : node->cast<StatBlock>()->body) stat->visit(visitor);
      break;
    case NodeKind::StatLocal: visit_all(node->cast<StatLocal>()->values, visitor); break;
    case NodeKind::StatAssign:
      visit_all(node->cast<StatAssign>()->targets, visitor);
      visit_all(node->cast<StatAssign>()->values, visitor);
      break;
    case NodeKind::StatCompoundAssign:
      node->cast<StatCompoundAssign>()->target->visit(visitor);
      node->cast<StatCompoundAssign>()->value->visit(visitor);
      break;
    case NodeKind::StatCall: node->cast<StatCall>()->call->visit(visitor); break;
    case NodeKind::StatPropertyGet: node->cast<StatPropertyGet>()->property->visit(visitor); break;
    case NodeKind::StatDo: node->cast<StatDo>()->body->visit(visitor); break;
    case NodeKind::StatWhile:
      node->cast<StatWhile>()->condition->visit(visitor);
      node->cast<StatWhile>()->body->visit(visitor);
      break;
    case NodeKind::StatRepeat:
      node->cast<StatRepeat>()->body->visit(visitor);
      node->cast<StatRepeat>()->condition->visit(visitor);
      break;
    case NodeKind::StatIf:
      visit_clauses(node->cast<StatIf>()->clauses, visitor);
      visit_optional(node->cast<StatIf>()->else_body, visitor);
      break;
    case NodeKind::StatCase: visit_clauses(node->cast<StatCase>()->clauses, visitor); break;
    case NodeKind::StatNumericFor: {
      auto* loop = node->cast<StatNumericFor>();
      loop->from->visit(visitor);
      loop->to->visit(visitor);
      visit_optional(loop->step, visitor);
      loop->body->visit(visitor);
      break;
    }
    case NodeKind::StatGenericFor:
      visit_all(node->cast<StatGenericFor>()->values, visitor);
      node->cast<StatGenericFor>()->body->visit(visitor);
      break;
    case NodeKind::StatFunction: node->cast<StatFunction>()->function->visit(visitor); break;
    case NodeKind::StatLocalFunction: node->cast<StatLocalFunction>()->function->visit(visitor); break;
    case NodeKind::StatReturn: visit_all(node->cast<StatReturn>()->values, visitor); break;
    case NodeKind::StatError:
      visit_all(node->cast<StatError>()->expressions, visitor);
      for (Stat* stat : node->cast<StatError>()->statements) stat->visit(visitor);
      break;
    default: break;  // break
  }
}

void visit_rule(Rule* rule, AstVisitor& visitor) {
  if (!visitor.visit_rule(rule)) return;
  rule->condition->visit(visitor);
  for (const RuleModifier& modifier : rule->modifiers) visit_optional(modifier.operand, visitor);
  rule->action->visit(visitor);
}

}  // namespace

void AstNode::visit(AstVisitor& visitor) {
  if (is<Expr>()) {
    auto* expr = this->cast<Expr>();
    if (enter_expr(expr, visitor)) visit_expr_children(expr, visitor);
  } else if (is<Stat>()) {
    auto* stat = this->cast<Stat>();
    if (enter_stat(stat, visitor)) visit_stat_children(stat, visitor);
  } else if (is<Rule>()) {
    visit_rule(this->cast<Rule>(), visitor);
  } else if (is<Chunk>()) {
    auto* chunk = this->cast<Chunk>();
    if (!visitor.visit_chunk(chunk)) return;
    visit_optional(chunk->rule, visitor);
    visit_optional(chunk->script, visitor);
  } else if (is<SourceFile>()) {
    auto* file = this->cast<SourceFile>();
    if (!visitor.visit_source_file(file)) return;
    for (Chunk* item : file->items) item->visit(visitor);
  }
}

}  // namespace er::lang

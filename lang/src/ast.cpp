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
constexpr std::array<std::string_view, 18> kBinarySpellings = {
    "|", "&", "??", "==", "~=", "<", "<=", ">", ">=", "..", "++",
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

// An unchecked downcast: the switch on `kind` has already checked the type.
template <typename T>
T* cast(AstNode* node) {
  return static_cast<T*>(node);
}

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
    case NodeKind::ExprNil: return visitor.visit_expr_nil(cast<ExprNil>(node));
    case NodeKind::ExprBool: return visitor.visit_expr_bool(cast<ExprBool>(node));
    case NodeKind::ExprNumber: return visitor.visit_expr_number(cast<ExprNumber>(node));
    case NodeKind::ExprString: return visitor.visit_expr_string(cast<ExprString>(node));
    case NodeKind::ExprTime: return visitor.visit_expr_time(cast<ExprTime>(node));
    case NodeKind::ExprDate: return visitor.visit_expr_date(cast<ExprDate>(node));
    case NodeKind::ExprVararg: return visitor.visit_expr_vararg(cast<ExprVararg>(node));
    case NodeKind::ExprEvent: return visitor.visit_expr_event(cast<ExprEvent>(node));
    case NodeKind::ExprPersistent: return visitor.visit_expr_persistent(cast<ExprPersistent>(node));
    case NodeKind::ExprName: return visitor.visit_expr_name(cast<ExprName>(node));
    case NodeKind::ExprParen: return visitor.visit_expr_paren(cast<ExprParen>(node));
    case NodeKind::ExprTable: return visitor.visit_expr_table(cast<ExprTable>(node));
    case NodeKind::ExprComprehension:
      return visitor.visit_expr_comprehension(cast<ExprComprehension>(node));
    case NodeKind::ExprFunction: return visitor.visit_expr_function(cast<ExprFunction>(node));
    case NodeKind::ExprLambda: return visitor.visit_expr_lambda(cast<ExprLambda>(node));
    case NodeKind::ExprBinary: return visitor.visit_expr_binary(cast<ExprBinary>(node));
    case NodeKind::ExprUnary: return visitor.visit_expr_unary(cast<ExprUnary>(node));
    case NodeKind::ExprSchedule: return visitor.visit_expr_schedule(cast<ExprSchedule>(node));
    case NodeKind::ExprIndex: return visitor.visit_expr_index(cast<ExprIndex>(node));
    case NodeKind::ExprField: return visitor.visit_expr_field(cast<ExprField>(node));
    case NodeKind::ExprCall: return visitor.visit_expr_call(cast<ExprCall>(node));
    case NodeKind::ExprMethodCall: return visitor.visit_expr_method_call(cast<ExprMethodCall>(node));
    case NodeKind::ExprProperty: return visitor.visit_expr_property(cast<ExprProperty>(node));
    default: return visitor.visit_expr_error(static_cast<ExprError*>(node));
  }
}

void visit_expr_children(Expr* node, AstVisitor& visitor) {
  switch (node->kind) {
    case NodeKind::ExprEvent: {
      auto* event = cast<ExprEvent>(node);
      visit_optional(event->fields, visitor);
      break;
    }
    case NodeKind::ExprParen: cast<ExprParen>(node)->inner->visit(visitor); break;
    case NodeKind::ExprTable: visit_fields(cast<ExprTable>(node), visitor); break;
    case NodeKind::ExprComprehension: {
      auto* comprehension = cast<ExprComprehension>(node);
      comprehension->element->visit(visitor);
      comprehension->source->visit(visitor);
      visit_optional(comprehension->filter, visitor);
      break;
    }
    case NodeKind::ExprFunction: cast<ExprFunction>(node)->body->visit(visitor); break;
    case NodeKind::ExprLambda: cast<ExprLambda>(node)->body->visit(visitor); break;
    case NodeKind::ExprBinary:
      cast<ExprBinary>(node)->left->visit(visitor);
      cast<ExprBinary>(node)->right->visit(visitor);
      break;
    case NodeKind::ExprUnary: cast<ExprUnary>(node)->operand->visit(visitor); break;
    case NodeKind::ExprSchedule: cast<ExprSchedule>(node)->operand->visit(visitor); break;
    case NodeKind::ExprIndex:
      cast<ExprIndex>(node)->object->visit(visitor);
      cast<ExprIndex>(node)->key->visit(visitor);
      break;
    case NodeKind::ExprField: cast<ExprField>(node)->object->visit(visitor); break;
    case NodeKind::ExprCall:
      cast<ExprCall>(node)->function->visit(visitor);
      visit_all(cast<ExprCall>(node)->args, visitor);
      break;
    case NodeKind::ExprMethodCall:
      cast<ExprMethodCall>(node)->object->visit(visitor);
      visit_all(cast<ExprMethodCall>(node)->args, visitor);
      break;
    case NodeKind::ExprProperty: cast<ExprProperty>(node)->object->visit(visitor); break;
    case NodeKind::ExprError: visit_all(cast<ExprError>(node)->parts, visitor); break;
    default: break;  // Leaves.
  }
}

bool enter_stat(Stat* node, AstVisitor& visitor) {
  switch (node->kind) {
    case NodeKind::StatBlock: return visitor.visit_stat_block(cast<StatBlock>(node));
    case NodeKind::StatLocal: return visitor.visit_stat_local(cast<StatLocal>(node));
    case NodeKind::StatAssign: return visitor.visit_stat_assign(cast<StatAssign>(node));
    case NodeKind::StatCompoundAssign:
      return visitor.visit_stat_compound_assign(cast<StatCompoundAssign>(node));
    case NodeKind::StatCall: return visitor.visit_stat_call(cast<StatCall>(node));
    case NodeKind::StatPropertyGet: return visitor.visit_stat_property_get(cast<StatPropertyGet>(node));
    case NodeKind::StatDo: return visitor.visit_stat_do(cast<StatDo>(node));
    case NodeKind::StatWhile: return visitor.visit_stat_while(cast<StatWhile>(node));
    case NodeKind::StatRepeat: return visitor.visit_stat_repeat(cast<StatRepeat>(node));
    case NodeKind::StatIf: return visitor.visit_stat_if(cast<StatIf>(node));
    case NodeKind::StatCase: return visitor.visit_stat_case(cast<StatCase>(node));
    case NodeKind::StatNumericFor: return visitor.visit_stat_numeric_for(cast<StatNumericFor>(node));
    case NodeKind::StatGenericFor: return visitor.visit_stat_generic_for(cast<StatGenericFor>(node));
    case NodeKind::StatFunction: return visitor.visit_stat_function(cast<StatFunction>(node));
    case NodeKind::StatLocalFunction:
      return visitor.visit_stat_local_function(cast<StatLocalFunction>(node));
    case NodeKind::StatReturn: return visitor.visit_stat_return(cast<StatReturn>(node));
    case NodeKind::StatBreak: return visitor.visit_stat_break(cast<StatBreak>(node));
    default: return visitor.visit_stat_error(static_cast<StatError*>(node));
  }
}

void visit_stat_children(Stat* node, AstVisitor& visitor) {
  switch (node->kind) {
    case NodeKind::StatBlock:
      for (Stat* stat : cast<StatBlock>(node)->body) stat->visit(visitor);
      break;
    case NodeKind::StatLocal: visit_all(cast<StatLocal>(node)->values, visitor); break;
    case NodeKind::StatAssign:
      visit_all(cast<StatAssign>(node)->targets, visitor);
      visit_all(cast<StatAssign>(node)->values, visitor);
      break;
    case NodeKind::StatCompoundAssign:
      cast<StatCompoundAssign>(node)->target->visit(visitor);
      cast<StatCompoundAssign>(node)->value->visit(visitor);
      break;
    case NodeKind::StatCall: cast<StatCall>(node)->call->visit(visitor); break;
    case NodeKind::StatPropertyGet: cast<StatPropertyGet>(node)->property->visit(visitor); break;
    case NodeKind::StatDo: cast<StatDo>(node)->body->visit(visitor); break;
    case NodeKind::StatWhile:
      cast<StatWhile>(node)->condition->visit(visitor);
      cast<StatWhile>(node)->body->visit(visitor);
      break;
    case NodeKind::StatRepeat:
      cast<StatRepeat>(node)->body->visit(visitor);
      cast<StatRepeat>(node)->condition->visit(visitor);
      break;
    case NodeKind::StatIf:
      visit_clauses(cast<StatIf>(node)->clauses, visitor);
      visit_optional(cast<StatIf>(node)->else_body, visitor);
      break;
    case NodeKind::StatCase: visit_clauses(cast<StatCase>(node)->clauses, visitor); break;
    case NodeKind::StatNumericFor: {
      auto* loop = cast<StatNumericFor>(node);
      loop->from->visit(visitor);
      loop->to->visit(visitor);
      visit_optional(loop->step, visitor);
      loop->body->visit(visitor);
      break;
    }
    case NodeKind::StatGenericFor:
      visit_all(cast<StatGenericFor>(node)->values, visitor);
      cast<StatGenericFor>(node)->body->visit(visitor);
      break;
    case NodeKind::StatFunction: cast<StatFunction>(node)->function->visit(visitor); break;
    case NodeKind::StatLocalFunction: cast<StatLocalFunction>(node)->function->visit(visitor); break;
    case NodeKind::StatReturn: visit_all(cast<StatReturn>(node)->values, visitor); break;
    case NodeKind::StatError:
      visit_all(cast<StatError>(node)->expressions, visitor);
      for (Stat* stat : cast<StatError>(node)->statements) stat->visit(visitor);
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
    auto* expr = cast<Expr>(this);
    if (enter_expr(expr, visitor)) visit_expr_children(expr, visitor);
  } else if (is<Stat>()) {
    auto* stat = cast<Stat>(this);
    if (enter_stat(stat, visitor)) visit_stat_children(stat, visitor);
  } else if (is<Rule>()) {
    visit_rule(cast<Rule>(this), visitor);
  } else if (is<Chunk>()) {
    auto* chunk = cast<Chunk>(this);
    if (!visitor.visit_chunk(chunk)) return;
    visit_optional(chunk->rule, visitor);
    visit_optional(chunk->script, visitor);
  } else if (is<SourceFile>()) {
    auto* file = cast<SourceFile>(this);
    if (!visitor.visit_source_file(file)) return;
    for (Chunk* item : file->items) item->visit(visitor);
  }
}

}  // namespace er::lang

// The AST dump: a stable, indented S-expression of any node, for golden tests and
// for people reading trees ("(ExprBinary + (ExprName x) ...)").

#include "lang/ast_dump.h"

#include <cstdio>
#include <string>

#include "string_join.h"

namespace er::lang {

namespace {

// Writes "(Kind attributes" lines; children go on their own lines, two spaces deeper.
class Dumper {
 public:
  explicit Dumper(const DumpOptions& options) : options_(options) {}
  std::string take() { return std::move(out_); }

  void node(const AstNode* n);

 private:
  void open(std::string_view name, const Location* location = nullptr) {
    if (!out_.empty()) {
      out_.push_back('\n');
      out_.append(static_cast<std::size_t>(depth_ * 2), ' ');
    }
    out_.push_back('(');
    out_.append(name);
    if (options_.positions && location != nullptr) {
      out_.append(" @").append(std::to_string(location->begin.line));
      out_.append(":").append(std::to_string(location->begin.column));
      out_.append("-").append(std::to_string(location->end.line));
      out_.append(":").append(std::to_string(location->end.column));
    }
    ++depth_;
  }
  void open_node(const AstNode* n) { open(node_kind_name(n->kind), &n->location); }
  void close() {
    --depth_;
    out_.push_back(')');
  }
  void attr(std::string_view text) {
    out_.push_back(' ');
    out_.append(text);
  }
  void quoted(std::string_view text) {
    out_.push_back(' ');
    append_quoted(text, out_);
  }
  void names(std::string_view label, AstArray<Binding> bindings) {
    open(label);
    for (const Binding& binding : bindings) attr(binding.name.text);
    close();
  }
  void group(std::string_view label, AstArray<Expr*> exprs) {
    open(label);
    for (const Expr* e : exprs) node(e);
    close();
  }
  void optional(std::string_view label, const AstNode* n) {
    if (n == nullptr) return;
    open(label);
    node(n);
    close();
  }

  void expr_attributes(const Expr* e);
  void expr_children(const Expr* e);
  void stat_children(const Stat* s);
  void clauses(AstArray<ConditionalClause> list);
  void number(const ExprNumber* e);

  const DumpOptions& options_;
  std::string out_;
  int depth_ = 0;
};

void Dumper::node(const AstNode* n) {
  open_node(n);
  if (const auto* e = n->as<Expr>()) {
    expr_attributes(e);
    expr_children(e);
  } else if (const auto* s = n->as<Stat>()) {
    stat_children(s);
  } else if (const auto* rule = n->as<Rule>()) {
    node(rule->condition);
    for (const RuleModifier& modifier : rule->modifiers) {
      open("modifier");
      attr(modifier_spelling(modifier.kind));
      if (modifier.operand != nullptr) node(modifier.operand);
      close();
    }
    node(rule->action);
  } else if (const auto* chunk = n->as<Chunk>()) {
    if (chunk->rule != nullptr) node(chunk->rule);
    if (chunk->script != nullptr) node(chunk->script);
  } else if (const auto* file = n->as<SourceFile>()) {
    for (const Chunk* item : file->items) node(item);
  }
  close();
}

void Dumper::number(const ExprNumber* e) {
  attr(e->lexeme);
  if (e->is_integer) {
    attr(join("int:", std::to_string(e->integer)));
    return;
  }
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "float:%.17g", e->number);
  attr(buffer);
}

void Dumper::expr_attributes(const Expr* e) {
  switch (e->kind) {
    case NodeKind::ExprBool: attr(static_cast<const ExprBool*>(e)->value ? "true" : "false"); break;
    case NodeKind::ExprNumber: number(static_cast<const ExprNumber*>(e)); break;
    case NodeKind::ExprString: quoted(static_cast<const ExprString*>(e)->value); break;
    case NodeKind::ExprTime: {
      const auto* time = static_cast<const ExprTime*>(e);
      attr(time->lexeme);
      attr(std::to_string(time->seconds));
      break;
    }
    case NodeKind::ExprDate: {
      const auto* date = static_cast<const ExprDate*>(e);
      attr(date->lexeme);
      attr(join("year:", date->has_year ? std::to_string(date->year) : std::string("-")));
      attr(join("month:", std::to_string(date->month), " day:", std::to_string(date->day)));
      if (date->has_time) attr(join("time:", std::to_string(date->time_of_day)));
      break;
    }
    case NodeKind::ExprEvent: attr(static_cast<const ExprEvent*>(e)->name.text); break;
    case NodeKind::ExprPersistent: attr(static_cast<const ExprPersistent*>(e)->name.text); break;
    case NodeKind::ExprName: attr(static_cast<const ExprName*>(e)->name.text); break;
    case NodeKind::ExprBinary: attr(binary_op_spelling(static_cast<const ExprBinary*>(e)->op)); break;
    case NodeKind::ExprUnary: attr(unary_op_spelling(static_cast<const ExprUnary*>(e)->op)); break;
    case NodeKind::ExprSchedule: attr(schedule_spelling(static_cast<const ExprSchedule*>(e)->schedule)); break;
    case NodeKind::ExprField: attr(static_cast<const ExprField*>(e)->name.text); break;
    case NodeKind::ExprMethodCall: attr(static_cast<const ExprMethodCall*>(e)->method.text); break;
    case NodeKind::ExprProperty: attr(static_cast<const ExprProperty*>(e)->name.text); break;
    case NodeKind::ExprFunction: {
      const auto* function = static_cast<const ExprFunction*>(e);
      if (function->has_self) attr("self");
      if (function->is_vararg) attr("vararg");
      break;
    }
    case NodeKind::ExprLambda:
      if (static_cast<const ExprLambda*>(e)->parenthesized) attr("parenthesized");
      break;
    default: break;
  }
}

void Dumper::expr_children(const Expr* e) {
  switch (e->kind) {
    case NodeKind::ExprEvent: optional("fields", static_cast<const ExprEvent*>(e)->fields); break;
    case NodeKind::ExprParen: node(static_cast<const ExprParen*>(e)->inner); break;
    case NodeKind::ExprTable:
      for (const TableField& field : static_cast<const ExprTable*>(e)->fields) {
        open(field.kind == TableFieldKind::Positional ? "item"
             : field.kind == TableFieldKind::Named    ? "named"
                                                      : "keyed");
        if (field.kind == TableFieldKind::Named) attr(field.name.text);
        if (field.key != nullptr) node(field.key);
        node(field.value);
        close();
      }
      break;
    case NodeKind::ExprComprehension: {
      const auto* comprehension = static_cast<const ExprComprehension*>(e);
      node(comprehension->element);
      names("for", comprehension->names);
      node(comprehension->source);
      optional("if", comprehension->filter);
      break;
    }
    case NodeKind::ExprFunction:
      names("params", static_cast<const ExprFunction*>(e)->params);
      node(static_cast<const ExprFunction*>(e)->body);
      break;
    case NodeKind::ExprLambda:
      names("params", static_cast<const ExprLambda*>(e)->params);
      node(static_cast<const ExprLambda*>(e)->body);
      break;
    case NodeKind::ExprBinary:
      node(static_cast<const ExprBinary*>(e)->left);
      node(static_cast<const ExprBinary*>(e)->right);
      break;
    case NodeKind::ExprUnary: node(static_cast<const ExprUnary*>(e)->operand); break;
    case NodeKind::ExprSchedule: node(static_cast<const ExprSchedule*>(e)->operand); break;
    case NodeKind::ExprIndex:
      node(static_cast<const ExprIndex*>(e)->object);
      node(static_cast<const ExprIndex*>(e)->key);
      break;
    case NodeKind::ExprField: node(static_cast<const ExprField*>(e)->object); break;
    case NodeKind::ExprCall:
      node(static_cast<const ExprCall*>(e)->function);
      for (const Expr* arg : static_cast<const ExprCall*>(e)->args) node(arg);
      break;
    case NodeKind::ExprMethodCall:
      node(static_cast<const ExprMethodCall*>(e)->object);
      for (const Expr* arg : static_cast<const ExprMethodCall*>(e)->args) node(arg);
      break;
    case NodeKind::ExprProperty: node(static_cast<const ExprProperty*>(e)->object); break;
    case NodeKind::ExprError:
      for (const Expr* part : static_cast<const ExprError*>(e)->parts) node(part);
      break;
    default: break;
  }
}

void Dumper::clauses(AstArray<ConditionalClause> list) {
  for (const ConditionalClause& clause : list) {
    open("clause");
    node(clause.condition);
    node(clause.body);
    close();
  }
}

void Dumper::stat_children(const Stat* s) {
  switch (s->kind) {
    case NodeKind::StatBlock:
      for (const Stat* child : static_cast<const StatBlock*>(s)->body) node(child);
      break;
    case NodeKind::StatLocal:
      names("names", static_cast<const StatLocal*>(s)->names);
      group("values", static_cast<const StatLocal*>(s)->values);
      break;
    case NodeKind::StatAssign:
      group("targets", static_cast<const StatAssign*>(s)->targets);
      group("values", static_cast<const StatAssign*>(s)->values);
      break;
    case NodeKind::StatCompoundAssign: {
      const auto* assign = static_cast<const StatCompoundAssign*>(s);
      attr(join(binary_op_spelling(assign->op), "="));
      node(assign->target);
      node(assign->value);
      break;
    }
    case NodeKind::StatCall: node(static_cast<const StatCall*>(s)->call); break;
    case NodeKind::StatPropertyGet: node(static_cast<const StatPropertyGet*>(s)->property); break;
    case NodeKind::StatDo: node(static_cast<const StatDo*>(s)->body); break;
    case NodeKind::StatWhile:
      node(static_cast<const StatWhile*>(s)->condition);
      node(static_cast<const StatWhile*>(s)->body);
      break;
    case NodeKind::StatRepeat:
      node(static_cast<const StatRepeat*>(s)->body);
      node(static_cast<const StatRepeat*>(s)->condition);
      break;
    case NodeKind::StatIf:
      clauses(static_cast<const StatIf*>(s)->clauses);
      optional("else", static_cast<const StatIf*>(s)->else_body);
      break;
    case NodeKind::StatCase: clauses(static_cast<const StatCase*>(s)->clauses); break;
    case NodeKind::StatNumericFor: {
      const auto* loop = static_cast<const StatNumericFor*>(s);
      attr(loop->var.name.text);
      node(loop->from);
      node(loop->to);
      optional("step", loop->step);
      node(loop->body);
      break;
    }
    case NodeKind::StatGenericFor:
      names("names", static_cast<const StatGenericFor*>(s)->names);
      group("values", static_cast<const StatGenericFor*>(s)->values);
      node(static_cast<const StatGenericFor*>(s)->body);
      break;
    case NodeKind::StatFunction: {
      const auto* function = static_cast<const StatFunction*>(s);
      for (const Binding& part : function->path) attr(part.name.text);
      if (function->has_method) attr(join(":", function->method.name.text));
      node(function->function);
      break;
    }
    case NodeKind::StatLocalFunction:
      attr(static_cast<const StatLocalFunction*>(s)->name.name.text);
      node(static_cast<const StatLocalFunction*>(s)->function);
      break;
    case NodeKind::StatReturn:
      for (const Expr* value : static_cast<const StatReturn*>(s)->values) node(value);
      break;
    case NodeKind::StatError:
      for (const Expr* part : static_cast<const StatError*>(s)->expressions) node(part);
      for (const Stat* part : static_cast<const StatError*>(s)->statements) node(part);
      break;
    default: break;
  }
}

}  // namespace

std::string dump_ast(const AstNode& node, const DumpOptions& options) {
  Dumper dumper(options);
  dumper.node(&node);
  return dumper.take() + "\n";
}

}  // namespace er::lang

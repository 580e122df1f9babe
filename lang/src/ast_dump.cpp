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
    case NodeKind::ExprBool: attr(e->cast<ExprBool>()->value ? "true" : "false"); break;
    case NodeKind::ExprNumber: number(e->cast<ExprNumber>()); break;
    case NodeKind::ExprString: quoted(e->cast<ExprString>()->value); break;
    case NodeKind::ExprTime: {
      const auto* time = e->cast<ExprTime>();
      attr(time->lexeme);
      attr(std::to_string(time->seconds));
      break;
    }
    case NodeKind::ExprDate: {
      const auto* date = e->cast<ExprDate>();
      attr(date->lexeme);
      attr(join("year:", date->has_year ? std::to_string(date->year) : std::string("-")));
      attr(join("month:", std::to_string(date->month), " day:", std::to_string(date->day)));
      if (date->has_time) attr(join("time:", std::to_string(date->time_of_day)));
      break;
    }
    case NodeKind::ExprEvent: attr(e->cast<ExprEvent>()->name.text); break;
    case NodeKind::ExprPersistent: attr(e->cast<ExprPersistent>()->name.text); break;
    case NodeKind::ExprName: attr(e->cast<ExprName>()->name.text); break;
    case NodeKind::ExprBinary: attr(binary_op_spelling(e->cast<ExprBinary>()->op)); break;
    case NodeKind::ExprUnary: attr(unary_op_spelling(e->cast<ExprUnary>()->op)); break;
    case NodeKind::ExprSchedule: attr(schedule_spelling(e->cast<ExprSchedule>()->schedule)); break;
    case NodeKind::ExprField: attr(e->cast<ExprField>()->name.text); break;
    case NodeKind::ExprMethodCall: attr(e->cast<ExprMethodCall>()->method.text); break;
    case NodeKind::ExprProperty: attr(e->cast<ExprProperty>()->name.text); break;
    case NodeKind::ExprFunction: {
      const auto* function = e->cast<ExprFunction>();
      if (function->has_self) attr("self");
      if (function->is_vararg) attr("vararg");
      break;
    }
    case NodeKind::ExprLambda:
      if (e->cast<ExprLambda>()->parenthesized) attr("parenthesized");
      break;
    default: break;
  }
}

void Dumper::expr_children(const Expr* e) {
  switch (e->kind) {
    case NodeKind::ExprEvent: optional("fields", e->cast<ExprEvent>()->fields); break;
    case NodeKind::ExprParen: node(e->cast<ExprParen>()->inner); break;
    case NodeKind::ExprTable:
      for (const TableField& field : e->cast<ExprTable>()->fields) {
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
      const auto* comprehension = e->cast<ExprComprehension>();
      node(comprehension->element);
      names("for", comprehension->names);
      node(comprehension->source);
      optional("if", comprehension->filter);
      break;
    }
    case NodeKind::ExprFunction:
      names("params", e->cast<ExprFunction>()->params);
      node(e->cast<ExprFunction>()->body);
      break;
    case NodeKind::ExprLambda:
      names("params", e->cast<ExprLambda>()->params);
      node(e->cast<ExprLambda>()->body);
      break;
    case NodeKind::ExprBinary:
      node(e->cast<ExprBinary>()->left);
      node(e->cast<ExprBinary>()->right);
      break;
    case NodeKind::ExprUnary: node(e->cast<ExprUnary>()->operand); break;
    case NodeKind::ExprSchedule: node(e->cast<ExprSchedule>()->operand); break;
    case NodeKind::ExprIndex:
      node(e->cast<ExprIndex>()->object);
      node(e->cast<ExprIndex>()->key);
      break;
    case NodeKind::ExprField: node(e->cast<ExprField>()->object); break;
    case NodeKind::ExprCall:
      node(e->cast<ExprCall>()->function);
      for (const Expr* arg : e->cast<ExprCall>()->args) node(arg);
      break;
    case NodeKind::ExprMethodCall:
      node(e->cast<ExprMethodCall>()->object);
      for (const Expr* arg : e->cast<ExprMethodCall>()->args) node(arg);
      break;
    case NodeKind::ExprProperty: node(e->cast<ExprProperty>()->object); break;
    case NodeKind::ExprError:
      for (const Expr* part : e->cast<ExprError>()->parts) node(part);
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
      for (const Stat* child : s->cast<StatBlock>()->body) node(child);
      break;
    case NodeKind::StatLocal:
      names("names", s->cast<StatLocal>()->names);
      group("values", s->cast<StatLocal>()->values);
      break;
    case NodeKind::StatAssign:
      group("targets", s->cast<StatAssign>()->targets);
      group("values", s->cast<StatAssign>()->values);
      break;
    case NodeKind::StatCompoundAssign: {
      const auto* assign = s->cast<StatCompoundAssign>();
      attr(join(binary_op_spelling(assign->op), "="));
      node(assign->target);
      node(assign->value);
      break;
    }
    case NodeKind::StatCall: node(s->cast<StatCall>()->call); break;
    case NodeKind::StatPropertyGet: node(s->cast<StatPropertyGet>()->property); break;
    case NodeKind::StatDo: node(s->cast<StatDo>()->body); break;
    case NodeKind::StatWhile:
      node(s->cast<StatWhile>()->condition);
      node(s->cast<StatWhile>()->body);
      break;
    case NodeKind::StatRepeat:
      node(s->cast<StatRepeat>()->body);
      node(s->cast<StatRepeat>()->condition);
      break;
    case NodeKind::StatIf:
      clauses(s->cast<StatIf>()->clauses);
      optional("else", s->cast<StatIf>()->else_body);
      break;
    case NodeKind::StatCase: clauses(s->cast<StatCase>()->clauses); break;
    case NodeKind::StatNumericFor: {
      const auto* loop = s->cast<StatNumericFor>();
      attr(loop->var.name.text);
      node(loop->from);
      node(loop->to);
      optional("step", loop->step);
      node(loop->body);
      break;
    }
    case NodeKind::StatGenericFor:
      names("names", s->cast<StatGenericFor>()->names);
      group("values", s->cast<StatGenericFor>()->values);
      node(s->cast<StatGenericFor>()->body);
      break;
    case NodeKind::StatFunction: {
      const auto* function = s->cast<StatFunction>();
      for (const Binding& part : function->path) attr(part.name.text);
      if (function->has_method) attr(join(":", function->method.name.text));
      node(function->function);
      break;
    }
    case NodeKind::StatLocalFunction:
      attr(s->cast<StatLocalFunction>()->name.name.text);
      node(s->cast<StatLocalFunction>()->function);
      break;
    case NodeKind::StatReturn:
      for (const Expr* value : s->cast<StatReturn>()->values) node(value);
      break;
    case NodeKind::StatError:
      for (const Expr* part : s->cast<StatError>()->expressions) node(part);
      for (const Stat* part : s->cast<StatError>()->statements) node(part);
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

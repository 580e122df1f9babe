// Statements: EventScript statements to Lua statements, one per line (a multi-line
// construct indents its body). The script value of spec §4.7 is produced here.

#include <string>

#include "codegen_internal.h"

namespace er::lang::detail {

namespace {

// Statements whose value §4.7 makes the script's value when they come last.
bool has_script_value(const Stat* s) {
  return s->is<StatAssign>() || s->is<StatCompoundAssign>() || s->is<StatCall>() ||
         s->is<StatPropertyGet>();
}

}  // namespace

void Codegen::block(const StatBlock* b) {
  const std::size_t mark = scope_mark();
  w_.newline();
  w_.indent();
  statements(b->body, false);
  w_.dedent();
  pop_scope(mark);
}

void Codegen::statements(AstArray<Stat*> body, bool script_top_level) {
  for (std::size_t i = 0; i < body.size; ++i) {
    const bool last = i + 1 == body.size;
    stat(body[i], script_top_level && last && has_script_value(body[i]));
  }
}

void Codegen::stat(const Stat* s, bool value_wanted) {
  w_.newline();
  w_.mark(MarkKind::statement, s->location.begin);
  switch (s->kind) {
    case NodeKind::StatLocal: local_stat(*s->cast<StatLocal>()); break;
    case NodeKind::StatAssign: assign(*s->cast<StatAssign>(), value_wanted); break;
    case NodeKind::StatCompoundAssign: compound(*s->cast<StatCompoundAssign>(), value_wanted); break;
    case NodeKind::StatCall: call_stat(*s->cast<StatCall>(), value_wanted); break;
    case NodeKind::StatPropertyGet:
      if (value_wanted) w_.keyword("return");
      property(*s->cast<StatPropertyGet>()->property);
      break;
    case NodeKind::StatIf: {
      const auto* i = s->as<StatIf>();
      if_stat(i->clauses, i->else_body);
      break;
    }
    case NodeKind::StatCase: if_stat(s->cast<StatCase>()->clauses, nullptr); break;
    case NodeKind::StatNumericFor: numeric_for(*s->cast<StatNumericFor>()); break;
    case NodeKind::StatGenericFor: generic_for(*s->cast<StatGenericFor>()); break;
    case NodeKind::StatFunction: function_stat(*s->cast<StatFunction>()); break;
    case NodeKind::StatLocalFunction: {
      const auto* f = s->as<StatLocalFunction>();
      w_.keyword("local");
      w_.keyword("function");
      local_name(f->name.name.text);
      push_local_at(f->name.name.text, f->name.location.begin);  // A local function sees itself.
      function_body(f->function->params, f->function->is_vararg, false, f->function->body);
      break;
    }
    case NodeKind::StatReturn: return_stat(*s->cast<StatReturn>()); break;
    case NodeKind::StatBreak: w_.keyword("break"); break;
    default: simple_blocks(s); break;
  }
  w_.newline();
}

// do, while and repeat: Lua's own statements.
void Codegen::simple_blocks(const Stat* s) {
  if (const auto* d = s->as<StatDo>()) {
    w_.keyword("do");
    block(d->body);
    w_.keyword("end");
  } else if (const auto* loop = s->as<StatWhile>()) {
    w_.keyword("while");
    expr(loop->condition);
    w_.keyword("do");
    block(loop->body);
    w_.keyword("end");
  } else if (const auto* r = s->as<StatRepeat>()) {
    // `until` sees the body's locals, so the scope closes after the condition.
    const std::size_t mark = scope_mark();
    w_.keyword("repeat");
    w_.newline();
    w_.indent();
    statements(r->body->body, false);
    w_.dedent();
    w_.newline();
    w_.keyword("until");
    expr(r->condition);
    pop_scope(mark);
  }
  // StatError and StatBlock never reach code generation without a reported error.
}

void Codegen::local_stat(const StatLocal& s) {
  w_.keyword("local");
  for (std::size_t i = 0; i < s.names.size; ++i) {
    if (i > 0) w_.symbol(',');
    local_name(s.names[i].name.text);
  }
  if (!s.values.empty()) {
    w_.binary("=");
    expr_list(s.values);  // The values do not see the new names.
  }
  for (const Binding& name : s.names) push_local_at(name.name.text, name.location.begin);
}

void Codegen::call_stat(const StatCall& s, bool value_wanted) {
  if (value_wanted) {
    w_.keyword("return");
  } else {
    guard_paren_start(s.call);
  }
  expr(s.call);
}

// Lua would read a statement that starts with '(' as a call continuing the previous
// line (`a = b` then `(f)()` is `a = b(f)()`); a ';' in front keeps them apart.
void Codegen::guard_paren_start(const Expr* statement_start) {
  const Expr* e = statement_start;
  for (;;) {
    if (const auto* c = e->as<ExprCall>()) {
      if (special_call_name(*c)) return;
      e = c->function;
    } else if (const auto* f = e->as<ExprField>()) {
      e = f->object;
    } else if (const auto* i = e->as<ExprIndex>()) {
      e = i->object;
    } else {
      break;
    }
  }
  const bool plain = e->is<ExprName>() || e->is<ExprMethodCall>() || e->is<ExprProperty>() ||
                     e->is<ExprPersistent>() || e->is<ExprDate>() ||
                     (e->is<ExprEvent>() && e->cast<ExprEvent>()->fields != nullptr);
  if (!plain) w_.symbol(';');
}

// case and if share one shape: the first truthy condition's block runs.
void Codegen::if_stat(AstArray<ConditionalClause> clauses, const StatBlock* else_body) {
  if (clauses.empty()) {
    w_.keyword("do");
    w_.keyword("end");
    return;
  }
  for (std::size_t i = 0; i < clauses.size; ++i) {
    if (i > 0) w_.newline();
    w_.keyword(i == 0 ? "if" : "elseif");
    expr(clauses[i].condition);
    w_.keyword("then");
    block(clauses[i].body);
  }
  if (else_body != nullptr) {
    w_.newline();
    w_.keyword("else");
    block(else_body);
  }
  w_.newline();
  w_.keyword("end");
}

void Codegen::numeric_for(const StatNumericFor& s) {
  w_.mark(MarkKind::loop, s.location.begin);
  w_.keyword("for");
  local_name(s.var.name.text);
  w_.binary("=");
  expr(s.from);
  w_.symbol(',');
  expr(s.to);
  if (s.step != nullptr) {
    w_.symbol(',');
    expr(s.step);
  }
  w_.keyword("do");
  const std::size_t mark = scope_mark();
  push_hidden_locals(3, s.var.location.begin);  // Lua 5.4's numeric for state.
  push_local_at(s.var.name.text, s.var.location.begin);
  block(s.body);
  pop_scope(mark);
  w_.keyword("end");
}

// A failing iterator call ("attempt to call a nil value") maps to the statement.
void Codegen::generic_for(const StatGenericFor& s) {
  w_.keyword("for");
  for (std::size_t i = 0; i < s.names.size; ++i) {
    if (i > 0) w_.symbol(',');
    local_name(s.names[i].name.text);
  }
  w_.keyword("in");
  expr_list(s.values);
  w_.keyword("do");
  const std::size_t mark = scope_mark();
  push_hidden_locals(4, s.names[0].location.begin);  // Lua 5.4's generic for state.
  for (const Binding& name : s.names) push_local_at(name.name.text, name.location.begin);
  block(s.body);
  pop_scope(mark);
  w_.keyword("end");
}

// function f() assigns the local f in scope, else the EventScript global f;
// function a.b:m() assigns field m of a.b and adds `self`.
void Codegen::function_stat(const StatFunction& s) {
  const std::string_view first = s.path[0].name.text;
  const bool simple = s.path.size == 1 && !s.has_method;
  if (simple && find_local(first) == nullptr) {
    note_global_assigned(first, s.path[0].location.begin);
    runtime_call("gs");
    w_.string_literal(first);
    w_.symbol(',');
    w_.keyword("function");
    function_body(s.function->params, s.function->is_vararg, false, s.function->body);
    w_.symbol(')');
    return;
  }
  if (find_local(first) != nullptr) {
    local_name(first);
  } else {
    note_global_read(first, s.path[0].location.begin, false);
    runtime_call("gv");
    w_.string_literal(first);
    position_arg(s.path[0].location.begin);
    w_.symbol(')');
  }
  for (std::size_t i = 1; i < s.path.size; ++i) field_name(s.path[i].name.text);
  if (s.has_method) field_name(s.method.name.text);
  w_.binary("=");
  w_.keyword("function");
  function_body(s.function->params, s.function->is_vararg, s.has_method || s.function->has_self,
                s.function->body);
}

void Codegen::return_stat(const StatReturn& s) {
  w_.keyword("return");
  expr_list(s.values);
}

}  // namespace er::lang::detail

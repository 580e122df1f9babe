// Calls, device access and function values: calls, method calls, properties,
// functions, lambdas and comprehensions.

#include "codegen_internal.h"

namespace er::lang::detail {

void Codegen::call(const ExprCall& c) {
  if (special_call(c)) return;
  // Lua attributes a call to the line where its function expression starts.
  w_.mark(MarkKind::call, c.location.begin);
  callee_ = c.function->as<ExprName>();
  prefix_expr(c.function);
  callee_ = nullptr;
  w_.symbol('(');
  expr_list(c.args);
  w_.symbol(')');
}

bool Codegen::special_call_name(const ExprCall& c) const {
  const auto* callee = c.function->as<ExprName>();
  if (callee == nullptr || find_local(callee->name.text) != nullptr) return false;
  const std::string_view name = callee->name.text;
  return name == "trueFor" || name == "once" || name == "again";
}

// trueFor, once and again keep per-occurrence state in the runtime, so unless a local
// shadows them they become runtime calls that name their occurrence (§7.8).
bool Codegen::special_call(const ExprCall& c) {
  if (!special_call_name(c)) return false;
  const std::string_view name = c.function->cast<ExprName>()->name.text;
  if (name == "trueFor" || name == "once") {
    runtime_call(name == "trueFor" ? "true_for" : "once");
    env_arg();
    w_.integer(++occurrence_counter_);
    for (const Expr* arg : c.args) {
      w_.symbol(',');
      expr(arg);
    }
    position_arg(c.location.begin);
    w_.symbol(')');
    return true;
  }
  if (name == "again") {
    runtime_call("again");
    w_.identifier("__env");
    w_.symbol(',');
    if (c.args.empty()) {
      w_.keyword("nil");
    } else {
      expr(c.args[0]);
    }
    position_arg(c.location.begin);
    w_.symbol(')');
    return true;
  }
  return false;
}

void Codegen::method_call(const ExprMethodCall& m) {
  w_.mark(MarkKind::call, m.location.begin);
  runtime_call("mcall");
  env_arg();
  expr(m.object);
  w_.symbol(',');
  w_.string_literal(m.method.text);
  w_.integer_argument(access_position(&m, m.method_location.begin));
  for (const Expr* arg : m.args) {
    w_.symbol(',');
    expr(arg);
  }
  w_.symbol(')');
}

void Codegen::property(const ExprProperty& p) {
  runtime_call("prop");
  env_arg();
  expr(p.object);
  w_.symbol(',');
  w_.string_literal(p.name.text);
  w_.integer_argument(access_position(&p, p.name_location.begin));
  w_.symbol(')');
}

// Parameters, then the body in a fresh function scope. Method functions get `self`.
void Codegen::function_body(AstArray<Binding> params, bool vararg, bool has_self,
                            const StatBlock* body) {
  const std::size_t mark = scope_mark();
  const FunctionScope saved_scope = begin_function_scope();
  const bool saved_vararg = vararg_function_;
  const Context saved_context = context_;
  vararg_function_ = vararg;
  context_ = Context::body;
  w_.symbol('(');
  bool first = true;
  if (has_self) {
    w_.identifier("self");
    push_local("self");
    first = false;
  }
  for (const Binding& param : params) {
    if (!first) w_.symbol(',');
    local_name(param.name.text);
    push_local_at(param.name.text, param.location.begin);
    first = false;
  }
  if (vararg) {
    if (!first) w_.symbol(',');
    w_.symbol("...");
  }
  w_.symbol(')');
  w_.newline();
  w_.indent();
  statements(body->body, false);
  w_.dedent();
  w_.keyword("end");
  pop_scope(mark);
  end_function_scope(saved_scope);
  vararg_function_ = saved_vararg;
  context_ = saved_context;
}

// x -> e is function(x) return e end: the body may yield several values.
void Codegen::lambda(const ExprLambda& l) {
  const std::size_t mark = scope_mark();
  const FunctionScope saved_scope = begin_function_scope();
  const bool saved_vararg = vararg_function_;
  const Context saved_context = context_;
  vararg_function_ = false;
  context_ = Context::body;
  w_.keyword("function");
  w_.symbol('(');
  for (std::size_t i = 0; i < l.params.size; ++i) {
    if (i > 0) w_.symbol(',');
    local_name(l.params[i].name.text);
    push_local_at(l.params[i].name.text, l.params[i].location.begin);
  }
  w_.symbol(')');
  w_.keyword("return");
  expr(l.body);
  w_.keyword("end");
  pop_scope(mark);
  end_function_scope(saved_scope);
  vararg_function_ = saved_vararg;
  context_ = saved_context;
}

// [e for k, v in t if g] (spec §3.9): __R.iter walks 1..size(t) and then the other
// keys, and fails on a non-table; each element gets fresh loop locals.
void Codegen::comprehension(const ExprComprehension& c) {
  iife_open();
  w_.keyword("local");
  w_.identifier("__r");
  w_.symbol(',');
  w_.identifier("__n");
  w_.binary("=");
  w_.symbol('{');
  w_.symbol('}');
  w_.symbol(',');
  w_.integer(0);
  w_.keyword("for");
  const std::size_t mark = scope_mark();
  if (c.names.size == 1) {
    w_.identifier("__k");
    w_.symbol(',');
  }
  for (std::size_t i = 0; i < c.names.size; ++i) {
    if (i > 0) w_.symbol(',');
    local_name(c.names[i].name.text);
  }
  w_.keyword("in");
  runtime_call("iter");
  pop_scope(mark);  // The source is evaluated outside the loop's scope.
  expr(c.source);
  position_arg(c.source->location.begin);
  w_.symbol(')');
  w_.keyword("do");
  const FunctionScope saved_scope = begin_function_scope();  // The loop runs in an IIFE.
  push_hidden_locals(6, c.location.begin);  // __r, __n, __k and the for loop's state.
  for (const Binding& name : c.names) push_local_at(name.name.text, name.location.begin);
  if (c.filter != nullptr) {
    w_.keyword("if");
    expr(c.filter);
    w_.keyword("then");
  }
  w_.keyword("local");
  w_.identifier("__e");
  w_.binary("=");
  expr(c.element);
  w_.keyword("if");
  w_.identifier("__e");
  w_.binary("~=");
  w_.keyword("nil");
  w_.keyword("then");
  w_.identifier("__n");
  w_.binary("=");
  w_.identifier("__n");
  w_.binary("+");
  w_.integer(1);
  w_.symbol(';');
  w_.identifier("__r");
  w_.symbol('[');
  w_.identifier("__n");
  w_.symbol(']');
  w_.binary("=");
  w_.identifier("__e");
  w_.keyword("end");
  if (c.filter != nullptr) w_.keyword("end");
  w_.keyword("end");
  pop_scope(mark);
  end_function_scope(saved_scope);
  w_.keyword("return");
  w_.identifier("__r");
  iife_close();
}

}  // namespace er::lang::detail

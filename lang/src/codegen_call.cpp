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
  access_call_open("mcall", &m, m.object, m.method.text, m.method_location.begin);
  for (const Expr* arg : m.args) {
    w_.symbol(',');
    expr(arg);
  }
  w_.symbol(')');
}

void Codegen::property(const ExprProperty& p) {
  access_call_open("prop", &p, p.object, p.name.text, p.name_location.begin);
  w_.symbol(')');
}

// `__R.<function>(env, object, "name", p`: the runtime call of a checked access by name
// (a method call or a property), left open for the caller's further arguments.
void Codegen::access_call_open(std::string_view function, const Expr* access, const Expr* object,
                               std::string_view name, common::Position name_at) {
  runtime_call(function);
  env_arg();
  expr(object);
  w_.symbol(',');
  w_.string_literal(name);
  w_.integer_argument(access_position(access, name_at));
}

// Parameters, then the body in a fresh function scope. Method functions get `self`.
void Codegen::function_body(AstArray<Binding> params, bool vararg, bool has_self,
                            const StatBlock* body) {
  const LuaFunctionScope function(*this, vararg);
  parameter_list(params, vararg, has_self);
  w_.newline();
  w_.indent();
  statements(body->body, false);
  w_.dedent();
  w_.keyword("end");
}

void Codegen::parameter_list(AstArray<Binding> params, bool vararg, bool has_self) {
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
}

// x -> e is function(x) return e end: the body may yield several values.
void Codegen::lambda(const ExprLambda& l) {
  const LuaFunctionScope function(*this, false);
  w_.keyword("function");
  parameter_list(l.params, false, false);
  w_.keyword("return");
  expr(l.body);
  w_.keyword("end");
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

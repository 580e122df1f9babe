// Assignments: plain, multiple and compound (spec §4.1), to locals, EventScript
// globals, $persistent variables, fields and device properties.

#include <string>

#include "codegen_internal.h"

namespace er::lang::detail {

namespace {

const Expr* strip_parens(const Expr* e) {
  while (const auto* p = e->as<ExprParen>()) e = p->inner;
  return e;
}

// The persistent variable whose field a target assigns into, if any ($cfg.x = 1).
const ExprPersistent* persistent_owner(const Expr* target) {
  const Expr* object = nullptr;
  if (const auto* f = target->as<ExprField>()) object = f->object;
  if (const auto* i = target->as<ExprIndex>()) object = i->object;
  if (object == nullptr) return nullptr;
  return strip_parens(object)->as<ExprPersistent>();
}

std::string temp_name(int index) { return "__t" + std::to_string(index); }

std::string_view compound_operator(BinaryOp op) {
  switch (op) {
    case BinaryOp::Sub: return "-";
    case BinaryOp::Mul: return "*";
    case BinaryOp::Div: return "/";
    case BinaryOp::Mod: return "%";
    default: return "+";
  }
}

}  // namespace

bool Codegen::native_target(const Expr* target) const {
  if (const auto* name = target->as<ExprName>()) {
    const Local* local = find_local(name->name.text);
    return local != nullptr && local->kind == LocalKind::lua_local;
  }
  return target->is<ExprField>() || target->is<ExprIndex>();
}

void Codegen::assign(const StatAssign& s, bool value_wanted) {
  bool all_native = true;
  for (const Expr* target : s.targets) all_native = all_native && native_target(target);
  if (!value_wanted && (all_native || (s.targets.size == 1 && s.values.size == 1))) {
    if (all_native) {
      guard_paren_start(s.targets[0]);
      for (std::size_t i = 0; i < s.targets.size; ++i) {
        if (i > 0) w_.symbol(',');
        expr(s.targets[i]);
      }
      w_.binary("=");
      expr_list(s.values);
    } else {
      assign_to(s.targets[0], s.values[0], {});
    }
    return;
  }
  // Lua semantics: every value first (the last call expands), then the targets.
  w_.keyword("do");
  w_.newline();
  w_.indent();
  const int first_temp = temp_counter_ + 1;
  const std::size_t mark = scope_mark();
  push_hidden_locals(static_cast<int>(s.targets.size), s.location.begin);
  w_.keyword("local");
  for (std::size_t i = 0; i < s.targets.size; ++i) {
    if (i > 0) w_.symbol(',');
    w_.identifier(temp_name(++temp_counter_));
  }
  w_.binary("=");
  expr_list(s.values);
  for (std::size_t i = 0; i < s.targets.size; ++i) {
    w_.newline();
    assign_value_target(s.targets[i], temp_name(first_temp + static_cast<int>(i)));
  }
  if (value_wanted) {
    w_.newline();
    w_.keyword("return");
    w_.identifier(temp_name(first_temp + static_cast<int>(s.targets.size) - 1));
  }
  pop_scope(mark);
  w_.dedent();
  w_.newline();
  w_.keyword("end");
}

void Codegen::assign_value_target(const Expr* target, std::string_view temp) {
  if (native_target(target)) {
    guard_paren_start(target);
    expr(target);
    w_.binary("=");
    w_.identifier(temp);
    return;
  }
  assign_to(target, nullptr, temp);
}

// One non-native target: the value is `value` or, when it is null, the temporary.
void Codegen::assign_to(const Expr* target, const Expr* value, std::string_view temp) {
  auto write_value = [&] {
    if (value != nullptr) {
      expr(value);
    } else {
      w_.identifier(temp);
    }
  };
  if (native_target(target)) {
    guard_paren_start(target);
    expr(target);
    w_.binary("=");
    write_value();
  } else if (const auto* name = target->as<ExprName>()) {
    note_global_assigned(name->name.text, name->location.begin);
    runtime_call("gs");
    w_.string_literal(name->name.text);
    w_.symbol(',');
    write_value();
    w_.symbol(')');
  } else if (const auto* persistent = target->as<ExprPersistent>()) {
    runtime_call("pset");
    w_.string_literal(persistent->name.text);
    w_.symbol(',');
    write_value();
    position_arg(persistent->location.begin);
    w_.symbol(')');
  } else if (const auto* prop = target->as<ExprProperty>()) {
    runtime_call("setprop");
    env_arg();
    expr(prop->object);
    w_.symbol(',');
    w_.string_literal(prop->name.text);
    w_.symbol(',');
    write_value();
    w_.integer_argument(access_position(prop, prop->name_location.begin));
    w_.symbol(')');
  }
}

// v op= e is v = v op e with v's table and key evaluated once (spec §4.1).
void Codegen::compound(const StatCompoundAssign& s, bool value_wanted) {
  const Expr* target = s.target;
  // The parser has reported both: "compound assignment to a device property is not
  // supported" and "cannot assign into a field of persistent variable ...".
  if (target->is<ExprProperty>() || persistent_owner(target) != nullptr) return;
  w_.keyword("do");
  w_.newline();
  w_.indent();
  const auto* field = target->as<ExprField>();
  const auto* index = target->as<ExprIndex>();
  if (field != nullptr || index != nullptr) {
    w_.keyword("local");
    w_.identifier("__o");
    w_.symbol(',');
    w_.identifier("__k");
    w_.binary("=");
    expr(field != nullptr ? field->object : index->object);
    w_.symbol(',');
    if (field != nullptr) {
      w_.string_literal(field->name.text);
    } else {
      expr(index->key);
    }
    w_.newline();
  }
  w_.keyword("local");
  w_.identifier("__v");
  w_.binary("=");
  compound_value(target, s);
  w_.newline();
  if (field != nullptr || index != nullptr) {
    w_.identifier("__o");
    w_.symbol('[');
    w_.identifier("__k");
    w_.symbol(']');
    w_.binary("=");
    w_.identifier("__v");
  } else {
    assign_value_target(target, "__v");
  }
  if (value_wanted) {
    w_.newline();
    w_.keyword("return");
    w_.identifier("__v");
  }
  w_.dedent();
  w_.newline();
  w_.keyword("end");
}

// The current value of the target, the operator and the right operand.
void Codegen::compound_value(const Expr* current, const StatCompoundAssign& s) {
  const int precedence = s.op == BinaryOp::Add || s.op == BinaryOp::Sub ? kPrecAdd : kPrecMul;
  if (current->is<ExprField>() || current->is<ExprIndex>()) {
    w_.mark(MarkKind::index, current->location.begin);
    w_.identifier("__o");
    w_.symbol('[');
    w_.identifier("__k");
    w_.symbol(']');
  } else {
    expr(current);
  }
  w_.mark(MarkKind::arithmetic, s.op_location.begin);
  w_.binary(compound_operator(s.op));
  operand(s.value, precedence, true);
}

}  // namespace er::lang::detail

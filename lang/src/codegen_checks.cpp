// Definition-time device checks (spec §10.9): which property accesses, property
// assignments and method calls of a rule the engine can check when the rule is
// defined, and the descriptor field `checks` that hands them over
// (docs/runtime-interface.md §5.7).

#include <algorithm>

#include "codegen_internal.h"

namespace er::lang::detail {

namespace {

const Expr* strip_parens(const Expr* e) {
  while (const auto* paren = e->as<ExprParen>()) e = paren->inner;
  return e;
}

bool is_number_or_string(const Expr* e) {
  e = strip_parens(e);
  return e->is<ExprNumber>() || e->is<ExprString>();
}

// The X of an action access that is checked: a number, a string, or a table
// constructor whose elements are all positional numbers and strings (a list of ids).
bool is_literal_object(const Expr* x) {
  x = strip_parens(x);
  if (is_number_or_string(x)) return true;
  const auto* table = x->as<ExprTable>();
  if (table == nullptr) return false;
  return std::all_of(table->fields.begin(), table->fields.end(), [](const TableField& field) {
    return field.kind == TableFieldKind::Positional && is_number_or_string(field.value);
  });
}

// Collects the checks of one rule. The visitor only reads the tree; AstVisitor takes
// mutable nodes, hence the const_casts at the entry points.
class CheckCollector : public AstVisitor {
 public:
  CheckCollector(const RuleTriggers& triggers, std::vector<DeviceCheck>& out)
      : triggers_(triggers), out_(out) {}

  void condition_part(const Expr* e) {
    in_condition_ = true;
    const_cast<Expr*>(e)->visit(*this);
  }
  void action(const StatBlock* block) {
    in_condition_ = false;
    const_cast<StatBlock*>(block)->visit(*this);
  }

  // Function and lambda bodies run later, if ever: they are not checked.
  bool visit_expr_function(ExprFunction*) override { return false; }
  bool visit_expr_lambda(ExprLambda*) override { return false; }

  // A checked X contains no access, so adding before visiting X keeps source order.
  bool visit_expr_property(ExprProperty* p) override {
    add(p, p->object, p->name.text, p->name_location.begin, "get");
    return true;
  }
  bool visit_expr_method_call(ExprMethodCall* m) override {
    add(m, m->object, m->method.text, m->method_location.begin, "call");
    return true;
  }
  bool visit_stat_assign(StatAssign* s) override;
  bool visit_expr_comprehension(ExprComprehension* c) override;

  // An action's locals are not global names. Their scope is taken as the rest of the
  // rule, which can only leave a check by name out, never add a wrong one.
  bool visit_stat_local(StatLocal* s) override {
    for (Expr* value : s->values) value->visit(*this);
    for (const Binding& binding : s->names) locals_.push_back(binding.name.text);
    return false;
  }
  bool visit_stat_local_function(StatLocalFunction* s) override {
    locals_.push_back(s->name.name.text);
    return false;
  }
  bool visit_stat_numeric_for(StatNumericFor* s) override {
    locals_.push_back(s->var.name.text);
    return true;
  }
  bool visit_stat_generic_for(StatGenericFor* s) override {
    for (const Binding& binding : s->names) locals_.push_back(binding.name.text);
    return true;
  }

 private:
  void add(const Expr* access, const Expr* object, std::string_view name, common::Position at,
           std::string_view mode);
  [[nodiscard]] bool is_evaluable(const Expr* x) const;
  [[nodiscard]] bool is_local(std::string_view name) const;

  const RuleTriggers& triggers_;
  std::vector<DeviceCheck>& out_;
  bool in_condition_ = true;
  std::vector<std::string_view> locals_;  // Comprehension names in scope.
};

// A property target is a set; the rest of the statement is visited as usual.
bool CheckCollector::visit_stat_assign(StatAssign* s) {
  for (Expr* target : s->targets) {
    if (auto* p = target->as<ExprProperty>()) {
      add(p, p->object, p->name.text, p->name_location.begin, "set");
      p->object->visit(*this);
    } else {
      target->visit(*this);
    }
  }
  for (Expr* value : s->values) value->visit(*this);
  return false;
}

// The element and the filter see the comprehension's names; the source does not.
bool CheckCollector::visit_expr_comprehension(ExprComprehension* c) {
  const std::size_t depth = locals_.size();
  for (const Binding& binding : c->names) locals_.push_back(binding.name.text);
  c->element->visit(*this);
  locals_.resize(depth);
  c->source->visit(*this);
  if (c->filter != nullptr) {
    for (const Binding& binding : c->names) locals_.push_back(binding.name.text);
    c->filter->visit(*this);
    locals_.resize(depth);
  }
  return false;
}

void CheckCollector::add(const Expr* access, const Expr* object, std::string_view name,
                         common::Position at, std::string_view mode) {
  const bool checkable = in_condition_ ? is_evaluable(object) : is_literal_object(object);
  if (checkable) {
    out_.push_back({access, object, name, at, mode});
    return;
  }
  const auto* global = in_condition_ ? nullptr : strip_parens(object)->as<ExprName>();
  if (global != nullptr && !is_local(global->name.text)) out_.push_back({access, object, name, at, mode, true});
}

// A condition X that can be evaluated at definition without side effects: a literal,
// a global name, a $name, or a table constructor of those that is not a pattern.
bool CheckCollector::is_evaluable(const Expr* x) const {
  x = strip_parens(x);
  switch (x->kind) {
    case NodeKind::ExprNil:
    case NodeKind::ExprBool:
    case NodeKind::ExprNumber:
    case NodeKind::ExprString:
    case NodeKind::ExprTime:
    case NodeKind::ExprPersistent:
      return true;
    case NodeKind::ExprName: return !is_local(x->cast<ExprName>()->name.text);
    case NodeKind::ExprTable: {
      if (triggers_.pattern_index(x) >= 0) return false;
      const AstArray<TableField> fields = x->cast<ExprTable>()->fields;
      return std::all_of(fields.begin(), fields.end(), [this](const TableField& field) {
        return (field.key == nullptr || is_evaluable(field.key)) && is_evaluable(field.value);
      });
    }
    default: return false;
  }
}

// Run locals (`event`, pattern captures) and comprehension names have no value at
// definition.
bool CheckCollector::is_local(std::string_view name) const {
  const auto& captures = triggers_.captures;
  return name == "event" || std::find(locals_.begin(), locals_.end(), name) != locals_.end() ||
         std::find(captures.begin(), captures.end(), name) != captures.end();
}

}  // namespace

std::vector<DeviceCheck> collect_device_checks(const Rule& rule, const RuleTriggers& triggers) {
  std::vector<DeviceCheck> out;
  CheckCollector collector(triggers, out);
  collector.condition_part(rule.condition);
  for (const RuleModifier& m : rule.modifiers) {
    if (m.operand != nullptr) collector.condition_part(m.operand);
  }
  if (rule.action != nullptr) collector.action(rule.action);
  return out;
}

// checks = function(__env) return {X1, "p1", "get", p1, ...} end: flat quadruples,
// X evaluated at definition as the access's own code evaluates it. A check by name
// gives X as the name's string and the mode as "name_get", "name_set" or "name_call".
void Codegen::checks_function() {
  if (checks_.empty()) return;
  const ContextScope scope(*this, Context::definition);
  field_open("checks");
  definition_function_open();
  w_.keyword("return");
  w_.symbol('{');
  for (std::size_t i = 0; i < checks_.size(); ++i) {
    const DeviceCheck& check = checks_[i];
    if (i > 0) w_.symbol(',');
    if (check.by_name) {
      w_.string_literal(strip_parens(check.object)->cast<ExprName>()->name.text);
    } else {
      expr(check.object);
    }
    w_.symbol(',');
    w_.string_literal(check.name);
    w_.symbol(',');
    w_.string_literal(check.by_name ? "name_" + std::string(check.mode) : std::string(check.mode));
    w_.integer_argument(access_position(check.access, check.name_at));
  }
  w_.symbol('}');
  definition_function_close();
  field_close();
}

}  // namespace er::lang::detail

// Whether a rule's action can suspend, and whether a whole run of the rule is bounded.
// The engine runs an action that cannot suspend on the loop's own stack instead of in
// a task (the descriptor field `nowait`), and a run that is bounded without the
// instruction budget's hook (`bounded`), docs/runtime-interface.md §5.8: a short rule
// then costs neither a coroutine switch nor a hooked interpreter.

#include "codegen_internal.h"

namespace er::lang::detail {

namespace {

// Finds anything in an action through which control could reach a wait: a call of a
// function or method (user code, or wait itself) or a generic `for` (its iterator is
// called). Property accesses and assignments are runtime helpers and do not count;
// function and lambda bodies only define code, they do not run it.
// With `loops_too`, it also finds the other loops (while, repeat, numeric for): what
// is left is straight-line code over the runtime's helpers, which always ends.
class SuspendFinder : public AstVisitor {
 public:
  explicit SuspendFinder(bool loops_too = false) : loops_too_(loops_too) {}
  bool found = false;

  bool visit_expr_call(ExprCall*) override { return stop(); }
  bool visit_expr_method_call(ExprMethodCall*) override { return stop(); }
  bool visit_stat_generic_for(StatGenericFor*) override { return stop(); }
  bool visit_stat_while(StatWhile*) override { return loops_too_ ? stop() : !found; }
  bool visit_stat_repeat(StatRepeat*) override { return loops_too_ ? stop() : !found; }
  bool visit_stat_numeric_for(StatNumericFor*) override { return loops_too_ ? stop() : !found; }
  bool visit_expr_function(ExprFunction*) override { return false; }
  bool visit_expr_lambda(ExprLambda*) override { return false; }
  bool visit_node(AstNode*) override { return !found; }

 private:
  bool stop() {
    found = true;
    return false;
  }
  bool loops_too_;
};

}  // namespace

bool action_never_suspends(const Rule& rule) {
  for (const RuleModifier& m : rule.modifiers) {
    if (m.kind == ModifierKind::Debounce) return false;
  }
  if (rule.action == nullptr) return true;
  SuspendFinder finder;
  // AstVisitor takes mutable nodes; the finder only reads.
  const_cast<StatBlock*>(rule.action)->visit(finder);
  return !finder.found;
}

bool run_is_bounded(const Rule& rule) {
  if (!action_never_suspends(rule)) return false;
  // AstVisitor takes mutable nodes; the finder only reads.
  SuspendFinder finder(true);
  const_cast<Expr*>(rule.condition)->visit(finder);
  for (const RuleModifier& m : rule.modifiers) {
    if (m.operand != nullptr) const_cast<Expr*>(m.operand)->visit(finder);
  }
  if (rule.action != nullptr) const_cast<StatBlock*>(rule.action)->visit(finder);
  return !finder.found;
}

}  // namespace er::lang::detail

// Whether a rule's action can suspend. The engine runs an action that cannot on the
// loop's own stack instead of in a task (the descriptor field `nowait`,
// docs/runtime-interface.md §5.8): a short rule then costs no coroutine switch.

#include "codegen_internal.h"

namespace er::lang::detail {

namespace {

// Finds anything in an action through which control could reach a wait: a call of a
// function or method (user code, or wait itself) or a generic `for` (its iterator is
// called). Property accesses and assignments are runtime helpers and do not count;
// function and lambda bodies only define code, they do not run it.
class SuspendFinder : public AstVisitor {
 public:
  bool found = false;

  bool visit_expr_call(ExprCall*) override { return stop(); }
  bool visit_expr_method_call(ExprMethodCall*) override { return stop(); }
  bool visit_stat_generic_for(StatGenericFor*) override { return stop(); }
  bool visit_expr_function(ExprFunction*) override { return false; }
  bool visit_expr_lambda(ExprLambda*) override { return false; }
  bool visit_node(AstNode*) override { return !found; }

 private:
  bool stop() {
    found = true;
    return false;
  }
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

}  // namespace er::lang::detail

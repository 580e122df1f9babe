// Traced conditions (docs/traces.md): the term tree of a rule's condition, the
// descriptor field `terms` that describes it, and `cond_traced`, the condition
// again with each term's code wrapped in `__R.term(__env, <id>, <code>)`.
//
// A term is a leaf of the condition's `&`/`|` tree (a comparison, a time window, a
// property, a pattern), a trueFor/once call (its condition is its child), the `since`
// modifier (the whole condition is its child) or a gate modifier (cooldown, every,
// first_in). Device property and `$global` reads inside a leaf are terms of kind
// `read`, so a full trace shows what a comparison compared. `&` and `|` nodes are
// terms the runtime never reports: the explanation derives their value from their
// parts. Both condition functions key the same trueFor/once/modifier states.

#include <string>

#include "codegen_internal.h"

namespace er::lang::detail {

namespace {

// Keep in sync with TermKind (codegen_internal.h).
constexpr std::string_view kTermKindNames[] = {"all",  "any",   "test",     "read",  "true_for",
                                               "once", "since", "cooldown", "every", "first_in"};

const Expr* without_parens(const Expr* e) {
  while (const auto* paren = e->as<ExprParen>()) e = paren->inner;
  return e;
}

// The byte offset of `at` in `source` (lines and columns are 1-based; columns count bytes).
std::size_t offset_of(std::string_view source, common::Position at) {
  std::size_t offset = 0;
  for (std::uint32_t line = 1; line < at.line && offset < source.size(); ++line) {
    const std::size_t newline = source.find('\n', offset);
    if (newline == std::string_view::npos) return source.size();
    offset = newline + 1;
  }
  return std::min(source.size(), offset + at.column - 1);
}

std::string_view source_slice(std::string_view source, common::Location location) {
  const std::size_t begin = offset_of(source, location.begin);
  const std::size_t end = offset_of(source, location.end);
  return end > begin ? source.substr(begin, end - begin) : std::string_view{};
}

// The condition argument of trueFor(t, c) and once(c), or null.
const Expr* wrapped_condition(const ExprCall& call) {
  const std::string_view name = call.function->cast<ExprName>()->name.text;
  const std::size_t index = name == "trueFor" ? 1 : 0;
  return call.args.size > index ? call.args[index] : nullptr;
}

TermKind gate_kind(ModifierKind kind) {
  if (kind == ModifierKind::Cooldown) return TermKind::cooldown;
  if (kind == ModifierKind::Every) return TermKind::every;
  return TermKind::first_in;
}

}  // namespace

int Codegen::add_term(TermKind kind, int parent, common::Location location) {
  const int depth = parent == 0 ? 1 : terms_[static_cast<std::size_t>(parent) - 1].depth + 1;
  terms_.push_back({kind, parent, location, depth});
  return static_cast<int>(terms_.size());
}

// The terms of the condition, then those of its modifiers, in written order.
void Codegen::collect_terms(const Rule& rule) {
  terms_.clear();
  term_ids_.clear();
  modifier_term_ids_.assign(rule.modifiers.size, 0);
  int parent = 0;
  for (std::size_t i = 0; i < rule.modifiers.size; ++i) {
    const RuleModifier& m = rule.modifiers[i];
    if (m.kind != ModifierKind::Since) continue;
    parent = add_term(TermKind::since, 0, m.location);
    modifier_term_ids_[i] = parent;
  }
  term_tree(rule.condition, parent);
  for (std::size_t i = 0; i < rule.modifiers.size; ++i) {
    const RuleModifier& m = rule.modifiers[i];
    const bool gate = m.kind == ModifierKind::Cooldown || m.kind == ModifierKind::Every ||
                      m.kind == ModifierKind::FirstIn;
    if (gate && m.operand != nullptr) modifier_term_ids_[i] = add_term(gate_kind(m.kind), 0, m.location);
  }
}

// `&` and `|` chains become one node each (a & b & c is one `all` of three); an `&`
// directly under the top level (or under since) joins it.
void Codegen::term_tree(const Expr* e, int parent) {
  e = without_parens(e);
  if (const auto* b = e->as<ExprBinary>(); b != nullptr && (b->op == BinaryOp::And || b->op == BinaryOp::Or)) {
    const TermKind kind = b->op == BinaryOp::And ? TermKind::all : TermKind::any;
    const bool joins = parent == 0 ? kind == TermKind::all
                                   : terms_[static_cast<std::size_t>(parent) - 1].kind == kind ||
                                         (kind == TermKind::all &&
                                          terms_[static_cast<std::size_t>(parent) - 1].kind == TermKind::since);
    const int id = joins ? parent : add_term(kind, parent, b->location);
    term_tree(b->left, id);
    term_tree(b->right, id);
    return;
  }
  if (const auto* call = e->as<ExprCall>(); call != nullptr && special_call_name(*call)) {
    const Expr* inner = wrapped_condition(*call);
    if (inner != nullptr) {
      const bool true_for = call->function->cast<ExprName>()->name.text == "trueFor";
      const int id = add_term(true_for ? TermKind::true_for : TermKind::once, parent, call->location);
      term_ids_[e] = id;
      term_tree(inner, id);
      return;
    }
  }
  const int id = add_term(TermKind::test, parent, e->location);
  term_ids_[e] = id;
  term_reads(e, id, true);
}

// The device property and `$global` reads of a leaf, not looking into functions,
// tables or the object of a property (a list's property is one read).
void Codegen::term_reads(const Expr* e, int parent, bool leaf) {
  switch (e->kind) {
    case NodeKind::ExprProperty:
    case NodeKind::ExprPersistent:
      if (!leaf) term_ids_[e] = add_term(TermKind::read, parent, e->location);
      return;
    case NodeKind::ExprParen: term_reads(e->cast<ExprParen>()->inner, parent, leaf); return;
    case NodeKind::ExprUnary: term_reads(e->cast<ExprUnary>()->operand, parent, false); return;
    case NodeKind::ExprBinary: {
      const auto* b = e->cast<ExprBinary>();
      term_reads(b->left, parent, false);
      term_reads(b->right, parent, false);
      return;
    }
    case NodeKind::ExprCall:
      for (const Expr* arg : e->cast<ExprCall>()->args) term_reads(arg, parent, false);
      return;
    case NodeKind::ExprMethodCall:
      for (const Expr* arg : e->cast<ExprMethodCall>()->args) term_reads(arg, parent, false);
      return;
    default: return;
  }
}

// Each wrap is one more call level: a condition already near Lua's nesting limit is
// not traced rather than refused (its rule then records no term values).
bool Codegen::traced_condition_fits() const {
  int depth = 0;
  for (const TermNode& term : terms_) depth = std::max(depth, term.depth);
  return w_.meter().max_depth() + 2 * static_cast<std::uint32_t>(depth) + 4 <= kMaxLuaNesting;
}

void Codegen::traced_condition_function(const Rule& rule) {
  const ContextScope scope(*this, Context::condition);
  field_open("cond_traced");
  definition_function_open();
  w_.mark(MarkKind::statement, rule.condition->location.begin);
  w_.keyword("return");
  tracing_ = true;
  condition_expr(rule, true);
  tracing_ = false;
  definition_function_close();
  field_close();
}

// `terms = "<kind> <parent> <line> <col> <end_line> <end_col> <length>:<text>..."`, one
// term after the other: a string costs a rule far less heap than a function building
// a table (er.trace_explain.tree parses it when an explanation is first needed).
void Codegen::terms_function() {
  std::string packed;
  for (const TermNode& term : terms_) {
    const std::string_view text = source_slice(options_.source, term.location);
    packed += kTermKindNames[static_cast<std::size_t>(term.kind)];
    for (const std::uint32_t number : {static_cast<std::uint32_t>(term.parent), term.location.begin.line,
                                       term.location.begin.column, term.location.end.line, term.location.end.column,
                                       static_cast<std::uint32_t>(text.size())}) {
      packed += ' ';
      packed += std::to_string(number);
    }
    packed += ':';
    packed += text;
  }
  field_open("terms");
  w_.string_literal(packed);
  field_close();
}

void Codegen::term_open(int id) {
  runtime_call("term");
  env_arg();
  w_.integer(id);
  w_.symbol(',');
}

}  // namespace er::lang::detail

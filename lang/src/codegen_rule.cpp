// Chunk layout: the descriptor table a rule or script chunk returns
// (docs/runtime-interface.md §2), and the public generate_* entry points.

#include <algorithm>
#include <string>

#include "codegen_internal.h"

namespace er::lang {

namespace detail {

namespace {

// Finds a read of the run local `event` anywhere in a rule.
class EventNameFinder : public AstVisitor {
 public:
  bool visit_expr_name(ExprName* name) override {
    if (name->name.text == "event") found = true;
    return !found;
  }
  bool visit_node(AstNode*) override { return !found; }
  bool found = false;
};

bool rule_reads_event(const Rule& rule) {
  EventNameFinder finder;
  const_cast<Rule&>(rule).visit(finder);  // The finder only reads.
  return finder.found;
}

std::string_view first_line(std::string_view text) {
  const std::size_t end = text.find('\n');
  return end == std::string_view::npos ? text : text.substr(0, end);
}

}  // namespace

void Codegen::chunk_header(std::string_view kind) {
  if (options_.header_comment) {
    const std::string_view text = options_.item_text;
    std::string label(kind);
    label += ": ";
    label += first_line(text);
    w_.comment(label);
  }
  w_.keyword("local");
  w_.identifier("__R");
  w_.binary("=");
  w_.symbol("...");
  w_.newline();
  w_.keyword("return");
  w_.symbol('{');
  w_.newline();
  w_.indent();
  w_.identifier("kind");
  w_.binary("=");
  w_.string_literal(kind);
  w_.symbol(',');
  w_.newline();
}

void Codegen::field_open(std::string_view name) {
  w_.newline();
  w_.identifier(name);
  w_.binary("=");
}

void Codegen::field_close() {
  w_.symbol(',');
  w_.newline();
}

void Codegen::true_field(std::string_view name) {
  field_open(name);
  w_.keyword("true");
  field_close();
}

// `name = {` and `}` around one generated function per line.
void Codegen::list_field_open(std::string_view name) {
  field_open(name);
  w_.symbol('{');
  w_.newline();
  w_.indent();
}

void Codegen::list_field_close() {
  w_.dedent();
  w_.symbol('}');
  field_close();
}

void Codegen::string_list_field(std::string_view name, const std::vector<std::string>& values) {
  field_open(name);
  w_.symbol('{');
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) w_.symbol(',');
    w_.string_literal(values[i]);
  }
  w_.symbol('}');
  field_close();
}

// `function(__env` [`, ...`] `)`, the head of every descriptor function.
void Codegen::env_function_open(bool vararg) {
  w_.keyword("function");
  w_.symbol('(');
  w_.identifier("__env");
  if (vararg) {
    w_.symbol(',');
    w_.symbol("...");
  }
  w_.symbol(')');
  w_.newline();
  w_.indent();
}

// Every generated function starts by binding the run local `event` (nil in
// definition-time functions and scripts).
void Codegen::definition_function_open() {
  env_function_open(false);
  run_locals_preamble(false);
}

void Codegen::definition_function_close() {
  w_.dedent();
  w_.newline();
  w_.keyword("end");
}

// `function(__env) return <value> end`, in a scope of its own: how the engine gets an
// operand (a daily time, a between edge, an interval) evaluated at definition and at
// each re-planning.
void Codegen::definition_value_function(const Expr* value) {
  const ContextScope scope(*this, context_);
  definition_function_open();
  w_.keyword("return");
  expr(value);
  definition_function_close();
}

// `event` is always a Lua local. Capture names are Lua locals in the action; in the
// condition they are read from __env.cap, which pattern matches fill as they go.
void Codegen::run_locals_preamble(bool captures_as_locals) {
  if (binds_event_) {
    w_.keyword("local");
    w_.identifier("event");
    w_.binary("=");
    w_.identifier("__env");
    w_.symbol('.');
    w_.identifier("event");
    w_.newline();
    push_local("event");
  }
  if (triggers_ == nullptr) return;
  for (const std::string_view capture : triggers_->captures) {
    if (!captures_as_locals) {
      push_local(capture, LocalKind::capture);
      continue;
    }
    w_.keyword("local");
    local_name(capture);
    w_.binary("=");
    w_.identifier("__env");
    w_.symbol('.');
    w_.identifier("cap");
    w_.symbol('[');
    w_.string_literal(capture);
    w_.symbol(']');
    w_.newline();
    push_local(capture);
  }
}

// Only the event-driven kinds have dispatch keys; timers have their own fields.
void Codegen::static_fields() {
  field_open("triggers");
  w_.symbol('{');
  bool first = true;
  for (const TriggerDescriptor& t : triggers_->sources) {
    const bool keyed = t.kind == TriggerKind::device || t.kind == TriggerKind::global ||
                       t.kind == TriggerKind::variable || t.kind == TriggerKind::event;
    if (!keyed) continue;
    if (!first) w_.symbol(',');
    w_.string_literal(t.key);
    first = false;
  }
  w_.symbol('}');
  field_close();
  if (!triggers_->candidates.empty()) string_list_field("candidates", triggers_->candidates);
  if (!triggers_->replan.empty()) string_list_field("replan", triggers_->replan);
}

// trigger_fn runs once at definition: the ids of device accesses whose object is an
// expression, and the pattern tables (their fields are evaluated then, §7.3).
void Codegen::trigger_function() {
  if (triggers_->dynamic_devices.empty() && triggers_->patterns.empty()) return;
  const ContextScope scope(*this, Context::definition);
  field_open("trigger_fn");
  definition_function_open();
  w_.keyword("return");
  w_.symbol('{');
  w_.identifier("devices");
  w_.binary("=");
  w_.symbol('{');
  for (const DynamicDeviceTrigger& device : triggers_->dynamic_devices) {
    w_.symbol('{');
    w_.string_literal(device.property);
    w_.symbol(',');
    expr(device.access->object);
    w_.symbol('}');
    w_.symbol(',');
  }
  w_.symbol('}');
  w_.symbol(',');
  w_.identifier("patterns");
  w_.binary("=");
  w_.symbol('{');
  for (const Expr* pattern : triggers_->patterns) {
    if (const auto* event = pattern->as<ExprEvent>()) {
      runtime_call("event");
      w_.string_literal(event->name.text);
      w_.symbol(',');
      if (event->fields != nullptr) {
        table_fields(*event->fields);
      } else {
        w_.symbol('{');
        w_.symbol('}');
      }
      w_.symbol(')');
    } else {
      table_fields(*pattern->cast<ExprTable>());
    }
    w_.symbol(',');
  }
  w_.symbol('}');
  w_.symbol('}');
  definition_function_close();
  field_close();
}

void Codegen::daily_functions() {
  if (triggers_->daily.empty()) return;
  const ContextScope scope(*this, Context::definition);
  list_field_open("daily");
  for (const ExprSchedule* daily : triggers_->daily) {
    definition_value_function(daily->operand);
    w_.symbol(',');
    w_.newline();
  }
  list_field_close();
}

void Codegen::edge_functions() {
  if (triggers_->edges.empty()) return;
  const ContextScope scope(*this, Context::definition);
  list_field_open("edges");
  for (const ExprBinary* edge : triggers_->edges) {
    w_.symbol('{');
    for (const Expr* side : {edge->left, edge->right}) {
      definition_value_function(side);
      w_.symbol(',');
    }
    w_.symbol('}');
    w_.symbol(',');
    w_.newline();
  }
  list_field_close();
}

void Codegen::interval_field() {
  const ExprSchedule* interval = triggers_->interval;
  if (interval == nullptr) return;
  const ContextScope scope(*this, Context::definition);
  field_open("interval");
  w_.symbol('{');
  w_.identifier("aligned");
  w_.binary("=");
  w_.keyword(interval->schedule == ScheduleKind::AlignedInterval ? "true" : "false");
  w_.symbol(',');
  w_.identifier("seconds");
  w_.binary("=");
  definition_value_function(interval->operand);
  // p: where "interval must be positive" points when the value is computed.
  w_.symbol(',');
  w_.identifier("p");
  w_.binary("=");
  w_.integer(position(interval->operand->location.begin));
  w_.symbol('}');
  field_close();
}

void Codegen::condition_function(const Rule& rule) {
  const ContextScope scope(*this, Context::condition);
  field_open("cond");
  definition_function_open();
  w_.mark(MarkKind::statement, rule.condition->location.begin);
  w_.keyword("return");
  condition_expr(rule, false);
  definition_function_close();
  field_close();
}

// since wraps the condition in a trueFor; cooldown, every and first_in are then
// joined with `and` in written order, so their state changes only when reached (§6.3).
// `traced`: the since call and each gate are terms too (codegen_terms.cpp).
void Codegen::condition_expr(const Rule& rule, bool traced) {
  const RuleModifier* since = nullptr;
  int since_term = 0;
  for (std::size_t i = 0; i < rule.modifiers.size; ++i) {
    if (rule.modifiers[i].kind != ModifierKind::Since) continue;
    since = &rule.modifiers[i];
    if (traced) since_term = modifier_term_ids_[i];
  }
  if (since != nullptr) {
    if (since_term != 0) term_open(since_term);
    runtime_call("true_for");
    env_arg();
    w_.integer(++occurrence_counter_);
    w_.symbol(',');
    expr(since->operand);
    w_.symbol(',');
    expr(rule.condition);
    position_arg(since->word_location.begin);
    w_.symbol(')');
    if (since_term != 0) w_.symbol(')');
  } else {
    operand(rule.condition, kPrecAnd, false);
  }
  for (std::size_t i = 0; i < rule.modifiers.size; ++i) {
    const RuleModifier& m = rule.modifiers[i];
    const bool gate = m.kind == ModifierKind::Cooldown || m.kind == ModifierKind::Every ||
                      m.kind == ModifierKind::FirstIn;
    if (!gate || m.operand == nullptr) continue;
    w_.binary("and");
    const int gate_term = traced ? modifier_term_ids_[i] : 0;
    if (gate_term != 0) term_open(gate_term);
    runtime_call(modifier_spelling(m.kind));
    env_arg();
    w_.integer(++modifier_counter_);
    w_.symbol(',');
    const auto* window = m.operand->as<ExprBinary>();
    if (m.kind == ModifierKind::FirstIn && window != nullptr && window->op == BinaryOp::Between) {
      expr(window->left);
      w_.symbol(',');
      expr(window->right);
    } else {
      expr(m.operand);
    }
    position_arg(m.word_location.begin);
    w_.symbol(')');
    if (gate_term != 0) w_.symbol(')');
  }
}

void Codegen::action_function(const Rule& rule) {
  const ContextScope scope(*this, Context::body);
  field_open("action");
  env_function_open(false);
  run_locals_preamble(true);
  for (const RuleModifier& m : rule.modifiers) {
    if (m.kind != ModifierKind::Debounce || m.operand == nullptr) continue;
    // debounce T: the action first waits T; a newer true run cancels this one.
    w_.mark(MarkKind::statement, m.word_location.begin);
    runtime_call("wait");
    env_arg();
    expr(m.operand);
    position_arg(m.word_location.begin);
    w_.symbol(')');
    w_.newline();
  }
  if (rule.action != nullptr) statements(rule.action->body, false);
  definition_function_close();
  field_close();
}

void Codegen::rule_chunk(const Rule& rule, const RuleTriggers& triggers) {
  triggers_ = &triggers;
  binds_event_ = options_.may_use_event && rule_reads_event(rule);
  checks_ = collect_device_checks(rule, triggers);
  for (const DeviceCheck& check : checks_) check_positions_.emplace(check.access, 0);
  chunk_header("rule");
  static_fields();
  const bool single = std::any_of(rule.modifiers.begin(), rule.modifiers.end(), [](const RuleModifier& m) {
    return m.kind == ModifierKind::Single || m.kind == ModifierKind::Debounce;
  });
  if (single) true_field("single");
  if (action_never_suspends(rule)) true_field("nowait");
  if (run_is_bounded(rule)) true_field("bounded");
  trigger_function();
  checks_function();
  daily_functions();
  edge_functions();
  interval_field();
  const int occurrences = occurrence_counter_;
  const int modifiers = modifier_counter_;
  condition_function(rule);
  bool traced = false;
  if (options_.trace_terms) {
    collect_terms(rule);
    traced = traced_condition_fits();  // Measured on the condition, as before the action.
  }
  action_function(rule);
  if (traced) traced_tail(rule, occurrences, modifiers);
}

// What traces need (docs/traces.md) comes last in the chunk, after the action: the
// chunk compiled without it is the same code, line for line and position for
// position, so the engine can compile a rule without it and add it when the rule is
// first traced (er.trace loads it from a second compile of the same source).
void Codegen::traced_tail(const Rule& rule, int occurrences, int modifiers) {
  if (std::any_of(rule.modifiers.begin(), rule.modifiers.end(),
                  [](const RuleModifier& m) { return m.kind == ModifierKind::Debounce; })) {
    true_field("debounce");  // A run cancelled in its debounce wait was suppressed (traces).
  }
  // The traced condition keys the same trueFor/once/modifier states as `cond`.
  const int after_occurrences = occurrence_counter_;
  const int after_modifiers = modifier_counter_;
  occurrence_counter_ = occurrences;
  modifier_counter_ = modifiers;
  traced_condition_function(rule);
  terms_function();
  occurrence_counter_ = after_occurrences;
  modifier_counter_ = after_modifiers;
}

void Codegen::script_chunk(const StatBlock& script) {
  chunk_header("script");
  field_open("run");
  env_function_open(true);
  vararg_function_ = true;
  if (options_.may_use_event) {
    // In a script `event` is a defined nil (spec §5.4), not an undefined name.
    w_.keyword("local");
    w_.identifier("event");
    w_.binary("=");
    w_.keyword("nil");
    push_local("event");
  }
  statements(script.body, true);
  definition_function_close();
  field_close();
}

// The position table and the line map close the descriptor; they are data for the
// engine's error reports, never read by the generated code itself.
GeneratedChunk Codegen::finish() {
  GeneratedChunk out;
  if (w_.meter().max_depth() > kMaxLuaNesting) {
    diagnostics_.error(w_.meter().max_depth_at(),
                       "expression or block nested too deeply for Lua (limit is " +
                           std::to_string(kMaxLuaNesting) +
                           " levels of generated code); simplify it or split it with local variables");
  } else if (w_.meter().max_registers() > kMaxLuaRegisters) {
    diagnostics_.error(w_.meter().max_registers_at(),
                       "expression needs too many registers (limit is " + std::to_string(kMaxLuaRegisters) +
                           " values and locals at once in one function); split it with local variables");
  }
  out.line_map = w_.take_line_map();
  field_open("positions");
  w_.symbol('{');
  for (std::size_t i = 0; i < positions_.size(); ++i) {
    if (i > 0) w_.symbol(',');
    w_.integer(positions_[i].line);
    w_.symbol(',');
    w_.integer(positions_[i].column);
  }
  w_.symbol('}');
  field_close();
  if (options_.embed_line_map) {
    field_open("lines");
    w_.symbol('{');
    for (std::size_t i = 0; i < out.line_map.size(); ++i) {  // NOLINT(modernize-loop-convert)
      const LineMark& m = out.line_map[i];
      if (i > 0) w_.symbol(',');
      w_.integer(m.lua_line);
      w_.symbol(',');
      w_.string_literal(mark_kind_name(m.kind));
      w_.symbol(',');
      w_.integer(m.source.line);
      w_.symbol(',');
      w_.integer(m.source.column);
    }
    w_.symbol('}');
    field_close();
  }
  w_.dedent();
  w_.symbol('}');
  w_.newline();
  out.lua = w_.take_text();
  out.positions = std::move(positions_);
  out.free_names = std::move(free_names_);
  out.assigned_names = std::move(assigned_names_);
  return out;
}

}  // namespace detail

GeneratedChunk generate_rule(const Rule& rule, const RuleTriggers& triggers,
                             const CodegenOptions& options, common::DiagnosticList& diagnostics,
                             LuaWriter& writer) {
  detail::Codegen gen(options, diagnostics, writer);
  gen.rule_chunk(rule, triggers);
  return gen.finish();
}

GeneratedChunk generate_rule(const Rule& rule, const RuleTriggers& triggers,
                             const CodegenOptions& options, common::DiagnosticList& diagnostics) {
  LuaWriter writer;
  return generate_rule(rule, triggers, options, diagnostics, writer);
}

GeneratedChunk generate_script(const StatBlock& script, const CodegenOptions& options,
                               common::DiagnosticList& diagnostics, LuaWriter& writer) {
  detail::Codegen gen(options, diagnostics, writer);
  gen.script_chunk(script);
  return gen.finish();
}

GeneratedChunk generate_script(const StatBlock& script, const CodegenOptions& options,
                               common::DiagnosticList& diagnostics) {
  LuaWriter writer;
  return generate_script(script, options, diagnostics, writer);
}

}  // namespace er::lang

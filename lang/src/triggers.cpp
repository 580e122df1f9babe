#include "lang/triggers.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <string>

#include "string_join.h"

namespace er::lang {

namespace {

struct NameEntry {
  std::string_view name;
  std::string_view trigger;
};

// Spec §10.3: getters whose device trigger differs from their own name. The alarm
// partition getters (docs/eventscript.md "Alarm partitions") read `armed` or `breached`.
constexpr std::array<NameEntry, 31> kTriggerAliases = {{
    {"value", "value"}, {"lux", "value"}, {"temp", "value"}, {"trigger", "value"}, {"state", "state"},
    {"isOn", "value"}, {"breached", "value"}, {"isOpen", "value"}, {"isOff", "value"},
    {"safe", "value"}, {"isClosed", "value"}, {"isAllOn", "value"}, {"isAnyOff", "value"},
    {"last", "value"}, {"lastChanged", "value"}, {"manual", "value"},
    {"bat", "batteryLevel"}, {"isDead", "dead"}, {"central", "centralSceneEvent"},
    {"isArmed", "armed"}, {"isAllArmed", "armed"}, {"isDisarmed", "armed"},
    {"isAnyDisarmed", "armed"}, {"isAlarmBreached", "breached"}, {"isAlarmSafe", "breached"},
    {"isAllAlarmBreached", "breached"}, {"isAnyAlarmSafe", "breached"},
    // EventRunner7's door locks and the HC3's scene activation and access control events.
    {"isSecure", "secured"}, {"isUnsecure", "secured"}, {"scene", "sceneActivationEvent"},
    {"access", "accessControlEvent"},
}};

// Metadata (§10.3, and EventRunner7's HTname, roomName and parent) and filters (§10.7):
// no trigger of their own.
constexpr std::array<std::string_view, 17> kInfoNames = {
    "name", "type", "id", "HTname", "roomName", "parent", "sum", "average", "allTrue",
    "someTrue", "allFalse", "someFalse", "mostlyTrue", "mostlyFalse", "bin", "leaf", "key"};

// Actions in property form (§10.4), of alarm partitions (arm, disarm, tryArm), of
// scenes (activate, deactivate, start, kill) and EventRunner7's lock and wake-up calls.
constexpr std::array<std::string_view, 21> kActionNames = {
    "on", "off", "toggle", "open", "close", "stop", "play", "pause",
    "levelIncrease", "levelDecrease", "levelStop", "arm", "disarm", "tryArm",
    "activate", "deactivate", "start", "kill", "secure", "unsecure", "wake"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

std::string_view trigger_kind_name(TriggerKind kind) {
  switch (kind) {
    case TriggerKind::device: return "device";
    case TriggerKind::global: return "global";
    case TriggerKind::variable: return "variable";
    case TriggerKind::event: return "event";
    case TriggerKind::daily: return "daily";
    case TriggerKind::interval: return "interval";
    case TriggerKind::between: return "between";
  }
  return "device";
}

PropertyRole property_role(std::string_view name) {
  if (contains(kActionNames, name)) return PropertyRole::action;
  // `key` reads the button event like `central` does, so it triggers too.
  if (name == "key") return PropertyRole::trigger;
  if (contains(kInfoNames, name)) return PropertyRole::info;
  return PropertyRole::trigger;
}

std::string_view device_trigger_property(std::string_view name) {
  if (name == "key") return "centralSceneEvent";
  for (const NameEntry& entry : kTriggerAliases) {
    if (entry.name == name) return entry.trigger;
  }
  return name;
}

int RuleTriggers::pattern_index(const Expr* node) const {
  const auto it = std::find(patterns.begin(), patterns.end(), node);
  return it == patterns.end() ? -1 : static_cast<int>(it - patterns.begin());
}

int RuleTriggers::daily_index(const ExprSchedule* node) const {
  const auto it = std::find(daily.begin(), daily.end(), node);
  return it == daily.end() ? -1 : static_cast<int>(it - daily.begin());
}


namespace {

bool is_name_call(const ExprCall& call, std::string_view name) {
  const auto* callee = call.function->as<ExprName>();
  return callee != nullptr && callee->name.text == name;
}

// A device id written as a literal: an integer numeral or a string.
bool static_device_id(const Expr& expr, std::string& out) {
  if (const auto* number = expr.as<ExprNumber>(); number != nullptr && number->is_integer) {
    out = std::to_string(number->integer);
    return true;
  }
  if (const auto* text = expr.as<ExprString>(); text != nullptr) {
    out = std::string(text->value);
    return true;
  }
  return false;
}

// The ids of a literal object: one id, or a table of positional literal ids.
bool static_device_ids(const Expr& object, std::vector<std::string>& ids) {
  std::string id;
  if (static_device_id(object, id)) {
    ids.push_back(std::move(id));
    return true;
  }
  const auto* table = object.as<ExprTable>();
  if (table == nullptr) return false;
  for (const TableField& field : table->fields) {
    if (field.kind != TableFieldKind::Positional || !static_device_id(*field.value, id)) return false;
    ids.push_back(std::move(id));
  }
  return true;
}

// The literal string `type` of a table constructor, if it has one (§7.1: such a
// table in a condition is an event pattern).
const ExprString* literal_type_field(const ExprTable& table) {
  for (const TableField& field : table.fields) {
    if (field.kind == TableFieldKind::Named && field.name.text == "type") {
      return field.value->as<ExprString>();
    }
  }
  return nullptr;
}

std::string_view capture_name(std::string_view text) {
  if (text.size() < 2 || text.front() != '$') return {};
  std::size_t end = 1;
  while (end < text.size()) {
    const auto c = static_cast<unsigned char>(text[end]);
    const bool name_char = c == '_' || c >= 0x80 || (c >= '0' && c <= '9') ||
                           (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!name_char) break;
    ++end;
  }
  return text.substr(1, end - 1);
}

// Literal interval seconds of an '@@' operand, when it is a literal.
bool literal_seconds(const Expr& operand, double& seconds) {
  if (const auto* time = operand.as<ExprTime>()) {
    seconds = static_cast<double>(time->seconds);
    return true;
  }
  if (const auto* number = operand.as<ExprNumber>()) {
    seconds = number->is_integer ? static_cast<double>(number->integer) : number->number;
    return true;
  }
  if (const auto* unary = operand.as<ExprUnary>(); unary != nullptr && unary->op == UnaryOp::Minus) {
    if (!literal_seconds(*unary->operand, seconds)) return false;
    seconds = -seconds;
    return true;
  }
  if (const auto* paren = operand.as<ExprParen>()) return literal_seconds(*paren->inner, seconds);
  return false;
}

std::string seconds_text(double seconds) {
  const auto whole = static_cast<long long>(seconds);
  if (static_cast<double>(whole) == seconds) return std::to_string(whole);
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, seconds);
  return std::string(buffer, result.ptr);
}

// True if the expression (outside function bodies) contains '@', '@@' or '@@-'.
bool contains_schedule(const Expr* expr);

bool any_schedule(AstArray<Expr*> exprs) {
  return std::any_of(exprs.begin(), exprs.end(), [](const Expr* e) { return contains_schedule(e); });
}

bool contains_schedule(const Expr* expr) {
  if (expr == nullptr) return false;
  switch (expr->kind) {
    case NodeKind::ExprSchedule: return true;
    case NodeKind::ExprParen: return contains_schedule(expr->cast<ExprParen>()->inner);
    case NodeKind::ExprBinary: {
      const auto* b = expr->as<ExprBinary>();
      return contains_schedule(b->left) || contains_schedule(b->right);
    }
    case NodeKind::ExprUnary: return contains_schedule(expr->cast<ExprUnary>()->operand);
    case NodeKind::ExprCall: {
      const auto* c = expr->as<ExprCall>();
      return contains_schedule(c->function) || any_schedule(c->args);
    }
    case NodeKind::ExprMethodCall: {
      const auto* c = expr->as<ExprMethodCall>();
      return contains_schedule(c->object) || any_schedule(c->args);
    }
    case NodeKind::ExprIndex: {
      const auto* i = expr->as<ExprIndex>();
      return contains_schedule(i->object) || contains_schedule(i->key);
    }
    case NodeKind::ExprField: return contains_schedule(expr->cast<ExprField>()->object);
    case NodeKind::ExprProperty: return contains_schedule(expr->cast<ExprProperty>()->object);
    case NodeKind::ExprTable:
      for (const TableField& field : expr->cast<ExprTable>()->fields) {
        if (contains_schedule(field.key) || contains_schedule(field.value)) return true;
      }
      return false;
    default: return false;
  }
}

// Walks one rule's condition and modifier operands (spec §7.1).
class Analyzer {
 public:
  Analyzer(const TriggerOptions& options, common::DiagnosticList& diagnostics, RuleTriggers& out)
      : options_(options), diagnostics_(diagnostics), out_(out) {}

  void condition(const Expr* expr, bool edges_allowed) {
    edges_allowed_ = edges_allowed;
    walk(expr);
  }
  void modifier(const RuleModifier& modifier);
  void finish(const Rule& rule, std::string_view source);

 private:
  // How a read found while walking counts: as a trigger, or (inside an '@' operand
  // or a between operand with edge timers) as a re-plan key (§7.5).
  enum class Mode : unsigned char { trigger, replan };

  struct NameRead {
    std::string_view name;
    common::Position position;
    Mode mode;
  };

  void walk(const Expr* expr);
  void walk_all(AstArray<Expr*> exprs) {
    for (const Expr* e : exprs) walk(e);
  }
  void walk_binary(const ExprBinary& binary);
  void walk_schedule(const ExprSchedule& schedule);
  void walk_property(const ExprProperty& property);
  void walk_call(const ExprCall& call);
  void walk_table(const ExprTable& table);
  void walk_comprehension(const ExprComprehension& comprehension);
  void walk_in_mode(const Expr* expr, Mode mode);
  void add_pattern(const Expr& node, const ExprTable* fields, std::string_view type);
  void add_captures(const ExprTable& fields);
  void add_source(TriggerKind kind, std::string key, common::Position at);
  [[nodiscard]] bool is_local(std::string_view name) const;
  [[nodiscard]] bool is_trigger_variable(std::string_view name) const;

  const TriggerOptions& options_;
  common::DiagnosticList& diagnostics_;
  RuleTriggers& out_;
  Mode mode_ = Mode::trigger;
  bool edges_allowed_ = true;
  std::vector<std::string_view> locals_;   // Comprehension names in scope.
  std::vector<NameRead> name_reads_;
};

void Analyzer::walk(const Expr* expr) {
  if (expr == nullptr) return;
  switch (expr->kind) {
    case NodeKind::ExprBinary: walk_binary(*expr->cast<ExprBinary>()); return;
    case NodeKind::ExprUnary: walk(expr->cast<ExprUnary>()->operand); return;
    case NodeKind::ExprParen: walk(expr->cast<ExprParen>()->inner); return;
    case NodeKind::ExprSchedule: walk_schedule(*expr->cast<ExprSchedule>()); return;
    case NodeKind::ExprProperty: walk_property(*expr->cast<ExprProperty>()); return;
    case NodeKind::ExprCall: walk_call(*expr->cast<ExprCall>()); return;
    case NodeKind::ExprTable: walk_table(*expr->cast<ExprTable>()); return;
    case NodeKind::ExprComprehension: walk_comprehension(*expr->cast<ExprComprehension>()); return;
    case NodeKind::ExprMethodCall: {
      const auto* call = expr->as<ExprMethodCall>();
      walk(call->object);
      walk_all(call->args);
      return;
    }
    case NodeKind::ExprIndex:
      walk(expr->cast<ExprIndex>()->object);
      walk(expr->cast<ExprIndex>()->key);
      return;
    case NodeKind::ExprField: walk(expr->cast<ExprField>()->object); return;
    case NodeKind::ExprError: walk_all(expr->cast<ExprError>()->parts); return;
    case NodeKind::ExprEvent: {
      const auto* event = expr->as<ExprEvent>();
      add_pattern(*event, event->fields, event->name.text);
      return;
    }
    case NodeKind::ExprPersistent: {
      const std::string key = join("global/", expr->cast<ExprPersistent>()->name.text);
      if (mode_ == Mode::replan) {
        out_.replan.push_back(key);
      } else {
        add_source(TriggerKind::global, key, expr->location.begin);
      }
      return;
    }
    case NodeKind::ExprName: {
      const std::string_view name = expr->cast<ExprName>()->name.text;
      if (!is_local(name)) name_reads_.push_back({name, expr->location.begin, mode_});
      return;
    }
    default: return;  // Literals, functions and lambdas (bodies are not walked).
  }
}

void Analyzer::walk_in_mode(const Expr* expr, Mode mode) {
  const Mode saved = mode_;
  mode_ = mode;
  walk(expr);
  mode_ = saved;
}

void Analyzer::walk_binary(const ExprBinary& binary) {
  if (binary.op == BinaryOp::Between && edges_allowed_) {
    out_.edges.push_back(&binary);
    add_source(TriggerKind::between, "between", binary.location.begin);
    walk_in_mode(binary.left, Mode::replan);
    walk_in_mode(binary.right, Mode::replan);
    return;
  }
  walk(binary.left);
  walk(binary.right);
}

void Analyzer::walk_schedule(const ExprSchedule& schedule) {
  if (schedule.schedule == ScheduleKind::Daily) {
    out_.daily.push_back(&schedule);
    add_source(TriggerKind::daily, "daily", schedule.location.begin);
    walk_in_mode(schedule.operand, Mode::replan);
    return;
  }
  if (out_.interval == nullptr) out_.interval = &schedule;
  double seconds = 0;
  std::string key = "interval";
  // The parser reports a non-positive literal ("interval must be positive").
  if (literal_seconds(*schedule.operand, seconds) && seconds > 0) key += ' ' + seconds_text(seconds);
  add_source(TriggerKind::interval, std::move(key), schedule.location.begin);
}

void Analyzer::walk_property(const ExprProperty& property) {
  const std::string_view name = property.name.text;
  const PropertyRole role = property_role(name);
  if (role == PropertyRole::action) {
    diagnostics_.error(property.location.begin,
                       join("'", name, "' is an action and cannot be used in a rule condition"));
  }
  walk(property.object);
  if (role != PropertyRole::trigger || mode_ == Mode::replan) return;
  const std::string_view trigger = device_trigger_property(name);
  std::vector<std::string> ids;
  if (!static_device_ids(*property.object, ids)) {
    out_.dynamic_devices.push_back({&property, trigger});
    return;
  }
  for (const std::string& id : ids) {
    add_source(TriggerKind::device, join("device/", id, "/", trigger),
               property.location.begin);
  }
}

void Analyzer::walk_call(const ExprCall& call) {
  const auto* callee = call.function->as<ExprName>();
  if (callee != nullptr && !is_local(callee->name.text)) {
    const std::string_view name = callee->name.text;
    if (name == "wait") diagnostics_.error(call.location.begin, "wait is not allowed in a rule condition");
    if (name == "again") {
      diagnostics_.error(call.location.begin,
                         "again() can only be used in the action of a trueFor rule");
    }
    if (name == "trueFor") out_.true_fors.push_back(&call);
  } else {
    walk(call.function);
  }
  walk_all(call.args);
}

void Analyzer::walk_table(const ExprTable& table) {
  if (const ExprString* type = literal_type_field(table)) {
    add_pattern(table, &table, type->value);
    return;
  }
  for (const TableField& field : table.fields) {
    walk(field.key);
    walk(field.value);
  }
}

void Analyzer::walk_comprehension(const ExprComprehension& comprehension) {
  walk(comprehension.source);
  const std::size_t depth = locals_.size();
  for (const Binding& binding : comprehension.names) locals_.push_back(binding.name.text);
  walk(comprehension.element);
  walk(comprehension.filter);
  locals_.resize(depth);
}

// A pattern's fields are evaluated at definition, so they are not walked for triggers.
void Analyzer::add_pattern(const Expr& node, const ExprTable* fields, std::string_view type) {
  out_.patterns.push_back(&node);
  add_source(TriggerKind::event, join("event/", type), node.location.begin);
  if (fields != nullptr) add_captures(*fields);
}

void Analyzer::add_captures(const ExprTable& fields) {
  for (const TableField& field : fields.fields) {
    if (const auto* nested = field.value->as<ExprTable>()) {
      add_captures(*nested);
      continue;
    }
    const auto* text = field.value->as<ExprString>();
    if (text == nullptr) continue;
    const std::string_view name = capture_name(text->value);
    if (name.empty()) continue;
    if (std::find(out_.captures.begin(), out_.captures.end(), name) == out_.captures.end()) {
      out_.captures.push_back(name);
    }
  }
}

void Analyzer::add_source(TriggerKind kind, std::string key, common::Position at) {
  for (const TriggerDescriptor& existing : out_.sources) {
    if (existing.key == key) return;
  }
  out_.sources.push_back({kind, std::move(key), at});
}

bool Analyzer::is_local(std::string_view name) const {
  return std::find(locals_.begin(), locals_.end(), name) != locals_.end();
}

bool Analyzer::is_trigger_variable(std::string_view name) const {
  const auto& vars = options_.trigger_variables;
  return std::find(vars.begin(), vars.end(), name) != vars.end();
}

void Analyzer::modifier(const RuleModifier& modifier) {
  if (modifier.operand == nullptr) return;
  if (modifier.kind == ModifierKind::Since) out_.has_since = true;
  // A first_in window is the rule's own timer, not an edge trigger.
  const bool saved = edges_allowed_;
  if (modifier.kind == ModifierKind::FirstIn) edges_allowed_ = false;
  walk(modifier.operand);
  edges_allowed_ = saved;
}

// Run locals (event and the capture names) shadow globals; a remaining read is a
// trigger variable when the host declared it, else only a candidate.
void Analyzer::finish(const Rule& rule, std::string_view source) {
  for (const NameRead& read : name_reads_) {
    if (read.name == "event") continue;
    if (std::find(out_.captures.begin(), out_.captures.end(), read.name) != out_.captures.end()) continue;
    const std::string key = join("variable/", read.name);
    if (!is_trigger_variable(read.name)) {
      if (std::find(out_.candidates.begin(), out_.candidates.end(), read.name) == out_.candidates.end()) {
        out_.candidates.emplace_back(read.name);
      }
    } else if (read.mode == Mode::replan) {
      out_.replan.push_back(key);
    } else {
      add_source(TriggerKind::variable, key, read.position);
    }
  }
  // A key that is also an ordinary trigger starts runs rather than re-planning (§7.5).
  std::erase_if(out_.replan, [&](const std::string& key) {
    return std::any_of(out_.sources.begin(), out_.sources.end(),
                       [&](const TriggerDescriptor& t) { return t.key == key; });
  });
  std::sort(out_.replan.begin(), out_.replan.end());
  out_.replan.erase(std::unique(out_.replan.begin(), out_.replan.end()), out_.replan.end());
  if (!out_.has_sources()) {
    const std::string_view text = location_text(source, rule.condition->location);
    diagnostics_.error(rule.condition->location.begin, join("Rule has no triggers: ", text));
  }
}

// Reports again() calls outside the action of a trueFor rule. The visitor only reads,
// but AstVisitor takes mutable nodes, hence the const_cast at the entry points.
class AgainChecker : public AstVisitor {
 public:
  explicit AgainChecker(common::DiagnosticList& diagnostics) : diagnostics_(diagnostics) {}
  bool visit_expr_call(ExprCall* call) override {
    if (is_name_call(*call, "again")) {
      diagnostics_.error(call->location.begin,
                         "again() can only be used in the action of a trueFor rule");
    }
    return true;
  }

 private:
  common::DiagnosticList& diagnostics_;
};

}  // namespace

RuleTriggers analyze_triggers(const Rule& rule, std::string_view source,
                              const TriggerOptions& options, common::DiagnosticList& diagnostics) {
  RuleTriggers out;
  Analyzer analyzer(options, diagnostics, out);
  const bool has_schedule = contains_schedule(rule.condition);
  analyzer.condition(rule.condition, !has_schedule);
  for (const RuleModifier& modifier : rule.modifiers) analyzer.modifier(modifier);
  analyzer.finish(rule, source);
  if (options.may_call_again && out.true_fors.empty() && !out.has_since && rule.action != nullptr) {
    AgainChecker checker(diagnostics);
    const_cast<StatBlock*>(rule.action)->visit(checker);
  }
  return out;
}

void check_script_semantics(const StatBlock& script, common::DiagnosticList& diagnostics) {
  AgainChecker checker(diagnostics);
  const_cast<StatBlock&>(script).visit(checker);
}

}  // namespace er::lang

#pragma once
// Trigger analysis (spec §7.1, DESIGN.md decision 4). The static half runs here, at
// compile time: it walks a rule's condition and modifier operands (never function or
// lambda bodies), records every trigger source it can name (device/55/value,
// global/Mode, event/alarm, daily, interval 900, between), and lists the constructs
// whose values only the engine can compute at definition (device-id expressions,
// pattern fields, '@' and '@@' operands, between edges). The code generator turns
// those into small Lua functions (docs/runtime-interface.md §5).

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/diagnostic.h"
#include "lang/ast.h"

namespace er::lang {

enum class TriggerKind : std::uint8_t {
  device,    ///< key "device/<id>/<property>"
  global,    ///< key "global/<name>" ($name)
  variable,  ///< key "variable/<name>" (a declared trigger variable)
  event,     ///< key "event/<type>" (a pattern)
  daily,     ///< key "daily" ('@')
  interval,  ///< key "interval <seconds>" when the operand is a literal, else "interval"
  between,   ///< key "between" (edge timers of an a..b)
};

/// "device", "global", "variable", "event", "daily", "interval" or "between".
std::string_view trigger_kind_name(TriggerKind kind);

/// A trigger source known at compile time. `key` is the engine's dispatch key for the
/// event-driven kinds and a readable label for the timer kinds.
struct TriggerDescriptor {
  TriggerKind kind = TriggerKind::device;
  std::string key;
  common::Position position;  ///< Where the source is written in the condition.

  friend bool operator==(const TriggerDescriptor&, const TriggerDescriptor&) = default;
};

/// A property access whose object must be evaluated at definition to know the ids
/// (`lamp:isOn`, `{lamp, 67}:value`).
struct DynamicDeviceTrigger {
  const ExprProperty* access = nullptr;
  std::string_view property;  ///< The device property that triggers ("value", "dead", ...).
};

/// Which trigger variables the host declared. The engine compiles at definition time,
/// when every er.triggerVar(name) call that precedes the definition has been made, so
/// it passes their names here; `eventrunner compile` takes them from --trigger-var.
struct TriggerOptions {
  std::span<const std::string> trigger_variables;
  /// False when the source never names `again`, which skips the walk of the action
  /// that looks for misplaced again() calls.
  bool may_call_again = true;
};

/// Everything the analysis found in one rule.
struct RuleTriggers {
  std::vector<TriggerDescriptor> sources;          ///< Deduplicated, in source order.
  std::vector<DynamicDeviceTrigger> dynamic_devices;
  std::vector<const Expr*> patterns;               ///< ExprEvent or ExprTable with a literal type.
  std::vector<const ExprSchedule*> daily;          ///< Every '@' in the condition.
  const ExprSchedule* interval = nullptr;          ///< The '@@' / '@@-', if any.
  std::vector<const ExprBinary*> edges;            ///< a..b with edge timers (no '@'/'@@').
  std::vector<const ExprCall*> true_fors;          ///< trueFor(T, c) calls in the condition.
  std::vector<std::string> replan;                 ///< Keys that re-plan timers (§7.5).
  std::vector<std::string> candidates;             ///< Other free global names read.
  std::vector<std::string_view> captures;          ///< Pattern capture names ("$v"), in order.
  bool has_since = false;                          ///< A `since` modifier (an implicit trueFor).

  /// True when something can start a run (the "Rule has no triggers" check).
  [[nodiscard]] bool has_sources() const { return !sources.empty() || !dynamic_devices.empty(); }
  /// Index (0-based) of a pattern node in `patterns`, or -1.
  [[nodiscard]] int pattern_index(const Expr* node) const;
  [[nodiscard]] int daily_index(const ExprSchedule* node) const;
};

/// How a device property triggers, per spec §10.3.
enum class PropertyRole : std::uint8_t {
  trigger,  ///< A read that subscribes (see device_trigger_property).
  info,     ///< Metadata and filters: no trigger of its own.
  action,   ///< An action in property form (`on`, `off`, ...).
};

/// The role of property `name` (§10.3, §10.4, §10.7).
PropertyRole property_role(std::string_view name);

/// The device property that a read of `name` subscribes to ("isOn" -> "value",
/// "bat" -> "batteryLevel", "isDead" -> "dead", "key" -> "centralSceneEvent", any
/// other name -> itself). Only meaningful when property_role(name) is trigger.
std::string_view device_trigger_property(std::string_view name);

/// Analyses `rule` and reports the semantic diagnostics of §6–§7 into `diagnostics`:
/// "Rule has no triggers: <condition>", "'<p>' is an action and cannot be used in a rule
/// condition", "wait is not allowed in a rule condition" and "again() can only be used
/// in the action of a trueFor rule". (The parser reports the '@'-placement, '@@'-count,
/// "interval must be positive" and between-on-string errors.) `source` is the text the
/// rule's locations refer to.
RuleTriggers analyze_triggers(const Rule& rule, std::string_view source,
                              const TriggerOptions& options, common::DiagnosticList& diagnostics);

/// Reports "again() can only be used in the action of a trueFor rule" for every call of
/// again in a script (where it is never valid).
void check_script_semantics(const StatBlock& script, common::DiagnosticList& diagnostics);

}  // namespace er::lang

// Trigger analysis (spec §7.1): which sources a condition subscribes to, and the
// semantic diagnostics the analysis owns, each with its position.

#include "lang/triggers.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/arena.h"
#include "common/interner.h"
#include "lang/parser.h"

namespace er::lang {
namespace {

struct Analysis {
  RuleTriggers triggers;
  common::DiagnosticList diagnostics;
  std::vector<std::string> keys;
  std::vector<std::string> messages;  // "line:col: message"
};

// Parses `source` as a rule and analyses it. RuleTriggers points into the tree, so the
// arena, interner and trigger-variable lists live for the whole test program.
Analysis analyze(std::string_view source, std::vector<std::string> trigger_vars = {}) {
  static common::Arena arena;  // Nodes referenced by RuleTriggers stay valid.
  static common::Interner names;
  Analysis out;
  ParseOptions options;
  options.mode = ChunkMode::Rule;
  static std::vector<std::vector<std::string>> keep_vars;
  keep_vars.push_back(std::move(trigger_vars));
  const ParseResult parsed = parse(source, arena, names, out.diagnostics, options);
  EXPECT_TRUE(parsed.ok()) << source;
  if (parsed.chunk->rule == nullptr) return out;
  out.triggers = analyze_triggers(*parsed.chunk->rule, source, TriggerOptions{keep_vars.back()},
                                  out.diagnostics);
  for (const TriggerDescriptor& t : out.triggers.sources) out.keys.push_back(t.key);
  for (const common::Diagnostic& d : out.diagnostics.items()) {
    out.messages.push_back(std::to_string(d.position.line) + ":" + std::to_string(d.position.column) +
                           ": " + d.message);
  }
  return out;
}

using Keys = std::vector<std::string>;

TEST(lang_triggers, literal_device_ids_give_static_keys) {
  EXPECT_EQ(analyze("66:breached => 55:on").keys, Keys{"device/66/value"});
  EXPECT_EQ(analyze("{66, 67}:value => 55:on").keys, (Keys{"device/66/value", "device/67/value"}));
  EXPECT_EQ(analyze("\"garage\":isOpen => 55:on").keys, Keys{"device/garage/value"});
}

TEST(lang_triggers, each_property_subscribes_to_its_trigger_of_section_10_3) {
  const Analysis a = analyze(
      "66:bat > 10 | 67:isDead | 88:key == \"1:Pressed\" | 77:temp > 1 | 55:power > 0 | "
      "56:state | 56:last > 5 | 88:central => 55:on");
  EXPECT_EQ(a.keys, (Keys{"device/66/batteryLevel", "device/67/dead", "device/88/centralSceneEvent",
                          "device/77/value", "device/55/power", "device/56/state",
                          "device/56/value"}));
}

TEST(lang_triggers, metadata_and_filters_add_no_trigger_but_their_object_is_scanned) {
  EXPECT_EQ(analyze("55:name == \"x\" & 66:value => 55:on").keys, Keys{"device/66/value"});
  EXPECT_EQ(analyze("{77, 78}:value:average > 22 => 55:on").keys,
            (Keys{"device/77/value", "device/78/value"}));
  EXPECT_EQ(analyze("{1, 0, 1}:sum > 1 => 55:on").messages,
            Keys{"1:1: Rule has no triggers: {1, 0, 1}:sum > 1"});
}

TEST(lang_triggers, id_expressions_are_evaluated_at_definition) {
  const Analysis a = analyze("lamp:isOn & {lamp, 67}:isOpen => 55:on");
  EXPECT_TRUE(a.keys.empty());
  ASSERT_EQ(a.triggers.dynamic_devices.size(), 2U);
  EXPECT_EQ(a.triggers.dynamic_devices[0].property, "value");
  EXPECT_EQ(a.triggers.candidates, Keys{"lamp"});
  EXPECT_TRUE(a.messages.empty());
}

TEST(lang_triggers, persistent_variables_and_declared_trigger_variables_subscribe) {
  EXPECT_EQ(analyze("$Mode == \"away\" => 55:on").keys, Keys{"global/Mode"});
  EXPECT_EQ(analyze("x > 5 => log(x)", {"x"}).keys, Keys{"variable/x"});
}

// ER6's string match '===' is a comparison: the reads on both sides are triggers.
TEST(lang_triggers, both_operands_of_a_string_match_trigger) {
  EXPECT_EQ(analyze("$Mode === \"^away\" => 55:on").keys, Keys{"global/Mode"});
  EXPECT_EQ(analyze("55:name === $Pattern & 66:value === \"1\" => 55:on").keys,
            (Keys{"global/Pattern", "device/66/value"}));
}

TEST(lang_triggers, a_plain_global_is_not_a_trigger) {
  const Analysis a = analyze("x > 5 => log(x)");
  EXPECT_EQ(a.messages, Keys{"1:1: Rule has no triggers: x > 5"});
  EXPECT_EQ(a.triggers.candidates, Keys{"x"});
}

TEST(lang_triggers, no_triggers_points_at_the_first_token_of_the_condition) {
  EXPECT_EQ(analyze("  (1 + 2) > 2\n  => log(1)").messages,
            Keys{"1:3: Rule has no triggers: (1 + 2) > 2"});
}

TEST(lang_triggers, patterns_subscribe_to_their_type_and_bind_captures) {
  const Analysis a = analyze("#alarm{zone=\"$z\", level=\"$l>2\", n={m=\"$q\"}} & z == 1 => log(z)");
  EXPECT_EQ(a.keys, Keys{"event/alarm"});
  EXPECT_EQ(a.triggers.captures, (std::vector<std::string_view>{"z", "l", "q"}));
  EXPECT_TRUE(a.triggers.candidates.empty());
  EXPECT_EQ(analyze("{type = \"custom\", n = 1} => log(1)").keys, Keys{"event/custom"});
  EXPECT_EQ(analyze("#tick => log(1)").keys, Keys{"event/tick"});
}

TEST(lang_triggers, event_is_a_run_local_not_a_candidate) {
  const Analysis a = analyze("#tick & event.type == \"tick\" => log(1)");
  EXPECT_TRUE(a.triggers.candidates.empty());
}

TEST(lang_triggers, daily_operands_replan_instead_of_triggering) {
  const Analysis a = analyze("@$WakeUp => 55:on");
  EXPECT_EQ(a.keys, Keys{"daily"});
  EXPECT_EQ(a.triggers.replan, Keys{"global/WakeUp"});
  const Analysis both = analyze("@$W & $W > 1 => 55:on");
  EXPECT_EQ(both.keys, (Keys{"daily", "global/W"}));
  EXPECT_TRUE(both.triggers.replan.empty());
  EXPECT_EQ(analyze("@sunset - 00:30 => 55:on").triggers.candidates, Keys{"sunset"});
}

TEST(lang_triggers, intervals_record_literal_seconds) {
  EXPECT_EQ(analyze("@@00:15 => log(1)").keys, Keys{"interval 900"});
  EXPECT_EQ(analyze("@@-01:00 => log(1)").keys, Keys{"interval 3600"});
  EXPECT_EQ(analyze("@@period => log(1)").keys, Keys{"interval"});
}

TEST(lang_triggers, between_adds_edges_only_without_schedules) {
  const Analysis a = analyze("66:breached & 22:00..06:00 => 55:on");
  EXPECT_EQ(a.keys, (Keys{"device/66/value", "between"}));
  EXPECT_EQ(a.triggers.edges.size(), 1U);
  EXPECT_EQ(analyze("@08:00 & 10:00..12:00 => 55:on").keys, Keys{"daily"});
  const Analysis replan = analyze("$a..$b => 55:on");
  EXPECT_EQ(replan.keys, Keys{"between"});
  EXPECT_EQ(replan.triggers.replan, (Keys{"global/a", "global/b"}));
  EXPECT_EQ(analyze("66:value first_in 06:00..09:00 => 55:on").keys, Keys{"device/66/value"});
}

TEST(lang_triggers, true_for_scans_its_condition) {
  const Analysis a = analyze("trueFor(00:10, 67:isOpen) => log(again(3))");
  EXPECT_EQ(a.keys, Keys{"device/67/value"});
  EXPECT_EQ(a.triggers.true_fors.size(), 1U);
  EXPECT_TRUE(a.messages.empty());
}

TEST(lang_triggers, function_and_lambda_bodies_are_not_scanned) {
  EXPECT_EQ(analyze("(() -> 55:isOn)() & 66:value => 55:on").keys, Keys{"device/66/value"});
  EXPECT_EQ(analyze("(function() return $x end)() & 66:value => 55:on").keys,
            Keys{"device/66/value"});
}

TEST(lang_triggers, comprehension_names_are_locals) {
  // Called names are not candidates either: a trigger variable is a value, not a function.
  const Analysis a = analyze("size([v for v in {1} if v]) > 0 & 66:value => 55:on");
  EXPECT_TRUE(a.triggers.candidates.empty());
}

TEST(lang_triggers, modifier_operands_are_scanned) {
  EXPECT_EQ(analyze("66:value cooldown $T => 55:on").keys, (Keys{"device/66/value", "global/T"}));
}

TEST(lang_triggers, reports_actions_in_a_condition) {
  EXPECT_EQ(analyze("55:on => 55:off").messages,
            Keys{"1:1: 'on' is an action and cannot be used in a rule condition"});
  EXPECT_EQ(analyze("66:value & {55, 56}:toggle => 55:off").messages,
            Keys{"1:12: 'toggle' is an action and cannot be used in a rule condition"});
}

TEST(lang_triggers, reports_wait_in_a_condition) {
  EXPECT_EQ(analyze("66:value & wait(1) => 55:off").messages,
            Keys{"1:12: wait is not allowed in a rule condition"});
}

TEST(lang_triggers, reports_again_outside_the_action_of_a_true_for_rule) {
  EXPECT_EQ(analyze("66:value => log(again())").messages,
            Keys{"1:17: again() can only be used in the action of a trueFor rule"});
  EXPECT_EQ(analyze("66:value & again() => log(1)").messages,
            Keys{"1:12: again() can only be used in the action of a trueFor rule"});
  EXPECT_TRUE(analyze("66:value since 00:05 => log(again(2))").messages.empty());
}

TEST(lang_triggers, property_roles_follow_the_spec_tables) {
  EXPECT_EQ(property_role("on"), PropertyRole::action);
  EXPECT_EQ(property_role("levelStop"), PropertyRole::action);
  EXPECT_EQ(property_role("average"), PropertyRole::info);
  EXPECT_EQ(property_role("key"), PropertyRole::trigger);
  EXPECT_EQ(property_role("position"), PropertyRole::trigger);
  EXPECT_EQ(device_trigger_property("isAnyOff"), "value");
  EXPECT_EQ(device_trigger_property("heatingThermostatSetpoint"), "heatingThermostatSetpoint");
}

}  // namespace
}  // namespace er::lang

// Code generation: inline goldens of small cases (the generated Lua, exactly), plus
// the properties the runtime relies on (names, positions, the line map).

#include "lang/codegen.h"

#include <gtest/gtest.h>

#include <string>

#include "lang/compiler.h"

namespace er::lang {
namespace {

// The chunk of a one-item source, without the header comment and the line map.
std::string lua_of(std::string_view source) {
  CompileOptions options;
  options.header_comment = false;
  options.embed_line_map = false;
  const CompileResult result = compile(source, options);
  if (!result.ok()) return "error: " + result.diagnostics.items().front().message;
  return result.items.at(0).lua;
}

TEST(lang_codegen, script_value_of_an_assignment_is_the_last_target_value) {
  EXPECT_EQ(lua_of("x = [v * 2 for v in t if v > 1]"), R"(local __R = ...
return {
  kind = "script",
  run = function(__env, ...)
    do
      local __t1 = (function(...) local __r, __n = {}, 0 for __k, v in __R.iter(__R.gv("t", 1), 2) do if v > 1 then local __e = v * 2 if __e ~= nil then __n = __n + 1; __r[__n] = __e end end end return __r end)(...)
      __R.gs("x", __t1)
      return __t1
    end
  end,
  positions = {1, 21, 1, 21},
}
)");
}

TEST(lang_codegen, coalesce_keeps_its_right_operand_lazy) {
  EXPECT_EQ(lua_of("return a ?? f()"), R"(local __R = ...
return {
  kind = "script",
  run = function(__env, ...)
    return (function(...) local __v = __R.gv("a", 1) if __v == nil then __v = __R.gv("f", 2)() end return __v end)(...)
  end,
  positions = {1, 8, 1, 13},
}
)");
  EXPECT_NE(lua_of("return a ?? 5").find(R"(return __R.coalesce(__R.gv("a", 1), 5))"), std::string::npos);
}

// `a === b` calls the runtime's string match with the operator's position, so a bad
// pattern is reported at '==='.
TEST(lang_codegen, string_match_is_a_runtime_call_at_the_operator) {
  const std::string lua = lua_of("return 'kitchen_light' === 'light$'");
  EXPECT_NE(lua.find(R"(return __R.strmatch("kitchen_light", "light$", 1))"), std::string::npos)
      << lua;
  EXPECT_NE(lua.find("positions = {1, 24}"), std::string::npos) << lua;
  // A call binds tighter than any Lua operator: no parentheses are needed around it.
  EXPECT_NE(lua_of("return not (a === b)")
                .find(R"(return not __R.strmatch(__R.gv("a", 1), __R.gv("b", 2), 3))"),
            std::string::npos);
}

TEST(lang_codegen, device_access_and_persistent_variables_go_through_the_runtime) {
  EXPECT_EQ(lua_of("56:value = 70; $m = {1}; 55:on"), R"(local __R = ...
return {
  kind = "script",
  run = function(__env, ...)
    __R.setprop(__env, 56, "value", 70, 1)
    __R.pset("m", {1}, 2)
    return __R.prop(__env, 55, "on", 3)
  end,
  positions = {1, 4, 1, 16, 1, 29},
}
)");
}

TEST(lang_codegen, patterns_are_built_at_definition_and_matched_in_the_condition) {
  EXPECT_EQ(lua_of("#a{n=1} & #b => log(event)"), R"(local __R = ...
return {
  kind = "rule",
  triggers = {"event/a", "event/b"},
  trigger_fn = function(__env)
    local event = __env.event
    return {devices = {}, patterns = {__R.event("a", {n = 1}), __R.event("b", {}),}}
  end,
  cond = function(__env)
    local event = __env.event
    return __R.match(__env, 1) and __R.match(__env, 2)
  end,
  action = function(__env)
    local event = __env.event
    __R.gv("log", 1)(event)
  end,
  positions = {1, 17},
}
)");
}

TEST(lang_codegen, modifiers_wrap_and_join_the_condition_in_written_order) {
  EXPECT_EQ(lua_of("66:value since 00:05 cooldown 10 every 2 => log(1)"), R"(local __R = ...
return {
  kind = "rule",
  triggers = {"device/66/value"},
  checks = function(__env)
    return {66, "value", "get", 1}
  end,
  cond = function(__env)
    return __R.true_for(__env, 1, 300, __R.prop(__env, 66, "value", 1), 2) and __R.cooldown(__env, 1, 10, 3) and __R.every(__env, 2, 2, 4)
  end,
  action = function(__env)
    __R.gv("log", 5)(1)
  end,
  positions = {1, 4, 1, 10, 1, 22, 1, 34, 1, 45},
}
)");
}

TEST(lang_codegen, debounce_is_single_plus_a_first_wait) {
  const std::string lua = lua_of("66:value debounce 2 => 55:off");
  EXPECT_NE(lua.find("single = true,"), std::string::npos);
  // The action's access took p 2 when its check was written, before the wait's p.
  EXPECT_NE(lua.find("action = function(__env)\n    __R.wait(__env, 2, 3)\n    __R.prop(__env, 55, \"off\", 2)\n"),
            std::string::npos)
      << lua;
}

TEST(lang_codegen, compound_assignment_evaluates_table_and_key_once) {
  EXPECT_EQ(lua_of("t[f()] *= 3"), R"(local __R = ...
return {
  kind = "script",
  run = function(__env, ...)
    do
      local __o, __k = __R.gv("t", 1), __R.gv("f", 2)()
      local __v = __o[__k] * 3
      __o[__k] = __v
      return __v
    end
  end,
  positions = {1, 1, 1, 3},
}
)");
}

TEST(lang_codegen, case_is_an_if_chain) {
  const std::string lua = lua_of("case || a >> b() || true >> c() end");
  EXPECT_NE(lua.find("    if __R.gv(\"a\", 1) then\n      __R.gv(\"b\", 2)()\n    elseif true then\n"
                     "      __R.gv(\"c\", 3)()\n    end\n"),
            std::string::npos)
      << lua;
}

TEST(lang_codegen, function_statements_assign_globals_fields_and_methods) {
  EXPECT_NE(lua_of("function f(...) return ... end").find("__R.gs(\"f\", function(...)\n      return ...\n    end)"),
            std::string::npos);
  EXPECT_NE(lua_of("function a.b:c(x) return self end").find("__R.gv(\"a\", 1).b.c = function(self, x)"),
            std::string::npos);
  EXPECT_NE(lua_of("local function f(n) return f end").find("local function f(n)"), std::string::npos);
}

TEST(lang_codegen, timers_become_definition_time_functions) {
  const std::string lua = lua_of("@@-01:00 => x:dim = {10, \"up\"}");
  EXPECT_NE(lua.find("interval = {aligned = true, seconds = function(__env)"), std::string::npos);
  EXPECT_NE(lua.find("end, p = 2}"), std::string::npos) << lua;  // The operand, for its error.
  EXPECT_NE(lua.find("return __R.interval(__env)"), std::string::npos);
  EXPECT_NE(lua.find("__R.setprop(__env, __R.gv(\"x\", 3), \"dim\", {10, \"up\"}, 1)"), std::string::npos)
      << lua;
  const std::string daily = lua_of("@{07:00, 19:00} => 55:toggle");
  EXPECT_NE(daily.find("daily = {\n    function(__env)\n      return {25200, 68400}\n"),
            std::string::npos)
      << daily;
}

TEST(lang_codegen, event_is_bound_only_where_a_rule_reads_it) {
  EXPECT_EQ(lua_of("#tick => log(1)").find("local event"), std::string::npos);
  const std::string lua = lua_of("#tick => log(event.type)");
  EXPECT_NE(lua.find("cond = function(__env)\n    local event = __env.event\n"), std::string::npos);
  EXPECT_NE(lua.find("action = function(__env)\n    local event = __env.event\n"), std::string::npos);
  EXPECT_NE(lua_of("return event").find("local event = nil\n    return event\n"), std::string::npos);
}

TEST(lang_codegen, user_names_never_meet_generated_names) {
  const std::string lua = lua_of("local __x, R, env = 1, 2, 3; return __x + R + env");
  EXPECT_NE(lua.find("local __u5f5f78, R, env = 1, 2, 3"), std::string::npos) << lua;
  EXPECT_NE(lua_of("return t.__index").find("[\"__index\"]"), std::string::npos);
}

TEST(lang_codegen, literals_keep_their_lua_subtype) {
  EXPECT_NE(lua_of("return 1e3, 0xff, .5, 10:00, \"a\\0b\"").find("return 1000.0, 255, 0.5, 36000, \"a\\000b\""),
            std::string::npos);
  EXPECT_NE(lua_of("return 2025/12/24/18:00, /12/24").find("__R.date(2025, 12, 24, 64800, 1), __R.date(nil, 12, 24, 0, 2)"),
            std::string::npos);
}

TEST(lang_codegen, parentheses_follow_lua_precedence) {
  EXPECT_NE(lua_of("return (1 + 2) * 3, 2 ^ 3 ^ 2, (2 ^ 3) ^ 2, -2 ^ 2, !(a | b), 10 - (3 - 2)")
                .find("return (1 + 2) * 3, 2 ^ 3 ^ 2, (2 ^ 3) ^ 2, -2 ^ 2, not (__R.gv(\"a\", 1) or "
                      "__R.gv(\"b\", 2)), 10 - (3 - 2)"),
            std::string::npos);
  EXPECT_NE(lua_of("return (f())").find("return (__R.gv(\"f\", 1)())"), std::string::npos);
}

TEST(lang_codegen, each_lua_line_holds_at_most_one_operation_per_kind) {
  CompileOptions options;
  const CompileResult result = compile("return a + b * c", options);
  ASSERT_TRUE(result.ok());
  const auto& map = result.items[0].line_map;
  std::vector<std::pair<std::uint32_t, MarkKind>> seen;
  for (const LineMark& mark : map) {
    if (mark.kind == MarkKind::statement) continue;
    const std::pair<std::uint32_t, MarkKind> key{mark.lua_line, mark.kind};
    EXPECT_EQ(std::count(seen.begin(), seen.end(), key), 0);
    seen.push_back(key);
  }
  ASSERT_EQ(seen.size(), 2U);
  EXPECT_NE(map[1].lua_line, map[2].lua_line);
  EXPECT_EQ(map[1].source, (common::Position{1, 10}));  // '+'
  EXPECT_EQ(map[2].source, (common::Position{1, 14}));  // '*'
}

TEST(lang_codegen, position_table_points_at_names_and_properties) {
  const CompileResult result = compile("66:breached => 55:on; log(lampp)");
  ASSERT_TRUE(result.ok());
  const auto& positions = result.items[0].positions;
  ASSERT_EQ(positions.size(), 4U);
  EXPECT_EQ(positions[0], (common::Position{1, 4}));   // breached
  EXPECT_EQ(positions[1], (common::Position{1, 19}));  // on
  EXPECT_EQ(positions[2], (common::Position{1, 23}));  // log
  EXPECT_EQ(positions[3], (common::Position{1, 27}));  // lampp (spec §13.3 example)
}

// The `checks` line of a rule's chunk ("return {...}"), or "(none)" without the field.
std::string checks_of(std::string_view source) {
  const std::string lua = lua_of(source);
  if (lua.starts_with("error: ")) return lua;
  const std::size_t begin = lua.find("  checks = function(__env)\n");
  if (begin == std::string::npos) return "(none)";
  const std::size_t from = lua.find("    return ", begin) + 11;
  return lua.substr(from, lua.find('\n', from) - from);
}

TEST(lang_codegen, checks_list_the_condition_and_literal_action_accesses_in_source_order) {
  EXPECT_EQ(lua_of("lamp:isOn & {77, 78}:value:average > 20 => 55:on; {55, 56}:value = 70; f():off"),
            R"(local __R = ...
return {
  kind = "rule",
  triggers = {"device/77/value", "device/78/value"},
  candidates = {"lamp"},
  trigger_fn = function(__env)
    return {devices = {{"value", __R.gv("lamp", 1)},}, patterns = {}}
  end,
  checks = function(__env)
    return {__R.gv("lamp", 2), "isOn", "get", 3, {77, 78}, "value", "get", 4, 55, "on", "get", 5, {55, 56}, "value", "set", 6}
  end,
  cond = function(__env)
    return __R.prop(__env, __R.gv("lamp", 7), "isOn", 3) and __R.prop(__env, __R.prop(__env, {77, 78}, "value", 4), "average", 8) > 20
  end,
  action = function(__env)
    __R.prop(__env, 55, "on", 5)
    __R.setprop(__env, {55, 56}, "value", 70, 6)
    __R.prop(__env, __R.gv("f", 9)(), "off", 10)
  end,
  positions = {1, 1, 1, 1, 1, 6, 1, 22, 1, 47, 1, 60, 1, 1, 1, 28, 1, 72, 1, 76},
}
)");
}

TEST(lang_codegen, a_check_and_every_writing_of_its_access_share_one_position) {
  // The between operand is written in `edges` and again in `cond`.
  const std::string lua = lua_of("66:breached & 55:value..22:00 => log(1)");
  EXPECT_NE(lua.find("return {66, \"breached\", \"get\", 1, 55, \"value\", \"get\", 2}"), std::string::npos) << lua;
  EXPECT_NE(lua.find("  edges = {\n    {function(__env)\n      return __R.prop(__env, 55, \"value\", 2)\n"),
            std::string::npos)
      << lua;
  EXPECT_NE(lua.find("return __R.prop(__env, 66, \"breached\", 1) and __R.between(__R.prop(__env, 55, \"value\", 2), 79200, 3)"),
            std::string::npos)
      << lua;
}

TEST(lang_codegen, condition_checks_need_an_object_without_side_effects) {
  // Skipped: run locals (a capture, event), comprehension names, lambda bodies, and
  // objects that are calls, fields or accesses themselves.
  // (trigger_fn takes positions 1-5 for the dynamic objects.)
  EXPECT_EQ(checks_of("#a{v=\"$v\"} & v:isOn & event:isOn & [x:isOn for x in {55}] & (() -> 56:isOn)() & "
                      "t.x:isOn & f():isOn & $m:name & {lamp, k = $m, [\"a\"] = 1}:value & (67):isOpen => log(1)"),
            "{__R.pget(\"m\", 6), \"name\", \"get\", 7, {__R.gv(\"lamp\", 8), k = __R.pget(\"m\", 9), "
            "[\"a\"] = 1}, \"value\", \"get\", 10, 67, \"isOpen\", \"get\", 11}");
  // A table with a literal `type` is a pattern there, matched rather than built.
  EXPECT_EQ(checks_of("{type = \"t\"}:value => log(1)"), "(none)");
  // Modifier operands count as the condition.
  EXPECT_EQ(checks_of("#go cooldown 55:value => log(1)"), "{55, \"value\", \"get\", 1}");
}

TEST(lang_codegen, action_checks_need_a_literal_object) {
  // A global name is checked by name (the engine only warns); other objects are not.
  EXPECT_EQ(checks_of("#go => lamp:on; 55:on; (\"abc\"):upper(); {55, x}:off; {55, \"garage\"}:off; {a = 55}:off; "
                      "$m:off; if true then 56:off end; g = function() 57:off end; h = () -> 58:off; "
                      "y = [55:value for _, v in {1}]; a, 55:value = 1, 2; 56:setValue(1)"),
            "{\"lamp\", \"on\", \"name_get\", 1, 55, \"on\", \"get\", 2, \"abc\", \"upper\", \"call\", 3, "
            "{55, \"garage\"}, \"off\", \"get\", 4, 56, \"off\", \"get\", 5, 55, \"value\", \"get\", 6, "
            "55, \"value\", \"set\", 7, 56, \"setValue\", \"call\", 8}");
  // Locals are not global names.
  EXPECT_EQ(checks_of("#go => local lamp = 55; lamp:on"), "(none)");
}

TEST(lang_codegen, only_rules_with_checks_have_the_field) {
  EXPECT_EQ(checks_of("#tick => log(1)"), "(none)");
  EXPECT_EQ(lua_of("55:on").find("checks"), std::string::npos);  // Scripts never.
}

bool has_nowait(std::string_view source) {
  return lua_of(source).find("  nowait = true,\n") != std::string::npos;
}

TEST(lang_codegen, actions_without_calls_are_marked_as_never_suspending) {
  EXPECT_TRUE(has_nowait("sensor:value => lamp:value = sensor:value"));
  EXPECT_TRUE(has_nowait("#a => x = {1, 2}; $y = x[1] + 1; 55:on; f = function() wait(1) end"));
  EXPECT_TRUE(has_nowait("#a => for i = 1, 3 do n = (n ?? 0) + i end"));
}

TEST(lang_codegen, calls_loops_over_iterators_and_debounce_may_suspend) {
  EXPECT_FALSE(has_nowait("#a => wait(1)"));
  EXPECT_FALSE(has_nowait("#a => 55:setValue(3)"));
  EXPECT_FALSE(has_nowait("#a => if x then log('x') end"));
  EXPECT_FALSE(has_nowait("#a => for k in next, {} do end"));
  EXPECT_FALSE(has_nowait("66:breached debounce 2 => 55:off"));
  EXPECT_FALSE(has_nowait("55:on"));  // Scripts never get the field.
}

bool has_bounded(std::string_view source) {
  return lua_of(source).find("  bounded = true,\n") != std::string::npos;
}

TEST(lang_codegen, straight_line_runs_are_bounded) {
  EXPECT_TRUE(has_bounded("sensor:value => lamp:value = sensor:value"));
  EXPECT_TRUE(has_bounded("@08:00 & $Mode == 'home' => 55:on; f = function() while true do end end"));
  EXPECT_TRUE(has_bounded("#a{x = '$x'} => y = [v * 2 for v in {1, 2}]"));
}

TEST(lang_codegen, loops_and_calls_anywhere_in_a_run_are_not_bounded) {
  EXPECT_FALSE(has_bounded("#a => while true do end"));
  EXPECT_FALSE(has_bounded("#a => for i = 1, 10 do n = i end"));
  EXPECT_FALSE(has_bounded("#a => repeat n = 1 until n"));
  EXPECT_FALSE(has_bounded("#a & f() => x = 1"));                 // A call in the condition.
  EXPECT_FALSE(has_bounded("66:breached cooldown f() => x = 1"));  // In a modifier operand.
  EXPECT_FALSE(has_bounded("#a => log('x')"));
}

}  // namespace
}  // namespace er::lang

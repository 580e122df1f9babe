// Runs rule descriptors on the engine's runtime the way the engine does (docs/runtime-interface.md §5.6):
// trigger_fn and checks at definition, then cond and action per event, with captures flowing
// from the condition's pattern into the action's locals.

#include <gtest/gtest.h>

#include <string>

#include "lua_harness.h"

namespace er::lang::testing {
namespace {

// A Lua driver: run `setup`, define the rule (trigger_fn and checks), then run it
// for one event; returns the action's result as text, "condition false", or
// "definition error: <message> @<line>:<col>" (the error's position-table entry).
constexpr const char* kDriver = R"(
local descriptor, event, setup = ...
local harness = __test_harness
load(setup)()
local ok, definition = pcall(harness.define, descriptor)
if not ok then
  local p = type(definition) == "table" and definition.position
  local at = p and (" @" .. descriptor.positions[2 * p - 1] .. ":" .. descriptor.positions[2 * p]) or ""
  return "definition error: " .. harness.message_of(definition) .. at
end
local env = harness.run_env(event, definition)
if not descriptor.cond(env) then return "condition false" end
return tostring(descriptor.action(env))
)";

std::string run_rule(std::string_view source, const char* event_lua, const char* setup = "") {
  const CompileResult result = compile(source);
  EXPECT_TRUE(result.ok()) << source;
  if (!result.ok()) return "compile error";
  const std::string& lua = result.items.at(0).lua;
  LuaHarness harness;
  lua_State* L = harness.state();
  EXPECT_EQ(luaL_loadstring(L, kDriver), LUA_OK);
  EXPECT_EQ(luaL_loadbuffer(L, lua.data(), lua.size(), "=rule"), LUA_OK);
  lua_getglobal(L, "__test_runtime");
  EXPECT_EQ(lua_pcall(L, 1, 1, 0), LUA_OK);
  EXPECT_EQ(luaL_dostring(L, (std::string("return ") + event_lua).c_str()), LUA_OK);
  lua_pushstring(L, setup);
  if (lua_pcall(L, 3, 1, 0) != LUA_OK) return std::string("error: ") + luaL_tolstring(L, -1, nullptr);
  return lua_tostring(L, -1);
}

TEST(lang_lua_rule_run, pattern_captures_reach_the_action) {
  const char* rule = "#alarm{zone=\"$z\", level=\"$l>2\"} => return z ++ \":\" ++ l";
  EXPECT_EQ(run_rule(rule, "{type = 'alarm', zone = 'hall', level = 3}"), "hall:3");
  EXPECT_EQ(run_rule(rule, "{type = 'alarm', zone = 'hall', level = 1}"), "condition false");
  EXPECT_EQ(run_rule(rule, "{type = 'other'}"), "condition false");
}

TEST(lang_lua_rule_run, captures_are_readable_in_the_condition) {
  const char* rule = "#reading{value=\"$v\"} & v > 10 => return v * 2";
  EXPECT_EQ(run_rule(rule, "{type = 'reading', value = 11}"), "22");
  EXPECT_EQ(run_rule(rule, "{type = 'reading', value = 9}"), "condition false");
}

TEST(lang_lua_rule_run, any_capture_name_gives_loadable_lua) {
  EXPECT_EQ(run_rule("#e{a=\"$end\", b=\"$1x\", c=\"$\xC3\xA9\"} => return 1", "{type = 'e', a = 1, b = 2, c = 3}"),
            "1");
}

TEST(lang_lua_rule_run, event_is_the_run_local_trigger_event) {
  EXPECT_EQ(run_rule("#tick{n=\"$\"} => return event.n + 1", "{type = 'tick', n = 41}"), "42");
}

// Definition-time checks (spec §10.9): the errors carry the access's own position.
TEST(lang_lua_rule_run, definition_checks_report_unknown_devices_and_names) {
  EXPECT_EQ(run_rule("66:breached => 200000:on", "{}"), "definition error: No such device: 200000 @1:23");
  EXPECT_EQ(run_rule("lamp:isOn => log(1)", "{}", "__test_runtime.gs('lamp', 200)"),
            "definition error: No such device: 200 @1:6");
  EXPECT_EQ(run_rule("66:safe => if false then 55:value = 1 else 56:position = 3 end", "{}"),
            "definition error: Device 56 (multilevelSwitch) does not support setting 'position' @1:47");
  EXPECT_EQ(run_rule("66:safe => {55, \"attic\"}:on", "{}"), "definition error: No such device: 'attic' @1:26");
}

TEST(lang_lua_rule_run, definition_checks_pass_what_the_code_can_run) {
  // A string naming no device takes a string method; an action's `x:on` is checked
  // only when it runs.
  EXPECT_EQ(run_rule("66:safe => if false then x:on end; return (\"abc\"):upper()", "{}",
                     "__test_runtime.gs('x', 200000)"),
            "ABC");
  // average's X is an access (skipped); value on {77, 78} is checked and passes.
  EXPECT_EQ(run_rule("#go & {77, 78}:value:average > 20 => 55:on", "{type = 'other'}"), "condition false");
  EXPECT_EQ(run_rule("$m:upper() == \"A\" => return 56:value", "{}", "__test_runtime.pset('m', 'a')"), "40");
}

}  // namespace
}  // namespace er::lang::testing

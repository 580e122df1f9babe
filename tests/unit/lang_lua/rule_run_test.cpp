// Runs rule descriptors the way the engine will (docs/runtime-interface.md §5.6):
// trigger_fn at definition, then cond and action per event, with captures flowing
// from the condition's pattern into the action's locals.

#include <gtest/gtest.h>

#include <string>

#include "lua_harness.h"

namespace er::lang::testing {
namespace {

// A Lua driver: define the rule, then run it for one event; returns the action's
// result as text, or "condition false".
constexpr const char* kDriver = R"(
local descriptor, event = ...
local definition = descriptor.trigger_fn({cap = {}})
local env = {event = event, cap = {}, patterns = definition.patterns}
if not descriptor.cond(env) then return "condition false" end
return tostring(descriptor.action(env))
)";

std::string run_rule(std::string_view source, const char* event_lua) {
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
  if (lua_pcall(L, 2, 1, 0) != LUA_OK) return std::string("error: ") + lua_tostring(L, -1);
  return lua_tostring(L, -1);
}

TEST(rule_run_test, pattern_captures_reach_the_action) {
  const char* rule = "#alarm{zone=\"$z\", level=\"$l>2\"} => return z ++ \":\" ++ l";
  EXPECT_EQ(run_rule(rule, "{type = 'alarm', zone = 'hall', level = 3}"), "hall:3");
  EXPECT_EQ(run_rule(rule, "{type = 'alarm', zone = 'hall', level = 1}"), "condition false");
  EXPECT_EQ(run_rule(rule, "{type = 'other'}"), "condition false");
}

TEST(rule_run_test, captures_are_readable_in_the_condition) {
  const char* rule = "#reading{value=\"$v\"} & v > 10 => return v * 2";
  EXPECT_EQ(run_rule(rule, "{type = 'reading', value = 11}"), "22");
  EXPECT_EQ(run_rule(rule, "{type = 'reading', value = 9}"), "condition false");
}

TEST(rule_run_test, any_capture_name_gives_loadable_lua) {
  EXPECT_EQ(run_rule("#e{a=\"$end\", b=\"$1x\", c=\"$\xC3\xA9\"} => return 1", "{type = 'e', a = 1, b = 2, c = 3}"),
            "1");
}

TEST(rule_run_test, event_is_the_run_local_trigger_event) {
  EXPECT_EQ(run_rule("#tick{n=\"$\"} => return event.n + 1", "{type = 'tick', n = 41}"), "42");
}

}  // namespace
}  // namespace er::lang::testing

// Proves the error-position design of docs/runtime-interface.md §9 with a real Lua:
// a runtime error raised by Lua itself is mapped through the line map (Lua line +
// operation kind), one raised by a runtime function through the position table, and
// either way the EventScript line and column are the failing operation's.

#include <gtest/gtest.h>

#include <string>

#include "lua_harness.h"

namespace er::lang::testing {
namespace {

// The operation kind a Lua error message names (docs/runtime-interface.md §9.2).
MarkKind kind_of(const std::string& message) {
  if (message.find("attempt to perform arithmetic") != std::string::npos) return MarkKind::arithmetic;
  if (message.find("attempt to compare") != std::string::npos) return MarkKind::comparison;
  if (message.find("attempt to call") != std::string::npos) return MarkKind::call;
  if (message.find("attempt to index") != std::string::npos) return MarkKind::index;
  if (message.find("'for'") != std::string::npos) return MarkKind::loop;
  return MarkKind::statement;
}

// The engine's mapping, reduced to what a test needs: "item:<line>: msg" -> position.
common::Position map_lua_error(const CompiledItem& item, const std::string& error) {
  const std::size_t colon = error.find(':');
  const std::uint32_t line = static_cast<std::uint32_t>(std::stoul(error.substr(colon + 1)));
  const MarkKind kind = kind_of(error);
  common::Position fallback{0, 0};
  for (const LineMark& mark : item.line_map) {
    if (mark.lua_line == line && mark.kind == kind) return mark.source;
    if (mark.lua_line <= line && mark.kind == MarkKind::statement) fallback = mark.source;
  }
  if (kind == MarkKind::index) {  // Lua may report an index on a later line (§9.2).
    for (auto it = item.line_map.rbegin(); it != item.line_map.rend(); ++it) {
      if (it->lua_line <= line && it->kind == MarkKind::index) return it->source;
    }
  }
  return fallback;
}

// Compiles and runs `source` as a script; returns the mapped "line:col: message".
std::string runtime_error_at(std::string_view source) {
  const CompileResult result = compile(source);
  EXPECT_TRUE(result.ok()) << source;
  if (!result.ok()) return "compile error";
  const CompiledItem& item = result.items.at(0);
  LuaHarness lua;
  lua_State* L = lua.state();
  if (luaL_loadbuffer(L, item.lua.data(), item.lua.size(), "=item") != LUA_OK) return "load error";
  lua_getglobal(L, "__test_runtime");
  EXPECT_EQ(lua_pcall(L, 1, 1, 0), LUA_OK);
  lua_getfield(L, -1, "run");
  lua_newtable(L);  // env
  lua_newtable(L);
  lua_setfield(L, -2, "cap");
  if (lua_pcall(L, 1, 0, 0) == LUA_OK) return "no error";
  common::Position at;
  std::string message;
  if (lua_istable(L, -1)) {  // An error object {position = p, message = m} from R.
    lua_getfield(L, -1, "position");
    const auto p = static_cast<std::size_t>(lua_tointeger(L, -1));
    lua_getfield(L, -2, "message");
    message = lua_tostring(L, -1);
    at = item.positions.at(p - 1);
  } else {
    const std::string error = lua_tostring(L, -1);
    at = map_lua_error(item, error);
    message = error.substr(error.find(": ") + 2);
  }
  return std::to_string(at.line) + ":" + std::to_string(at.column) + ": " + message;
}

TEST(lang_lua_runtime_errors, arithmetic_errors_point_at_their_operator) {
  EXPECT_EQ(runtime_error_at("local a, b, c = 1, 2, nil\nreturn a + b * c"),
            "2:14: attempt to perform arithmetic on a nil value (local 'c')");
  EXPECT_EQ(runtime_error_at("local a, b, c = 1, nil, 3\nreturn a + b * c"),
            "2:14: attempt to perform arithmetic on a nil value (local 'b')");
  EXPECT_EQ(runtime_error_at("local a, b, c = {}, 2, 3\nreturn a + b * c"),
            "2:10: attempt to perform arithmetic on a table value (local 'a')");
}

TEST(lang_lua_runtime_errors, comparison_and_call_errors_point_at_the_operation) {
  EXPECT_EQ(runtime_error_at("local a, b = 1, {}\nreturn a < 2 & b < 1"),
            "2:18: attempt to compare table with number");
  EXPECT_EQ(runtime_error_at("local f, g = print, 5\nf(g(1))"),
            "2:3: attempt to call a number value (local 'g')");
}

TEST(lang_lua_runtime_errors, loop_errors_point_at_the_for) {
  EXPECT_EQ(runtime_error_at("x = 1\n  for i = 1, 2, 0 do end"), "2:3: 'for' step is zero");
}

TEST(lang_lua_runtime_errors, runtime_function_errors_use_the_position_table) {
  EXPECT_EQ(runtime_error_at("66:breached\nprint(lampp)"), "2:7: Undefined variable: 'lampp'");
  EXPECT_EQ(runtime_error_at("x = 1\nreturn 200000:isOn"), "2:15: No such device: 200000");
  EXPECT_EQ(runtime_error_at("return [v for v in 5]"), "1:20: attempt to iterate over a number value");
  EXPECT_EQ(runtime_error_at("local s = \"x\"\nreturn 1 .. s"),
            "2:10: '..' is the between operator on times; use '++' to join strings");
}

}  // namespace
}  // namespace er::lang::testing

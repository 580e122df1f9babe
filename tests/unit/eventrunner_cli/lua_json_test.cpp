// JSON to Lua and back (app/eventrunner/lua_json.h): the conversions the control API
// uses for every request and answer.

#include "lua_json.h"

#include <gtest/gtest.h>

#include <memory>

namespace er::cli {
namespace {

struct LuaState {
  std::unique_ptr<lua_State, decltype(&lua_close)> state{luaL_newstate(), &lua_close};
  LuaState() { luaL_openlibs(state.get()); }
  lua_State* get() { return state.get(); }
};

// Converts `text` into Lua and back.
nlohmann::json round_trip(const std::string& text) {
  LuaState lua;
  EXPECT_TRUE(push_json(lua.get(), nlohmann::json::parse(text)));
  return to_json(lua.get(), -1);
}

TEST(eventrunner_cli_lua_json, values_survive_the_round_trip) {
  const std::string text =
      R"({"a":[1,2.5,"x",true,false,null],"b":{"c":{"d":-7}},"e":"caf\u00e9","f":9007199254740993})";
  EXPECT_EQ(round_trip(text), nlohmann::json::parse(text));
}

TEST(eventrunner_cli_lua_json, empty_arrays_stay_arrays_and_empty_objects_stay_objects) {
  EXPECT_EQ(round_trip(R"({"list":[],"map":{}})").dump(), R"({"list":[],"map":{}})");
}

TEST(eventrunner_cli_lua_json, null_is_the_null_light_userdata) {
  LuaState lua;
  ASSERT_TRUE(push_json(lua.get(), nlohmann::json::parse(R"({"v":null})")));
  lua_getfield(lua.get(), -1, "v");
  EXPECT_EQ(lua_type(lua.get(), -1), LUA_TLIGHTUSERDATA);
  EXPECT_EQ(lua_touserdata(lua.get(), -1), nullptr);
}

TEST(eventrunner_cli_lua_json, lua_tables_become_arrays_only_when_they_are_sequences) {
  LuaState lua;
  lua_State* L = lua.get();
  ASSERT_EQ(luaL_dostring(L, "return {1, 2, 3}, {1, nil, 3}, {[1] = 'a', x = 'b'}, {[2] = 'b'}"), LUA_OK);
  EXPECT_EQ(to_json(L, -4).dump(), "[1,2,3]");
  EXPECT_EQ(to_json(L, -2).dump(), R"({"1":"a","x":"b"})");
  EXPECT_EQ(to_json(L, -1).dump(), R"({"2":"b"})");
}

TEST(eventrunner_cli_lua_json, values_json_cannot_hold_are_written_as_text_or_null) {
  LuaState lua;
  lua_State* L = lua.get();
  ASSERT_EQ(luaL_dostring(L, "return {f = print, n = 0/0, i = math.huge, [true] = 1}"), LUA_OK);
  EXPECT_EQ(to_json(L, -1).dump(), R"({"f":"function","i":null,"n":null,"true":1})");
}

TEST(eventrunner_cli_lua_json, a_table_that_contains_itself_is_cut_off) {
  LuaState lua;
  lua_State* L = lua.get();
  ASSERT_EQ(luaL_dostring(L, "local t = {}; t.self = t; return t"), LUA_OK);
  const nlohmann::json json = to_json(L, -1);
  const nlohmann::json* at = &json;
  int depth = 0;
  while (at->is_object()) {
    at = &(*at)["self"];
    ++depth;
  }
  EXPECT_TRUE(at->is_null());
  EXPECT_EQ(depth, kMaxJsonDepth + 1);
}

TEST(eventrunner_cli_lua_json, nesting_deeper_than_the_limit_is_refused) {
  LuaState lua;
  const std::string deep = std::string(kMaxJsonDepth + 2, '[') + std::string(kMaxJsonDepth + 2, ']');
  const int top = lua_gettop(lua.get());
  EXPECT_FALSE(push_json(lua.get(), nlohmann::json::parse(deep)));
  EXPECT_EQ(lua_gettop(lua.get()), top);
}

}  // namespace
}  // namespace er::cli

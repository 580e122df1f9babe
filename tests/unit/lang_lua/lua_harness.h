#pragma once
// Test helper: a fresh Lua 5.4 state with the test-only runtime (test_runtime.lua)
// loaded, which compiles EventScript, loads the generated chunks and runs scripts.

#include <lua.hpp>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "lang/compiler.h"

namespace er::lang::testing {

inline std::string source_dir() {
  const char* dir = std::getenv("ER_SOURCE_DIR");
  return dir != nullptr ? dir : ER_SOURCE_DIR;
}

inline std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class LuaHarness {
 public:
  LuaHarness() : state_(luaL_newstate()) {
    luaL_openlibs(state_);
    const std::string path = source_dir() + "/tests/unit/lang_lua/test_runtime.lua";
    if (luaL_dofile(state_, path.c_str()) != LUA_OK) throw std::runtime_error(pop_string());
    lua_getfield(state_, -1, "R");
    lua_setglobal(state_, "__test_runtime");  // The R table, for tests that drive chunks.
    lua_pushvalue(state_, -1);
    lua_setglobal(state_, "__test_harness");  // define, serialize, ...: for Lua drivers.
    harness_ref_ = luaL_ref(state_, LUA_REGISTRYINDEX);
  }
  ~LuaHarness() { lua_close(state_); }
  LuaHarness(const LuaHarness&) = delete;
  LuaHarness& operator=(const LuaHarness&) = delete;

  /// Loads a generated chunk: "" on success, else Lua's message.
  std::string load(std::string_view lua, std::string_view chunk_name = "=item") {
    const std::string name(chunk_name);
    if (luaL_loadbuffer(state_, lua.data(), lua.size(), name.c_str()) != LUA_OK) return pop_string();
    lua_pop(state_, 1);
    return {};
  }

  /// Compiles `source` as one definition and runs it as a script: its values in Lua
  /// notation, "(none)", "error: <runtime message>" or "compile error: <message>".
  std::string run(std::string_view source) {
    CompileOptions options;
    options.kind = SourceKind::definition;
    const CompileResult result = compile(source, options);
    if (!result.ok()) return "compile error: " + result.diagnostics.items().front().message;
    if (result.items.size() != 1 || result.items[0].kind != ItemKind::script) return "not a script";
    const std::string& lua = result.items[0].lua;
    if (luaL_loadbuffer(state_, lua.data(), lua.size(), "=item") != LUA_OK) {
      return "load error: " + pop_string();
    }
    push_field("R");
    if (lua_pcall(state_, 1, 1, 0) != LUA_OK) return "chunk error: " + pop_string();
    const int descriptor = lua_gettop(state_);
    push_field("run_script");
    lua_pushvalue(state_, descriptor);
    if (lua_pcall(state_, 1, 1, 0) != LUA_OK) return "driver error: " + pop_string();
    std::string out = pop_string();
    lua_pop(state_, 1);
    return out;
  }

  lua_State* state() { return state_; }

 private:
  void push_field(const char* name) {
    lua_rawgeti(state_, LUA_REGISTRYINDEX, harness_ref_);
    lua_getfield(state_, -1, name);
    lua_remove(state_, -2);
  }

  std::string pop_string() {
    std::size_t size = 0;
    const char* text = lua_tolstring(state_, -1, &size);
    std::string out = text != nullptr ? std::string(text, size) : std::string("(non-string)");
    lua_pop(state_, 1);
    return out;
  }

  lua_State* state_;
  int harness_ref_ = LUA_NOREF;
};

}  // namespace er::lang::testing

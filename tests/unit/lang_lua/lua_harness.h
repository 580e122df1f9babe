#pragma once
// Test helper: a booted engine (er::Engine on a virtual clock at the spec's reference
// instant, Wednesday 2025-05-14 12:00:00 CEST, with the reference home defined), whose
// Lua state loads the generated chunks and runs them against the engine's own runtime
// interface E.R (rules/lua/er, docs/runtime-interface.md). Only the driving is the
// test's: defining a rule descriptor, running a script and showing its values.

#include <lua.hpp>

#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "lang/compiler.h"
#include "luabind/runtime.h"
#include "port/linux_port.h"
#include "rules/engine.h"

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

inline constexpr std::int64_t kReferenceEpochMs = 1'747'216'800'000;

/// The test's side of a run, in Lua: the globals __test_runtime (the engine's R) and
/// __test_harness (this table) drive descriptors as the engine does (rules.lua's
/// define_rule and run_script, core.lua's runs), calling them directly so that a test
/// sees the raw error object.
inline constexpr const char* kHarnessLua = R"lua(
local E = require("er.engine").E
E.devices.define_reference_home()
local H = {}

-- Defines a rule descriptor as the engine does (spec 6.2): evaluates trigger_fn, then
-- runs the definition-time device checks of its `checks` quadruples (X, name, mode,
-- position). X may be nil, so the list is walked by its names, never with `#`. A
-- check by name (an action's X is a global name) only warns in the engine.
function H.define(descriptor)
  local env = {cap = {}, defining = true}
  local definition = {devices = {}, patterns = {}}
  if descriptor.trigger_fn ~= nil then definition = descriptor.trigger_fn(env) end
  if descriptor.checks ~= nil then
    local list, i = descriptor.checks(env), 1
    while list[i + 1] ~= nil do
      local x, name, mode, p = list[i], list[i + 1], list[i + 2], list[i + 3]
      assert(type(name) == "string" and math.type(p) == "integer", "checks: malformed quadruple")
      if mode:match("^name_") then
        assert(type(x) == "string", "checks: a check by name gives the name")
      else
        assert(mode == "get" or mode == "set" or mode == "call", "checks: unknown mode")
        E.devices.check(x, name, mode, p)
      end
      i = i + 4
    end
    for k in pairs(list) do
      assert(math.type(k) == "integer" and k >= 1 and k < i, "checks: not flat quadruples")
    end
  end
  return definition
end

-- A run's env as core.lua makes it: the run is its own env; R.match reads the rule's
-- patterns through it.
function H.run_env(event, definition)
  local run = {event = event, cap = {}, rule = definition and {patterns = definition.patterns} or nil}
  run.run, run.env = run, run
  return run
end

local function serialize(v)
  local t = type(v)
  if t == "string" then return (string.format("%q", v):gsub("\\\n", "\\n")) end
  if t ~= "table" then return tostring(v) end
  local parts, n = {}, #v
  for i = 1, n do parts[#parts + 1] = serialize(v[i]) end
  local keys = {}
  for k in pairs(v) do
    if not (math.type(k) == "integer" and k >= 1 and k <= n) then keys[#keys + 1] = k end
  end
  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  for _, k in ipairs(keys) do parts[#parts + 1] = tostring(k) .. "=" .. serialize(v[k]) end
  return "{" .. table.concat(parts, ",") .. "}"
end
H.serialize = serialize

-- The message of an error: an engine error's `message`, or Lua's without its
-- "chunk:line: " prefix and its " (local 'x')" variable note.
function H.message_of(err)
  if type(err) == "table" then return err.message end
  return (tostring(err):gsub("^[^:]*:%d+: ", ""):gsub(" %(%a+ '[^']*'%)$", ""))
end

-- Makes the engine as freshly booted (E.reset, what test.start of rule tests does),
-- with the reference home defined again.
function H.reset()
  E.reset()
  E.devices.define_reference_home()
end

-- Runs a script descriptor; returns its values as text, "(none)" or "error: <msg>".
function H.run_script(descriptor)
  local results = table.pack(pcall(descriptor.run, H.run_env(nil)))
  if not results[1] then return "error: " .. H.message_of(results[2]) end
  if results.n == 1 then return "(none)" end
  local parts = {}
  for i = 2, results.n do parts[#parts + 1] = serialize(results[i]) end
  return table.concat(parts, ", ")
end

__test_runtime = E.R
__test_harness = H
return H
)lua";

/// Keeps the engine's log lines (a test may print them).
class HarnessHost final : public luasys::Host {
 public:
  void write_log(luasys::LogLevel /*level*/, std::string_view line) override {
    lines.emplace_back(line);
  }
  void reboot(std::string_view /*reason*/) override {}
  std::vector<std::string> lines;
};

class LuaHarness {
 public:
  LuaHarness() {
    EngineOptions options;
    options.lua_dir = source_dir() + "/rules/lua";  // A Lua edit needs no rebuild.
    engine_ = std::make_unique<Engine>(host_, port_, clock_, options);
    if (!engine_->ok()) throw std::runtime_error("engine: " + engine_->boot_error());
    state_ = engine_->lua();
    if (luaL_dostring(state_, kHarnessLua) != LUA_OK) throw std::runtime_error(pop_string());
    harness_ref_ = luaL_ref(state_, LUA_REGISTRYINDEX);
  }
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
    lua_getglobal(state_, "__test_runtime");
    if (lua_pcall(state_, 1, 1, 0) != LUA_OK) return "chunk error: " + pop_string();
    const int descriptor = lua_gettop(state_);
    push_field("run_script");
    lua_pushvalue(state_, descriptor);
    if (lua_pcall(state_, 1, 1, 0) != LUA_OK) return "driver error: " + pop_string();
    std::string out = pop_string();
    lua_pop(state_, 1);
    return out;
  }

  /// Makes the engine as freshly booted, with the reference home (E.reset).
  void reset() {
    push_field("reset");
    if (lua_pcall(state_, 0, 0, 0) != LUA_OK) throw std::runtime_error(pop_string());
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

  HarnessHost host_;
  luasys::LinuxPort port_;
  luasys::VirtualClock clock_{kReferenceEpochMs};
  std::unique_ptr<Engine> engine_;
  lua_State* state_ = nullptr;
  int harness_ref_ = LUA_NOREF;
};

}  // namespace er::lang::testing

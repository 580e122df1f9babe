#pragma once
// A booted engine on a virtual clock at the spec's reference instant (Wednesday
// 2025-05-14 12:00:00 CEST), with its log captured, for the engine's unit tests. It
// can boot again on a given state store (a restart), and runs Lua snippets either
// plainly (lua) or with the engine context in scope as `E` (run).

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "core/clock.h"
#include "luabind/runtime.h"
#include "port/linux_port.h"
#include "rules/engine.h"

namespace er::testing {

inline constexpr std::int64_t kReferenceEpochMs = 1'747'216'800'000;

/// Keeps every log line the engine writes.
class CapturingHost final : public luasys::Host {
 public:
  void write_log(luasys::LogLevel /*level*/, std::string_view line) override {
    lines.emplace_back(line);
  }
  void reboot(std::string_view /*reason*/) override {}
  std::vector<std::string> lines;
};

class EngineTest : public ::testing::Test {
 protected:
  EngineTest() { boot(); }

  // The engine goes first: it flushes into a store that a derived fixture may own.
  void TearDown() override { engine_.reset(); }

  /// (Re)boots the engine; `store` nullptr uses the engine's own memory store. The
  /// Lua modules come from the source tree, so a Lua edit needs no rebuild.
  void boot(StateStore* store = nullptr) {
    engine_.reset();
    EngineOptions options;
    options.store = store;
    options.instruction_budget = 20'000'000;  // Deterministic runaway stops, no watchdog thread.
    options.lua_dir = ER_SOURCE_DIR "/rules/lua";
    engine_ = std::make_unique<Engine>(host_, port_, clock_, options);
    EXPECT_TRUE(engine_->ok()) << engine_->boot_error();
  }

  /// Runs Lua `code` (a chunk; its first result is converted with tostring) and returns
  /// "ERROR: <message>" when it raises.
  std::string lua(const std::string& code) {
    lua_State* L = engine_->lua();
    const int top = lua_gettop(L);
    std::string result;
    if (luaL_loadstring(L, code.c_str()) != LUA_OK || lua_pcall(L, 0, 1, 0) != LUA_OK) {
      result = std::string("ERROR: ") + lua_tostring(L, -1);
    } else {
      result = luaL_tolstring(L, -1, nullptr);
    }
    lua_settop(L, top);
    return result;
  }

  /// Runs `code` with `E` defined; returns tostring of its first result, or
  /// "error: <message>" (an error object's `message` field for engine errors).
  std::string run(std::string_view code) {
    lua_State* L = engine_->lua();
    const int top = lua_gettop(L);
    const std::string chunk = "local E = require('er.engine').E\n" + std::string(code);
    std::string result;
    if (luaL_loadbuffer(L, chunk.data(), chunk.size(), "=test") != LUA_OK ||
        lua_pcall(L, 0, 1, 0) != LUA_OK) {
      if (lua_istable(L, -1)) lua_getfield(L, -1, "message");
      result = std::string("error: ") + luaL_tolstring(L, -1, nullptr);
    } else {
      result = luaL_tolstring(L, -1, nullptr);
    }
    lua_settop(L, top);
    return result;
  }

  /// Lets `ms` of virtual time pass, running every timer due meanwhile.
  void advance(luasys::Millis ms) {
    luasys::RunOptions until;
    until.until = clock_.now() + ms;
    engine_->runtime().run(until);
  }

  /// True if some log line contains `text`.
  bool logged(const std::string& text) const {
    for (const auto& line : host_.lines) {
      if (line.find(text) != std::string::npos) return true;
    }
    return false;
  }

  std::string all_logs() const {
    std::string text;
    for (const auto& line : host_.lines) text += line + "\n";
    return text;
  }

  CapturingHost host_;
  luasys::LinuxPort port_;
  luasys::VirtualClock clock_{kReferenceEpochMs};
  std::unique_ptr<Engine> engine_;
};

}  // namespace er::testing

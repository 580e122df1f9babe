#pragma once
// Boots an er::Engine on a virtual clock and runs Lua snippets in its state, for the
// tests of the engine's Lua modules. Unlike engine_fixture.h it takes the state store
// to boot on and can boot again (a restart on the same store). Snippets reach the context as `E`
// (require("er.engine").E) and should return a string describing what they observed.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "luabind/runtime.h"
#include "port/linux_port.h"
#include "rules/engine.h"

namespace er::testing {

/// Keeps the engine's log lines instead of printing them.
class LogRecordingHost final : public luasys::Host {
 public:
  void write_log(luasys::LogLevel /*level*/, std::string_view line) override {
    lines.emplace_back(line);
  }
  void reboot(std::string_view /*reason*/) override {}
  std::vector<std::string> lines;
};

class EngineLuaTest : public ::testing::Test {
 protected:
  /// (Re)boots the engine; `store` nullptr uses the engine's own memory store.
  void boot(StateStore* store = nullptr) {
    engine_.reset();
    EngineOptions options;
    options.store = store;
    options.lua_dir = ER_SOURCE_DIR "/rules/lua";  // As engine_fixture.h: no rebuild per edit.
    engine_ = std::make_unique<Engine>(host_, port_, clock_, options);
    ASSERT_TRUE(engine_->ok()) << engine_->boot_error();
  }

  /// Runs `code` with `E` defined; returns tostring of its first result, or
  /// "error: <message>" (an error object's `message` field for engine errors).
  std::string run(std::string_view code) {
    lua_State* L = engine_->lua();
    const std::string chunk = "local E = require('er.engine').E\n" + std::string(code);
    if (luaL_loadbuffer(L, chunk.data(), chunk.size(), "=test") != LUA_OK ||
        lua_pcall(L, 0, 1, 0) != LUA_OK) {
      std::string message = "error: ";
      if (lua_istable(L, -1)) {
        lua_getfield(L, -1, "message");
        message += luaL_tolstring(L, -1, nullptr);
        lua_pop(L, 2);
      } else {
        message += luaL_tolstring(L, -1, nullptr);
        lua_pop(L, 1);
      }
      lua_pop(L, 1);
      return message;
    }
    std::string value = luaL_tolstring(L, -1, nullptr);
    lua_pop(L, 2);
    return value;
  }

  luasys::LinuxPort port_;
  LogRecordingHost host_;
  luasys::VirtualClock clock_{1'747'216'800'000};
  std::unique_ptr<Engine> engine_;
};

}  // namespace er::testing

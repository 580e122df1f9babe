#pragma once
// A booted engine on a virtual clock at the spec's reference instant (Wednesday
// 2025-05-14 12:00:00 CEST), with its log captured, for the engine's unit tests.

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/clock.h"
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
  EngineTest() : engine_(host_, port_, clock_, options()) {}

  static EngineOptions options() {
    EngineOptions options;
    options.lua_dir = ER_SOURCE_DIR "/rules/lua";
    return options;
  }

  /// Runs Lua `code` (a chunk; its first result is converted with tostring) and returns
  /// "ERROR: <message>" when it raises.
  std::string lua(const std::string& code) {
    lua_State* L = engine_.lua();
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

  /// Lets `ms` of virtual time pass, running every timer due meanwhile.
  void advance(luasys::Millis ms) {
    luasys::RunOptions until;
    until.until = clock_.now() + ms;
    engine_.runtime().run(until);
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
  Engine engine_;
};

}  // namespace er::testing

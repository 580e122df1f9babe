#pragma once
// Runs Lua snippets on a LuaSys runtime with a virtual clock, capturing what `print`
// writes and the log lines, as the luasys command would show them.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "luabind/runtime.h"
#include "port/linux_port.h"

namespace luasys::testing {

/// Collects log lines and reboots instead of writing or exiting.
class RecordingHost final : public Host {
 public:
  void write_log(LogLevel /*level*/, std::string_view line) override { lines.emplace_back(line); }
  void reboot(std::string_view reason) override {
    ++reboots;
    reboot_reason = reason;
  }
  /// Every log line, newline-separated (multi-line entries stay whole).
  [[nodiscard]] std::string log() const {
    std::string all;
    for (const auto& line : lines) all += line + "\n";
    return all;
  }
  std::vector<std::string> lines;
  int reboots = 0;
  std::string reboot_reason;
};

class LuaSysTest : public ::testing::Test {
 protected:
  void SetUp() override { start({}); }

  /// (Re)creates the runtime with `options`.
  void start(const LoopOptions& options) {
    runtime_.reset();
    clock_ = std::make_unique<VirtualClock>(kStartWallMs);
    runtime_ = std::make_unique<Runtime>(host_, port_, *clock_, options);
    output_.clear();
    lua_State* L = runtime_->lua();
    lua_pushlightuserdata(L, &output_);
    lua_pushcclosure(L, capture_print, 1);
    lua_setglobal(L, "print");
  }

  /// Runs `code` as the main chunk "ex.lua", then sys.run if the chunk did not call it
  /// (as luasys does). Returns the captured standard output.
  std::string run(std::string_view code) {
    lua_State* L = runtime_->lua();
    if (luaL_loadbuffer(L, code.data(), code.size(), "@ex.lua") != LUA_OK) {
      result_ = CallResult{CallResult::Status::Error, lua_tostring(L, -1), {}};
      lua_pop(L, 1);
      return output_;
    }
    result_ = runtime_->call(0);
    if (result_.status == CallResult::Status::Ok && !runtime_->run_called()) runtime_->run();
    return output_;
  }

  /// Runs `code` and returns the value of the Lua expression `expression` afterwards,
  /// converted with tostring.
  std::string eval(std::string_view expression) {
    lua_State* L = runtime_->lua();
    const std::string chunk = "return tostring(" + std::string(expression) + ")";
    if (luaL_dostring(L, chunk.c_str()) != LUA_OK)
      return "error: " + std::string(lua_tostring(L, -1));
    std::string value = lua_tostring(L, -1);
    lua_pop(L, 1);
    return value;
  }

  static constexpr std::int64_t kStartWallMs = 1'700'000'000'000;

  LinuxPort port_;
  RecordingHost host_;
  std::unique_ptr<VirtualClock> clock_;
  std::unique_ptr<Runtime> runtime_;
  std::string output_;
  CallResult result_;

 private:
  // print replacement: tostring of each argument, tab-separated, newline-terminated.
  static int capture_print(lua_State* L) {
    auto* out = static_cast<std::string*>(lua_touserdata(L, lua_upvalueindex(1)));
    const int n = lua_gettop(L);
    for (int i = 1; i <= n; ++i) {
      std::size_t size = 0;
      const char* text = luaL_tolstring(L, i, &size);
      if (i > 1) out->push_back('\t');
      out->append(text, size);
      lua_pop(L, 1);
    }
    out->push_back('\n');
    return 0;
  }
};

}  // namespace luasys::testing

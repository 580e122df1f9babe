// Differential fuzzing of luabind's pattern matcher (luabind/src/lua_pattern.cpp)
// against Lua's own string.find/match/gmatch/gsub: for every input, both must return
// the same values or raise the same error. Input: one selector byte, then subject,
// pattern and replacement separated by 0xFF bytes.
//   build-fuzz/bin/lua_pattern_fuzz -max_total_time=30 fuzz/corpus

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <string>
#include <string_view>

#include <lua.hpp>

#include "lua_pattern.h"

namespace {

// Serializes what pcall(string.<function>, ...) returned: the status and each value.
constexpr const char* kCall = R"lua(
local name, s, p, r, init = ...
local function show(ok, ...)
  local t = {ok and "ok" or "error"}
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    t[#t + 1] = (math.type(v) or type(v)) .. ":" .. tostring(v)
  end
  return table.concat(t, "|")
end
if name == "gmatch" then
  return show(pcall(function()
    local t = {}
    for a, b in string.gmatch(s, p, init) do
      t[#t + 1] = tostring(a) .. "," .. tostring(b)
      if #t > 100 then break end
    end
    return table.concat(t, ";")
  end))
elseif name == "gsubf" then
  return show(pcall(string.gsub, s, p, function(a, b) return b and a end))
elseif name == "gsubt" then
  return show(pcall(string.gsub, s, p, {a = "A", b = false}))
elseif name == "gsub" then
  return show(pcall(string.gsub, s, p, r, init))
else
  return show(pcall(string[name], s, p, init, name == "find" and #r % 2 == 1))
end
)lua";

lua_State* new_state(bool ours) {
  lua_State* L = luaL_newstate();
  luaL_openlibs(L);
  if (ours) {
    lua_getglobal(L, "string");
    luasys::detail::set_pattern_functions(L, nullptr);
    lua_pop(L, 1);
  }
  if (luaL_loadstring(L, kCall) != LUA_OK) std::abort();
  lua_setglobal(L, "call");
  return L;
}

std::string run(lua_State* L, const char* name, std::string_view s, std::string_view p,
                std::string_view r, lua_Integer init) {
  lua_getglobal(L, "call");
  lua_pushstring(L, name);
  lua_pushlstring(L, s.data(), s.size());
  lua_pushlstring(L, p.data(), p.size());
  lua_pushlstring(L, r.data(), r.size());
  lua_pushinteger(L, init);
  if (lua_pcall(L, 5, 1, 0) != LUA_OK) std::abort();
  std::size_t size = 0;
  const char* text = lua_tolstring(L, -1, &size);
  std::string result(text, size);
  lua_pop(L, 1);
  lua_gc(L, LUA_GCCOLLECT);
  return result;
}

// Lua's own matcher backtracks exponentially on some patterns; keep inputs where both
// finish quickly (few repetition items, short subjects).
bool small_enough(std::string_view s, std::string_view p) {
  int repeats = 0;
  for (char c : p) repeats += (c == '*' || c == '+' || c == '-' || c == '?') ? 1 : 0;
  return s.size() <= 64 && p.size() <= 48 && repeats <= 4;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static lua_State* stock = new_state(false);
  static lua_State* ours = new_state(true);
  if (size < 1) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::size_t first = input.find('\xff');
  const std::size_t second = first == std::string_view::npos ? first : input.find('\xff', first + 1);
  const std::string_view s = input.substr(0, first);
  const std::string_view p =
      first == std::string_view::npos ? std::string_view{} : input.substr(first + 1, second - first - 1);
  const std::string_view r = second == std::string_view::npos ? std::string_view{} : input.substr(second + 1);
  if (!small_enough(s, p)) return 0;
  static const char* const kNames[] = {"find", "match", "gmatch", "gsub", "gsubf", "gsubt"};
  const char* name = kNames[data[0] % 6];
  const lua_Integer init = static_cast<lua_Integer>(data[0] / 6 % 24) - 8;
  const std::string expected = run(stock, name, s, p, r, init);
  const std::string actual = run(ours, name, s, p, r, init);
  if (expected != actual) {
    std::fprintf(stderr, "mismatch in string.%s\n  Lua:  %s\n  ours: %s\n", name, expected.c_str(),
                 actual.c_str());
    std::abort();
  }
  return 0;
}

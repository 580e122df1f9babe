// The interruptible pattern matcher (luabind/src/lua_pattern.cpp) against Lua's own
// string.find/match/gmatch/gsub: the same results, captures and error messages on
// many generated patterns and subjects, and an interrupt check that can abandon a
// pathological match.

#include "lua_pattern.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <lua.hpp>

namespace luasys::detail {
namespace {

// Generates `count` cases from `seed` and returns one line per call: its results or
// its error, serialized. The same seed gives the same cases in every state.
constexpr const char* kDriver = R"lua(
local seed, count = ...
math.randomseed(seed)
local atoms = {"a", "b", "c", ".", "%a", "%d", "%s", "%w", "%p", "%A", "%D", "%x", "%u", "%l",
  "%c", "%g", "%z", "[abc]", "[^ab]", "[a-c]", "[%a_]", "[]]", "[^]]", "[a-]", "[%]]", "[",
  "]", "%b()", "%bab", "%b", "%f[%w]", "%f[%W]", "%f[a]", "%f", "%1", "%2", "%0", "(", ")",
  "()", "^", "$", "%", "*", "+", "-", "?", "%%", "%.", "x", "1", "(a)", "(.-)", "(%a+)",
  "((a)b)", "\0", "[%a-z]", "[a-%%]", "[^%]]"}
local suffixes = {"", "", "", "", "*", "+", "-", "?"}
local chars = {"a", "b", "c", "(", ")", "1", " ", "x", "_", "\0", "]", "%", "A", "9", "."}
local function pattern()
  local t = {}
  for i = 1, math.random(0, 6) do t[i] = atoms[math.random(#atoms)] .. suffixes[math.random(#suffixes)] end
  return table.concat(t)
end
local function subject()
  local t = {}
  for i = 1, math.random(0, 14) do t[i] = chars[math.random(#chars)] end
  return table.concat(t)
end
local function show(ok, ...)
  local t = {ok and "ok" or "error"}
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    t[#t + 1] = (math.type(v) or type(v)) .. ":" .. tostring(v)
  end
  return table.concat(t, "|")
end
local function gmatch_all(s, p, init)
  local t = {}
  for a, b, c in string.gmatch(s, p, init) do
    t[#t + 1] = show(true, a, b, c)
    if #t > 40 then break end
  end
  return table.concat(t, ";")
end
local replacements = {"x", "%0", "%1", "%2", "%%", "<%1>", "%", "%a", "", "[%0]"}
local lookup = {a = "A", b = false, ["("] = 1, c = {}}
local out = {}
-- Limits: the nesting depth of "pattern too complex", the capture count, long items.
local long = ("a"):rep(250)
for _, n in ipairs({150, 198, 199, 200, 201, 300}) do
  out[#out + 1] = show(pcall(string.find, long, ("a?"):rep(n)))
  out[#out + 1] = show(pcall(string.match, long, ("(a)"):rep(n % 40)))
  out[#out + 1] = show(pcall(string.gsub, long, ("a-"):rep(n % 7) .. "$", "%0!"))
end
out[#out + 1] = show(pcall(string.find, long, ("()"):rep(32)))
out[#out + 1] = show(pcall(string.find, long, ("%f[a]"):rep(300)))
out[#out + 1] = show(pcall(string.gsub, ("x(y(z))"):rep(50), "%b()", "%%"))
for i = 1, count do
  local s, p = subject(), pattern()
  local init = math.random(0, 3) == 0 and nil or math.random(-16, 16)
  out[#out + 1] = ("case %q %q %s"):format(s, p, tostring(init))
  out[#out + 1] = show(pcall(string.find, s, p, init))
  out[#out + 1] = show(pcall(string.find, s, p, init, true))
  out[#out + 1] = show(pcall(string.match, s, p, init))
  out[#out + 1] = show(pcall(gmatch_all, s, p, init))
  local n = math.random(0, 2) == 0 and math.random(-1, 3) or nil
  out[#out + 1] = show(pcall(string.gsub, s, p, replacements[math.random(#replacements)], n))
  out[#out + 1] = show(pcall(string.gsub, s, p, function(...) return select("#", ...) > 1 and ... end))
  out[#out + 1] = show(pcall(string.gsub, s, p, lookup))
  out[#out + 1] = show(pcall(s.gsub, s, p, 42))
end
return table.concat(out, "\n")
)lua";

std::vector<std::string> run_driver(bool ours, int seed, int count) {
  lua_State* L = luaL_newstate();
  luaL_openlibs(L);
  if (ours) {
    lua_getglobal(L, "string");
    set_pattern_functions(L, nullptr);
    lua_pop(L, 1);
  }
  std::vector<std::string> lines;
  if (luaL_loadstring(L, kDriver) != LUA_OK) {
    lines.emplace_back(lua_tostring(L, -1));
    lua_close(L);
    return lines;
  }
  lua_pushinteger(L, seed);
  lua_pushinteger(L, count);
  if (lua_pcall(L, 2, 1, 0) != LUA_OK) {
    lines.emplace_back(std::string("driver failed: ") + lua_tostring(L, -1));
    lua_close(L);
    return lines;
  }
  std::size_t size = 0;
  const char* text = lua_tolstring(L, -1, &size);
  const std::string all(text, size);
  lua_close(L);
  std::size_t start = 0;
  while (start <= all.size()) {
    const std::size_t end = all.find('\n', start);
    lines.push_back(all.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return lines;
}

TEST(luabind_lua_pattern, GeneratedCasesMatchLuasOwnFunctions) {
  for (int seed = 1; seed <= 6; ++seed) {
    const auto expected = run_driver(false, seed, 4000);
    const auto actual = run_driver(true, seed, 4000);
    ASSERT_EQ(expected.size(), actual.size()) << "seed " << seed;
    std::size_t case_line = 0;
    for (std::size_t i = 0; i < expected.size(); ++i) {
      if (expected[i].starts_with("case ")) case_line = i;
      ASSERT_EQ(expected[i], actual[i]) << "seed " << seed << ", " << expected[case_line]
                                        << ", call " << i - case_line;
    }
  }
}

// Runs `code` in a state with our functions and returns the result or error text.
std::string run_ours(const char* code, const PatternInterrupt* interrupt = nullptr) {
  lua_State* L = luaL_newstate();
  luaL_openlibs(L);
  lua_getglobal(L, "string");
  set_pattern_functions(L, interrupt);
  lua_pop(L, 1);
  std::string result;
  if (luaL_dostring(L, code) != LUA_OK) {
    result = std::string("error: ") + lua_tostring(L, -1);
  } else {
    result = luaL_tolstring(L, 1, nullptr);  // The first result.
  }
  lua_close(L);
  return result;
}

TEST(luabind_lua_pattern, MethodsOnStringsUseTheMatcher) {
  EXPECT_EQ(run_ours("return ('hello world'):gsub('o', '0')"), "hell0 w0rld");
  EXPECT_EQ(run_ours("return select(2, ('key = value'):match('(%w+)%s*=%s*(%w+)'))"), "value");
  EXPECT_EQ(run_ours("return ('THE (quick) fox'):find('%f[%a]%a+%f[%A]', 5)"), "6");
  EXPECT_EQ(run_ours("return ('THE (quick) fox'):find('%b()')"), "5");
}

TEST(luabind_lua_pattern, ErrorMessagesAreLuas) {
  EXPECT_EQ(run_ours("return select(2, pcall(string.find, 'a', '%'))"), "malformed pattern (ends with '%')");
  EXPECT_EQ(run_ours("return select(2, pcall(string.find, 'a', '[a'))"), "malformed pattern (missing ']')");
  EXPECT_EQ(run_ours("return select(2, pcall(string.find, 'a', '%b'))"),
            "malformed pattern (missing arguments to '%b')");
  EXPECT_EQ(run_ours("return select(2, pcall(string.find, 'a', '%f'))"), "missing '[' after '%f' in pattern");
  EXPECT_EQ(run_ours("return select(2, pcall(string.find, 'a', '%1'))"), "invalid capture index %1");
  EXPECT_EQ(run_ours("return select(2, pcall(string.gsub, 'a', 'a', '%2'))"), "invalid capture index %2");
}

int checks = 0;

void count_then_raise(lua_State* L, void* /*context*/) {
  if (++checks == 3) luaL_error(L, "interrupted");
}

TEST(luabind_lua_pattern, InterruptCheckAbandonsAPathologicalMatch) {
  const PatternInterrupt interrupt{count_then_raise, nullptr};
  checks = 0;
  EXPECT_EQ(run_ours("return select(2, pcall(string.match, ('a'):rep(1e5), '.-.-.-.-.-b'))",
                     &interrupt),
            "interrupted");
  EXPECT_EQ(checks, 3);
}

}  // namespace
}  // namespace luasys::detail

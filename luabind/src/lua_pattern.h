#pragma once
// string.find, string.match, string.gmatch and string.gsub on a Lua-pattern matcher of
// our own, written from the Lua 5.4 manual (§6.4.1), that behaves exactly as Lua's
// (same results, captures, position captures, %b, %f, anchors, gsub replacement rules
// and error messages, the same "pattern too complex" depth) but polls an interrupt
// check every few thousand steps. Lua's count hook never fires inside a C function,
// so without this a pathological pattern (("a"):rep(1e5):match(".-.-.-.-.-b")) would
// keep a slice busy for minutes past the slice watchdog. tests/unit/luabind/
// lua_pattern_test.cpp and fuzz/lua_pattern_fuzz.cpp compare it with the originals.

#include <lua.hpp>

namespace luasys::detail {

/// Called by the matcher every kPatternCheckSteps steps, on the matching thread; it
/// may raise a Lua error (with lua_error) to abandon the match.
struct PatternInterrupt {
  void (*check)(lua_State* L, void* context) = nullptr;
  void* context = nullptr;
};

inline constexpr unsigned kPatternCheckSteps = 4096;

/// Sets find, match, gmatch and gsub of the table on top of the stack to the matcher's
/// functions. `interrupt` (which must outlive the functions; nullptr: no checks) is
/// shared by them as a light userdata upvalue.
void set_pattern_functions(lua_State* L, const PatternInterrupt* interrupt);

}  // namespace luasys::detail

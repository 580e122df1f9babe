#pragma once
// JSON values (nlohmann-json) to and from Lua values, for the control API: requests
// arrive as JSON and become Lua tables for er.control; its answers go back as JSON.
//
//   JSON null      <-> the light userdata NULL (er.control's api.null)
//   true / false   <-> booleans
//   numbers        <-> integers when exact, else floats (NaN and infinities -> null)
//   strings        <-> strings (invalid UTF-8 is replaced when written)
//   arrays         <-> sequences; a Lua table is written as an array when its keys are
//                      exactly 1..n (n > 0), or when it has the array marker metatable
//   objects        <-> tables with string keys (other keys are written as text)
//
// Anything else Lua holds (functions, userdata, threads) is written as its type name.

#include <lua.hpp>
#include <nlohmann/json.hpp>

namespace er::cli {

/// Nesting deeper than this is refused (a request) or cut off as null (an answer).
inline constexpr int kMaxJsonDepth = 64;

/// Pushes `value` as a Lua value. Raises only on memory errors: call it where a raise is
/// safe (the caller's frames hold no C++ object that needs destroying). Returns false
/// (pushing nothing) when `value` nests deeper than kMaxJsonDepth.
bool push_json(lua_State* L, const nlohmann::json& value);

/// The value at `index` as JSON. Never raises. Tables that are being written already
/// (cycles) and nesting deeper than kMaxJsonDepth become null.
nlohmann::json to_json(lua_State* L, int index);

/// Pushes the array marker metatable (one per Lua state, kept in the registry).
void push_array_marker(lua_State* L);

}  // namespace er::cli

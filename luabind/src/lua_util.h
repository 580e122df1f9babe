#pragma once
// Small typed wrappers around Lua C API macros. Some of Lua's macros expand to C-style
// casts or to sizeof arithmetic that our warning set rejects; wrapping them here keeps
// the casts in one reviewed place and lets the rest of luabind stay warning-free.

#include <cstdint>
#include <cstring>
#include <string_view>

#include <lua.hpp>

namespace luasys::lua {

/// The raw per-thread memory Lua reserves for its host (LUA_EXTRASPACE bytes). luabind
/// stores a pointer to the task record of a coroutine there (0: not a task).
inline std::uintptr_t extra(lua_State* L) {
  std::uintptr_t value = 0;
  std::memcpy(&value, lua_getextraspace(L), sizeof value);
  return value;
}

inline void set_extra(lua_State* L, std::uintptr_t value) {
  std::memcpy(lua_getextraspace(L), &value, sizeof value);
}

inline void push(lua_State* L, std::string_view text) {
  lua_pushlstring(L, text.data(), text.size());
}

inline std::string_view to_view(lua_State* L, int index) {
  std::size_t size = 0;
  const char* data = lua_tolstring(L, index, &size);
  return data == nullptr ? std::string_view{} : std::string_view{data, size};
}

/// Creates a table with room for `array` sequence slots and `hash` fields.
inline void new_table(lua_State* L, std::size_t array, std::size_t hash) {
  lua_createtable(L, static_cast<int>(array), static_cast<int>(hash));
}

/// Same as lua_pushcfunction, spelled without the macro.
inline void push_function(lua_State* L, lua_CFunction fn) {
  lua_pushcclosure(L, fn, 0);
}

/// Registers `functions` (a null-terminated luaL_Reg array) into the table on top of
/// the stack with `upvalues` shared upvalues, as luaL_setfuncs does.
inline void set_functions(lua_State* L, const luaL_Reg* functions, int upvalues) {
  luaL_setfuncs(L, functions, upvalues);
}

/// True when the value at `index` is a number that is NaN.
inline bool is_nan(lua_State* L, int index) {
  if (lua_type(L, index) != LUA_TNUMBER || lua_isinteger(L, index)) return false;
  const lua_Number n = lua_tonumber(L, index);
  return n != n;
}

/// The continuation context carries a small integer (a stack height).
inline lua_KContext to_context(int value) {
  return static_cast<lua_KContext>(value);
}
inline int from_context(lua_KContext value) {
  return static_cast<int>(value);
}

}  // namespace luasys::lua

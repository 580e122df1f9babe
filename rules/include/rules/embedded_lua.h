#pragma once
// The engine's Lua modules, compiled into the binary (cmake/EmbedLua.cmake), so the
// engine needs no files at run time (the ESP32 has no source tree).

#include <span>
#include <string_view>

namespace er {

struct EmbeddedLuaModule {
  std::string_view name;  ///< Module name for require, e.g. "er.core".
  std::string_view path;  ///< Path under rules/lua, e.g. "er/core.lua" (chunk name).
  std::string_view source;
};

/// Every embedded module, sorted by path.
std::span<const EmbeddedLuaModule> embedded_lua_modules();

}  // namespace er

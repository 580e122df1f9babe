#pragma once
// Lua modules compiled into the binary (cmake/EmbedLua.cmake), so the engine needs no
// files at run time (the ESP32 has no source tree). A host adds modules of its own
// (the eventrunner command's, for example) through EngineOptions::host_modules.

#include <span>
#include <string_view>

namespace er {

struct EmbeddedLuaModule {
  std::string_view name;  ///< Module name for require, e.g. "er.core".
  std::string_view path;  ///< Path under rules/lua, e.g. "er/core.lua" (chunk name).
  std::string_view source;
};

/// The engine's modules (rules/lua), sorted by path.
std::span<const EmbeddedLuaModule> engine_lua_modules();

}  // namespace er

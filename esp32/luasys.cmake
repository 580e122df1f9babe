# Registers LuaSys as an ESP-IDF component, from the portable sources of this
# repository plus port/freertos. NOT BUILT IN CI: ESP-IDF is not installed on the
# build machines (see esp32/README.md).
#
# Included by esp32/CMakeLists.txt and by the example's components/luasys shim, so the
# component can be named after the directory that includes it ("luasys" in the
# example). All paths are absolute, resolved from this file's place in the repository.

get_filename_component(LUASYS_ROOT "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)

# The same globs as the host build's parts (common, core, luabind, lang), so a new
# source file needs no edit here. lang is optional: it is only needed to compile
# EventScript on the device.
file(GLOB LUASYS_SOURCES
  "${LUASYS_ROOT}/common/src/*.cpp"
  "${LUASYS_ROOT}/core/src/*.cpp"
  "${LUASYS_ROOT}/luabind/src/*.cpp"
  "${LUASYS_ROOT}/port/freertos/src/*.cpp")
file(GLOB_RECURSE LUASYS_LANG_SOURCES "${LUASYS_ROOT}/lang/src/*.cpp")
# The EventRunner engine (calendar, natives, and its Lua modules compiled in below).
file(GLOB LUASYS_ENGINE_SOURCES
  "${LUASYS_ROOT}/rules/src/calendar/*.cpp"
  "${LUASYS_ROOT}/rules/src/engine/*.cpp")

idf_component_register(
  SRCS ${LUASYS_SOURCES} ${LUASYS_LANG_SOURCES} ${LUASYS_ENGINE_SOURCES}
  INCLUDE_DIRS
    "${LUASYS_ROOT}/common/include"
    "${LUASYS_ROOT}/core/include"
    "${LUASYS_ROOT}/luabind/include"
    "${LUASYS_ROOT}/lang/include"
    "${LUASYS_ROOT}/port/freertos/include"
    "${LUASYS_ROOT}/rules/include"
  PRIV_INCLUDE_DIRS "${LUASYS_ROOT}/lang/src" "${LUASYS_ROOT}/rules/src/engine"
  # Lua 5.4 is a component of its own (lua.h, lualib.h, lauxlib.h, lua.hpp); see README.
  REQUIRES lua freertos
  PRIV_REQUIRES esp_system)

target_compile_features(${COMPONENT_LIB} PUBLIC cxx_std_20)

# The engine's Lua modules, generated into the component as on the host.
include("${LUASYS_ROOT}/cmake/EmbedLua.cmake")
er_embed_lua(${COMPONENT_LIB} "${LUASYS_ROOT}/rules/lua" engine_lua_modules)

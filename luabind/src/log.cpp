// The `log` module (spec §8): `<s>.<ms> [<LEVEL>] <tag>: <args>` lines on the loop
// clock, written through the host (standard error on Linux, the console on ESP32).

#include <cctype>
#include <cstdio>
#include <string>

#include "lua_util.h"
#include "scheduler.h"

namespace luasys::detail {

namespace {

// Indexed by LogLevel. Keep in sync with the LogLevel enum in runtime.h.
const char* const kLevelNames[] = {"SILENT", "DEBUG", "INFO", "WARN", "ERROR"};

}  // namespace

bool Scheduler::log_enabled(LogLevel level) const {
  const int wanted = static_cast<int>(level);
  return log_level_ != 0 && wanted >= log_level_;
}

void Scheduler::log_line(LogLevel level, std::string_view tag, std::string_view text) {
  if (!log_enabled(level)) return;
  const Millis now = clock_.now();
  char prefix[64];
  const int n =
      std::snprintf(prefix, sizeof prefix, "%lld.%03lld [%s] ", static_cast<long long>(now / 1000),
                    static_cast<long long>(now % 1000), kLevelNames[static_cast<int>(level)]);
  std::string line(prefix, static_cast<std::size_t>(n));
  line.append(tag);
  line.push_back(':');
  if (!text.empty()) {
    line.push_back(' ');
    line.append(text);
  }
  host_.write_log(level, line);
}

namespace {

// log.<level>(tag, ...): checks, then formats the body in a Lua buffer.
int log_at(lua_State* L, LogLevel level) {
  Scheduler& s = scheduler_of(L);
  if (lua_isnone(L, 1)) return luaL_typeerror(L, 1, "string");
  if (!s.log_enabled(level)) return 0;
  const int n = lua_gettop(L);
  luaL_tolstring(L, 1, nullptr);  // The tag, at n + 1.
  luaL_Buffer buffer;
  luaL_buffinit(L, &buffer);
  bool first = true;
  lua_Debug ar;
  if (s.log_shows_caller() && lua_getstack(L, 1, &ar) && lua_getinfo(L, "Sl", &ar)) {
    lua_pushfstring(L, "[%s:%d]", ar.short_src, ar.currentline);
    luaL_addvalue(&buffer);
    first = false;
  }
  for (int i = 2; i <= n; ++i) {
    if (!first) luaL_addchar(&buffer, ' ');
    first = false;
    luaL_tolstring(L, i, nullptr);
    luaL_addvalue(&buffer);
  }
  luaL_pushresult(&buffer);
  s.log_line(level, lua::to_view(L, n + 1), lua::to_view(L, -1));
  return 0;
}

int log_debug(lua_State* L) {
  return log_at(L, LogLevel::Debug);
}
int log_info(lua_State* L) {
  return log_at(L, LogLevel::Info);
}
int log_warn(lua_State* L) {
  return log_at(L, LogLevel::Warn);
}
int log_error(lua_State* L) {
  return log_at(L, LogLevel::Error);
}

// A level from "DEBUG".."SILENT" (any case) or 0..4; -1 when invalid.
int parse_level(lua_State* L, int index) {
  if (lua_type(L, index) == LUA_TNUMBER) {
    if (!lua_isinteger(L, index)) return -1;
    const lua_Integer level = lua_tointeger(L, index);
    return level >= 0 && level <= 4 ? static_cast<int>(level) : -1;
  }
  if (lua_type(L, index) != LUA_TSTRING) return -1;
  const std::string_view text = lua::to_view(L, index);
  for (int level = 0; level <= 4; ++level) {
    const std::string_view name = kLevelNames[level];
    if (name.size() != text.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < name.size() && same; ++i) {
      same = std::toupper(static_cast<unsigned char>(text[i])) == name[i];
    }
    if (same) return level;
  }
  return -1;
}

int log_set_level(lua_State* L) {
  Scheduler& s = scheduler_of(L);
  luaL_checkany(L, 1);
  const int level = parse_level(L, 1);
  if (level < 0) {
    luaL_tolstring(L, 1, nullptr);
    return luaL_argerror(L, 1, lua_pushfstring(L, "invalid option '%s'", lua_tostring(L, -1)));
  }
  s.set_log_level(level);
  return 0;
}

int log_get_level(lua_State* L) {
  lua_pushinteger(L, scheduler_of(L).log_level());
  return 1;
}

int log_style(lua_State* L) {
  const lua_Integer style = luaL_optinteger(L, 1, 0);
  scheduler_of(L).set_log_style(style == 1 || style == 2 ? static_cast<int>(style) : 0);
  return 0;
}

const luaL_Reg kLogFunctions[] = {
    {"debug", log_debug}, {"info", log_info},          {"warn", log_warn},
    {"error", log_error}, {"setLevel", log_set_level}, {"getLevel", log_get_level},
    {"style", log_style}, {nullptr, nullptr},
};

}  // namespace

int luaopen_log(lua_State* L) {
  Scheduler* s = scheduler_from_registry(L);
  if (s == nullptr) return luaL_error(L, "log: no LuaSys runtime in this Lua state");
  lua::new_table(L, 0, 12);
  lua_pushlightuserdata(L, s);
  lua::set_functions(L, kLogFunctions, 1);
  for (int level = 0; level <= 4; ++level) {
    lua_pushinteger(L, level);
    lua_pushfstring(L, "LOG_%s", kLevelNames[level]);
    lua_insert(L, -2);
    lua_rawset(L, -3);
  }
  return 1;
}

}  // namespace luasys::detail

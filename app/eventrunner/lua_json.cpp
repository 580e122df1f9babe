#include "lua_json.h"

#include <cmath>
#include <cstdio>
#include <string>

namespace er::cli {

namespace {

// The registry key of the array marker metatable (its address is the key).
const char kArrayMarkerKey = 0;

bool nests_too_deep(const nlohmann::json& value, int depth) {
  if (depth > kMaxJsonDepth) return true;
  if (value.is_array()) {
    for (const nlohmann::json& item : value.get_ref<const nlohmann::json::array_t&>()) {
      if (nests_too_deep(item, depth + 1)) return true;
    }
  } else if (value.is_object()) {
    for (const auto& entry : value.get_ref<const nlohmann::json::object_t&>()) {
      if (nests_too_deep(entry.second, depth + 1)) return true;
    }
  }
  return false;
}

void push_value(lua_State* L, const nlohmann::json& value);

void push_array(lua_State* L, const nlohmann::json::array_t& array) {
  lua_createtable(L, static_cast<int>(array.size()), 0);
  lua_Integer index = 1;
  for (const nlohmann::json& item : array) {
    push_value(L, item);
    lua_rawseti(L, -2, index++);
  }
  push_array_marker(L);
  lua_setmetatable(L, -2);
}

void push_object(lua_State* L, const nlohmann::json::object_t& object) {
  lua_createtable(L, 0, static_cast<int>(object.size()));
  for (const auto& entry : object) {
    lua_pushlstring(L, entry.first.data(), entry.first.size());
    push_value(L, entry.second);
    lua_rawset(L, -3);
  }
}

// Every level pushes at most three slots (table, key, value); the depth is bounded,
// so one check before the walk covers it.
void push_value(lua_State* L, const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::boolean: lua_pushboolean(L, value.get<bool>() ? 1 : 0); return;
    case nlohmann::json::value_t::number_integer: lua_pushinteger(L, value.get<std::int64_t>()); return;
    case nlohmann::json::value_t::number_unsigned: {
      const std::uint64_t number = value.get<std::uint64_t>();
      if (number <= static_cast<std::uint64_t>(LUA_MAXINTEGER)) {
        lua_pushinteger(L, static_cast<lua_Integer>(number));
      } else {
        lua_pushnumber(L, static_cast<lua_Number>(number));
      }
      return;
    }
    case nlohmann::json::value_t::number_float: lua_pushnumber(L, value.get<double>()); return;
    case nlohmann::json::value_t::string: {
      const auto& text = value.get_ref<const std::string&>();
      lua_pushlstring(L, text.data(), text.size());
      return;
    }
    case nlohmann::json::value_t::array: push_array(L, value.get_ref<const nlohmann::json::array_t&>()); return;
    case nlohmann::json::value_t::object: push_object(L, value.get_ref<const nlohmann::json::object_t&>()); return;
    default: lua_pushlightuserdata(L, nullptr); return;  // null, binary, discarded.
  }
}

// ---- Lua to JSON -------------------------------------------------------------------

nlohmann::json value_at(lua_State* L, int index, int depth);

bool has_array_marker(lua_State* L, int index) {
  if (lua_getmetatable(L, index) == 0) return false;
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kArrayMarkerKey);
  const bool marked = lua_rawequal(L, -1, -2) != 0;
  lua_pop(L, 2);
  return marked;
}

// True when the table's keys are exactly 1..n with n > 0.
bool is_sequence(lua_State* L, int index) {
  const lua_Unsigned length = lua_rawlen(L, index);
  if (length == 0) return false;
  lua_Unsigned count = 0;
  lua_pushnil(L);
  while (lua_next(L, index) != 0) {
    lua_pop(L, 1);
    if (++count > length) {
      lua_pop(L, 1);
      return false;
    }
  }
  return count == length;
}

// A key as text without asking Lua to convert (which could raise).
std::string key_text(lua_State* L, int index) {
  switch (lua_type(L, index)) {
    case LUA_TSTRING: {
      std::size_t size = 0;
      const char* text = lua_tolstring(L, index, &size);
      return {text, size};
    }
    case LUA_TNUMBER: {
      char buffer[64];
      if (lua_isinteger(L, index) != 0) {
        std::snprintf(buffer, sizeof buffer, "%lld", static_cast<long long>(lua_tointeger(L, index)));
      } else {
        std::snprintf(buffer, sizeof buffer, "%.17g", lua_tonumber(L, index));
      }
      return buffer;
    }
    case LUA_TBOOLEAN: return lua_toboolean(L, index) != 0 ? "true" : "false";
    default: return lua_typename(L, lua_type(L, index));
  }
}

nlohmann::json table_at(lua_State* L, int index, int depth) {
  if (depth > kMaxJsonDepth || lua_checkstack(L, 4) == 0) return nullptr;
  if (has_array_marker(L, index) || is_sequence(L, index)) {
    nlohmann::json array = nlohmann::json::array();
    const lua_Unsigned length = lua_rawlen(L, index);
    for (lua_Unsigned i = 1; i <= length; ++i) {
      lua_rawgeti(L, index, static_cast<lua_Integer>(i));
      array.push_back(value_at(L, lua_gettop(L), depth + 1));
      lua_pop(L, 1);
    }
    return array;
  }
  nlohmann::json object = nlohmann::json::object();
  lua_pushnil(L);
  while (lua_next(L, index) != 0) {
    object[key_text(L, -2)] = value_at(L, lua_gettop(L), depth + 1);
    lua_pop(L, 1);
  }
  return object;
}

nlohmann::json number_at(lua_State* L, int index) {
  if (lua_isinteger(L, index) != 0) return static_cast<std::int64_t>(lua_tointeger(L, index));
  const double number = lua_tonumber(L, index);
  if (!std::isfinite(number)) return nullptr;
  return number;
}

nlohmann::json value_at(lua_State* L, int index, int depth) {
  switch (lua_type(L, index)) {
    case LUA_TBOOLEAN: return lua_toboolean(L, index) != 0;
    case LUA_TNUMBER: return number_at(L, index);
    case LUA_TSTRING: return key_text(L, index);
    case LUA_TTABLE: return table_at(L, index, depth);
    case LUA_TNIL: return nullptr;
    case LUA_TLIGHTUSERDATA:
      if (lua_touserdata(L, index) == nullptr) return nullptr;
      [[fallthrough]];
    default: return lua_typename(L, lua_type(L, index));
  }
}

}  // namespace

void push_array_marker(lua_State* L) {
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &kArrayMarkerKey) != LUA_TNIL) return;
  lua_pop(L, 1);
  lua_createtable(L, 0, 1);
  lua_pushliteral(L, "array");
  lua_setfield(L, -2, "__name");
  lua_pushvalue(L, -1);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kArrayMarkerKey);
}

bool push_json(lua_State* L, const nlohmann::json& value) {
  if (nests_too_deep(value, 0)) return false;
  luaL_checkstack(L, 3 * (kMaxJsonDepth + 2), "JSON value");
  push_value(L, value);
  return true;
}

nlohmann::json to_json(lua_State* L, int index) { return value_at(L, lua_absindex(L, index), 0); }

}  // namespace er::cli

// The `api` table of er.control (api_bridge.h). Each function has the bridge as upvalue
// 1 and keeps the longjmp rule of luabind/runtime.h: arguments are checked first, and
// no C++ object with a destructor is alive on the C stack while Lua may raise (values
// that need one live in a userdata with a __gc, or are built after the last raise).

#include <new>
#include <utility>

#include "api_bridge.h"
#include "lua_json.h"

namespace er::cli {

namespace {

ApiBridge& bridge_of(lua_State* L) { return *static_cast<ApiBridge*>(lua_touserdata(L, lua_upvalueindex(1))); }

std::uint64_t id_at(lua_State* L, int index) { return static_cast<std::uint64_t>(luaL_checkinteger(L, index)); }

// An empty request in a userdata (with a __gc), made before the request is taken, so a
// memory error while it is copied into Lua frees it.
http::Request* new_held_request(lua_State* L) {
  void* memory = lua_newuserdatauv(L, sizeof(http::Request), 0);
  auto* held = new (memory) http::Request();
  lua_createtable(L, 0, 1);
  lua_pushcfunction(L, [](lua_State* state) -> int {
    static_cast<http::Request*>(lua_touserdata(state, 1))->~Request();
    return 0;
  });
  lua_setfield(L, -2, "__gc");
  lua_setmetatable(L, -2);
  return held;
}

void set_string(lua_State* L, const char* name, const std::string& value) {
  lua_pushlstring(L, value.data(), value.size());
  lua_setfield(L, -2, name);
}

void push_query(lua_State* L, const http::Request& request) {
  lua_createtable(L, 0, static_cast<int>(request.query.size()));
  for (const auto& [key, value] : request.query) {
    lua_pushlstring(L, key.data(), key.size());
    lua_pushlstring(L, value.data(), value.size());
    lua_rawset(L, -3);
  }
  lua_setfield(L, -2, "query");
}

// take(id) -> {method=, path=, query={}, body=, peer=} | nil (the client went away).
int lua_take(lua_State* L) {
  const std::uint64_t id = id_at(L, 1);
  http::Request* request = new_held_request(L);
  if (!bridge_of(L).take(id, *request)) {
    lua_pushnil(L);
    return 1;
  }
  lua_createtable(L, 0, 5);
  set_string(L, "method", request->method);
  set_string(L, "path", request->path);
  set_string(L, "peer", request->peer);
  push_query(L, *request);
  if (!request->body.is_null()) {
    push_json(L, request->body);  // The server refused deeper nesting already.
    lua_setfield(L, -2, "body");
  }
  return 1;
}

// reply(id, status, body)
int lua_reply(lua_State* L) {
  const std::uint64_t id = id_at(L, 1);
  const auto status = static_cast<int>(luaL_checkinteger(L, 2));
  luaL_checkany(L, 3);
  bridge_of(L).reply(id, status, to_json(L, 3));  // Nothing raises from here on.
  return 0;
}

// reply_text(id, status, text, content_type)
int lua_reply_text(lua_State* L) {
  const std::uint64_t id = id_at(L, 1);
  const auto status = static_cast<int>(luaL_checkinteger(L, 2));
  std::size_t text_size = 0;
  std::size_t type_size = 0;
  const char* text = luaL_checklstring(L, 3, &text_size);
  const char* type = luaL_checklstring(L, 4, &type_size);
  bridge_of(L).reply_text(id, status, std::string(text, text_size), std::string(type, type_size));
  return 0;
}

// publish(kind, match_text, body)
int lua_publish(lua_State* L) {
  std::size_t kind_size = 0;
  std::size_t match_size = 0;
  const char* kind = luaL_checklstring(L, 1, &kind_size);
  const char* match = luaL_checklstring(L, 2, &match_size);
  luaL_checkany(L, 3);
  bridge_of(L).publish(std::string(kind, kind_size), std::string(match, match_size), to_json(L, 3));
  return 0;
}

// streaming() -> whether any WebSocket stream is open.
int lua_streaming(lua_State* L) {
  lua_pushboolean(L, bridge_of(L).has_streams() ? 1 : 0);
  return 1;
}

// array(t) -> t, marked to be written as a JSON array even when empty.
int lua_array(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  push_array_marker(L);
  lua_setmetatable(L, 1);
  return 1;
}

void set_function(lua_State* L, ApiBridge& bridge, lua_CFunction function, const char* name) {
  lua_pushlightuserdata(L, &bridge);
  lua_pushcclosure(L, function, 1);
  lua_setfield(L, -2, name);
}

}  // namespace

void ApiBridge::push_lua(lua_State* L) {
  lua_createtable(L, 0, 7);
  set_function(L, *this, lua_take, "take");
  set_function(L, *this, lua_reply, "reply");
  set_function(L, *this, lua_reply_text, "reply_text");
  set_function(L, *this, lua_publish, "publish");
  set_function(L, *this, lua_streaming, "streaming");
  lua_pushcfunction(L, lua_array);
  lua_setfield(L, -2, "array");
  lua_pushlightuserdata(L, nullptr);
  lua_setfield(L, -2, "null");
  lua_pushlstring(L, url_.data(), url_.size());
  lua_setfield(L, -2, "url");
}

}  // namespace er::cli

// The Lua side of the client: the transport table er.http attaches. Each function has
// the client as upvalue 1 and keeps the longjmp rule of luabind/runtime.h: everything
// is read from Lua (as pointers into strings the spec table keeps alive) before any
// C++ object with a destructor exists, and nothing raises after that.

#include <lua.hpp>

#include <new>
#include <optional>

#include "adapters/http_client/client.h"

namespace er::http_client {

namespace {

constexpr int kMaxHeaders = 64;
constexpr int kMaxRecipients = 32;
constexpr int kMaxArguments = 64;

struct Text {
  const char* data = "";
  std::size_t size = 0;
  [[nodiscard]] std::string str() const { return {data, size}; }
};

// What request() read from its spec table, before any C++ object exists.
struct SpecView {
  Text method, url, body, username, password, mail_from;
  Text header_names[kMaxHeaders], header_values[kMaxHeaders];
  int header_count = 0;
  Text mail_to[kMaxRecipients];
  int mail_to_count = 0;
  Text command[kMaxArguments];
  int command_count = 0;
  lua_Integer timeout_ms = 30000, max_bytes = 4 * 1024 * 1024, redirects = 5;
  bool verify = true, starttls = false;
};

HttpClient& client_of(lua_State* L) { return *static_cast<HttpClient*>(lua_touserdata(L, lua_upvalueindex(1))); }

Text text_field(lua_State* L, const char* name, bool required) {
  Text text;
  if (lua_getfield(L, 1, name) == LUA_TSTRING) {
    text.data = lua_tolstring(L, -1, &text.size);
  } else if (required || !lua_isnil(L, -1)) {
    luaL_error(L, "request: '%s' must be a string", name);
  }
  lua_pop(L, 1);  // The table keeps the string alive.
  return text;
}

lua_Integer integer_field(lua_State* L, const char* name, lua_Integer fallback) {
  lua_getfield(L, 1, name);
  const lua_Integer value = lua_isnil(L, -1) ? fallback : luaL_checkinteger(L, -1);
  lua_pop(L, 1);
  return value;
}

bool flag_field(lua_State* L, const char* name, bool fallback) {
  lua_getfield(L, 1, name);
  const bool value = lua_isnil(L, -1) ? fallback : lua_toboolean(L, -1) != 0;
  lua_pop(L, 1);
  return value;
}

// spec.headers: {name = value, ...} with string names and values.
void read_headers(lua_State* L, SpecView& view) {
  if (lua_getfield(L, 1, "headers") != LUA_TTABLE) {
    lua_pop(L, 1);
    return;
  }
  lua_pushnil(L);
  while (lua_next(L, -2) != 0) {
    if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TSTRING) luaL_error(L, "request: headers must be strings");
    if (view.header_count == kMaxHeaders) luaL_error(L, "request: more than %d headers", kMaxHeaders);
    Text& name = view.header_names[view.header_count];
    Text& value = view.header_values[view.header_count++];
    name.data = lua_tolstring(L, -2, &name.size);
    value.data = lua_tolstring(L, -1, &value.size);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

// spec[field]: a list of at most `max` strings, into `out`; their number.
int read_text_list(lua_State* L, const char* field, Text* out, int max) {
  if (lua_getfield(L, 1, field) != LUA_TTABLE) {
    lua_pop(L, 1);
    return 0;
  }
  const lua_Integer count = luaL_len(L, -1);
  if (count > max) luaL_error(L, "request: more than %d elements in '%s'", max, field);
  for (lua_Integer i = 1; i <= count; ++i) {
    if (lua_rawgeti(L, -1, i) != LUA_TSTRING) luaL_error(L, "request: '%s' must be a list of strings", field);
    Text& text = out[i - 1];
    text.data = lua_tolstring(L, -1, &text.size);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return static_cast<int>(count);
}

void read_spec(lua_State* L, SpecView& view) {
  luaL_checktype(L, 1, LUA_TTABLE);
  view.command_count = read_text_list(L, "command", view.command, kMaxArguments);
  view.method = text_field(L, "method", true);
  view.url = text_field(L, "url", view.command_count == 0);
  view.body = text_field(L, "body", false);
  view.username = text_field(L, "username", false);
  view.password = text_field(L, "password", false);
  view.mail_from = text_field(L, "mail_from", false);
  view.timeout_ms = integer_field(L, "timeout_ms", view.timeout_ms);
  view.max_bytes = integer_field(L, "max_bytes", view.max_bytes);
  view.redirects = integer_field(L, "redirects", view.redirects);
  view.verify = flag_field(L, "verify", view.verify);
  view.starttls = flag_field(L, "starttls", view.starttls);
  read_headers(L, view);
  view.mail_to_count = read_text_list(L, "mail_to", view.mail_to, kMaxRecipients);
  if (view.timeout_ms < 1 || view.max_bytes < 0 || view.redirects < 0) {
    luaL_error(L, "request: timeout_ms must be positive, max_bytes and redirects not negative");
  }
}

Request request_of(const SpecView& view) {
  Request request;
  request.method = view.method.str();
  request.url = view.url.str();
  request.body = view.body.str();
  request.username = view.username.str();
  request.password = view.password.str();
  request.mail_from = view.mail_from.str();
  for (int i = 0; i < view.header_count; ++i) {
    request.headers.emplace_back(view.header_names[i].str(), view.header_values[i].str());
  }
  for (int i = 0; i < view.mail_to_count; ++i) request.mail_to.push_back(view.mail_to[i].str());
  for (int i = 0; i < view.command_count; ++i) request.command.push_back(view.command[i].str());
  request.timeout_ms = static_cast<long>(view.timeout_ms);
  request.max_body_bytes = static_cast<std::size_t>(view.max_bytes);
  request.max_redirects = static_cast<long>(view.redirects);
  request.verify_tls = view.verify;
  request.mail_starttls = view.starttls;
  return request;
}

// request(spec) -> id. spec: method, url, body, headers, username, password, timeout_ms,
// max_bytes, redirects, verify; for mail mail_from, mail_to, starttls; for a command
// `command` (program and arguments) instead of url.
int submit_request(lua_State* L) {
  SpecView view;
  read_spec(L, view);
  std::uint64_t id = 0;
  id = client_of(L).submit(request_of(view));
  lua_pushinteger(L, static_cast<lua_Integer>(id));
  return 1;
}

// Pushes the three results of take(): status, body, headers (or nil, error). Only Lua
// allocation may fail here, after the response is stored in the caller's frame.
int push_response(lua_State* L, const Response& response) {
  if (!response.error.empty()) {
    lua_pushnil(L);
    lua_pushlstring(L, response.error.data(), response.error.size());
    return 2;
  }
  lua_pushinteger(L, response.status);
  lua_pushlstring(L, response.body.data(), response.body.size());
  lua_createtable(L, 0, static_cast<int>(response.headers.size()));
  for (const auto& [name, value] : response.headers) {
    lua_pushlstring(L, value.data(), value.size());
    lua_setfield(L, -2, name.c_str());
  }
  return 3;
}

// take(id) -> status, body, headers | nil, error | false (still running). The response
// moves into a Lua userdata first so no C++ object is on this frame while Lua allocates.
int take_result(lua_State* L) {
  const lua_Integer id = luaL_checkinteger(L, 1);
  auto* slot = static_cast<Response*>(lua_newuserdatauv(L, sizeof(Response), 0));
  std::optional<Response> response = client_of(L).take(static_cast<std::uint64_t>(id));
  if (!response) {
    lua_pushboolean(L, 0);
    return 1;
  }
  new (slot) Response(std::move(*response));
  response.reset();
  const int results = push_response(L, *slot);
  slot->~Response();
  return results;
}

void set_count(lua_State* L, const char* name, std::uint64_t value) {
  lua_pushinteger(L, static_cast<lua_Integer>(value));
  lua_setfield(L, -2, name);
}

int stats(lua_State* L) {
  const HttpClient::Counters counters = client_of(L).counters();
  lua_createtable(L, 0, 3);
  set_count(L, "requests", counters.requests);
  set_count(L, "failures", counters.failures);
  set_count(L, "in_flight", counters.in_flight);
  return 1;
}

void set_function(lua_State* L, HttpClient& client, lua_CFunction function, const char* name) {
  lua_pushlightuserdata(L, &client);
  lua_pushcclosure(L, function, 1);
  lua_setfield(L, -2, name);
}

}  // namespace

void HttpClient::push_transport(lua_State* L) {
  lua_createtable(L, 0, 3);
  set_function(L, *this, submit_request, "request");
  set_function(L, *this, take_result, "take");
  set_function(L, *this, stats, "stats");
}

}  // namespace er::http_client

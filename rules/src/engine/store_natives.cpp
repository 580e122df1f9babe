// State store natives (docs/engine-internals.md §2.4, §4.4): the Lua side (er/store.lua)
// reaches EngineContext::store through these. Values cross as the text er/serial.lua
// writes; the store never interprets them.
//
//   native.store_load() -> {globals = {name = text}, devices = {[idtext] = {prop = text}},
//                           rules = {identity = bool},
//                           rule_errors = {identity = {message =, hash =}},
//                           traces = {identity = {outcome = text}},
//                           device_changed = {[idtext] = {prop = ms}},
//                           info = {key = text}} | nil, error
//   native.store_put_global(name, text | nil) -> true | nil, error   (nil deletes)
//   native.store_put_devices({idtext1, property1, text1, changed_ms1, idtext2, ...})
//                                                   -> true | nil, error (changed 0: not known)
//   native.store_put_rule(identity, enabled) -> true | nil, error
//   native.store_put_rule_error(identity, message, hash) -> true | nil, error
//   native.store_erase_rule_error(identity) -> true | nil, error
//   native.store_erase_rule(identity) -> true | nil, error     (its flag and its error)
//   native.store_put_traces({identity1, outcome1, text1, ...}) -> true | nil, error
//                                                   (one transaction, docs/traces.md)
//   native.store_put_info({key1, text1, key2, text2, ...}) -> true | nil, error
//                                                   (one transaction; "" erases the key)
//
// Each put returns after the store made the write durable against the process being
// killed, so Lua may acknowledge the write as soon as it returns. store_put_devices
// writes one flush of device state as one atomic batch.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "natives.h"

namespace er::detail {

namespace {

std::string_view check_text(lua_State* L, int index) {
  size_t length = 0;
  const char* text = luaL_checklstring(L, index, &length);
  return {text, length};
}

void push_text(lua_State* L, const std::string& text) {
  lua_pushlstring(L, text.data(), text.size());
}

// The result of a put: true, or nil and the store's error. The error text is boxed so
// that an allocation failure while pushing it cannot skip its destructor.
int put_result(lua_State* L, StateStore& store, bool ok) {
  if (ok) {
    lua_pushboolean(L, 1);
    return 1;
  }
  const std::string& error = push_boxed(L, [&] { return store.last_error(); });
  lua_pushnil(L);
  push_text(L, error);
  return 2;
}

// Pushes {key = text} for a map of texts.
template <class Map>
void push_text_table(lua_State* L, const Map& texts) {
  lua_createtable(L, 0, static_cast<int>(texts.size()));
  for (const auto& [key, text] : texts) {
    push_text(L, key);
    push_text(L, text);
    lua_rawset(L, -3);
  }
}

// Pushes the loaded state as the table store_load returns; `state` is boxed below it.
void push_state(lua_State* L, const StoredState& state) {
  lua_createtable(L, 0, 3);
  push_text_table(L, state.globals);
  lua_setfield(L, -2, "globals");
  lua_createtable(L, 0, static_cast<int>(state.devices.size()));
  for (const auto& [device, properties] : state.devices) {
    push_text(L, device);
    push_text_table(L, properties);
    lua_rawset(L, -3);
  }
  lua_setfield(L, -2, "devices");
  lua_createtable(L, 0, static_cast<int>(state.rules_enabled.size()));
  for (const auto& [rule, enabled] : state.rules_enabled) {
    push_text(L, rule);
    lua_pushboolean(L, enabled ? 1 : 0);
    lua_rawset(L, -3);
  }
  lua_setfield(L, -2, "rules");
  lua_createtable(L, 0, static_cast<int>(state.rule_errors.size()));
  for (const auto& [rule, error] : state.rule_errors) {
    push_text(L, rule);
    lua_createtable(L, 0, 2);
    push_text(L, error.message);
    lua_setfield(L, -2, "message");
    push_text(L, error.source_hash);
    lua_setfield(L, -2, "hash");
    lua_rawset(L, -3);
  }
  lua_setfield(L, -2, "rule_errors");
  lua_createtable(L, 0, static_cast<int>(state.traces.size()));
  for (const auto& [rule, lists] : state.traces) {
    push_text(L, rule);
    push_text_table(L, lists);
    lua_rawset(L, -3);
  }
  lua_setfield(L, -2, "traces");
  lua_createtable(L, 0, static_cast<int>(state.device_changed.size()));
  for (const auto& [device, times] : state.device_changed) {
    push_text(L, device);
    lua_createtable(L, 0, static_cast<int>(times.size()));
    for (const auto& [property, ms] : times) {
      push_text(L, property);
      lua_pushinteger(L, static_cast<lua_Integer>(ms));
      lua_rawset(L, -3);
    }
    lua_rawset(L, -3);
  }
  lua_setfield(L, -2, "device_changed");
  push_text_table(L, state.info);
  lua_setfield(L, -2, "info");
}

int store_load(lua_State* L) {
  StateStore& store = *context_of(L).store;
  StoredState& state = push_boxed(L, [] { return StoredState{}; });
  if (!store.load(state)) return put_result(L, store, false);
  push_state(L, state);
  return 1;
}

int store_put_global(lua_State* L) {
  StateStore& store = *context_of(L).store;
  const std::string_view name = check_text(L, 1);
  if (lua_isnoneornil(L, 2)) return put_result(L, store, store.erase_global(name));
  const std::string_view value = check_text(L, 2);
  return put_result(L, store, store.put_global(name, value));
}

// The batch's length after checking that it holds strings in groups of `group`
// (`integer_last`: the last of each group is an integer); raises otherwise. All checks
// come before any C++ object exists (a Lua error unwinds with longjmp).
lua_Integer check_batch(lua_State* L, lua_Integer group, bool integer_last) {
  luaL_checktype(L, 1, LUA_TTABLE);
  const lua_Integer length = static_cast<lua_Integer>(lua_rawlen(L, 1));
  luaL_argcheck(L, length % group == 0, 1, "expected groups of strings");
  for (lua_Integer i = 1; i <= length; ++i) {
    const bool integer = integer_last && i % group == 0;
    lua_rawgeti(L, 1, i);
    const bool fits = integer ? lua_isinteger(L, -1) != 0 : lua_type(L, -1) == LUA_TSTRING;
    lua_pop(L, 1);
    if (!fits) luaL_argerror(L, 1, integer ? "expected an integer change time" : "expected strings");
  }
  return length;
}

lua_Integer check_device_batch(lua_State* L) { return check_batch(L, 3, false); }

// The texts stay alive while the batch table (argument 1) holds them, which it does
// until this function returns, so the batch borrows them.
std::string_view text_at(lua_State* L, lua_Integer index) {
  lua_rawgeti(L, 1, index);
  size_t length = 0;
  const char* text = lua_tolstring(L, -1, &length);
  lua_pop(L, 1);
  return {text, length};
}

int store_put_devices(lua_State* L) {
  StateStore& store = *context_of(L).store;
  const lua_Integer length = check_batch(L, 4, true);
  auto& batch = push_boxed(L, [] { return std::vector<DeviceProperty>{}; });
  batch.reserve(static_cast<std::size_t>(length / 4));
  for (lua_Integer i = 1; i <= length; i += 4) {
    lua_rawgeti(L, 1, i + 3);
    const std::int64_t changed = lua_tointeger(L, -1);
    lua_pop(L, 1);
    batch.push_back({text_at(L, i), text_at(L, i + 1), text_at(L, i + 2), changed});
  }
  return put_result(L, store, store.put_device_properties(batch));
}

// The trace batch has the device batch's shape: identity, outcome, text, ...
int store_put_traces(lua_State* L) {
  StateStore& store = *context_of(L).store;
  const lua_Integer length = check_device_batch(L);
  auto& batch = push_boxed(L, [] { return std::vector<TraceList>{}; });
  batch.reserve(static_cast<std::size_t>(length / 3));
  for (lua_Integer i = 1; i <= length; i += 3) {
    batch.push_back({text_at(L, i), text_at(L, i + 1), text_at(L, i + 2)});
  }
  return put_result(L, store, store.put_traces(batch));
}

// The notes batch: key, text, key, text, ...
int store_put_info(lua_State* L) {
  StateStore& store = *context_of(L).store;
  const lua_Integer length = check_batch(L, 2, false);
  auto& batch = push_boxed(L, [] { return std::vector<InfoEntry>{}; });
  batch.reserve(static_cast<std::size_t>(length / 2));
  for (lua_Integer i = 1; i <= length; i += 2) batch.push_back({text_at(L, i), text_at(L, i + 1)});
  return put_result(L, store, store.put_info(batch));
}

int store_put_rule(lua_State* L) {
  StateStore& store = *context_of(L).store;
  const std::string_view rule = check_text(L, 1);
  luaL_checktype(L, 2, LUA_TBOOLEAN);
  return put_result(L, store, store.put_rule_enabled(rule, lua_toboolean(L, 2) != 0));
}

int store_put_rule_error(lua_State* L) {
  StateStore& store = *context_of(L).store;
  const std::string_view rule = check_text(L, 1);
  const std::string_view message = check_text(L, 2);
  const std::string_view hash = check_text(L, 3);
  return put_result(L, store, store.put_rule_error(rule, message, hash));
}

int store_erase_rule_error(lua_State* L) {
  StateStore& store = *context_of(L).store;
  return put_result(L, store, store.erase_rule_error(check_text(L, 1)));
}

int store_erase_rule(lua_State* L) {
  StateStore& store = *context_of(L).store;
  return put_result(L, store, store.erase_rule(check_text(L, 1)));
}

const luaL_Reg kStoreNatives[] = {
    {"store_load", store_load},
    {"store_put_global", store_put_global},
    {"store_put_devices", store_put_devices},
    {"store_put_traces", store_put_traces},
    {"store_put_info", store_put_info},
    {"store_put_rule", store_put_rule},
    {"store_put_rule_error", store_put_rule_error},
    {"store_erase_rule_error", store_erase_rule_error},
    {"store_erase_rule", store_erase_rule},
    {nullptr, nullptr},
};

}  // namespace

void open_store_natives(lua_State* L, EngineContext& context) {
  register_natives(L, context, kStoreNatives);
}

}  // namespace er::detail

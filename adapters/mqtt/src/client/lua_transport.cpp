// The Lua side of the bridge: the transport table er.mqtt.attach takes. Each function
// has the bridge as upvalue 1 and keeps the longjmp rule of luabind/runtime.h:
// arguments are checked first, and no C++ object with a destructor is alive on the C
// stack while anything may raise.

#include <lua.hpp>

#include "adapters/mqtt/bridge.h"

namespace er::mqtt {

namespace {

MqttBridge& bridge_of(lua_State* L) {
  return *static_cast<MqttBridge*>(lua_touserdata(L, lua_upvalueindex(1)));
}

// publish(topic, payload, qos, retain) -> sent
int publish(lua_State* L) {
  std::size_t topic_size = 0;
  std::size_t payload_size = 0;
  const char* topic = luaL_checklstring(L, 1, &topic_size);
  const char* payload = luaL_checklstring(L, 2, &payload_size);
  const auto qos = static_cast<int>(luaL_optinteger(L, 3, 1));
  const bool retain = lua_toboolean(L, 4) != 0;
  bool sent = false;
  {
    const Publish message{std::string(topic, topic_size), std::string(payload, payload_size), qos, retain};
    sent = bridge_of(L).publish_from_lua(message);
  }
  lua_pushboolean(L, sent ? 1 : 0);
  return 1;
}

// subscribe(filter) / unsubscribe(filter)
int subscribe(lua_State* L) {
  const char* filter = luaL_checkstring(L, 1);
  bridge_of(L).add_lua_filter(filter);
  return 0;
}

int unsubscribe(lua_State* L) {
  const char* filter = luaL_checkstring(L, 1);
  bridge_of(L).remove_lua_filter(filter);
  return 0;
}

// sync(limit_ms) -> the retained messages arrived; discovered(), held() -> JSON text
int sync(lua_State* L) {
  const lua_Integer limit = luaL_checkinteger(L, 1);
  lua_pushboolean(L, bridge_of(L).wait_initial_sync(static_cast<long>(limit)) ? 1 : 0);
  return 1;
}

int held(lua_State* L) {
  const std::string& text = bridge_of(L).held_json();  // The bridge keeps the text.
  lua_pushlstring(L, text.data(), text.size());
  return 1;
}

int discovered(lua_State* L) {
  const std::string& text = bridge_of(L).discovered_json();  // The bridge keeps the text.
  lua_pushlstring(L, text.data(), text.size());
  return 1;
}

void set_count(lua_State* L, const char* name, std::uint64_t value) {
  lua_pushinteger(L, static_cast<lua_Integer>(value));
  lua_setfield(L, -2, name);
}

// stats() -> {connected = 0|1, messages_received, messages_sent, reconnects,
// dropped_payloads}: the bridge's counters for er.metrics.
int stats(lua_State* L) {
  const MqttBridge::Counters counters = bridge_of(L).counters();
  lua_createtable(L, 0, 5);
  set_count(L, "connected", counters.connected ? 1 : 0);
  set_count(L, "messages_received", counters.messages_received);
  set_count(L, "messages_sent", counters.messages_sent);
  set_count(L, "reconnects", counters.reconnects);
  set_count(L, "dropped_payloads", counters.dropped_payloads);
  return 1;
}

void set_function(lua_State* L, MqttBridge& bridge, lua_CFunction function, const char* name) {
  lua_pushlightuserdata(L, &bridge);
  lua_pushcclosure(L, function, 1);
  lua_setfield(L, -2, name);
}

void set_flag(lua_State* L, const char* name, bool value) {
  lua_pushboolean(L, value ? 1 : 0);
  lua_setfield(L, -2, name);
}

void set_text(lua_State* L, const char* name, const std::string& value) {
  lua_pushlstring(L, value.data(), value.size());
  lua_setfield(L, -2, name);
}

}  // namespace

void MqttBridge::push_transport(lua_State* L) {
  lua_createtable(L, 0, 7);
  set_function(L, *this, publish, "publish");
  set_function(L, *this, subscribe, "subscribe");
  set_function(L, *this, unsubscribe, "unsubscribe");
  set_function(L, *this, sync, "sync");
  set_function(L, *this, discovered, "discovered");
  set_function(L, *this, held, "held");
  set_function(L, *this, stats, "stats");
  push_device_backend_sender(L, *this);
  lua_setfield(L, -2, "send");
  lua_createtable(L, 0, 7);
  set_text(L, "base_topic", config_.base_topic);
  set_text(L, "controller", config_.controller);
  set_text(L, "status_topic", status_topic_);
  set_text(L, "homeassistant_prefix", config_.router.homeassistant_prefix);
  set_flag(L, "globals", config_.publish_globals);
  set_flag(L, "rules", config_.publish_rules);
  set_flag(L, "homeassistant", config_.publish_homeassistant);
  lua_setfield(L, -2, "options");
}

}  // namespace er::mqtt

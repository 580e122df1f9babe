// The native bridge between real device backends (rules/device_backend.h) and the
// device layer in Lua (er/devices.lua): attaching a backend installs a Lua closure that
// converts an action request to a DeviceAction and calls the backend; a DeviceReporter
// posts "er.device" bus messages that er.devices applies on the loop thread.

#include "rules/device_backend.h"

#include <utility>

#include "natives.h"
#include "rules/engine.h"

namespace er {

namespace {

// The bus message id er.devices subscribes to (er/devices.lua M.REPORT_MESSAGE).
constexpr luasys::StaticText kReportMessage{"er.device"};

luasys::Value to_bus_value(const DeviceId& id) {
  if (const auto* number = std::get_if<std::int64_t>(&id)) return *number;
  return std::get<std::string>(id);
}

// A report's value and whether it is JSON text for er.devices to decode.
std::pair<luasys::Value, bool> to_bus_value(const DeviceValue& value) {
  switch (value.index()) {
    case 1:
      return {std::get<bool>(value), false};
    case 2:
      return {std::get<std::int64_t>(value), false};
    case 3:
      return {std::get<double>(value), false};
    case 4:
      return {std::get<std::string>(value), false};
    case 5:
      return {std::get<JsonText>(value).text, true};
    default:
      return {std::monostate{}, false};
  }
}

// Reads argument i of an action request (the Lua value on top of the stack).
// Raises for values that cannot leave Lua (functions, userdata).
void read_argument(lua_State* L, int i, bool json, DeviceValue& out) {
  switch (lua_type(L, -1)) {
    case LUA_TNIL:
      out = std::monostate{};
      return;
    case LUA_TBOOLEAN:
      out = lua_toboolean(L, -1) != 0;
      return;
    case LUA_TNUMBER:
      if (lua_isinteger(L, -1) != 0) {
        out = static_cast<std::int64_t>(lua_tointeger(L, -1));
      } else {
        out = static_cast<double>(lua_tonumber(L, -1));
      }
      return;
    case LUA_TSTRING: {
      std::size_t size = 0;
      const char* text = lua_tolstring(L, -1, &size);
      if (json) {
        out = JsonText{std::string(text, size)};
      } else {
        out = std::string(text, size);
      }
      return;
    }
    default:
      luaL_error(L, "device action argument %d: a %s cannot be sent to a device", i,
                 luaL_typename(L, -1));
  }
}

// send(id, action, args, n, json_mask): upvalue 1 is the DeviceBackend. The request is
// built inside a Lua userdata (push_boxed), so a Lua error cannot leak it.
int send_to_backend(lua_State* L) {
  auto* backend = static_cast<DeviceBackend*>(lua_touserdata(L, lua_upvalueindex(1)));
  const int id_type = lua_type(L, 1);
  if (!(id_type == LUA_TSTRING || (id_type == LUA_TNUMBER && lua_isinteger(L, 1) != 0))) {
    return luaL_argerror(L, 1, "device id expected");
  }
  luaL_checkstring(L, 2);
  luaL_checktype(L, 3, LUA_TTABLE);
  const lua_Integer count = luaL_checkinteger(L, 4);
  const lua_Integer json_mask = luaL_checkinteger(L, 5);
  auto& request = detail::push_boxed(L, [] { return DeviceAction{}; });
  std::size_t size = 0;
  const char* text = lua_tolstring(L, 2, &size);
  request.action.assign(text, size);
  if (id_type == LUA_TSTRING) {
    text = lua_tolstring(L, 1, &size);
    request.device = std::string(text, size);
  } else {
    request.device = static_cast<std::int64_t>(lua_tointeger(L, 1));
  }
  request.args.resize(static_cast<std::size_t>(count < 0 ? 0 : count));
  for (lua_Integer i = 1; i <= count; ++i) {
    lua_rawgeti(L, 3, i);
    const bool json = i <= 63 && ((json_mask >> (i - 1)) & 1) != 0;
    read_argument(L, static_cast<int>(i), json, request.args[static_cast<std::size_t>(i - 1)]);
    lua_pop(L, 1);
  }
  backend->perform(request);
  return 0;
}

// Pushes require("er.engine").E.devices[field].
void push_devices_function(lua_State* L, const char* field) {
  lua_getglobal(L, "require");
  lua_pushliteral(L, "er.engine");
  lua_call(L, 1, 1);
  lua_getfield(L, -1, "E");
  lua_getfield(L, -1, "devices");
  lua_getfield(L, -1, field);
  lua_replace(L, -4);
  lua_pop(L, 2);
}

// attach(name, backend lightuserdata), run in protected mode.
int attach_protected(lua_State* L) {
  push_devices_function(L, "attach_backend");
  lua_pushvalue(L, 1);
  lua_pushvalue(L, 2);
  lua_pushcclosure(L, send_to_backend, 1);
  lua_call(L, 2, 0);
  return 0;
}

// detach(name), run in protected mode.
int detach_protected(lua_State* L) {
  push_devices_function(L, "detach_backend");
  lua_pushvalue(L, 1);
  lua_call(L, 1, 0);
  return 0;
}

bool call_on_loop(Engine& engine, lua_CFunction function, std::string_view name,
                  DeviceBackend* backend, std::string* error) {
  if (!engine.ok()) {
    if (error != nullptr) *error = engine.boot_error();
    return false;
  }
  lua_State* L = engine.lua();
  lua_pushcfunction(L, function);
  lua_pushlstring(L, name.data(), name.size());
  int nargs = 1;
  if (backend != nullptr) {
    lua_pushlightuserdata(L, backend);
    nargs = 2;
  }
  const luasys::CallResult result = engine.runtime().call(nargs);
  if (result.status == luasys::CallResult::Status::Error) {
    if (error != nullptr) *error = result.message;
    return false;
  }
  return true;
}

}  // namespace

// The kind er.devices dispatches on (devices.lua D.apply_report).
luasys::StaticText DeviceReporter::kind_text(Kind kind, bool json) {
  return detail::kReportKinds[2 * static_cast<int>(kind) + (json ? 1 : 0)];
}

bool DeviceReporter::post(const DeviceId& device, std::string_view property,
                          const DeviceValue& value, Kind kind, luasys::Millis timeout) {
  luasys::Message message;
  message.id = kReportMessage;
  auto [bus_value, json] = to_bus_value(value);
  message.args = {to_bus_value(device), std::string(property), std::move(bus_value),
                  kind_text(kind, json)};
  message.argc = 4;
  if (timeout <= 0) return bus_->try_post(std::move(message));
  return bus_->post(std::move(message), timeout);
}

bool DeviceReporter::report(const DeviceId& device, std::string_view property,
                            const DeviceValue& value, luasys::Millis timeout) {
  return post(device, property, value, Kind::kUpdate, timeout);
}

bool DeviceReporter::emit(const DeviceId& device, std::string_view property,
                          const DeviceValue& value, luasys::Millis timeout) {
  return post(device, property, value, Kind::kEmit, timeout);
}

bool DeviceReporter::restore(const DeviceId& device, std::string_view property,
                             const DeviceValue& value, luasys::Millis timeout) {
  return post(device, property, value, Kind::kRestore, timeout);
}

void push_device_backend_sender(lua_State* L, DeviceBackend& backend) {
  lua_pushlightuserdata(L, &backend);
  lua_pushcclosure(L, send_to_backend, 1);
}

bool attach_device_backend(Engine& engine, std::string_view name, DeviceBackend& backend,
                           std::string* error) {
  return call_on_loop(engine, attach_protected, name, &backend, error);
}

bool detach_device_backend(Engine& engine, std::string_view name, std::string* error) {
  return call_on_loop(engine, detach_protected, name, nullptr, error);
}

}  // namespace er

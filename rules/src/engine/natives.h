#pragma once
// The native half of the engine: C functions the engine's Lua modules reach as fields
// of the table `native` (docs/engine-internals.md §2). Each open_* function adds its
// functions to the table on top of the stack, with the context as upvalue 1.

#include <cstdint>
#include <span>
#include <new>
#include <string>
#include <typeinfo>
#include <utility>

#include <lua.hpp>

#include "core/clock.h"
#include "core/message.h"
#include "luabind/runtime.h"
#include "rules/calendar/sun.h"
#include "rules/calendar/tz.h"
#include "rules/embedded_lua.h"
#include "rules/state_store.h"

namespace er::detail {

/// State shared by the engine's natives. Lives as long as the Engine.
struct EngineContext {
  luasys::Host* host = nullptr;
  luasys::Clock* clock = nullptr;
  luasys::Runtime* runtime = nullptr;
  /// Added to the clock's wall time: test.start{time=...} moves the engine's calendar
  /// without touching the loop clock.
  std::int64_t wall_offset_ms = 0;
  calendar::TimeZone zone;
  calendar::GeoLocation where;
  StateStore* store = nullptr;
  std::uint64_t instruction_budget = 0;
  /// The host's Lua modules (EngineOptions::host_modules).
  std::span<const EmbeddedLuaModule> host_modules;

  [[nodiscard]] std::int64_t epoch_ms() const { return clock->wall_ms() + wall_offset_ms; }
};

/// Fetches the context from upvalue 1 of the running C function.
inline EngineContext& context_of(lua_State* L) {
  return *static_cast<EngineContext*>(lua_touserdata(L, lua_upvalueindex(1)));
}

/// Registers `functions` (null-terminated) into the table on top of the stack, each with
/// the context as its only upvalue.
void register_natives(lua_State* L, EngineContext& context, const luaL_Reg* functions);

/// Pushes a new full userdata holding the T that `make()` returns, with a __gc that
/// runs T's destructor. Natives keep C++ results there while they build Lua values
/// from them, so a Lua error (out of memory) unwinding with longjmp never skips a
/// destructor. The userdata is allocated before `make` runs, so no C++ temporary is
/// alive during the allocation either.
template <class Make>
auto& push_boxed(lua_State* L, Make&& make) {
  using T = decltype(make());
  void* memory = lua_newuserdatauv(L, sizeof(T), 0);
  if (luaL_newmetatable(L, typeid(T).name()) != 0) {
    lua_pushcfunction(L, [](lua_State* state) -> int {
      static_cast<T*>(lua_touserdata(state, 1))->~T();
      return 0;
    });
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  return *new (memory) T(make());
}

void open_core_natives(lua_State* L, EngineContext& context);      // engine_natives.cpp
/// Runs the functions native.at_pass_end queued at the end of each loop pass.
void install_pass_end_hook(EngineContext& context);                // engine_natives.cpp
void open_compiler_natives(lua_State* L, EngineContext& context);  // compiler_natives.cpp
void open_calendar_natives(lua_State* L, EngineContext& context);  // calendar_natives.cpp
void open_store_natives(lua_State* L, EngineContext& context);     // store_natives.cpp
void open_metrics_natives(lua_State* L, EngineContext& context);   // metrics_natives.cpp
void open_device_natives(lua_State* L, EngineContext& context);    // device_report_batch.cpp
/// Makes require("er.json_native") give {encode = ...}, util.json_encode's encoder.
void preload_json_module(lua_State* L);                            // json_encode.cpp

/// The report kinds er.devices applies (D.apply_report), by code: 2 x the kind (update,
/// emit, restore) + 1 when the value is JSON text. Shared by the single reports of
/// DeviceReporter and the batches native.each_report reads.
inline constexpr luasys::StaticText kReportKinds[] = {"update",    "update_json", "emit",
                                                      "emit_json", "restore",     "restore_json"};

}  // namespace er::detail

// Metrics natives (docs/metrics.md): a fine monotonic clock for rule run times, and the
// loop's own figures (bus, Lua heap, loop lag) for the engine-wide metrics.

#include <chrono>

#include "natives.h"

namespace er::detail {

namespace {

// native.monotonic_us() -> integer: real monotonic microseconds from an arbitrary
// origin. Rule run times are real time also on the virtual clock (a run takes no
// simulated time), so they come from here, not from the loop clock. std::chrono's
// steady clock is the port-free way: clock_gettime(CLOCK_MONOTONIC) through the vDSO on
// Linux, esp_timer on ESP-IDF.
int monotonic_us(lua_State* L) {
  const auto since = std::chrono::steady_clock::now().time_since_epoch();
  lua_pushinteger(L, static_cast<lua_Integer>(std::chrono::duration_cast<std::chrono::microseconds>(since).count()));
  return 1;
}

void set_number(lua_State* L, const char* name, lua_Integer value) {
  lua_pushinteger(L, value);
  lua_setfield(L, -2, name);
}

// native.loop_stats() -> {bus_depth, bus_slots, bus_peak, bus_posted, bus_dropped,
// heap_used, heap_max, heap_limit, lag_p50_ms, lag_p99_ms, lag_max_ms, lag_count,
// lag_sum_ms, lag_window}: the figures are read before the table is made, so nothing
// with a destructor is alive while Lua may raise.
int loop_stats(lua_State* L) {
  luasys::Runtime& runtime = *context_of(L).runtime;
  const luasys::BusStats bus = runtime.bus().stats();
  const luasys::MemoryFigures heap = runtime.lua_memory();
  const luasys::LagSummary lag = runtime.loop_lag();
  lua_createtable(L, 0, 14);
  set_number(L, "bus_depth", static_cast<lua_Integer>(bus.used));
  set_number(L, "bus_slots", static_cast<lua_Integer>(bus.slots));
  set_number(L, "bus_peak", static_cast<lua_Integer>(bus.peak));
  set_number(L, "bus_posted", static_cast<lua_Integer>(bus.posted));
  set_number(L, "bus_dropped", static_cast<lua_Integer>(bus.dropped));
  set_number(L, "heap_used", static_cast<lua_Integer>(heap.used));
  set_number(L, "heap_max", static_cast<lua_Integer>(heap.max_used));
  set_number(L, "heap_limit", static_cast<lua_Integer>(heap.total));
  set_number(L, "lag_p50_ms", lag.p50);
  set_number(L, "lag_p99_ms", lag.p99);
  set_number(L, "lag_max_ms", lag.max);
  set_number(L, "lag_count", static_cast<lua_Integer>(lag.count));
  set_number(L, "lag_sum_ms", static_cast<lua_Integer>(lag.sum_ms));
  set_number(L, "lag_window", static_cast<lua_Integer>(lag.window));
  return 1;
}

}  // namespace

void open_metrics_natives(lua_State* L, EngineContext& context) {
  static const luaL_Reg kFunctions[] = {
      {"monotonic_us", monotonic_us}, {"loop_stats", loop_stats}, {nullptr, nullptr}};
  register_natives(L, context, kFunctions);
}

}  // namespace er::detail

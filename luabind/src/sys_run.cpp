// Running the loop (spec §6.1), error and shutdown hooks (§6.3, §6.4), and the `sys`
// module table that gathers every sys_*.cpp group.

#include "lua_util.h"
#include "scheduler.h"

namespace luasys::detail {

namespace {

// sys.run(): runs passes until nothing is left to do. If the run ended by time, a stop
// request or a reboot, the caller (usually the main chunk) must not go on: raise the
// stop sentinel, which the host recognises.
int sys_run(lua_State* L) {
  Scheduler& s = scheduler_of(L);
  const RunResult result = s.run_loop_unprotected(L, s.default_run_options());
  if (result != RunResult::Idle || s.stop_reason() != StopReason::None) return s.raise_stop(L);
  return 0;
}

// sys.safeRun(): one pass (idling until the next deadline when nothing is ready), or
// false at once when nothing is left to do.
int sys_safe_run(lua_State* L) {
  Scheduler& s = scheduler_of(L);
  if (s.loop_running()) return luaL_error(L, "sys.run: already running");
  lua_pushboolean(L, s.run_one_pass(L) ? 1 : 0);
  return 1;
}

int sys_now(lua_State* L) {
  lua_pushinteger(L, scheduler_of(L).now());
  return 1;
}

// sys.onError(handler) -> previous handler (nil for the default report).
int sys_on_error(lua_State* L) {
  Scheduler& s = scheduler_of(L);
  if (!lua_isnoneornil(L, 1)) luaL_checktype(L, 1, LUA_TFUNCTION);
  lua_settop(L, 1);
  s.replace_error_handler(L, 1);
  return 1;
}

int sys_on_shutdown(lua_State* L) {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  scheduler_of(L).add_shutdown_hook(L, 1);
  return 0;
}

const luaL_Reg kRunFunctions[] = {
    {"run", sys_run},          {"safeRun", sys_safe_run},       {"now", sys_now},
    {"onError", sys_on_error}, {"onShutdown", sys_on_shutdown}, {nullptr, nullptr},
};

}  // namespace

int luaopen_sys(lua_State* L) {
  Scheduler* s = scheduler_from_registry(L);
  if (s == nullptr) return luaL_error(L, "sys: no LuaSys runtime in this Lua state");
  lua::new_table(L, 0, 40);
  s->tasks().register_functions(L);
  s->messages().register_functions(L);
  s->timer_part().register_functions(L);
  register_mailbox_functions(L, *s);
  lua_pushlightuserdata(L, s);
  lua::set_functions(L, kRunFunctions, 1);
  return 1;
}

}  // namespace luasys::detail

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
  const RunResult result = s.run_loop_unprotected(L, RunOptions{s.options_.run_until});
  if (result != RunResult::Idle || s.stop_reason_ != StopReason::None) return s.raise_stop(L);
  return 0;
}

// sys.safeRun(): one pass (idling until the next deadline when nothing is ready), or
// false at once when nothing is left to do.
int sys_safe_run(lua_State* L) {
  Scheduler& s = scheduler_of(L);
  if (s.loop_.running()) return luaL_error(L, "sys.run: already running");
  if (s.stop_reason_ != StopReason::None || !s.loop_.has_work()) {
    lua_pushboolean(L, 0);
    return 1;
  }
  s.run_called_ = true;
  lua_State* previous = s.work_;
  s.work_ = L;
  const bool ran = s.loop_.run_pass();
  if (ran && !s.has_ready() && s.messages().queued() == 0 && s.loop_.has_work()) {
    s.clock_.idle_until(s.timers_.next_deadline(), s.port_);
  }
  s.work_ = previous;
  lua_pushboolean(L, ran ? 1 : 0);
  return 1;
}

int sys_now(lua_State* L) {
  lua_pushinteger(L, scheduler_of(L).clock_.now());
  return 1;
}

// sys.onError(handler) -> previous handler (nil for the default report).
int sys_on_error(lua_State* L) {
  Scheduler& s = scheduler_of(L);
  if (!lua_isnoneornil(L, 1)) luaL_checktype(L, 1, LUA_TFUNCTION);
  lua_settop(L, 1);
  if (s.on_error_ref_ == LUA_NOREF) {
    lua_pushnil(L);
  } else {
    lua_rawgeti(L, LUA_REGISTRYINDEX, s.on_error_ref_);
    luaL_unref(L, LUA_REGISTRYINDEX, s.on_error_ref_);
    s.on_error_ref_ = LUA_NOREF;
  }
  if (!lua_isnil(L, 1)) {
    lua_pushvalue(L, 1);
    s.on_error_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
  }
  return 1;
}

int sys_on_shutdown(lua_State* L) {
  Scheduler& s = scheduler_of(L);
  luaL_checktype(L, 1, LUA_TFUNCTION);
  lua_rawgeti(L, LUA_REGISTRYINDEX, s.hooks_ref_);
  lua_pushvalue(L, 1);
  lua_rawseti(L, -2, static_cast<lua_Integer>(lua_rawlen(L, -2)) + 1);
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

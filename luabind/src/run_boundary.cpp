// luasys::protected_runner: xpcall for a host's units of work inside one slice (docs/
// design.md, "The slice watchdog"). The engine runs each rule run through it: the run
// gets a time window of its own, and a runaway interrupt raised inside it ends there,
// as that run's error, instead of unwinding the engine code that called it.

#include "luabind/runtime.h"
#include "scheduler.h"

namespace luasys {

namespace {

// The scheduler a runner was made for (upvalue 2 of both closures), found once when
// the runner is made: a registry lookup per run is a measurable share of a short run.
// Null for a state without a LuaSys scheduler.
detail::Scheduler* runner_scheduler(lua_State* L) {
  return static_cast<detail::Scheduler*>(lua_touserdata(L, lua_upvalueindex(2)));
}

// The message handler: the host's, unless a runaway interrupt is pending, when no Lua
// may run before the boundary (it would be interrupted itself); the error then goes
// out as it is. Upvalue 1: the host's handler.
int boundary_handler(lua_State* L) {
  detail::Scheduler* s = runner_scheduler(L);
  if (s != nullptr && s->slice_watch().pending() != detail::Interrupt::None) return 1;
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

// After the call (also as the continuation of a run that yielded): what follows in the
// enclosing slice gets a window of its own, which also ends an interrupt raised inside.
int finish_run(lua_State* L, int status, lua_KContext base) {
  detail::Scheduler* s = runner_scheduler(L);
  if (s != nullptr && s->slice_watch().pending() != detail::Interrupt::Stop) {
    s->slice_watch().next_slice();
  }
  if (status != LUA_OK && status != LUA_YIELD) {
    lua_pushboolean(L, 0);
    lua_pushvalue(L, -2);
    return 2;
  }
  return lua_gettop(L) - static_cast<int>(base);
}

// A runner: upvalue 1 is the boundary's message handler (boundary_handler closed over
// the host's handler), upvalue 2 the scheduler. run(f, ...) = xpcall(f, handler, ...)
// in a window of its own.
int run_in_boundary(lua_State* L) {
  const int n = lua_gettop(L);
  luaL_checktype(L, 1, LUA_TFUNCTION);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_pushboolean(L, 1);     // The first result when the call succeeds.
  lua_pushvalue(L, 1);       // The function...
  lua_rotate(L, 2, 3);       // ...with the handler and `true` below the arguments.
  lua_remove(L, 1);          // The handler is at 1, `true` at 2, the function at 3.
  detail::Scheduler* s = runner_scheduler(L);
  if (s != nullptr) s->slice_watch().next_slice();
  const int status = lua_pcallk(L, n - 1, LUA_MULTRET, 1, 1, finish_run);
  return finish_run(L, status, 1);
}

}  // namespace

void push_protected_runner(lua_State* L, int handler_index) {
  luaL_checktype(L, handler_index, LUA_TFUNCTION);
  handler_index = lua_absindex(L, handler_index);
  detail::Scheduler* s = detail::scheduler_from_registry(L);
  lua_pushvalue(L, handler_index);
  lua_pushlightuserdata(L, s);
  lua_pushcclosure(L, boundary_handler, 2);
  lua_pushlightuserdata(L, s);
  lua_pushcclosure(L, run_in_boundary, 2);
}

int protected_runner(lua_State* L) {
  push_protected_runner(L, 1);
  return 1;
}

}  // namespace luasys

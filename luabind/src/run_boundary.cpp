// luasys::protected_run: xpcall for a host's units of work inside one slice (docs/
// design.md, "The slice watchdog"). The engine runs each rule run through it: the run
// gets a time window of its own, and a runaway interrupt raised inside it ends there,
// as that run's error, instead of unwinding the engine code that called it.

#include "luabind/runtime.h"
#include "scheduler.h"

namespace luasys {

namespace {

// The message handler: the host's, unless a runaway interrupt is pending, when no Lua
// may run before the boundary (it would be interrupted itself); the error then goes
// out as it is. Upvalue 1: the host's handler.
int boundary_handler(lua_State* L) {
  detail::Scheduler* s = detail::scheduler_from_registry(L);
  if (s != nullptr && s->watch_.pending() != detail::Interrupt::None) return 1;
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

// After the call (also as the continuation of a run that yielded): what follows in the
// enclosing slice gets a window of its own, which also ends an interrupt raised inside.
int finish_run(lua_State* L, int status, lua_KContext base) {
  detail::Scheduler* s = detail::scheduler_from_registry(L);
  if (s != nullptr && s->watch_.pending() != detail::Interrupt::Stop) s->watch_.next_slice();
  if (status != LUA_OK && status != LUA_YIELD) {
    lua_pushboolean(L, 0);
    lua_pushvalue(L, -2);
    return 2;
  }
  return lua_gettop(L) - static_cast<int>(base);
}

}  // namespace

int protected_run(lua_State* L) {
  const int n = lua_gettop(L);
  luaL_checktype(L, 1, LUA_TFUNCTION);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  lua_pushvalue(L, 2);
  lua_pushcclosure(L, boundary_handler, 1);
  lua_replace(L, 2);         // The handler, at index 2.
  lua_pushboolean(L, 1);     // The first result when the call succeeds.
  lua_pushvalue(L, 1);       // The function...
  lua_rotate(L, 3, 2);       // ...both below the arguments.
  detail::Scheduler* s = detail::scheduler_from_registry(L);
  if (s != nullptr) s->watch_.next_slice();
  const int status = lua_pcallk(L, n - 2, LUA_MULTRET, 2, 2, finish_run);
  return finish_run(L, status, 2);
}

}  // namespace luasys

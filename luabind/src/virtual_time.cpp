// With a virtual clock, os.time() and os.date() without a time argument follow the
// loop clock (start wall time + elapsed), so --virtual-time runs stay deterministic
// and consistent with sys.now().

#include "lua_util.h"
#include "scheduler.h"

namespace luasys::detail {

namespace {

lua_Integer virtual_seconds(Scheduler& s) {
  const std::int64_t wall = s.wall_ms();
  return static_cast<lua_Integer>(wall >= 0 ? wall / 1000 : -((-wall + 999) / 1000));
}

// os.time([table]): upvalue 2 is the original.
int os_time(lua_State* L) {
  if (lua_isnoneornil(L, 1)) {
    lua_pushinteger(L, virtual_seconds(scheduler_of(L)));
    return 1;
  }
  const int n = lua_gettop(L);
  lua_pushvalue(L, lua_upvalueindex(2));
  lua_insert(L, 1);
  lua_call(L, n, LUA_MULTRET);
  return lua_gettop(L);
}

// os.date([format [, time]]): upvalue 2 is the original.
int os_date(lua_State* L) {
  if (lua_isnoneornil(L, 2)) {
    if (lua_isnoneornil(L, 1)) {
      lua_settop(L, 0);
      lua_pushliteral(L, "%c");
    }
    lua_settop(L, 1);
    lua_pushinteger(L, virtual_seconds(scheduler_of(L)));
  }
  const int n = lua_gettop(L);
  lua_pushvalue(L, lua_upvalueindex(2));
  lua_insert(L, 1);
  lua_call(L, n, LUA_MULTRET);
  return lua_gettop(L);
}

void wrap(lua_State* L, Scheduler& s, int table, const char* name, lua_CFunction fn) {
  lua_pushlightuserdata(L, &s);
  lua_getfield(L, table, name);
  lua_pushcclosure(L, fn, 2);
  lua_setfield(L, table, name);
}

}  // namespace

void Scheduler::wrap_os_time(lua_State* L) {
  lua_getglobal(L, LUA_OSLIBNAME);
  if (lua_istable(L, -1)) {
    const int table = lua_gettop(L);
    wrap(L, *this, table, "time", os_time);
    wrap(L, *this, table, "date", os_date);
  }
  lua_pop(L, 1);
}

}  // namespace luasys::detail

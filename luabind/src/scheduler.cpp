// The LoopHandler side of the scheduler: what the event loop's phases mean for sys.
// Each callback does its Lua work inside lua_pcall (runtime.h, rule 2), so no Lua
// error ever unwinds through the event loop.

#include <cstdio>
#include <utility>

#include "lua_util.h"
#include "scheduler.h"

namespace luasys::detail {

namespace {

int timer_protected(lua_State* L) {
  auto* s = static_cast<Scheduler*>(lua_touserdata(L, 1));
  const DueTimer& due = *static_cast<const DueTimer*>(lua_touserdata(L, 2));
  lua_settop(L, 0);
  switch (due.payload.kind) {
    case kTaskTimer:
      s->tasks().fire_timer(due);
      break;
    case kCallbackTimer:
      s->timer_part().fire(L, due);
      break;
    default:
      break;
  }
  return 0;
}

int bus_message_protected(lua_State* L) {
  auto* s = static_cast<Scheduler*>(lua_touserdata(L, 1));
  const auto* message = static_cast<const Message*>(lua_touserdata(L, 2));
  lua_settop(L, 0);
  s->publish_values(L, *message);
  return 0;
}

int ready_protected(lua_State* L) {
  auto* s = static_cast<Scheduler*>(lua_touserdata(L, 1));
  lua_settop(L, 0);
  s->tasks().run_ready();
  return 0;
}

void push_value(lua_State* L, const Value& value) {
  switch (value.index()) {
    case 1:
      lua_pushboolean(L, std::get<bool>(value) ? 1 : 0);
      break;
    case 2:
      lua_pushinteger(L, std::get<std::int64_t>(value));
      break;
    case 3:
      lua_pushnumber(L, std::get<double>(value));
      break;
    case 4:
      lua::push(L, std::get<std::string>(value));
      break;
    case 5:
      lua::push(L, std::get<StaticText>(value).view());
      break;
    default:
      lua_pushnil(L);
      break;
  }
}

}  // namespace

// Runs `body(scheduler, extra)` in protected mode on the working state; on failure the
// error is logged (it can only be a memory error or the stop sentinel).
bool Scheduler::protect(lua_CFunction body, void* extra) {
  lua_State* L = work_;
  const int top = lua_gettop(L);
  lua::push_function(L, body);
  lua_pushlightuserdata(L, this);
  lua_pushlightuserdata(L, extra);
  const SliceMark mark = watch_.enter(L, SliceKind::Timed);
  const int status = lua_pcall(L, 2, 0, 0);
  watch_.leave(mark);
  if (status != LUA_OK && !is_stop_sentinel(L, -1)) {
    log_line(LogLevel::Error, "sys", error_text(L, -1));
  }
  lua_settop(L, top);
  return status == LUA_OK;
}

void Scheduler::push_message_values(lua_State* L, const Message& message) {
  luaL_checkstack(L, 1 + message.argc, "too many message arguments");
  push_value(L, message.id);
  for (std::size_t i = 0; i < message.argc && i < message.args.size(); ++i) {
    push_value(L, message.args[i]);
  }
}

void Scheduler::publish_values(lua_State* L, const Message& message) {
  const int first = lua_gettop(L) + 1;
  push_message_values(L, message);
  message_part_.publish_top(L, first, lua_gettop(L) - first + 1);
  lua_settop(L, first - 1);
}

void Scheduler::drain() {
  message_part_.drain();
}

void Scheduler::on_timer(const DueTimer& timer) {
  protect(timer_protected, const_cast<DueTimer*>(&timer));
}

void Scheduler::on_bus_message(Message& message) {
  protect(bus_message_protected, &message);
}

void Scheduler::run_ready() {
  protect(ready_protected, nullptr);
}

void Scheduler::on_bus_drops(std::uint64_t new_drops, std::uint64_t total) {
  char text[96];
  const int n = std::snprintf(text, sizeof text, "bus full: %llu message(s) dropped (%llu in all)",
                              static_cast<unsigned long long>(new_drops),
                              static_cast<unsigned long long>(total));
  log_line(LogLevel::Warn, "sys", std::string_view(text, static_cast<std::size_t>(n)));
}

}  // namespace luasys::detail

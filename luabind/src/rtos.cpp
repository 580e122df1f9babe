// The `rtos` module (spec §7): version and board, memory figures, reboot, loop
// statistics, and the low-level timer/receive pair (RtosPart, rtos.h).

#include <cmath>

#include "lua_util.h"
#include "scheduler.h"

namespace luasys::detail {

namespace {

constexpr lua_Integer kMsgTimer = 1;
constexpr lua_Integer kInfTimeout = -1;
constexpr const char* kVersion = "LuaSys-1.0.0";
constexpr lua_Integer kVersionNumber = 10000;  // major * 10000 + minor * 100 + patch

int rtos_version(lua_State* L) {
  const bool more = lua_toboolean(L, 1) != 0;
  lua_pushstring(L, kVersion);
  if (!more) return 1;
  lua_pushinteger(L, kVersionNumber);
  lua_pushinteger(L, static_cast<lua_Integer>(sizeof(void*) * 8));
  return 3;
}

int rtos_bsp(lua_State* L) {
  lua::push(L, scheduler_of(L).board());
  return 1;
}

int rtos_meminfo(lua_State* L) {
  static const char* const kKinds[] = {"lua", "sys", "psram", nullptr};
  Scheduler& s = scheduler_of(L);
  const int kind = luaL_checkoption(L, 1, "lua", kKinds);
  const MemoryFigures figures = kind == 0 ? s.lua_memory() : s.port_memory(kKinds[kind]);
  lua_pushinteger(L, static_cast<lua_Integer>(figures.total));
  lua_pushinteger(L, static_cast<lua_Integer>(figures.used));
  lua_pushinteger(L, static_cast<lua_Integer>(figures.max_used));
  return 3;
}

int rtos_reboot(lua_State* L) {
  Scheduler& s = scheduler_of(L);
  luaL_tolstring(L, 1, nullptr);
  if (lua_isnoneornil(L, 1)) lua_pushliteral(L, "requested");
  s.reboot(L, lua::to_view(L, -1));
  return 0;
}

void set_integer(lua_State* L, const char* field, std::uint64_t value) {
  lua_pushinteger(L, static_cast<lua_Integer>(value));
  lua_setfield(L, -2, field);
}

int rtos_stats(lua_State* L) {
  Scheduler& s = scheduler_of(L);
  const BusStats bus = s.bus().stats();
  lua::new_table(L, 0, 10);
  set_integer(L, "posted", bus.posted);
  set_integer(L, "dropped", bus.dropped);
  set_integer(L, "bus_used", bus.used);
  set_integer(L, "bus_slots", bus.slots);
  set_integer(L, "bus_peak", bus.peak);
  set_integer(L, "producers", bus.producers);
  set_integer(L, "timers", s.pending_timers());
  set_integer(L, "max_timers", s.max_timers());
  set_integer(L, "tasks", s.tasks().live());
  set_integer(L, "queued", s.messages().queued());
  return 1;
}

// rtos.timer_start(id, ms [, rep]) -> 1, or 0 for a bad ms or at the timer limit.
int rtos_timer_start(lua_State* L) {
  Scheduler& s = scheduler_of(L);
  const lua_Integer id = luaL_checkinteger(L, 1);
  const lua_Integer repeats = luaL_optinteger(L, 3, 0);
  lua_Integer ms = 0;
  if (!lua_isinteger(L, 2)) {
    const lua_Number n = lua_tonumber(L, 2);
    ms = std::floor(n) == n && n >= 1 && n < 9.0e15 ? static_cast<lua_Integer>(n) : 0;
  } else {
    ms = lua_tointeger(L, 2);
  }
  const bool started = ms >= 1 && s.rtos().start_timer(L, id, ms, repeats);
  lua_pushinteger(L, started ? 1 : 0);
  return 1;
}

int rtos_timer_stop(lua_State* L) {
  Scheduler& s = scheduler_of(L);
  if (lua_isinteger(L, 1)) s.rtos().stop_timer(lua_tointeger(L, 1));
  return 0;
}

int rtos_receive(lua_State* L) {
  Scheduler& s = scheduler_of(L);
  if (s.loop_running()) {
    return luaL_error(L, "rtos.receive: cannot be called while sys.run is running");
  }
  return s.rtos().receive(L, luaL_checknumber(L, 1));
}

const luaL_Reg kRtosFunctions[] = {
    {"version", rtos_version},       {"bsp", rtos_bsp},         {"meminfo", rtos_meminfo},
    {"reboot", rtos_reboot},         {"stats", rtos_stats},     {"timer_start", rtos_timer_start},
    {"timer_stop", rtos_timer_stop}, {"receive", rtos_receive}, {nullptr, nullptr},
};

}  // namespace

bool RtosPart::start_timer(lua_State* L, std::int64_t id, Millis ms, std::int64_t repeats) {
  stop_timer(id);
  if (s_.at_timer_limit()) return false;
  s_.charge_timer(L);  // May raise "not enough memory"; the old timer is already stopped.
  TimerSpec spec;
  spec.delay = ms;
  spec.period = repeats == 0 ? 0 : ms;
  spec.repeats = repeats < 0 ? -1 : repeats;
  spec.payload = TimerPayload{kRtosTimer, static_cast<std::uint64_t>(id)};
  const TimerHandle handle = heap_.start(s_.now(), spec);
  if (handle) timers_[id] = handle;
  return static_cast<bool>(handle);
}

void RtosPart::stop_timer(std::int64_t id) {
  const auto found = timers_.find(id);
  if (found == timers_.end()) return;
  heap_.stop(found->second);
  timers_.erase(found);
}

// Moves the rtos timers due at `now` to the fired queue.
void RtosPart::fire_due(Millis now) {
  due_scratch_.clear();
  heap_.collect_due(now, due_scratch_);
  for (const DueTimer& due : due_scratch_) {
    DueTimer fired;
    if (!heap_.pop_due(due, now, fired)) continue;
    const auto id = static_cast<std::int64_t>(fired.payload.data);
    if (fired.repeats_left == 0) timers_.erase(id);
    fired_.push_back(Fired{id, fired.repeats_left});
  }
}

bool RtosPart::nothing_can_arrive() {
  return timers_.empty() && fired_.empty() && s_.bus().empty() && s_.bus().producer_count() == 0;
}

// Pushes what arrived first, or nothing (returns 0) if nothing is there yet.
int RtosPart::take_arrival(lua_State* L) {
  if (!fired_.empty()) {
    const Fired fired = fired_.front();
    fired_.pop_front();
    lua_pushinteger(L, kMsgTimer);
    lua_pushinteger(L, fired.id);
    lua_pushinteger(L, fired.repeats_left < 0 ? -1 : fired.repeats_left);
    return 3;
  }
  if (!s_.bus().take(receive_message_)) return 0;
  const int top = lua_gettop(L);
  s_.push_message_values(L, receive_message_);
  receive_message_ = Message{};
  return lua_gettop(L) - top;
}

int RtosPart::receive(lua_State* L, lua_Number timeout) {
  const bool forever = timeout < 0;
  if (forever && nothing_can_arrive()) {
    return luaL_error(L, "rtos.receive: nothing can arrive (no rtos timers, no producers)");
  }
  const Millis deadline =
      forever ? kForever : saturating_add(s_.now(), static_cast<Millis>(std::ceil(timeout)));
  for (;;) {
    if (const int n = take_arrival(L); n > 0) return n;
    const Millis now = s_.now();
    fire_due(now);
    if (!fired_.empty()) continue;
    if (now >= deadline) {
      lua_pushinteger(L, -1);
      return 1;
    }
    if (forever && nothing_can_arrive()) {
      return luaL_error(L, "rtos.receive: nothing can arrive (no rtos timers, no producers)");
    }
    const Millis next = heap_.next_deadline();
    s_.idle_until(next < deadline ? next : deadline);
    if (s_.note_stop_request()) return s_.raise_stop(L);  // SIGINT/SIGTERM while blocked here.
  }
}

int luaopen_rtos(lua_State* L) {
  Scheduler* s = scheduler_from_registry(L);
  if (s == nullptr) return luaL_error(L, "rtos: no LuaSys runtime in this Lua state");
  lua::new_table(L, 0, 12);
  lua_pushlightuserdata(L, s);
  lua::set_functions(L, kRtosFunctions, 1);
  lua_pushinteger(L, kInfTimeout);
  lua_setfield(L, -2, "INF_TIMEOUT");
  lua_pushinteger(L, kMsgTimer);
  lua_setfield(L, -2, "MSG_TIMER");
  return 1;
}

}  // namespace luasys::detail

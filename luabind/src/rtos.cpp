// The `rtos` module (spec §7): version and board, memory figures, reboot, loop
// statistics, and the low-level timer/receive pair. rtos timers live in their own
// TimerHeap, so they never keep sys.run alive (spec §1.3) and reach Lua only through
// rtos.receive; they still count against the shared timer limit.

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
  lua::push(L, scheduler_of(L).host_.board());
  return 1;
}

int rtos_meminfo(lua_State* L) {
  static const char* const kKinds[] = {"lua", "sys", "psram", nullptr};
  Scheduler& s = scheduler_of(L);
  const int kind = luaL_checkoption(L, 1, "lua", kKinds);
  MemoryFigures figures{s.heap_.limit, s.heap_.used, s.heap_.max_used};
  if (kind != 0) figures = s.host_.port_memory(kKinds[kind]);
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
  const BusStats bus = s.bus_.stats();
  lua::new_table(L, 0, 10);
  set_integer(L, "posted", bus.posted);
  set_integer(L, "dropped", bus.dropped);
  set_integer(L, "bus_used", bus.used);
  set_integer(L, "bus_slots", bus.slots);
  set_integer(L, "bus_peak", bus.peak);
  set_integer(L, "producers", bus.producers);
  set_integer(L, "timers", s.timers_.size() + s.rtos_heap_.size());
  set_integer(L, "max_timers", s.options_.max_timers);
  set_integer(L, "tasks", s.tasks().live());
  set_integer(L, "queued", s.messages().queued());
  return 1;
}

void stop_rtos_timer(Scheduler& s, lua_Integer id) {
  const auto found = s.rtos_timers_.find(id);
  if (found == s.rtos_timers_.end()) return;
  s.rtos_heap_.stop(found->second);
  s.rtos_timers_.erase(found);
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
  if (ms < 1) {
    lua_pushinteger(L, 0);
    return 1;
  }
  stop_rtos_timer(s, id);
  if (s.at_timer_limit()) {
    lua_pushinteger(L, 0);
    return 1;
  }
  s.charge_timer(L);  // May raise "not enough memory"; the old timer is already stopped.
  TimerSpec spec;
  spec.delay = ms;
  spec.period = repeats == 0 ? 0 : ms;
  spec.repeats = repeats < 0 ? -1 : repeats;
  spec.payload = TimerPayload{kRtosTimer, static_cast<std::uint64_t>(id)};
  const TimerHandle handle = s.rtos_heap_.start(s.clock_.now(), spec);
  if (handle) s.rtos_timers_[id] = handle;
  lua_pushinteger(L, handle ? 1 : 0);
  return 1;
}

int rtos_timer_stop(lua_State* L) {
  Scheduler& s = scheduler_of(L);
  if (lua_isinteger(L, 1)) stop_rtos_timer(s, lua_tointeger(L, 1));
  return 0;
}

// Moves the rtos timers due at `now` to the fired queue.
void fire_due_rtos_timers(Scheduler& s, Millis now) {
  s.due_scratch_.clear();
  s.rtos_heap_.collect_due(now, s.due_scratch_);
  for (const DueTimer& due : s.due_scratch_) {
    DueTimer fired;
    if (!s.rtos_heap_.pop_due(due, now, fired)) continue;
    const auto id = static_cast<lua_Integer>(fired.payload.data);
    if (fired.repeats_left == 0) s.rtos_timers_.erase(id);
    s.rtos_fired_.push_back(Scheduler::RtosFired{id, fired.repeats_left});
  }
}

bool nothing_can_arrive(Scheduler& s) {
  return s.rtos_timers_.empty() && s.rtos_fired_.empty() && s.bus_.empty() &&
         s.bus_.producer_count() == 0;
}

// Pushes what arrived first, or nothing (returns 0) if nothing is there yet.
int take_arrival(lua_State* L, Scheduler& s) {
  if (!s.rtos_fired_.empty()) {
    const Scheduler::RtosFired fired = s.rtos_fired_.front();
    s.rtos_fired_.pop_front();
    lua_pushinteger(L, kMsgTimer);
    lua_pushinteger(L, fired.id);
    lua_pushinteger(L, fired.repeats_left < 0 ? -1 : fired.repeats_left);
    return 3;
  }
  if (!s.bus_.take(s.receive_message_)) return 0;
  const int top = lua_gettop(L);
  s.push_message_values(L, s.receive_message_);
  s.receive_message_ = Message{};
  return lua_gettop(L) - top;
}

int rtos_receive(lua_State* L) {
  Scheduler& s = scheduler_of(L);
  if (s.loop_.running())
    return luaL_error(L, "rtos.receive: cannot be called while sys.run is running");
  const lua_Number timeout = luaL_checknumber(L, 1);
  const bool forever = timeout < 0;
  if (forever && nothing_can_arrive(s)) {
    return luaL_error(L, "rtos.receive: nothing can arrive (no rtos timers, no producers)");
  }
  const Millis deadline =
      forever ? kForever : saturating_add(s.clock_.now(), static_cast<Millis>(std::ceil(timeout)));
  for (;;) {
    if (const int n = take_arrival(L, s); n > 0) return n;
    const Millis now = s.clock_.now();
    fire_due_rtos_timers(s, now);
    if (!s.rtos_fired_.empty()) continue;
    if (now >= deadline) {
      lua_pushinteger(L, -1);
      return 1;
    }
    if (forever && nothing_can_arrive(s)) {
      return luaL_error(L, "rtos.receive: nothing can arrive (no rtos timers, no producers)");
    }
    const Millis next = s.rtos_heap_.next_deadline();
    s.clock_.idle_until(next < deadline ? next : deadline, s.port_);
    if (s.stop_requested_.load()) {  // SIGINT/SIGTERM while blocked here.
      s.stop_reason_ = StopReason::Stopped;
      return s.raise_stop(L);
    }
  }
}

const luaL_Reg kRtosFunctions[] = {
    {"version", rtos_version},       {"bsp", rtos_bsp},         {"meminfo", rtos_meminfo},
    {"reboot", rtos_reboot},         {"stats", rtos_stats},     {"timer_start", rtos_timer_start},
    {"timer_stop", rtos_timer_stop}, {"receive", rtos_receive}, {nullptr, nullptr},
};

}  // namespace

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

// Callback timers (spec §4). A timer's identity is its callback plus its argument list
// (same count, elements rawequal); an index by identity hash and one by callback make
// the replace check, timerStop(fn, ...), timerIsActive(fn, ...) and timerStopAll O(1)
// on average. Callbacks live in a registry table by record slot; arguments, when
// there are any, in a second one as one packed table per timer.

#include <bit>
#include <cmath>
#include <functional>

#include "lua_util.h"
#include "scheduler.h"

namespace luasys::detail {

namespace {

std::uint64_t mix(std::uint64_t hash, std::uint64_t value) {
  return hash ^ (value + 0x9e3779b97f4a7c15ull + (hash << 6) + (hash >> 2));
}

// A hash consistent with lua_rawequal: equal numbers hash alike whatever their
// subtype, strings by content, other values by identity.
std::uint64_t hash_value(lua_State* L, int index) {
  switch (lua_type(L, index)) {
    case LUA_TNIL:
      return 0x6e696c;
    case LUA_TBOOLEAN:
      return lua_toboolean(L, index) ? 0x74 : 0x66;
    case LUA_TNUMBER: {
      if (lua_isinteger(L, index)) return static_cast<std::uint64_t>(lua_tointeger(L, index));
      const lua_Number n = lua_tonumber(L, index);
      if (n >= -9.2e18 && n <= 9.2e18 && std::floor(n) == n) {
        return static_cast<std::uint64_t>(static_cast<lua_Integer>(n));
      }
      return std::bit_cast<std::uint64_t>(n);
    }
    case LUA_TSTRING:
      return std::hash<std::string_view>{}(lua::to_view(L, index));
    default:
      return reinterpret_cast<std::uintptr_t>(lua_topointer(L, index));
  }
}

// Identity hash of the callback at `fn` and the `argc` arguments after `first`.
std::uint64_t identity_hash(lua_State* L, int fn, int first, int argc) {
  std::uint64_t hash = mix(hash_value(L, fn), static_cast<std::uint64_t>(argc));
  for (int i = 0; i < argc; ++i) hash = mix(hash, hash_value(L, first + i));
  return FlatMap::key_of(hash);
}

}  // namespace

// True if timer `slot` has the callback at `fn` and the arguments first..first+argc-1.
bool TimerPart::matches(lua_State* L, std::uint32_t slot, int fn, int first, int argc) {
  const CallbackTimer& timer = records_[slot];
  if (timer.argc != argc || timer.fn_key != lua_topointer(L, fn)) return false;
  if (argc == 0) return true;
  lua_rawgeti(L, LUA_REGISTRYINDEX, args_ref_);
  lua_rawgeti(L, -1, static_cast<lua_Integer>(slot) + 1);
  bool same = true;
  for (int i = 0; i < argc && same; ++i) {
    lua_rawgeti(L, -1, i + 1);
    same = lua_rawequal(L, -1, first + i) != 0;
    lua_pop(L, 1);
  }
  lua_pop(L, 2);
  return same;
}

std::uint32_t TimerPart::find(lua_State* L, int fn, int first, int argc) {
  return find(L, identity_hash(L, fn, first, argc), fn, first, argc);
}

std::uint32_t TimerPart::find(lua_State* L, std::uint64_t identity, int fn, int first,
                                    int argc) {
  const std::uint32_t* head = identity_heads_.find(identity);
  for (std::uint32_t slot = head == nullptr ? kNone : *head; slot != kNone;
       slot = records_[slot].next_same_identity) {
    if (matches(L, slot, fn, first, argc)) return slot;
  }
  return kNone;
}

namespace {

// Pushes `slot` at the front of the chain that `heads` keeps under `key`.
void link_front(std::vector<CallbackTimer>& timers, FlatMap& heads, std::uint64_t key,
                std::uint32_t slot, std::uint32_t CallbackTimer::*next,
                std::uint32_t CallbackTimer::*prev) {
  bool added = false;
  std::uint32_t& head = heads.find_or_add(key, slot, &added);
  timers[slot].*prev = kNone;
  timers[slot].*next = added ? kNone : head;
  if (!added) timers[head].*prev = slot;
  head = slot;
}

void unlink(std::vector<CallbackTimer>& timers, FlatMap& heads, std::uint64_t key,
            std::uint32_t slot, std::uint32_t CallbackTimer::*next,
            std::uint32_t CallbackTimer::*prev) {
  const std::uint32_t before = timers[slot].*prev;
  const std::uint32_t after = timers[slot].*next;
  if (after != kNone) timers[after].*prev = before;
  if (before != kNone) {
    timers[before].*next = after;
  } else if (after != kNone) {
    heads.set(key, after);
  } else {
    heads.erase(key);
  }
}

std::uint64_t fn_map_key(const void* fn) {
  return FlatMap::key_of(reinterpret_cast<std::uintptr_t>(fn));
}

}  // namespace

// Every record is in its identity chain. Only records with arguments are in their
// callback's chain too: the one argument-less timer of a callback is found through
// its identity, which keeps the common start (a closure, no arguments) to one insert.
void TimerPart::link(std::uint32_t slot) {
  const CallbackTimer& timer = records_[slot];
  link_front(records_, identity_heads_, timer.identity, slot,
             &CallbackTimer::next_same_identity, &CallbackTimer::prev_same_identity);
  if (timer.argc == 0) return;
  link_front(records_, fn_heads_, fn_map_key(timer.fn_key), slot,
             &CallbackTimer::next_same_fn, &CallbackTimer::prev_same_fn);
}

void TimerPart::unlink_record(std::uint32_t slot) {
  const CallbackTimer& timer = records_[slot];
  unlink(records_, identity_heads_, timer.identity, slot,
         &CallbackTimer::next_same_identity, &CallbackTimer::prev_same_identity);
  if (timer.argc == 0) return;
  unlink(records_, fn_heads_, fn_map_key(timer.fn_key), slot, &CallbackTimer::next_same_fn,
         &CallbackTimer::prev_same_fn);
}

// Stores callback and arguments for a record (`slot`, or a new one when kNone); may
// raise (memory) before any C++ state changes.
std::uint32_t TimerPart::store_values(lua_State* L, const TimerRequest& request,
                                            std::uint32_t slot) {
  const int fn = 1;
  const int first = request.first_arg;
  const int argc = request.argc;
  const bool fresh = slot == kNone;
  if (fresh && free_records_.empty()) {
    // The record, its three index entries (FlatMap slots at half load) and its heap slot.
    s_.charge(L, sizeof(CallbackTimer) + 6 * 2 * sizeof(std::uint64_t));
  }
  if (fresh) {
    slot = free_records_.empty() ? static_cast<std::uint32_t>(records_.size())
                                         : free_records_.back();
  }
  if (request.callbacks != 0) {  // The table as an upvalue: no registry lookup.
    lua_pushvalue(L, fn);
    lua_rawseti(L, request.callbacks, static_cast<lua_Integer>(slot) + 1);
  } else {
    lua_rawgeti(L, LUA_REGISTRYINDEX, fns_ref_);
    lua_pushvalue(L, fn);
    lua_rawseti(L, -2, static_cast<lua_Integer>(slot) + 1);
    lua_pop(L, 1);
  }
  if (argc > 0) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, args_ref_);
    lua::new_table(L, static_cast<std::size_t>(argc), 0);
    for (int i = 0; i < argc; ++i) {
      lua_pushvalue(L, first + i);
      lua_rawseti(L, -2, i + 1);
    }
    lua_rawseti(L, -2, static_cast<lua_Integer>(slot) + 1);
    lua_pop(L, 1);
  }
  if (!fresh) return slot;
  if (free_records_.empty()) {
    records_.emplace_back();
  } else {
    free_records_.pop_back();
  }
  return slot;
}

void TimerPart::clear_values(lua_State* L, std::uint32_t slot) {
  lua_rawgeti(L, LUA_REGISTRYINDEX, fns_ref_);
  lua_pushnil(L);
  lua_rawseti(L, -2, static_cast<lua_Integer>(slot) + 1);
  lua_pop(L, 1);
  if (records_[slot].argc > 0) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, args_ref_);
    lua_pushnil(L);
    lua_rawseti(L, -2, static_cast<lua_Integer>(slot) + 1);
    lua_pop(L, 1);
  }
}

// Removes a record from its indexes and frees it (its heap timer is already gone).
void TimerPart::release(lua_State* L, std::uint32_t slot) {
  CallbackTimer& timer = records_[slot];
  if (!timer.used) return;
  if (timer.id != 0) by_id_.erase(static_cast<std::uint64_t>(timer.id));
  unlink_record(slot);
  clear_values(L, slot);
  timer = CallbackTimer{};
  free_records_.push_back(slot);
}

void TimerPart::stop(lua_State* L, std::uint32_t slot) {
  s_.stop_timer(records_[slot].handle);
  release(L, slot);
}

// Starts (or, for an identical pending timer, restarts) a callback timer. Pushes the
// new id, or nil and the limit message.
int TimerPart::start(lua_State* L, const TimerRequest& request) {
  const int fn = 1;
  const std::uint64_t identity = identity_hash(L, fn, request.first_arg, request.argc);
  std::uint32_t slot = find(L, identity, fn, request.first_arg, request.argc);
  TimerSpec spec;
  spec.delay = request.delay;
  spec.period = request.period;
  spec.repeats = request.repeats;
  if (slot != kNone) {                     // An identical start replaces the pending timer...
    store_values(L, request, slot);  // ...with these values.
    CallbackTimer& timer = records_[slot];
    s_.stop_timer(timer.handle);
    by_id_.erase(static_cast<std::uint64_t>(timer.id));
    timer.id = 0;
  } else {
    if (s_.at_timer_limit()) {  // No side effect: no record, no id used.
      lua_pushnil(L);
      lua_pushfstring(L, "timer limit reached (%d)", static_cast<int>(s_.max_timers()));
      return 2;
    }
    slot = store_values(L, request, kNone);
    CallbackTimer& timer = records_[slot];
    timer.used = true;
    timer.argc = request.argc;
    timer.fn_key = lua_topointer(L, fn);
    timer.identity = identity;
    link(slot);
  }
  spec.payload = TimerPayload{kCallbackTimer, slot};
  CallbackTimer& timer = records_[slot];
  timer.handle = s_.start_timer(spec);
  if (!timer.handle) {
    release(L, slot);
    lua_pushnil(L);
    lua_pushfstring(L, "timer limit reached (%d)", static_cast<int>(s_.max_timers()));
    return 2;
  }
  timer.id = next_id_++;
  by_id_.set(static_cast<std::uint64_t>(timer.id), slot);
  lua_pushinteger(L, timer.id);
  return 1;
}

// Phase 3 for a callback timer: calls fn(args...) as a callback; a timer that will not
// fire again is released first, so it is inactive in its own callback.
void TimerPart::fire(lua_State* L, const DueTimer& due) {
  const auto slot = static_cast<std::uint32_t>(due.payload.data);
  if (slot >= records_.size()) return;
  const CallbackTimer timer = records_[slot];
  if (!timer.used || timer.handle != due.handle) return;
  const int handler = push_traceback_handler(L);
  lua_rawgeti(L, LUA_REGISTRYINDEX, fns_ref_);
  lua_rawgeti(L, -1, static_cast<lua_Integer>(slot) + 1);
  lua_replace(L, -2);  // The callback, kept for the report's <where>.
  lua_pushvalue(L, -1);
  if (timer.argc > 0) {
    luaL_checkstack(L, timer.argc + 2, "too many timer arguments");
    lua_rawgeti(L, LUA_REGISTRYINDEX, args_ref_);
    lua_rawgeti(L, -1, static_cast<lua_Integer>(slot) + 1);
    lua_remove(L, -2);
    for (int i = 1; i <= timer.argc; ++i) lua_rawgeti(L, -i, i);
    lua_remove(L, -timer.argc - 1);
  }
  if (due.repeats_left == 0) release(L, slot);
  if (lua_pcall(L, timer.argc, 0, handler) != LUA_OK && !s_.is_stop_sentinel(L, -1)) {
    s_.push_last_traceback(L);
    Failure failure;
    failure.kind = Failure::Kind::Timer;
    failure.timer_id = timer.id;
    failure.function_index = handler + 1;
    failure.error_index = handler + 2;
    failure.traceback_index = handler + 3;
    s_.report(L, failure);
  }
  lua_settop(L, handler - 1);
}

namespace {

Millis check_delay(lua_State* L, int index) {
  const lua_Number ms = luaL_checknumber(L, index);
  if (!(ms > 0)) return 0;
  if (ms >= 4.0e15) return kForever / 2;
  return static_cast<Millis>(std::ceil(ms));
}

// Starts `request`'s timer for the callback at index 1, with the arguments from
// `first_arg` to the top; the callbacks table is the C function's second upvalue.
int start_with_arguments(lua_State* L, TimerRequest& request, int first_arg) {
  request.first_arg = first_arg;
  request.argc = lua_gettop(L) - (first_arg - 1);
  request.callbacks = lua_upvalueindex(2);
  return scheduler_of(L).timer_part().start(L, request);
}

int sys_timer_start(lua_State* L) {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  TimerRequest request;
  request.delay = check_delay(L, 2);
  return start_with_arguments(L, request, 3);
}

int sys_timer_loop_start(lua_State* L) {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  luaL_argcheck(L, luaL_checknumber(L, 2) >= 1, 2, "period must be at least 1 ms");
  TimerRequest request;
  request.delay = request.period = check_delay(L, 2);
  request.repeats = -1;
  return start_with_arguments(L, request, 3);
}

int sys_timer_adv_start(lua_State* L) {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  const lua_Number ms = luaL_checknumber(L, 2);
  const lua_Integer repeats = luaL_checkinteger(L, 3);
  luaL_argcheck(L, repeats == 0 || ms >= 1, 2, "period must be at least 1 ms");
  TimerRequest request;
  request.delay = check_delay(L, 2);
  request.period = repeats == 0 ? 0 : request.delay;
  request.repeats = repeats < 0 ? -1 : repeats;
  return start_with_arguments(L, request, 4);
}

int sys_timer_stop(lua_State* L) {
  TimerPart& timers = scheduler_of(L).timer_part();
  const std::uint32_t slot = timers.named(L);
  if (slot != kNone) timers.stop(L, slot);
  return 0;
}

int sys_timer_stop_all(lua_State* L) {
  if (lua_type(L, 1) != LUA_TFUNCTION) return 0;
  lua_settop(L, 1);
  scheduler_of(L).timer_part().stop_all(L);
  return 0;
}

int sys_timer_is_active(lua_State* L) {
  TimerPart& timers = scheduler_of(L).timer_part();
  const std::uint32_t slot = timers.named(L);
  if (lua_type(L, 1) == LUA_TNUMBER) {
    if (slot == kNone) {
      lua_pushnil(L);
    } else {
      timers.push_callback(L, slot);
    }
    return 1;
  }
  if (slot == kNone) return 0;
  lua_pushboolean(L, 1);
  return 1;
}

// Upvalues: the scheduler, then the callback table (never replaced).
const luaL_Reg kTimerStartFunctions[] = {
    {"timerStart", sys_timer_start},
    {"timerLoopStart", sys_timer_loop_start},
    {"timerAdvStart", sys_timer_adv_start},
    {nullptr, nullptr},
};

const luaL_Reg kTimerFunctions[] = {
    {"timerStop", sys_timer_stop},
    {"timerStopAll", sys_timer_stop_all},
    {"timerIsActive", sys_timer_is_active},
    {nullptr, nullptr},
};

}  // namespace

void TimerPart::create_tables(lua_State* L) {
  lua::new_table(L, 64, 0);
  fns_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
  lua::new_table(L, 0, 0);
  args_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
}

void TimerPart::register_functions(lua_State* L) {
  lua_pushlightuserdata(L, &s_);
  lua::set_functions(L, kTimerFunctions, 1);
  lua_pushlightuserdata(L, &s_);
  lua_rawgeti(L, LUA_REGISTRYINDEX, fns_ref_);
  lua::set_functions(L, kTimerStartFunctions, 2);
}

std::uint32_t TimerPart::named(lua_State* L) {
  if (lua_type(L, 1) == LUA_TNUMBER) {
    const lua_Integer id = lua_tointeger(L, 1);
    if (!lua_isinteger(L, 1) || id <= 0) return kNone;
    const std::uint32_t* found = by_id_.find(static_cast<std::uint64_t>(id));
    return found == nullptr ? kNone : *found;
  }
  if (lua_type(L, 1) != LUA_TFUNCTION) return kNone;
  return find(L, 1, 2, lua_gettop(L) - 1);
}

void TimerPart::stop_all(lua_State* L) {
  const std::uint32_t plain = find(L, 1, 2, 0);  // The argument-less one.
  if (plain != kNone) stop(L, plain);
  const std::uint64_t key = fn_map_key(lua_topointer(L, 1));
  for (const std::uint32_t* head = fn_heads_.find(key); head != nullptr; head = fn_heads_.find(key)) {
    stop(L, *head);
  }
}

void TimerPart::push_callback(lua_State* L, std::uint32_t slot) {
  lua_rawgeti(L, LUA_REGISTRYINDEX, fns_ref_);
  lua_rawgeti(L, -1, static_cast<lua_Integer>(slot) + 1);
  lua_remove(L, -2);
}

}  // namespace luasys::detail

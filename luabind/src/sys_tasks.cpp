// Tasks: coroutines sys resumes (spec §2); see sys_tasks.h.

#include <algorithm>
#include <charconv>
#include <cmath>

#include "sys_tasks.h"

#include <utility>

#include "lua_util.h"
#include "scheduler.h"

namespace luasys::detail {

namespace {

// Status of a coroutine as coroutine.status sees it.
enum class CoStatus { Running, Suspended, Normal, Dead };

CoStatus status_of(lua_State* L, lua_State* co) {
  if (L == co) return CoStatus::Running;
  switch (lua_status(co)) {
    case LUA_YIELD:
      return CoStatus::Suspended;
    case LUA_OK: {
      lua_Debug ar;
      if (lua_getstack(co, 0, &ar)) return CoStatus::Normal;
      return lua_gettop(co) == 0 ? CoStatus::Dead : CoStatus::Suspended;
    }
    default:
      return CoStatus::Dead;
  }
}

void append_number(std::string& out, long long value) {
  char digits[24];
  const auto result = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, result.ptr);
}

// "task@<file>:<line>" of the function at `index` (which stays on the stack).
void set_name_from_function(lua_State* L, int index, std::string& name) {
  lua_Debug ar;
  lua_pushvalue(L, index);
  lua_getinfo(L, ">S", &ar);
  name.assign("task@");
  name.append(ar.short_src);
  if (ar.linedefined > 0) {
    name.push_back(':');
    append_number(name, ar.linedefined);
  }
}

}  // namespace

std::uint32_t TaskPart::task_of(lua_State* co) const {
  const Task* task = task_record(co);
  return task == nullptr ? kNone : task->slot;
}

bool TaskPart::resumable(lua_State* co) const {
  return status_of(nullptr, co) == CoStatus::Suspended;
}

// Makes the coroutine at `co_index` of L a task. The caller names it.
std::uint32_t TaskPart::create(lua_State* L, int co_index) {
  if (free_.empty()) s_.charge(L, sizeof(Task) + sizeof(ReadyEntry) + 64);  // 64: its timer.
  const auto slot =
      free_.empty() ? static_cast<std::uint32_t>(records_.size()) : free_.back();
  lua_rawgeti(L, LUA_REGISTRYINDEX, anchors_ref_);
  lua_pushvalue(L, co_index);
  lua_rawseti(L, -2, static_cast<lua_Integer>(slot) + 1);  // May raise: nothing changed yet.
  lua_pop(L, 1);
  if (free_.empty()) {
    records_.emplace_back();
  } else {
    free_.pop_back();
  }
  Task& task = records_[slot];
  task.co = lua_tothread(L, co_index);
  task.order = next_order_++;
  task.wait = WaitKind::None;
  task.polling = false;
  ++live_;
  task.owner = &s_;
  task.slot = slot;
  lua::set_extra(task.co, reinterpret_cast<std::uintptr_t>(&task));
  return slot;
}

// The running task of L, adopting L if it is a coroutine sys has not seen; raises the
// "called outside a task" error on the main thread and when L cannot yield.
std::uint32_t TaskPart::current(lua_State* L, const char* function) {
  if (!lua_isyieldable(L)) {  // The main thread never is.
    if (lua_pushthread(L) == 1) {
      luaL_error(L, "%s called outside a task; start one with sys.taskInit", function);
    }
    luaL_error(L, "%s: attempt to yield across a C-call boundary", function);
  }
  std::uint32_t slot = task_of(L);
  if (slot == kNone) {
    lua_pushthread(L);
    slot = create(L, lua_gettop(L));
    name_coroutine(L, records_[slot].name);
    lua_pop(L, 1);
  }
  return slot;
}

// Names an adopted coroutine after the function at the bottom of its stack (or, not
// started yet, the function it will run). Uses only the debug API: never raises.
void TaskPart::name_coroutine(lua_State* co, std::string& name) {
  lua_Debug ar;
  name.assign("task@?");
  int level = 0;
  while (lua_getstack(co, level + 1, &ar)) ++level;
  if (lua_getstack(co, level, &ar)) {
    if (!lua_getinfo(co, "S", &ar)) return;
  } else if (lua_status(co) == LUA_OK && lua_gettop(co) > 0 && lua_isfunction(co, 1)) {
    lua_pushvalue(co, 1);
    lua_getinfo(co, ">S", &ar);
  } else {
    return;
  }
  name.assign("task@");
  name.append(ar.short_src);
  if (ar.linedefined > 0) {
    name.push_back(':');
    append_number(name, ar.linedefined);
  }
}

void TaskPart::end_wait(Task& task) {
  if (task.wait == WaitKind::None && !task.timer && !task.polling && task.wait_sets.empty()) return;
  task.wants_true = false;
  if (task.timer) {
    s_.stop_timer(task.timer);
    task.timer = TimerHandle{};
  }
  task.polling = false;
  if (!task.wait_sets.empty()) s_.messages().drop_task_subscriptions(task, true);
  if (task.wait == WaitKind::Mailbox) task.mailbox.clear();
  task.wait = WaitKind::None;
}

// Starts the timeout of a wait: none for ms nil, the ready list for ms < 1, else a
// timer. Returns false (changing nothing) at the timer limit.
bool TaskPart::begin_wait(std::uint32_t slot, WaitKind kind, const WaitTime& time) {
  Task& task = records_[slot];
  const std::uint32_t seq = task.wait_seq + 1;
  if (time.has_timeout && time.ms >= 1) {
    if (s_.at_timer_limit()) return false;
    TimerSpec spec;
    spec.delay = time.ms;
    spec.payload = TimerPayload{kTaskTimer, (static_cast<std::uint64_t>(seq) << 32) | slot};
    const TimerHandle handle = s_.start_timer(spec);
    if (!handle) return false;
    task.timer = handle;
  } else if (time.has_timeout) {
    task.polling = true;
    ready_.push_back(ReadyEntry{slot, seq, ready_epoch_});
  }
  task.wait_seq = seq;
  task.wait = kind;
  return true;
}

// Raises "timer limit reached (N)" (after a failed begin_wait).
int TaskPart::raise_timer_limit(lua_State* L) {
  return luaL_error(L, "timer limit reached (%d)", static_cast<int>(s_.max_timers()));
}

int TaskPart::resume(lua_State* from, std::uint32_t slot, int nargs) {
  lua_State* co = records_[slot].co;
  if (lua_status(co) != LUA_YIELD && !resumable(co)) {
    lua_pop(co, nargs);  // Running (it called sys.run itself) or dead: not resumable.
    end_if_dead(from, co);
    return LUA_ERRRUN;
  }
  return resume_suspended(from, slot, nargs);
}

// resume() for a task known to be resumable (its caller just checked).
int TaskPart::resume_suspended(lua_State* from, std::uint32_t slot, int nargs) {
  records_[slot].wait = WaitKind::None;
  int nresults = 0;
  lua_State* co = records_[slot].co;
  const SliceMark mark = s_.slice_watch().enter(co, SliceKind::Timed);
  const int status = lua_resume(co, from, nargs, &nresults);
  s_.slice_watch().leave(mark);
  records_[slot].resumed_with_true = false;  // Normally consumed already; never left set.
  after_resume(from, slot, status, nresults);
  return status;
}

// Bookkeeping after a resume returned: a yield outside sys waits is "yield"; an end
// or an error ends the task (an error is reported first, spec §6.2).
void TaskPart::after_resume(lua_State* from, std::uint32_t slot, int status, int nresults) {
  Task& task = records_[slot];
  if (task.co == nullptr) return;
  lua_State* co = task.co;
  if (status == LUA_YIELD) {
    if (task.wait == WaitKind::None) task.wait = WaitKind::Yield;
    if (nresults != 0) lua_pop(co, nresults);
    return;
  }
  if (status != LUA_OK && !s_.is_stop_sentinel(co, -1)) {
    lua_pushvalue(co, -1);
    lua_xmove(co, from, 1);
    const int error = lua_gettop(from);
    if (status == LUA_ERRMEM) {
      // The failed task's stack may hold what filled the heap: let it go first, so
      // that the report (and the rest of the loop) has memory to work with.
      lua_resetthread(co);
      lua_gc(from, LUA_GCCOLLECT);
      lua_pushliteral(from, "stack traceback:\n\t(not kept: not enough memory)");
    } else {
      push_traceback(from, co);
    }
    Failure failure;
    failure.kind = Failure::Kind::Task;
    failure.task = slot;
    failure.error_index = error;
    failure.traceback_index = error + 1;
    s_.report(from, failure);
    lua_settop(from, error - 1);
  }
  end(from, slot);
}

namespace {

// (dead table, coroutine, name pointer): dead[coroutine] = name.
int record_dead_name(lua_State* L) {
  const auto* name = static_cast<const std::string*>(lua_touserdata(L, 3));
  lua_settop(L, 2);
  lua::push(L, *name);
  lua_rawset(L, 1);
  return 0;
}

// Pushes the traceback of a failed coroutine, or a placeholder if that fails.
int traceback_of(lua_State* L) {
  luaL_traceback(L, lua_tothread(L, 1), nullptr, 0);
  return 1;
}

}  // namespace

void TaskPart::push_traceback(lua_State* L, lua_State* co) {
  lua::push_function(L, traceback_of);
  lua_pushthread(co);
  lua_xmove(co, L, 1);
  if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
    lua_pop(L, 1);
    lua_pushnil(L);  // report() makes a shorter one.
  }
}

void TaskPart::end(lua_State* L, std::uint32_t slot) {
  Task& task = records_[slot];
  if (task.co == nullptr) return;
  end_wait(task);
  ++task.wait_seq;
  if (!task.own_sets.empty()) s_.messages().drop_task_subscriptions(task, false);
  lua::set_extra(task.co, 0);
  lua_rawgeti(L, LUA_REGISTRYINDEX, dead_ref_);
  lua_rawgeti(L, LUA_REGISTRYINDEX, anchors_ref_);
  lua_rawgeti(L, -1, static_cast<lua_Integer>(slot) + 1);  // The coroutine, kept alive.
  lua_pushnil(L);
  lua_rawseti(L, -3, static_cast<lua_Integer>(slot) + 1);
  lua_remove(L, -2);
  task.co = nullptr;
  --live_;
  free_.push_back(slot);
  // Remember the name for sys.taskInfo; in protected mode, as it allocates.
  lua::push_function(L, record_dead_name);
  lua_insert(L, -3);
  lua_pushlightuserdata(L, &task.name);
  if (lua_pcall(L, 3, 0, 0) != LUA_OK) lua_pop(L, 1);  // Only the name is lost.
}

// Ends tasks whose coroutine died outside sys's view (closed, or resumed to its end by
// coroutine.resume), so they leave their sets and lose their timers.
void TaskPart::end_if_dead(lua_State* L, lua_State* co) {
  const std::uint32_t slot = task_of(co);
  if (slot != kNone && status_of(L, co) == CoStatus::Dead) end(L, slot);
}

namespace {

int wait_continue(lua_State* L, int /*status*/, lua_KContext /*context*/) {
  Scheduler& s = task_scheduler_of(L);
  const std::uint32_t slot = s.tasks().task_of(L);
  if (slot != kNone) s.tasks().end_wait(s.tasks()[slot]);
  return lua_gettop(L);  // The resumer's values; none after the timeout.
}

}  // namespace

// Spawns fn (at fn_index) with the arguments above it as a task, named by the string
// at name_index (0: from the function), and runs it to its first wait.
int spawn_task(lua_State* L, int fn_index, int name_index) {
  Scheduler& s = scheduler_of(L);
  const int top = lua_gettop(L);
  const int nargs = top - fn_index;
  luaL_checkstack(L, nargs + 4, "too many arguments");
  lua_State* co = lua_newthread(L);
  const int co_index = lua_gettop(L);
  if (!lua_checkstack(co, nargs + 1)) luaL_error(L, "too many arguments");
  const std::uint32_t slot = s.tasks().create(L, co_index);
  if (name_index != 0) {
    s.tasks()[slot].name.assign(lua::to_view(L, name_index));
  } else {
    set_name_from_function(L, fn_index, s.tasks()[slot].name);
  }
  for (int i = fn_index; i <= top; ++i) lua_pushvalue(L, i);
  lua_xmove(L, co, nargs + 1);
  s.tasks().resume(L, slot, nargs);
  lua_settop(L, co_index);
  return 1;
}

namespace {

int sys_task_init(lua_State* L) {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  return spawn_task(L, 1, 0);
}

int sys_task_init_named(lua_State* L) {
  luaL_checkany(L, 1);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  luaL_tolstring(L, 1, nullptr);
  lua_replace(L, 1);
  return spawn_task(L, 2, 1);
}

int sys_wait(lua_State* L) {
  Scheduler& s = task_scheduler_of(L);
  const std::uint32_t slot = s.tasks().current(L, "sys.wait");
  const WaitTime time = read_wait_time(L, 1, false);
  if (!s.tasks().begin_wait(slot, time.ms >= 1 ? WaitKind::Sleep : WaitKind::Ready, time)) {
    return s.tasks().raise_timer_limit(L);
  }
  lua_settop(L, 0);
  return lua_yieldk(L, 0, 0, wait_continue);
}

int sys_check_task(lua_State* L) {
  Scheduler& s = scheduler_of(L);
  s.tasks().current(L, "sys.check_task");
  lua_pushthread(L);
  return 1;
}

// sys.coresume(co, ...): resumes co as the loop does; returns coroutine.resume's results.
int sys_coresume(lua_State* L) {
  Scheduler& s = scheduler_of(L);
  lua_State* co = lua_tothread(L, 1);
  luaL_argexpected(L, co != nullptr, 1, "coroutine");
  const int nargs = lua_gettop(L) - 1;
  if (status_of(L, co) != CoStatus::Suspended) {
    lua_pushboolean(L, 0);
    lua_pushstring(L, status_of(L, co) == CoStatus::Dead ? "cannot resume dead coroutine"
                                                         : "cannot resume non-suspended coroutine");
    return 2;
  }
  if (!lua_checkstack(co, nargs)) return luaL_error(L, "too many arguments to resume");
  std::uint32_t slot = s.tasks().task_of(co);
  if (slot == kNone) slot = s.tasks().create(L, 1);
  lua_xmove(L, co, nargs);
  s.tasks()[slot].wait = WaitKind::None;
  int nresults = 0;
  const SliceMark mark = s.slice_watch().enter(co, SliceKind::Timed);
  const int status = lua_resume(co, L, nargs, &nresults);
  s.slice_watch().leave(mark);
  lua_settop(L, 1);
  if (status == LUA_OK || status == LUA_YIELD) {
    luaL_checkstack(L, nresults + 1, "too many results to resume");
    lua_pushboolean(L, 1);
    lua_xmove(co, L, nresults);
    s.tasks().after_resume(L, slot, status, 0);
    return nresults + 1;
  }
  lua_pushboolean(L, 0);
  lua_pushvalue(co, -1);
  lua_xmove(co, L, 1);
  s.tasks().after_resume(L, slot, status, 0);
  return 2;
}

}  // namespace

// Pushes a fresh {co, name, state, waiting_on, wake_at} record of a live task.
void TaskPart::push_record(lua_State* L, std::uint32_t slot) {
  Task& task = records_[slot];
  lua::new_table(L, 0, 5);
  lua_rawgeti(L, LUA_REGISTRYINDEX, anchors_ref_);
  lua_rawgeti(L, -1, static_cast<lua_Integer>(slot) + 1);
  lua_setfield(L, -3, "co");
  lua_pop(L, 1);
  lua::push(L, task.name);
  lua_setfield(L, -2, "name");
  const CoStatus status = status_of(L, task.co);
  const char* state = "waiting";
  if (status == CoStatus::Running || status == CoStatus::Normal)
    state = "running";
  else if (status == CoStatus::Dead)
    state = "dead";
  else if (task.wait == WaitKind::Ready)
    state = "ready";
  lua_pushstring(L, state);
  lua_setfield(L, -2, "state");
  if (status == CoStatus::Suspended && task.wait != WaitKind::Ready) {
    push_wait_description(L, task);
    lua_setfield(L, -2, "waiting_on");
  }
  if (task.timer) {
    lua_pushinteger(L, s_.timer_deadline(task.timer));
    lua_setfield(L, -2, "wake_at");
  }
}

void TaskPart::push_wait_description(lua_State* L, const Task& task) {
  switch (task.wait) {
    case WaitKind::Sleep:
      lua_pushliteral(L, "sleep");
      return;
    case WaitKind::Mailbox: {
      lua_pushliteral(L, "mailbox ");
      lua::push(L, task.mailbox);
      lua_concat(L, 2);
      return;
    }
    case WaitKind::Message: {
      luaL_Buffer buffer;
      luaL_buffinit(L, &buffer);
      luaL_addstring(&buffer, "message ");
      for (std::size_t i = 0; i < task.wait_sets.size(); ++i) {
        if (i > 0) luaL_addchar(&buffer, ',');
        s_.messages().push_set_id(L, task.wait_sets[i]);
        luaL_tolstring(L, -1, nullptr);
        lua_remove(L, -2);
        luaL_addvalue(&buffer);
      }
      luaL_pushresult(&buffer);
      return;
    }
    default:
      lua_pushliteral(L, "yield");
      return;
  }
}

namespace {

int sys_tasks(lua_State* L) {
  Scheduler& s = scheduler_of(L);
  const std::vector<std::uint32_t>& live = s.tasks().live_in_order();
  // First the slots, then the records: building a record may run Lua (__tostring of
  // an id), which may reuse the scratch storage.
  lua::new_table(L, live.size(), 0);
  const int result = lua_gettop(L);
  for (std::size_t i = 0; i < live.size(); ++i) {
    lua_pushinteger(L, live[i]);
    lua_rawseti(L, result, static_cast<lua_Integer>(i) + 1);
  }
  const lua_Integer count = static_cast<lua_Integer>(lua_rawlen(L, result));
  lua_Integer n = 0;
  for (lua_Integer i = 1; i <= count; ++i) {
    lua_rawgeti(L, result, i);
    const auto slot = static_cast<std::uint32_t>(lua_tointeger(L, -1));
    lua_pop(L, 1);
    if (s.tasks()[slot].co == nullptr) continue;
    s.tasks().push_record(L, slot);
    lua_rawseti(L, result, ++n);
  }
  for (lua_Integer i = n + 1; i <= count; ++i) {
    lua_pushnil(L);
    lua_rawseti(L, result, i);
  }
  return 1;
}

int sys_task_info(lua_State* L) {
  Scheduler& s = scheduler_of(L);
  lua_State* co = lua_tothread(L, 1);
  luaL_argexpected(L, co != nullptr, 1, "coroutine");
  s.tasks().end_if_dead(L, co);
  const std::uint32_t slot = s.tasks().task_of(co);
  if (slot != kNone) {
    s.tasks().push_record(L, slot);
    return 1;
  }
  s.tasks().push_dead_name(L, 1);
  if (lua_isnil(L, -1)) return 1;  // nil: sys never ran it.
  lua::new_table(L, 0, 3);
  lua_pushvalue(L, 1);
  lua_setfield(L, -2, "co");
  lua_pushvalue(L, -2);
  lua_setfield(L, -2, "name");
  lua_pushliteral(L, "dead");
  lua_setfield(L, -2, "state");
  return 1;
}

// coroutine.close and coroutine.resume, wrapped so that a task that ends outside sys
// (closed, or resumed to its end by hand) leaves its sets and loses its timers at once.
// Upvalue 2 is the original function.
int call_then_end_if_dead(lua_State* L) {
  Scheduler& s = scheduler_of(L);
  lua_State* co = lua_tothread(L, 1);
  const int n = lua_gettop(L);
  lua_pushvalue(L, lua_upvalueindex(2));
  lua_insert(L, 1);
  lua_call(L, n, LUA_MULTRET);
  if (co != nullptr) s.tasks().end_if_dead(L, co);
  return lua_gettop(L);
}

// coroutine.resume(co, ...), wrapped as call_then_end_if_dead is, and so that the
// slice watchdog knows `co` is the innermost running state while it runs (an
// interrupt must reach the coroutine, not its resumer). Upvalue 2 is the original.
int resume_watched(lua_State* L) {
  lua_State* co = lua_tothread(L, 1);
  if (co == nullptr) return call_then_end_if_dead(L);  // The original raises the error.
  Scheduler& s = scheduler_of(L);
  const int n = lua_gettop(L);
  lua_pushvalue(L, lua_upvalueindex(2));
  lua_insert(L, 1);
  const SliceMark mark = s.slice_watch().enter(co, SliceKind::Inherit);
  const int status = lua_pcall(L, n, LUA_MULTRET, 0);  // Only memory errors.
  s.slice_watch().leave(mark);
  if (status != LUA_OK) return lua_error(L);
  s.tasks().end_if_dead(L, co);
  return lua_gettop(L);
}

// The function coroutine.wrap returns: upvalue 1 the scheduler, 2 the original
// wrapper, 3 its coroutine. Calls the original with the watchdog told about the
// coroutine; an error string gets the caller's position, as the original gives it
// when nothing stands between it and its caller.
int call_wrapped(lua_State* L) {
  Scheduler& s = scheduler_of(L);
  lua_State* co = lua_tothread(L, lua_upvalueindex(3));
  const int n = lua_gettop(L);
  lua_pushvalue(L, lua_upvalueindex(2));
  lua_insert(L, 1);
  const SliceMark mark = s.slice_watch().enter(co, SliceKind::Inherit);
  const int status = lua_pcall(L, n, LUA_MULTRET, 0);
  s.slice_watch().leave(mark);
  if (status == LUA_OK) return lua_gettop(L);
  if (status != LUA_ERRMEM && lua_type(L, -1) == LUA_TSTRING) {
    luaL_where(L, 1);
    lua_insert(L, -2);
    lua_concat(L, 2);
  }
  return lua_error(L);
}

// coroutine.wrap(f): the original's function, itself wrapped by call_wrapped.
int wrap_watched(lua_State* L) {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  lua_settop(L, 1);
  lua_pushvalue(L, lua_upvalueindex(2));
  lua_insert(L, 1);
  lua_call(L, 1, 1);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  if (lua_getupvalue(L, 2, 1) == nullptr || !lua_isthread(L, -1)) {
    lua_settop(L, 2);  // Not the stock wrap: leave it as it is.
    return 1;
  }
  lua_pushcclosure(L, call_wrapped, 3);
  return 1;
}

void wrap_field(lua_State* L, Scheduler& s, int table, const char* name, lua_CFunction fn) {
  lua_pushlightuserdata(L, &s);
  lua_getfield(L, table, name);
  lua_pushcclosure(L, fn, 2);
  lua_setfield(L, table, name);
}

const luaL_Reg kTaskFunctions[] = {
    {"taskInit", sys_task_init}, {"taskInitNamed", sys_task_init_named},
    {"wait", sys_wait},          {"check_task", sys_check_task},
    {"coresume", sys_coresume},  {"tasks", sys_tasks},
    {"taskInfo", sys_task_info}, {nullptr, nullptr},
};

}  // namespace

// Reads an optional wait time: nil (no timeout, unless required), else a number
// rounded up to whole milliseconds.
WaitTime read_wait_time(lua_State* L, int index, bool optional) {
  WaitTime time;
  if (optional && lua_isnoneornil(L, index)) return time;
  const lua_Number ms = luaL_checknumber(L, index);
  time.has_timeout = true;
  if (!(ms > 0)) {
    time.ms = 0;
  } else if (ms >= 4.0e15) {
    time.ms = kForever / 2;
  } else {
    time.ms = static_cast<Millis>(std::ceil(ms));
  }
  return time;
}

void TaskPart::wrap_coroutine_library(lua_State* L) {
  lua_getglobal(L, LUA_COLIBNAME);
  if (lua_istable(L, -1)) {
    const int table = lua_gettop(L);
    wrap_field(L, s_, table, "close", call_then_end_if_dead);
    wrap_field(L, s_, table, "resume", resume_watched);
    wrap_field(L, s_, table, "wrap", wrap_watched);
  }
  lua_pop(L, 1);
}

void TaskPart::register_functions(lua_State* L) {
  lua_pushlightuserdata(L, &s_);
  lua::set_functions(L, kTaskFunctions, 1);
}

void TaskPart::create_tables(lua_State* L) {
  lua::new_table(L, 64, 0);
  anchors_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
  // Weak keys: entries vanish with their (coroutine) keys.
  lua_newtable(L);
  lua_newtable(L);
  lua_pushliteral(L, "k");
  lua_setfield(L, -2, "__mode");
  lua_setmetatable(L, -2);
  dead_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
}

std::vector<std::uint32_t>& TaskPart::live_in_order() {
  scratch_.clear();
  for (std::uint32_t i = 0; i < records_.size(); ++i) {
    if (records_[i].co != nullptr) scratch_.push_back(i);
  }
  std::sort(scratch_.begin(), scratch_.end(), [this](std::uint32_t a, std::uint32_t b) {
    return records_[a].order < records_[b].order;
  });
  return scratch_;
}

void TaskPart::push_dead_name(lua_State* L, int co_index) {
  co_index = lua_absindex(L, co_index);
  lua_rawgeti(L, LUA_REGISTRYINDEX, dead_ref_);
  lua_pushvalue(L, co_index);
  lua_rawget(L, -2);
  lua_remove(L, -2);
}

void TaskPart::push_coroutine(lua_State* L, std::uint32_t slot) {
  lua_rawgeti(L, LUA_REGISTRYINDEX, anchors_ref_);
  lua_rawgeti(L, -1, static_cast<lua_Integer>(slot) + 1);
  lua_remove(L, -2);
}

// A task timeout fired: ends the wait and resumes the task (phase 2).
void TaskPart::fire_timer(const DueTimer& due) {
  const auto slot = static_cast<std::uint32_t>(due.payload.data & 0xFFFFFFFFu);
  const auto seq = static_cast<std::uint32_t>(due.payload.data >> 32);
  if (slot >= records_.size()) return;
  Task& task = records_[slot];
  if (task.co == nullptr || task.wait_seq != seq || task.timer != due.handle) return;
  task.timer = TimerHandle{};
  end_wait(task);
  resume(s_.loop_state(), slot, 0);
}

// Phase 5: resumes, in call order, the tasks that entered wait(ms < 1) or a waitUntil
// poll before this pass began; the ones that entered it during this pass wait a pass.
void TaskPart::run_ready() {
  ready_run_.clear();
  std::swap(ready_, ready_run_);
  const std::uint64_t epoch = ready_epoch_++;
  for (const ReadyEntry& entry : ready_run_) {
    if (entry.epoch >= epoch) ready_.push_back(entry);
  }
  for (std::size_t i = 0; i < ready_run_.size(); ++i) {
    const ReadyEntry entry = ready_run_[i];
    if (entry.epoch >= epoch) continue;
    Task& task = records_[entry.task];
    if (task.co == nullptr || task.wait_seq != entry.wait_seq || !task.polling) continue;
    task.polling = false;
    end_wait(task);
    s_.slice_watch().next_slice();
    resume(s_.loop_state(), entry.task, 0);
    s_.drain();
  }
  ready_run_.clear();
}

}  // namespace luasys::detail

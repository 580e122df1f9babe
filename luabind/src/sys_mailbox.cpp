// Mailboxes (spec §5): a named queue of messages per task created by taskInitEx.
// A mailbox is a Lua table {cb = cbFun, h = head, t = tail, [h..t] = messages}; sendMsg
// appends and publishes the name, and waitMsg waits for that publish like waitUntil,
// rescanning the mailbox each time it is woken.

#include "lua_util.h"
#include "scheduler.h"

namespace luasys::detail {

namespace {

// Pushes the mailbox named by the value at `name`, or nil.
int push_mailbox(lua_State* L, Scheduler& s, int name) {
  s.push_mailboxes(L);
  lua_pushvalue(L, name);
  const int type = lua_rawget(L, -2);
  lua_remove(L, -2);
  return type;
}

lua_Integer get_index(lua_State* L, int box, const char* field) {
  lua_getfield(L, box, field);
  const lua_Integer value = lua_tointeger(L, -1);
  lua_pop(L, 1);
  return value;
}

void set_index(lua_State* L, int box, const char* field, lua_Integer value) {
  lua_pushinteger(L, value);
  lua_setfield(L, box, field);
}

// Creates an empty mailbox named by the value at `name` with callback at `cb`.
void new_mailbox(lua_State* L, Scheduler& s, int name, int cb) {
  s.push_mailboxes(L);
  lua_pushvalue(L, name);
  lua::new_table(L, 0, 3);
  lua_pushvalue(L, cb);
  lua_setfield(L, -2, "cb");
  set_index(L, lua_gettop(L), "h", 1);
  set_index(L, lua_gettop(L), "t", 0);
  lua_rawset(L, -3);
  lua_pop(L, 1);
}

// Takes the oldest message matching the target at `target` (any when nil) out of the
// mailbox at `box`; earlier ones go to its callback. Pushes the message and returns
// true, or returns false having emptied the mailbox.
bool take_message(lua_State* L, int box, int target) {
  for (;;) {
    const lua_Integer head = get_index(L, box, "h");
    if (head > get_index(L, box, "t")) return false;
    lua_rawgeti(L, box, head);
    lua_pushnil(L);
    lua_rawseti(L, box, head);
    set_index(L, box, "h", head + 1);
    if (lua_isnil(L, target)) return true;
    lua_rawgeti(L, -1, 1);
    const bool match = lua_compare(L, -1, target, LUA_OPEQ) != 0;
    lua_pop(L, 1);
    if (match) return true;
    lua_getfield(L, box, "cb");
    if (lua_isfunction(L, -1)) {
      lua_insert(L, -2);
      lua_call(L, 1, 0);
    } else {
      lua_pop(L, 2);
    }
  }
}

int sys_task_init_ex(lua_State* L) {
  Scheduler& s = scheduler_of(L);
  luaL_checktype(L, 1, LUA_TFUNCTION);
  if (lua_isnoneornil(L, 2)) luaL_typeerror(L, 2, "task name");
  if (!lua_isnoneornil(L, 3)) luaL_checktype(L, 3, LUA_TFUNCTION);
  if (lua_isnone(L, 3)) lua_pushnil(L);
  new_mailbox(L, s, 2, 3);
  // As taskInitNamed(name, fn, ...): reorder (fn, name, cb, args...) to (name, fn, args...).
  lua_remove(L, 3);
  lua_pushvalue(L, 1);
  lua_remove(L, 1);
  lua_insert(L, 2);
  luaL_tolstring(L, 1, nullptr);
  lua_replace(L, 1);
  return spawn_task(L, 2, 1);
}

int sys_send_msg(lua_State* L) {
  Scheduler& s = scheduler_of(L);
  const int n = lua_gettop(L);
  if (n == 0 || push_mailbox(L, s, 1) != LUA_TTABLE) {
    lua_pushboolean(L, 0);
    return 1;
  }
  const int box = lua_gettop(L);
  lua::new_table(L, static_cast<std::size_t>(n - 1), 0);
  for (int i = 2; i <= n; ++i) {
    lua_pushvalue(L, i);
    lua_rawseti(L, -2, i - 1);
  }
  const lua_Integer tail = get_index(L, box, "t") + 1;
  lua_rawseti(L, box, tail);
  set_index(L, box, "t", tail);
  s.messages().publish_top(L, 1, 1);
  lua_pushboolean(L, 1);
  return 1;
}

int wait_msg_continue(lua_State* L, int status, lua_KContext context);

// Waits for a publish of the mailbox name at index 1 until the deadline at index 3.
// The stack is (name, target, deadline); yields, continuing in wait_msg_continue.
int wait_for_mail(lua_State* L, Scheduler& s, std::uint32_t slot) {
  const Millis deadline = lua_tointeger(L, 3);
  WaitTime time;
  if (deadline != kForever) {
    time.has_timeout = true;
    const Millis left = deadline - s.now();
    time.ms = left < 1 ? 1 : left;
  }
  const std::uint32_t set = s.messages().find_or_add_set(L, 1);
  luaL_tolstring(L, 1, nullptr);  // For waiting_on, before any C++ state changes.
  if (!s.tasks().begin_wait(slot, WaitKind::Mailbox, time)) return s.tasks().raise_timer_limit(L);
  s.tasks()[slot].mailbox.assign(lua::to_view(L, -1));
  lua_pop(L, 1);
  Subscriber subscriber;
  subscriber.key = L;
  subscriber.task = slot;
  subscriber.by_wait = true;
  if (s.messages().add_subscriber(L, set, subscriber)) s.tasks()[slot].wait_sets.push_back(set);
  return lua_yieldk(L, 0, 0, wait_msg_continue);
}

// Continuation of waitMsg: the stack holds (name, target, deadline) and the resume
// values. A timeout (resumed with nothing) gives nil; anything else rescans.
int wait_msg_continue(lua_State* L, int /*status*/, lua_KContext /*context*/) {
  Scheduler& s = scheduler_of(L);
  const std::uint32_t slot = s.tasks().task_of(L);
  if (slot != kNone) s.tasks().end_wait(s.tasks()[slot]);
  const bool timed_out = lua_gettop(L) == 3;
  lua_settop(L, 3);
  if (push_mailbox(L, s, 1) != LUA_TTABLE) {
    lua_pushboolean(L, 0);
    return 1;
  }
  if (take_message(L, 4, 2)) return 1;
  if (timed_out) {
    lua_pushnil(L);
    return 1;
  }
  lua_settop(L, 3);
  return wait_for_mail(L, s, slot);
}

int sys_wait_msg(lua_State* L) {
  Scheduler& s = scheduler_of(L);
  const std::uint32_t slot = s.tasks().current(L, "sys.waitMsg");
  const lua_Number ms = luaL_optnumber(L, 3, 0);
  lua_settop(L, 3);
  if (push_mailbox(L, s, 1) != LUA_TTABLE) {
    lua_pushboolean(L, 0);
    return 1;
  }
  if (take_message(L, 4, 2)) return 1;
  // The deadline stays fixed across rescans: kForever when waiting forever.
  const WaitTime time = ms > 0 ? read_wait_time(L, 3, false) : WaitTime{};
  lua_settop(L, 2);
  lua_pushinteger(L, time.has_timeout ? saturating_add(s.now(), time.ms) : kForever);
  return wait_for_mail(L, s, slot);
}

int sys_clean_msg(lua_State* L) {
  Scheduler& s = scheduler_of(L);
  lua_settop(L, 1);
  if (push_mailbox(L, s, 1) != LUA_TTABLE) {
    lua_pushboolean(L, 0);
    return 1;
  }
  lua_getfield(L, 2, "cb");
  new_mailbox(L, s, 1, 3);
  lua_pushboolean(L, 1);
  return 1;
}

int sys_task_del(lua_State* L) {
  Scheduler& s = scheduler_of(L);
  lua_settop(L, 1);
  if (lua_isnil(L, 1)) return 0;
  s.push_mailboxes(L);
  lua_pushvalue(L, 1);
  lua_pushnil(L);
  lua_rawset(L, -3);
  return 0;
}

const luaL_Reg kMailboxFunctions[] = {
    {"taskInitEx", sys_task_init_ex}, {"sendMsg", sys_send_msg}, {"waitMsg", sys_wait_msg},
    {"cleanMsg", sys_clean_msg},      {"taskDel", sys_task_del}, {nullptr, nullptr},
};

}  // namespace

void register_mailbox_functions(lua_State* L, Scheduler& s) {
  lua_pushlightuserdata(L, &s);
  lua::set_functions(L, kMailboxFunctions, 1);
}

}  // namespace luasys::detail

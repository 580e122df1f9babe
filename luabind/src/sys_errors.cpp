// Error isolation (spec §6.2-6.4): failures of tasks, timer callbacks and subscribers
// are reported as one log.error line (tag `sys`) plus the traceback, or handed to the
// sys.onError handler; then COROUTINE_ERROR_RESTART may reboot.

#include <cstdio>
#include <cstring>
#include <string>

#include "lua_util.h"
#include "scheduler.h"

namespace luasys::detail {

int traceback_handler(lua_State* L) {
  Scheduler* s = scheduler_from_registry(L);
  if (s == nullptr || s->is_stop_sentinel(L, 1)) return 1;
  luaL_traceback(L, L, nullptr, 1);
  s->keep_traceback(L);
  lua_settop(L, 1);
  return 1;
}

int push_traceback_handler(lua_State* L) {
  lua::push_function(L, traceback_handler);
  return lua_gettop(L);
}

// Pushes the text of the error object at `index`: a string or number as is, else its
// __tostring, else "(error object is a <type> value)". May run a metamethod.
void push_error_text(lua_State* L, int index) {
  index = lua_absindex(L, index);
  const int type = lua_type(L, index);
  if (type == LUA_TSTRING || type == LUA_TNUMBER) {
    lua_pushvalue(L, index);
    lua_tolstring(L, -1, nullptr);
    return;
  }
  if (luaL_callmeta(L, index, "__tostring")) {
    if (lua_type(L, -1) == LUA_TSTRING) return;
    lua_pop(L, 1);
  }
  lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, index));
}

void push_where(lua_State* L, int index) {
  lua_Debug ar;
  lua_pushvalue(L, index);
  if (!lua_isfunction(L, -1)) {
    lua_pop(L, 1);
    lua_pushliteral(L, "?");
    return;
  }
  lua_getinfo(L, ">S", &ar);
  if (ar.what[0] == 'C') {
    lua_pushliteral(L, "[C]");
  } else {
    lua_pushfstring(L, "%s:%d", ar.short_src, ar.linedefined);
  }
}

namespace {

// "file:line" of the function at the bottom of a (failed) coroutine's stack.
void push_task_where(lua_State* L, lua_State* co) {
  lua_Debug ar;
  int level = 0;
  while (lua_getstack(co, level + 1, &ar)) ++level;
  if (co == nullptr || !lua_getstack(co, level, &ar) || !lua_getinfo(co, "S", &ar)) {
    lua_pushliteral(L, "?");
  } else if (ar.what[0] == 'C') {
    lua_pushliteral(L, "[C]");
  } else {
    lua_pushfstring(L, "%s:%d", ar.short_src, ar.linedefined);
  }
}

// Stack of report_protected: 1 scheduler, 2 failure, 3 error, 4 traceback, 5 function,
// 6 id; then 7 message text, 8 where, 9 first line.
constexpr int kError = 3, kTraceback = 4, kFunction = 5, kId = 6;
constexpr int kText = 7, kWhere = 8, kHead = 9;

void push_head_line(lua_State* L, Scheduler& s, const Failure& f) {
  const char* text = lua_tostring(L, kText);
  const char* where = lua_tostring(L, kWhere);
  switch (f.kind) {
    case Failure::Kind::Task:
      lua_pushfstring(L, "task \"%s\" failed: %s", s.tasks()[f.task].name.c_str(), text);
      break;
    case Failure::Kind::Timer:
      lua_pushfstring(L, "timer %I (%s) failed: %s", static_cast<lua_Integer>(f.timer_id), where,
                      text);
      break;
    case Failure::Kind::Subscriber:
      luaL_tolstring(L, kId, nullptr);
      lua_pushfstring(L, "subscriber (%s) for message \"%s\" failed: %s", where,
                      lua_tostring(L, -1), text);
      lua_remove(L, -2);
      break;
    default:
      lua_pushfstring(L, "%s (%s) failed: %s", f.context, where, text);
      break;
  }
}

void log_default(lua_State* L, Scheduler& s) {
  lua_pushvalue(L, kHead);
  lua_pushliteral(L, "\n");
  lua_pushvalue(L, kTraceback);
  lua_concat(L, 3);
  s.log_line(LogLevel::Error, "sys", lua::to_view(L, -1));
  lua_pop(L, 1);
}

void push_info(lua_State* L, Scheduler& s, const Failure& f) {
  static const char* const kKinds[] = {"task", "timer", "subscriber", "other"};
  lua::new_table(L, 0, 7);
  lua_pushstring(L, kKinds[static_cast<int>(f.kind)]);
  lua_setfield(L, -2, "kind");
  lua_pushvalue(L, kText);
  lua_setfield(L, -2, "message");
  lua_pushvalue(L, kTraceback);
  lua_setfield(L, -2, "traceback");
  lua_pushvalue(L, kWhere);
  lua_setfield(L, -2, "where");
  if (f.kind == Failure::Kind::Task) {
    lua::push(L, s.tasks()[f.task].name);
    lua_setfield(L, -2, "name");
    s.tasks().push_coroutine(L, f.task);
    lua_setfield(L, -2, "co");
  } else if (f.kind == Failure::Kind::Timer) {
    lua_pushinteger(L, f.timer_id);
    lua_setfield(L, -2, "id");
  } else if (f.kind == Failure::Kind::Subscriber) {
    lua_pushvalue(L, kId);
    lua_setfield(L, -2, "id");
  }
}

int report_protected(lua_State* L) {
  Scheduler& s = *static_cast<Scheduler*>(lua_touserdata(L, 1));
  const Failure& f = *static_cast<const Failure*>(lua_touserdata(L, 2));
  lua_settop(L, kId);
  push_error_text(L, kError);
  if (lua_type(L, kTraceback) != LUA_TSTRING) {  // Memory errors skip the handler.
    lua_pushliteral(L, "stack traceback:\n\t(not available)");
    lua_replace(L, kTraceback);
  }
  if (f.kind == Failure::Kind::Task) {
    push_task_where(L, s.tasks()[f.task].co);
  } else {
    push_where(L, kFunction);
  }
  push_head_line(L, s, f);
  if (!s.push_error_handler(L)) {
    log_default(L, s);
  } else {
    push_info(L, s, f);
    if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
      if (s.is_stop_sentinel(L, -1)) return lua_error(L);
      log_default(L, s);
      push_error_text(L, -1);
      s.log_line(LogLevel::Error, "sys",
                 lua_pushfstring(L, "onError handler failed: %s", lua_tostring(L, -1)));
    }
  }
  s.maybe_restart(L);
  return 0;
}

void push_or_nil(lua_State* L, int index) {
  if (index == 0) {
    lua_pushnil(L);
  } else {
    lua_pushvalue(L, index);
  }
}

}  // namespace

void Scheduler::report(lua_State* L, const Failure& failure) {
  const int top = lua_gettop(L);
  if (!lua_checkstack(L, 12)) {
    log_line(LogLevel::Error, "sys", "an error could not be reported (stack overflow)");
    return;
  }
  lua::push_function(L, report_protected);
  lua_pushlightuserdata(L, this);
  lua_pushlightuserdata(L, const_cast<Failure*>(&failure));
  push_or_nil(L, failure.error_index);
  push_or_nil(L, failure.traceback_index);
  push_or_nil(L, failure.function_index);
  push_or_nil(L, failure.id_index);
  if (lua_pcall(L, 6, 0, 0) != LUA_OK && !is_stop_sentinel(L, -1)) {
    log_line(LogLevel::Error, "sys", "an error could not be reported: " + error_text(L, -1));
  }
  lua_settop(L, top);
}

namespace {

int tostring_protected(lua_State* L) {
  if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) return 1;
  lua_pushnil(L);
  return 1;
}

}  // namespace

std::string Scheduler::error_text(lua_State* L, int index) {
  index = lua_absindex(L, index);
  if (lua_type(L, index) == LUA_TSTRING) return std::string(lua::to_view(L, index));
  if (lua_type(L, index) == LUA_TNUMBER) {
    char text[64];
    if (lua_isinteger(L, index)) {
      std::snprintf(text, sizeof text, "%lld", static_cast<long long>(lua_tointeger(L, index)));
    } else {
      std::snprintf(text, sizeof text, "%.14g", static_cast<double>(lua_tonumber(L, index)));
      if (std::strpbrk(text, ".eEin") == nullptr) std::strcat(text, ".0");  // As Lua prints it.
    }
    return text;
  }
  if (lua_checkstack(L, 3)) {
    lua::push_function(L, tostring_protected);
    lua_pushvalue(L, index);
    const bool ok = lua_pcall(L, 1, 1, 0) == LUA_OK && lua_type(L, -1) == LUA_TSTRING;
    std::string text = ok ? std::string(lua::to_view(L, -1)) : std::string();
    lua_pop(L, 1);
    if (ok) return text;
  }
  return std::string("(error object is a ") + luaL_typename(L, index) + " value)";
}

void Scheduler::keep_traceback(lua_State* L) {
  lua_rawseti(L, LUA_REGISTRYINDEX, traceback_ref_);
}

void Scheduler::replace_error_handler(lua_State* L, int index) {
  index = lua_absindex(L, index);
  if (on_error_ref_ == LUA_NOREF) {
    lua_pushnil(L);
  } else {
    lua_rawgeti(L, LUA_REGISTRYINDEX, on_error_ref_);
    luaL_unref(L, LUA_REGISTRYINDEX, on_error_ref_);
    on_error_ref_ = LUA_NOREF;
  }
  if (!lua_isnil(L, index)) {
    lua_pushvalue(L, index);
    on_error_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
  }
}

bool Scheduler::push_error_handler(lua_State* L) {
  if (on_error_ref_ == LUA_NOREF) return false;
  lua_rawgeti(L, LUA_REGISTRYINDEX, on_error_ref_);
  return true;
}

void Scheduler::push_last_traceback(lua_State* L) {
  lua_rawgeti(L, LUA_REGISTRYINDEX, traceback_ref_);
  if (lua_type(L, -1) != LUA_TSTRING) {
    lua_pop(L, 1);
    lua_pushnil(L);
    return;
  }
  lua_pushboolean(L, 0);  // Consumed: a later error without a handler run finds none.
  lua_rawseti(L, LUA_REGISTRYINDEX, traceback_ref_);
}

void Scheduler::maybe_restart(lua_State* L) {
  lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
  lua_pushliteral(L, "COROUTINE_ERROR_RESTART");
  lua_rawget(L, -2);
  const bool restart = lua_type(L, -1) == LUA_TBOOLEAN && lua_toboolean(L, -1);
  lua_pop(L, 2);
  if (restart) reboot(L, "error");
}

}  // namespace luasys::detail

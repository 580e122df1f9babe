// Core natives: the engine clock, the log, the instruction budget and diagnostics.

#include <string>

#include "common/diagnostic.h"
#include "lang/diagnostics.h"
#include "natives.h"

namespace er::detail {

namespace {

constexpr const char* kContextKey = "er.engine.context";

// native.epoch_ms() -> integer: the engine's wall clock (Unix epoch in ms).
int epoch_ms(lua_State* L) {
  lua_pushinteger(L, context_of(L).epoch_ms());
  return 1;
}

// native.set_epoch_ms(ms): moves the engine's wall clock so that it reads `ms` now.
int set_epoch_ms(lua_State* L) {
  auto& context = context_of(L);
  const lua_Integer target = luaL_checkinteger(L, 1);
  context.wall_offset_ms = target - context.clock->wall_ms();
  return 0;
}

// native.loop_ms() -> integer: the loop clock's milliseconds from an arbitrary origin
// (simulated on a virtual clock; not moved by set_epoch_ms). Uptime counts on it.
int loop_ms(lua_State* L) {
  lua_pushinteger(L, static_cast<lua_Integer>(context_of(L).clock->now()));
  return 1;
}

// native.is_virtual() -> boolean.
int is_virtual(lua_State* L) {
  lua_pushboolean(L, context_of(L).clock->is_virtual() ? 1 : 0);
  return 1;
}

// native.log(level, text): one finished line to the host (level: 1 debug ... 4 error).
int log_line(lua_State* L) {
  const lua_Integer level = luaL_checkinteger(L, 1);
  size_t length = 0;
  const char* text = luaL_checklstring(L, 2, &length);
  const auto clamped = static_cast<int>(level < 1 ? 1 : (level > 4 ? 4 : level));
  context_of(L).host->write_log(static_cast<luasys::LogLevel>(clamped),
                                std::string_view(text, length));
  return 0;
}

// native.stop(): the loop stops after its current pass (the test runner, er.cli).
int stop(lua_State* L) {
  context_of(L).runtime->request_stop();
  return 0;
}

// The registry key of the functions waiting for the end of the pass (a sequence).
const char kPassEndKey = 0;

// native.at_pass_end(fn): fn runs once at the end of the current loop pass (after its
// ready tasks), or of the next one when no pass is running, with the other functions
// queued for it, in order. The engine writes a pass's device changes there, in one
// batch, without a timer and an extra pass.
int at_pass_end(lua_State* L) {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &kPassEndKey) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_createtable(L, 4, 0);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &kPassEndKey);
  }
  lua_pushvalue(L, 1);
  lua_rawseti(L, -2, static_cast<lua_Integer>(lua_rawlen(L, -2)) + 1);
  context_of(L).runtime->request_pass_end();
  return 0;
}

// Calls the queued functions (taken first, so that one may queue itself for the next
// pass). An error in one is logged and does not keep the others from running.
int run_pass_end_calls(lua_State* L) {
  auto* context = static_cast<EngineContext*>(lua_touserdata(L, 1));
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &kPassEndKey) != LUA_TTABLE) return 0;
  lua_pushnil(L);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kPassEndKey);
  const auto count = static_cast<lua_Integer>(lua_rawlen(L, -1));
  for (lua_Integer i = 1; i <= count; ++i) {
    lua_rawgeti(L, -1, i);
    if (lua_pcall(L, 0, 0, 0) != LUA_OK) {
      size_t length = 0;
      const char* text = lua_tolstring(L, -1, &length);
      const std::string line = "end of pass: " + std::string(text != nullptr ? text : "error", length);
      context->host->write_log(luasys::LogLevel::Error, line);
      lua_pop(L, 1);
    }
  }
  return 0;
}

void budget_exceeded(lua_State* L, lua_Debug* /*ar*/) {
  lua_getfield(L, LUA_REGISTRYINDEX, kContextKey);
  const auto* context = static_cast<const EngineContext*>(lua_touserdata(L, -1));
  lua_pop(L, 1);
  const auto budget = context != nullptr ? context->instruction_budget : 0;
  luaL_error(L, "instruction budget exceeded (%I instructions without waiting)",
             static_cast<lua_Integer>(budget));
}

// native.budget(co): (re)starts the instruction budget of coroutine `co` (or of the
// running thread when nil). A no-op when the budget is off.
int budget(lua_State* L) {
  auto& context = context_of(L);
  lua_State* thread = lua_isthread(L, 1) ? lua_tothread(L, 1) : L;
  if (context.instruction_budget == 0) return 0;
  const auto count = context.instruction_budget > 0x7fffffffU
                         ? 0x7fffffff
                         : static_cast<int>(context.instruction_budget);
  lua_sethook(thread, budget_exceeded, LUA_MASKCOUNT, count);
  return 0;
}

// native.budget_limit() -> the per-run instruction budget (0: none).
int budget_limit(lua_State* L) {
  lua_pushinteger(L, static_cast<lua_Integer>(context_of(L).instruction_budget));
  return 1;
}

// native.budget_off(co): removes the budget hook of `co` (or of the running thread).
int budget_off(lua_State* L) {
  lua_State* thread = lua_isthread(L, 1) ? lua_tothread(L, 1) : L;
  lua_sethook(thread, nullptr, 0, 0);
  return 0;
}

// native.format_diagnostic(file, source, line, col, message [, label]) -> the
// diagnostic block (label "error" unless given, e.g. "runtime error"), with a trailing
// newline; hostile text (control characters, very long lines) is made safe to log.
int format_diagnostic(lua_State* L) {
  size_t file_length = 0;
  size_t source_length = 0;
  size_t message_length = 0;
  size_t label_length = 0;
  const char* file = luaL_checklstring(L, 1, &file_length);
  const char* source = luaL_checklstring(L, 2, &source_length);
  const lua_Integer line = luaL_checkinteger(L, 3);
  const lua_Integer column = luaL_checkinteger(L, 4);
  const char* message = luaL_checklstring(L, 5, &message_length);
  const char* label = luaL_optlstring(L, 6, "error", &label_length);
  const std::string& text = push_boxed(L, [&] {
    const common::Position at{static_cast<std::uint32_t>(line < 1 ? 1 : line),
                              static_cast<std::uint32_t>(column < 1 ? 1 : column)};
    return lang::render_report(std::string_view(file, file_length), std::string_view(source, source_length), at,
                               std::string_view(label, label_length), std::string_view(message, message_length));
  });
  lua_pushlstring(L, text.data(), text.size());
  return 1;
}

// native.set_heap_limit(bytes): the Lua heap limit (0: none), from home.lua.
int set_heap_limit(lua_State* L) {
  const lua_Integer bytes = luaL_checkinteger(L, 1);
  luaL_argcheck(L, bytes >= 0, 1, "must not be negative");
  context_of(L).runtime->set_heap_limit(static_cast<std::size_t>(bytes));
  return 0;
}

}  // namespace

void open_core_natives(lua_State* L, EngineContext& context) {
  lua_pushlightuserdata(L, &context);
  lua_setfield(L, LUA_REGISTRYINDEX, kContextKey);
  static const luaL_Reg kFunctions[] = {
      {"epoch_ms", epoch_ms},     {"set_epoch_ms", set_epoch_ms},
      {"is_virtual", is_virtual}, {"log", log_line}, {"loop_ms", loop_ms},
      {"protected_runner", luasys::protected_runner},
      {"set_heap_limit", set_heap_limit},
      {"budget", budget},         {"budget_off", budget_off},
      {"budget_limit", budget_limit},
      {"format_diagnostic", format_diagnostic}, {"stop", stop},
      {"at_pass_end", at_pass_end},
      {nullptr, nullptr}};
  register_natives(L, context, kFunctions);
}

void install_pass_end_hook(EngineContext& context) {
  context.runtime->set_pass_end_hook([&context] {
    lua_State* L = context.runtime->lua();
    lua_pushcfunction(L, run_pass_end_calls);
    lua_pushlightuserdata(L, &context);
    const luasys::CallResult result = context.runtime->call(1);
    if (result.status == luasys::CallResult::Status::Error) {
      context.host->write_log(luasys::LogLevel::Error, "end of pass: " + result.message);
    }
  });
}

}  // namespace er::detail

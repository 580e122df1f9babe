// The Runtime facade and the Scheduler's lifetime: the Lua state, its registry tables,
// the protected entry points C++ callers use, shutdown hooks and reboot.

#include "luabind/runtime.h"

#include <atomic>
#include <utility>

#include "lua_util.h"
#include "scheduler.h"

namespace luasys::detail {

namespace {

// Unique addresses used as light-userdata keys and values.
const char kSchedulerKey = 0;
const char kStopSentinel = 0;

// Creates an empty table in the registry and returns its reference.
int new_registry_table(lua_State* L, std::size_t array, std::size_t hash) {
  lua::new_table(L, array, hash);
  return luaL_ref(L, LUA_REGISTRYINDEX);
}

int return_upvalue(lua_State* L) {
  lua_pushvalue(L, lua_upvalueindex(1));
  return 1;
}

int panic_handler(lua_State* L) {
  // Only reached if a luabind invariant is broken (an unprotected error).
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kSchedulerKey);
  auto* s = static_cast<Scheduler*>(lua_touserdata(L, -1));
  lua_pop(L, 1);
  if (s != nullptr) s->log_line(LogLevel::Error, "sys", "unprotected Lua error; aborting");
  return 0;
}

struct RunRequest {
  Scheduler* scheduler;
  const RunOptions* options;
  RunResult result;
};

int run_protected(lua_State* L) {
  auto* request = static_cast<RunRequest*>(lua_touserdata(L, 1));
  request->result = request->scheduler->run_loop_unprotected(L, *request->options);
  return 0;
}

int publish_protected(lua_State* L) {
  auto* s = static_cast<Scheduler*>(lua_touserdata(L, 1));
  const auto* message = static_cast<const Message*>(lua_touserdata(L, 2));
  lua_settop(L, 0);
  s->publish_values(L, *message);
  return 0;
}

}  // namespace

Scheduler& scheduler_of(lua_State* L) {
  return *static_cast<Scheduler*>(lua_touserdata(L, lua_upvalueindex(1)));
}

Scheduler* scheduler_from_registry(lua_State* L) {
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kSchedulerKey);
  auto* s = static_cast<Scheduler*>(lua_touserdata(L, -1));
  lua_pop(L, 1);
  return s;
}

Scheduler::Scheduler(Host& host, Port& port, Clock& clock, const LoopOptions& options)
    : host_(host),
      port_(port),
      clock_(clock),
      options_(options),
      timers_(TimerHeapOptions{}),  // The shared limit is checked by at_timer_limit().
      bus_(port, BusOptions{options.bus_slots == 0 ? 1 : options.bus_slots}),
      loop_(clock, port, timers_, bus_, *this),
      watch_(options.slice_limit_ms, options.stop_grace_ms),
      log_level_(options.log_level) {
  heap_.arming = &watch_.arming();
  main_ = lua_newstate(counting_alloc, &heap_);
  work_ = main_;
  lua_atpanic(main_, panic_handler);
  lua::set_extra(main_, 0);  // New coroutines copy it: 0 means "not a task".
  lua_pushlightuserdata(main_, this);
  lua_rawsetp(main_, LUA_REGISTRYINDEX, &kSchedulerKey);
  create_registry_tables();
  open_libraries();
  // The limit applies to the program, not to opening the libraries: with a limit too
  // small for them the state still starts, and the script gets "not enough memory".
  heap_.limit = options.heap_limit;
}

Scheduler::~Scheduler() {
  if (main_ != nullptr) lua_close(main_);
}

void Scheduler::create_registry_tables() {
  lua_State* L = main_;
  task_part_.create_tables(L);
  message_part_.create_tables(L);
  timer_part_.create_tables(L);
  mailboxes_ref_ = new_registry_table(L, 0, 0);
  hooks_ref_ = new_registry_table(L, 0, 0);
  lua_pushboolean(L, 0);  // A placeholder: luaL_ref keeps no slot for nil.
  traceback_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
}

void Scheduler::open_libraries() {
  lua_State* L = main_;
  if (options_.open_standard_libs) luaL_openlibs(L);
  luaL_requiref(L, "sys", luaopen_sys, 1);
  // require("sysplus") gives sys too. It is a preload entry, not a second
  // package.loaded name, so error messages that name functions through package.loaded
  // keep saying "sys.<name>".
  lua_getfield(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  lua_pushvalue(L, -2);
  lua_pushcclosure(L, return_upvalue, 1);
  lua_setfield(L, -2, "sysplus");
  lua_pop(L, 1);
  lua_getfield(L, -1, "publish");
  lua_setglobal(L, "sys_pub");
  lua_getfield(L, -1, "sendMsg");
  lua_setglobal(L, "sys_send");
  lua_getfield(L, -1, "waitMsg");
  lua_setglobal(L, "sys_wait");
  lua_pop(L, 1);
  luaL_requiref(L, "rtos", luaopen_rtos, 1);
  luaL_requiref(L, "log", luaopen_log, 1);
  lua_pop(L, 2);
  if (options_.open_standard_libs) {
    task_part_.wrap_coroutine_library(L);
    install_pattern_functions(L);
    if (clock_.is_virtual()) wrap_os_time(L);
  }
}

// string.find/match/gmatch/gsub on the interruptible matcher (lua_pattern.h). The
// string metatable's __index is the string table, so methods change with it.
void Scheduler::install_pattern_functions(lua_State* L) {
  lua_getglobal(L, LUA_STRLIBNAME);
  if (lua_istable(L, -1)) set_pattern_functions(L, &pattern_interrupt_);
  lua_pop(L, 1);
}

void Scheduler::charge(lua_State* L, std::size_t bytes) {
  if (heap_.limit != 0 && heap_.used + bytes > heap_.limit) {
    lua_gc(L, LUA_GCCOLLECT);
    if (heap_.used + bytes > heap_.limit) {
      lua_pushliteral(L, "not enough memory");
      lua_error(L);
    }
  }
  heap_.used += bytes;
  if (heap_.used > heap_.max_used) heap_.max_used = heap_.used;
}

// A pending timer costs a slot and a heap entry in core's TimerHeap, plus the task's or
// callback's own record; slots are reused, so only a new high-water mark is charged.
void Scheduler::charge_timer(lua_State* L) {
  constexpr std::size_t kTimerSlotBytes = 64;
  const std::size_t pending = pending_timers();
  if (pending < timer_slots_charged_) return;
  charge(L, kTimerSlotBytes);
  timer_slots_charged_ = pending + 1;
}

bool Scheduler::is_stop_sentinel(lua_State* L, int index) const {
  return lua_type(L, index) == LUA_TLIGHTUSERDATA && lua_touserdata(L, index) == &kStopSentinel;
}

bool Scheduler::note_stop_request() {
  if (!stop_requested_.load()) return false;
  stop_reason_ = StopReason::Stopped;
  return true;
}

void Scheduler::request_stop() noexcept {
  stop_requested_.store(true);
  loop_.request_stop();
}

void Scheduler::interrupt_and_stop() noexcept {
  request_stop();
  watch_.interrupt_for_stop(port_.monotonic_ms());
}

void Scheduler::note_stop_interrupt() {
  if (stop_reason_ == StopReason::None) stop_reason_ = StopReason::Stopped;
  loop_.request_stop();
}

int Scheduler::raise_stop(lua_State* L) {
  lua_pushlightuserdata(L, const_cast<char*>(&kStopSentinel));
  return lua_error(L);
}

RunResult Scheduler::run_loop_unprotected(lua_State* L, const RunOptions& options) {
  if (loop_.running()) luaL_error(L, "sys.run: already running");
  run_called_ = true;
  if (stop_reason_ != StopReason::None || note_stop_request()) return RunResult::Stopped;
  lua_State* previous = work_;
  work_ = L;
  task_part_.next_epoch();  // Tasks that called wait(0) before the run resume in its first pass.
  const SliceMark outer = watch_.suspend();  // The loop's slices are watched one by one.
  const RunResult result = loop_.run(options);
  watch_.resume_after_run(outer);
  work_ = previous;
  if (stop_reason_ == StopReason::None) {
    if (result == RunResult::TimeUp) stop_reason_ = StopReason::TimeUp;
    if (result == RunResult::Stopped) stop_reason_ = StopReason::Stopped;
  }
  return result;
}

bool Scheduler::run_one_pass(lua_State* L) {
  if (stop_reason_ != StopReason::None || !loop_.has_work()) return false;
  run_called_ = true;
  lua_State* previous = work_;
  work_ = L;
  const bool ran = loop_.run_pass();
  if (ran && !has_ready() && !has_queued() && loop_.has_work()) {
    clock_.idle_until(timers_.next_deadline(), port_);
  }
  work_ = previous;
  return ran;
}

RunResult Scheduler::run_for_host(const RunOptions& options) {
  // A host that runs the loop in slices (the engine's tests, `eventrunner run --for`)
  // runs it again after a time limit; only a stop request or a reboot is final.
  if (stop_reason_ == StopReason::TimeUp) stop_reason_ = StopReason::None;
  lua_State* L = main_;
  RunRequest request{this, &options, RunResult::Idle};
  lua::push_function(L, run_protected);
  lua_pushlightuserdata(L, &request);
  if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
    if (!is_stop_sentinel(L, -1)) log_line(LogLevel::Error, "sys", error_text(L, -1));
    lua_pop(L, 1);
    request.result = RunResult::Stopped;
  }
  watch_.clear_stop();
  return request.result;
}

CallResult Scheduler::call(int nargs) {
  lua_State* L = main_;
  const int function = lua_gettop(L) - nargs;
  lua::push_function(L, traceback_handler);
  lua_insert(L, function);
  CallResult result;
  const SliceMark mark = watch_.enter(L, SliceKind::Untimed);
  const int status = lua_pcall(L, nargs, 0, function);
  watch_.leave(mark);
  if (mark.depth == 0) watch_.clear_stop();
  if (status == LUA_OK) {
    lua_settop(L, function - 1);
    return result;
  }
  if (is_stop_sentinel(L, -1)) {
    result.status = CallResult::Status::Stopped;
  } else {
    result.status = CallResult::Status::Error;
    result.message = error_text(L, -1);
    push_last_traceback(L);
    if (lua_type(L, -1) == LUA_TSTRING) result.traceback = lua::to_view(L, -1);
  }
  lua_settop(L, function - 1);
  return result;
}

void Scheduler::publish_message(const Message& message) {
  lua_State* L = main_;
  lua::push_function(L, publish_protected);
  lua_pushlightuserdata(L, this);
  lua_pushlightuserdata(L, const_cast<Message*>(&message));
  if (lua_pcall(L, 2, 0, 0) != LUA_OK) {
    log_line(LogLevel::Error, "sys", error_text(L, -1));
    lua_pop(L, 1);
  }
}

// The body of run_shutdown_hooks, in protected mode: each hook in its own pcall.
int Scheduler::run_hooks_protected(lua_State* L) {
  auto* s = static_cast<Scheduler*>(lua_touserdata(L, 1));
  lua_rawgeti(L, LUA_REGISTRYINDEX, s->hooks_ref_);
  const int hooks = lua_gettop(L);
  for (lua_Integer i = luaL_len(L, hooks); i >= 1; --i) {
    const int handler = push_traceback_handler(L);
    lua_rawgeti(L, hooks, i);
    lua_pushvalue(L, -1);  // Kept for the report's <where>.
    s->watch_.next_slice();
    if (lua_pcall(L, 0, 0, handler) != LUA_OK && !s->is_stop_sentinel(L, -1)) {
      s->push_last_traceback(L);
      Failure failure;
      failure.context = "shutdown hook";
      failure.function_index = handler + 1;
      failure.error_index = handler + 2;
      failure.traceback_index = handler + 3;
      s->report(L, failure);
    }
    lua_settop(L, hooks);
  }
  return 0;
}

void Scheduler::add_shutdown_hook(lua_State* L, int index) {
  index = lua_absindex(L, index);
  lua_rawgeti(L, LUA_REGISTRYINDEX, hooks_ref_);
  lua_pushvalue(L, index);
  lua_rawseti(L, -2, static_cast<lua_Integer>(lua_rawlen(L, -2)) + 1);
  lua_pop(L, 1);
}

void Scheduler::run_shutdown_hooks() {
  if (hooks_ran_) return;
  hooks_ran_ = true;
  lua_State* L = main_;
  lua::push_function(L, run_hooks_protected);
  lua_pushlightuserdata(L, this);
  const SliceMark mark = watch_.enter(L, SliceKind::Timed);
  const int status = lua_pcall(L, 1, 0, 0);
  watch_.leave(mark);
  if (status != LUA_OK) {
    if (!is_stop_sentinel(L, -1)) log_line(LogLevel::Error, "sys", error_text(L, -1));
    lua_pop(L, 1);
  }
}

void Scheduler::reboot(lua_State* L, std::string_view reason) {
  // Copy the reason out of Lua's memory before hooks run and may collect it.
  char text[128];
  const std::size_t length = reason.size() < sizeof text ? reason.size() : sizeof text - 1;
  reason.copy(text, length);
  text[length] = '\0';
  {
    char line[160];
    const std::string_view head = "reboot (";
    std::size_t n = 0;
    for (char c : head) line[n++] = c;
    for (std::size_t i = 0; i < length; ++i) line[n++] = text[i];
    line[n++] = ')';
    log_line(LogLevel::Warn, "rtos", std::string_view(line, n));
  }
  run_shutdown_hooks();
  host_.reboot(std::string_view(text, length));
  // The host returned (a test host): stop the loop after this pass instead.
  stop_reason_ = StopReason::Reboot;
  loop_.request_stop();
  raise_stop(L);
}

}  // namespace luasys::detail

namespace luasys {

Runtime::Runtime(Host& host, Port& port, Clock& clock, const LoopOptions& options)
    : scheduler_(std::make_unique<detail::Scheduler>(host, port, clock, options)) {}

Runtime::~Runtime() = default;

lua_State* Runtime::lua() {
  return scheduler_->main_state();
}

CallResult Runtime::call(int nargs) {
  return scheduler_->call(nargs);
}

RunResult Runtime::run() {
  return run(scheduler_->default_run_options());
}

RunResult Runtime::run(const RunOptions& options) {
  return scheduler_->run_for_host(options);
}

void Runtime::request_stop() noexcept {
  scheduler_->request_stop();
}

void Runtime::interrupt_and_stop() noexcept {
  scheduler_->interrupt_and_stop();
}

void Runtime::watchdog_tick(Millis now) noexcept {
  scheduler_->slice_watch().tick(now);
}

StopReason Runtime::stop_reason() const {
  return scheduler_->stop_reason();
}

bool Runtime::run_called() const {
  return scheduler_->run_called();
}

Bus& Runtime::bus() {
  return scheduler_->bus();
}

void Runtime::publish(const Message& message) {
  scheduler_->publish_message(message);
}

void Runtime::run_shutdown_hooks() {
  scheduler_->run_shutdown_hooks();
}

void Runtime::set_heap_limit(std::size_t bytes) {
  scheduler_->set_heap_limit(bytes);
}

void Runtime::set_pass_end_hook(std::function<void()> hook) {
  scheduler_->set_pass_end_hook(std::move(hook));
}

void Runtime::request_pass_end() {
  scheduler_->request_pass_end();
}

MemoryFigures Runtime::lua_memory() const {
  return scheduler_->lua_memory();
}

LagSummary Runtime::loop_lag() const {
  return scheduler_->loop_lag();
}

}  // namespace luasys

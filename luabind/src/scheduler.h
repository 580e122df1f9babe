#pragma once
// The sys scheduler: the LoopHandler that core's event loop drives, and the services
// the sys, rtos and log modules share (the Lua state, the clock, the loop's timer heap,
// the bus, error reports, logging, stopping). One object per Runtime; its state is
// private and every module file uses the interface below. The parts with state of
// their own are private members, each defined in its file and reached through its
// interface: tasks() (TaskPart, sys_tasks.h), messages() (MessagePart,
// sys_messages.h), timer_part() (TimerPart, sys_timers.h), rtos() (RtosPart, rtos.h)
// and slice_watch() (SliceWatch, slice_watch.h).
//
// Storage rule: C++ containers hold the bookkeeping (tasks, subscriber sets, timer
// records); Lua values (functions, message arguments, coroutines) live in a few
// registry tables indexed by integer slots, so the Lua heap cost of an idle task is
// its coroutine plus one anchor slot. Tasks and subscriber sets live in StableVector, so
// references to them stay valid while Lua code (which may add more) runs; indices
// are still preferred across Lua calls because a task may end meanwhile.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <lua.hpp>

#include "alloc.h"
#include "core/bus.h"
#include "core/clock.h"
#include "core/event_loop.h"
#include "core/message.h"
#include "core/timer_heap.h"
#include "flat_map.h"
#include "lua_pattern.h"
#include "lua_util.h"
#include "luabind/runtime.h"
#include "rtos.h"
#include "slice_watch.h"
#include "slot.h"
#include "stable_vector.h"
#include "sys_messages.h"
#include "sys_tasks.h"
#include "sys_timers.h"

namespace luasys::detail {

class Scheduler;

/// Kinds of TimerPayload this layer puts on the heap.
enum TimerKind : std::uint32_t { kTaskTimer = 1, kCallbackTimer = 2, kRtosTimer = 3 };

/// Where a failing piece of Lua code came from, for the report of spec §6.2. The
/// indices are absolute stack indices of the state passed to Scheduler::report.
struct Failure {
  enum class Kind { Task, Timer, Subscriber, Other } kind = Kind::Other;
  std::uint32_t task = kNone;  ///< Task slot (tasks).
  std::int64_t timer_id = 0;   ///< Timer id (timers).
  int error_index = 0;         ///< The error object.
  int traceback_index = 0;     ///< The traceback string (0: make one).
  int function_index = 0;      ///< The failing function (timers, subscribers, hooks).
  int id_index = 0;            ///< The message id (subscribers).
  const char* context = "";    ///< What failed, for Kind::Other ("shutdown hook").
};

/// A sys.timerStart/LoopStart/AdvStart call: the callback is at stack index 1.
struct TimerRequest {
  Millis delay = 0;
  Millis period = 0;
  std::int64_t repeats = 0;  ///< As TimerSpec::repeats.
  int first_arg = 0;         ///< Stack index of the first callback argument.
  int argc = 0;
  int callbacks = 0;  ///< Index of the callback table (an upvalue), 0: from the registry.
};

class Scheduler final : public LoopHandler {
 public:
  Scheduler(Host& host, Port& port, Clock& clock, const LoopOptions& options);
  ~Scheduler() override;
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // ---- LoopHandler (scheduler.cpp) ----
  void drain() override;
  void on_timer(const DueTimer& timer) override;
  void on_bus_message(Message& message) override;
  void run_ready() override;
  /// A requested pass end counts as a ready task: the loop runs a pass for it.
  [[nodiscard]] bool has_ready() const override { return task_part_.has_ready() || pass_end_requested_; }
  [[nodiscard]] bool has_queued() const override { return message_part_.queued() != 0; }
  void on_bus_drops(std::uint64_t new_drops, std::uint64_t total) override;
  void end_pass() override {
    if (!pass_end_requested_) return;
    pass_end_requested_ = false;
    if (pass_end_hook_) pass_end_hook_();
  }
  void set_pass_end_hook(std::function<void()> hook) { pass_end_hook_ = std::move(hook); }
  void request_pass_end() { pass_end_requested_ = true; }

  bool protect(lua_CFunction body, void* extra);
  void push_message_values(lua_State* L, const Message& message);
  void publish_values(lua_State* L, const Message& message);

  // ---- For the host: what Runtime's methods do (runtime.cpp) ----
  /// The main state, with the modules open.
  [[nodiscard]] lua_State* main_state() const { return main_; }
  CallResult call(int nargs);
  /// Runtime::run: the loop in protected mode. A time limit reached by an earlier
  /// run is forgotten (hosts run the loop in slices); a stop request or reboot is not.
  RunResult run_for_host(const RunOptions& options);
  /// The run options of LoopOptions (its time limit), for sys.run and Runtime::run().
  [[nodiscard]] RunOptions default_run_options() const { return RunOptions{options_.run_until}; }
  void request_stop() noexcept;        // Any thread.
  void interrupt_and_stop() noexcept;  // Any thread.
  void publish_message(const Message& message);
  void run_shutdown_hooks();
  [[nodiscard]] StopReason stop_reason() const { return stop_reason_; }
  [[nodiscard]] bool run_called() const { return run_called_; }
  /// The bus other threads post to (core/bus.h: thread-safe).
  [[nodiscard]] Bus& bus() { return bus_; }
  [[nodiscard]] MemoryFigures lua_memory() const {
    return MemoryFigures{heap_.limit, heap_.used, heap_.max_used};
  }
  void set_heap_limit(std::size_t bytes) { heap_.limit = bytes; }
  [[nodiscard]] LagSummary loop_lag() const { return loop_.lag().summary(); }

  // ---- Running the loop from Lua, and stopping (runtime.cpp) ----
  /// sys.run on L: runs passes until nothing is left to do, the limit or a stop.
  RunResult run_loop_unprotected(lua_State* L, const RunOptions& options);
  /// sys.safeRun on L: one pass, idling until the next deadline when nothing is ready
  /// afterwards; false, without a pass, when the program is stopping or nothing is
  /// left to do. The loop must not be running.
  bool run_one_pass(lua_State* L);
  [[nodiscard]] bool loop_running() const { return loop_.running(); }
  /// The state that runs the loop (sys.run's caller): where the loop resumes tasks.
  [[nodiscard]] lua_State* loop_state() const { return work_; }
  [[nodiscard]] bool is_main_state(const lua_State* L) const { return L == main_; }
  /// sys.onShutdown: appends the function at `index` to the shutdown hooks.
  void add_shutdown_hook(lua_State* L, int index);
  void reboot(lua_State* L, std::string_view reason);  // Raises the stop sentinel if it returns.
  int raise_stop(lua_State* L);
  void note_stop_interrupt();  // The stop hook fired: the program ends as stopped.
  /// True if request_stop() was called (SIGINT/SIGTERM); the program then ends as stopped.
  bool note_stop_request();
  [[nodiscard]] bool is_stop_sentinel(lua_State* L, int index) const;

  // ---- The clock and the host ----
  [[nodiscard]] Millis now() const { return clock_.now(); }
  [[nodiscard]] std::int64_t wall_ms() const { return clock_.wall_ms(); }
  /// Idles (in the port, or by jumping a virtual clock) until `deadline` or a bus post.
  void idle_until(Millis deadline) { clock_.idle_until(deadline, port_); }
  [[nodiscard]] std::string_view board() const { return host_.board(); }
  [[nodiscard]] MemoryFigures port_memory(std::string_view kind) const {
    return host_.port_memory(kind);
  }

  // ---- The loop's timer heap: task timeouts and callback timers ----
  /// Starts a timer whose delay counts from now; an empty handle if the heap refused.
  TimerHandle start_timer(const TimerSpec& spec) { return timers_.start(clock_.now(), spec); }
  void stop_timer(TimerHandle handle) { timers_.stop(handle); }
  [[nodiscard]] Millis timer_deadline(TimerHandle handle) const { return timers_.deadline(handle); }
  /// Pending timers of every kind (loop and rtos), as the shared limit counts them.
  [[nodiscard]] std::size_t pending_timers() const { return timers_.size() + rtos_part_.pending(); }
  [[nodiscard]] std::size_t max_timers() const { return options_.max_timers; }
  [[nodiscard]] bool at_timer_limit() const {
    return options_.max_timers != 0 && pending_timers() >= options_.max_timers;
  }

  // ---- The parts, each with its own interface ----
  [[nodiscard]] TaskPart& tasks() { return task_part_; }  // sys_tasks.h
  [[nodiscard]] const TaskPart& tasks() const { return task_part_; }
  [[nodiscard]] MessagePart& messages() { return message_part_; }  // sys_messages.h
  [[nodiscard]] const MessagePart& messages() const { return message_part_; }
  [[nodiscard]] TimerPart& timer_part() { return timer_part_; }  // sys_timers.h
  [[nodiscard]] RtosPart& rtos() { return rtos_part_; }          // rtos.h
  [[nodiscard]] SliceWatch& slice_watch() { return watch_; }     // slice_watch.h

  // ---- Mailboxes (sys_mailbox.cpp) ----
  /// Pushes the table of mailboxes (name -> mailbox).
  void push_mailboxes(lua_State* L) { lua_rawgeti(L, LUA_REGISTRYINDEX, mailboxes_ref_); }

  // ---- C++ bookkeeping under the heap limit (runtime.cpp) ----
  /// Counts `bytes` of C++ bookkeeping a script is about to add (a queued message, a
  /// task or timer record, a subscriber) toward LoopOptions::heap_limit. Past the
  /// limit, after a full collection, raises "not enough memory" (as Lua's allocator
  /// does) before anything changed. The charge stays: the containers reuse freed slots
  /// and never shrink.
  void charge(lua_State* L, std::size_t bytes);
  /// charge() for one more element of a std::vector that is full (it doubles).
  template <typename T>
  void charge_growth(lua_State* L, const std::vector<T>& v) {
    if (v.size() == v.capacity()) charge(L, (v.capacity() == 0 ? 1 : v.capacity()) * sizeof(T));
  }
  /// charge() for one more pending rtos timer beyond the most timers there ever were.
  void charge_timer(lua_State* L);

  // ---- Errors (sys_errors.cpp) and logging (log.cpp) ----
  void report(lua_State* L, const Failure& failure);  // Never raises.
  /// Stores the traceback string on top of L (popped) for push_last_traceback.
  void keep_traceback(lua_State* L);
  void push_last_traceback(lua_State* L);  // From traceback_handler, or nil; then clears it.
  /// sys.onError: makes the function (or nil: the default report) at `index` the
  /// handler and pushes the previous one (nil for the default).
  void replace_error_handler(lua_State* L, int index);
  /// Pushes the sys.onError handler and returns true; false (nothing pushed) if none.
  bool push_error_handler(lua_State* L);
  /// The text of an error object, for C++ callers outside protected mode: never raises.
  std::string error_text(lua_State* L, int index);
  void maybe_restart(lua_State* L);
  void log_line(LogLevel level, std::string_view tag, std::string_view text);
  [[nodiscard]] bool log_enabled(LogLevel level) const;
  [[nodiscard]] int log_level() const { return log_level_; }
  void set_log_level(int level) { log_level_ = level; }
  /// log.style: 1 and 2 put the caller's [file:line] first in each line, 0 does not.
  void set_log_style(int style) { log_style_ = style; }
  [[nodiscard]] bool log_shows_caller() const { return log_style_ != 0; }

 private:
  static int run_hooks_protected(lua_State* L);  // The body of run_shutdown_hooks.
  void create_registry_tables();
  void open_libraries();
  void wrap_os_time(lua_State* L);  // virtual_time.cpp
  void install_pattern_functions(lua_State* L);

  Host& host_;
  Port& port_;
  Clock& clock_;
  LoopOptions options_;
  HeapCounter heap_;
  lua_State* main_ = nullptr;
  lua_State* work_ = nullptr;  // The state that runs the loop (sys.run's caller).
  TimerHeap timers_;           // sys timers: callbacks and task timeouts.
  Bus bus_;
  EventLoop loop_;
  std::atomic<bool> stop_requested_{false};
  SliceWatch watch_;  // Runaway protection (slice_watch.h).
  PatternInterrupt pattern_interrupt_{SliceWatch::raise_if_pending, &watch_};

  // Registry tables (created in runtime.cpp).
  int mailboxes_ref_ = LUA_NOREF;  // name -> mailbox table
  int hooks_ref_ = LUA_NOREF;      // shutdown hooks, in order added
  int on_error_ref_ = LUA_NOREF;   // the sys.onError handler, or none
  int traceback_ref_ = LUA_NOREF;  // scratch slot for the last traceback

  std::size_t timer_slots_charged_ = 0;  // See charge_timer().
  std::function<void()> pass_end_hook_;   // Runtime::set_pass_end_hook.
  bool pass_end_requested_ = false;       // Runtime::request_pass_end.

  // Run state.
  bool run_called_ = false;
  StopReason stop_reason_ = StopReason::None;
  bool hooks_ran_ = false;

  // Logging.
  int log_level_ = 1;
  int log_style_ = 0;

  // The parts with state of their own, each defined in its file; everything else
  // reaches them through tasks(), messages(), timer_part() and rtos().
  TaskPart task_part_{*this};        // sys_tasks.cpp
  MessagePart message_part_{*this};  // sys_messages.cpp
  TimerPart timer_part_{*this};      // sys_timers.cpp
  RtosPart rtos_part_{*this};        // rtos.cpp
};

/// The scheduler of a module function (its first upvalue).
Scheduler& scheduler_of(lua_State* L);

/// The record of the task whose coroutine is L, from L's extra space; nullptr if L is
/// not a task. Records never move (StableVector), so the pointer stays valid.
inline Task* task_record(lua_State* L) {
  return reinterpret_cast<Task*>(lua::extra(L));
}

/// scheduler_of for module functions that mostly run inside tasks (publish, the waits):
/// the task record names the scheduler, which spares a Lua API call for the upvalue.
inline Scheduler& task_scheduler_of(lua_State* L) {
  const Task* task = task_record(L);
  return task != nullptr ? *task->owner : scheduler_of(L);
}
/// The scheduler of a Lua state, from the registry (nullptr for foreign states).
Scheduler* scheduler_from_registry(lua_State* L);

// Module openers, and the function groups luaopen_sys gathers (one per file).
int luaopen_sys(lua_State* L);
int luaopen_rtos(lua_State* L);
int luaopen_log(lua_State* L);
void register_mailbox_functions(lua_State* L, Scheduler& s);

/// The message handler for lua_pcall: keeps the error object and stores the traceback
/// at the error point in the scheduler's scratch slot.
int traceback_handler(lua_State* L);
/// Pushes traceback_handler; returns its stack index.
int push_traceback_handler(lua_State* L);
/// Pushes the text of an error object (spec §6.2 <message>).
void push_error_text(lua_State* L, int index);
/// Pushes "file:line" of the function at `index` ("[C]" for C functions).
void push_where(lua_State* L, int index);

}  // namespace luasys::detail

#pragma once
// The sys scheduler: the LoopHandler that core's event loop drives, and the services
// the sys, rtos and log modules share (the Lua state, the clock, the timer heaps, the
// bus, error reports, logging, the slice watch). One object per Runtime. The three
// parts with state of their own are private members, each defined in its file and
// reached through its interface: tasks() (TaskPart, sys_tasks.h), messages()
// (MessagePart, sys_messages.h) and timer_part() (TimerPart, sys_timers.h).
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
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <lua.hpp>

#include "alloc.h"
#include "core/bus.h"
#include "core/clock.h"
#include "core/event_loop.h"
#include "core/message.h"
#include "core/timer_heap.h"
#include "flat_map.h"
#include "lua_util.h"
#include "lua_pattern.h"
#include "luabind/runtime.h"
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
  [[nodiscard]] bool has_ready() const override { return task_part_.has_ready(); }
  [[nodiscard]] bool has_queued() const override { return message_part_.queued() != 0; }
  void on_bus_drops(std::uint64_t new_drops, std::uint64_t total) override;

  bool protect(lua_CFunction body, void* extra);
  void push_message_values(lua_State* L, const Message& message);
  void publish_values(lua_State* L, const Message& message);

  // ---- Runtime services (runtime.cpp, virtual_time.cpp) ----
  void create_registry_tables();
  void open_libraries();
  void wrap_os_time(lua_State* L);
  void install_pattern_functions(lua_State* L);
  CallResult call(int nargs);
  RunResult run_loop(const RunOptions& options);  // Protected entry for C++ callers.
  RunResult run_loop_unprotected(lua_State* L, const RunOptions& options);
  void publish_message(const Message& message);
  void run_shutdown_hooks();
  void reboot(lua_State* L, std::string_view reason);  // Raises the stop sentinel if it returns.
  int raise_stop(lua_State* L);
  void note_stop_interrupt();  // The stop hook fired: the program ends as stopped.
  [[nodiscard]] bool is_stop_sentinel(lua_State* L, int index) const;

  // ---- Tasks (sys_tasks.cpp) ----
  [[nodiscard]] TaskPart& tasks() { return task_part_; }
  [[nodiscard]] const TaskPart& tasks() const { return task_part_; }
  [[nodiscard]] bool at_timer_limit() const {
    return options_.max_timers != 0 && timers_.size() + rtos_heap_.size() >= options_.max_timers;
  }

  // ---- Messages (sys_messages.cpp) ----
  [[nodiscard]] MessagePart& messages() { return message_part_; }
  [[nodiscard]] const MessagePart& messages() const { return message_part_; }

  // ---- Callback timers (sys_timers.cpp) ----
  [[nodiscard]] TimerPart& timer_part() { return timer_part_; }

  // ---- Mailboxes (sys_mailbox.cpp) ----
  int wait_for_mail(lua_State* L, std::uint32_t slot);

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
  void push_last_traceback(lua_State* L);  // From traceback_handler, or nil; then clears it.
  /// The text of an error object, for C++ callers outside protected mode: never raises.
  std::string error_text(lua_State* L, int index);
  void maybe_restart(lua_State* L);
  void log_line(LogLevel level, std::string_view tag, std::string_view text);
  [[nodiscard]] bool log_enabled(LogLevel level) const;

  // ---- State, shared by the module files ----
  Host& host_;
  Port& port_;
  Clock& clock_;
  LoopOptions options_;
  HeapCounter heap_;
  lua_State* main_ = nullptr;
  lua_State* work_ = nullptr;  // The state that runs the loop (sys.run's caller).
  TimerHeap timers_;           // sys timers: callbacks and task timeouts.
  TimerHeap rtos_heap_;        // rtos timers, outside the loop's view.
  Bus bus_;
  EventLoop loop_;
  std::atomic<bool> stop_requested_{false};
  SliceWatch watch_;  // Runaway protection (slice_watch.h).
  PatternInterrupt pattern_interrupt_{SliceWatch::raise_if_pending, &watch_};

  // Registry tables (created in runtime.cpp).
  int mailboxes_ref_ = LUA_NOREF;   // name -> mailbox table
  int hooks_ref_ = LUA_NOREF;       // shutdown hooks, in order added
  int on_error_ref_ = LUA_NOREF;    // the sys.onError handler, or none
  int traceback_ref_ = LUA_NOREF;   // scratch slot for the last traceback

  // rtos timers and rtos.receive.
  std::unordered_map<std::int64_t, TimerHandle> rtos_timers_;
  struct RtosFired {
    std::int64_t id;
    std::int64_t repeats_left;
  };
  std::deque<RtosFired> rtos_fired_;
  std::vector<DueTimer> due_scratch_;
  Message receive_message_;

  std::size_t timer_slots_charged_ = 0;  // See charge_timer().

  // Run state.
  bool run_called_ = false;
  StopReason stop_reason_ = StopReason::None;
  bool hooks_ran_ = false;

  // Logging.
  int log_level_ = 1;
  int log_style_ = 0;

 private:
  // The parts with state of their own, each defined in its sys_*.cpp; everything else
  // reaches them through tasks(), messages() and timer_part().
  TaskPart task_part_{*this};        // sys_tasks.cpp
  MessagePart message_part_{*this};  // sys_messages.cpp
  TimerPart timer_part_{*this};      // sys_timers.cpp
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

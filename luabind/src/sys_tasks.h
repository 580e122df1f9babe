#pragma once
// Tasks (spec §2): the task records, the ready list of sys.wait(0) and waitUntil polls,
// and resuming, waiting and ending. One TaskPart per Scheduler; its state is private to
// sys_tasks.cpp, and the scheduler's other parts reach it through this interface.
// A task's record lives in C++, found from the coroutine through Lua's per-thread extra
// space; the Lua heap only holds the coroutine and one anchor slot.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <lua.hpp>

#include "core/time.h"
#include "core/timer_heap.h"
#include "slot.h"
#include "stable_vector.h"

namespace luasys::detail {

class Scheduler;

/// What a task is blocked in. Keep in sync with describe_wait() in sys_tasks.cpp.
enum class WaitKind : std::uint8_t {
  None,     ///< Running (or not started).
  Ready,    ///< sys.wait(ms < 1): resumed in phase 5 of the next pass.
  Sleep,    ///< sys.wait(ms >= 1).
  Message,  ///< sys.waitUntil and friends.
  Mailbox,  ///< sys.waitMsg.
  Yield,    ///< Suspended by something other than a sys wait.
};

struct Task {
  lua_State* co = nullptr;     ///< nullptr: free slot.
  Scheduler* owner = nullptr;  ///< Set with `co`; the extra space of `co` points to this record.
  std::uint32_t slot = kNone;  ///< This record's index in TaskPart.
  std::string name;
  std::uint64_t order = 0;     ///< Creation order, for sys.tasks().
  std::uint32_t wait_seq = 0;  ///< Bumped by every wait, so stale wake-ups are ignored.
  WaitKind wait = WaitKind::None;
  bool polling = false;                  ///< In the ready list (wait(0) or a waitUntil poll).
  bool wants_true = false;               ///< In waitUntil: a delivery may pass `true` for the id.
  bool resumed_with_true = false;        ///< Resumed by such a delivery, wait already ended.
  TimerHandle timer;                     ///< The pending timeout of the current wait.
  std::vector<std::uint32_t> wait_sets;  ///< Subscriber sets of the current waitUntil.
  std::vector<std::uint32_t> own_sets;   ///< Sets from sys.subscribe(id, co).
  std::string mailbox;                   ///< The mailbox name while in waitMsg.
};

/// The timeout of a wait, read from Lua.
struct WaitTime {
  bool has_timeout = false;  ///< False: wait without a timer.
  Millis ms = 0;             ///< Rounded up; < 1 means "until the next pass".
};

class TaskPart {
 public:
  explicit TaskPart(Scheduler& scheduler) : s_(scheduler) {}
  TaskPart(const TaskPart&) = delete;
  TaskPart& operator=(const TaskPart&) = delete;

  /// Creates the anchor and dead-name tables in the registry.
  void create_tables(lua_State* L);
  /// Registers taskInit, taskInitNamed, wait, check_task, coresume, tasks, taskInfo.
  void register_functions(lua_State* L);
  /// Wraps coroutine.close, resume and wrap (task bookkeeping, slice watch).
  void wrap_coroutine_library(lua_State* L);

  // ---- Records ----
  [[nodiscard]] Task& operator[](std::uint32_t slot) { return records_[slot]; }
  [[nodiscard]] std::size_t size() const { return records_.size(); }
  [[nodiscard]] std::size_t live() const { return live_; }
  [[nodiscard]] std::uint32_t task_of(lua_State* co) const;  // kNone if not a task.
  std::uint32_t create(lua_State* L, int co_index);
  /// The running task of L, adopting L if it is a coroutine sys has not seen; raises the
  /// "called outside a task" error on the main thread and when L cannot yield.
  std::uint32_t current(lua_State* L, const char* function);
  static void name_coroutine(lua_State* co, std::string& name);
  void end(lua_State* L, std::uint32_t slot);
  void end_if_dead(lua_State* L, lua_State* co);
  [[nodiscard]] bool resumable(lua_State* co) const;
  void push_record(lua_State* L, std::uint32_t slot);

  // ---- Waiting and resuming ----
  bool begin_wait(std::uint32_t slot, WaitKind kind, const WaitTime& time);
  int raise_timer_limit(lua_State* L);
  void end_wait(Task& task);
  int resume(lua_State* from, std::uint32_t slot, int nargs);  // Args already on co.
  int resume_suspended(lua_State* from, std::uint32_t slot, int nargs);
  void after_resume(lua_State* from, std::uint32_t slot, int status, int nresults);
  /// A task timeout fired (phase 2).
  void fire_timer(const DueTimer& due);

  // ---- The ready list (phase 5) ----
  [[nodiscard]] bool has_ready() const { return !ready_.empty(); }
  /// Tasks that called wait(0) before now resume in the next run_ready().
  void next_epoch() { ++ready_epoch_; }
  void run_ready();

  /// For sys.tasks(): the live slots in creation order, in scratch storage.
  std::vector<std::uint32_t>& live_in_order();
  /// Pushes the name sys.taskInfo gives a coroutine that ended, or nil.
  void push_dead_name(lua_State* L, int co_index);
  /// Pushes the coroutine of a live task.
  void push_coroutine(lua_State* L, std::uint32_t slot);

 private:
  void push_traceback(lua_State* L, lua_State* co);
  void push_wait_description(lua_State* L, const Task& task);

  struct ReadyEntry {
    std::uint32_t task;
    std::uint32_t wait_seq;
    std::uint64_t epoch;
  };

  Scheduler& s_;
  StableVector<Task> records_;
  std::vector<std::uint32_t> free_;
  std::vector<std::uint32_t> scratch_;
  std::uint64_t next_order_ = 1;
  std::size_t live_ = 0;
  std::vector<ReadyEntry> ready_;
  std::vector<ReadyEntry> ready_run_;  // Reused storage for run_ready().
  std::uint64_t ready_epoch_ = 1;
  int anchors_ref_ = LUA_NOREF;  // slot + 1 -> task coroutine
  int dead_ref_ = LUA_NOREF;     // weak keys: ended coroutine -> its task name
};

/// Spawns the function at fn_index with the values above it as arguments, named by
/// the string at name_index (0: "task@file:line"), and runs it to its first wait.
int spawn_task(lua_State* L, int fn_index, int name_index);
/// Reads a wait time at `index`: nil gives none when `optional`, else a number.
WaitTime read_wait_time(lua_State* L, int index, bool optional);

}  // namespace luasys::detail

#pragma once
// The callback timers of sys.timerStart, timerLoopStart and timerAdvStart (spec §4):
// the timer records, their id, identity and callback indexes, and the registry tables
// that hold callbacks and arguments. One TimerPart per Scheduler; its state is private
// to sys_timers.cpp, and the scheduler reaches it only through this interface.

#include <cstdint>
#include <vector>

#include <lua.hpp>

#include "core/timer_heap.h"
#include "flat_map.h"
#include "slot.h"

namespace luasys::detail {

class Scheduler;
struct TimerRequest;

/// A sys.timerStart record. The callback and arguments live in the timer Lua tables.
struct CallbackTimer {
  std::int64_t id = 0;
  TimerHandle handle;
  std::uint64_t identity = 0;  ///< Hash of callback plus arguments (never 0).
  const void* fn_key = nullptr;
  int argc = 0;
  bool used = false;
  // Intrusive chains of the records with the same identity hash, and the same callback
  // (0xFFFFFFFF, kNone in scheduler.h: the end of a chain).
  std::uint32_t next_same_identity = kNone;
  std::uint32_t prev_same_identity = kNone;
  std::uint32_t next_same_fn = kNone;
  std::uint32_t prev_same_fn = kNone;
};

class TimerPart {
 public:
  explicit TimerPart(Scheduler& scheduler) : s_(scheduler) {}
  TimerPart(const TimerPart&) = delete;
  TimerPart& operator=(const TimerPart&) = delete;

  /// Creates the callback and argument tables in the registry.
  void create_tables(lua_State* L);
  /// Registers timerStart, timerLoopStart, timerAdvStart, timerStop, timerStopAll and
  /// timerIsActive into the table on top of the stack.
  void register_functions(lua_State* L);
  /// Phase 3 for a callback timer: calls its callback as spec §4 says.
  void fire(lua_State* L, const DueTimer& due);

  // ---- For the C functions in sys_timers.cpp ----
  /// Starts (or restarts an identical) timer; pushes the id, or nil and the message.
  int start(lua_State* L, const TimerRequest& request);
  /// The record a (id | fn, ...) argument list names, or kNone.
  std::uint32_t named(lua_State* L);
  /// Stops the record's timer and frees it.
  void stop(lua_State* L, std::uint32_t slot);
  /// timerStopAll(fn): every timer of the callback at stack index 1.
  void stop_all(lua_State* L);
  /// Pushes the callback of a record.
  void push_callback(lua_State* L, std::uint32_t slot);

 private:
  bool matches(lua_State* L, std::uint32_t slot, int fn, int first, int argc);
  void link(std::uint32_t slot);
  void unlink_record(std::uint32_t slot);
  std::uint32_t find(lua_State* L, int fn, int first, int argc);
  std::uint32_t find(lua_State* L, std::uint64_t identity, int fn, int first, int argc);
  std::uint32_t store_values(lua_State* L, const TimerRequest& request, std::uint32_t slot);
  void clear_values(lua_State* L, std::uint32_t slot);
  void release(lua_State* L, std::uint32_t slot);

  Scheduler& s_;
  std::vector<CallbackTimer> records_;
  std::vector<std::uint32_t> free_records_;
  FlatMap by_id_;           // id -> record
  FlatMap identity_heads_;  // identity hash -> first record of its chain
  FlatMap fn_heads_;        // callback pointer -> first record of its chain
  std::int64_t next_id_ = 0x200000;
  int fns_ref_ = LUA_NOREF;   // record + 1 -> callback
  int args_ref_ = LUA_NOREF;  // record + 1 -> packed arguments
};

}  // namespace luasys::detail

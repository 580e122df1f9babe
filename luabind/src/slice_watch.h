#pragma once
// Runaway protection (docs/design.md, "The slice watchdog"). A slice is one piece of
// Lua work the loop starts: a task resume, a timer callback, one subscriber call, a
// shutdown hook. The loop thread marks where slices begin and end in a few atomics;
// a watchdog on another thread (Runtime::watchdog_tick, driven by the port) samples
// them, and only when the same slice is still running after the limit does it arm a
// count hook (count 1) on the innermost running Lua state. Nothing is hooked normally,
// so the hot path pays a few plain atomic stores per resume and no hook.
//
// The hook raises "run time limit exceeded" (or, for a stop interrupt, the stop
// sentinel) on every instruction until the slice has unwound back to the loop, so a
// pcall in a loop cannot swallow it; the watchdog re-arms it on every tick while the
// overrun lasts, so debug.sethook() cannot clear it for good.
//
// Lifetime of hooked states. lua_sethook from the watchdog thread writes into the
// target lua_State, which must not be freed meanwhile. States are only freed by the
// loop thread's collector, after the loop stopped naming them as the target. The
// watchdog sets `arming`, issues a full fence, reads the target, hooks it and clears
// `arming`; the allocator, before it frees a block the size of a thread, issues a full
// fence and waits while `arming` is set (Dekker's protocol with fences: either the
// watchdog reads the new target, or the free waits until the hook is written). The
// loop's own target stores stay plain stores, so resumes pay no fence. As with lua.c's
// SIGINT handler, lua_sethook also marks the CallInfo chain of the target; that walk
// is not guarded against the collector shrinking the chain at the same instant.

#include <atomic>
#include <cstdint>

#include <lua.hpp>

#include "core/time.h"

namespace luasys::detail {

/// What the hook should raise in the running slice.
enum class Interrupt : std::uint8_t { None, TimeLimit, Stop };

/// How an entry into Lua is watched.
enum class SliceKind : std::uint8_t {
  Timed,    ///< A slice under the time limit (loop work, a task's first run).
  Untimed,  ///< Host work (the main chunk): only a stop interrupts it.
  Inherit,  ///< A nested resume (coroutine.resume): as the enclosing entry.
};

/// Restores the watch to the entry enclosing one enter(). Trivially destructible, so
/// it may live in frames a Lua error unwinds.
struct SliceMark {
  std::uint32_t depth = 0;
  bool timed = false;
  lua_State* target = nullptr;
};

class SliceWatch {
 public:
  SliceWatch(Millis limit, Millis stop_grace) : limit_(limit), stop_grace_(stop_grace) {}

  // ---- Loop thread ----
  /// Enters Lua work on `target` (the state that will run it). Returns the mark to
  /// pass to leave() once lua_pcall or lua_resume returned.
  SliceMark enter(lua_State* target, SliceKind kind) noexcept;
  void leave(const SliceMark& mark) noexcept;
  /// Starts a new slice at loop level: the next callback of one protected frame.
  void next_slice() noexcept;
  /// sys.run inside a watched entry: the loop's own slices are watched on their own.
  SliceMark suspend() noexcept;
  void resume_after_run(const SliceMark& mark) noexcept;
  /// For the hook: what to raise now in the running slice.
  [[nodiscard]] Interrupt pending() const noexcept;
  /// Ends a stop interrupt once the host entry (call or run) returned, so that the
  /// shutdown hooks run normally.
  void clear_stop() noexcept { stop_phase_.store(kStopNone); }
  [[nodiscard]] Millis limit() const noexcept { return limit_; }
  /// The flag the allocator checks before it frees (see the header comment).
  [[nodiscard]] const std::atomic<bool>& arming() const noexcept { return arming_; }

  // ---- Any thread ----
  /// The watchdog's check; one caller at a time. Arms the hook on an overrun, and
  /// once a stop request is older than the grace period.
  void tick(Millis now) noexcept;
  /// A stop request at monotonic time `now`: from the next tick after the grace period
  /// on, whatever Lua runs (or starts) before clear_stop() is interrupted. Code that
  /// returns to the loop within the grace period finishes normally (the pass ends).
  void interrupt_for_stop(Millis now) noexcept;

  /// The count hook (loop thread, inside Lua).
  static void hook(lua_State* L, lua_Debug* ar);
  /// For long-running C functions (the pattern matcher): raises what the hook would,
  /// if an interrupt is pending. `watch` is the SliceWatch.
  static void raise_if_pending(lua_State* L, void* watch);

 private:
  static constexpr std::uint64_t kActive = 1;
  static constexpr std::uint64_t kTimed = 2;
  static constexpr std::uint64_t kSerialStep = 4;
  static constexpr int kStopNone = 0;
  static constexpr int kStopRequested = 1;
  static constexpr int kStopInterrupting = 2;

  void publish(bool active, bool timed) noexcept;
  void set_target(lua_State* target) noexcept;
  void arm_target() noexcept;  // Any thread: hooks the current target, if any.

  const Millis limit_;
  const Millis stop_grace_;
  // Written by the loop thread, read by the watchdog.
  std::atomic<std::uint64_t> state_{0};        // serial * 4 | timed | active
  std::atomic<lua_State*> target_{nullptr};    // Innermost running state, or null.
  std::atomic<std::uint64_t> overrun_{0};      // state_ of the slice interrupted for time.
  std::atomic<int> stop_phase_{kStopNone};
  std::atomic<Millis> stop_at_{0};
  std::atomic<bool> arming_{false};
  // Loop thread only.
  std::uint64_t local_state_ = 0;
  std::uint32_t depth_ = 0;
  bool timed_ = false;
  lua_State* local_target_ = nullptr;
  // Watchdog thread only.
  std::uint64_t seen_state_ = 0;
  Millis seen_since_ = 0;
};

// ---- The loop thread's side, on every resume: inline ----

inline SliceMark SliceWatch::enter(lua_State* target, SliceKind kind) noexcept {
  const SliceMark mark{depth_, timed_, local_target_};
  const bool timed = kind == SliceKind::Timed || (kind == SliceKind::Inherit && timed_);
  ++depth_;
  if (mark.depth == 0 || timed != timed_) publish(true, timed);
  set_target(target);
  if (pending() != Interrupt::None) lua_sethook(target, hook, LUA_MASKCOUNT, 1);
  return mark;
}

inline void SliceWatch::leave(const SliceMark& mark) noexcept {
  depth_ = mark.depth;
  if (depth_ == 0) {
    publish(false, false);
  } else if (mark.timed != timed_) {
    publish(true, mark.timed);
  }
  set_target(mark.target);
  // An interrupted coroutine returned to its resumer: raise there too, at once.
  if (mark.target != nullptr && depth_ != 0 && pending() != Interrupt::None) {
    lua_sethook(mark.target, hook, LUA_MASKCOUNT, 1);
  }
}

inline void SliceWatch::next_slice() noexcept {
  if (depth_ != 0) publish(true, timed_);
}

inline Interrupt SliceWatch::pending() const noexcept {
  if (stop_phase_.load(std::memory_order_relaxed) == kStopInterrupting) return Interrupt::Stop;
  const std::uint64_t overrun = overrun_.load(std::memory_order_relaxed);
  if (overrun != 0 && overrun == local_state_) return Interrupt::TimeLimit;
  return Interrupt::None;
}

inline void SliceWatch::publish(bool active, bool timed) noexcept {
  std::uint64_t next = (local_state_ & ~(kSerialStep - 1)) + kSerialStep;
  if (active) next |= kActive;
  if (timed) next |= kTimed;
  local_state_ = next;
  timed_ = timed;
  state_.store(next, std::memory_order_release);
}

inline void SliceWatch::set_target(lua_State* target) noexcept {
  if (target == local_target_) return;
  local_target_ = target;
  // A plain store: the free of a state pairs it with a fence (see the header comment).
  target_.store(target, std::memory_order_release);
}

}  // namespace luasys::detail

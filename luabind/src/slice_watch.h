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
// watchdog sets `arming` before it reads the target and clears it after lua_sethook;
// the allocator waits while `arming` is set before it frees a block (Dekker's
// protocol with sequentially consistent atomics: either the watchdog reads the new
// target, or the free waits until the hook is written).

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

}  // namespace luasys::detail

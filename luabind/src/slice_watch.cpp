// The slice watchdog's state machine (slice_watch.h) and its count hook.

#include "slice_watch.h"

#include "scheduler.h"

namespace luasys::detail {

SliceMark SliceWatch::suspend() noexcept {
  const SliceMark mark{depth_, timed_, local_target_};
  depth_ = 0;
  publish(false, false);
  set_target(nullptr);
  return mark;
}

void SliceWatch::resume_after_run(const SliceMark& mark) noexcept {
  depth_ = mark.depth;
  publish(depth_ != 0, mark.timed);
  set_target(mark.target);
}

void SliceWatch::arm_target() noexcept {
  arming_.store(true, std::memory_order_relaxed);
  std::atomic_thread_fence(std::memory_order_seq_cst);
  lua_State* target = target_.load(std::memory_order_relaxed);
  if (target != nullptr) lua_sethook(target, hook, LUA_MASKCOUNT, 1);
  arming_.store(false, std::memory_order_release);
}

void SliceWatch::tick(Millis now) noexcept {
  int phase = stop_phase_.load();
  if (phase == kStopRequested && now - stop_at_.load() >= stop_grace_) {
    stop_phase_.compare_exchange_strong(phase, kStopInterrupting);  // Fails once cleared.
    phase = stop_phase_.load();
  }
  if (phase == kStopInterrupting) arm_target();  // Every tick: debug.sethook() clears it.
  const std::uint64_t state = state_.load(std::memory_order_acquire);
  if (limit_ <= 0 || (state & kActive) == 0 || (state & kTimed) == 0 || state != seen_state_) {
    seen_state_ = state;
    seen_since_ = now;
    return;
  }
  if (now - seen_since_ < limit_) return;
  // Still the same slice: (re)arm on every tick while it lasts, in case the code
  // cleared the hook with debug.sethook() or the innermost coroutine changed.
  overrun_.store(state, std::memory_order_relaxed);
  arm_target();
}

void SliceWatch::interrupt_for_stop(Millis now) noexcept {
  stop_at_.store(now);
  int none = kStopNone;
  stop_phase_.compare_exchange_strong(none, kStopRequested);
}

void SliceWatch::raise_if_pending(lua_State* L, void* watch) {
  if (static_cast<SliceWatch*>(watch)->pending() != Interrupt::None) hook(L, nullptr);
}

void SliceWatch::hook(lua_State* L, lua_Debug* /*ar*/) {
  Scheduler* s = scheduler_from_registry(L);
  const Interrupt interrupt = s == nullptr ? Interrupt::None : s->slice_watch().pending();
  switch (interrupt) {
    case Interrupt::Stop:
      s->note_stop_interrupt();
      s->raise_stop(L);
      return;
    case Interrupt::TimeLimit:
      // Level 0 is the interrupted function itself (a hook has no frame of its own);
      // for a C function (the pattern matcher) its Lua caller says more.
      luaL_where(L, 0);
      if (lua_rawlen(L, -1) == 0) {
        lua_pop(L, 1);
        luaL_where(L, 1);
      }
      lua_pushfstring(L, "run time limit exceeded (%d ms without yielding)",
                      static_cast<int>(s->slice_watch().limit()));
      lua_concat(L, 2);
      lua_error(L);
      return;
    case Interrupt::None:
      // A stale arming (the slice ended first): remove ourselves, not a user's hook.
      if (lua_gethook(L) == hook) lua_sethook(L, nullptr, 0, 0);
      return;
  }
}

}  // namespace luasys::detail

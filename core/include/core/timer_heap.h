#pragma once
// Timers ordered by (deadline, start sequence). Starting, stopping and firing are
// O(log n); starting allocates nothing once the slot pool has grown to its peak.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/time.h"

namespace luasys {

/// Identifies one start of a timer. A handle stays unique forever: a slot reused by
/// a later start gets a new generation, so a stale handle can never stop it.
struct TimerHandle {
  std::uint64_t value = 0;  ///< 0 is "no timer".
  [[nodiscard]] explicit operator bool() const { return value != 0; }
  friend bool operator==(TimerHandle, TimerHandle) = default;
};

/// What a timer carries back to its owner when it fires. The core never interprets it.
struct TimerPayload {
  std::uint32_t kind = 0;   ///< The owner's tag (for example: sys callback, task wait, rtos).
  std::uint64_t data = 0;   ///< The owner's key (for example a Lua registry ref or task index).
};

/// How a timer repeats.
struct TimerSpec {
  Millis delay = 0;        ///< First deadline = start time + delay (delay < 0 counts as 0).
  Millis period = 0;       ///< Re-arm period for repeating timers (>= 1 when repeats != 0).
  std::int64_t repeats = 0;  ///< 0: once; -1: forever; n > 0: fires n + 1 times.
  TimerPayload payload;
  /// Whether this timer keeps the loop from finishing (spec 1.3): true for sys timers
  /// and timed waits, false for rtos timers. It still counts against max_timers.
  bool counts_as_work = true;
};

/// One due timer, as handed to the loop.
struct DueTimer {
  TimerHandle handle;
  Millis deadline = 0;
  TimerPayload payload;
  std::int64_t repeats_left = 0;  ///< After this firing: 0 on the last, -1 forever.
};

struct TimerHeapOptions {
  std::size_t max_timers = 0;  ///< Pending-timer limit; 0 means unlimited.
};

class TimerHeap {
 public:
  explicit TimerHeap(TimerHeapOptions options = {});

  /// Starts a timer at `now + spec.delay`. Returns a null handle (and changes nothing)
  /// when the limit is reached.
  TimerHandle start(Millis now, const TimerSpec& spec);
  /// Stops a pending timer; false if it is not pending (fired, stopped or unknown).
  bool stop(TimerHandle handle);
  [[nodiscard]] bool is_pending(TimerHandle handle) const;
  /// The pending timer's payload, or nullptr.
  [[nodiscard]] const TimerPayload* payload(TimerHandle handle) const;
  /// The pending timer's deadline, or kForever.
  [[nodiscard]] Millis deadline(TimerHandle handle) const;

  /// The earliest deadline, or kForever when empty.
  [[nodiscard]] Millis next_deadline() const;
  [[nodiscard]] std::size_t size() const;
  /// Pending timers started with `counts_as_work` (what EventLoop::has_work() sees).
  [[nodiscard]] std::size_t work_count() const { return work_count_; }
  [[nodiscard]] std::size_t max_timers() const { return options_.max_timers; }
  void set_max_timers(std::size_t max_timers) { options_.max_timers = max_timers; }

  /// Snapshot of the timers due at `now`, in (deadline, start order), appended to `out`.
  /// Timers are not removed: call pop_due() for each as it is fired, so that a timer
  /// stopped by an earlier callback of the same pass is skipped.
  void collect_due(Millis now, std::vector<DueTimer>& out) const;

  /// Fires the snapshot entry `due` if it is still pending and unchanged since the
  /// snapshot: a one-shot timer is removed; a repeating one is re-armed (next deadline =
  /// previous + period, or now + period if that is not later). Returns false if the
  /// timer was stopped (or restarted) meanwhile and must not fire.
  bool pop_due(const DueTimer& due, Millis now, DueTimer& fired);

 private:
  struct Slot;
  // Implementation-defined; see timer_heap.cpp.
  bool less(std::uint32_t a, std::uint32_t b) const;
  void sift_up(std::size_t position);
  void sift_down(std::size_t position);
  void remove_at(std::size_t position);
  Slot* find(TimerHandle handle);
  const Slot* find(TimerHandle handle) const;
  std::uint32_t acquire_slot();
  void release_slot(std::uint32_t index);
  void push_heap(std::uint32_t index);
  void place(std::size_t position, std::uint32_t index);
  [[nodiscard]] TimerHandle handle_of(std::uint32_t index) const;

  struct Slot {
    Millis deadline = 0;
    std::uint64_t sequence = 0;
    Millis period = 0;
    std::int64_t repeats_left = 0;
    TimerPayload payload;
    std::uint32_t generation = 0;
    std::uint32_t heap_index = 0;  // Position in heap_, or kNotInHeap.
    bool counts_as_work = true;
  };

  TimerHeapOptions options_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::vector<std::uint32_t> heap_;  // Slot indices, a binary min-heap.
  std::uint64_t next_sequence_ = 1;
  std::size_t work_count_ = 0;  // Pending timers with counts_as_work.
};

}  // namespace luasys

// The timer heap: a binary min-heap of slot indices ordered by (deadline, sequence).
//
// Timers live in `slots_`, a pool that only grows; freed slots go to `free_slots_`
// and are reused, so starting a timer allocates nothing once the pool has reached its
// peak. A handle packs the slot index with the slot's generation, which changes on
// every start, so a handle kept after its timer fired or stopped never matches the
// slot's next occupant.

#include "core/timer_heap.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace luasys {
namespace {

constexpr std::uint32_t kNotInHeap = std::numeric_limits<std::uint32_t>::max();

// Handle layout: generation in the high 32 bits, slot index + 1 in the low 32 bits,
// so that no valid handle is 0.
constexpr std::uint64_t pack_handle(std::uint32_t index, std::uint32_t generation) {
  return (std::uint64_t{generation} << 32U) | (std::uint64_t{index} + 1U);
}

constexpr std::uint32_t handle_generation(TimerHandle handle) {
  return static_cast<std::uint32_t>(handle.value >> 32U);
}

// The slot index of a handle; kNotInHeap (never a valid index) for the null handle.
constexpr std::uint32_t handle_index(TimerHandle handle) {
  return static_cast<std::uint32_t>(handle.value & 0xffffffffU) - 1U;
}

constexpr std::size_t parent_of(std::size_t position) { return (position - 1) / 2; }
constexpr std::size_t left_child_of(std::size_t position) { return 2 * position + 1; }

}  // namespace

TimerHeap::TimerHeap(TimerHeapOptions options) : options_(options) {}

// ---- Handles and slots ----

TimerHandle TimerHeap::handle_of(std::uint32_t index) const {
  return TimerHandle{pack_handle(index, slots_[index].generation)};
}

TimerHeap::Slot* TimerHeap::find(TimerHandle handle) {
  return const_cast<Slot*>(std::as_const(*this).find(handle));
}

const TimerHeap::Slot* TimerHeap::find(TimerHandle handle) const {
  const std::uint32_t index = handle_index(handle);
  if (index >= slots_.size()) return nullptr;
  const Slot& slot = slots_[index];
  if (slot.heap_index == kNotInHeap || slot.generation != handle_generation(handle)) {
    return nullptr;
  }
  return &slot;
}

std::uint32_t TimerHeap::acquire_slot() {
  std::uint32_t index = 0;
  if (free_slots_.empty()) {
    index = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
    // Room for every slot on the free list, so that release_slot() never allocates.
    free_slots_.reserve(slots_.capacity());
  } else {
    index = free_slots_.back();
    free_slots_.pop_back();
  }
  // A new generation for every start; 0 is skipped so that a handle is never 0.
  Slot& slot = slots_[index];
  slot.generation = slot.generation == std::numeric_limits<std::uint32_t>::max()
                        ? 1U
                        : slot.generation + 1U;
  return index;
}

void TimerHeap::release_slot(std::uint32_t index) {
  Slot& slot = slots_[index];
  if (slot.counts_as_work) --work_count_;
  slot.heap_index = kNotInHeap;
  slot.payload = {};
  free_slots_.push_back(index);  // Never allocates: see acquire_slot().
}

// ---- Heap order ----

bool TimerHeap::less(std::uint32_t a, std::uint32_t b) const {
  const Slot& x = slots_[a];
  const Slot& y = slots_[b];
  return x.deadline != y.deadline ? x.deadline < y.deadline : x.sequence < y.sequence;
}

void TimerHeap::place(std::size_t position, std::uint32_t index) {
  heap_[position] = index;
  slots_[index].heap_index = static_cast<std::uint32_t>(position);
}

void TimerHeap::sift_up(std::size_t position) {
  const std::uint32_t moving = heap_[position];
  while (position > 0 && less(moving, heap_[parent_of(position)])) {
    place(position, heap_[parent_of(position)]);
    position = parent_of(position);
  }
  place(position, moving);
}

void TimerHeap::sift_down(std::size_t position) {
  const std::uint32_t moving = heap_[position];
  const std::size_t count = heap_.size();
  for (;;) {
    std::size_t child = left_child_of(position);
    if (child >= count) break;
    if (child + 1 < count && less(heap_[child + 1], heap_[child])) ++child;
    if (!less(heap_[child], moving)) break;
    place(position, heap_[child]);
    position = child;
  }
  place(position, moving);
}

void TimerHeap::push_heap(std::uint32_t index) {
  heap_.push_back(index);
  sift_up(heap_.size() - 1);
}

// Removes the node at `position` and frees its slot.
void TimerHeap::remove_at(std::size_t position) {
  const std::uint32_t removed = heap_[position];
  const std::uint32_t last = heap_.back();
  heap_.pop_back();
  if (position < heap_.size()) {
    place(position, last);
    // The moved node may belong above or below its new place.
    if (position > 0 && less(last, heap_[parent_of(position)])) {
      sift_up(position);
    } else {
      sift_down(position);
    }
  }
  release_slot(removed);
}

// ---- Public operations ----

TimerHandle TimerHeap::start(Millis now, const TimerSpec& spec) {
  if (options_.max_timers != 0 && heap_.size() >= options_.max_timers) return {};
  const std::uint32_t index = acquire_slot();
  Slot& slot = slots_[index];
  slot.deadline = saturating_add(now, std::max<Millis>(spec.delay, 0));
  slot.sequence = next_sequence_++;
  // A repeating timer with a period under 1 ms would re-arm into the same instant
  // forever; 1 ms is the smallest period that lets time move.
  slot.period = spec.repeats != 0 ? std::max<Millis>(spec.period, 1) : 0;
  slot.repeats_left = spec.repeats < 0 ? -1 : spec.repeats;
  slot.payload = spec.payload;
  slot.counts_as_work = spec.counts_as_work;
  if (slot.counts_as_work) ++work_count_;
  push_heap(index);
  return handle_of(index);
}

bool TimerHeap::stop(TimerHandle handle) {
  const Slot* slot = find(handle);
  if (slot == nullptr) return false;
  remove_at(slot->heap_index);
  return true;
}

bool TimerHeap::is_pending(TimerHandle handle) const { return find(handle) != nullptr; }

const TimerPayload* TimerHeap::payload(TimerHandle handle) const {
  const Slot* slot = find(handle);
  return slot != nullptr ? &slot->payload : nullptr;
}

Millis TimerHeap::deadline(TimerHandle handle) const {
  const Slot* slot = find(handle);
  return slot != nullptr ? slot->deadline : kForever;
}

Millis TimerHeap::next_deadline() const {
  return heap_.empty() ? kForever : slots_[heap_.front()].deadline;
}

std::size_t TimerHeap::size() const { return heap_.size(); }

// ---- Firing ----

// A walk from the root that descends only into due nodes: a node's children are never
// earlier than the node, so a subtree whose root is not due holds nothing due. The
// output vector doubles as the work list (breadth first), so nothing else is
// allocated; only the k due timers are then sorted, O(k log k).
void TimerHeap::collect_due(Millis now, std::vector<DueTimer>& out) const {
  if (heap_.empty() || slots_[heap_.front()].deadline > now) return;
  const std::size_t first = out.size();
  auto add = [&](std::size_t position) {
    const std::uint32_t index = heap_[position];
    const Slot& slot = slots_[index];
    if (slot.deadline > now) return;
    out.push_back(DueTimer{handle_of(index), slot.deadline, slot.payload, slot.repeats_left});
  };
  add(0);
  for (std::size_t i = first; i < out.size(); ++i) {
    const std::size_t position = slots_[handle_index(out[i].handle)].heap_index;
    const std::size_t child = left_child_of(position);
    if (child < heap_.size()) add(child);
    if (child + 1 < heap_.size()) add(child + 1);
  }
  const auto by_order = [this](const DueTimer& a, const DueTimer& b) {
    return less(handle_index(a.handle), handle_index(b.handle));
  };
  std::sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(), by_order);
}

bool TimerHeap::pop_due(const DueTimer& due, Millis now, DueTimer& fired) {
  Slot* slot = find(due.handle);
  // A restart gets a new handle, and a re-arm a later deadline: either way the
  // snapshot entry no longer describes this timer.
  if (slot == nullptr || slot->deadline != due.deadline) return false;
  fired = DueTimer{due.handle, slot->deadline, slot->payload, slot->repeats_left};
  if (slot->repeats_left == 0) {
    remove_at(slot->heap_index);
    return true;
  }
  if (slot->repeats_left > 0) --slot->repeats_left;
  const Millis next = saturating_add(slot->deadline, slot->period);
  const Millis from_now = saturating_add(now, slot->period);
  slot->deadline = next > now ? next : from_now;  // No drift, and no catch-up burst.
  slot->sequence = next_sequence_++;               // Re-arming counts as a new start.
  sift_down(slot->heap_index);
  return true;
}

}  // namespace luasys

// The bounded message bus.
//
// The ring is allocated once, in the constructor. Every access to it happens between
// Port::lock() and Port::unlock(), which on FreeRTOS is a critical section, so the
// code inside the lock never allocates or frees: messages are moved (an owned string
// moves its buffer, never copies it) into slots that hold nothing to free, and take()
// empties its output before it takes the lock.

#include "core/bus.h"

#include <algorithm>
#include <utility>

#include "core/port.h"

namespace luasys {
namespace {

// True if any value of the message owns heap memory (the ISR path refuses those).
bool message_owns_memory(const Message& message) {
  if (value_owns_memory(message.id)) return true;
  return std::any_of(message.args.begin(), message.args.end(),
                     [](const Value& value) { return value_owns_memory(value); });
}

}  // namespace

// ---- Producer ----

Producer::Producer(Producer&& other) noexcept
    : bus_(std::exchange(other.bus_, nullptr)), name_(std::move(other.name_)) {}

Producer& Producer::operator=(Producer&& other) noexcept {
  if (this != &other) {
    release();
    bus_ = std::exchange(other.bus_, nullptr);
    name_ = std::move(other.name_);
  }
  return *this;
}

Producer::~Producer() { release(); }

void Producer::release() {
  if (bus_ != nullptr) std::exchange(bus_, nullptr)->release_producer();
}

// ---- Bus: construction and producers ----

Bus::Bus(Port& port, BusOptions options)
    : port_(port), ring_(std::max<std::size_t>(options.slots, 1)) {}

Producer Bus::add_producer(std::string_view name) {
  producers_.fetch_add(1);
  return Producer(this, name);
}

// The loop may be idle waiting only because of this producer: wake it to re-check.
void Bus::release_producer() noexcept {
  producers_.fetch_sub(1);
  port_.wake();
}

std::size_t Bus::producer_count() const { return producers_.load(); }

void Bus::expect_reply() noexcept { ++replies_expected_; }

void Bus::reply_settled() noexcept {
  if (replies_expected_ > 0) --replies_expected_;
}

std::size_t Bus::replies_expected() const noexcept { return replies_expected_; }

// ---- Bus: posting ----

std::size_t Bus::tail_locked() const { return (head_ + used_) % ring_.size(); }

bool Bus::push_locked(Message&& message) noexcept {
  if (closed_ || full_locked()) return false;
  ring_[tail_locked()] = std::move(message);
  ++used_;
  ++posted_;
  peak_ = std::max(peak_, used_);
  return true;
}

bool Bus::push_copy_locked(const Message& message) noexcept {
  if (closed_ || full_locked()) return false;
  ring_[tail_locked()] = message;  // Non-owning values only: copying cannot allocate.
  ++used_;
  ++posted_;
  peak_ = std::max(peak_, used_);
  return true;
}

void Bus::count_drop() noexcept { dropped_.fetch_add(1, std::memory_order_relaxed); }

// Waits for a free slot until `timeout` ms have passed, measured from the call.
bool Bus::wait_while_full_locked(Millis timeout) {
  const Millis deadline = saturating_add(port_.monotonic_ms(), std::max<Millis>(timeout, 0));
  while (full_locked() && !closed_) {
    const Millis remaining =
        deadline == kForever ? kForever : deadline - port_.monotonic_ms();
    if (remaining <= 0) return false;
    // A false return is a timeout; the loop condition decides whether space came anyway.
    if (!port_.wait_for_space(remaining) && full_locked()) return false;
  }
  return true;
}

bool Bus::post(Message message, Millis timeout) {
  port_.lock();
  const bool accepted = wait_while_full_locked(timeout) && push_locked(std::move(message));
  return finish_post(accepted);
}

bool Bus::try_post(Message message) noexcept {
  port_.lock();
  return finish_post(push_locked(std::move(message)));
}

// The shared tail of post and try_post, entered with the lock held: counts a refusal,
// or wakes the loop for the new message.
bool Bus::finish_post(bool accepted) noexcept {
  port_.unlock();
  if (!accepted) {
    count_drop();
    return false;
  }
  port_.wake();
  return true;
}

bool Bus::try_post_from_isr(const Message& message, bool* yield) noexcept {
  if (yield != nullptr) *yield = false;
  if (message_owns_memory(message)) {
    count_drop();
    return false;
  }
  port_.lock();
  const bool accepted = push_copy_locked(message);
  port_.unlock();
  if (!accepted) {
    count_drop();
    return false;
  }
  port_.wake_from_isr(yield);
  return true;
}

// ---- Bus: the loop side ----

bool Bus::take(Message& out) {
  out = Message{};  // Frees what `out` held outside the lock.
  port_.lock();
  if (used_ == 0) {
    port_.unlock();
    return false;
  }
  out = std::move(ring_[head_]);
  head_ = (head_ + 1) % ring_.size();
  --used_;
  port_.unlock();
  port_.notify_space();
  return true;
}

void Bus::close() {
  port_.lock();
  closed_ = true;
  port_.unlock();
  port_.notify_space();  // Blocked producers give up.
}

void Bus::reopen() {
  port_.lock();
  closed_ = false;
  port_.unlock();
}

// ---- Bus: counters ----

BusStats Bus::stats() const {
  BusStats stats;
  port_.lock();
  stats.posted = posted_;
  stats.used = used_;
  stats.peak = peak_;
  port_.unlock();
  stats.dropped = dropped();
  stats.slots = ring_.size();
  stats.producers = producer_count();
  return stats;
}

bool Bus::empty() const { return size() == 0; }

std::size_t Bus::size() const {
  port_.lock();
  const std::size_t used = used_;
  port_.unlock();
  return used;
}

std::uint64_t Bus::dropped() const noexcept { return dropped_.load(std::memory_order_relaxed); }

}  // namespace luasys

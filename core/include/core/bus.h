#pragma once
// The bounded multi-producer message bus: the only way other threads and ISRs reach
// the loop. Slots are allocated once; a full bus never loses data silently.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/message.h"
#include "core/time.h"

namespace luasys {

class Port;
class Bus;

struct BusOptions {
  std::size_t slots = 256;  ///< Capacity in messages (>= 1).
};

/// Counters, read by rtos.stats().
struct BusStats {
  std::uint64_t posted = 0;    ///< Messages accepted.
  std::uint64_t dropped = 0;   ///< Refusals: full, timed out or closed.
  std::size_t used = 0;        ///< Messages waiting now.
  std::size_t slots = 0;       ///< Capacity.
  std::size_t peak = 0;        ///< Highest `used` seen.
  std::size_t producers = 0;   ///< Live Producer handles.
};

/// A registered producer (network client, driver, signal handler). While one is
/// alive the loop does not finish when idle: it waits for posts. Move-only RAII.
class Producer {
 public:
  Producer() = default;
  Producer(Producer&& other) noexcept;
  Producer& operator=(Producer&& other) noexcept;
  Producer(const Producer&) = delete;
  Producer& operator=(const Producer&) = delete;
  ~Producer();

  [[nodiscard]] const std::string& name() const { return name_; }
  /// Unregisters now (the destructor does it otherwise).
  void release();

 private:
  friend class Bus;
  Producer(Bus* bus, std::string_view name) : bus_(bus), name_(name) {}
  Bus* bus_ = nullptr;
  std::string name_;
};

class Bus {
 public:
  Bus(Port& port, BusOptions options = {});
  Bus(const Bus&) = delete;
  Bus& operator=(const Bus&) = delete;

  /// Waits while the bus is full, up to `timeout` ms (kForever: no limit).
  /// False (and counted as dropped) if it timed out or the bus is closed.
  bool post(Message message, Millis timeout);
  /// Never blocks. False (and counted as dropped) if full or closed.
  bool try_post(Message message) noexcept;
  /// For FreeRTOS ISRs: takes only non-owning values (no std::string; else refused),
  /// never allocates or blocks. `*yield` is set when a higher-priority task was woken.
  bool try_post_from_isr(const Message& message, bool* yield) noexcept;

  [[nodiscard]] Producer add_producer(std::string_view name);

  /// Loop thread: moves the oldest message into `out`; false when empty.
  bool take(Message& out);
  /// Refuses all further posts and wakes blocked producers.
  void close();
  /// Accepts posts again after close() (a loop run again).
  void reopen();

  [[nodiscard]] BusStats stats() const;
  [[nodiscard]] bool empty() const;
  /// Messages waiting now.
  [[nodiscard]] std::size_t size() const;
  /// Refusals so far (the `dropped` counter); lock-free.
  [[nodiscard]] std::uint64_t dropped() const noexcept;
  [[nodiscard]] std::size_t producer_count() const;

  /// Loop thread: another thread owes the loop a reply (an HTTP response) that will
  /// come as a bus message. Until reply_settled(), the loop counts it as work, and a
  /// virtual clock waits for it in real time instead of jumping past it.
  void expect_reply() noexcept;
  /// Loop thread: an expected reply arrived and was handled.
  void reply_settled() noexcept;
  [[nodiscard]] std::size_t replies_expected() const noexcept;

 private:
  friend class Producer;
  bool push_locked(Message&& message) noexcept;  // With the lock held; false if full.
  bool finish_post(bool accepted) noexcept;  // Unlocks; counts a drop or wakes the loop.
  bool push_copy_locked(const Message& message) noexcept;  // Likewise, copying.
  bool wait_while_full_locked(Millis timeout);  // With the lock held; false on timeout.
  [[nodiscard]] bool full_locked() const { return used_ == ring_.size(); }
  [[nodiscard]] std::size_t tail_locked() const;  // The slot the next message goes to.
  void count_drop() noexcept;
  void release_producer() noexcept;

  Port& port_;
  std::vector<Message> ring_;
  std::size_t head_ = 0;  // Oldest message.
  std::size_t used_ = 0;
  std::size_t peak_ = 0;
  bool closed_ = false;
  std::uint64_t posted_ = 0;
  std::atomic<std::uint64_t> dropped_{0};
  std::atomic<std::size_t> producers_{0};
  std::size_t replies_expected_ = 0;  // Loop thread only.
};

}  // namespace luasys

#pragma once
// Messages (spec §3): the publish queue (a ring of message records plus a Lua table
// ring of their values), the subscriber sets of every message id, and the delivery of
// the queue (phase 3 of a pass). One MessagePart per Scheduler; its state is private to
// sys_messages.cpp, and the scheduler's other parts reach it through this interface.

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include <lua.hpp>

#include "flat_map.h"
#include "slot.h"
#include "stable_vector.h"

namespace luasys::detail {

class Scheduler;
struct Task;

/// Stack slots of the drain's protected frame: the function store and the value ring.
inline constexpr int kDrainFunctions = 1;
inline constexpr int kDrainRing = 2;

/// One subscriber of one message id: a function (callback) or a task's coroutine.
struct Subscriber {
  const void* key = nullptr;     ///< lua_topointer identity (rawequal for these types).
  std::uint32_t task = kNone;    ///< Task slot for coroutine entries.
  int fn_slot = 0;               ///< Slot in the function store (function entries).
  std::uint64_t removed_in = 0;  ///< 0: subscribed; else the delivery it was removed in.
  bool by_wait = false;          ///< A waitUntil subscription (coroutines only).
  bool by_subscribe = false;     ///< A sys.subscribe subscription (coroutines only).
};

/// The subscribers of one message id, in subscription order. Removal leaves a
/// tombstone that is compacted away when the set is not being delivered.
struct SubscriberSet {
  std::vector<Subscriber> entries;
  std::unordered_map<const void*, std::uint32_t> index;  ///< Only for large sets.
  std::uint32_t live = 0;
  std::uint32_t tombstones = 0;
  std::uint32_t pending = 0;     ///< Queued messages for this id: the set is not swept.
  std::uint64_t string_key = 0;  ///< Key in string_sets_ (short-string ids), else 0.
  bool used = false;             ///< False: a free slot.
};

/// One queued message. Its arguments (and, for number ids, the id itself, whose
/// subtype matters when printed) are in the Lua value ring; other ids are equal to
/// the one the set keeps.
struct QueuedMessage {
  std::uint32_t set = 0;
  std::uint32_t argc = 0;
  bool id_in_ring = false;
};

/// The head message's values as loaded on the stack during its delivery.
struct LoadedMessage {
  int id = 0;           ///< Stack index of the id slot (arguments follow); 0: not loaded.
  bool has_id = false;  ///< False: the id slot holds nil (only functions needed it so far).
};

class MessagePart {
 public:
  explicit MessagePart(Scheduler& scheduler) : s_(scheduler) {}
  MessagePart(const MessagePart&) = delete;
  MessagePart& operator=(const MessagePart&) = delete;

  /// Creates the queue, id and function tables in the registry.
  void create_tables(lua_State* L);
  /// Registers publish, subscribe, unsubscribe and the waitUntil family.
  void register_functions(lua_State* L);
  /// Undelivered messages.
  [[nodiscard]] std::uint32_t queued() const { return queue_count_; }
  /// Queues the message whose id is at `first`, followed by count - 1 arguments.
  /// Nil and NaN ids are ignored (false).
  bool publish_top(lua_State* L, int first, int count);
  /// Delivers every queued message (phase 3); never nested, never raises.
  void drain();

  // ---- Subscriber sets, for the waits of tasks and mailboxes ----
  std::uint32_t find_set(lua_State* L, int id_index) { return lookup_set(L, id_index, false); }
  std::uint32_t find_or_add_set(lua_State* L, int id_index) { return lookup_set(L, id_index, true); }
  std::uint32_t find_string_set(lua_State* L, int index);
  [[nodiscard]] std::uint32_t find_live(std::uint32_t set, const void* key) const;
  bool add_subscriber(lua_State* L, std::uint32_t set, const Subscriber& subscriber,
                      bool known_absent = false);
  void remove_subscriber(std::uint32_t set, const void* key, bool by_wait);
  int acquire_function_slot(lua_State* L, int function_index);
  /// Ends a task's waitUntil subscriptions (wait_only) or all of them.
  void drop_task_subscriptions(Task& task, bool wait_only);
  /// Pushes the id of a set.
  void push_set_id(lua_State* L, std::uint32_t set);
  /// sys.publish's fast path: queues the top `argc` values of L for `set`; `ring` is
  /// sys.publish's upvalue holding the value ring.
  void enqueue_top(lua_State* L, std::uint32_t set, std::uint32_t argc, int ring);

 private:
  static int drain_protected(lua_State* L);  // The body of drain's protected call.

  void grow_queue(lua_State* L, std::uint32_t needed);
  void grow_message_ring();
  void enqueue(lua_State* L, std::uint32_t set, int from, std::uint32_t argc, bool id_in_ring);
  void add_message_record(std::uint32_t set, std::uint32_t argc, bool id_in_ring);
  void drop_head_message(lua_State* L, int ring = 0);  // ring: its stack index, 0: registry.
  int drain_ring(lua_State* L);
  void push_head_args(lua_State* L, int ring);
  void push_head_id(lua_State* L);
  int load_head_message(lua_State* L, bool with_id);
  void push_delivery_function(lua_State* L);
  void deliver_head(lua_State* L, int functions);
  void start_delivery(std::uint32_t set);
  void finish_delivery();
  void deliver_to_task(lua_State* L, std::uint32_t slot, std::uint32_t position,
                       LoadedMessage& loaded);
  void remove_delivered_wait(std::uint32_t position);
  void on_drain_error(lua_State* L);
  std::uint32_t lookup_set(lua_State* L, int id_index, bool create, bool* exact = nullptr);
  std::uint32_t add_set(lua_State* L, int id_index, std::uint64_t string_key);
  void sweep_empty_sets(lua_State* L);
  void rebuild_index(std::uint32_t set);
  void remove_entry(std::uint32_t set, std::uint32_t position);
  void compact(std::uint32_t set);
  void release_function_slot(int slot);

  Scheduler& s_;
  // Registry tables.
  int queue_ref_ = LUA_NOREF;      // ring of message values
  int ids_ref_ = LUA_NOREF;        // message id -> subscriber set + 1
  int set_ids_ref_ = LUA_NOREF;    // set + 1 -> message id
  int functions_ref_ = LUA_NOREF;  // function-subscriber slot -> function

  // Publish queue: a ring of messages plus a ring of their Lua values.
  std::uint32_t slot_capacity_ = 0;  // Power of two.
  std::uint32_t slot_head_ = 0;
  std::uint32_t slot_count_ = 0;
  std::vector<QueuedMessage> queue_;  // Power-of-two size.
  std::uint32_t queue_head_ = 0;
  std::uint32_t queue_count_ = 0;
  std::uint32_t ring_generation_ = 0;        // Bumped when grow_queue replaces the ring.
  std::uint32_t drain_ring_generation_ = 0;  // The ring the drain holds (kDrainRing).
  const void* ring_pointer_ = nullptr;       // lua_topointer of the current ring.

  // Subscriber sets.
  StableVector<SubscriberSet> sets_;
  std::vector<std::uint32_t> free_sets_;
  FlatMap string_sets_;  // Short (interned) string id's characters -> set.
  std::size_t empty_sets_ = 0;
  std::vector<int> free_function_slots_;
  int function_slots_ = 0;
  std::uint64_t delivery_ = 1;            // Number of the current (or last) delivery.
  std::uint32_t delivering_set_ = kNone;  // The set being delivered: not compacted.
  std::uint32_t delivery_next_ = 0;       // Next entry of the delivery in progress.
  std::uint32_t delivery_end_ = 0;        // Snapshot size of that delivery.
  bool delivery_started_ = false;
  bool draining_ = false;
};

}  // namespace luasys::detail

// Messages (spec §3): the publish queue, subscriber sets and their delivery, and the
// waitUntil family.
//
// The queue is a ring of Lua values in one registry table whose array part is sized
// once per growth, so a publish stores values without allocating; a C++ ring holds
// each message's argument count (trailing nils are kept). Message ids map to
// subscriber sets through a Lua table (ids compare as table keys); a set keeps its
// subscribers in subscription order with tombstones, compacted when not delivering.

#include <algorithm>

#include "lua_util.h"
#include "scheduler.h"

namespace luasys::detail {

namespace {

constexpr std::size_t kIndexThreshold = 16;     // Sets this large get a key -> position map.
constexpr std::size_t kSweepThreshold = 256;    // Empty sets kept before sweeping them.
constexpr std::size_t kShortStringLength = 40;  // LUAI_MAXSHORTLEN: Lua interns these.

bool is_valid_id(lua_State* L, int index) {
  const int type = lua_type(L, index);
  if (type == LUA_TSTRING) return true;  // The common case first.
  return type > LUA_TNIL && !lua::is_nan(L, index);
}

}  // namespace

// ---- The queue ----

void MessagePart::grow_queue(lua_State* L, std::uint32_t needed) {
  std::uint32_t capacity = slot_capacity_ < 64 ? 64 : slot_capacity_;
  while (capacity < needed) capacity *= 2;
  lua::new_table(L, capacity, 0);
  if (slot_count_ != 0) {
    // Moves the values: sys.publish and the drain may still hold the old ring for a
    // while (see enqueue_top and drain_ring), and it must not keep them alive.
    lua_rawgeti(L, LUA_REGISTRYINDEX, queue_ref_);
    const std::uint32_t mask = slot_capacity_ - 1;
    for (std::uint32_t i = 0; i < slot_count_; ++i) {
      const auto old_slot = static_cast<lua_Integer>((slot_head_ + i) & mask) + 1;
      lua_rawgeti(L, -1, old_slot);
      lua_rawseti(L, -3, static_cast<lua_Integer>(i) + 1);
      lua_pushnil(L);
      lua_rawseti(L, -2, old_slot);
    }
    lua_pop(L, 1);
  }
  ring_pointer_ = lua_topointer(L, -1);
  lua_rawseti(L, LUA_REGISTRYINDEX, queue_ref_);
  ++ring_generation_;
  slot_capacity_ = capacity;
  slot_head_ = 0;
  if (queue_.empty()) queue_.resize(64);
}

void MessagePart::grow_message_ring() {
  std::vector<QueuedMessage> bigger(queue_.size() * 2);
  const std::size_t mask = queue_.size() - 1;
  for (std::uint32_t i = 0; i < queue_count_; ++i) bigger[i] = queue_[(queue_head_ + i) & mask];
  queue_.swap(bigger);
  queue_head_ = 0;
}

// Queues the message whose id is at `first`, followed by count - 1 arguments. Nil and
// NaN ids are ignored. Every Lua allocation happens before the C++ state changes.
bool MessagePart::publish_top(lua_State* L, int first, int count) {
  if (!is_valid_id(L, first)) return false;
  bool exact = true;
  const std::uint32_t set = lookup_set(L, first, true, &exact);
  const auto argc = static_cast<std::uint32_t>(count - 1);
  if (exact) {
    enqueue(L, set, first + 1, argc, false);
  } else {
    enqueue(L, set, first, argc, true);
  }
  return true;
}

// Appends a message of set `set` whose ring values (the id when `id_in_ring`, then
// the argc arguments) start at stack index `from`.
void MessagePart::enqueue(lua_State* L, std::uint32_t set, int from, std::uint32_t argc,
                        bool id_in_ring) {
  const std::uint32_t slots = argc + (id_in_ring ? 1 : 0);
  if (queue_count_ == queue_.size()) s_.charge(L, queue_.size() * sizeof(QueuedMessage));
  if (slot_count_ + slots > slot_capacity_) grow_queue(L, slot_count_ + slots);
  if (queue_count_ == queue_.size()) grow_message_ring();
  if (slots != 0) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, queue_ref_);
    const std::uint32_t mask = slot_capacity_ - 1;
    const std::uint32_t tail = slot_head_ + slot_count_;
    for (std::uint32_t i = 0; i < slots; ++i) {
      lua_pushvalue(L, from + static_cast<int>(i));
      lua_rawseti(L, -2, static_cast<lua_Integer>((tail + i) & mask) + 1);
    }
    lua_pop(L, 1);
    slot_count_ += slots;
  }
  add_message_record(set, argc, id_in_ring);
}

// enqueue for sys.publish, whose `argc` arguments are the top of L's stack: they are
// popped straight into the ring, held at the pseudo-index `ring` (an upvalue), which
// spares the registry lookup and a push per value. The upvalue is brought up to date
// first if grow_queue replaced the ring since.
void MessagePart::enqueue_top(lua_State* L, std::uint32_t set, std::uint32_t argc, int ring) {
  if (queue_count_ == queue_.size()) s_.charge(L, queue_.size() * sizeof(QueuedMessage));
  if (argc != 0) {
    if (slot_count_ + argc > slot_capacity_) grow_queue(L, slot_count_ + argc);
    if (lua_topointer(L, ring) != ring_pointer_) {
      lua_rawgeti(L, LUA_REGISTRYINDEX, queue_ref_);
      lua_replace(L, ring);
    }
    const std::uint32_t mask = slot_capacity_ - 1;
    const std::uint32_t tail = slot_head_ + slot_count_;
    for (std::uint32_t i = argc; i-- > 0;) {
      lua_rawseti(L, ring, static_cast<lua_Integer>((tail + i) & mask) + 1);
    }
    slot_count_ += argc;
  }
  if (queue_count_ == queue_.size()) grow_message_ring();
  add_message_record(set, argc, false);
}

void MessagePart::add_message_record(std::uint32_t set, std::uint32_t argc, bool id_in_ring) {
  queue_[(queue_head_ + queue_count_) & (queue_.size() - 1)] = QueuedMessage{set, argc, id_in_ring};
  ++queue_count_;
  ++sets_[set].pending;
}

// Removes the head message, clearing its slots so its values can be collected. `ring`
// is the stack index of the value ring, or 0 to fetch it from the registry.
void MessagePart::drop_head_message(lua_State* L, int ring) {
  if (queue_count_ == 0) return;
  const QueuedMessage message = queue_[queue_head_ & (queue_.size() - 1)];
  const std::uint32_t slots = message.argc + (message.id_in_ring ? 1 : 0);
  if (slots != 0) {
    if (ring == 0) lua_rawgeti(L, LUA_REGISTRYINDEX, queue_ref_);
    const int table = ring == 0 ? lua_gettop(L) : ring;
    const std::uint32_t mask = slot_capacity_ - 1;
    for (std::uint32_t i = 0; i < slots; ++i) {
      lua_pushnil(L);
      lua_rawseti(L, table, static_cast<lua_Integer>((slot_head_ + i) & mask) + 1);
    }
    if (ring == 0) lua_pop(L, 1);
    slot_head_ = (slot_head_ + slots) & mask;
    slot_count_ -= slots;
  }
  queue_head_ = static_cast<std::uint32_t>((queue_head_ + 1) & (queue_.size() - 1));
  --queue_count_;
  --sets_[message.set].pending;
  finish_delivery();
}

// Pushes the head message's id.
void MessagePart::push_head_id(lua_State* L) {
  const QueuedMessage message = queue_[queue_head_ & (queue_.size() - 1)];
  if (message.id_in_ring) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, queue_ref_);
    lua_rawgeti(L, -1, static_cast<lua_Integer>(slot_head_) + 1);
  } else {
    lua_rawgeti(L, LUA_REGISTRYINDEX, set_ids_ref_);
    lua_rawgeti(L, -1, static_cast<lua_Integer>(message.set) + 1);
  }
  lua_remove(L, -2);
}

// The value ring at kDrainRing of the drain's frame. A subscriber's publish may have
// grown (replaced) it since the drain fetched it: then the slot is refreshed.
int MessagePart::drain_ring(lua_State* L) {
  if (drain_ring_generation_ != ring_generation_) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, queue_ref_);
    lua_replace(L, kDrainRing);
    drain_ring_generation_ = ring_generation_;
  }
  return kDrainRing;
}

// Pushes the head message's arguments from the ring at `ring`, in the drain's frame.
void MessagePart::push_head_args(lua_State* L, int ring) {
  const QueuedMessage message = queue_[queue_head_ & (queue_.size() - 1)];
  // The drain's C frame starts with LUA_MINSTACK free slots and holds two values below
  // the delivery's, which use at most 2 * argc + 2 (the loaded values, then a copy of
  // the arguments plus a function or id): few arguments need no (costly) stack check.
  if (2 * message.argc + 6 > LUA_MINSTACK) {
    luaL_checkstack(L, 2 * static_cast<int>(message.argc) + 6, "too many message arguments");
  }
  const std::uint32_t mask = slot_capacity_ - 1;
  const std::uint32_t first = slot_head_ + (message.id_in_ring ? 1 : 0);
  for (std::uint32_t i = 0; i < message.argc; ++i) {
    lua_rawgeti(L, ring, static_cast<lua_Integer>((first + i) & mask) + 1);
  }
}

// Pushes the head message's arguments after a slot for its id, which is filled only
// when `with_id` (function subscribers do not get the id). Runs in the drain's frame.
// Returns the stack index of the id slot.
int MessagePart::load_head_message(lua_State* L, bool with_id) {
  const int ring = drain_ring(L);
  if (with_id) {
    push_head_id(L);
  } else {
    lua_pushnil(L);
  }
  const int id = lua_gettop(L);
  push_head_args(L, ring);
  return id;
}

void MessagePart::push_delivery_function(lua_State* L) {
  if (delivering_set_ == kNone || delivery_next_ == 0) {
    lua_pushnil(L);
    return;
  }
  const Subscriber& entry = sets_[delivering_set_].entries[delivery_next_ - 1];
  lua_rawgeti(L, LUA_REGISTRYINDEX, functions_ref_);
  lua_rawgeti(L, -1, entry.fn_slot);
  lua_remove(L, -2);
}

// ---- Delivery ----

// Delivers the oldest message to a snapshot of its subscribers (spec §3.2). Runs in
// protected mode; if a subscriber raises, the next call continues after it. The
// message values are loaded only when a subscriber needs them.
void MessagePart::deliver_head(lua_State* L, int functions) {
  const QueuedMessage message = queue_[queue_head_ & (queue_.size() - 1)];
  if (!delivery_started_) start_delivery(message.set);
  LoadedMessage loaded;
  const SubscriberSet& subscribers = sets_[message.set];
  while (delivery_next_ < delivery_end_) {
    const std::uint32_t position = delivery_next_++;
    s_.slice_watch().next_slice();  // Each subscriber call is a slice of its own.
    // By reference: a subscriber may add entries, so this is re-read every time.
    const Subscriber& entry = subscribers.entries[position];
    if (entry.task == kNone) {
      if (entry.removed_in != 0 && entry.removed_in != delivery_) continue;
      if (loaded.id == 0) loaded.id = load_head_message(L, false);
      lua_rawgeti(L, functions, entry.fn_slot);
      for (std::uint32_t k = 1; k <= message.argc; ++k)
        lua_pushvalue(L, loaded.id + static_cast<int>(k));
      lua_call(L, static_cast<int>(message.argc), 0);
    } else if (entry.removed_in == 0) {
      deliver_to_task(L, entry.task, position, loaded);
    }
  }
  // Every other push is balanced: only the loaded values are left to drop.
  if (loaded.id != 0) lua_settop(L, loaded.id - 1);
  drop_head_message(L, drain_ring(L));
}

void MessagePart::start_delivery(std::uint32_t set) {
  delivery_started_ = true;
  ++delivery_;
  delivery_next_ = 0;
  delivering_set_ = set;
  delivery_end_ = static_cast<std::uint32_t>(sets_[set].entries.size());
}

void MessagePart::finish_delivery() {
  const std::uint32_t set = delivering_set_;
  delivery_started_ = false;
  delivering_set_ = kNone;
  delivery_next_ = delivery_end_ = 0;
  if (set != kNone && sets_[set].tombstones != 0) compact(set);
}

// Resumes a task subscribed to the head message with (id, args...) if it is suspended;
// `position` is its entry in the set being delivered.
void MessagePart::deliver_to_task(lua_State* L, std::uint32_t slot, std::uint32_t position,
                                LoadedMessage& loaded) {
  Task& task = s_.tasks()[slot];
  lua_State* co = task.co;
  if (co == nullptr) return;
  if (lua_status(co) != LUA_YIELD && !s_.tasks().resumable(co)) {
    s_.tasks().end_if_dead(L, co);
    return;
  }
  const QueuedMessage message = queue_[queue_head_ & (queue_.size() - 1)];
  const int nargs = static_cast<int>(message.argc) + 1;
  // A task in a sys wait yielded from our C function after emptying its stack, which
  // leaves it LUA_MINSTACK free slots: a few values need no stack check.
  const bool room = task.wait == WaitKind::Message && nargs <= LUA_MINSTACK;
  if (!room && !lua_checkstack(co, nargs)) return;
  const bool pass_true = task.wants_true && task.wait == WaitKind::Message;
  if (task.wait_sets.size() == 1 && task.wait_sets[0] == delivering_set_) {
    remove_delivered_wait(position);  // Known position: no lookup.
    task.wait_sets.clear();
  }
  s_.tasks().end_wait(task);
  if (pass_true && loaded.id == 0) {
    // The common waitUntil case: true and the arguments go straight from the ring to
    // the task, without loading the message into the drain's frame first.
    lua_pushboolean(co, 1);
    if (message.argc != 0) {
      push_head_args(L, drain_ring(L));
      lua_xmove(L, co, nargs - 1);
    }
    task.resumed_with_true = true;  // Read (and cleared) by wait_until_continue.
  } else {
    if (loaded.id == 0) {
      loaded.id = load_head_message(L, !pass_true);
      loaded.has_id = !pass_true;
    } else if (!pass_true && !loaded.has_id) {
      push_head_id(L);
      lua_replace(L, loaded.id);
      loaded.has_id = true;
    }
    if (pass_true) {
      lua_pushboolean(L, 1);
    } else {
      lua_pushvalue(L, loaded.id);
    }
    for (int k = 1; k < nargs; ++k) lua_pushvalue(L, loaded.id + k);
    lua_xmove(L, co, nargs);
  }
  s_.tasks().resume_suspended(L, slot, nargs);
}

// Ends the waitUntil subscription of the entry just delivered. In a small set the
// entry is erased at once and the delivery cursor moves back with the entries after
// it, which keeps the snapshot intact and spares the compaction a tombstone would need.
void MessagePart::remove_delivered_wait(std::uint32_t position) {
  SubscriberSet& subscribers = sets_[delivering_set_];
  Subscriber& entry = subscribers.entries[position];
  entry.by_wait = false;
  if (entry.by_subscribe) return;
  if (!subscribers.index.empty() || position + 1 != delivery_next_) {
    remove_entry(delivering_set_, position);
    return;
  }
  subscribers.entries.erase(subscribers.entries.begin() + position);
  --delivery_next_;
  --delivery_end_;
  if (--subscribers.live == 0) ++empty_sets_;
}

// ---- Subscriber sets ----

// The set of the id at `id_index`, created if asked; kNone otherwise. Short strings are
// interned by Lua, so their character pointer identifies them: they are looked up in
// a C++ map (the set keeps the string alive). Other ids go through a Lua table, which
// compares them exactly as table keys. `*exact` is false for number ids, whose
// subtype (1 or 1.0) the set's stored id may not share.
std::uint32_t MessagePart::lookup_set(lua_State* L, int id_index, bool create, bool* exact) {
  const int type = lua_type(L, id_index);
  if (exact != nullptr) *exact = type != LUA_TNUMBER;
  if (type == LUA_TSTRING) {
    std::size_t length = 0;
    const char* chars = lua_tolstring(L, id_index, &length);
    if (length <= kShortStringLength) {
      const std::uint64_t string_key = reinterpret_cast<std::uintptr_t>(chars);
      if (const std::uint32_t* found = string_sets_.find(string_key)) return *found;
      return create ? add_set(L, id_index, string_key) : kNone;
    }
  }
  lua_rawgeti(L, LUA_REGISTRYINDEX, ids_ref_);
  lua_pushvalue(L, id_index);
  lua_rawget(L, -2);
  const lua_Integer set = lua_tointeger(L, -1);
  lua_pop(L, 2);
  if (set != 0) return static_cast<std::uint32_t>(set - 1);
  return create ? add_set(L, id_index, 0) : kNone;
}

// The existing set of the string id at `index` (the caller checked the type) when it
// is a short string, else kNone: the hot publish and waitUntil paths use it to find a
// known id with one Lua call, and take the general lookup_set otherwise.
std::uint32_t MessagePart::find_string_set(lua_State* L, int index) {
  std::size_t length = 0;
  const char* chars = lua_tolstring(L, index, &length);
  if (length > kShortStringLength) return kNone;
  const std::uint32_t* found = string_sets_.find(reinterpret_cast<std::uintptr_t>(chars));
  return found == nullptr ? kNone : *found;
}

std::uint32_t MessagePart::add_set(lua_State* L, int id_index, std::uint64_t string_key) {
  id_index = lua_absindex(L, id_index);
  if (empty_sets_ > kSweepThreshold && empty_sets_ * 2 > sets_.size()) sweep_empty_sets(L);
  if (free_sets_.empty()) s_.charge(L, sizeof(SubscriberSet) + 2 * sizeof(void*));
  const auto set =
      free_sets_.empty() ? static_cast<std::uint32_t>(sets_.size()) : free_sets_.back();
  if (string_key == 0) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, ids_ref_);
    lua_pushvalue(L, id_index);
    lua_pushinteger(L, static_cast<lua_Integer>(set) + 1);
    lua_rawset(L, -3);
    lua_pop(L, 1);
  }
  lua_rawgeti(L, LUA_REGISTRYINDEX, set_ids_ref_);
  lua_pushvalue(L, id_index);
  lua_rawseti(L, -2, static_cast<lua_Integer>(set) + 1);
  lua_pop(L, 1);
  if (free_sets_.empty()) {
    sets_.emplace_back();
  } else {
    free_sets_.pop_back();
  }
  SubscriberSet& subscribers = sets_[set];
  subscribers.used = true;
  subscribers.string_key = string_key;
  if (string_key != 0) string_sets_.set(string_key, set);
  ++empty_sets_;
  return set;
}

// Frees the sets nobody subscribes to and no queued message names, so one-off ids do
// not accumulate.
void MessagePart::sweep_empty_sets(lua_State* L) {
  lua_rawgeti(L, LUA_REGISTRYINDEX, ids_ref_);
  lua_rawgeti(L, LUA_REGISTRYINDEX, set_ids_ref_);
  for (std::uint32_t set = 0; set < sets_.size(); ++set) {
    SubscriberSet& subscribers = sets_[set];
    if (!subscribers.used || subscribers.live != 0 || subscribers.pending != 0 ||
        set == delivering_set_) {
      continue;
    }
    compact(set);
    if (subscribers.string_key != 0) {
      string_sets_.erase(subscribers.string_key);
    } else {
      lua_rawgeti(L, -1, static_cast<lua_Integer>(set) + 1);
      lua_pushnil(L);
      lua_rawset(L, -4);
    }
    lua_pushnil(L);
    lua_rawseti(L, -2, static_cast<lua_Integer>(set) + 1);
    subscribers = SubscriberSet{};
    free_sets_.push_back(set);
    --empty_sets_;
  }
  lua_pop(L, 2);
}

std::uint32_t MessagePart::find_live(std::uint32_t set, const void* key) const {
  const SubscriberSet& subscribers = sets_[set];
  if (!subscribers.index.empty()) {
    const auto found = subscribers.index.find(key);
    return found == subscribers.index.end() ? kNone : found->second;
  }
  for (std::size_t i = 0; i < subscribers.entries.size(); ++i) {
    const Subscriber& entry = subscribers.entries[i];
    if (entry.key == key && entry.removed_in == 0) return static_cast<std::uint32_t>(i);
  }
  return kNone;
}

// Appends a subscriber; false if it was already subscribed (for coroutines the new
// kind of subscription is recorded on the existing entry, and true is returned if that
// kind is new).
bool MessagePart::add_subscriber(lua_State* L, std::uint32_t set, const Subscriber& subscriber,
                               bool known_absent) {
  SubscriberSet& subscribers = sets_[set];
  const std::uint32_t existing = known_absent ? kNone : find_live(set, subscriber.key);
  if (existing != kNone) {
    Subscriber& entry = subscribers.entries[existing];
    if (entry.task == kNone) return false;
    const bool added =
        (subscriber.by_wait && !entry.by_wait) || (subscriber.by_subscribe && !entry.by_subscribe);
    entry.by_wait = entry.by_wait || subscriber.by_wait;
    entry.by_subscribe = entry.by_subscribe || subscriber.by_subscribe;
    return added;
  }
  s_.charge_growth(L, subscribers.entries);  // May raise: nothing changed yet.
  subscribers.entries.push_back(subscriber);
  const auto position = static_cast<std::uint32_t>(subscribers.entries.size() - 1);
  if (!subscribers.index.empty()) {
    subscribers.index.emplace(subscriber.key, position);
  } else if (subscribers.entries.size() >= kIndexThreshold) {
    rebuild_index(set);
  }
  if (subscribers.live++ == 0) --empty_sets_;
  return true;
}

void MessagePart::rebuild_index(std::uint32_t set) {
  SubscriberSet& subscribers = sets_[set];
  subscribers.index.clear();
  if (subscribers.entries.size() < kIndexThreshold) return;
  for (std::size_t i = 0; i < subscribers.entries.size(); ++i) {
    const Subscriber& entry = subscribers.entries[i];
    if (entry.removed_in == 0) subscribers.index[entry.key] = static_cast<std::uint32_t>(i);
  }
}

void MessagePart::remove_subscriber(std::uint32_t set, const void* key, bool by_wait) {
  const std::uint32_t position = find_live(set, key);
  if (position == kNone) return;
  Subscriber& entry = sets_[set].entries[position];
  if (entry.task != kNone) {
    if (by_wait)
      entry.by_wait = false;
    else
      entry.by_subscribe = false;
    if (entry.by_wait || entry.by_subscribe) return;
  }
  remove_entry(set, position);
}

void MessagePart::remove_entry(std::uint32_t set, std::uint32_t position) {
  SubscriberSet& subscribers = sets_[set];
  Subscriber& entry = subscribers.entries[position];
  entry.removed_in = delivery_;
  if (!subscribers.index.empty()) subscribers.index.erase(entry.key);
  ++subscribers.tombstones;
  if (--subscribers.live == 0) ++empty_sets_;
  if (set == delivering_set_) return;  // Compacted when the delivery ends.
  if (position + 1 == subscribers.entries.size()) {
    release_function_slot(entry.fn_slot);
    subscribers.entries.pop_back();
    --subscribers.tombstones;
  } else if (subscribers.tombstones > 8 && subscribers.tombstones >= subscribers.live) {
    compact(set);
  }
}

// Drops the tombstones of a set that is not being delivered.
void MessagePart::compact(std::uint32_t set) {
  SubscriberSet& subscribers = sets_[set];
  std::size_t kept = 0;
  for (std::size_t i = 0; i < subscribers.entries.size(); ++i) {
    Subscriber& entry = subscribers.entries[i];
    if (entry.removed_in != 0) {
      release_function_slot(entry.fn_slot);
      continue;
    }
    subscribers.entries[kept++] = entry;
  }
  subscribers.entries.resize(kept);
  subscribers.tombstones = 0;
  if (!subscribers.index.empty() || kept >= kIndexThreshold) rebuild_index(set);
}

int MessagePart::acquire_function_slot(lua_State* L, int function_index) {
  const int slot = free_function_slots_.empty() ? function_slots_ + 1 : free_function_slots_.back();
  lua_rawgeti(L, LUA_REGISTRYINDEX, functions_ref_);
  lua_pushvalue(L, function_index);
  lua_rawseti(L, -2, slot);  // May raise: nothing changed yet.
  lua_pop(L, 1);
  if (free_function_slots_.empty()) {
    ++function_slots_;
  } else {
    free_function_slots_.pop_back();
  }
  return slot;
}

// Function slots are cleared lazily (a stale value is overwritten on reuse), since
// this runs where no Lua state is at hand; the value stays referenced until then.
void MessagePart::release_function_slot(int slot) {
  if (slot != 0) free_function_slots_.push_back(slot);
}

void MessagePart::drop_task_subscriptions(Task& task, bool wait_only) {
  for (const std::uint32_t set : task.wait_sets) remove_subscriber(set, task.co, true);
  task.wait_sets.clear();
  if (wait_only) return;
  for (const std::uint32_t set : task.own_sets) remove_subscriber(set, task.co, false);
  task.own_sets.clear();
}

// ---- Lua functions ----

namespace {

void check_id(lua_State* L, int index) {
  if (!is_valid_id(L, index)) luaL_typeerror(L, index, "message id");
}

// Calls `each(index)` for the id at `index`, or for every element of an id array.
template <typename Each>
void for_each_id(lua_State* L, int index, Each&& each) {
  if (lua_type(L, index) != LUA_TTABLE) {
    each(index);
    return;
  }
  const lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, index));
  for (lua_Integer i = 1; i <= n; ++i) {
    lua_rawgeti(L, index, i);
    if (is_valid_id(L, -1)) each(lua_gettop(L));
    lua_pop(L, 1);
  }
}

int sys_publish(lua_State* L) {
  const int n = lua_gettop(L);
  if (n == 0) return 0;
  Scheduler& s = task_scheduler_of(L);
  // Fast path: a string id that already has a set (any id someone waits for or
  // subscribes to) is queued without the general id checks and lookup.
  if (lua_type(L, 1) == LUA_TSTRING) {
    const std::uint32_t set = s.messages().find_string_set(L, 1);
    if (set != kNone) {
      s.messages().enqueue_top(L, set, static_cast<std::uint32_t>(n - 1), lua_upvalueindex(2));
      return 0;
    }
  }
  s.messages().publish_top(L, 1, n);
  return 0;
}

// The subscriber at index 2 (function or coroutine) as a set entry; adopts coroutines.
Subscriber make_subscriber(lua_State* L, Scheduler& s, bool create) {
  Subscriber subscriber;
  subscriber.key = lua_topointer(L, 2);
  if (lua_type(L, 2) == LUA_TTHREAD) {
    lua_State* co = lua_tothread(L, 2);
    subscriber.by_subscribe = true;
    subscriber.task = s.tasks().task_of(co);
    if (subscriber.task == kNone && create && !s.is_main_state(co)) {
      subscriber.task = s.tasks().create(L, 2);
      TaskPart::name_coroutine(co, s.tasks()[subscriber.task].name);
    }
  }
  return subscriber;
}

void check_subscriber(lua_State* L) {
  const int type = lua_type(L, 2);
  if (type != LUA_TFUNCTION && type != LUA_TTHREAD) luaL_typeerror(L, 2, "function or thread");
}

// The arguments of subscribe and unsubscribe: ids at 1 (checked, walked later by
// for_each_id) and the subscriber at 2, which comes back as a set entry.
Subscriber subscription_arguments(lua_State* L, Scheduler& s, bool create) {
  check_id(L, 1);
  check_subscriber(L);
  lua_settop(L, 2);
  return make_subscriber(L, s, create);
}

int sys_subscribe(lua_State* L) {
  Scheduler& s = scheduler_of(L);
  const Subscriber subscriber = subscription_arguments(L, s, true);
  if (subscriber.task == kNone && lua_type(L, 2) == LUA_TTHREAD) return 0;  // Main thread.
  for_each_id(L, 1, [&](int id) {
    const std::uint32_t set = s.messages().find_or_add_set(L, id);
    Subscriber entry = subscriber;
    if (entry.task == kNone && s.messages().find_live(set, entry.key) == kNone) {
      entry.fn_slot = s.messages().acquire_function_slot(L, 2);
    }
    if (s.messages().add_subscriber(L, set, entry) && entry.task != kNone) {
      s.tasks()[entry.task].own_sets.push_back(set);
    }
  });
  return 0;
}

int sys_unsubscribe(lua_State* L) {
  Scheduler& s = scheduler_of(L);
  const Subscriber subscriber = subscription_arguments(L, s, false);
  for_each_id(L, 1, [&](int id) {
    const std::uint32_t set = s.messages().find_set(L, id);
    if (set == kNone) return;
    s.messages().remove_subscriber(set, subscriber.key, false);
    if (subscriber.task == kNone) return;
    std::vector<std::uint32_t>& own = s.tasks()[subscriber.task].own_sets;
    const auto found = std::find(own.begin(), own.end(), set);
    if (found != own.end() && s.messages().find_live(set, subscriber.key) == kNone) own.erase(found);
  });
  return 0;
}

enum WaitUntilMode : int { kReturnTrue = 0, kReturnId = 1, kReturnArgs = 2 };

int wait_until_continue(lua_State* L, int /*status*/, lua_KContext context) {
  // Fast path: a delivery that passed `true` (waitUntil's result) and the arguments
  // has ended the wait already, so the values on the stack are the results as they are.
  Task* task = task_record(L);
  if (task != nullptr && task->resumed_with_true) {
    task->resumed_with_true = false;
    return lua_gettop(L);
  }
  Scheduler& s = task_scheduler_of(L);
  const std::uint32_t slot = s.tasks().task_of(L);
  if (slot != kNone) s.tasks().end_wait(s.tasks()[slot]);
  const int mode = lua::from_context(context);
  const int n = lua_gettop(L);
  const int first_type = n == 0 ? LUA_TNIL : lua_type(L, 1);
  if (first_type == LUA_TNIL) {
    if (mode == kReturnArgs) return 0;
    lua_settop(L, 0);
    lua_pushboolean(L, 0);
    return 1;
  }
  if (mode == kReturnTrue) {
    if (first_type != LUA_TBOOLEAN || !lua_toboolean(L, 1)) {
      lua_pushboolean(L, 1);
      lua_replace(L, 1);
    }
  } else if (mode == kReturnArgs) {
    lua_remove(L, 1);
    return n - 1;
  }
  return n;
}

int wait_until(lua_State* L, const char* name, int mode, bool timed) {
  Scheduler& s = task_scheduler_of(L);
  const std::uint32_t slot = s.tasks().current(L, name);
  const int id_type = lua_type(L, 1);
  if (id_type != LUA_TSTRING) check_id(L, 1);
  const WaitTime time = timed ? read_wait_time(L, 2, true) : WaitTime{};
  Subscriber subscriber;
  subscriber.key = L;
  subscriber.task = slot;
  subscriber.by_wait = true;
  if (id_type != LUA_TTABLE) {
    // A string id that already has a set is found with one Lua call (the hot path);
    // others may need their set created: Lua allocations first.
    std::uint32_t set = id_type == LUA_TSTRING ? s.messages().find_string_set(L, 1) : kNone;
    if (set == kNone) set = s.messages().find_or_add_set(L, 1);
    if (!s.tasks().begin_wait(slot, WaitKind::Message, time)) return s.tasks().raise_timer_limit(L);
    // Without sys.subscribe subscriptions the task cannot be in the set already (a
    // wait's subscriptions end with it): the hot path skips the lookup.
    const bool known_absent = s.tasks()[slot].own_sets.empty();
    if (s.messages().add_subscriber(L, set, subscriber, known_absent)) s.tasks()[slot].wait_sets.push_back(set);
  } else {
    for_each_id(L, 1, [&](int id) { s.messages().find_or_add_set(L, id); });
    if (!s.tasks().begin_wait(slot, WaitKind::Message, time)) return s.tasks().raise_timer_limit(L);
    for_each_id(L, 1, [&](int id) {
      const std::uint32_t set = s.messages().find_set(L, id);
      if (s.messages().add_subscriber(L, set, subscriber)) s.tasks()[slot].wait_sets.push_back(set);
    });
  }
  s.tasks()[slot].wants_true = mode == kReturnTrue;
  lua_settop(L, 0);
  return lua_yieldk(L, 0, lua::to_context(mode), wait_until_continue);
}

int sys_wait_until(lua_State* L) {
  return wait_until(L, "sys.waitUntil", kReturnTrue, true);
}
int sys_wait_until_ext(lua_State* L) {
  return wait_until(L, "sys.waitUntilExt", kReturnId, true);
}
int sys_wait_until_msg(lua_State* L) {
  return wait_until(L, "sys.waitUntilMsg", kReturnArgs, false);
}

const luaL_Reg kMessageFunctions[] = {
    {"subscribe", sys_subscribe},         {"unsubscribe", sys_unsubscribe},
    {"waitUntil", sys_wait_until},        {"waitUntilExt", sys_wait_until_ext},
    {"waitUntilMsg", sys_wait_until_msg}, {nullptr, nullptr},
};

}  // namespace

// ---- The drain (phase 3) ----

int MessagePart::drain_protected(lua_State* L) {
  auto* m = static_cast<MessagePart*>(lua_touserdata(L, 1));
  lua_settop(L, 0);
  lua_rawgeti(L, LUA_REGISTRYINDEX, m->functions_ref_);  // Never replaced: kDrainFunctions.
  lua_rawgeti(L, LUA_REGISTRYINDEX, m->queue_ref_);      // kDrainRing (see drain_ring()).
  m->drain_ring_generation_ = m->ring_generation_;
  while (m->queue_count_ != 0) m->deliver_head(L, kDrainFunctions);
  return 0;
}

void MessagePart::drain() {
  if (draining_) return;  // Never nested: publish only queues.
  draining_ = true;
  while (queue_count_ != 0) {
    lua_State* L = s_.loop_state();
    const int top = lua_gettop(L);
    const int handler = push_traceback_handler(L);
    lua::push_function(L, drain_protected);
    lua_pushlightuserdata(L, this);
    const SliceMark mark = s_.slice_watch().enter(L, SliceKind::Timed);
    const int status = lua_pcall(L, 1, 0, handler);
    s_.slice_watch().leave(mark);
    if (status != LUA_OK) on_drain_error(L);
    lua_settop(L, top);
  }
  draining_ = false;
}

// A subscriber raised (or, rarely, the delivery itself ran out of memory). Reports it,
// then lets the next drain_protected continue after the failed subscriber.
void MessagePart::on_drain_error(lua_State* L) {
  const int error = lua_gettop(L);
  if (s_.is_stop_sentinel(L, error)) return;
  if (!delivery_started_) {  // Not a subscriber: drop the message to make progress.
    s_.log_line(LogLevel::Error, "sys", s_.error_text(L, error));
    drop_head_message(L);  // Clears existing slots only: never raises.
    return;
  }
  s_.push_last_traceback(L);
  push_delivery_function(L);
  push_head_id(L);
  Failure failure;
  failure.kind = Failure::Kind::Subscriber;
  failure.error_index = error;
  failure.traceback_index = error + 1;
  failure.function_index = error + 2;
  failure.id_index = error + 3;
  s_.report(L, failure);
}

void MessagePart::create_tables(lua_State* L) {
  lua::new_table(L, 0, 0);
  queue_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
  lua::new_table(L, 0, 64);
  ids_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
  lua::new_table(L, 64, 0);
  set_ids_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
  lua::new_table(L, 64, 0);
  functions_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
  grow_queue(L, 64);
}

void MessagePart::push_set_id(lua_State* L, std::uint32_t set) {
  lua_rawgeti(L, LUA_REGISTRYINDEX, set_ids_ref_);
  lua_rawgeti(L, -1, static_cast<lua_Integer>(set) + 1);
  lua_remove(L, -2);
}

void MessagePart::register_functions(lua_State* L) {
  lua_pushlightuserdata(L, &s_);
  lua::set_functions(L, kMessageFunctions, 1);
  // sys.publish also holds the value ring (upvalue 2; see enqueue_top).
  lua_pushlightuserdata(L, &s_);
  lua_rawgeti(L, LUA_REGISTRYINDEX, queue_ref_);
  lua_pushcclosure(L, sys_publish, 2);
  lua_setfield(L, -2, "publish");
}

}  // namespace luasys::detail

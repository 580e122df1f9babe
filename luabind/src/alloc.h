#pragma once
// The Lua allocator: counts the heap (used, high-water mark) and enforces an optional
// soft limit. Past the limit an allocation returns NULL; Lua then runs its emergency
// full collection and retries once, and raises "not enough memory" only if that did
// not free enough. The process never aborts for the limit.

#include <atomic>
#include <cstddef>

namespace luasys::detail {

struct HeapCounter {
  std::size_t used = 0;      ///< Bytes allocated now.
  std::size_t max_used = 0;  ///< Highest `used` seen.
  std::size_t limit = 0;     ///< 0: no limit.
  /// Set while the slice watchdog hooks a Lua state from its thread; frees wait for
  /// it to clear (slice_watch.h, "Lifetime of hooked states").
  const std::atomic<bool>* arming = nullptr;
  /// The size Lua allocates for a thread (lua_State), learnt at the first
  /// lua_newthread: frees of that size are the ones `arming` guards.
  std::size_t thread_size = 0;
};

/// A lua_Alloc: `ud` is the HeapCounter.
void* counting_alloc(void* ud, void* block, std::size_t old_size, std::size_t new_size);

}  // namespace luasys::detail

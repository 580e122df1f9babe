#include "alloc.h"

#include <cstdlib>

#include <lua.hpp>

namespace luasys::detail {

void* counting_alloc(void* ud, void* block, std::size_t old_size, std::size_t new_size) {
  auto* heap = static_cast<HeapCounter*>(ud);
  // When `block` is NULL, `old_size` encodes the kind of object, not a size.
  const std::size_t previous = block == nullptr ? 0 : old_size;
  if (new_size == 0) {
    if (previous == heap->thread_size && heap->arming != nullptr) {
      std::atomic_thread_fence(std::memory_order_seq_cst);
      while (heap->arming->load(std::memory_order_acquire)) {
      }
    }
    std::free(block);
    heap->used -= previous;
    return nullptr;
  }
  if (block == nullptr && old_size == LUA_TTHREAD) heap->thread_size = new_size;
  const bool grows = new_size > previous;
  if (grows && heap->limit != 0 && heap->used - previous + new_size > heap->limit) {
    return nullptr;  // Lua collects everything and retries, then reports the error.
  }
  // A new block (the common case: Lua allocates far more than it resizes) skips
  // realloc's extra dispatch.
  void* resized = block == nullptr ? std::malloc(new_size) : std::realloc(block, new_size);
  if (resized == nullptr) return nullptr;
  heap->used = heap->used - previous + new_size;
  if (heap->used > heap->max_used) heap->max_used = heap->used;
  return resized;
}

}  // namespace luasys::detail

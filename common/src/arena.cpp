#include "common/arena.h"

#include <algorithm>
#include <cstdint>

namespace common {

void* Arena::allocate(std::size_t size, std::size_t align) {
  auto address = reinterpret_cast<std::uintptr_t>(cursor_);
  std::size_t padding = (align - address % align) % align;
  if (cursor_ == nullptr || padding + size > remaining_) {
    // A request larger than a page gets a page of its own size.
    const std::size_t page = std::max(page_size_, size + align);
    pages_.push_back(std::make_unique<std::byte[]>(page));
    cursor_ = pages_.back().get();
    remaining_ = page;
    address = reinterpret_cast<std::uintptr_t>(cursor_);
    padding = (align - address % align) % align;
  }
  std::byte* result = cursor_ + padding;
  cursor_ += padding + size;
  remaining_ -= padding + size;
  bytes_used_ += size;
  return result;
}

}  // namespace common

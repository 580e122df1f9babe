#include "common/arena.h"

#include <algorithm>

namespace common {

void* Arena::allocate_in_new_page(std::size_t size, std::size_t align) {
  // A request larger than a page gets a page of its own size. Pages are not zeroed:
  // every object is constructed (or copied) into its bytes before it is read.
  const std::size_t page = std::max(page_size_, size + align);
  pages_.push_back(std::make_unique_for_overwrite<std::byte[]>(page));
  cursor_ = pages_.back().get();
  remaining_ = page;
  return allocate(size, align);
}

}  // namespace common

#pragma once
// A page arena for objects that live as long as one compilation (AST nodes).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

namespace common {

/// Bump allocator in pages. Objects are never destroyed one by one, so only
/// trivially destructible types may be allocated (checked at compile time).
class Arena {
 public:
  explicit Arena(std::size_t page_size = 64 * 1024) : page_size_(page_size) {}
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  Arena(Arena&&) noexcept = default;
  Arena& operator=(Arena&&) noexcept = default;

  template <typename T, typename... Args>
  T* make(Args&&... args) {
    static_assert(std::is_trivially_destructible_v<T>,
                  "arena objects are never destroyed; use trivially destructible types");
    void* memory = allocate(sizeof(T), alignof(T));
    return new (memory) T(std::forward<Args>(args)...);
  }

  /// Copies `count` elements into the arena and returns the copy (nullptr if empty).
  template <typename T>
  T* copy_array(const T* items, std::size_t count) {
    static_assert(std::is_trivially_copyable_v<T>, "arrays are copied bytewise");
    if (count == 0) return nullptr;
    T* out = static_cast<T*>(allocate(sizeof(T) * count, alignof(T)));
    std::uninitialized_copy(items, items + count, out);
    return out;
  }

  /// `align` must be a power of two. The fast path is inline: the parser allocates a
  /// node every few tokens, and a call per node was measurable.
  void* allocate(std::size_t size, std::size_t align) {
    const auto address = reinterpret_cast<std::uintptr_t>(cursor_);
    const std::size_t padding = static_cast<std::size_t>(-address) & (align - 1);
    if (cursor_ == nullptr || padding + size > remaining_) return allocate_in_new_page(size, align);
    std::byte* result = cursor_ + padding;
    cursor_ += padding + size;
    remaining_ -= padding + size;
    bytes_used_ += size;
    return result;
  }
  [[nodiscard]] std::size_t bytes_used() const { return bytes_used_; }

 private:
  void* allocate_in_new_page(std::size_t size, std::size_t align);

  std::size_t page_size_;
  std::vector<std::unique_ptr<std::byte[]>> pages_;
  std::byte* cursor_ = nullptr;
  std::size_t remaining_ = 0;
  std::size_t bytes_used_ = 0;
};

}  // namespace common

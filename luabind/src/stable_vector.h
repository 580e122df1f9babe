#pragma once
// A growable array whose elements never move: storage comes in fixed chunks of a power-
// of-two size, so references stay valid while elements are added (as with std::deque)
// but indexing is a shift and a mask instead of std::deque's division, which matters on
// the scheduler's hot paths (tasks and subscriber sets are indexed on every message).

#include <cstddef>
#include <memory>
#include <vector>

namespace luasys::detail {

template <typename T>
class StableVector {
 public:
  [[nodiscard]] T& operator[](std::size_t i) { return chunks_[i >> kShift][i & kMask]; }
  [[nodiscard]] const T& operator[](std::size_t i) const { return chunks_[i >> kShift][i & kMask]; }
  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] bool empty() const { return size_ == 0; }

  /// Appends a value-initialized element.
  T& emplace_back() {
    if ((size_ >> kShift) == chunks_.size()) chunks_.push_back(std::make_unique<T[]>(kChunk));
    T& element = (*this)[size_];
    ++size_;
    return element;
  }

 private:
  static constexpr std::size_t kShift = 6;
  static constexpr std::size_t kChunk = std::size_t{1} << kShift;
  static constexpr std::size_t kMask = kChunk - 1;

  std::vector<std::unique_ptr<T[]>> chunks_;
  std::size_t size_ = 0;
};

}  // namespace luasys::detail

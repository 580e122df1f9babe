#pragma once
// A small open-addressing hash map from non-zero 64-bit keys (ids, hashes, pointers)
// to 32-bit values, for the scheduler's hot lookups. Linear probing over a power-of-
// two table kept at most half full; erasing shifts the following entries back, so
// there are no tombstones and lookups stay short. Inserting allocates only when the
// table doubles.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace luasys::detail {

class FlatMap {
 public:
  /// The value stored for `key`, or nullptr. `key` must not be 0.
  [[nodiscard]] std::uint32_t* find(std::uint64_t key) {
    if (slots_.empty()) return nullptr;
    for (std::size_t i = home(key);; i = next(i)) {
      Slot& slot = slots_[i];
      if (slot.key == key) return &slot.value;
      if (slot.key == 0) return nullptr;
    }
  }
  [[nodiscard]] const std::uint32_t* find(std::uint64_t key) const {
    return const_cast<FlatMap*>(this)->find(key);
  }

  /// Sets the value for `key` (which must not be 0), adding the key if absent.
  void set(std::uint64_t key, std::uint32_t value) {
    if ((count_ + 1) * 2 > slots_.size()) grow();
    for (std::size_t i = home(key);; i = next(i)) {
      Slot& slot = slots_[i];
      if (slot.key == key) {
        slot.value = value;
        return;
      }
      if (slot.key == 0) {
        slot = Slot{key, value};
        ++count_;
        return;
      }
    }
  }

  /// The value stored for `key` (which must not be 0), adding `key` with `value` if it
  /// was absent; `*added` tells which. One probe where find() then set() take two.
  std::uint32_t& find_or_add(std::uint64_t key, std::uint32_t value, bool* added) {
    if ((count_ + 1) * 2 > slots_.size()) grow();
    for (std::size_t i = home(key);; i = next(i)) {
      Slot& slot = slots_[i];
      if (slot.key == key) {
        *added = false;
        return slot.value;
      }
      if (slot.key == 0) {
        slot = Slot{key, value};
        ++count_;
        *added = true;
        return slot.value;
      }
    }
  }

  /// Removes `key`; false if it was absent.
  bool erase(std::uint64_t key) {
    if (slots_.empty()) return false;
    std::size_t i = home(key);
    while (slots_[i].key != key) {
      if (slots_[i].key == 0) return false;
      i = next(i);
    }
    // Backward-shift deletion: move later members of the probe run into the hole.
    for (std::size_t j = next(i);; j = next(j)) {
      if (slots_[j].key == 0) break;
      const std::size_t want = home(slots_[j].key);
      const bool movable = (j > i) ? (want <= i || want > j) : (want <= i && want > j);
      if (movable) {
        slots_[i] = slots_[j];
        i = j;
      }
    }
    slots_[i] = Slot{};
    --count_;
    return true;
  }

  [[nodiscard]] std::size_t size() const { return count_; }

  /// Mixes a pointer or small integer into a well-spread non-zero key.
  static std::uint64_t key_of(std::uint64_t raw) { return raw == 0 ? 1 : raw; }

 private:
  struct Slot {
    std::uint64_t key = 0;  // 0: empty.
    std::uint32_t value = 0;
  };

  [[nodiscard]] std::size_t home(std::uint64_t key) const {
    return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> shift_);
  }
  [[nodiscard]] std::size_t next(std::size_t i) const { return (i + 1) & (slots_.size() - 1); }

  void grow() {
    std::vector<Slot> old;
    old.swap(slots_);
    const std::size_t capacity = old.empty() ? 16 : old.size() * 2;
    slots_.assign(capacity, Slot{});
    shift_ = 64;
    for (std::size_t c = capacity; c > 1; c >>= 1) --shift_;
    count_ = 0;
    for (const Slot& slot : old) {
      if (slot.key != 0) set(slot.key, slot.value);
    }
  }

  std::vector<Slot> slots_;
  std::size_t count_ = 0;
  unsigned shift_ = 64;
};

}  // namespace luasys::detail

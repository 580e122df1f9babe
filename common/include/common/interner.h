#pragma once
// String interning: equal names share one stable pointer, so they compare by address.

#include <string_view>
#include <unordered_set>
#include <deque>
#include <string>

namespace common {

/// An interned string: a view whose data pointer is unique per distinct text.
struct Name {
  std::string_view text;

  friend bool operator==(Name a, Name b) { return a.text.data() == b.text.data(); }
  [[nodiscard]] bool empty() const { return text.empty(); }
};

class Interner {
 public:
  /// Returns the unique Name for `text`; the view stays valid as long as the Interner.
  Name intern(std::string_view text);
  [[nodiscard]] std::size_t size() const { return set_.size(); }

 private:
  std::deque<std::string> storage_;  // A deque never moves its elements.
  std::unordered_set<std::string_view> set_;
};

}  // namespace common

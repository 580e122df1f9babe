#pragma once
// A private helper shared by the compiler sources for building short messages and keys.

#include <string>
#include <string_view>

namespace er::lang {

// Joins up to four pieces into one string with one allocation (also avoids GCC 12's
// false -Wrestrict report on chains of std::string operator+ at -O3).
inline std::string join(std::string_view a, std::string_view b, std::string_view c = {},
                        std::string_view d = {}) {
  std::string out;
  out.reserve(a.size() + b.size() + c.size() + d.size());
  out.append(a).append(b).append(c).append(d);
  return out;
}

}  // namespace er::lang

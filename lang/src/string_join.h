#pragma once
// Private string helpers shared by the compiler sources: short messages and keys, and
// quoted strings for the printer and the AST dump.

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

/// Appends `value` as a double-quoted EventScript string literal that reads back as
/// the same bytes (printer.cpp).
void append_quoted(std::string_view value, std::string& out);

}  // namespace er::lang

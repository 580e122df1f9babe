#pragma once
// Source positions shared by the compiler and the runtime's error reports.

#include <cstdint>

namespace common {

/// A position in a source text. Lines and columns are 1-based; a column counts
/// characters (UTF-8 code points), and a tab is one column.
struct Position {
  std::uint32_t line = 1;
  std::uint32_t column = 1;

  friend bool operator==(const Position&, const Position&) = default;
  friend auto operator<=>(const Position&, const Position&) = default;
};

/// A half-open source range [begin, end). Every AST node carries one.
struct Location {
  Position begin;
  Position end;

  friend bool operator==(const Location&, const Location&) = default;
};

}  // namespace common

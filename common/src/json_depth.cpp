#include "common/json_depth.h"

#include <algorithm>
#include <cstddef>

namespace common {

bool json_nests_deeper_than(std::string_view text, int limit) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  // Stops at the first bracket past the limit: the answer is known there.
  for (std::size_t i = 0; i < text.size() && deepest <= limit; ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;  // Skips the escaped character.
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest > limit;
}

}  // namespace common

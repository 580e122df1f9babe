#include "common/interner.h"

namespace common {

Name Interner::intern(std::string_view text) {
  if (auto found = set_.find(text); found != set_.end()) return Name{*found};
  const std::string& stored = storage_.emplace_back(text);
  set_.insert(stored);
  return Name{stored};
}

}  // namespace common

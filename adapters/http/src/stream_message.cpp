#include "adapters/http/stream_message.h"

#include <algorithm>

namespace er::http {

StreamFilter StreamFilter::from_query(const QueryParameters& query) {
  StreamFilter filter;
  for (const auto& [key, value] : query) {
    if (key == "match") {
      filter.match = value;
      continue;
    }
    if (key != "kinds") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const std::size_t comma = rest.find(',');
      const std::string_view kind = rest.substr(0, comma);
      if (!kind.empty()) filter.kinds.emplace_back(kind);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
  }
  return filter;
}

bool StreamFilter::accepts(std::string_view kind, std::string_view match_text) const {
  if (!kinds.empty() && std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) return false;
  return match.empty() || match_text.find(match) != std::string_view::npos;
}

}  // namespace er::http

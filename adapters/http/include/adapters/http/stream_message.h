#pragma once
// What the stream hub pushes to WebSocket clients (GET /api/stream, docs/api.md) and how
// each client's query parameters filter it. Pure: no sockets.

#include <string>
#include <string_view>
#include <vector>

#include "adapters/http/request_input.h"

namespace er::http {

/// One message for the stream, as the app publishes it.
struct StreamMessage {
  std::string kind;        ///< "timeline", "device", "rule", "log", "reload", ...
  std::string match_text;  ///< what `match=TEXT` is looked for in (text, name, id)
  std::string json;        ///< the message itself, one JSON object as text
};

/// A client's choice of messages: `kinds=device,rule` (default: all) and `match=TEXT`
/// (a substring of the message's match_text; default: everything).
struct StreamFilter {
  std::vector<std::string> kinds;  ///< empty: every kind
  std::string match;               ///< empty: every message

  /// Takes `kinds` (comma-separated; repeated parameters add up) and `match` (the last
  /// one wins) from a stream request's query; other parameters are ignored.
  static StreamFilter from_query(const QueryParameters& query);

  [[nodiscard]] bool accepts(std::string_view kind, std::string_view match_text) const;
};

}  // namespace er::http

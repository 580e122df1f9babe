// MQTT 3.1.1 topic filters: matching (section 4.7) and validity of a subscription.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/mqtt/router.h"

namespace er::mqtt {

namespace {

constexpr std::size_t kMaxTopicBytes = 65535;

// The level of `text` that starts at `pos` (up to the next '/' or the end).
std::string_view level_at(std::string_view text, std::size_t pos) {
  const std::size_t end = text.find('/', pos);
  return text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
}

}  // namespace

bool topic_matches(std::string_view filter, std::string_view topic) {
  // Topics starting with '$' (broker statistics) are only matched by filters that name
  // their first level, never by a leading wildcard.
  if (!topic.empty() && topic.front() == '$' && !filter.empty() &&
      (filter.front() == '+' || filter.front() == '#')) {
    return false;
  }
  std::size_t f = 0;
  std::size_t t = 0;
  while (true) {
    const std::string_view filter_level = level_at(filter, f);
    if (filter_level == "#") return true;  // Also matches the parent level ("a/#" and "a").
    const std::string_view topic_level = level_at(topic, t);
    if (filter_level != "+" && filter_level != topic_level) return false;
    f += filter_level.size();
    t += topic_level.size();
    const bool filter_done = f >= filter.size();
    const bool topic_done = t >= topic.size();
    if (filter_done || topic_done) {
      if (filter_done && topic_done) return true;
      // The topic ended; only "/#" may follow in the filter.
      return topic_done && filter.substr(f) == "/#";
    }
    ++f;  // Past the '/' of both.
    ++t;
  }
}

std::optional<std::string> check_filter(std::string_view filter) {
  if (filter.empty()) return "an empty topic filter";
  if (filter.size() > kMaxTopicBytes) return "a topic filter longer than 65535 bytes";
  if (filter.find('\0') != std::string_view::npos) return "a topic filter with a NUL byte";
  for (std::size_t pos = 0; pos <= filter.size();) {
    const std::string_view level = level_at(filter, pos);
    const bool last = pos + level.size() >= filter.size();
    if (level.find_first_of("+#") != std::string_view::npos && level.size() != 1) {
      return "a wildcard that is not a whole level";
    }
    if (level == "#" && !last) return "'#' before the last level";
    pos += level.size() + 1;
  }
  return std::nullopt;
}

}  // namespace er::mqtt

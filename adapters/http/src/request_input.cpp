#include "adapters/http/request_input.h"

#include <algorithm>
#include <cctype>
#include <limits>

#include "common/json_depth.h"

namespace er::http {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Calls `part` for each piece of `text` between separators (empty pieces included).
template <typename Part>
void split(std::string_view text, char separator, Part part) {
  while (true) {
    const std::size_t end = text.find(separator);
    part(text.substr(0, end));
    if (end == std::string_view::npos) return;
    text.remove_prefix(end + 1);
  }
}

QueryParameters parse_query(std::string_view query) {
  QueryParameters parameters;
  if (query.empty()) return parameters;
  split(query, '&', [&](std::string_view pair) {
    if (pair.empty()) return;  // "a=1&&b=2"
    const std::size_t equals = pair.find('=');
    std::string key = percent_decode(pair.substr(0, equals), true);
    std::string value = equals == std::string_view::npos ? std::string() : percent_decode(pair.substr(equals + 1), true);
    parameters.emplace_back(std::move(key), std::move(value));
  });
  return parameters;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// Compares without an early exit: the time depends only on the presented length, never on
// where the first difference is.
bool same_secret(std::string_view presented, std::string_view secret) {
  unsigned difference = presented.size() == secret.size() ? 0U : 1U;
  for (std::size_t i = 0; i < presented.size(); ++i) {
    const char expected = secret.empty() ? '\0' : secret[i % secret.size()];
    difference |= static_cast<unsigned char>(presented[i] ^ expected);
  }
  return difference == 0;
}

// nlohmann-json's messages start with "[json.exception.parse_error.101] "; the client
// needs only the rest ("parse error at line 1, column 2: ...").
std::string without_exception_tag(const std::string& message) {
  const std::size_t tag_end = message.find("] ");
  if (message.starts_with("[json.exception.") && tag_end != std::string::npos) return message.substr(tag_end + 2);
  return message;
}

}  // namespace

std::string percent_decode(std::string_view text, bool plus_is_space) {
  std::string decoded;
  decoded.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      decoded += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      decoded += plus_is_space && c == '+' ? ' ' : c;
    }
  }
  return decoded;
}

Target parse_target(std::string_view raw_target) {
  raw_target = raw_target.substr(0, raw_target.find('#'));
  const std::size_t question = raw_target.find('?');
  const std::string_view raw_path = raw_target.substr(0, question);
  Target target;
  target.path = percent_decode(raw_path, false);
  split(raw_path, '/', [&](std::string_view segment) {
    if (!segment.empty()) target.segments.push_back(percent_decode(segment, false));
  });
  if (question != std::string_view::npos) target.query = parse_query(raw_target.substr(question + 1));
  return target;
}

bool bearer_token_matches(std::string_view authorization, std::string_view token) {
  constexpr std::string_view kScheme = "Bearer ";
  if (token.empty() || authorization.size() < kScheme.size()) return false;
  if (!equals_ignoring_case(authorization.substr(0, kScheme.size()), kScheme)) return false;
  std::string_view presented = authorization.substr(kScheme.size());
  while (!presented.empty() && presented.back() == ' ') presented.remove_suffix(1);
  return same_secret(presented, token);
}

namespace {

// Calls `entry` for each comma-separated entry of a header, without surrounding spaces.
template <typename Entry>
void each_list_entry(std::string_view header, Entry entry) {
  split(header, ',', [&](std::string_view item) {
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) entry(item);
  });
}

}  // namespace

std::string websocket_protocol_authorization(std::string_view protocols) {
  constexpr std::string_view kPrefix = "bearer.";
  std::string authorization;
  each_list_entry(protocols, [&](std::string_view item) {
    if (authorization.empty() && item.size() > kPrefix.size() && item.substr(0, kPrefix.size()) == kPrefix) {
      authorization = "Bearer " + std::string(item.substr(kPrefix.size()));
    }
  });
  return authorization;
}

bool websocket_protocol_offered(std::string_view protocols, std::string_view name) {
  bool offered = false;
  each_list_entry(protocols, [&](std::string_view item) { offered = offered || item == name; });
  return offered;
}

std::optional<std::uint64_t> parse_content_length(std::string_view text) {
  if (text.empty() || text.size() > 19) return std::nullopt;  // 19 digits always fit
  std::uint64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return value;
}

BodyCheck check_json_body(std::string_view body) {
  BodyCheck check;
  if (body.empty()) return check;
  if (common::json_nests_deeper_than(body, kMaxBodyDepth)) {
    check.error = "the body nests deeper than " + std::to_string(kMaxBodyDepth) + " levels";
    return check;
  }
  try {
    nlohmann::json value = nlohmann::json::parse(body);
    if (!value.is_object()) {
      check.error = std::string("the body must be a JSON object, not ") + value.type_name();
      return check;
    }
    check.value = std::move(value);
  } catch (const nlohmann::json::exception& error) {
    check.error = "the body is not JSON: " + without_exception_tag(error.what());
  }
  return check;
}

}  // namespace er::http

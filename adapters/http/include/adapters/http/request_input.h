#pragma once
// The pure half of reading a request: the request target (path and query), the
// Authorization header, Content-Length and the JSON body. No sockets and no
// libmicrohttpd, so every function here is unit-tested and fuzzed (fuzz/http_request_fuzz).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace er::http {

/// Query parameters in the order the client sent them, decoded. A key may repeat.
using QueryParameters = std::vector<std::pair<std::string, std::string>>;

/// The request target split as the control API needs it.
struct Target {
  std::string path;                   ///< decoded, without the query ("/api/rules/a b")
  std::vector<std::string> segments;  ///< split on '/' before decoding, each decoded; no empty ones
  QueryParameters query;
};

/// Decodes %XX escapes; with `plus_is_space` (query parts), '+' is a space. A '%' not
/// followed by two hex digits is kept as it is: decoding never fails.
std::string percent_decode(std::string_view text, bool plus_is_space);

/// Splits a raw request target ("/api/rules/a%2Fb?since=4&kinds=device") into its decoded
/// path, its segments (so "a%2Fb" stays one segment "a/b") and its query parameters.
/// A fragment ('#...') is dropped; a parameter without '=' has an empty value.
Target parse_target(std::string_view raw_target);

/// True when `authorization` is "Bearer <token>" with exactly `token` (the scheme is
/// case-insensitive). The comparison takes the same time wherever the first difference
/// is, so the token cannot be guessed byte by byte. An empty `token` matches nothing.
bool bearer_token_matches(std::string_view authorization, std::string_view token);

/// The subprotocol a browser's WebSocket offers in place of the Authorization header,
/// which browsers cannot set on a WebSocket: `Sec-WebSocket-Protocol: eventrunner,
/// bearer.<token>` carries the token as "Bearer <token>" for bearer_token_matches, or ""
/// when the header offers no "bearer." entry.
std::string websocket_protocol_authorization(std::string_view protocols);

/// True when the Sec-WebSocket-Protocol header offers `name` (the server must then
/// answer with it, or the browser drops the connection).
bool websocket_protocol_offered(std::string_view protocols, std::string_view name);

/// A Content-Length value as a number; nullopt when it is not one (digits only, no sign,
/// no overflow).
std::optional<std::uint64_t> parse_content_length(std::string_view text);

/// How deep a body may nest arrays and objects: the engine converts bodies to Lua tables
/// recursively, and nothing in the API needs more.
constexpr int kMaxBodyDepth = 64;

/// A body as the server hands it on: a JSON object, or null when the body is empty; or
/// why it is refused (400).
struct BodyCheck {
  nlohmann::json value;  ///< null when the body is empty or refused
  std::string error;     ///< empty when the body is acceptable
};

/// Parses and checks a request body: it must be empty or one JSON object nested at most
/// kMaxBodyDepth deep. The error names what is wrong ("the body is not JSON: ...",
/// "the body must be a JSON object, not an array").
BodyCheck check_json_body(std::string_view body);

}  // namespace er::http

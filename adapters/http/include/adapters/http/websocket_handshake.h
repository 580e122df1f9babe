#pragma once
// The WebSocket opening handshake (RFC 6455, section 4): checking that a request asks
// for an upgrade properly, and the Sec-WebSocket-Accept answer. No sockets.

#include <optional>
#include <string>
#include <string_view>

namespace er::http {

/// The request headers the handshake looks at (empty when absent).
struct UpgradeRequest {
  std::string_view method;
  std::string_view http_version;  ///< "HTTP/1.1"
  std::string_view upgrade;       ///< must hold the token "websocket"
  std::string_view connection;    ///< must hold the token "Upgrade"
  std::string_view version;       ///< Sec-WebSocket-Version, must be "13"
  std::string_view key;           ///< Sec-WebSocket-Key, base64 of 16 bytes
};

/// Empty when `request` is a proper opening handshake; else why it is not (the 400
/// message), e.g. "not a WebSocket upgrade (no 'Upgrade: websocket')".
std::string check_upgrade_request(const UpgradeRequest& request);

/// base64(SHA-1(key + the RFC's GUID)): the Sec-WebSocket-Accept for a key.
std::string websocket_accept(std::string_view key);

/// True when a comma-separated header value holds `token` (case-insensitive), as
/// "keep-alive, Upgrade" holds "upgrade".
bool header_has_token(std::string_view value, std::string_view token);

std::string base64_encode(std::string_view bytes);
/// nullopt when `text` is not padded base64.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace er::http

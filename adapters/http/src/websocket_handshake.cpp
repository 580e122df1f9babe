#include "adapters/http/websocket_handshake.h"

#include <gnutls/crypto.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace er::http {

namespace {

constexpr std::string_view kAcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
constexpr std::string_view kBase64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

int base64_value(char c) {
  const std::size_t at = kBase64Alphabet.find(c);
  return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

}  // namespace

bool header_has_token(std::string_view value, std::string_view token) {
  while (true) {
    const std::size_t comma = value.find(',');
    if (equals_ignoring_case(trim(value.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) return false;
    value.remove_prefix(comma + 1);
  }
}

std::string check_upgrade_request(const UpgradeRequest& request) {
  if (request.method != "GET") return "a WebSocket upgrade must be a GET";
  if (request.http_version != "HTTP/1.1") return "a WebSocket upgrade needs HTTP/1.1";
  if (!header_has_token(request.upgrade, "websocket")) return "not a WebSocket upgrade (no 'Upgrade: websocket')";
  if (!header_has_token(request.connection, "upgrade")) return "not a WebSocket upgrade (no 'Connection: Upgrade')";
  if (trim(request.version) != "13") return "unsupported Sec-WebSocket-Version (13 is supported)";
  const std::optional<std::string> key = base64_decode(trim(request.key));
  if (!key || key->size() != 16) return "missing or malformed Sec-WebSocket-Key";
  return {};
}

std::string websocket_accept(std::string_view key) {
  const std::string input = std::string(trim(key)) + std::string(kAcceptGuid);
  std::array<unsigned char, 20> digest{};
  gnutls_hash_fast(GNUTLS_DIG_SHA1, input.data(), input.size(), digest.data());
  return base64_encode(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

std::string base64_encode(std::string_view bytes) {
  std::string text;
  text.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t count = std::min<std::size_t>(3, bytes.size() - i);
    std::uint32_t group = 0;
    for (std::size_t j = 0; j < 3; ++j) {
      group = (group << 8) | (j < count ? static_cast<unsigned char>(bytes[i + j]) : 0U);
    }
    for (std::size_t j = 0; j < 4; ++j) {
      text += j <= count ? kBase64Alphabet[(group >> (18 - 6 * j)) & 0x3F] : '=';
    }
  }
  return text;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string bytes;
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    std::uint32_t group = 0;
    std::size_t padding = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      const char c = text[i + j];
      const int value = base64_value(c);
      if (c == '=' && last && j >= 2 && (j == 3 || text[i + 3] == '=')) {
        ++padding;
      } else if (value < 0 || padding > 0) {
        return std::nullopt;
      }
      group = (group << 6) | static_cast<std::uint32_t>(value < 0 ? 0 : value);
    }
    for (std::size_t j = 0; j < 3 - padding; ++j) bytes += static_cast<char>((group >> (16 - 8 * j)) & 0xFF);
  }
  return bytes;
}

}  // namespace er::http

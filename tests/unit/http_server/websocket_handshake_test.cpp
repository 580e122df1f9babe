#include "adapters/http/websocket_handshake.h"

#include <gtest/gtest.h>

using namespace er::http;

TEST(http_server_websocket_handshake, AcceptKeyIsTheRfcExample) {
  // RFC 6455, section 1.3.
  EXPECT_EQ(websocket_accept("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(http_server_websocket_handshake, Base64RoundTripsAndRefusesMalformedText) {
  for (const std::string text : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    EXPECT_EQ(base64_decode(base64_encode(text)), text);
  }
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_FALSE(base64_decode("Zm8"));
  EXPECT_FALSE(base64_decode("Z=8="));
  EXPECT_FALSE(base64_decode("Zm8*"));
}

TEST(http_server_websocket_handshake, ProperUpgradeRequestPasses) {
  const UpgradeRequest request{"GET", "HTTP/1.1", "websocket", "keep-alive, Upgrade", "13", "dGhlIHNhbXBsZSBub25jZQ=="};
  EXPECT_EQ(check_upgrade_request(request), "");
}

TEST(http_server_websocket_handshake, EachMissingPieceIsNamed) {
  const UpgradeRequest good{"GET", "HTTP/1.1", "websocket", "Upgrade", "13", "dGhlIHNhbXBsZSBub25jZQ=="};
  UpgradeRequest request = good;
  request.upgrade = "";
  EXPECT_EQ(check_upgrade_request(request), "not a WebSocket upgrade (no 'Upgrade: websocket')");
  request = good;
  request.connection = "keep-alive";
  EXPECT_EQ(check_upgrade_request(request), "not a WebSocket upgrade (no 'Connection: Upgrade')");
  request = good;
  request.version = "8";
  EXPECT_EQ(check_upgrade_request(request), "unsupported Sec-WebSocket-Version (13 is supported)");
  request = good;
  request.key = "c2hvcnQ=";
  EXPECT_EQ(check_upgrade_request(request), "missing or malformed Sec-WebSocket-Key");
  request = good;
  request.method = "POST";
  EXPECT_EQ(check_upgrade_request(request), "a WebSocket upgrade must be a GET");
}

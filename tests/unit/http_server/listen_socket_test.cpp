#include "adapters/http/server.h"

#include <gtest/gtest.h>

namespace http = er::http;

TEST(http_server_listen_socket, LoopbackAddresses) {
  EXPECT_TRUE(http::is_loopback("127.0.0.1"));
  EXPECT_TRUE(http::is_loopback("127.8.9.10"));
  EXPECT_TRUE(http::is_loopback("::1"));
  EXPECT_TRUE(http::is_loopback("localhost"));
  EXPECT_FALSE(http::is_loopback("0.0.0.0"));
  EXPECT_FALSE(http::is_loopback("192.168.1.2"));
  EXPECT_FALSE(http::is_loopback("::"));
}

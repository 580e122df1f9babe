#include "adapters/http/static_files.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace er::http;

TEST(http_server_static_files, OnlyGetsOutsideTheApiAreStatic) {
  EXPECT_TRUE(is_static_request("GET", "/"));
  EXPECT_TRUE(is_static_request("HEAD", "/app.js"));
  EXPECT_TRUE(is_static_request("GET", "/apiary.js"));
  EXPECT_FALSE(is_static_request("POST", "/"));
  EXPECT_FALSE(is_static_request("GET", "/api"));
  EXPECT_FALSE(is_static_request("GET", "/api/health"));
  EXPECT_FALSE(is_static_request("GET", "/metrics"));
}

TEST(http_server_static_files, RootIsTheIndexAndSegmentsJoinUnderTheRoot) {
  EXPECT_EQ(static_file_path("/w", {}), "/w/index.html");
  EXPECT_EQ(static_file_path("/w", {"app.js"}), "/w/app.js");
  EXPECT_EQ(static_file_path("/w", {"a", "b.css"}), "/w/a/b.css");
  EXPECT_EQ(static_file_path("", {"app.js"}), std::nullopt);
}

TEST(http_server_static_files, NoSegmentCanClimbOutOrHide) {
  const std::vector<std::string> bad_segments{"..", ".", ".hidden", "a/b", "a\\b", std::string("a\0b", 3), ""};
  for (const std::string& bad : bad_segments) {
    EXPECT_EQ(static_file_path("/w", {"ok", bad}), std::nullopt) << bad;
  }
}

TEST(http_server_static_files, ContentTypesByExtension) {
  EXPECT_EQ(content_type_of("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_of("app.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_of("style.css"), "text/css; charset=utf-8");
  EXPECT_EQ(content_type_of("x.png"), "image/png");
  EXPECT_EQ(content_type_of("x.bin"), "application/octet-stream");
}

TEST(http_server_static_files, WithoutABuiltConsoleRootSaysSoAndOtherPathsAre404) {
  const Response root = static_response("/nonexistent-er-web", {});
  EXPECT_EQ(root.status, 200);
  EXPECT_NE(root.text.find("web console is not built"), std::string::npos);
  EXPECT_EQ(static_response("/nonexistent-er-web", {"app.js"}).status, 404);
  EXPECT_EQ(static_response("/nonexistent-er-web", {".."}).status, 404);
}

TEST(http_server_request_input, WebSocketSubprotocolCarriesTheToken) {
  EXPECT_EQ(websocket_protocol_authorization("eventrunner, bearer.abc123"), "Bearer abc123");
  EXPECT_EQ(websocket_protocol_authorization("bearer.x,eventrunner"), "Bearer x");
  EXPECT_EQ(websocket_protocol_authorization("eventrunner"), "");
  EXPECT_EQ(websocket_protocol_authorization("bearer."), "");
  EXPECT_TRUE(websocket_protocol_offered("eventrunner, bearer.x", "eventrunner"));
  EXPECT_FALSE(websocket_protocol_offered("eventrunnerx, bearer.x", "eventrunner"));
}

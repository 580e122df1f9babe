// The control API client against a fake engine: the token header, JSON bodies, HTTP
// errors and an engine that cannot be reached.

#include <gtest/gtest.h>

#include "api_client.h"
#include "fake_engine.h"

namespace er::cli {
namespace {

using nlohmann::json;
using testing::FakeAnswer;
using testing::FakeEngine;
using testing::FakeRequest;

TEST(eventrunner_cli_api_client, sends_the_token_and_the_json_body_and_parses_the_answer) {
  FakeEngine engine([](const FakeRequest& request) {
    return FakeAnswer{200, {{"method", request.method}, {"path", request.path}, {"got", request.body.empty() ? json() : json::parse(request.body)}}};
  });
  ApiClient client(engine.url() + "/", "secret");
  const ApiResponse answer = client.post("/api/eval", {{"source", "1 + 1"}});
  ASSERT_TRUE(answer.ok()) << answer.error;
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.body["method"], "POST");
  EXPECT_EQ(answer.body["path"], "/api/eval");
  EXPECT_EQ(answer.body["got"]["source"], "1 + 1");
  const ApiResponse put = client.put("/api/globals/Mode", {{"value", "away"}});
  EXPECT_EQ(put.body["method"], "PUT");
  EXPECT_EQ(client.get("/api/health").body["method"], "GET");
  for (const FakeRequest& request : engine.requests()) EXPECT_EQ(request.authorization, "Bearer secret");
}

TEST(eventrunner_cli_api_client, an_http_error_carries_the_engines_message_and_status) {
  FakeEngine engine([](const FakeRequest&) { return FakeAnswer{404, {{"error", "no rule 'x'"}}}; });
  ApiClient client(engine.url(), "t");
  const ApiResponse answer = client.get("/api/rules/x");
  EXPECT_EQ(answer.status, 404);
  EXPECT_EQ(answer.error, "no rule 'x' (HTTP 404)");
  EXPECT_EQ(answer.body["error"], "no rule 'x'");
}

TEST(eventrunner_cli_api_client, an_answer_that_says_ok_false_is_still_a_successful_request) {
  FakeEngine engine([](const FakeRequest&) { return FakeAnswer{200, {{"ok", false}, {"error", "boom"}}}; });
  ApiClient client(engine.url(), "t");
  EXPECT_TRUE(client.post("/api/eval", {{"source", "x("}}).ok());
}

TEST(eventrunner_cli_api_client, an_engine_that_is_not_there_is_named_with_the_reason) {
  std::string url;
  {
    FakeEngine gone([](const FakeRequest&) { return FakeAnswer{}; });
    url = gone.url();
  }  // The port is free again, and nothing listens on it.
  ApiClient client(url, "t");
  const ApiResponse answer = client.get("/api/health");
  EXPECT_FALSE(answer.ok());
  EXPECT_EQ(answer.status, 0);
  EXPECT_EQ(answer.error, "cannot reach the engine at " + url + ": Connection refused");
}

TEST(eventrunner_cli_api_client, path_parts_are_percent_encoded) {
  EXPECT_EQ(url_encode("morning_lights"), "morning_lights");
  EXPECT_EQ(url_encode("a b/c?d"), "a%20b%2Fc%3Fd");
  EXPECT_EQ(url_encode("Küche"), "K%C3%BCche");
  EXPECT_EQ(url_encode("x-1.2~"), "x-1.2~");
}

}  // namespace
}  // namespace er::cli

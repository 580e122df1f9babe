// The server over real sockets on 127.0.0.1: every status path, limits, slow and
// vanishing clients, stop(), and TLS.
#include "adapters/http/server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>

#include "http_test_support.h"
#include "support/process.h"

using namespace er::http_test;
namespace http = er::http;

namespace {

class ServerTest : public ::testing::Test {
 protected:
  void start(http::ServerOptions options = {}) {
    options.token = options.token.empty() ? kToken : options.token;
    http::ServerStartResult started = http::Server::start(options, sink_);
    ASSERT_TRUE(started.server) << started.error;
    server_ = std::move(started.server);
  }
  void start_answering(http::ServerOptions options = {}) {
    start(std::move(options));
    sink_.answer_from_thread(*server_);
  }
  std::string url(const std::string& path) const { return server_->url() + path; }
  HttpResult get(const std::string& path) { return http_call({.url = url(path)}); }
  HttpResult post(const std::string& path, std::string body) {
    return http_call({.method = "POST", .url = url(path), .body = std::move(body)});
  }

  TestSink sink_;  // declared first: destroyed after the server it answers
  std::unique_ptr<http::Server> server_;
};

nlohmann::json json_of(const HttpResult& result) { return nlohmann::json::parse(result.body); }

}  // namespace

// The suite is named <part>_<module> (docs/testing.md).
using http_server_server = ServerTest;

TEST_F(http_server_server, RequestReachesTheSinkAndTheReplyFromAnotherThreadIsSent) {
  start_answering();
  const HttpResult result = post("/api/devices/hall%20lamp?x=1&y=a+b", R"({"action": "turnOn"})");
  ASSERT_EQ(result.status, 200) << result.error;
  EXPECT_NE(result.headers.find("Content-Type: application/json"), std::string::npos);
  const nlohmann::json echoed = json_of(result);
  EXPECT_EQ(echoed["method"], "POST");
  EXPECT_EQ(echoed["path"], "/api/devices/hall lamp");
  EXPECT_EQ(echoed["segments"], nlohmann::json({"api", "devices", "hall lamp"}));
  EXPECT_EQ(echoed["query"], nlohmann::json::parse(R"([["x", "1"], ["y", "a b"]])"));
  EXPECT_EQ(echoed["body"]["action"], "turnOn");
}

TEST_F(http_server_server, UnknownPathStillReachesTheSinkBecauseRoutingIsTheApps) {
  start_answering();
  const HttpResult result = get("/api/no/such/thing");
  ASSERT_EQ(result.status, 200);
  EXPECT_EQ(json_of(result)["path"], "/api/no/such/thing");
  EXPECT_TRUE(json_of(result)["body"].is_null());
}

// GET outside /api is the web console's (docs/web.md): the server answers it from
// web_dir itself, here none, so the root says the console is not built.
TEST_F(http_server_server, GetOutsideTheApiIsAnsweredByTheServerNotTheSink) {
  start_answering();
  const HttpResult missing = get("/no/such/thing");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(json_of(missing), nlohmann::json({{"error", "no such file: /no/such/thing"}}));
  const HttpResult root = get("/");
  EXPECT_EQ(root.status, 200);
  EXPECT_NE(root.body.find("web console is not built"), std::string::npos);
}

TEST_F(http_server_server, ReplyCarriesStatusTextAndExtraHeaders) {
  start();
  sink_.answer_from_thread(*server_, [](const http::Request&) {
    http::Response response = http::Response::error(404, "no rule 'x'");
    response.headers.emplace_back("X-Test", "yes");
    return response;
  });
  const HttpResult result = get("/api/rules/x");
  EXPECT_EQ(result.status, 404);
  EXPECT_EQ(json_of(result), nlohmann::json({{"error", "no rule 'x'"}}));
  EXPECT_NE(result.headers.find("X-Test: yes"), std::string::npos);
}

TEST_F(http_server_server, MissingTokenIs401WithWwwAuthenticate) {
  start_answering();
  const HttpResult result = http_call({.url = url("/api/health"), .token = std::nullopt});
  EXPECT_EQ(result.status, 401);
  EXPECT_NE(result.headers.find("WWW-Authenticate: Bearer"), std::string::npos);
  EXPECT_TRUE(json_of(result)["error"].is_string());
  EXPECT_TRUE(sink_.wait_for_log("401 from 127.0.0.1:"));
  EXPECT_EQ(sink_.requests_seen(), 0U);
}

TEST_F(http_server_server, WrongTokenIs401AndTheBodyIsNotRead) {
  start_answering();
  const HttpResult result = http_call({.method = "POST", .url = url("/api/eval"), .token = "nope", .body = "{}"});
  EXPECT_EQ(result.status, 401);
  EXPECT_EQ(json_of(result)["error"], "wrong token");
  EXPECT_TRUE(sink_.wait_for_log("wrong token"));
  EXPECT_EQ(sink_.requests_seen(), 0U);
}

TEST_F(http_server_server, BadJsonIs400WithTheParsersMessage) {
  start_answering();
  const HttpResult result = post("/api/eval", "{\"source\": ");
  EXPECT_EQ(result.status, 400);
  EXPECT_NE(json_of(result)["error"].get<std::string>().find("the body is not JSON: parse error"), std::string::npos);
  EXPECT_TRUE(sink_.wait_for_log("400 from 127.0.0.1:"));
}

TEST_F(http_server_server, NonObjectBodyIs400) {
  start_answering();
  const HttpResult result = post("/api/eval", "[1, 2]");
  EXPECT_EQ(result.status, 400);
  EXPECT_EQ(json_of(result)["error"], "the body must be a JSON object, not array");
}

TEST_F(http_server_server, BodyOverTheLimitIs413FromContentLength) {
  start_answering();
  const HttpResult result = post("/api/eval", std::string(2 * 1024 * 1024, ' '));
  EXPECT_EQ(result.status, 413);
  EXPECT_EQ(json_of(result)["error"], "body over 1048576 bytes");
  EXPECT_TRUE(sink_.wait_for_log("413 from 127.0.0.1:"));
}

TEST_F(http_server_server, ChunkedBodyOverTheLimitIs413) {
  start_answering();
  const HttpResult result = http_call(
      {.method = "POST", .url = url("/api/eval"), .body = std::string(1024 * 1024 + 10, ' '), .chunked = true});
  EXPECT_EQ(result.status, 413) << result.error;
  EXPECT_EQ(sink_.requests_seen(), 0U);
}

TEST_F(http_server_server, ChunkedBodyFarOverTheLimitClosesTheConnection) {
  start_answering({.max_body = 1024});
  const HttpResult result =
      http_call({.method = "POST", .url = url("/api/eval"), .body = std::string(64 * 1024, ' '), .chunked = true});
  EXPECT_NE(result.status, 200);  // 0 or 100 (curl's last status) when cut off; 413 if it ended first
  EXPECT_TRUE(sink_.wait_for_log("connection closed"));
  EXPECT_EQ(get("/api/health").status, 200);  // and the server goes on
}

TEST_F(http_server_server, SlowClientIsDisconnectedAfterTheTimeout) {
  start_answering({.timeout_s = 1});
  RawConnection client(server_->port());
  client.send_all("GET /api/health HTTP/1.1\r\nHost: x\r\n");  // and nothing more
  const auto began = Clock::now();
  std::string received;
  EXPECT_TRUE(client.wait_closed(received, 5s));
  EXPECT_GE(Clock::now() - began, 500ms);
  EXPECT_TRUE(sink_.wait_for_log("timed out"));
  EXPECT_EQ(get("/api/health").status, 200);
}

TEST_F(http_server_server, FiftyConcurrentClientsAreAllAnswered) {
  start_answering();
  std::atomic<int> answered{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < 50; ++i) {
    clients.emplace_back([&, i] {
      const HttpResult result = post("/api/events", R"({"n": )" + std::to_string(i) + "}");
      if (result.status == 200 && json_of(result)["body"]["n"] == i) ++answered;
    });
  }
  for (std::thread& client : clients) client.join();
  EXPECT_EQ(answered.load(), 50);
}

TEST_F(http_server_server, ReplyAfterTheClientLeftIsHarmless) {
  start();
  std::optional<http::Request> request;
  {
    RawConnection client(server_->port());
    client.send_all("GET /api/health HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + kToken + "\r\n\r\n");
    request = sink_.wait_for_request();
    ASSERT_TRUE(request.has_value());
  }
  // The client is gone. Replying must neither crash nor leak (ASan checks), twice neither.
  server_->reply(request->id, http::Response::json(200, {{"late", true}}));
  server_->reply(request->id, http::Response::json(200, {{"twice", true}}));
  server_->reply(999, http::Response::json(200, {}));
  sink_.answer_from_thread(*server_);
  EXPECT_EQ(get("/api/health").status, 200);
}

TEST_F(http_server_server, StopAnswersWaitingRequests503) {
  start();
  RawConnection client(server_->port());
  client.send_all("GET /api/health HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + kToken + "\r\n\r\n");
  ASSERT_TRUE(sink_.wait_for_request().has_value());
  server_->stop();
  std::string received;
  client.wait_closed(received, 5s);
  EXPECT_TRUE(received.empty() || received.rfind("HTTP/1.1 503", 0) == 0) << received;
  EXPECT_NE(received.find("shutting down"), std::string::npos) << received;
  server_->stop();  // idempotent
}

TEST_F(http_server_server, StartErrorNamesTheAddressInUse) {
  start();
  TestSink other_sink;
  const http::ServerStartResult second =
      http::Server::start({.port = server_->port(), .token = kToken}, other_sink);
  EXPECT_FALSE(second.server);
  EXPECT_EQ(second.error,
            "cannot listen on 127.0.0.1:" + std::to_string(server_->port()) + ": Address already in use");
}

TEST_F(http_server_server, StartRefusesWithoutTokenAndWithUnreadableTlsFiles) {
  TestSink other_sink;
  EXPECT_EQ(http::Server::start({}, other_sink).error, "the control API needs a token");
  const http::ServerStartResult tls = http::Server::start(
      {.token = kToken, .tls_cert_file = "/nonexistent/cert.pem", .tls_key_file = "/nonexistent/key.pem"}, other_sink);
  EXPECT_EQ(tls.error, "TLS certificate: cannot read '/nonexistent/cert.pem'");
}

TEST_F(http_server_server, TlsServesHttpsWithTheGivenCertificate) {
  namespace ts = er::test_support;
  const std::filesystem::path folder = ts::make_temp_dir("http-tls");
  const auto [status, output] = ts::run({"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                                         "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1",
                                         "-keyout", (folder / "key.pem").string(), "-out",
                                         (folder / "cert.pem").string()});
  ASSERT_TRUE(ts::exited_with(status, 0)) << output;
  start_answering({.tls_cert_file = (folder / "cert.pem").string(), .tls_key_file = (folder / "key.pem").string()});
  EXPECT_EQ(server_->url().rfind("https://127.0.0.1:", 0), 0U);
  const HttpResult result = http_call({.url = url("/api/health"), .ca_file = (folder / "cert.pem").string()});
  EXPECT_EQ(result.status, 200) << result.error;
  EXPECT_EQ(http_call({.url = url("/api/health")}).status, 0);  // an untrusted certificate
  std::filesystem::remove_all(folder);
}

// GET /api/stream over real sockets: the handshake, filters, order, control frames and
// the clients that are too slow or misbehave.
#include <gtest/gtest.h>

#include "adapters/http/server.h"
#include "adapters/http/websocket_handshake.h"
#include "http_test_support.h"

using namespace er::http_test;
namespace http = er::http;

namespace {

class StreamTest : public ::testing::Test {
 protected:
  void SetUp() override { start({}); }
  void start(http::ServerOptions options) {
    server_.reset();
    options.token = kToken;
    http::ServerStartResult started = http::Server::start(options, sink_);
    ASSERT_TRUE(started.server) << started.error;
    server_ = std::move(started.server);
  }
  // Opens a stream and reads its hello: the hub has it, so what is published next reaches it.
  std::unique_ptr<WsClient> open_stream(const std::string& query = "", int receive_buffer = 0) {
    auto client = std::make_unique<WsClient>(server_->port(), "/api/stream" + query, kToken, receive_buffer);
    EXPECT_EQ(client->handshake_status(), 101) << client->response_head();
    EXPECT_TRUE(sink_.wait_for_streams_opened(++opened_));
    EXPECT_EQ(client->receive_text().rfind(R"({"kind":"hello","stream":)", 0), 0U);
    return client;
  }
  void publish(const std::string& kind, const std::string& match_text, const std::string& json) {
    server_->publish({kind, match_text, json});
  }

  TestSink sink_;
  std::unique_ptr<http::Server> server_;
  std::size_t opened_ = 0;
};

}  // namespace

// The suite is named <part>_<module> (docs/testing.md).
using http_server_stream_hub = StreamTest;

TEST_F(http_server_stream_hub, HandshakeAnswersTheAcceptKey) {
  WsClient client(server_->port(), "/api/stream");
  ASSERT_EQ(client.handshake_status(), 101);
  const std::string expected = "Sec-WebSocket-Accept: " + http::websocket_accept(client.key());
  EXPECT_NE(client.response_head().find(expected), std::string::npos) << client.response_head();
  EXPECT_TRUE(sink_.wait_for_streams_opened(1));
}

TEST_F(http_server_stream_hub, StreamNeedsTheToken) {
  WsClient client(server_->port(), "/api/stream", "wrong");
  EXPECT_EQ(client.handshake_status(), 401);
}

TEST_F(http_server_stream_hub, PlainGetOfTheStreamIs400) {
  const HttpResult result = http_call({.url = server_->url() + "/api/stream"});
  EXPECT_EQ(result.status, 400);
  EXPECT_NE(result.body.find("not a WebSocket upgrade"), std::string::npos) << result.body;
}

TEST_F(http_server_stream_hub, KindsAndMatchFilterEachStream) {
  auto everything = open_stream();
  auto devices = open_stream("?kinds=device");
  auto hall = open_stream("?kinds=device,rule&match=hall");
  publish("device", "55 hall_lamp", R"({"kind":"device","id":55})");
  publish("rule", "morning_lights", R"({"kind":"rule","name":"morning_lights"})");
  publish("device", "56 kitchen", R"({"kind":"device","id":56})");
  publish("rule", "hall_rule", R"({"kind":"rule","name":"hall_rule"})");
  publish("log", "", R"({"kind":"log"})");

  for (const char* id : {"55", "morning_lights", "56", "hall_rule", "log"}) {
    EXPECT_NE(everything->receive_text().find(id), std::string::npos) << id;
  }
  EXPECT_NE(devices->receive_text().find("55"), std::string::npos);
  EXPECT_NE(devices->receive_text().find("56"), std::string::npos);
  EXPECT_NE(hall->receive_text().find("55"), std::string::npos);
  EXPECT_NE(hall->receive_text().find("hall_rule"), std::string::npos);
  // Nothing else arrived: the next message is the marker published last.
  publish("device", "marker hall", R"({"marker":true})");
  EXPECT_EQ(devices->receive_text(), R"({"marker":true})");
  EXPECT_EQ(hall->receive_text(), R"({"marker":true})");
}

TEST_F(http_server_stream_hub, ThousandMessagesArriveInPublishOrder) {
  auto client = open_stream();
  std::thread publisher([this] {
    for (int i = 0; i < 1000; ++i) publish("timeline", "", R"({"seq":)" + std::to_string(i) + "}");
  });
  for (int i = 0; i < 1000; ++i) {
    const std::string text = client->receive_text();
    ASSERT_EQ(text, R"({"seq":)" + std::to_string(i) + "}");
  }
  publisher.join();
}

TEST_F(http_server_stream_hub, PingIsAnsweredWithPong) {
  auto client = open_stream();
  client->send(http::WsOpcode::Ping, "are you there");
  const auto answer = client->receive();
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->opcode, http::WsOpcode::Pong);
  EXPECT_EQ(answer->payload, "are you there");
}

TEST_F(http_server_stream_hub, CloseIsEchoedAndTheStreamEnds) {
  auto client = open_stream();
  client->send(http::WsOpcode::Close, http::close_payload(http::WsCloseCode::Normal, "bye"));
  const auto answer = client->receive();
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->opcode, http::WsOpcode::Close);
  EXPECT_EQ(answer->payload, std::string("\x03\xE8", 2));
  std::string rest;
  EXPECT_TRUE(client->connection().wait_closed(rest));
  EXPECT_TRUE(sink_.wait_for_stream_closed("client closed the stream"));
}

TEST_F(http_server_stream_hub, UnmaskedFrameClosesWithProtocolError) {
  auto client = open_stream();
  client->send_raw(http::encode_frame(http::WsOpcode::Text, "not masked"));
  const auto answer = client->receive();
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->opcode, http::WsOpcode::Close);
  EXPECT_EQ(answer->payload.substr(0, 2), std::string("\x03\xEA", 2));  // 1002
  EXPECT_TRUE(sink_.wait_for_log("bad frame (client frame not masked)"));
}

TEST_F(http_server_stream_hub, OversizedClientMessageClosesWithTooBig) {
  start({.max_client_message = 1000});
  auto client = open_stream();
  client->send(http::WsOpcode::Text, std::string(600, 'x'), false);
  client->send(http::WsOpcode::Continuation, std::string(600, 'y'), true);
  const auto answer = client->receive();
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->opcode, http::WsOpcode::Close);
  EXPECT_EQ(answer->payload.substr(0, 2), std::string("\x03\xF1", 2));  // 1009
}

TEST_F(http_server_stream_hub, SlowConsumerIsDroppedAndOthersGoOn) {
  start({.max_stream_backlog = 64 * 1024});
  auto slow = open_stream("", 4096);  // never reads
  auto fast = open_stream("?kinds=news");
  const std::string payload = R"({"fill":")" + std::string(16 * 1024, 'x') + "\"}";
  bool dropped = false;
  for (int i = 0; i < 4096 && !dropped; ++i) {  // at most 64 MiB, far past any socket buffer
    publish("flood", "", payload);
    if (i % 64 == 63) dropped = sink_.wait_for_stream_closed("too slow", 1ms);
  }
  EXPECT_TRUE(dropped || sink_.wait_for_stream_closed("too slow"));
  EXPECT_TRUE(sink_.wait_for_log("dropped: too slow"));
  publish("news", "", R"({"still":"here"})");
  EXPECT_EQ(fast->receive_text(), R"({"still":"here"})");
}

TEST_F(http_server_stream_hub, StopClosesStreamsWithGoingAway) {
  auto client = open_stream();
  server_->stop();
  const auto answer = client->receive();
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->opcode, http::WsOpcode::Close);
  EXPECT_EQ(answer->payload.substr(0, 2), std::string("\x03\xE9", 2));  // 1001
}

#pragma once
// What the http_server tests share: a sink that records everything and can answer from
// a thread of its own (as the engine's loop would), a libcurl call, and a tiny
// raw-socket WebSocket client. Every wait has a deadline; nothing sleeps a fixed time.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "adapters/http/server.h"
#include "adapters/http/websocket_frames.h"

namespace er::http_test {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr auto kDeadline = 10s;  ///< how long any wait may take before the test fails
inline const std::string kToken = "test-token-0123456789";

/// Records requests, logs and stream events. With answer_from_thread(), a thread of its
/// own answers every request with `answer` (by default: the request echoed as JSON).
class TestSink : public http::RequestSink {
 public:
  using Answer = std::function<http::Response(const http::Request&)>;

  ~TestSink() override;
  void on_request(http::Request request) override;
  void on_log(std::string_view message) override;
  void on_stream_opened(const http::StreamInfo& stream) override;
  void on_stream_closed(std::uint64_t id, std::string_view reason) override;

  /// Starts the answering thread; `server` must outlive the sink's use of it.
  void answer_from_thread(http::Server& server, Answer answer = echo);
  static http::Response echo(const http::Request& request);

  /// The next request not yet taken (when nothing answers them), or nullopt.
  std::optional<http::Request> wait_for_request(std::chrono::milliseconds timeout = kDeadline);
  /// True once a log line containing `text` arrived.
  bool wait_for_log(const std::string& text, std::chrono::milliseconds timeout = kDeadline);
  bool wait_for_streams_opened(std::size_t count, std::chrono::milliseconds timeout = kDeadline);
  /// The reason of the first stream closed whose reason contains `text`, within the deadline.
  bool wait_for_stream_closed(const std::string& text, std::chrono::milliseconds timeout = kDeadline);
  std::vector<std::string> logs();
  std::size_t requests_seen();

 private:
  void answer_loop();

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<http::Request> requests_;
  std::vector<std::string> logs_;
  std::vector<std::string> closed_reasons_;
  std::size_t opened_ = 0;
  std::size_t seen_ = 0;
  http::Server* server_ = nullptr;
  Answer answer_;
  bool stopping_ = false;
  std::thread answerer_;
};

/// One HTTP call made with libcurl.
struct HttpCall {
  std::string method = "GET";
  std::string url;
  std::optional<std::string> token = kToken;  ///< nullopt: no Authorization header
  std::optional<std::string> body{};
  bool chunked = false;  ///< send the body with Transfer-Encoding: chunked
  std::string ca_file{}; ///< trust this certificate (https)
  long timeout_ms = 10000;
};

struct HttpResult {
  long status = 0;  ///< 0 when no response came
  std::string body;
  std::string headers;
  std::string error;  ///< libcurl's, when the call failed
};

HttpResult http_call(const HttpCall& call);

/// A raw TCP connection to 127.0.0.1:port (the slow-client and disconnect tests).
class RawConnection {
 public:
  explicit RawConnection(int port, int receive_buffer = 0);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  void send_all(std::string_view bytes);
  /// Reads what arrives until `timeout`; false when nothing came.
  bool read_some(std::string& into, std::chrono::milliseconds timeout);
  /// Reads until the peer closes; true when it did before `timeout`.
  bool wait_closed(std::string& into, std::chrono::milliseconds timeout = kDeadline);
  void close_now();
  [[nodiscard]] int fd() const { return fd_; }

 private:
  int fd_ = -1;
};

/// A WebSocket client over a RawConnection: the opening handshake, masked frames out,
/// the server's frames in.
class WsClient {
 public:
  /// Connects and sends the upgrade request for `target` ("/api/stream?kinds=device").
  WsClient(int port, const std::string& target, const std::string& token = kToken, int receive_buffer = 0);

  /// The response's status code (101 when upgraded), read with the deadline.
  int handshake_status();
  [[nodiscard]] const std::string& response_head() const { return head_; }
  [[nodiscard]] const std::string& key() const { return key_; }

  void send(http::WsOpcode opcode, std::string_view payload, bool final = true);
  void send_raw(std::string_view bytes) { connection_.send_all(bytes); }
  /// The next frame from the server, or nullopt at the deadline or when it closed.
  std::optional<http::WsMessage> receive(std::chrono::milliseconds timeout = kDeadline);
  /// The next text message's payload (skipping nothing else), or "" at the deadline.
  std::string receive_text(std::chrono::milliseconds timeout = kDeadline);
  RawConnection& connection() { return connection_; }

 private:
  RawConnection connection_;
  std::string key_;
  std::string head_;
  http::FrameDecoder decoder_{{64 * 1024 * 1024, false}};
};

}  // namespace er::http_test

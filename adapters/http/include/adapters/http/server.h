#pragma once
// The control API's server (docs/api.md, docs/design.md "The control API: a server
// thread that posts"): HTTP/1.1 and WebSocket on libmicrohttpd's own thread. It does the
// transport, the token, the limits and JSON validation, and knows nothing of the engine:
// each valid request goes to a RequestSink, which posts it to the engine's loop, and
// any thread answers it later with Server::reply. Routing (which path exists, 404, 405)
// is the sink's: every authenticated request with an acceptable body reaches it, except
// GET /api/stream, which the server upgrades to a WebSocket itself, and the web
// console's files (GET outside /api and /metrics), which it serves from web_dir.
//
// Threads: the server thread (libmicrohttpd's) calls RequestSink::on_request and most
// of on_log; the stream hub's thread calls on_stream_opened/closed and the rest of
// on_log. reply() and publish() may be called from any thread, at any time, also for a
// request whose client has gone (then they do nothing).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/http/request_input.h"
#include "adapters/http/stream_message.h"

namespace er::http {

struct ServerOptions {
  std::string address = "127.0.0.1";  ///< numeric IPv4/IPv6 address or a host name
  int port = 0;                        ///< 0: any free port (Server::port() tells which)
  std::string token{};                 ///< the bearer token every request needs; required
  std::string tls_cert_file{};         ///< PEM; with tls_key_file, serve HTTPS and WSS
  std::string tls_key_file{};          ///< PEM
  std::size_t max_body = 1024 * 1024;  ///< bigger bodies answer 413
  unsigned timeout_s = 10;             ///< a connection idle this long is closed
  unsigned max_connections = 64;       ///< open connections at once, streams included
  unsigned max_connections_per_ip = 0;  ///< 0: no per-address limit
  std::size_t max_stream_backlog = 1024 * 1024;  ///< a stream client further behind is dropped
  std::size_t max_client_message = 64 * 1024;    ///< a bigger client WebSocket message closes it
  /// The web console's built files (docs/web.md), served without the token for GET
  /// requests outside /api and /metrics; empty or without index.html: "/" answers a
  /// page saying the console is not built.
  std::string web_dir{};
};

using RequestId = std::uint64_t;

/// A request that passed the token and body checks.
struct Request {
  RequestId id = 0;
  std::string method;                 ///< "GET", "POST", ...
  std::string path;                   ///< decoded, without the query
  std::vector<std::string> segments;  ///< the path split on '/' before decoding
  QueryParameters query;
  nlohmann::json body;  ///< a JSON object; null when the request had no body
  std::string peer;     ///< "127.0.0.1:53412", for logs

  /// The last value of a query parameter, or nullptr.
  [[nodiscard]] const std::string* query_value(std::string_view key) const;
};

/// An answer. The body is `text` when it is not empty (already serialised), else `body`
/// serialised as JSON; it is sent as `content_type` (JSON unless the app says otherwise:
/// GET /metrics answers Prometheus' text format).
struct Response {
  int status = 200;
  nlohmann::json body = nlohmann::json::object();
  std::string text;
  std::vector<std::pair<std::string, std::string>> headers;  ///< extra headers
  std::string content_type = "application/json";

  static Response json(int status, nlohmann::json body);
  /// A body that is not JSON, e.g. ("text/plain; version=0.0.4; charset=utf-8").
  static Response plain(int status, std::string text, std::string content_type);
  /// {"error": message}, as every error of the API.
  static Response error(int status, std::string_view message);
};

/// A WebSocket stream that opened: its id (for on_stream_closed), client and filter.
struct StreamInfo {
  std::uint64_t id = 0;
  std::string peer;
  StreamFilter filter;
};

/// What the app gives the server. None of these may block: post to the bus and return.
class RequestSink {
 public:
  virtual ~RequestSink() = default;
  /// A valid request, on the server thread. Answer it with Server::reply, from any
  /// thread; until then its connection waits (suspended) and costs no CPU.
  virtual void on_request(Request request) = 0;
  /// One line per refused input or failure, naming its origin ("401 from
  /// 127.0.0.1:53412: wrong token"), and libmicrohttpd's own messages.
  virtual void on_log(std::string_view message) { (void)message; }
  virtual void on_stream_opened(const StreamInfo& stream) { (void)stream; }
  virtual void on_stream_closed(std::uint64_t id, std::string_view reason) {
    (void)id;
    (void)reason;
  }
};

class Server;

/// What Server::start gives: a running server, or why there is none.
struct ServerStartResult {
  std::unique_ptr<Server> server;  ///< nullptr on failure
  std::string error;  ///< e.g. "cannot listen on 127.0.0.1:8321: Address already in use"
};

class ServerCore;

class Server {
 public:
  /// Binds, starts the server thread and the stream hub's thread. `sink` must outlive
  /// the server.
  static ServerStartResult start(const ServerOptions& options, RequestSink& sink);

  /// stop(), then frees everything.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// The bound port (the chosen one when options.port was 0).
  [[nodiscard]] int port() const;
  /// "http://127.0.0.1:8321" or "https://..." (IPv6 addresses in brackets).
  [[nodiscard]] std::string url() const;

  /// Answers request `id`, from any thread. Does nothing when the request was already
  /// answered, its client is gone, or the server is stopping (it answered 503 then).
  void reply(RequestId id, Response response);

  /// Sends `message` to every stream whose filter accepts it, from any thread; each
  /// stream gets messages in publish order. Never blocks on a client.
  void publish(const StreamMessage& message);

  /// Answers every waiting request 503, closes the streams (1001 "server stopping"),
  /// stops accepting and joins both threads. Idempotent.
  void stop();

 private:
  explicit Server(std::unique_ptr<ServerCore> core);
  std::unique_ptr<ServerCore> core_;
};

/// True for loopback addresses ("127.0.0.1", "127.1.2.3", "::1", "localhost"): the app
/// warns when the server binds anything else without TLS.
bool is_loopback(std::string_view address);

}  // namespace er::http

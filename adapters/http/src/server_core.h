#pragma once
// The server's state behind er::http::Server: the libmicrohttpd daemon, the requests
// waiting for the app's reply and the stream hub. Its libmicrohttpd callbacks run on
// the server thread (request_handler.cpp); reply, publish and stop on any thread
// (server_core.cpp).
//
// A request's life: the URI callback makes its RequestContext; the access handler reads
// the headers (token, Content-Length, the stream upgrade), then the body, then checks
// the JSON, suspends the connection and hands the Request to the sink. reply() stores the
// response and resumes the connection; the access handler, called again, queues it. The
// completion callback frees the context, whatever happened to the client.

#include <microhttpd.h>

#include <atomic>
#include <cstdarg>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "adapters/http/server.h"
#include "stream_hub.h"

namespace er::http {

struct RequestContext {
  enum class Phase { Headers, Body, Waiting, Answered };

  RequestId id = 0;
  MHD_Connection* connection = nullptr;
  std::string raw_target;  ///< as sent: "/api/rules/a%20b?x=1"
  Target target;           ///< raw_target parsed
  std::string peer;
  std::string method;
  Phase phase = Phase::Headers;
  std::string body;
  std::uint64_t body_bytes = 0;  ///< received, kept or not
  Response response;             ///< set by reply() or stop() before the resume
  bool resumed = false;          ///< the response is set and the connection resumed
  bool offered_protocol = false;  ///< a browser's stream: answer Sec-WebSocket-Protocol
};

class ServerCore {
 public:
  ServerCore(const ServerOptions& options, RequestSink& sink);
  ~ServerCore();
  ServerCore(const ServerCore&) = delete;
  ServerCore& operator=(const ServerCore&) = delete;

  /// Reads the TLS files, binds, starts the hub and the daemon; an error message or "".
  std::string start();
  void stop();
  void reply(RequestId id, Response response);
  void publish(const StreamMessage& message) { hub_.publish(message); }
  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] std::string url() const;

 private:
  // libmicrohttpd's callbacks (request_handler.cpp), on the server thread.
  static void* on_uri(void* self, const char* uri, MHD_Connection* connection);
  static MHD_Result on_access(void* self, MHD_Connection* connection, const char* url, const char* method,
                              const char* version, const char* upload_data, std::size_t* upload_size,
                              void** context);
  static void on_completed(void* self, MHD_Connection* connection, void** context,
                           MHD_RequestTerminationCode code);
  static void on_upgraded(void* self, MHD_Connection* connection, void* context, const char* extra_in,
                          std::size_t extra_in_size, MHD_socket socket, MHD_UpgradeResponseHandle* handle);
  __attribute__((format(printf, 2, 0))) static void on_library_log(void* self, const char* format,
                                                                    va_list arguments);

  static std::string authorization_of(RequestContext& request);
  MHD_Result on_headers(RequestContext& request, const char* version);
  MHD_Result on_body(RequestContext& request, std::string_view bytes);
  MHD_Result on_complete(RequestContext& request);
  MHD_Result on_resumed(RequestContext& request);
  MHD_Result on_stream_request(RequestContext& request, const char* version);
  void hand_to_sink(RequestContext& request, nlohmann::json body);
  MHD_Result refuse(RequestContext& request, int status, const std::string& message);
  MHD_Result send(RequestContext& request, const Response& response);

  std::string read_tls_files();
  std::string start_daemon(int listen_fd, bool ipv6);
  void answer_waiting_with_503();
  void wait_for_requests_to_finish();

  ServerOptions options_;
  RequestSink& sink_;
  StreamHub hub_;
  MHD_Daemon* daemon_ = nullptr;
  int port_ = 0;
  bool ipv6_ = false;
  std::string tls_cert_;
  std::string tls_key_;
  std::atomic<RequestId> next_request_id_{1};
  std::atomic<std::uint64_t> next_stream_id_{1};

  std::mutex mutex_;  ///< guards the members below
  std::condition_variable changed_;
  std::unordered_map<RequestId, RequestContext*> waiting_;  ///< suspended, not answered
  std::size_t resuming_ = 0;  ///< answered and resumed, not yet queued by the handler
  std::size_t live_ = 0;      ///< contexts not yet completed
  bool stopping_ = false;
  bool stopped_ = false;
  std::string last_library_message_;  ///< for start()'s error
};

}  // namespace er::http

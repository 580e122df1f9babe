#pragma once
// Outgoing transfers for rules: HTTP requests (`http.get` and friends), notification
// pushes and mail (SMTP). libcurl's multi interface runs them on one worker thread, so
// the loop never blocks; each finished transfer is announced on the bus as
// ("er.http", id), and the loop takes its result with take(id).
//
//   er::http_client::HttpClient client(bus);
//   client.push_transport(L);              // Lua: require("er.http") attaches it
//   std::uint64_t id = client.submit(request);   // loop thread
//   ... ("er.http", id) arrives on the bus ...
//   std::optional<Response> r = client.take(id); // loop thread
//
// A submitted transfer is a reply the loop waits for (Bus::expect_reply): a virtual
// clock does not jump past it, so rule tests on simulated time can call real servers.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/bus.h"

struct lua_State;

namespace er::http_client {

using Headers = std::vector<std::pair<std::string, std::string>>;

/// One transfer. An `smtp://` or `smtps://` URL sends `body` (a whole RFC 5322
/// message) as mail from `mail_from` to `mail_to`; any other URL is an HTTP request.
/// A non-empty `command` runs that program with those arguments instead (a
/// notification command), no URL needed.
struct Request {
  std::string method = "GET";
  std::string url;
  Headers headers;
  std::string body;
  std::string username;  ///< HTTP basic auth or SMTP login; never logged.
  std::string password;
  std::string mail_from;
  std::vector<std::string> mail_to;
  std::vector<std::string> command;
  long timeout_ms = 30000;
  std::size_t max_body_bytes = std::size_t{4} * 1024 * 1024;
  long max_redirects = 5;
  bool verify_tls = true;
  bool mail_starttls = false;  ///< smtp:// must upgrade with STARTTLS (smtps:// is TLS anyway).
};

/// What came back. A failed transfer (no answer, or an answer refused by the limits)
/// has status 0 and `error` set; an HTTP error status is an answer, not a failure.
struct Response {
  long status = 0;
  std::string error;
  std::string body;
  Headers headers;  ///< The final answer's headers, names in lower case.
};

/// "timeout after 10 s", "timeout after 2.5 s".
std::string timeout_text(long timeout_ms);

class HttpClient {
 public:
  explicit HttpClient(luasys::Bus& bus);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  /// Loop thread: queues a transfer (the worker starts with the first) and returns its
  /// id. The bus then expects a reply until take(id).
  std::uint64_t submit(Request request);
  /// Loop thread: the result of a finished transfer, once; nullopt while it runs.
  std::optional<Response> take(std::uint64_t id);
  /// Abandons running transfers and joins the worker; nothing is posted afterwards.
  void stop();

  /// Loop thread: pushes the table er.http attaches (request, take, stats).
  void push_transport(lua_State* L);

  struct Counters {
    std::uint64_t requests = 0;
    std::uint64_t failures = 0;  ///< Transfers with no usable answer.
    std::size_t in_flight = 0;
  };
  [[nodiscard]] Counters counters();

 private:
  void run_worker();
  void start_command(std::uint64_t id, Request request);
  void reap_commands();
  void finish(std::uint64_t id, Response response);

  luasys::Bus& bus_;
  std::mutex mutex_;
  std::vector<std::pair<std::uint64_t, Request>> queued_;  // Under mutex_.
  std::map<std::uint64_t, Response> finished_;              // Under mutex_.
  Counters counters_;                                       // Under mutex_.
  std::uint64_t next_id_ = 1;                               // Loop thread.
  bool stopping_ = false;                                   // Under mutex_.
  void* multi_ = nullptr;  // CURLM*, created with the worker; wakes it from submit().
  std::thread worker_;
  // Commands run on threads of their own (they are rare); `done` says one can be joined.
  struct CommandThread {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  std::vector<CommandThread> commands_;  // Loop thread (and stop()).
};

}  // namespace er::http_client

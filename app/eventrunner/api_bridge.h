#pragma once
// The control API between the HTTP server (adapters/http, its own threads) and the
// engine's loop (docs/api.md, docs/design.md "The control API"). The server hands each
// authenticated, validated request to this bridge on its thread; the bridge keeps it
// and posts ("er.api", "request", id) to the bus. On the loop, er.control takes the
// request through the Lua table push_lua() makes, routes it and replies; the reply goes
// back to the server, which answers the client. Nothing here blocks the loop.

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <lua.hpp>

#include "adapters/http/server.h"
#include "api_options.h"
#include "core/bus.h"

namespace er::cli {

class ApiBridge final : public http::RequestSink {
 public:
  /// Starts the server for `options` (falling back to a free port when allowed); null
  /// with `error` set when it cannot listen.
  static std::unique_ptr<ApiBridge> start(luasys::Bus& bus, const ApiOptions& options, std::string& error);
  ~ApiBridge() override;
  ApiBridge(const ApiBridge&) = delete;
  ApiBridge& operator=(const ApiBridge&) = delete;

  /// Stops the server: pending requests are answered 503 and nothing is posted after.
  void stop();

  /// The URL clients use ("http://127.0.0.1:8321").
  [[nodiscard]] const std::string& url() const { return url_; }

  /// Pushes the `api` table er.control.attach takes: take, reply, reply_text, publish,
  /// streaming, array, null, url.
  void push_lua(lua_State* L);

  // http::RequestSink, on the server's threads.
  void on_request(http::Request request) override;
  void on_log(std::string_view message) override;
  void on_stream_opened(const http::StreamInfo& stream) override;
  void on_stream_closed(std::uint64_t id, std::string_view reason) override;

  /// Whether any WebSocket stream is open: er.control builds stream messages (a JSON
  /// text per device change) only then.
  [[nodiscard]] bool has_streams() const { return open_streams_.load(std::memory_order_relaxed) > 0; }

  // For the Lua functions (api_bridge_lua.cpp), on the loop thread.
  /// Moves the request `id` into `into`; false when there is none (already taken).
  bool take(std::uint64_t id, http::Request& into);
  void reply(std::uint64_t id, int status, nlohmann::json body);
  /// An answer that is not JSON (GET /metrics), sent as `content_type`.
  void reply_text(std::uint64_t id, int status, std::string text, std::string content_type);
  void publish(std::string kind, std::string match_text, const nlohmann::json& body);

 private:
  explicit ApiBridge(luasys::Bus& bus) : bus_(bus) {}

  luasys::Bus& bus_;
  std::unique_ptr<http::Server> server_;
  std::string url_;
  std::mutex mutex_;
  std::map<std::uint64_t, http::Request> waiting_;  // Posted, not yet taken by the loop.
  std::atomic<int> open_streams_{0};
};

}  // namespace er::cli

#include "api_bridge.h"

#include <utility>

namespace er::cli {

namespace {

// How long a server thread may wait for room on a full bus before the request is
// answered 503: the loop drains thousands of messages a second, so this only passes
// when the engine is stuck, and then the client learns it instead of hanging.
constexpr luasys::Millis kPostTimeoutMs = 2000;

http::ServerOptions server_options(const ApiOptions& options, int port) {
  http::ServerOptions server;
  server.address = options.endpoint.address;
  server.port = port;
  server.token = options.token;
  server.tls_cert_file = options.tls_cert_file;
  server.tls_key_file = options.tls_key_file;
  server.web_dir = options.web_dir;
  return server;
}

luasys::Message api_message(luasys::StaticText kind, luasys::Value a, luasys::Value b = {}) {
  luasys::Message message;
  message.id = luasys::StaticText{"er.api"};
  message.args = {kind, std::move(a), std::move(b), {}};
  message.argc = 3;
  return message;
}

}  // namespace

std::unique_ptr<ApiBridge> ApiBridge::start(luasys::Bus& bus, const ApiOptions& options, std::string& error) {
  std::unique_ptr<ApiBridge> bridge(new ApiBridge(bus));
  http::ServerStartResult started = http::Server::start(server_options(options, options.endpoint.port), *bridge);
  if (!started.server && options.fallback_to_free_port) {
    started = http::Server::start(server_options(options, 0), *bridge);
  }
  if (!started.server) {
    error = std::move(started.error);
    return nullptr;
  }
  bridge->server_ = std::move(started.server);
  bridge->url_ = bridge->server_->url();
  return bridge;
}

ApiBridge::~ApiBridge() { stop(); }

void ApiBridge::stop() {
  if (server_) server_->stop();
}

void ApiBridge::on_request(http::Request request) {
  const std::uint64_t id = request.id;
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    waiting_.emplace(id, std::move(request));
  }
  if (bus_.post(api_message("request", static_cast<std::int64_t>(id)), kPostTimeoutMs)) return;
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    waiting_.erase(id);
  }
  server_->reply(id, http::Response::error(503, "the engine is busy or stopping"));
}

// The server's word on refused input names its origin; the engine logs it as a
// warning (a client's mistake is no error of the home).
void ApiBridge::on_log(std::string_view message) {
  bus_.try_post(api_message("log", luasys::StaticText{"warn"}, std::string(message)));
}

void ApiBridge::on_stream_opened(const http::StreamInfo& /*stream*/) {
  open_streams_.fetch_add(1, std::memory_order_relaxed);
}

void ApiBridge::on_stream_closed(std::uint64_t /*id*/, std::string_view /*reason*/) {
  open_streams_.fetch_sub(1, std::memory_order_relaxed);
}

bool ApiBridge::take(std::uint64_t id, http::Request& into) {
  const std::lock_guard<std::mutex> lock(mutex_);
  auto it = waiting_.find(id);
  if (it == waiting_.end()) return false;
  into = std::move(it->second);
  waiting_.erase(it);
  return true;
}

void ApiBridge::reply(std::uint64_t id, int status, nlohmann::json body) {
  server_->reply(id, http::Response::json(status, std::move(body)));
}

void ApiBridge::reply_text(std::uint64_t id, int status, std::string text, std::string content_type) {
  server_->reply(id, http::Response::plain(status, std::move(text), std::move(content_type)));
}

void ApiBridge::publish(std::string kind, std::string match_text, const nlohmann::json& body) {
  server_->publish(http::StreamMessage{std::move(kind), std::move(match_text), body.dump(-1, ' ', false,
                                                                                       nlohmann::json::error_handler_t::replace)});
}

}  // namespace er::cli

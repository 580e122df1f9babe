#include "server_core.h"

#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <vector>

#include "listen_socket.h"

namespace er::http {

namespace {

// How long stop() lets answers already queued (the 503s) reach their clients before
// libmicrohttpd closes every connection.
constexpr auto kStopGrace = std::chrono::seconds(1);

// The whole file, or why it cannot be read.
bool read_file(const std::string& path, std::string& text, std::string& error) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream content;
  if (file) content << file.rdbuf();
  if (!file || file.bad()) {
    error = "cannot read '" + path + "'";
    return false;
  }
  text = content.str();
  return true;
}

MHD_OptionItem option(MHD_OPTION kind, intptr_t value, void* pointer = nullptr) {
  return MHD_OptionItem{kind, value, pointer};
}

}  // namespace

ServerCore::ServerCore(const ServerOptions& options, RequestSink& sink)
    : options_(options), sink_(sink), hub_(options_, sink) {}

ServerCore::~ServerCore() { stop(); }

std::string ServerCore::start() {
  if (options_.token.empty()) return "the control API needs a token";
  if (std::string error = read_tls_files(); !error.empty()) return error;
  const ListenResult listening = open_listen_socket(options_.address, options_.port);
  if (listening.fd < 0) return listening.error;
  port_ = listening.port;
  ipv6_ = listening.ipv6;
  if (std::string error = hub_.start(); !error.empty()) {
    close(listening.fd);
    return error;
  }
  return start_daemon(listening.fd, listening.ipv6);
}

std::string ServerCore::read_tls_files() {
  if (options_.tls_cert_file.empty() && options_.tls_key_file.empty()) return {};
  if (options_.tls_cert_file.empty() || options_.tls_key_file.empty()) {
    return "TLS needs both a certificate and a key file";
  }
  std::string error;
  if (!read_file(options_.tls_cert_file, tls_cert_, error)) return "TLS certificate: " + error;
  if (!read_file(options_.tls_key_file, tls_key_, error)) return "TLS key: " + error;
  return {};
}

// The daemon runs its own polling thread (epoll on Linux) and lets connections be
// suspended and upgraded; it takes over `listen_fd` (and closes it when it stops). The
// logger comes first: libmicrohttpd reports the options after it through it, and
// complains on standard error when it is not first.
std::string ServerCore::start_daemon(int listen_fd, bool ipv6) {
  std::vector<MHD_OptionItem> options = {
      option(MHD_OPTION_EXTERNAL_LOGGER, reinterpret_cast<intptr_t>(&ServerCore::on_library_log), this),
      option(MHD_OPTION_LISTEN_SOCKET, listen_fd),
      option(MHD_OPTION_CONNECTION_TIMEOUT, options_.timeout_s),
      option(MHD_OPTION_CONNECTION_LIMIT, options_.max_connections),
      option(MHD_OPTION_PER_IP_CONNECTION_LIMIT, options_.max_connections_per_ip),
      option(MHD_OPTION_URI_LOG_CALLBACK, reinterpret_cast<intptr_t>(&ServerCore::on_uri), this),
      option(MHD_OPTION_NOTIFY_COMPLETED, reinterpret_cast<intptr_t>(&ServerCore::on_completed), this),
  };
  unsigned int flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_ALLOW_UPGRADE |
                       MHD_USE_ERROR_LOG;
  if (ipv6) flags |= MHD_USE_IPv6;
  if (!tls_cert_.empty()) {
    flags |= MHD_USE_TLS;
    options.push_back(option(MHD_OPTION_HTTPS_MEM_CERT, 0, tls_cert_.data()));
    options.push_back(option(MHD_OPTION_HTTPS_MEM_KEY, 0, tls_key_.data()));
  }
  options.push_back(option(MHD_OPTION_END, 0));
  daemon_ = MHD_start_daemon(flags, 0, nullptr, nullptr, &ServerCore::on_access, this, MHD_OPTION_ARRAY,
                             options.data(), MHD_OPTION_END);
  if (daemon_ != nullptr) return {};
  // libmicrohttpd closed listen_fd itself when it failed.
  hub_.stop();
  const std::lock_guard lock(mutex_);
  return "cannot start the HTTP server on " + host_port(options_.address, port_) + ": " +
         (last_library_message_.empty() ? "libmicrohttpd refused the options" : last_library_message_);
}

std::string ServerCore::url() const {
  const std::string scheme = tls_cert_.empty() ? "http://" : "https://";
  return scheme + host_port(options_.address, port_);
}

void ServerCore::reply(RequestId id, Response response) {
  MHD_Connection* connection = nullptr;
  {
    const std::lock_guard lock(mutex_);
    const auto found = waiting_.find(id);
    if (found == waiting_.end()) return;  // answered, gone, or answered 503 by stop()
    found->second->response = std::move(response);
    found->second->resumed = true;
    connection = found->second->connection;
    waiting_.erase(found);
    ++resuming_;
  }
  // Outside the lock: libmicrohttpd takes its own lock here, and calls on_completed with
  // that lock held. The connection stays suspended (alive) until this resume.
  MHD_resume_connection(connection);
}

void ServerCore::stop() {
  {
    const std::lock_guard lock(mutex_);
    if (stopped_ || daemon_ == nullptr) return;
    stopped_ = true;
  }
  answer_waiting_with_503();
  hub_.stop();
  wait_for_requests_to_finish();
  MHD_stop_daemon(daemon_);
  daemon_ = nullptr;
}

void ServerCore::answer_waiting_with_503() {
  std::vector<MHD_Connection*> connections;
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
    for (auto& [id, request] : waiting_) {
      request->response = Response::error(503, "the engine is shutting down");
      request->resumed = true;
      connections.push_back(request->connection);
    }
    resuming_ += waiting_.size();
    waiting_.clear();
  }
  for (MHD_Connection* connection : connections) MHD_resume_connection(connection);
}

// libmicrohttpd must not be stopped with a suspended connection (it aborts), so this
// waits until every resumed request was queued; then it gives the answers a moment to
// be written.
void ServerCore::wait_for_requests_to_finish() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return resuming_ == 0; });
  changed_.wait_for(lock, kStopGrace, [this] { return live_ == 0; });
}

const std::string* Request::query_value(std::string_view key) const {
  const std::string* value = nullptr;
  for (const auto& [name, text] : query) {
    if (name == key) value = &text;
  }
  return value;
}

Response Response::json(int status, nlohmann::json body) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

Response Response::plain(int status, std::string text, std::string content_type) {
  Response response;
  response.status = status;
  response.text = std::move(text);
  response.content_type = std::move(content_type);
  return response;
}

Response Response::error(int status, std::string_view message) {
  return json(status, nlohmann::json{{"error", message}});
}

ServerStartResult Server::start(const ServerOptions& options, RequestSink& sink) {
  auto core = std::make_unique<ServerCore>(options, sink);
  std::string error = core->start();
  if (!error.empty()) return {nullptr, std::move(error)};
  return {std::unique_ptr<Server>(new Server(std::move(core))), {}};
}

Server::Server(std::unique_ptr<ServerCore> core) : core_(std::move(core)) {}
Server::~Server() = default;
int Server::port() const { return core_->port(); }
std::string Server::url() const { return core_->url(); }
void Server::reply(RequestId id, Response response) { core_->reply(id, std::move(response)); }
void Server::publish(const StreamMessage& message) { core_->publish(message); }
void Server::stop() { core_->stop(); }

}  // namespace er::http

#include "http_test_support.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <stdexcept>

#include "adapters/http/websocket_handshake.h"

namespace er::http_test {

namespace {

int ms_left(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

std::size_t append_to_string(char* data, std::size_t size, std::size_t count, void* target) {
  static_cast<std::string*>(target)->append(data, size * count);
  return size * count;
}

// Feeds the request body to libcurl (also for chunked uploads, which need a callback).
struct Upload {
  const std::string* body;
  std::size_t offset = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* source) {
  auto& upload = *static_cast<Upload*>(source);
  const std::size_t take = std::min(size * count, upload.body->size() - upload.offset);
  upload.body->copy(buffer, take, upload.offset);
  upload.offset += take;
  return take;
}

curl_slist* request_headers(const HttpCall& call) {
  curl_slist* headers = nullptr;
  if (call.token) headers = curl_slist_append(headers, ("Authorization: Bearer " + *call.token).c_str());
  if (call.body) headers = curl_slist_append(headers, "Content-Type: application/json");
  if (call.chunked) headers = curl_slist_append(headers, "Transfer-Encoding: chunked");
  return headers;
}

}  // namespace

TestSink::~TestSink() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (answerer_.joinable()) answerer_.join();
}

void TestSink::on_request(http::Request request) {
  {
    const std::lock_guard lock(mutex_);
    requests_.push_back(std::move(request));
    ++seen_;
  }
  changed_.notify_all();
}

void TestSink::on_log(std::string_view message) {
  {
    const std::lock_guard lock(mutex_);
    logs_.emplace_back(message);
  }
  changed_.notify_all();
}

void TestSink::on_stream_opened(const http::StreamInfo& stream) {
  (void)stream;
  {
    const std::lock_guard lock(mutex_);
    ++opened_;
  }
  changed_.notify_all();
}

void TestSink::on_stream_closed(std::uint64_t id, std::string_view reason) {
  (void)id;
  {
    const std::lock_guard lock(mutex_);
    closed_reasons_.emplace_back(reason);
  }
  changed_.notify_all();
}

void TestSink::answer_from_thread(http::Server& server, Answer answer) {
  server_ = &server;
  answer_ = std::move(answer);
  answerer_ = std::thread([this] { answer_loop(); });
}

// The engine's loop in miniature: takes requests on another thread and replies.
void TestSink::answer_loop() {
  std::unique_lock lock(mutex_);
  while (true) {
    changed_.wait(lock, [this] { return stopping_ || !requests_.empty(); });
    if (stopping_) return;
    http::Request request = std::move(requests_.front());
    requests_.pop_front();
    lock.unlock();
    server_->reply(request.id, answer_(request));
    lock.lock();
  }
}

http::Response TestSink::echo(const http::Request& request) {
  nlohmann::json query = nlohmann::json::array();
  for (const auto& [key, value] : request.query) query.push_back({key, value});
  return http::Response::json(200, {{"method", request.method},
                                    {"path", request.path},
                                    {"segments", request.segments},
                                    {"query", query},
                                    {"body", request.body}});
}

std::optional<http::Request> TestSink::wait_for_request(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  if (!changed_.wait_for(lock, timeout, [this] { return !requests_.empty(); })) return std::nullopt;
  http::Request request = std::move(requests_.front());
  requests_.pop_front();
  return request;
}

bool TestSink::wait_for_log(const std::string& text, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] {
    return std::any_of(logs_.begin(), logs_.end(), [&](const std::string& line) { return line.find(text) != std::string::npos; });
  });
}

bool TestSink::wait_for_streams_opened(std::size_t count, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return opened_ >= count; });
}

bool TestSink::wait_for_stream_closed(const std::string& text, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] {
    return std::any_of(closed_reasons_.begin(), closed_reasons_.end(),
                       [&](const std::string& reason) { return reason.find(text) != std::string::npos; });
  });
}

std::vector<std::string> TestSink::logs() {
  const std::lock_guard lock(mutex_);
  return logs_;
}

std::size_t TestSink::requests_seen() {
  const std::lock_guard lock(mutex_);
  return seen_;
}

HttpResult http_call(const HttpCall& call) {
  HttpResult result;
  CURL* curl = curl_easy_init();
  curl_slist* headers = request_headers(call);
  Upload upload{call.body ? &*call.body : nullptr};
  curl_easy_setopt(curl, CURLOPT_URL, call.url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, call.method.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, call.timeout_ms);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &append_to_string);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &result.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &append_to_string);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &result.headers);
  if (call.body) {
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, &read_upload);
    curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
    if (!call.chunked) curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(call.body->size()));
  }
  if (!call.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, call.ca_file.c_str());
  const CURLcode code = curl_easy_perform(curl);
  if (code != CURLE_OK) result.error = curl_easy_strerror(code);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result.status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return result;
}

RawConnection::RawConnection(int port, int receive_buffer) {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (receive_buffer > 0) setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    throw std::runtime_error("cannot connect to port " + std::to_string(port));
  }
}

RawConnection::~RawConnection() { close_now(); }

void RawConnection::close_now() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

void RawConnection::send_all(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent <= 0) return;  // The server closed: the test's reads will tell.
    bytes.remove_prefix(static_cast<std::size_t>(sent));
  }
}

bool RawConnection::read_some(std::string& into, std::chrono::milliseconds timeout) {
  pollfd wanted{fd_, POLLIN, 0};
  if (poll(&wanted, 1, static_cast<int>(timeout.count())) <= 0) return false;
  std::array<char, 65536> buffer{};
  const ssize_t count = recv(fd_, buffer.data(), buffer.size(), 0);
  if (count <= 0) return false;
  into.append(buffer.data(), static_cast<std::size_t>(count));
  return true;
}

bool RawConnection::wait_closed(std::string& into, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  std::array<char, 65536> buffer{};
  while (true) {
    pollfd wanted{fd_, POLLIN, 0};
    if (poll(&wanted, 1, ms_left(deadline)) <= 0) return false;
    const ssize_t count = recv(fd_, buffer.data(), buffer.size(), 0);
    if (count == 0 || (count < 0 && errno == ECONNRESET)) return true;
    if (count < 0) return false;
    into.append(buffer.data(), static_cast<std::size_t>(count));
  }
}

WsClient::WsClient(int port, const std::string& target, const std::string& token, int receive_buffer)
    : connection_(port, receive_buffer), key_(http::base64_encode("0123456789abcdef")) {
  connection_.send_all("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n" +
                       "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + key_ +
                       "\r\nAuthorization: Bearer " + token + "\r\n\r\n");
}

int WsClient::handshake_status() {
  const auto deadline = Clock::now() + kDeadline;
  std::string received;
  std::size_t end = std::string::npos;
  while ((end = received.find("\r\n\r\n")) == std::string::npos) {
    if (!connection_.read_some(received, std::chrono::milliseconds(ms_left(deadline)))) return 0;
  }
  head_ = received.substr(0, end + 4);
  decoder_.feed(std::string_view(received).substr(end + 4));  // frames right after the head
  return head_.size() > 12 ? std::stoi(head_.substr(9, 3)) : 0;
}

void WsClient::send(http::WsOpcode opcode, std::string_view payload, bool final) {
  connection_.send_all(http::encode_masked_frame(opcode, payload, {0x12, 0x34, 0x56, 0x78}, final));
}

std::optional<http::WsMessage> WsClient::receive(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  http::WsMessage message;
  while (true) {
    const auto status = decoder_.next(message);
    if (status == http::FrameDecoder::Status::Message) return message;
    if (status == http::FrameDecoder::Status::Error) return std::nullopt;
    std::string bytes;
    if (!connection_.read_some(bytes, std::chrono::milliseconds(ms_left(deadline)))) return std::nullopt;
    decoder_.feed(bytes);
  }
}

std::string WsClient::receive_text(std::chrono::milliseconds timeout) {
  const std::optional<http::WsMessage> message = receive(timeout);
  return message && message->opcode == http::WsOpcode::Text ? message->payload : std::string();
}

}  // namespace er::http_test

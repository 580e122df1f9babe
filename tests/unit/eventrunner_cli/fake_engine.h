#pragma once
// A stand-in for a running engine's control API: an HTTP/1.1 server on a free
// loopback port, on its own thread, that records every request and answers each
// with what the test's handler returns. It closes the connection after every answer,
// which the client must cope with (the real engine closes idle ones too).

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace er::cli::testing {

struct FakeRequest {
  std::string method;
  std::string path;  ///< With the query string.
  std::string authorization;
  std::string body;
};

struct FakeAnswer {
  int status = 200;
  nlohmann::json body = nlohmann::json::object();
};

class FakeEngine {
 public:
  using Handler = std::function<FakeAnswer(const FakeRequest&)>;

  explicit FakeEngine(Handler handler) : handler_(std::move(handler)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::listen(listener_, 16);
    socklen_t size = sizeof address;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }

  ~FakeEngine() {
    stopping_ = true;
    thread_.join();
    ::close(listener_);
  }

  FakeEngine(const FakeEngine&) = delete;
  FakeEngine& operator=(const FakeEngine&) = delete;

  [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  std::vector<FakeRequest> requests() {
    const std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }

 private:
  void serve() {
    while (!stopping_) {
      pollfd watched{listener_, POLLIN, 0};
      if (::poll(&watched, 1, 20) <= 0) continue;
      const int connection = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (connection < 0) continue;
      answer(connection);
      ::close(connection);
    }
  }

  static std::string header(const std::string& head, const std::string& name) {
    const auto at = head.find("\r\n" + name + ": ");
    if (at == std::string::npos) return {};
    const auto start = at + name.size() + 4;
    return head.substr(start, head.find("\r\n", start) - start);
  }

  static std::string read_request(int connection) {
    std::string data;
    char block[4096];
    while (true) {
      const auto head_end = data.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        const std::string length = header(data.substr(0, head_end + 2), "Content-Length");
        const std::size_t body_size = length.empty() ? 0 : std::stoul(length);
        if (data.size() >= head_end + 4 + body_size) return data;
      }
      const ssize_t got = ::recv(connection, block, sizeof block, 0);
      if (got <= 0) return data;
      data.append(block, static_cast<std::size_t>(got));
    }
  }

  void answer(int connection) {
    const std::string data = read_request(connection);
    const auto head_end = data.find("\r\n\r\n");
    if (head_end == std::string::npos) return;
    FakeRequest request;
    const std::string head = data.substr(0, head_end + 2);
    const auto first_space = head.find(' ');
    request.method = head.substr(0, first_space);
    request.path = head.substr(first_space + 1, head.find(' ', first_space + 1) - first_space - 1);
    request.authorization = header(head, "Authorization");
    request.body = data.substr(head_end + 4);
    const FakeAnswer reply = handler_(request);
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      requests_.push_back(request);
    }
    const std::string body = reply.body.dump();
    const std::string text = "HTTP/1.1 " + std::to_string(reply.status) + " X\r\nContent-Type: application/json\r\n" +
                             "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
    ::send(connection, text.data(), text.size(), MSG_NOSIGNAL);
  }

  Handler handler_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
  std::mutex mutex_;
  std::vector<FakeRequest> requests_;
};

}  // namespace er::cli::testing

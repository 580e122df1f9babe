#include "listen_socket.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <memory>

#include "adapters/http/server.h"

namespace er::http {

namespace {

constexpr int kListenBacklog = 64;

struct AddressInfoDeleter {
  void operator()(addrinfo* info) const { freeaddrinfo(info); }
};
using AddressInfo = std::unique_ptr<addrinfo, AddressInfoDeleter>;

int bound_port(int fd) {
  sockaddr_storage address{};
  socklen_t size = sizeof address;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) return 0;
  if (address.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6*>(&address)->sin6_port);
  return ntohs(reinterpret_cast<const sockaddr_in*>(&address)->sin_port);
}

// Binds and listens on the first resolved address; fills result.error on failure.
void listen_on(const addrinfo& info, ListenResult& result, const std::string& where) {
  const int fd = socket(info.ai_family, info.ai_socktype | SOCK_CLOEXEC, info.ai_protocol);
  if (fd < 0) {
    result.error = "cannot listen on " + where + ": " + std::strerror(errno);
    return;
  }
  const int on = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (bind(fd, info.ai_addr, info.ai_addrlen) != 0 || listen(fd, kListenBacklog) != 0) {
    result.error = "cannot listen on " + where + ": " + std::strerror(errno);
    close(fd);
    return;
  }
  result.fd = fd;
  result.port = bound_port(fd);
  result.ipv6 = info.ai_family == AF_INET6;
}

}  // namespace

ListenResult open_listen_socket(const std::string& address, int port) {
  ListenResult result;
  const std::string where = host_port(address, port);
  if (port < 0 || port > 65535) {
    result.error = "cannot listen on " + where + ": the port must be 0 to 65535";
    return result;
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  const int code = getaddrinfo(address.c_str(), service.c_str(), &hints, &found);
  const AddressInfo resolved(found);
  if (code != 0 || found == nullptr) {
    result.error = "cannot listen on " + where + ": " + gai_strerror(code);
    return result;
  }
  listen_on(*found, result, where);
  return result;
}

std::string describe_address(const sockaddr* address) {
  std::array<char, INET6_ADDRSTRLEN> text{};
  if (address == nullptr) return "unknown";
  if (address->sa_family == AF_INET) {
    const auto* ipv4 = reinterpret_cast<const sockaddr_in*>(address);
    inet_ntop(AF_INET, &ipv4->sin_addr, text.data(), text.size());
    return host_port(text.data(), ntohs(ipv4->sin_port));
  }
  if (address->sa_family == AF_INET6) {
    const auto* ipv6 = reinterpret_cast<const sockaddr_in6*>(address);
    inet_ntop(AF_INET6, &ipv6->sin6_addr, text.data(), text.size());
    return host_port(text.data(), ntohs(ipv6->sin6_port));
  }
  return "unknown";
}

std::string host_port(std::string_view address, int port) {
  const bool ipv6 = address.find(':') != std::string_view::npos;
  std::string text = ipv6 ? "[" + std::string(address) + "]" : std::string(address);
  return text + ":" + std::to_string(port);
}

bool is_loopback(std::string_view address) {
  if (address == "localhost" || address == "::1") return true;
  in_addr ipv4{};
  const std::string text(address);
  if (inet_pton(AF_INET, text.c_str(), &ipv4) == 1) return (ntohl(ipv4.s_addr) >> 24) == 127;
  in6_addr ipv6{};
  return inet_pton(AF_INET6, text.c_str(), &ipv6) == 1 && IN6_IS_ADDR_LOOPBACK(&ipv6);
}

}  // namespace er::http

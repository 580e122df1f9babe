#pragma once
// The listening socket, opened by the server itself (not by libmicrohttpd) so that a
// failure names the address and the reason, and port 0 tells which port it got.

#include <sys/socket.h>

#include <string>
#include <string_view>

namespace er::http {

struct ListenResult {
  int fd = -1;  ///< -1 on failure
  int port = 0;
  bool ipv6 = false;
  std::string error;  ///< "cannot listen on 127.0.0.1:8321: Address already in use"
};

/// Resolves `address` (numeric, or a host name such as "localhost"), binds with
/// SO_REUSEADDR and listens.
ListenResult open_listen_socket(const std::string& address, int port);

/// "127.0.0.1:53412" or "[::1]:53412"; "unknown" for a null or odd address.
std::string describe_address(const sockaddr* address);

/// "127.0.0.1:8321", or "[::1]:8321" for an IPv6 address.
std::string host_port(std::string_view address, int port);

}  // namespace er::http

#include "mqtt/support/broker.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace er::mqtt_test {
namespace {

using namespace test_support;

constexpr const char* kMosquitto = "/usr/sbin/mosquitto";
constexpr const char* kMosquittoPasswd = "/usr/bin/mosquitto_passwd";
constexpr int kStartTimeoutMs = 10'000;
constexpr int kStopTimeoutMs = 10'000;
/// Starts on a port taken in the meantime by another process are retried this often.
constexpr int kStartAttempts = 3;

sockaddr_in loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

/// A port that was free a moment ago: the kernel's pick for a socket bound to port 0.
int free_loopback_port() {
  const int probe = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address = loopback(0);
  socklen_t length = sizeof address;
  if (probe < 0 || bind(probe, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      getsockname(probe, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    fail("cannot find a free port on 127.0.0.1");
  }
  close(probe);
  return ntohs(address.sin_port);
}

bool accepts_connections(int port) {
  const int probe = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const sockaddr_in address = loopback(port);
  const bool connected =
      connect(probe, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  close(probe);
  return connected;
}

/// The user this test runs as. mosquitto started as root switches to the user
/// "mosquitto", who could not read the private temporary folder; naming the current user
/// keeps it as it is.
std::string current_user() {
  const passwd* entry = getpwuid(geteuid());
  return entry != nullptr ? entry->pw_name : "root";
}

std::uintmax_t size_of(const fs::path& path) {
  std::error_code error;
  const std::uintmax_t size = fs::file_size(path, error);
  return error ? 0 : size;
}

}  // namespace

TestBroker::TestBroker(BrokerOptions options, BrokerBridge bridge)
    : options_(std::move(options)), bridge_(std::move(bridge)), folder_(make_temp_dir("er-mosquitto")) {
  try {
    if (!options_.username.empty()) write_password_file();
    if (options_.tls) make_certificates();
    // Another process may take the free port between the probe and mosquitto's bind.
    for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
      port_ = free_loopback_port();
      if (options_.tls) tls_port_ = free_loopback_port();
      write_config();
      if (launch()) return;
    }
    fail("mosquitto did not start:\n" + tail(log()));
  } catch (...) {
    std::error_code ignored;
    fs::remove_all(folder_, ignored);
    throw;
  }
}

TestBroker::~TestBroker() {
  try {
    if (running()) end_with(SIGTERM);
  } catch (const Failure&) {
    // The test is over; a broker that will not end is killed with the test process.
  }
  std::error_code ignored;
  fs::remove_all(folder_, ignored);
}

std::string TestBroker::tls_url() const { return "mqtts://localhost:" + std::to_string(tls_port_); }

// A CA and a server certificate for "localhost" (and 127.0.0.1) that it signed, made
// for this broker only.
void TestBroker::make_certificates() const {
  const std::string dir = folder_.string() + "/";
  write_file(folder_ / "server.ext", "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
  const std::vector<std::vector<std::string>> steps = {
      {"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir + "ca.key", "-out",
       dir + "ca.crt", "-days", "2", "-subj", "/CN=eventrunner test CA"},
      {"openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", dir + "server.key", "-out", dir + "server.csr",
       "-subj", "/CN=localhost"},
      {"openssl", "x509", "-req", "-in", dir + "server.csr", "-CA", dir + "ca.crt", "-CAkey", dir + "ca.key",
       "-CAcreateserial", "-out", dir + "server.crt", "-days", "2", "-extfile", dir + "server.ext"}};
  for (const std::vector<std::string>& step : steps) {
    std::vector<std::string> argv = step;
    argv[0] = "/usr/bin/openssl";
    const auto [status, output] = run(argv);
    if (!exited_with(status, 0)) fail("openssl failed:\n" + output);
  }
}

std::string TestBroker::url() const {
  return "mqtt://" + host() + ":" + std::to_string(port_);
}

std::string TestBroker::log() const {
  return file_text(folder_ / "mosquitto.log");
}

void TestBroker::start() {
  if (running()) fail("the broker on port " + std::to_string(port_) + " is already running");
  if (!launch())
    fail("mosquitto did not start again on port " + std::to_string(port_) + ":\n" + tail(log()));
}

void TestBroker::stop() {
  end_with(SIGTERM);
}

void TestBroker::kill() {
  end_with(SIGKILL);
}

void TestBroker::write_password_file() const {
  const fs::path passwords = folder_ / "passwords";
  write_file(passwords, options_.username + ":" + options_.password + "\n");
  fs::permissions(passwords, fs::perms::owner_read | fs::perms::owner_write);
  // -U replaces the plain passwords of the file with their hashes.
  const auto [status, output] = run({kMosquittoPasswd, "-U", passwords.string()});
  if (!exited_with(status, 0)) fail("mosquitto_passwd failed:\n" + output);
}

void TestBroker::write_config() const {
  std::string config =
      "# Written by TestBroker (tests/mqtt/support/broker.cpp) for one test.\n"
      "user " +
      current_user() +
      "\n"
      "persistence false\n"
      "log_dest stderr\n"
      "log_type error\nlog_type warning\nlog_type notice\nlog_type information\n"
      // A subscriber to 10,000 retained topics at QoS 1 gets them all: the default
      // queue (1,000 messages beyond 20 in flight) would drop the rest.
      "max_inflight_messages 1000\n"
      "max_queued_messages 100000\n"
      "set_tcp_nodelay true\n"
      "listener " +
      std::to_string(port_) + " 127.0.0.1\n";
  if (options_.tls) {
    // Listeners share the authentication settings below (per_listener_settings is off).
    const std::string dir = folder_.string() + "/";
    config += "listener " + std::to_string(tls_port_) + " 127.0.0.1\ncafile " + dir + "ca.crt\ncertfile " + dir +
              "server.crt\nkeyfile " + dir + "server.key\n";
  }
  if (bridge_.port != 0) {
    config += "connection bridge-" + std::to_string(port_) + "\naddress 127.0.0.1:" + std::to_string(bridge_.port) +
              "\ncleansession false\nrestart_timeout 1\n";
    for (const std::string& topic : bridge_.topics) config += "topic " + topic + "\n";
  }
  if (options_.username.empty()) {
    config += "allow_anonymous true\n";
  } else {
    config += "allow_anonymous false\npassword_file " + (folder_ / "passwords").string() + "\n";
  }
  write_file(folder_ / "mosquitto.conf", config);
}

bool TestBroker::launch() {
  const fs::path log_file = folder_ / "mosquitto.log";
  const std::uintmax_t log_start = size_of(log_file);
  process_ = spawn_logged({kMosquitto, "-c", (folder_ / "mosquitto.conf").string()}, log_file);
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(kStartTimeoutMs);
  int status = 0;
  for (;;) {
    // The "running" line of this start tells our mosquitto from another program that
    // took the port.
    if (accepts_connections(port_) && log().find(" running", log_start) != std::string::npos) {
      return true;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      end_with(SIGKILL);
      fail("mosquitto did not listen on port " + std::to_string(port_) + " within 10 s:\n" +
           tail(log()));
    }
    // Pauses 10 ms between the probes, or ends at once when the broker exits.
    if (wait_exit(process_, 10, status)) return false;
  }
}

void TestBroker::end_with(int signal_number) {
  if (!running()) return;
  ::kill(process_.pid, signal_number);
  int status = 0;
  if (wait_exit(process_, kStopTimeoutMs, status)) return;
  ::kill(process_.pid, SIGKILL);
  if (!wait_exit(process_, kStopTimeoutMs, status)) fail("mosquitto does not end");
}

}  // namespace er::mqtt_test

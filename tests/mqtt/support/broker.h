#pragma once
// A real mosquitto for one test: its own configuration in a temporary folder, a free
// port on 127.0.0.1 only, and the broker's output in a log file there. Never a system
// service and never a fixed port, so tests run in parallel and on machines that run
// their own broker.

#include <filesystem>
#include <string>
#include <vector>

#include "support/process.h"

namespace er::mqtt_test {

namespace fs = std::filesystem;

struct BrokerOptions {
  /// With a username, clients must log in with it and `password` (no anonymous
  /// clients); the password file is made by `mosquitto_passwd -U` from a file, so the
  /// secret is never on a command line.
  std::string username;
  std::string password;
  /// Also a TLS listener (on tls_port(), for the host name "localhost"), with a CA and
  /// server certificate made by `openssl` in the broker's folder (ca_file()).
  bool tls = false;
};

/// A bridge to the broker on loopback port `port` (0: none), carrying `topics` (the
/// "<pattern> both 1" of mosquitto.conf's `topic` lines) with a persistent bridge
/// session: two sites' brokers, as docs/multi-controller.md sets them up.
struct BrokerBridge {
  int port = 0;
  std::vector<std::string> topics;
};

/// A running mosquitto. The constructor starts it and returns once a TCP connection to
/// its port succeeds (or throws after 10 s); the destructor stops it and removes the
/// folder.
class TestBroker {
 public:
  explicit TestBroker(BrokerOptions options = {}, BrokerBridge bridge = {});
  ~TestBroker();
  TestBroker(const TestBroker&) = delete;
  TestBroker& operator=(const TestBroker&) = delete;

  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] static std::string host() { return "127.0.0.1"; }
  /// "mqtt://127.0.0.1:<port>", as the engine and fake-devices take it.
  [[nodiscard]] std::string url() const;
  /// With BrokerOptions::tls: "mqtts://localhost:<tls port>", and the CA certificate
  /// that signed the broker's certificate.
  [[nodiscard]] std::string tls_url() const;
  [[nodiscard]] fs::path ca_file() const { return folder_ / "ca.crt"; }
  [[nodiscard]] const BrokerOptions& options() const { return options_; }
  /// The temporary folder (configuration, password file, log).
  [[nodiscard]] const fs::path& folder() const { return folder_; }
  /// What the broker printed so far, for failure messages.
  [[nodiscard]] std::string log() const;
  [[nodiscard]] bool running() const { return process_.pid > 0; }

  /// Starts the broker again on the same port (after stop() or kill()). Retained
  /// messages are gone: persistence is off, as after a real broker lost its disk.
  void start();
  /// SIGTERM, then waits for the exit (SIGKILL after 10 s).
  void stop();
  /// SIGKILL, then waits for the exit: the clients see their connection drop.
  void kill();

 private:
  void write_password_file() const;
  void make_certificates() const;
  void write_config() const;
  /// Starts mosquitto; false when it ended before listening (the port was taken).
  bool launch();
  void end_with(int signal_number);

  BrokerOptions options_;
  BrokerBridge bridge_;
  fs::path folder_;
  int port_ = 0;
  int tls_port_ = 0;
  test_support::Child process_;
};

}  // namespace er::mqtt_test

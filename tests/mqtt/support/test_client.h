#pragma once
// A synchronous MQTT client for tests, on libmosquitto: it acts as a device or as an
// observer without shelling out. Every call waits for what it asked for (the CONNACK,
// the SUBACK, the publish leaving or being acknowledged) and throws
// test_support::Failure when that does not happen before its deadline.
//
// libmosquitto's network thread receives the messages; the test's thread reads them
// with wait_for(). After the broker comes back, the client reconnects by itself and
// subscribes again to what it subscribed to.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct mosquitto;
struct mosquitto_message;

namespace er::mqtt_test {

class TestBroker;

using Millis = std::chrono::milliseconds;

/// How long a step of a test may take by default: generous, as the tests share two
/// cores with other builds.
constexpr Millis kDefaultTimeout{5000};

struct Message {
  std::string topic;
  std::string payload;
  int qos = 0;
  bool retained = false;  ///< Sent because it was retained (not live).
  /// When the client's network thread received it (benchmarks time paths with it).
  std::chrono::steady_clock::time_point received_at{};
};

struct ClientOptions {
  std::string client_id;  ///< Empty: a unique one.
  std::string username;   ///< Empty: anonymous.
  std::string password;
  std::optional<Message> will;  ///< The last will, published by the broker on a lost connection.
  int keepalive_s = 10;
};

using PayloadMatch = std::function<bool(std::string_view payload)>;

/// A PayloadMatch that takes any payload.
bool any_payload(std::string_view payload);

class TestClient {
 public:
  /// Connects to `broker` (with its username and password unless `options` names others).
  explicit TestClient(const TestBroker& broker, ClientOptions options = {},
                      Millis timeout = kDefaultTimeout);
  TestClient(std::string host, int port, ClientOptions options = {},
             Millis timeout = kDefaultTimeout);
  ~TestClient();
  TestClient(const TestClient&) = delete;
  TestClient& operator=(const TestClient&) = delete;

  /// Publishes and waits until it left (QoS 0) or the broker acknowledged it (QoS 1, 2).
  void publish(const std::string& topic, const std::string& payload, int qos = 0,
               bool retain = false, Millis timeout = kDefaultTimeout);
  /// Publishes all of `messages` (their topic, payload, qos and `retained` as the retain
  /// flag) without waiting in between, then waits until every one is done.
  void publish_all(const std::vector<Message>& messages, Millis timeout = kDefaultTimeout);
  /// Subscribes and waits for the SUBACK; retained messages follow it.
  void subscribe(const std::string& filter, int qos = 0, Millis timeout = kDefaultTimeout);
  void unsubscribe(const std::string& filter, Millis timeout = kDefaultTimeout);

  /// The first message with index >= `since` (see received()) on a topic matching
  /// `filter` whose payload `matches` accepts; throws when none arrives in time.
  Message wait_for(std::string_view filter, const PayloadMatch& matches = any_payload,
                   Millis timeout = kDefaultTimeout, std::size_t since = 0);
  /// Waits until `count` messages on topics matching `filter` arrived from `since` on.
  void wait_for_count(std::string_view filter, std::size_t count, Millis timeout = kDefaultTimeout,
                      std::size_t since = 0);
  /// True when no message matching `filter` and `matches` arrived from `since` on by
  /// the end of `period` (for checking that something does not happen).
  bool stays_quiet(std::string_view filter, Millis period, std::size_t since,
                   const PayloadMatch& matches = any_payload);

  /// How many messages arrived so far: the index of the next one, for wait_for's `since`.
  [[nodiscard]] std::size_t received() const;
  /// A copy of every message received so far, in arrival order.
  [[nodiscard]] std::vector<Message> messages() const;

  [[nodiscard]] bool connected() const;
  /// Waits until the client is connected (again, after a broker restart) and has
  /// subscribed again.
  void wait_connected(Millis timeout = kDefaultTimeout);
  /// Loses the connection without a DISCONNECT (the socket is shut), as a device losing
  /// power does: the broker publishes the will. libmosquitto then reconnects.
  void cut_connection();
  /// Disconnects cleanly (no will); the destructor does it too.
  void disconnect();

 private:
  static void complete(void* self, int mid, bool refused);
  static void on_connect(mosquitto* client, void* self, int result);
  static void on_disconnect(mosquitto* client, void* self, int result);
  static void on_publish(mosquitto* client, void* self, int mid);
  static void on_subscribe(mosquitto* client, void* self, int mid, int count, const int* granted);
  static void on_unsubscribe(mosquitto* client, void* self, int mid);
  static void on_message(mosquitto* client, void* self, const mosquitto_message* message);

  void connect(const std::string& host, int port, Millis timeout);
  /// Waits until `done()` holds (under the lock), failing with `what` at the deadline.
  void wait_until(std::unique_lock<std::mutex>& lock, Millis timeout,
                  const std::function<bool()>& done, const std::string& what);
  void wait_for_mid(int mid, Millis timeout, const std::string& what);
  std::string summary_of_messages() const;  ///< Topics received, for failure messages.

  ClientOptions options_;
  mosquitto* client_ = nullptr;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool connected_ = false;
  int refused_ = 0;                                   ///< The CONNACK's refusal, 0 when accepted.
  std::set<int> completed_;                           ///< Message ids acknowledged or sent.
  std::set<int> refused_subscriptions_;               ///< Message ids of refused subscriptions.
  std::vector<std::pair<std::string, int>> filters_;  ///< Subscriptions and their QoS.
  std::vector<int> renewing_;  ///< Message ids of the subscriptions renewed on reconnect.
  std::vector<Message> messages_;
};

}  // namespace er::mqtt_test

#pragma once
// One device's own MQTT connection. Real devices each hold their own (every Tasmota
// plug, the Zigbee2MQTT bridge, an ESPHome node), each with its own client id and last
// will, so the fake opens one per device too: killing fake-devices makes the broker
// publish every will, as a power cut would.
//
// libmosquitto's network thread runs the handlers; publish() and subscribe() may be
// called from any thread.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>

struct mosquitto;
struct mosquitto_message;

namespace er::fake_devices {

using Clock = std::chrono::steady_clock;

struct BrokerAddress {
  std::string host = "127.0.0.1";
  int port = 1883;
  std::string username;  ///< Empty: anonymous.
  std::string password;
};

/// What the broker publishes (retained) for a device whose connection is lost.
struct Will {
  std::string topic;
  std::string payload;
};

class Connection {
 public:
  /// Runs after every (re)connection: publish the online state and subscribe there.
  using OnConnect = std::function<void()>;
  using OnMessage = std::function<void(const std::string& topic, const std::string& payload)>;

  Connection(const BrokerAddress& broker, std::string client_id, std::optional<Will> will);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Set before start().
  void set_handlers(OnConnect on_connect, OnMessage on_message);
  /// Connects in the background; the network thread reconnects after a lost connection.
  void start();

  /// Prints "fake-devices: TOPIC -> PAYLOAD" for each message received.
  void subscribe(const std::string& filter);
  /// Publishes at QoS 1 and prints "fake-devices: TOPIC <- PAYLOAD".
  void publish(const std::string& topic, const std::string& payload, bool retain);

  /// Waits until connected with every publish and subscription acknowledged; false at
  /// the deadline.
  bool wait_settled(Clock::time_point deadline);
  /// Loses the connection as a device losing power does: the broker publishes the will
  /// (MQTT 5's "disconnect with will message"), and no reconnection follows.
  void drop();
  /// Connects again after drop().
  void resume();
  /// Disconnects cleanly (the will is not published) once what was published is
  /// acknowledged or the deadline passed.
  void close(Clock::time_point deadline);

 private:
  static void on_connect(mosquitto* client, void* self, int result);
  static void on_disconnect(mosquitto* client, void* self, int result);
  static void on_acknowledged(mosquitto* client, void* self, int mid);
  static void on_subscribed(mosquitto* client, void* self, int mid, int count, const int* granted);
  static void on_message(mosquitto* client, void* self, const mosquitto_message* message);

  /// Records message id `mid` as waiting for its acknowledgement.
  void await(int mid);
  void acknowledge(int mid);

  BrokerAddress broker_;
  std::string client_id_;
  mosquitto* client_ = nullptr;
  OnConnect on_connect_;
  OnMessage on_message_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool connected_ = false;
  bool running_ = false;          ///< The network thread runs (started and not dropped or closed).
  std::set<int> unacknowledged_;  ///< Message ids waiting for their PUBACK or SUBACK.
  std::set<int> early_;           ///< Acknowledged before publish() recorded them.
};

}  // namespace er::fake_devices

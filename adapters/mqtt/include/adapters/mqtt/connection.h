#pragma once
// The engine's connection to the broker: libmosquitto driven by a network thread of its
// own, which connects, reconnects with backoff (1 s doubling to 60 s), and hands what
// happens to a listener on that thread. The engine's loop never waits on the network:
// the listener posts to the bus (docs/design.md, "threads post, the loop owns"), and
// publish/subscribe only queue packets for the network thread.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "adapters/mqtt/config.h"
#include "adapters/mqtt/router.h"

struct mosquitto;
struct mosquitto_message;

namespace er::mqtt {

/// Called on the network thread. Must not block for long (a bounded bus post is fine).
class ConnectionListener {
 public:
  virtual ~ConnectionListener() = default;
  /// The broker accepted the connection (also after every reconnect).
  virtual void on_connected() = 0;
  /// An accepted connection ended; the thread reconnects.
  virtual void on_connection_lost(const std::string& reason) = 0;
  /// A connection attempt failed (refused, unreachable, TLS); `retry_ms` until the next.
  virtual void on_connect_failed(const std::string& reason, long retry_ms) = 0;
  virtual void on_message(std::string_view topic, std::string_view payload, bool retained) = 0;
};

class Connection {
 public:
  /// Sets everything up (nothing connects yet). `will_topic` gets `offline` (retained)
  /// from the broker when the connection ends without a goodbye.
  Connection(const MqttConfig& config, std::string will_topic, ConnectionListener& listener);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Empty when the client could be set up (TLS files, options); else why not.
  [[nodiscard]] const std::string& setup_error() const { return setup_error_; }

  /// Starts the network thread.
  void start();
  /// Publishes `goodbye` (if it has a topic), disconnects and joins the thread.
  void stop(const Publish& goodbye);

  /// Any thread. False when not connected (the message is not sent).
  bool publish(const Publish& message);
  /// Any thread. Ignored while disconnected: on_connected subscribes again.
  void subscribe(const std::string& filter, int qos = 1);
  void unsubscribe(const std::string& filter);
  [[nodiscard]] bool connected() const { return connected_.load(); }

 private:
  static void on_connect(mosquitto* client, void* self, int code);
  static void on_disconnect(mosquitto* client, void* self, int code);
  static void on_message(mosquitto* client, void* self, const mosquitto_message* message);

  void configure(const std::string& will_topic);
  void run();
  bool clear_old_session();
  bool connect_once();
  void pump();
  int read_waiting();
  bool pause(long ms);

  MqttConfig config_;
  ConnectionListener& listener_;
  mosquitto* client_ = nullptr;
  std::string setup_error_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> connected_{false};
  std::string refusal_;  ///< Why the broker refused the last CONNECT (network thread).
  long backoff_ms_ = 1000;
  bool old_session_cleared_ = false;  ///< Network thread: clear_old_session ran.
  /// Messages received (network thread): how read_waiting sees its progress.
  std::uint64_t messages_read_ = 0;
};

}  // namespace er::mqtt

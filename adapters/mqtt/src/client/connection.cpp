#include "adapters/mqtt/connection.h"

#include <mosquitto.h>

#include <algorithm>
#include <chrono>
#include <utility>

namespace er::mqtt {

namespace {

constexpr long kFirstRetryMs = 1000;
constexpr long kLastRetryMs = 60000;

// libmosquitto's global state is set up once per process and never torn down (other
// connections may still use it).
void init_library() {
  static const int once = mosquitto_lib_init();
  (void)once;
}

std::string describe_error(int code) {
  if (code == MOSQ_ERR_ERRNO) return "network error";
  return mosquitto_strerror(code);
}

// What every connection of this engine presents to the broker: protocol version, user
// and TLS. Returns a TLS setup error (empty when fine).
std::string set_identity(mosquitto* client, const MqttConfig& config) {
  mosquitto_int_option(client, MOSQ_OPT_PROTOCOL_VERSION, config.version == 5 ? MQTT_PROTOCOL_V5 : MQTT_PROTOCOL_V311);
  // Messages are small and each is worth sending at once: with Nagle's algorithm a
  // publish that follows another (a QoS 1 acknowledgement, then an event) waits for the
  // broker's delayed ACK, about 40 ms.
  mosquitto_int_option(client, MOSQ_OPT_TCP_NODELAY, 1);
  if (!config.username.empty()) {
    mosquitto_username_pw_set(client, config.username.c_str(), config.password.empty() ? nullptr : config.password.c_str());
  }
  if (!config.tls) return {};
  const char* ca_file = config.ca_file.empty() ? nullptr : config.ca_file.c_str();
  const char* ca_path = ca_file == nullptr ? "/etc/ssl/certs" : nullptr;
  const int code = mosquitto_tls_set(client, ca_file, ca_path, config.cert_file.empty() ? nullptr : config.cert_file.c_str(),
                                     config.key_file.empty() ? nullptr : config.key_file.c_str(), nullptr);
  if (code != MOSQ_ERR_SUCCESS) return "TLS: " + describe_error(code) + " (check ca_file, cert_file, key_file)";
  return {};
}

}  // namespace

Connection::Connection(const MqttConfig& config, std::string will_topic, ConnectionListener& listener)
    : config_(config), listener_(listener) {
  init_library();
  client_ = mosquitto_new(config_.client_id.c_str(), !config_.persistent_session, this);
  if (client_ == nullptr) {
    setup_error_ = "cannot create an MQTT client";
    return;
  }
  configure(will_topic);
}

Connection::~Connection() {
  stop({});
  if (client_ != nullptr) mosquitto_destroy(client_);
}

void Connection::configure(const std::string& will_topic) {
  mosquitto_threaded_set(client_, true);
  mosquitto_connect_callback_set(client_, &Connection::on_connect);
  mosquitto_disconnect_callback_set(client_, &Connection::on_disconnect);
  mosquitto_message_callback_set(client_, &Connection::on_message);
  if (!will_topic.empty()) {
    static constexpr char kOffline[] = "offline";
    mosquitto_will_set(client_, will_topic.c_str(), sizeof kOffline - 1, kOffline, 1, true);
  }
  setup_error_ = set_identity(client_, config_);
}

void Connection::start() {
  if (client_ == nullptr || !setup_error_.empty() || thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void Connection::stop(const Publish& goodbye) {
  if (!thread_.joinable()) return;
  if (!goodbye.topic.empty()) publish(goodbye);
  stopping_ = true;
  mosquitto_disconnect(client_);
  wake_.notify_all();
  thread_.join();
}

// The network thread: connect, pump until the connection ends, wait, again.
void Connection::run() {
  while (!stopping_) {
    if (clear_old_session() && connect_once()) pump();
    if (stopping_) break;
    if (connected_.exchange(false)) {
      listener_.on_connection_lost(refusal_.empty() ? "connection lost" : refusal_);
      backoff_ms_ = kFirstRetryMs;
    } else {
      listener_.on_connect_failed(refusal_.empty() ? "broker unreachable" : refusal_, backoff_ms_);
    }
    if (!pause(backoff_ms_)) break;
    backoff_ms_ = std::min(backoff_ms_ * 2, kLastRetryMs);
  }
  connected_ = false;
}

// A persistent session outlives the process that made it: what the broker queued for
// an earlier run of this engine would arrive as if it were new. Once per process,
// before the first real connection, a short connection with the same client id and a
// clean session discards it (MQTT 3.1.1 §3.1.2.4). Reconnections later keep the
// session, so a broken connection loses nothing. False when the broker cannot be reached.
bool Connection::clear_old_session() {
  if (!config_.persistent_session || old_session_cleared_) return true;
  int answer = -1;  // The broker's CONNACK code; -1 until it comes.
  mosquitto* cleaner = mosquitto_new(config_.client_id.c_str(), true, &answer);
  if (cleaner == nullptr) return false;
  mosquitto_connect_callback_set(cleaner, [](mosquitto*, void* out, int code) { *static_cast<int*>(out) = code; });
  set_identity(cleaner, config_);  // A TLS problem was already said by configure().
  int code = mosquitto_connect(cleaner, config_.host.c_str(), config_.port, config_.keepalive);
  // The CONNACK arrives within a few loop rounds; the session is gone once the broker
  // has accepted the clean connection, and the DISCONNECT ends it.
  for (int round = 0; code == MOSQ_ERR_SUCCESS && answer < 0 && !stopping_ && round < 50; ++round) {
    code = mosquitto_loop(cleaner, 100, 1);
  }
  mosquitto_disconnect(cleaner);
  mosquitto_loop(cleaner, 10, 1);
  mosquitto_destroy(cleaner);
  if (answer > 0) {  // Said as the real connection would say it (a wrong password).
    refusal_ = std::string("the broker refused the connection: ") + mosquitto_connack_string(answer);
    return false;
  }
  if (code == MOSQ_ERR_SUCCESS && answer < 0) code = MOSQ_ERR_NO_CONN;
  if (code != MOSQ_ERR_SUCCESS) {
    refusal_ = "cannot reach " + config_.host + ":" + std::to_string(config_.port) + " (" + describe_error(code) + ")";
    return false;
  }
  old_session_cleared_ = true;
  return true;
}

// Opens the TCP (and TLS) connection and sends CONNECT; the broker's answer arrives in
// on_connect while pumping.
bool Connection::connect_once() {
  refusal_.clear();
  const int code = mosquitto_connect(client_, config_.host.c_str(), config_.port, config_.keepalive);
  if (code == MOSQ_ERR_SUCCESS) return true;
  refusal_ = "cannot reach " + config_.host + ":" + std::to_string(config_.port) + " (" + describe_error(code) + ")";
  return false;
}

// Under load most packets are already waiting when one has been read, and
// mosquitto_loop() would wait for each with a select() of its own: up to kBurst more
// are read directly while each read brings a message (a read that finds nothing ends
// the burst with EAGAIN), writing what the loop thread published meanwhile; the next
// mosquitto_loop() then keeps the connection alive.
int Connection::read_waiting() {
  constexpr int kBurst = 64;
  for (int i = 0; i < kBurst; ++i) {
    const std::uint64_t before = messages_read_;
    int code = mosquitto_loop_read(client_, 1);
    if (code == MOSQ_ERR_SUCCESS && mosquitto_want_write(client_)) {
      code = mosquitto_loop_write(client_, 1);
    }
    if (code != MOSQ_ERR_SUCCESS) return code;
    if (messages_read_ == before) return MOSQ_ERR_SUCCESS;
  }
  return MOSQ_ERR_SUCCESS;
}

// Reads and writes until the connection ends (or stop() disconnects it).
void Connection::pump() {
  while (true) {
    int code = mosquitto_loop(client_, 500, 1);
    if (code == MOSQ_ERR_SUCCESS) code = read_waiting();
    if (code != MOSQ_ERR_SUCCESS) {
      if (refusal_.empty() && code != MOSQ_ERR_NO_CONN) {
        refusal_ = "connection to " + config_.host + ":" + std::to_string(config_.port) + " failed (" +
                   describe_error(code) + ")";
      }
      return;
    }
    if (stopping_ && !connected_) return;
  }
}

// Waits `ms` unless stop() is called; false when stopping.
bool Connection::pause(long ms) {
  std::unique_lock<std::mutex> lock(mutex_);
  wake_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping_.load(); });
  return !stopping_;
}

void Connection::on_connect(mosquitto* /*client*/, void* self, int code) {
  auto* connection = static_cast<Connection*>(self);
  if (code != 0) {
    connection->refusal_ = std::string("the broker refused the connection: ") + mosquitto_connack_string(code);
    return;
  }
  connection->backoff_ms_ = kFirstRetryMs;
  connection->connected_ = true;
  connection->listener_.on_connected();
}

void Connection::on_disconnect(mosquitto* /*client*/, void* self, int /*code*/) {
  auto* connection = static_cast<Connection*>(self);
  // pump() sees the end of the connection; on a clean stop the thread just ends.
  if (connection->stopping_) connection->connected_ = false;
}

void Connection::on_message(mosquitto* /*client*/, void* self, const mosquitto_message* message) {
  auto* connection = static_cast<Connection*>(self);
  ++connection->messages_read_;
  const std::string_view payload(static_cast<const char*>(message->payload),
                                 static_cast<std::size_t>(message->payloadlen));
  connection->listener_.on_message(message->topic, payload, message->retain);
}

bool Connection::publish(const Publish& message) {
  if (!connected_) return false;
  const int code = mosquitto_publish(client_, nullptr, message.topic.c_str(), static_cast<int>(message.payload.size()),
                                     message.payload.data(), message.qos, message.retain);
  return code == MOSQ_ERR_SUCCESS;
}

void Connection::subscribe(const std::string& filter, int qos) {
  if (connected_) mosquitto_subscribe(client_, nullptr, filter.c_str(), qos);
}

void Connection::unsubscribe(const std::string& filter) {
  if (connected_) mosquitto_unsubscribe(client_, nullptr, filter.c_str());
}

}  // namespace er::mqtt

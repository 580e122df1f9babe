#include "connection.h"

#include <mosquitto.h>
#include <mqtt_protocol.h>

#include <stdexcept>
#include <utility>

#include "output.h"

namespace er::fake_devices {
namespace {

constexpr int kKeepAliveS = 30;  // Tasmota's default MqttKeepAlive.
constexpr int kQos = 1;

Connection& self_of(void* self) {
  return *static_cast<Connection*>(self);
}

}  // namespace

Connection::Connection(const BrokerAddress& broker, std::string client_id, std::optional<Will> will)
    : broker_(broker), client_id_(std::move(client_id)) {
  client_ = mosquitto_new(client_id_.c_str(), true, this);
  if (client_ == nullptr) throw std::runtime_error("mosquitto_new failed");
  // MQTT 5 for drop(): a disconnect that asks the broker to publish the will.
  mosquitto_int_option(client_, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
  if (!broker_.username.empty()) {
    mosquitto_username_pw_set(client_, broker_.username.c_str(),
                              broker_.password.empty() ? nullptr : broker_.password.c_str());
  }
  if (will) {
    mosquitto_will_set(client_, will->topic.c_str(), static_cast<int>(will->payload.size()),
                       will->payload.data(), kQos, true);
  }
  // Reconnect soon after a broker restart: the tests wait for it.
  mosquitto_reconnect_delay_set(client_, 1, 4, true);
  mosquitto_connect_callback_set(client_, &Connection::on_connect);
  mosquitto_disconnect_callback_set(client_, &Connection::on_disconnect);
  mosquitto_publish_callback_set(client_, &Connection::on_acknowledged);
  mosquitto_subscribe_callback_set(client_, &Connection::on_subscribed);
  mosquitto_message_callback_set(client_, &Connection::on_message);
}

Connection::~Connection() {
  close(Clock::now());
  mosquitto_destroy(client_);
}

void Connection::set_handlers(OnConnect on_connect, OnMessage on_message) {
  on_connect_ = std::move(on_connect);
  on_message_ = std::move(on_message);
}

void Connection::start() {
  // A broker that is not there yet is no error: the network thread keeps trying, as a
  // device does.
  mosquitto_connect_async(client_, broker_.host.c_str(), broker_.port, kKeepAliveS);
  mosquitto_loop_start(client_);
  std::lock_guard lock(mutex_);
  running_ = true;
}

void Connection::subscribe(const std::string& filter) {
  int mid = 0;
  const int result = mosquitto_subscribe(client_, &mid, filter.c_str(), kQos);
  if (result != MOSQ_ERR_SUCCESS) {
    complain(client_id_ + ": cannot subscribe to " + filter + ": " + mosquitto_strerror(result));
    return;
  }
  await(mid);
}

void Connection::publish(const std::string& topic, const std::string& payload, bool retain) {
  say(topic + " <- " + payload);
  int mid = 0;
  const int result = mosquitto_publish(
      client_, &mid, topic.c_str(), static_cast<int>(payload.size()), payload.data(), kQos, retain);
  if (result != MOSQ_ERR_SUCCESS) {
    complain(client_id_ + ": cannot publish to " + topic + ": " + mosquitto_strerror(result));
    return;
  }
  await(mid);
}

bool Connection::wait_settled(Clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  return changed_.wait_until(lock, deadline,
                             [this] { return connected_ && unacknowledged_.empty(); });
}

void Connection::drop() {
  mosquitto_disconnect_v5(client_, MQTT_RC_DISCONNECT_WITH_WILL_MSG, nullptr);
  mosquitto_loop_stop(client_, false);
  std::lock_guard lock(mutex_);
  running_ = false;
  connected_ = false;
}

void Connection::resume() {
  mosquitto_reconnect_async(client_);
  mosquitto_loop_start(client_);
  std::lock_guard lock(mutex_);
  running_ = true;
}

void Connection::close(Clock::time_point deadline) {
  {
    std::lock_guard lock(mutex_);
    if (!running_) return;
  }
  wait_settled(deadline);
  mosquitto_disconnect(client_);
  mosquitto_loop_stop(client_, false);
  std::lock_guard lock(mutex_);
  running_ = false;
  connected_ = false;
}

void Connection::await(int mid) {
  std::lock_guard lock(mutex_);
  // The network thread may have seen the acknowledgement before we got the id.
  if (early_.erase(mid) == 0) unacknowledged_.insert(mid);
}

void Connection::acknowledge(int mid) {
  std::lock_guard lock(mutex_);
  if (unacknowledged_.erase(mid) == 0) early_.insert(mid);
  changed_.notify_all();
}

void Connection::on_connect(mosquitto* /*client*/, void* self, int result) {
  Connection& connection = self_of(self);
  if (result != 0) {
    complain(connection.client_id_ +
             ": the broker refused the connection: " + mosquitto_reason_string(result));
    return;
  }
  {
    // Acknowledgements of the last connection's subscriptions never come: forget them.
    std::lock_guard lock(connection.mutex_);
    connection.unacknowledged_.clear();
    connection.early_.clear();
  }
  // The handler's publishes are recorded before the connection counts as settled.
  if (connection.on_connect_) connection.on_connect_();
  std::lock_guard lock(connection.mutex_);
  connection.connected_ = true;
  connection.changed_.notify_all();
}

void Connection::on_disconnect(mosquitto* /*client*/, void* self, int /*result*/) {
  Connection& connection = self_of(self);
  std::lock_guard lock(connection.mutex_);
  connection.connected_ = false;
  connection.changed_.notify_all();
}

void Connection::on_acknowledged(mosquitto* /*client*/, void* self, int mid) {
  self_of(self).acknowledge(mid);
}

void Connection::on_subscribed(mosquitto* /*client*/, void* self, int mid, int /*count*/,
                               const int* /*granted*/) {
  self_of(self).acknowledge(mid);
}

void Connection::on_message(mosquitto* /*client*/, void* self, const mosquitto_message* message) {
  Connection& connection = self_of(self);
  std::string payload;
  if (message->payloadlen > 0) {
    payload.assign(static_cast<const char*>(message->payload),
                   static_cast<std::size_t>(message->payloadlen));
  }
  say(std::string(message->topic) + " -> " + payload);
  if (connection.on_message_) connection.on_message_(message->topic, payload);
}

}  // namespace er::fake_devices

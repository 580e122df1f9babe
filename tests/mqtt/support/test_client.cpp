#include "mqtt/support/test_client.h"

#include <mosquitto.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <utility>

#include "mqtt/support/broker.h"
#include "support/process.h"

namespace er::mqtt_test {
namespace {

using test_support::fail;

void init_library_once() {
  static const int initialised = mosquitto_lib_init();
  (void)initialised;
}

std::string unique_client_id() {
  static std::atomic<int> counter{0};
  return "er-test-" + std::to_string(getpid()) + "-" + std::to_string(++counter);
}

bool topic_matches(std::string_view filter, const std::string& topic) {
  bool matches = false;
  mosquitto_topic_matches_sub(std::string(filter).c_str(), topic.c_str(), &matches);
  return matches;
}

TestClient& self_of(void* self) {
  return *static_cast<TestClient*>(self);
}

ClientOptions with_broker_login(const TestBroker& broker, ClientOptions options) {
  if (options.username.empty()) {
    options.username = broker.options().username;
    options.password = broker.options().password;
  }
  return options;
}

}  // namespace

bool any_payload(std::string_view /*payload*/) {
  return true;
}

TestClient::TestClient(const TestBroker& broker, ClientOptions options, Millis timeout)
    : TestClient(TestBroker::host(), broker.port(), with_broker_login(broker, std::move(options)),
                 timeout) {}

TestClient::TestClient(std::string host, int port, ClientOptions options, Millis timeout)
    : options_(std::move(options)) {
  init_library_once();
  if (options_.client_id.empty()) options_.client_id = unique_client_id();
  client_ = mosquitto_new(options_.client_id.c_str(), true, this);
  if (client_ == nullptr) fail("mosquitto_new failed");
  mosquitto_connect_callback_set(client_, &TestClient::on_connect);
  mosquitto_disconnect_callback_set(client_, &TestClient::on_disconnect);
  mosquitto_publish_callback_set(client_, &TestClient::on_publish);
  mosquitto_subscribe_callback_set(client_, &TestClient::on_subscribe);
  mosquitto_unsubscribe_callback_set(client_, &TestClient::on_unsubscribe);
  mosquitto_message_callback_set(client_, &TestClient::on_message);
  try {
    connect(host, port, timeout);
  } catch (...) {
    disconnect();
    mosquitto_destroy(client_);
    throw;
  }
}

TestClient::~TestClient() {
  disconnect();
  mosquitto_destroy(client_);
}

void TestClient::connect(const std::string& host, int port, Millis timeout) {
  if (!options_.username.empty()) {
    mosquitto_username_pw_set(client_, options_.username.c_str(),
                              options_.password.empty() ? nullptr : options_.password.c_str());
  }
  if (options_.will) {
    const Message& will = *options_.will;
    mosquitto_will_set(client_, will.topic.c_str(), static_cast<int>(will.payload.size()),
                       will.payload.data(), will.qos, will.retained);
  }
  mosquitto_reconnect_delay_set(client_, 1, 2, false);
  const int result = mosquitto_connect(client_, host.c_str(), port, options_.keepalive_s);
  if (result != MOSQ_ERR_SUCCESS) {
    fail("cannot connect to " + host + ":" + std::to_string(port) + ": " +
         mosquitto_strerror(result));
  }
  mosquitto_loop_start(client_);
  std::unique_lock lock(mutex_);
  wait_until(
      lock, timeout, [this] { return connected_ || refused_ != 0; }, "the CONNACK");
  if (refused_ != 0) {
    fail(std::string("the broker refused the client: ") + mosquitto_connack_string(refused_));
  }
}

void TestClient::cut_connection() {
  const int socket = mosquitto_socket(client_);
  if (socket < 0) fail(options_.client_id + " has no connection to cut");
  shutdown(socket, SHUT_RDWR);
}

void TestClient::disconnect() {
  if (client_ == nullptr) return;
  mosquitto_disconnect(client_);
  mosquitto_loop_stop(client_, false);
  std::lock_guard lock(mutex_);
  connected_ = false;
}

void TestClient::publish(const std::string& topic, const std::string& payload, int qos, bool retain,
                         Millis timeout) {
  int mid = 0;
  const int result = mosquitto_publish(
      client_, &mid, topic.c_str(), static_cast<int>(payload.size()), payload.data(), qos, retain);
  if (result != MOSQ_ERR_SUCCESS) fail("publish to " + topic + ": " + mosquitto_strerror(result));
  wait_for_mid(mid, timeout, "the publish to " + topic);
}

void TestClient::publish_all(const std::vector<Message>& messages, Millis timeout) {
  std::vector<int> mids;
  mids.reserve(messages.size());
  for (const Message& message : messages) {
    int mid = 0;
    const int result = mosquitto_publish(client_, &mid, message.topic.c_str(),
                                         static_cast<int>(message.payload.size()),
                                         message.payload.data(), message.qos, message.retained);
    if (result != MOSQ_ERR_SUCCESS) {
      fail("publish to " + message.topic + ": " + mosquitto_strerror(result));
    }
    mids.push_back(mid);
  }
  std::unique_lock lock(mutex_);
  const auto all_done = [&] {
    return std::all_of(mids.begin(), mids.end(), [&](int mid) { return completed_.contains(mid); });
  };
  wait_until(lock, timeout, all_done, std::to_string(mids.size()) + " publishes");
  for (const int mid : mids) completed_.erase(mid);
}

void TestClient::subscribe(const std::string& filter, int qos, Millis timeout) {
  {
    std::lock_guard lock(mutex_);
    filters_.emplace_back(filter, qos);
  }
  int mid = 0;
  const int result = mosquitto_subscribe(client_, &mid, filter.c_str(), qos);
  if (result != MOSQ_ERR_SUCCESS) fail("subscribe " + filter + ": " + mosquitto_strerror(result));
  wait_for_mid(mid, timeout, "the SUBACK for " + filter);
  std::lock_guard lock(mutex_);
  if (refused_subscriptions_.erase(mid) > 0) fail("the broker refused the subscription " + filter);
}

void TestClient::unsubscribe(const std::string& filter, Millis timeout) {
  {
    std::lock_guard lock(mutex_);
    std::erase_if(filters_, [&](const auto& entry) { return entry.first == filter; });
  }
  int mid = 0;
  const int result = mosquitto_unsubscribe(client_, &mid, filter.c_str());
  if (result != MOSQ_ERR_SUCCESS) fail("unsubscribe " + filter + ": " + mosquitto_strerror(result));
  wait_for_mid(mid, timeout, "the UNSUBACK for " + filter);
}

Message TestClient::wait_for(std::string_view filter, const PayloadMatch& matches, Millis timeout,
                             std::size_t since) {
  std::unique_lock lock(mutex_);
  std::size_t next = since;
  std::optional<Message> found;
  const auto look = [&] {
    for (; next < messages_.size() && !found; ++next) {
      const Message& message = messages_[next];
      if (topic_matches(filter, message.topic) && matches(message.payload)) found = message;
    }
    return found.has_value();
  };
  wait_until(lock, timeout, look, "a message on " + std::string(filter));
  return *found;
}

void TestClient::wait_for_count(std::string_view filter, std::size_t count, Millis timeout,
                                std::size_t since) {
  std::unique_lock lock(mutex_);
  std::size_t next = since;
  std::size_t found = 0;
  const auto enough = [&] {
    for (; next < messages_.size(); ++next) {
      if (topic_matches(filter, messages_[next].topic)) ++found;
    }
    return found >= count;
  };
  wait_until(lock, timeout, enough, std::to_string(count) + " messages on " + std::string(filter));
}

bool TestClient::stays_quiet(std::string_view filter, Millis period, std::size_t since,
                             const PayloadMatch& matches) {
  try {
    wait_for(filter, matches, period, since);
    return false;
  } catch (const test_support::Failure&) {
    return true;
  }
}

std::size_t TestClient::received() const {
  std::lock_guard lock(mutex_);
  return messages_.size();
}

std::vector<Message> TestClient::messages() const {
  std::lock_guard lock(mutex_);
  return messages_;
}

bool TestClient::connected() const {
  std::lock_guard lock(mutex_);
  return connected_;
}

void TestClient::wait_connected(Millis timeout) {
  std::unique_lock lock(mutex_);
  const auto renewed = [this] {
    if (!connected_) return false;
    for (const int mid : renewing_) {
      if (!completed_.contains(mid)) return false;
    }
    return true;
  };
  wait_until(lock, timeout, renewed, "the reconnection");
}

void TestClient::wait_until(std::unique_lock<std::mutex>& lock, Millis timeout,
                            const std::function<bool()>& done, const std::string& what) {
  if (changed_.wait_for(lock, timeout, done)) return;
  fail(options_.client_id + ": no " + what + " within " + std::to_string(timeout.count()) +
       " ms; received so far:\n" + summary_of_messages());
}

void TestClient::wait_for_mid(int mid, Millis timeout, const std::string& what) {
  std::unique_lock lock(mutex_);
  wait_until(
      lock, timeout, [&] { return completed_.contains(mid); }, what);
  completed_.erase(mid);
}

std::string TestClient::summary_of_messages() const {
  constexpr std::size_t kShown = 30;
  std::string summary;
  const std::size_t first = messages_.size() > kShown ? messages_.size() - kShown : 0;
  if (first > 0) summary += "  (" + std::to_string(first) + " earlier messages)\n";
  for (std::size_t index = first; index < messages_.size(); ++index) {
    const Message& message = messages_[index];
    summary += "  " + message.topic + " " + test_support::tail(message.payload, 200) +
               (message.retained ? " (retained)\n" : "\n");
  }
  return summary.empty() ? "  nothing\n" : summary;
}

void TestClient::on_connect(mosquitto* client, void* self, int result) {
  TestClient& test_client = self_of(self);
  std::lock_guard lock(test_client.mutex_);
  if (result != 0) {
    test_client.refused_ = result;
  } else {
    test_client.connected_ = true;
    // A clean session forgot the subscriptions: take them out again.
    test_client.renewing_.clear();
    for (const auto& [filter, qos] : test_client.filters_) {
      int mid = 0;
      if (mosquitto_subscribe(client, &mid, filter.c_str(), qos) == MOSQ_ERR_SUCCESS) {
        test_client.renewing_.push_back(mid);
      }
    }
  }
  test_client.changed_.notify_all();
}

void TestClient::on_disconnect(mosquitto* /*client*/, void* self, int /*result*/) {
  TestClient& test_client = self_of(self);
  std::lock_guard lock(test_client.mutex_);
  test_client.connected_ = false;
  test_client.changed_.notify_all();
}

void TestClient::complete(void* self, int mid, bool refused) {
  TestClient& test_client = self_of(self);
  std::lock_guard lock(test_client.mutex_);
  test_client.completed_.insert(mid);
  if (refused) test_client.refused_subscriptions_.insert(mid);
  test_client.changed_.notify_all();
}

void TestClient::on_publish(mosquitto* /*client*/, void* self, int mid) {
  complete(self, mid, false);
}

void TestClient::on_subscribe(mosquitto* /*client*/, void* self, int mid, int count,
                              const int* granted) {
  // A granted QoS of 0x80 is the broker's refusal (a filter it does not accept).
  complete(self, mid, count > 0 && granted[0] >= 0x80);
}

void TestClient::on_unsubscribe(mosquitto* /*client*/, void* self, int mid) {
  complete(self, mid, false);
}

void TestClient::on_message(mosquitto* /*client*/, void* self, const mosquitto_message* message) {
  TestClient& test_client = self_of(self);
  Message received;
  received.topic = message->topic;
  if (message->payloadlen > 0) {
    received.payload.assign(static_cast<const char*>(message->payload),
                            static_cast<std::size_t>(message->payloadlen));
  }
  received.qos = message->qos;
  received.retained = message->retain;
  received.received_at = std::chrono::steady_clock::now();
  std::lock_guard lock(test_client.mutex_);
  test_client.messages_.push_back(std::move(received));
  test_client.changed_.notify_all();
}

}  // namespace er::mqtt_test

#include "mqtt/support/round_trip.h"

#include <mosquitto.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>
#include <vector>

#include "mqtt/support/broker.h"
#include "support/process.h"

namespace er::mqtt_test {
namespace {

using Clock = std::chrono::steady_clock;
using test_support::fail;

constexpr std::size_t kWarmUp = 20;
constexpr auto kStepTimeout = std::chrono::seconds(5);

/// What the callbacks of one client saw; both clients run on the measuring thread.
struct Probe {
  bool connected = false;
  bool subscribed = false;
  bool acknowledged = false;  ///< The publisher's last QoS 1 message got its PUBACK.
  std::string expected;       ///< The payload the subscriber waits for.
  bool received = false;
  Clock::time_point received_at;
};

Probe& probe_of(void* probe) {
  return *static_cast<Probe*>(probe);
}

void set_callbacks(mosquitto* client) {
  mosquitto_connect_callback_set(
      client, [](mosquitto*, void* probe, int result) { probe_of(probe).connected = result == 0; });
  mosquitto_subscribe_callback_set(client, [](mosquitto*, void* probe, int, int, const int*) {
    probe_of(probe).subscribed = true;
  });
  mosquitto_publish_callback_set(
      client, [](mosquitto*, void* probe, int) { probe_of(probe).acknowledged = true; });
  mosquitto_message_callback_set(
      client, [](mosquitto*, void* data, const mosquitto_message* message) {
        Probe& probe = probe_of(data);
        const std::string payload(static_cast<const char*>(message->payload),
                                  static_cast<std::size_t>(message->payloadlen));
        if (payload != probe.expected) return;
        probe.received = true;
        probe.received_at = Clock::now();
      });
}

/// Runs the client's network loop until `done` holds, failing after kStepTimeout.
void loop_until(mosquitto* client, const bool& done, const char* what) {
  const auto deadline = Clock::now() + kStepTimeout;
  while (!done) {
    if (Clock::now() > deadline) fail(std::string("round trip: no ") + what + " within 5 s");
    const int result = mosquitto_loop(client, 100, 1);
    if (result != MOSQ_ERR_SUCCESS) fail(std::string("round trip: ") + mosquitto_strerror(result));
  }
}

/// A client owning its libmosquitto handle, connected to the broker.
class LoopClient {
 public:
  LoopClient(const TestBroker& broker, const std::string& id) {
    client_ = mosquitto_new(id.c_str(), true, &probe);
    if (client_ == nullptr) fail("mosquitto_new failed");
    set_callbacks(client_);
    if (!broker.options().username.empty()) {
      mosquitto_username_pw_set(client_, broker.options().username.c_str(),
                                broker.options().password.c_str());
    }
    if (mosquitto_connect(client_, TestBroker::host().c_str(), broker.port(), 10) !=
        MOSQ_ERR_SUCCESS) {
      mosquitto_destroy(client_);
      fail("round trip: cannot connect to " + broker.url());
    }
    loop_until(client_, probe.connected, "CONNACK");
  }
  ~LoopClient() {
    mosquitto_disconnect(client_);
    mosquitto_destroy(client_);
  }
  LoopClient(const LoopClient&) = delete;
  LoopClient& operator=(const LoopClient&) = delete;

  mosquitto* get() const { return client_; }
  Probe probe;

 private:
  mosquitto* client_ = nullptr;
};

/// One publish -> receive of `path`'s sample `sequence`, in microseconds.
double one_round_trip(LoopClient& publisher, LoopClient& subscriber, const MessagePath& path,
                      std::size_t sequence, int qos) {
  subscriber.probe.expected = path.expected(sequence);
  subscriber.probe.received = false;
  publisher.probe.acknowledged = false;
  const std::string payload = path.payload(sequence);
  const auto sent_at = Clock::now();
  if (mosquitto_publish(publisher.get(), nullptr, path.publish_topic.c_str(), static_cast<int>(payload.size()),
                        payload.data(), qos, false) != MOSQ_ERR_SUCCESS) {
    fail("round trip: publish failed");
  }
  loop_until(subscriber.get(), subscriber.probe.received, "message");
  const auto took = subscriber.probe.received_at - sent_at;
  // Acknowledgements are not timed, but must be done before the next sample.
  mosquitto_loop(subscriber.get(), 0, 1);
  if (qos > 0) loop_until(publisher.get(), publisher.probe.acknowledged, "PUBACK");
  return std::chrono::duration<double, std::micro>(took).count();
}

/// The nearest-rank percentile of sorted values.
double percentile(const std::vector<double>& sorted, double percent) {
  const double rank = std::ceil(percent / 100.0 * static_cast<double>(sorted.size()));
  const std::size_t index = rank < 1 ? 0 : static_cast<std::size_t>(rank) - 1;
  return sorted[std::min(index, sorted.size() - 1)];
}

}  // namespace

RoundTrip measure_path(const TestBroker& broker, std::size_t samples, int qos, const MessagePath& path) {
  mosquitto_lib_init();
  const std::string id = "er-round-trip-" + std::to_string(getpid());
  LoopClient subscriber(broker, id + "-sub");
  LoopClient publisher(broker, id + "-pub");
  if (mosquitto_subscribe(subscriber.get(), nullptr, path.receive_filter.c_str(), qos) != MOSQ_ERR_SUCCESS) {
    fail("round trip: subscribe failed");
  }
  loop_until(subscriber.get(), subscriber.probe.subscribed, "SUBACK");

  std::vector<double> times;
  for (std::size_t sequence = 0; sequence < kWarmUp + samples; ++sequence) {
    const double took = one_round_trip(publisher, subscriber, path, sequence, qos);
    if (sequence >= kWarmUp) times.push_back(took);
  }
  std::sort(times.begin(), times.end());
  RoundTrip result;
  result.qos = qos;
  result.samples = samples;
  if (!times.empty()) {
    result.p50_us = percentile(times, 50);
    result.p99_us = percentile(times, 99);
  }
  return result;
}

RoundTrip measure_round_trip(const TestBroker& broker, std::size_t samples, int qos) {
  const std::string topic = "er/round-trip/" + std::to_string(getpid());
  const auto sample = [](std::size_t n) { return "sample " + std::to_string(n); };
  return measure_path(broker, samples, qos, MessagePath{topic, sample, topic, sample});
}

}  // namespace er::mqtt_test

#pragma once
// The broker's own publish -> subscriber round trip on loopback: the baseline of the
// latency benchmark, which compares the engine's added cost against it.

#include <cstddef>
#include <functional>
#include <string>

namespace er::mqtt_test {

class TestBroker;

struct RoundTrip {
  int qos = 0;
  std::size_t samples = 0;
  double p50_us = 0;  ///< Median, in microseconds.
  double p99_us = 0;  ///< 99th percentile (nearest rank), in microseconds.
};

/// Publishes `samples` messages at `qos` (0 or 1) from one client to a second one
/// subscribed at the same QoS, one message in flight at a time after a short warm-up,
/// and times each from the publish call to the subscriber's message callback. Both
/// clients run on the calling thread (no network thread), so the figure is the broker
/// and the loopback, not a thread hand-over. Throws test_support::Failure when a
/// message does not arrive within 5 s.
RoundTrip measure_round_trip(const TestBroker& broker, std::size_t samples, int qos);

/// A message path through something between two clients (the engine: a sensor's
/// message in, a rule's command out).
struct MessagePath {
  std::string publish_topic;                          ///< Where sample n is published.
  std::function<std::string(std::size_t)> payload;    ///< What sample n publishes.
  std::string receive_filter;                         ///< What the subscriber listens to.
  std::function<std::string(std::size_t)> expected;   ///< The payload that ends sample n.
};

/// As measure_round_trip, through `path`: from the publish of sample n to the arrival
/// of its expected payload.
RoundTrip measure_path(const TestBroker& broker, std::size_t samples, int qos, const MessagePath& path);

}  // namespace er::mqtt_test

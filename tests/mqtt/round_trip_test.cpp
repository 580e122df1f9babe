// The broker's own round trip (the latency benchmark's baseline) at QoS 0 and 1.

#include "mqtt/support/round_trip.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "mqtt/support/broker.h"

namespace er::mqtt_test {
namespace {

TEST(round_trip, measures_percentiles_at_qos_0_and_1) {
  TestBroker broker;
  for (const int qos : {0, 1}) {
    const RoundTrip trip = measure_round_trip(broker, 200, qos);
    std::printf("broker round trip, QoS %d: p50 %.0f us, p99 %.0f us (%zu samples)\n", trip.qos,
                trip.p50_us, trip.p99_us, trip.samples);
    EXPECT_EQ(trip.samples, 200U);
    EXPECT_GT(trip.p50_us, 0);
    EXPECT_GE(trip.p99_us, trip.p50_us);
    EXPECT_LT(trip.p50_us, 1'000'000) << "a loopback round trip takes well under a second";
  }
}

}  // namespace
}  // namespace er::mqtt_test

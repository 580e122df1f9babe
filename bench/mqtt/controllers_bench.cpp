// controllers_bench: rules across controllers (docs/multi-controller.md), measured from
// the outside. Two `eventrunner run` processes, east and west. Prints one line per
// figure:
//
//   C0 broker round trip       publish -> subscriber through mosquitto alone (baseline)
//   C1 publish -> remote rule  bench/ping at east -> rule -> publish(#ping) -> rule on
//                              west -> bench/pong, one broker on loopback
//   C2 the same through a bridge: east and west on brokers of their own, bridged
//   C3 throughput              100,000 events published by one rule run on east until
//                              west's rule has seen the last: events/s
//
// Targets (issue #15): C1 p99 under 5 ms, C3 at least 20,000 events/s. C1 and C2
// include the test client's two hops to and from the engines.
// Environment: CONTROLLERS_BENCH_SAMPLES (default 2000) for C0-C2.

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "mqtt/engine/engine_run.h"
#include "mqtt/support/broker.h"
#include "mqtt/support/payload.h"
#include "mqtt/support/round_trip.h"
#include "mqtt/support/test_client.h"

namespace er::mqtt_test {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kFlood = 100'000;

std::size_t samples_from_environment() {
  const char* text = std::getenv("CONTROLLERS_BENCH_SAMPLES");
  return text != nullptr ? static_cast<std::size_t>(std::strtoul(text, nullptr, 10)) : 2'000;
}

std::string home_of(const std::string& name, const TestBroker& broker) {
  return "return {controller = '" + name + "', mqtt = {broker = '" + broker.url() + "', base_topic = 'er'}}\n";
}

// East turns bench/ping into #ping for the subscribers and, told by bench/flood, sends
// kFlood #tick events from one rule run (which yields every 1,000: a run may compute
// for 1 s at most without waiting, docs/limits.md).
const std::string kEastRules =
    "#mqtt{topic = 'bench/ping', payload = '$p'} => publish(#ping{n = p})\n"
    "#mqtt{topic = 'bench/flood'} => for i = 1, " + std::to_string(kFlood) +
    " do publish(#tick{n = i}); if i % 1000 == 0 then wait(0) end end\n";

// West answers each #ping on bench/pong and says when the last #tick came.
const std::string kWestRules =
    "subscribe(#ping)\nsubscribe(#tick)\n"
    "#ping{n = '$n'} => mqtt.publish('bench/pong', n, {qos = 0})\n"
    "#tick{n = " + std::to_string(kFlood) + "} => mqtt.publish('bench/flooded', 'done', {qos = 1})\n";

// Publishes bench/ping until west answers: both engines and their subscriptions (and
// the bridge, if any) are in place.
void wait_ready(TestClient& client) {
  client.subscribe("bench/pong");
  for (int attempt = 0; attempt < 200; ++attempt) {
    const std::size_t since = client.received();
    client.publish("bench/ping", "ready");
    if (!client.stays_quiet("bench/pong", Millis(100), since)) return;
  }
  test_support::fail("west never answered bench/ping");
}

void print(const char* tag, const char* what, const RoundTrip& r) {
  std::printf("%s %-34s qos=%d samples=%zu p50_us=%.0f p99_us=%.0f\n", tag, what, r.qos, r.samples, r.p50_us,
              r.p99_us);
  std::fflush(stdout);
}

RoundTrip ping_pong(const TestBroker& broker, std::size_t samples) {
  const MessagePath path{"bench/ping", [](std::size_t n) { return std::to_string(n); }, "bench/pong",
                         [](std::size_t n) { return std::to_string(n); }};
  return measure_path(broker, samples, 0, path);
}

// C3: the time from bench/flood to west's bench/flooded.
void throughput(const TestBroker& broker) {
  TestClient client(broker);
  client.subscribe("bench/flooded", 1);
  const auto start = Clock::now();
  client.publish("bench/flood", "go", 1);
  client.wait_for("bench/flooded", is("done"), Millis(300'000));
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("C3 throughput east -> west               events=%d seconds=%.2f events_per_s=%.0f\n", kFlood,
              seconds, kFlood / seconds);
  std::fflush(stdout);
}

// East on `east_broker` and west on `west_broker` (the same one, or bridged), running,
// with west answering pings.
struct TwoControllers {
  TwoControllers(const TestBroker& east_broker, const TestBroker& west_broker)
      : east_home(home_of("east", east_broker), kEastRules),
        west_home(home_of("west", west_broker), kWestRules),
        east(east_home, east_home.folder() / "timeline.log"),
        west(west_home, west_home.folder() / "timeline.log"),
        client(east_broker) {
    wait_ready(client);
  }
  TestHome east_home;
  TestHome west_home;
  EngineRun east;
  EngineRun west;
  TestClient client;
};

void run() {
  const std::size_t samples = samples_from_environment();
  TestBroker broker;
  print("C0", "broker round trip", measure_round_trip(broker, samples, 0));
  {
    const TwoControllers one_broker(broker, broker);
    print("C1", "publish -> remote rule, one broker", ping_pong(broker, samples));
    throughput(broker);
  }
  // West's broker bridges er/# both ways and sends bench/pong back to east's.
  const TestBroker west_broker({}, BrokerBridge{broker.port(), {"er/# both 1", "bench/pong out 0"}});
  const TwoControllers two_brokers(broker, west_broker);
  print("C2", "publish -> remote rule, bridged", ping_pong(broker, samples));
}

}  // namespace
}  // namespace er::mqtt_test

int main() {
  try {
    er::mqtt_test::run();
  } catch (const std::exception& error) {
    std::fprintf(stderr, "controllers_bench: %s\n", error.what());
    return 1;
  }
  return 0;
}

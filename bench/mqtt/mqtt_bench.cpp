// mqtt_bench: EventRunner on a real broker, measured from the outside as a user's
// devices would see it. Prints one line per figure:
//
//   M0 broker round trip     publish -> subscriber through mosquitto alone (baseline)
//   M1 sensor -> command     a Zigbee2MQTT sensor's message -> rule -> the Tasmota
//                            command at a subscriber, 10,000 samples; ratio to M0
//   M2 ingest                sensor messages/s with 100 rules listening, at paced
//                            rates, with the engine's lag (ping -> rule -> pong)
//   M3 flood                 200,000 messages as fast as they go: messages/s absorbed
//   M4 start-up              10,000 retained topics at connect: process start to the
//                            first answer of a rule
//
// Environment: MQTT_BENCH_SAMPLES (default 10000) for M0/M1.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "mqtt/engine/engine_run.h"
#include "mqtt/support/broker.h"
#include "mqtt/support/payload.h"
#include "mqtt/support/round_trip.h"
#include "mqtt/support/test_client.h"

namespace er::mqtt_test {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kSensors = 100;

std::size_t samples_from_environment() {
  const char* text = std::getenv("MQTT_BENCH_SAMPLES");
  return text != nullptr ? static_cast<std::size_t>(std::strtoul(text, nullptr, 10)) : 10'000;
}

double micros(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

// The home: one motion sensor and one plug for the latency path, 100 temperature
// sensors each with a rule for ingest, and the ping rule that answers on bench/pong.
std::string bench_home(const TestBroker& broker) {
  std::string devices =
      "  {id = 1, name = 'bench_sensor', type = 'binarySensor', mqtt = {zigbee2mqtt = 'bench/sensor'}},\n"
      "  {id = 2, name = 'bench_plug', type = 'binarySwitch', mqtt = {tasmota = 'bench_plug'}},\n";
  for (int i = 0; i < kSensors; ++i) {
    devices += "  {id = " + std::to_string(100 + i) + ", name = 't" + std::to_string(i) +
               "', type = 'multilevelSensor', mqtt = {zigbee2mqtt = 'bench/t" + std::to_string(i) + "'}},\n";
  }
  return "return {mqtt = {broker = '" + broker.url() + "', base_topic = 'bench'}, devices = {\n" + devices + "}}\n";
}

std::string bench_rules() {
  std::string rules =
      "bench_sensor:breached => bench_plug:on\n"
      "bench_sensor:safe => bench_plug:off\n"
      "#mqtt{topic = 'bench/ping', payload = '$p'} => mqtt.publish('bench/pong', p, {qos = 0})\n"
      "#mqtt{topic = 'bulk/#'} => log('bulk')\n";  // M4's retained topics are subscribed to.
  for (int i = 0; i < kSensors; ++i) {
    rules += 't';  // Appended piece by piece: GCC 12 at -O3 misreports "t" + std::string.
    rules += std::to_string(i);
    rules += ":value > 1e12 => log('hot')\n";
  }
  return rules;
}

// Publishes bench/ping until the engine answers: every subscription is in place.
void wait_ready(TestClient& client) {
  client.subscribe("bench/pong");
  for (int attempt = 0; attempt < 100; ++attempt) {
    const std::size_t since = client.received();
    client.publish("bench/ping", "ready");
    if (!client.stays_quiet("bench/pong", Millis(100), since)) return;
  }
  test_support::fail("the engine never answered bench/ping");
}

// With a baseline (the broker's own round trip), the path's time over the baseline's
// (total_*_ratio) and what the engine adds, as a multiple of the baseline:
// (path - baseline) / baseline. The path crosses the broker twice (sensor -> engine,
// engine -> subscriber); only one crossing is subtracted, so the second is counted as
// the engine's.
void print_round_trip(const char* tag, const char* what, const RoundTrip& r, const RoundTrip* baseline) {
  std::printf("%s %-34s qos=%d samples=%zu p50_us=%.0f p99_us=%.0f", tag, what, r.qos, r.samples, r.p50_us, r.p99_us);
  if (baseline != nullptr) {
    std::printf(" total_p50_ratio=%.2f total_p99_ratio=%.2f engine_added_p50_ratio=%.2f engine_added_p99_ratio=%.2f",
                r.p50_us / baseline->p50_us, r.p99_us / baseline->p99_us,
                (r.p50_us - baseline->p50_us) / baseline->p50_us, (r.p99_us - baseline->p99_us) / baseline->p99_us);
  }
  std::printf("\n");
  std::fflush(stdout);
}

// M1: sample n sets the motion sensor's occupancy to (n even); the rule switches the
// plug on or off, and the command arrives at the subscriber.
RoundTrip sensor_to_command(const TestBroker& broker, std::size_t samples) {
  const MessagePath path{
      "zigbee2mqtt/bench/sensor",
      [](std::size_t n) { return std::string(n % 2 == 0 ? R"({"occupancy":true})" : R"({"occupancy":false})"); },
      "cmnd/bench_plug/POWER",
      [](std::size_t n) { return std::string(n % 2 == 0 ? "ON" : "OFF"); }};
  return measure_path(broker, samples, 0, path);
}

struct IngestResult {
  double offered_per_s = 0;
  double max_lag_ms = 0;
  double p50_lag_ms = 0;
};

// Offers `rate` sensor messages/s for `seconds`, with a ping every 100 ms from the same
// client (so it queues behind the sensor messages); the lag is ping -> pong.
IngestResult paced_ingest(TestClient& publisher, TestClient& listener, int rate, double seconds, int& value) {
  constexpr auto kTick = std::chrono::milliseconds(10);
  const int per_tick = std::max(1, rate / 100);
  const auto start = Clock::now();
  const std::size_t pongs_before = listener.received();
  std::vector<Clock::time_point> ping_sent;
  std::size_t offered = 0;
  for (int tick = 0; Clock::now() - start < std::chrono::duration<double>(seconds); ++tick) {
    std::vector<Message> batch;
    for (int i = 0; i < per_tick; ++i, ++value) {
      batch.push_back({"zigbee2mqtt/bench/t" + std::to_string(value % kSensors),
                       "{\"temperature\":" + std::to_string(value) + "}", 0, false});
    }
    if (tick % 10 == 0) {
      batch.push_back({"bench/ping", std::to_string(ping_sent.size()), 0, false});
      ping_sent.push_back(Clock::now());
    }
    publisher.publish_all(batch, Millis(20'000));
    offered += static_cast<std::size_t>(per_tick);
    std::this_thread::sleep_until(start + kTick * (tick + 1));  // Pacing is the workload.
  }
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  listener.wait_for_count("bench/pong", ping_sent.size(), Millis(60'000), pongs_before);
  std::vector<double> lags;
  for (const Message& pong : listener.messages()) {
    if (pong.topic != "bench/pong" || pong.payload == "ready") continue;
    const std::size_t index = std::strtoul(pong.payload.c_str(), nullptr, 10);
    if (index < ping_sent.size() && pong.received_at > ping_sent[index]) {
      lags.push_back(micros(pong.received_at - ping_sent[index]) / 1000.0);
    }
  }
  std::sort(lags.begin(), lags.end());
  IngestResult result;
  result.offered_per_s = static_cast<double>(offered) / elapsed;
  if (!lags.empty()) {
    result.max_lag_ms = lags.back();
    result.p50_lag_ms = lags[lags.size() / 2];
  }
  return result;
}

// M3: as many messages as the publisher can send, then one ping; the time to its pong
// is the time the engine took to absorb them all.
void flood(TestClient& publisher, TestClient& listener, int& value) {
  constexpr int kMessages = 200'000;
  std::vector<Message> batch;
  for (int i = 0; i < kMessages; ++i, ++value) {
    batch.push_back({"zigbee2mqtt/bench/t" + std::to_string(value % kSensors),
                     "{\"temperature\":" + std::to_string(value) + "}", 0, false});
  }
  batch.push_back({"bench/ping", "flood", 0, false});
  const std::size_t since = listener.received();
  const auto start = Clock::now();
  publisher.publish_all(batch, Millis(120'000));
  const Message pong = listener.wait_for("bench/pong", is("flood"), Millis(120'000), since);
  const double seconds = std::chrono::duration<double>(pong.received_at - start).count();
  std::printf("M3 flood                               messages=%d seconds=%.2f absorbed_per_s=%.0f\n", kMessages,
              seconds, kMessages / seconds);
  std::fflush(stdout);
}

// M4: 10,000 retained topics wait at the broker; the engine starts, and the time to the
// first answer of its ping rule is its start-up.
void start_up(const TestBroker& broker, const TestHome& home) {
  TestClient loader(broker);
  std::vector<Message> retained;
  for (int i = 0; i < 10'000; ++i) retained.push_back({"bulk/" + std::to_string(i), "{\"n\":1}", 1, true});
  for (int i = 0; i < kSensors; ++i) {
    retained.push_back({"zigbee2mqtt/bench/t" + std::to_string(i), "{\"temperature\":20}", 1, true});
  }
  loader.publish_all(retained, Millis(60'000));
  const auto start = Clock::now();
  EngineRun engine(home, home.folder() / "start-up.log");
  TestClient client(broker);
  wait_ready(client);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("M4 start-up with 10100 retained topics seconds=%.2f\n", seconds);
  std::fflush(stdout);
}

void run() {
  const std::size_t samples = samples_from_environment();
  TestBroker broker;
  const RoundTrip baseline = measure_round_trip(broker, samples, 0);
  print_round_trip("M0", "broker round trip", baseline, nullptr);

  TestHome home(bench_home(broker), bench_rules());
  const fs::path timeline = home.folder() / "timeline.log";
  {
    EngineRun engine(home, timeline);
    TestClient publisher(broker);
    TestClient listener(broker);
    wait_ready(listener);
    print_round_trip("M1", "sensor -> rule -> command", sensor_to_command(broker, samples), &baseline);
    int value = 0;
    for (const int rate : {10'000, 25'000, 50'000, 75'000, 100'000}) {
      const IngestResult r = paced_ingest(publisher, listener, rate, 3.0, value);
      std::printf("M2 ingest, 100 rules listening          offered_per_s=%.0f lag_p50_ms=%.1f lag_max_ms=%.1f\n",
                  r.offered_per_s, r.p50_lag_ms, r.max_lag_ms);
      std::fflush(stdout);
    }
    flood(publisher, listener, value);
  }
  start_up(broker, home);
}

}  // namespace
}  // namespace er::mqtt_test

int main() {
  try {
    er::mqtt_test::run();
  } catch (const std::exception& error) {
    std::fprintf(stderr, "mqtt_bench: %s\n", error.what());
    return 1;
  }
  return 0;
}

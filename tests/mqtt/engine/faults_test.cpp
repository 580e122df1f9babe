// What the network does to a running engine: a broker that is not there yet, one that
// dies and comes back, bad payloads, a flood of retained topics, a wrong password. The
// engine keeps running its rules through all of it.

#include <gtest/gtest.h>

#include "engine_run.h"
#include "mqtt/support/broker.h"
#include "mqtt/support/fake_devices.h"
#include "mqtt/support/payload.h"
#include "mqtt/support/test_client.h"

namespace er::mqtt_test {
namespace {

std::string home_with(const TestBroker& broker, const std::string& extra = "") {
  return "return {mqtt = {broker = '" + broker.url() + "'" + extra + "}, devices = {\n"
         "  {id = 11, name = 'hall_motion', type = 'binarySensor', mqtt = {zigbee2mqtt = 'hall/motion'}},\n"
         "  {id = 33, name = 'coffee_maker', type = 'binarySwitch', mqtt = {tasmota = 'coffee'}},\n"
         "}}\n";
}

constexpr const char* kTick = "@@00:00:01 => log('tick')\n";

TEST(faults, the_engine_runs_before_the_broker_is_up_and_connects_when_it_is) {
  TestBroker broker;
  broker.stop();
  TestHome home(home_with(broker), kTick);
  EngineRun engine(home);
  engine.wait_for("cannot reach 127.0.0.1");
  const std::size_t ticking = engine.wait_for("tick");
  engine.wait_for("tick", ticking + 1);  // The rules run while the broker is away.
  broker.start();
  engine.wait_for("mqtt: connected", 0, 20'000);
}

TEST(faults, a_broker_restart_is_ridden_out_with_availability_events_both_ways) {
  TestBroker broker;
  FakeDevices fake(broker, {"--z2m", "hall/motion=motion", "--tasmota", "coffee=plug"});
  TestClient observer(broker);
  TestHome home(home_with(broker),
                "#mqtt{topic = 'test/ping'} => log('pong')\n"
                "coffee_maker:available == false => log('plug unavailable')\n"
                "coffee_maker:available == true => log('plug available')\n"
                "hall_motion:breached => coffee_maker:on\n");
  EngineRun engine(home);
  engine.wait_for("mqtt: connected");
  engine.publish_until(observer, "test/ping", "1", "pong");
  broker.kill();
  const std::size_t lost = engine.wait_for("plug unavailable");
  engine.wait_for("lost", 0);
  broker.start();
  engine.wait_for("mqtt: connected", lost, 20'000);
  engine.wait_for("plug available", lost, 20'000);
  // Commands after the reconnect arrive.
  const std::size_t mark = fake.wait_for_output("fake-devices");
  fake.command("set z2m hall/motion occupancy=true");
  fake.wait_for_output("cmnd/coffee/POWER -> ON", Millis(20'000), mark);
}

TEST(faults, malformed_and_oversized_payloads_are_logged_once_per_topic_and_dropped) {
  TestBroker broker;
  TestClient device(broker);
  TestHome home(home_with(broker), "#mqtt{topic = 'test/ping'} => log('pong')\n"
                                   "hall_motion:breached => log('motion')\n");
  EngineRun engine(home);
  engine.wait_for("mqtt: connected");
  engine.publish_until(device, "test/ping", "1", "pong");
  device.publish("zigbee2mqtt/hall/motion", "{not json", 1);
  device.publish("zigbee2mqtt/hall/motion", std::string(1 << 20, '\x01'), 1);
  device.publish("zigbee2mqtt/hall/motion", R"({"occupancy": "maybe"})", 1);
  device.publish("zigbee2mqtt/hall/motion", R"({"occupancy": true})", 1);
  engine.wait_for("motion");  // The good message after the bad ones still counts.
  EXPECT_EQ(engine.count("zigbee2mqtt/hall/motion:"), 1U) << engine.output();
}

TEST(faults, ten_thousand_retained_topics_at_connect_start_no_rule) {
  TestBroker broker;
  TestClient loader(broker);
  std::vector<Message> retained;
  // QoS 1: publish_all returns once the broker acknowledged (and retained) every one.
  for (int i = 0; i < 10'000; ++i) retained.push_back({"bulk/" + std::to_string(i), "{\"n\":1}", 1, true});
  loader.publish_all(retained, Millis(20'000));
  TestHome home(home_with(broker), "#mqtt{topic = 'bulk/#'} => log('bulk rule ran')\n"
                                   "#mqtt{topic = 'test/ping'} => log('pong')\n");
  EngineRun engine(home);
  engine.wait_for("mqtt: connected");
  engine.publish_until(loader, "test/ping", "1", "pong");
  EXPECT_EQ(engine.count("bulk rule ran"), 0U) << test_support::tail(engine.output());
  loader.publish("bulk/live", "1");
  engine.wait_for("bulk rule ran");
  EXPECT_EQ(engine.count("bulk rule ran"), 1U);
}

TEST(faults, a_wrong_password_is_said_clearly_and_retried_while_rules_run) {
  TestBroker broker({.username = "er", .password = "right", .tls = false});
  TestHome home(home_with(broker, ", username = 'er', password_file = 'mqtt.pass'"), kTick);
  test_support::write_file(home.folder() / "mqtt.pass", "wrong\n");
  EngineRun engine(home);
  engine.wait_for("the broker refused the connection");
  engine.wait_for("not authorised");
  const std::size_t ticking = engine.wait_for("tick");
  engine.wait_for("tick", ticking + 1);
  EXPECT_EQ(engine.output().find("wrong"), std::string::npos) << "the password was logged";
  EXPECT_EQ(engine.count("refused the connection"), 1U);  // Said once, retried quietly.
}

}  // namespace
}  // namespace er::mqtt_test

// fake-devices as a program: a clean stop publishes every offline state, SIGKILL
// leaves the wills to the broker, a restarted broker gets every state again, scripts,
// logins, and a command line that refuses a password argument.

#include "mqtt/support/fake_devices.h"

#include <gtest/gtest.h>

#include <string>

#include "mqtt/support/broker.h"
#include "mqtt/support/payload.h"
#include "mqtt/support/test_client.h"

namespace er::mqtt_test {
namespace {

using namespace test_support;

const std::vector<std::string> kOneOfEach = {"--z2m",       "hall/motion=motion", "--tasmota",
                                             "coffee=plug", "--ha-switch",        "fan"};

/// Waits for the offline state of each family, from `mark` on.
void expect_all_offline(TestClient& observer, std::size_t mark) {
  observer.wait_for("zigbee2mqtt/bridge/state", is(R"({"state":"offline"})"), kDefaultTimeout,
                    mark);
  observer.wait_for("tele/coffee/LWT", is("Offline"), kDefaultTimeout, mark);
  observer.wait_for("fake-devices/fan/status", is("offline"), kDefaultTimeout, mark);
}

void subscribe_to_availability(TestClient& observer) {
  observer.subscribe("zigbee2mqtt/bridge/state");
  observer.subscribe("tele/+/LWT");
  observer.subscribe("fake-devices/+/status");
  observer.wait_for("fake-devices/fan/status", is("online"));
}

TEST(fake_devices, sigterm_publishes_every_offline_state_first) {
  TestBroker broker;
  FakeDevices fake(broker, kOneOfEach);
  TestClient observer(broker);
  subscribe_to_availability(observer);
  const std::size_t mark = observer.received();
  EXPECT_TRUE(exited_with(fake.stop(), 0)) << fake.output();
  expect_all_offline(observer, mark);
}

TEST(fake_devices, sigkill_leaves_the_wills_to_the_broker) {
  TestBroker broker;
  FakeDevices fake(broker, kOneOfEach);
  TestClient observer(broker);
  subscribe_to_availability(observer);
  const std::size_t mark = observer.received();
  fake.kill();
  expect_all_offline(observer, mark);
}

TEST(fake_devices, states_are_published_again_after_a_broker_restart) {
  TestBroker broker;
  FakeDevices fake(broker, kOneOfEach);
  broker.stop();  // Persistence is off: every retained message is gone.
  broker.start();
  TestClient observer(broker);
  observer.subscribe("#");
  observer.wait_for("zigbee2mqtt/bridge/devices", any_payload, Millis(10'000));
  observer.wait_for("zigbee2mqtt/hall/motion", json_has({{"occupancy", false}}), Millis(10'000));
  observer.wait_for("tele/coffee/LWT", is("Online"), Millis(10'000));
  observer.wait_for("homeassistant/switch/fan/config", any_payload, Millis(10'000));
}

TEST(fake_devices, runs_a_script_file) {
  TestBroker broker;
  const fs::path folder = make_temp_dir("er-fake-script");
  write_file(folder / "script",
             "# A comment, then commands.\n"
             "set z2m hall/motion occupancy=true\n"
             "pub raw/topic hello world retain\n"
             "bogus command\n");
  TestClient observer(broker);
  observer.subscribe("#");
  FakeDevices fake(broker,
                   {"--z2m", "hall/motion=motion", "--script", (folder / "script").string()});
  observer.wait_for("zigbee2mqtt/hall/motion", json_has({{"occupancy", true}}));
  observer.wait_for("raw/topic", is("hello world"));
  // The broker kept it: a client that subscribes now gets it as retained. (A client
  // subscribed before the publish gets it live, with the retain flag cleared.)
  TestClient late(broker);
  late.subscribe("raw/topic");
  EXPECT_TRUE(late.wait_for("raw/topic", is("hello world")).retained);
  fake.wait_for_output("fake-devices: line 4: unknown command 'bogus'");
  fs::remove_all(folder);
}

TEST(fake_devices, logs_in_with_the_password_from_the_environment) {
  TestBroker broker({.username = "devices", .password = "not on the command line", .tls = false});
  FakeDevices fake(broker, {"--tasmota", "coffee=plug"});
  TestClient observer(broker);
  observer.subscribe("tele/coffee/LWT");
  observer.wait_for("tele/coffee/LWT", is("Online"));
}

TEST(fake_devices, gives_up_when_the_broker_refuses_the_login) {
  TestBroker broker({.username = "devices", .password = "right", .tls = false});
  const auto [status, output] =
      run({fake_devices_program(), "--broker", broker.url(), "--username", "devices",
           "--connect-timeout", "1", "--tasmota", "coffee=plug"},
          {"MQTT_PASSWORD=wrong"});
  EXPECT_TRUE(exited_with(status, 1)) << output;
  EXPECT_NE(output.find("could not connect"), std::string::npos) << output;
}

TEST(fake_devices, refuses_a_password_argument) {
  TestBroker broker;
  const auto [status, output] =
      run({fake_devices_program(), "--broker", broker.url(), "--password", "x"});
  EXPECT_TRUE(exited_with(status, 2)) << output;
  EXPECT_NE(output.find("there is no --password"), std::string::npos) << output;
}

}  // namespace
}  // namespace er::mqtt_test

// `eventrunner mqtt scan` against a real broker with fake Zigbee2MQTT and Tasmota
// devices: what it prints can be pasted into home.lua.

#include <gtest/gtest.h>

#include "engine_run.h"
#include "mqtt/support/broker.h"
#include "mqtt/support/fake_devices.h"

namespace er::mqtt_test {
namespace {

TEST(scan, lists_the_devices_behind_a_broker_as_a_devices_block) {
  TestBroker broker;
  FakeDevices fake(broker, {"--z2m", "hall/motion=motion", "--tasmota", "coffee=plug"});
  const auto [status, output] =
      test_support::run({ER_EVENTRUNNER, "mqtt", "scan", broker.url(), "--seconds", "1"});
  EXPECT_TRUE(test_support::exited_with(status, 0)) << output;
  EXPECT_NE(output.find(R"(name = "hall_motion", type = "binarySensor", mqtt = {zigbee2mqtt = "hall/motion"})"),
            std::string::npos)
      << output;
  EXPECT_NE(output.find(R"(name = "coffee", type = "binarySwitch", mqtt = {tasmota = "coffee"})"), std::string::npos)
      << output;
}

TEST(scan, an_unreachable_broker_is_an_error) {
  TestBroker broker;
  broker.stop();
  const auto [status, output] = test_support::run({ER_EVENTRUNNER, "mqtt", "scan", broker.url(), "--seconds", "1"});
  EXPECT_TRUE(test_support::exited_with(status, 1)) << output;
  EXPECT_NE(output.find("cannot reach 127.0.0.1"), std::string::npos) << output;
}

}  // namespace
}  // namespace er::mqtt_test

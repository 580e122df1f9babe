// fake-devices as a Zigbee2MQTT bridge: the retained bridge topics in Zigbee2MQTT's
// format, device states and availability, answers to /set and /get, errors on
// bridge/logging, the bridge's will.

#include <gtest/gtest.h>

#include <string>

#include "mqtt/support/broker.h"
#include "mqtt/support/fake_devices.h"
#include "mqtt/support/payload.h"
#include "mqtt/support/test_client.h"

namespace er::mqtt_test {
namespace {

using nlohmann::json;

/// The entry of `bridge/devices` with `friendly_name`, or null.
json entry_named(const json& devices, const std::string& friendly_name) {
  for (const json& entry : devices) {
    if (entry["friendly_name"] == friendly_name) return entry;
  }
  return nullptr;
}

/// The expose (or feature of a composite expose) named `name`, or null.
json expose_named(const json& exposes, const std::string& name) {
  for (const json& expose : exposes) {
    if (expose.value("name", "") == name) return expose;
    if (expose.contains("features")) {
      json feature = expose_named(expose["features"], name);
      if (!feature.is_null()) return feature;
    }
  }
  return nullptr;
}

class zigbee2mqtt : public ::testing::Test {
 protected:
  TestBroker broker;
  FakeDevices fake{broker,
                   {"--z2m", "hall/motion=motion", "--z2m", "hall/lamp=light", "--z2m",
                    "hall/lamp/plug=plug", "--z2m", "blind=cover", "--z2m", "remote=button"}};
  TestClient observer{broker};
};

TEST_F(zigbee2mqtt, bridge_topics_are_retained_in_zigbee2mqtts_format) {
  observer.subscribe("zigbee2mqtt/bridge/#");
  EXPECT_TRUE(observer.wait_for("zigbee2mqtt/bridge/state", is(R"({"state":"online"})")).retained);
  EXPECT_TRUE(
      observer.wait_for("zigbee2mqtt/bridge/info", json_has({{"version", "2.1.3"}})).retained);
  const Message devices_message = observer.wait_for("zigbee2mqtt/bridge/devices");
  EXPECT_TRUE(devices_message.retained);
  const json devices = parse_json(devices_message.payload);
  ASSERT_EQ(devices.size(), 6U);
  EXPECT_EQ(devices[0]["type"], "Coordinator");
  EXPECT_TRUE(devices[0]["definition"].is_null());

  const json lamp = entry_named(devices, "hall/lamp");
  EXPECT_EQ(lamp["type"], "Router");
  EXPECT_EQ(lamp["power_source"], "Mains (single phase)");
  EXPECT_EQ(lamp["ieee_address"].get<std::string>().size(), 18U);  // "0x" and 16 hex digits
  EXPECT_EQ(lamp["definition"]["model"], "LED1545G12");
  const json& lamp_exposes = lamp["definition"]["exposes"];
  EXPECT_EQ(lamp_exposes[0]["type"], "light");
  EXPECT_TRUE(json_contains(expose_named(lamp_exposes, "state"),
                            {{"access", 7}, {"value_on", "ON"}, {"value_toggle", "TOGGLE"}}));
  EXPECT_TRUE(json_contains(expose_named(lamp_exposes, "brightness"), {{"value_max", 254}}));

  const json motion = entry_named(devices, "hall/motion");
  EXPECT_EQ(motion["type"], "EndDevice");
  EXPECT_EQ(motion["power_source"], "Battery");
  const json& motion_exposes = motion["definition"]["exposes"];
  EXPECT_TRUE(json_contains(expose_named(motion_exposes, "occupancy"),
                            {{"type", "binary"}, {"access", 1}, {"value_on", true}}));
  EXPECT_FALSE(expose_named(motion_exposes, "battery").is_null());
  EXPECT_FALSE(expose_named(motion_exposes, "linkquality").is_null());
  EXPECT_EQ(entry_named(devices, "blind")["definition"]["exposes"][0]["type"], "cover");
}

TEST_F(zigbee2mqtt, device_states_and_availability_are_retained) {
  observer.subscribe("zigbee2mqtt/#");
  const Message motion = observer.wait_for("zigbee2mqtt/hall/motion");
  EXPECT_TRUE(motion.retained);
  EXPECT_TRUE(json_contains(parse_json(motion.payload), {{"occupancy", false}, {"battery", 100}}));
  EXPECT_TRUE(parse_json(motion.payload).contains("linkquality"));
  const Message lamp = observer.wait_for("zigbee2mqtt/hall/lamp");
  EXPECT_TRUE(json_contains(parse_json(lamp.payload), {{"state", "OFF"}}));
  EXPECT_FALSE(parse_json(lamp.payload).contains("battery"));
  const Message available = observer.wait_for("zigbee2mqtt/hall/lamp/availability");
  EXPECT_TRUE(available.retained);
  EXPECT_EQ(available.payload, R"({"state":"online"})");
}

TEST_F(zigbee2mqtt, set_is_answered_with_the_whole_new_state) {
  observer.subscribe("zigbee2mqtt/hall/lamp");
  observer.wait_for("zigbee2mqtt/hall/lamp", json_has({{"state", "OFF"}}));
  const auto answer = [&](const std::string& topic, const std::string& command) {
    const std::size_t mark = observer.received();
    observer.publish(topic, command, 1);
    return parse_json(
        observer.wait_for("zigbee2mqtt/hall/lamp", any_payload, kDefaultTimeout, mark).payload);
  };
  EXPECT_TRUE(json_contains(answer("zigbee2mqtt/hall/lamp/set", R"({"state":"ON"})"),
                            {{"state", "ON"}, {"brightness", 254}, {"color_temp", 370}}));
  EXPECT_TRUE(json_contains(answer("zigbee2mqtt/hall/lamp/set", R"({"brightness":100})"),
                            {{"state", "ON"}, {"brightness", 100}}));
  EXPECT_TRUE(json_contains(answer("zigbee2mqtt/hall/lamp/set", R"({"state":"TOGGLE"})"),
                            {{"state", "OFF"}, {"brightness", 100}}));
  EXPECT_TRUE(json_contains(answer("zigbee2mqtt/hall/lamp/set/state", "ON"), {{"state", "ON"}}));
  EXPECT_TRUE(
      json_contains(answer("zigbee2mqtt/hall/lamp/get", R"({"state":""})"), {{"state", "ON"}}));
}

TEST_F(zigbee2mqtt, covers_take_positions_and_plugs_meter_their_power) {
  observer.subscribe("zigbee2mqtt/blind");
  observer.subscribe("zigbee2mqtt/hall/lamp/plug");
  observer.publish("zigbee2mqtt/blind/set", R"({"position":40})", 1);
  observer.wait_for("zigbee2mqtt/blind", json_has({{"position", 40}, {"state", "OPEN"}}));
  observer.publish("zigbee2mqtt/blind/set", R"({"state":"CLOSE"})", 1);
  observer.wait_for("zigbee2mqtt/blind", json_has({{"position", 0}, {"state", "CLOSE"}}));
  // "hall/lamp/plug" is a device of its own, not a topic of "hall/lamp".
  observer.publish("zigbee2mqtt/hall/lamp/plug/set", R"({"state":"ON"})", 1);
  const json plug = parse_json(
      observer.wait_for("zigbee2mqtt/hall/lamp/plug", json_has({{"state", "ON"}})).payload);
  EXPECT_GT(plug["power"].get<double>(), 0);
}

TEST_F(zigbee2mqtt, what_cannot_be_done_is_logged_on_bridge_logging) {
  observer.subscribe("zigbee2mqtt/bridge/logging");
  observer.subscribe("zigbee2mqtt/hall/lamp/availability");
  observer.publish("zigbee2mqtt/hall/motion/set", R"({"brightness":5})", 1);
  const json error = parse_json(observer.wait_for("zigbee2mqtt/bridge/logging").payload);
  EXPECT_EQ(error["level"], "error");
  EXPECT_EQ(error["message"], "No converter available for 'brightness' (5)");

  fake.command("offline z2m hall/lamp");
  observer.wait_for("zigbee2mqtt/hall/lamp/availability", is(R"({"state":"offline"})"));
  const std::size_t mark = observer.received();
  observer.subscribe("zigbee2mqtt/hall/lamp");
  observer.publish("zigbee2mqtt/hall/lamp/set", R"({"state":"ON"})", 1);
  observer.wait_for("zigbee2mqtt/bridge/logging", json_has({{"level", "error"}}), kDefaultTimeout,
                    mark);
  EXPECT_TRUE(observer.stays_quiet("zigbee2mqtt/hall/lamp", Millis(200), mark,
                                   json_has({{"state", "ON"}})));
}

TEST_F(zigbee2mqtt, script_changes_are_published_and_actions_are_not_retained) {
  observer.subscribe("zigbee2mqtt/hall/motion");
  observer.subscribe("zigbee2mqtt/remote");
  fake.command("set z2m hall/motion occupancy=true illuminance=300");
  observer.wait_for("zigbee2mqtt/hall/motion",
                    json_has({{"occupancy", true}, {"illuminance", 300}}));
  fake.command("set z2m remote action=single");
  const Message press = observer.wait_for("zigbee2mqtt/remote", json_has({{"action", "single"}}));
  EXPECT_FALSE(press.retained);

  TestClient late(broker);
  late.subscribe("zigbee2mqtt/#");
  late.wait_for("zigbee2mqtt/hall/motion", json_has({{"occupancy", true}}));
  EXPECT_FALSE(parse_json(late.wait_for("zigbee2mqtt/remote").payload).contains("action"));
}

TEST_F(zigbee2mqtt, the_bridge_will_says_offline_and_a_clean_stop_too) {
  observer.subscribe("zigbee2mqtt/bridge/state");
  observer.wait_for("zigbee2mqtt/bridge/state", is(R"({"state":"online"})"));
  std::size_t mark = observer.received();
  fake.command("offline z2m");  // The bridge loses its connection.
  observer.wait_for("zigbee2mqtt/bridge/state", is(R"({"state":"offline"})"), kDefaultTimeout,
                    mark);
  mark = observer.received();
  fake.command("online z2m");
  observer.wait_for("zigbee2mqtt/bridge/state", is(R"({"state":"online"})"), kDefaultTimeout, mark);
  mark = observer.received();
  EXPECT_EQ(fake.stop(), 0);
  observer.wait_for("zigbee2mqtt/bridge/state", is(R"({"state":"offline"})"), kDefaultTimeout,
                    mark);
}

}  // namespace
}  // namespace er::mqtt_test

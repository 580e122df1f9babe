// The Router itself: choosing a mapping, ids and names, subscriptions, payload limits,
// shared topics, unknown devices, and that hostile input never escapes as an exception.

#include <gtest/gtest.h>

#include "mqtt_test_support.h"

namespace er::mqtt {
namespace {

using testing::action;
using testing::device;
using testing::last;

TEST(mqtt_mapping_router, the_mqtt_table_must_choose_exactly_one_mapping) {
  Router router{RouterOptions{}};
  EXPECT_EQ(
      router.add_device(device(1, "a", "binarySwitch", R"({"zigbee2mqtt": "A", "tasmota": "a"})")),
      std::vector<std::string>{"device 'a': the mqtt table mixes mappings: use one of zigbee2mqtt, "
                               "tasmota, homeassistant and state/command"});
  EXPECT_EQ(router.add_device(device(2, "b", "binarySwitch", R"({"relay": 1})")),
            std::vector<std::string>{"device 'b': the mqtt table has no mapping: zigbee2mqtt, "
                                     "tasmota, homeassistant or state/command"});
  EXPECT_EQ(router.add_device(device(3, "c", "binarySwitch", R"("plug")")),
            std::vector<std::string>{"device 'c': the mqtt table must be a table"});
}

TEST(mqtt_mapping_router, ids_and_names_are_mapped_once) {
  Router router{RouterOptions{}};
  ASSERT_TRUE(
      router.add_device(device(55, "lamp", "binarySwitch", R"({"tasmota": "lamp"})")).empty());
  EXPECT_EQ(
      router.add_device(device(55, "other", "binarySwitch", R"({"tasmota": "other"})")),
      std::vector<std::string>{"device 'other' (Tasmota): device 55 already has an MQTT mapping"});
  EXPECT_EQ(router.add_device(device("x", "lamp", "binarySwitch", R"({"tasmota": "x"})")),
            std::vector<std::string>{
                "device 'lamp' (Tasmota): another device with an MQTT mapping has this name"});
  EXPECT_EQ(router.devices(), std::vector<DeviceId>{55});
}

TEST(mqtt_mapping_router, an_action_on_an_unknown_device_is_a_problem) {
  Router router{RouterOptions{}};
  std::string problem;
  EXPECT_TRUE(router.on_action(action(200, "turnOn"), &problem).empty());
  EXPECT_EQ(problem, "device 200 has no MQTT mapping");
  EXPECT_TRUE(router.on_action(action("attic", "turnOn"), &problem).empty());
  EXPECT_EQ(problem, "device 'attic' has no MQTT mapping");
  EXPECT_TRUE(router.on_action(action(200, "turnOn"), nullptr)
                  .empty());  // No place for the problem: still fine.
}

TEST(mqtt_mapping_router, discovery_filters_are_subscribed_only_when_used) {
  EXPECT_TRUE(Router{RouterOptions{}}.subscriptions().empty());
  RouterOptions options;
  options.zigbee2mqtt_base = "zb";
  options.homeassistant_prefix = "ha";
  options.discover_zigbee2mqtt = true;
  options.discover_homeassistant = true;
  EXPECT_EQ(Router{options}.subscriptions(),
            (std::vector<std::string>{"ha/+/+/+/config", "ha/+/+/config", "zb/bridge/devices"}));
}

TEST(mqtt_mapping_router, a_payload_over_the_limit_is_a_problem_and_not_parsed) {
  RouterOptions options;
  options.max_payload = 64;
  Router router(options);
  ASSERT_TRUE(
      router.add_device(device(1, "probe", "multilevelSensor", R"({"state": {"topic": "probe"}})"))
          .empty());
  const MessageResult result = router.on_message("probe", std::string(65, 'a'), false);
  EXPECT_TRUE(result.reports.empty());
  EXPECT_EQ(
      result.problem,
      "device 'probe' (plain MQTT): payload on 'probe' is too large (65 bytes, the limit is 64)");
  EXPECT_EQ(last(router.on_message("probe", std::string(64, 'a'), false), "value"),
            DeviceValue(std::string(64, 'a')));
}

TEST(mqtt_mapping_router, the_device_list_of_zigbee2mqtt_has_its_own_limit) {
  RouterOptions options;
  options.max_payload = 16;
  options.max_device_list_payload = 4096;
  options.discover_zigbee2mqtt = true;
  Router router(options);
  const std::string list =
      R"([{"friendly_name":"Plug","definition":{"exposes":[{"type":"switch"}]}}])";
  EXPECT_EQ(router.on_message("zigbee2mqtt/bridge/devices", list, true).discovered.size(), 1u);
  const MessageResult huge =
      router.on_message("zigbee2mqtt/bridge/devices", std::string(4097, ' '), true);
  EXPECT_EQ(huge.problem,
            "payload on 'zigbee2mqtt/bridge/devices' is too large (4097 bytes, the limit is 4096)");
}

TEST(mqtt_mapping_router, devices_sharing_a_topic_each_read_it) {
  Router router{RouterOptions{}};
  ASSERT_TRUE(
      router
          .add_device(device(1, "power", "multilevelSensor",
                             R"({"state": {"topic": "tele/plug/SENSOR", "json": "ENERGY.Power"}})"))
          .empty());
  ASSERT_TRUE(
      router.add_device(device(2, "plug", "binarySwitch", R"({"tasmota": "plug"})")).empty());
  const MessageResult result =
      router.on_message("tele/plug/SENSOR", R"({"ENERGY":{"Power":7}})", false);
  EXPECT_EQ(result.reports, (std::vector<Report>{{1, "value", std::int64_t{7}, false},
                                                 {2, "ENERGY", JsonText{R"({"Power":7})"}, false},
                                                 {2, "power", std::int64_t{7}, false}}));
}

TEST(mqtt_mapping_router, topics_nobody_reads_are_ignored) {
  Router router{RouterOptions{}};
  ASSERT_TRUE(
      router.add_device(device(2, "plug", "binarySwitch", R"({"tasmota": "plug"})")).empty());
  const MessageResult result = router.on_message("stat/other/POWER", "ON", false);
  EXPECT_TRUE(result.reports.empty());
  EXPECT_EQ(result.problem, std::nullopt);
  // Home Assistant configs are ignored while nothing uses Home Assistant discovery.
  EXPECT_TRUE(router.on_message("homeassistant/switch/x/config", "{oops", true).problem ==
              std::nullopt);
}

TEST(mqtt_mapping_router, problems_of_a_message_are_joined_and_kept_short) {
  Router router{RouterOptions{}};
  ASSERT_TRUE(router.add_device(device(1, "t", "thermostat", R"({"zigbee2mqtt": "T"})")).empty());
  std::string payload = "{";
  for (int i = 0; i < 40; ++i) payload += "\"local_temperature\":\"x\",";
  payload += R"("battery":"low","local_temperature":"warm"})";
  const MessageResult result = router.on_message("zigbee2mqtt/T", payload, false);
  ASSERT_TRUE(result.problem.has_value());
  EXPECT_NE(result.problem->find("'battery' on 'zigbee2mqtt/T' is not a number; "),
            std::string::npos);
  EXPECT_LT(result.problem->size(), 1000u);
}

TEST(mqtt_mapping_router, hostile_payloads_give_problems_not_exceptions) {
  RouterOptions options;
  options.discover_zigbee2mqtt = true;
  options.discover_homeassistant = true;
  Router router(options);
  ASSERT_TRUE(router.add_device(device(1, "lamp", "colorController", R"({"zigbee2mqtt": "Lamp"})"))
                  .empty());
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  for (const char* topic :
       {"zigbee2mqtt/Lamp", "zigbee2mqtt/bridge/devices", "homeassistant/light/x/config"}) {
    EXPECT_NO_THROW({
      const MessageResult result = router.on_message(topic, deep, false);
      EXPECT_TRUE(result.problem.has_value()) << topic;
    });
  }
  EXPECT_NO_THROW(router.on_message("zigbee2mqtt/Lamp", "{\"name\":\"\xff\xfe\"}", false));
  std::string problem;
  EXPECT_NO_THROW(
      router.on_action(action(1, "setThermostatMode", {std::string("\xff\xfe")}), &problem));
  EXPECT_NO_THROW(router.on_action(action(1, "setColor", {1e308, -1e308, std::nan("")}), &problem));
}

}  // namespace
}  // namespace er::mqtt

// `eventrunner mqtt scan`'s analysis (scan.h): retained topics sorted into Zigbee2MQTT,
// Tasmota and Home Assistant devices and other topics, printed as home.lua.

#include "adapters/mqtt/scan.h"

#include <gtest/gtest.h>

namespace er::mqtt {
namespace {

constexpr const char* kBridgeDevices = R"([
  {"friendly_name": "Coordinator", "ieee_address": "0x00", "type": "Coordinator"},
  {"friendly_name": "Hall/Motion", "ieee_address": "0x01", "type": "EndDevice",
   "definition": {"exposes": [{"type": "binary", "name": "occupancy", "property": "occupancy"}]}}
])";

TEST(mqtt_client_scan, devices_of_each_kind_and_other_topics) {
  const ScanReport report = analyse_scan({
      {"zigbee2mqtt/bridge/devices", kBridgeDevices},
      {"zigbee2mqtt/Hall/Motion", R"({"occupancy":false})"},
      {"tele/coffee/LWT", "Online"},
      {"stat/coffee/RESULT", R"({"POWER":"ON"})"},
      {"tele/garden/LWT", "Online"},
      {"tele/garden/SENSOR", R"({"AM2301":{"Temperature":12.5}})"},
      {"homeassistant/switch/node/fan/config", R"({"name":"Fan","uniq_id":"fan1","cmd_t":"fan/set","stat_t":"fan/state"})"},
      {"garden/weather", R"({"temperature":12.5})"},
  });
  ASSERT_EQ(report.zigbee2mqtt.size(), 1U);
  EXPECT_EQ(report.zigbee2mqtt[0].name, "hall_motion");
  EXPECT_EQ(report.zigbee2mqtt[0].type, "binarySensor");
  ASSERT_EQ(report.tasmota.size(), 2U);
  EXPECT_EQ(report.tasmota[0].name, "coffee");
  EXPECT_EQ(report.tasmota[0].type, "binarySwitch");
  EXPECT_EQ(report.tasmota[1].type, "multilevelSensor");
  ASSERT_EQ(report.homeassistant.size(), 1U);
  EXPECT_EQ(report.homeassistant[0].type, "binarySwitch");
  ASSERT_EQ(report.other.size(), 1U);
  EXPECT_EQ(report.other[0].topic, "garden/weather");

  const std::string lua = format_scan(report, "mqtt://10.0.0.2:1883");
  EXPECT_NE(lua.find(R"(mqtt = {broker = "mqtt://10.0.0.2:1883"},)"), std::string::npos) << lua;
  EXPECT_NE(lua.find(R"({id = 1, name = "hall_motion", type = "binarySensor", mqtt = {zigbee2mqtt = "Hall/Motion"}},)"),
            std::string::npos)
      << lua;
  EXPECT_NE(lua.find(R"({id = 2, name = "coffee", type = "binarySwitch", mqtt = {tasmota = "coffee"}},)"),
            std::string::npos)
      << lua;
  EXPECT_NE(lua.find("--   garden/weather = {\"temperature\":12.5}"), std::string::npos) << lua;
}

TEST(mqtt_client_scan, an_empty_broker_gives_an_empty_block) {
  const std::string lua = format_scan(analyse_scan({}), "mqtt://h:1883");
  EXPECT_NE(lua.find("0 Zigbee2MQTT, 0 Tasmota, 0 Home Assistant devices"), std::string::npos) << lua;
  EXPECT_NE(lua.find("devices = {\n  },"), std::string::npos) << lua;
}

}  // namespace
}  // namespace er::mqtt

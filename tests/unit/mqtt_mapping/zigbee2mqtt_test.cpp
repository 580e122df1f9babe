// Zigbee2MQTT devices through the Router: state JSON as Zigbee2MQTT publishes it,
// availability, the bridge, commands, and discovery from bridge/devices.

#include <gtest/gtest.h>

#include "mqtt_test_support.h"

namespace er::mqtt {
namespace {

using testing::action;
using testing::device;
using testing::integer;
using testing::json;
using testing::last;
using testing::single;
using testing::text;
using testing::values_of;

class MqttZigbee2mqtt : public testing::RouterTest {};
// The suite is named <part>_<module> (docs/testing.md).
using mqtt_mapping_zigbee2mqtt = MqttZigbee2mqtt;

TEST_F(mqtt_mapping_zigbee2mqtt, every_state_key_is_a_property_and_battery_is_also_battery_level) {
  add(66, "hall_motion", "binarySensor", R"({"zigbee2mqtt": "Hall Motion"})");
  const MessageResult result = message(
      "zigbee2mqtt/Hall Motion",
      R"({"battery":87,"device_temperature":24,"illuminance":120,"linkquality":84,"occupancy":true,"voltage":2985})");
  EXPECT_EQ(result.problem, std::nullopt);
  EXPECT_EQ(last(result, "battery"), integer(87));
  EXPECT_EQ(last(result, "batteryLevel"), integer(87));
  EXPECT_EQ(last(result, "linkquality"), integer(84));
  EXPECT_EQ(last(result, "illuminance"), integer(120));
  EXPECT_EQ(last(result, "occupancy"), DeviceValue(true));
  EXPECT_EQ(last(result, "value"), DeviceValue(true));
  for (const Report& report : result.reports) {
    EXPECT_EQ(report.device, DeviceId(66));
    EXPECT_FALSE(report.event_only);
  }
}

TEST_F(mqtt_mapping_zigbee2mqtt, contact_is_inverted_so_that_an_open_door_is_breached) {
  add(67, "front_door", "binarySensor", R"({"zigbee2mqtt": "Front Door"})");
  EXPECT_EQ(
      last(message("zigbee2mqtt/Front Door", R"({"battery":100,"contact":false,"linkquality":51})"),
           "value"),
      DeviceValue(true));
  const MessageResult closed = message("zigbee2mqtt/Front Door", R"({"contact":true})");
  EXPECT_EQ(last(closed, "value"), DeviceValue(false));
  EXPECT_EQ(last(closed, "contact"), DeviceValue(true));  // The raw key keeps its meaning.
}

TEST_F(mqtt_mapping_zigbee2mqtt, a_binary_sensor_takes_the_most_telling_key) {
  add(68, "leak", "binarySensor", R"({"zigbee2mqtt": "Leak"})");
  // water_leak comes before tamper, whatever the order in the payload.
  EXPECT_EQ(last(message("zigbee2mqtt/Leak", R"({"tamper":true,"water_leak":false})"), "value"),
            DeviceValue(false));
}

TEST_F(mqtt_mapping_zigbee2mqtt, property_chooses_the_key_of_the_value) {
  add(78, "bath_humidity", "multilevelSensor",
      R"({"zigbee2mqtt": "Bath Sensor", "property": "humidity"})");
  const MessageResult result = message("zigbee2mqtt/Bath Sensor",
                                       R"({"humidity":63.5,"pressure":1012.3,"temperature":22.1})");
  EXPECT_EQ(last(result, "value"), DeviceValue(63.5));
  EXPECT_EQ(last(result, "temperature"), DeviceValue(22.1));
}

TEST_F(mqtt_mapping_zigbee2mqtt, a_multilevel_sensor_prefers_temperature) {
  add(77, "living_temp", "multilevelSensor", R"({"zigbee2mqtt": "Living Sensor"})");
  EXPECT_EQ(
      last(message("zigbee2mqtt/Living Sensor", R"({"humidity":45,"temperature":21.5})"), "value"),
      DeviceValue(21.5));
  EXPECT_EQ(last(message("zigbee2mqtt/Living Sensor", R"({"illuminance_lux":320})"), "value"),
            integer(320));
}

TEST_F(mqtt_mapping_zigbee2mqtt, a_switch_is_on_when_state_is_on) {
  add(55, "hall_lamp", "binarySwitch", R"({"zigbee2mqtt": "Hall Plug"})");
  const MessageResult on = message(
      "zigbee2mqtt/Hall Plug", R"({"energy":1.25,"linkquality":120,"power":12.3,"state":"ON"})");
  EXPECT_EQ(last(on, "value"), DeviceValue(true));
  EXPECT_EQ(last(on, "power"), DeviceValue(12.3));
  EXPECT_EQ(last(message("zigbee2mqtt/Hall Plug", R"({"state":"OFF"})"), "value"),
            DeviceValue(false));
}

TEST_F(mqtt_mapping_zigbee2mqtt, a_dimmer_scales_brightness_and_is_zero_when_off) {
  add(56, "kitchen_dimmer", "multilevelSwitch", R"({"zigbee2mqtt": "Kitchen/Ceiling"})");
  EXPECT_EQ(
      last(message("zigbee2mqtt/Kitchen/Ceiling", R"({"brightness":254,"state":"ON"})"), "value"),
      integer(99));
  EXPECT_EQ(
      last(message("zigbee2mqtt/Kitchen/Ceiling", R"({"brightness":127,"state":"ON"})"), "value"),
      integer(50));
  EXPECT_EQ(
      last(message("zigbee2mqtt/Kitchen/Ceiling", R"({"brightness":1,"state":"ON"})"), "value"),
      integer(1));
  EXPECT_EQ(
      last(message("zigbee2mqtt/Kitchen/Ceiling", R"({"brightness":127,"state":"OFF"})"), "value"),
      integer(0));
  // On again without a brightness: the last brightness.
  EXPECT_EQ(last(message("zigbee2mqtt/Kitchen/Ceiling", R"({"state":"ON"})"), "value"),
            integer(50));
}

TEST_F(mqtt_mapping_zigbee2mqtt, a_shutter_value_is_its_position) {
  add("garage", "garage_door", "rollerShutter", R"({"zigbee2mqtt": "Garage"})");
  const MessageResult result = message("zigbee2mqtt/Garage", R"({"position":40,"state":"OPEN"})");
  EXPECT_EQ(last(result, "value"), integer(40));
  EXPECT_EQ(last(result, "position"), integer(40));
}

TEST_F(mqtt_mapping_zigbee2mqtt, a_thermostat_reports_temperature_setpoint_and_mode) {
  add(90, "radiator", "thermostat", R"({"zigbee2mqtt": "Radiator"})");
  const MessageResult result = message(
      "zigbee2mqtt/Radiator",
      R"({"battery":90,"current_heating_setpoint":21,"local_temperature":19.5,"system_mode":"heat"})");
  EXPECT_EQ(last(result, "value"), DeviceValue(19.5));
  EXPECT_EQ(last(result, "heatingThermostatSetpoint"), integer(21));
  EXPECT_EQ(last(result, "thermostatMode"), text("Heat"));
  EXPECT_EQ(last(result, "system_mode"), text("heat"));
}

TEST_F(mqtt_mapping_zigbee2mqtt, a_color_light_reports_its_color_as_rgbw) {
  add(57, "strip", "colorController", R"({"zigbee2mqtt": "Strip"})");
  const MessageResult rgb = message(
      "zigbee2mqtt/Strip", R"({"brightness":254,"color":{"r":255,"g":128,"b":0},"state":"ON"})");
  EXPECT_EQ(values_of(rgb, "color"), std::vector<DeviceValue>{json("[255,128,0,0]")});
  // CIE xy of pure sRGB red.
  EXPECT_EQ(last(message("zigbee2mqtt/Strip", R"({"color":{"x":0.64,"y":0.33}})"), "color"),
            json("[255,0,0,0]"));
}

TEST_F(mqtt_mapping_zigbee2mqtt, objects_and_lists_become_json_text) {
  add(66, "hall_motion", "binarySensor", R"({"zigbee2mqtt": "Hall Motion"})");
  const MessageResult result =
      message("zigbee2mqtt/Hall Motion",
              R"({"update":{"installed_version":16777241,"state":"idle"},"zones":[1,2]})");
  EXPECT_EQ(last(result, "update"), json(R"({"installed_version":16777241,"state":"idle"})"));
  EXPECT_EQ(last(result, "zones"), json("[1,2]"));
}

TEST_F(mqtt_mapping_zigbee2mqtt, a_button_action_is_an_event_and_a_central_scene_event) {
  add(88, "remote", "remoteController", R"({"zigbee2mqtt": "Remote"})");
  const MessageResult pressed =
      message("zigbee2mqtt/Remote", R"({"action":"single","battery":100,"linkquality":60})");
  ASSERT_EQ(values_of(pressed, "action"), std::vector<DeviceValue>{text("single")});
  EXPECT_EQ(last(pressed, "centralSceneEvent"), json(R"({"keyId":1,"keyAttribute":"single"})"));
  for (const Report& report : pressed.reports) {
    EXPECT_EQ(report.event_only,
              report.property == "action" || report.property == "centralSceneEvent");
  }
  // Zigbee2MQTT clears the action right after: no event.
  const MessageResult cleared = message("zigbee2mqtt/Remote", R"({"action":"","battery":100})");
  EXPECT_TRUE(values_of(cleared, "action").empty());
  EXPECT_TRUE(values_of(cleared, "centralSceneEvent").empty());
}

TEST_F(mqtt_mapping_zigbee2mqtt, wrong_types_are_problems_and_the_rest_is_reported) {
  add(56, "kitchen_dimmer", "multilevelSwitch", R"({"zigbee2mqtt": "Kitchen"})");
  const MessageResult result =
      message("zigbee2mqtt/Kitchen", R"({"brightness":"x","linkquality":40,"state":"ON"})");
  EXPECT_EQ(result.problem,
            "device 'kitchen_dimmer' (Zigbee2MQTT): 'brightness' on 'zigbee2mqtt/Kitchen' is not a "
            "number");
  EXPECT_EQ(last(result, "linkquality"), integer(40));
  EXPECT_EQ(last(result, "value"), std::nullopt);  // No brightness known yet.
}

TEST_F(mqtt_mapping_zigbee2mqtt, bad_json_is_a_problem_that_does_not_quote_the_payload) {
  add(66, "hall_motion", "binarySensor", R"({"zigbee2mqtt": "Hall Motion"})");
  const MessageResult result = message("zigbee2mqtt/Hall Motion", R"({"occupancy":tru)");
  EXPECT_TRUE(result.reports.empty());
  EXPECT_EQ(result.problem,
            "device 'hall_motion' (Zigbee2MQTT): state on 'zigbee2mqtt/Hall Motion': it is not "
            "valid JSON");
  EXPECT_EQ(
      message("zigbee2mqtt/Hall Motion", "[1]").problem,
      "device 'hall_motion' (Zigbee2MQTT): state on 'zigbee2mqtt/Hall Motion': not a JSON object");
}

TEST_F(mqtt_mapping_zigbee2mqtt, availability_comes_as_text_or_json) {
  add(55, "hall_lamp", "binarySwitch", R"({"zigbee2mqtt": "Hall Plug"})");
  EXPECT_EQ(last(message("zigbee2mqtt/Hall Plug/availability", "offline"), "available"),
            DeviceValue(false));
  EXPECT_EQ(
      last(message("zigbee2mqtt/Hall Plug/availability", R"({"state":"online"})"), "available"),
      DeviceValue(true));
  EXPECT_TRUE(message("zigbee2mqtt/Hall Plug/availability", "maybe").problem.has_value());
}

TEST_F(mqtt_mapping_zigbee2mqtt, the_bridge_going_offline_makes_every_device_unavailable) {
  add(55, "hall_lamp", "binarySwitch", R"({"zigbee2mqtt": "Hall Plug"})");
  add(66, "hall_motion", "binarySensor", R"({"zigbee2mqtt": "Hall Motion"})");
  message("zigbee2mqtt/Hall Plug/availability", "offline");
  const MessageResult offline = message("zigbee2mqtt/bridge/state", R"({"state":"offline"})");
  ASSERT_EQ(offline.reports.size(), 2u);
  EXPECT_EQ(offline.reports[0], (Report{55, "available", false, false}));
  EXPECT_EQ(offline.reports[1], (Report{66, "available", false, false}));
  // Back online, each device is as it last said; one that never said is available.
  const MessageResult online = message("zigbee2mqtt/bridge/state", "online");
  ASSERT_EQ(online.reports.size(), 2u);
  EXPECT_EQ(online.reports[0], (Report{55, "available", false, false}));
  EXPECT_EQ(online.reports[1], (Report{66, "available", true, false}));
}

TEST_F(mqtt_mapping_zigbee2mqtt, switch_commands_go_to_the_set_topic_as_json) {
  add(55, "hall_lamp", "binarySwitch", R"({"zigbee2mqtt": "Hall/Plug"})");
  EXPECT_EQ(act(55, "turnOn"),
            (Publish{"zigbee2mqtt/Hall/Plug/set", R"({"state":"ON"})", 1, false}));
  EXPECT_EQ(act(55, "turnOff").payload, R"({"state":"OFF"})");
  EXPECT_EQ(act(55, "toggle").payload, R"({"state":"TOGGLE"})");
  EXPECT_EQ(act(55, "setValue", {true}).payload, R"({"state":"ON"})");
  EXPECT_EQ(act(55, "setValue", {integer(0)}).payload, R"({"state":"OFF"})");
}

TEST_F(mqtt_mapping_zigbee2mqtt, a_two_gang_switch_is_switched_through_its_property) {
  add(58, "left_light", "binarySwitch",
      R"({"zigbee2mqtt": "Wall Switch", "property": "state_left"})");
  EXPECT_EQ(last(message("zigbee2mqtt/Wall Switch", R"({"state_left":"ON","state_right":"OFF"})"),
                 "value"),
            DeviceValue(true));
  EXPECT_EQ(act(58, "turnOff").payload, R"({"state_left":"OFF"})");
}

TEST_F(mqtt_mapping_zigbee2mqtt, dimmer_commands_scale_the_level_to_brightness) {
  add(56, "kitchen_dimmer", "multilevelSwitch", R"({"zigbee2mqtt": "Kitchen"})");
  EXPECT_EQ(act(56, "setValue", {integer(50)}).payload, R"({"state":"ON","brightness":128})");
  EXPECT_EQ(act(56, "setValue", {integer(99)}).payload, R"({"state":"ON","brightness":254})");
  EXPECT_EQ(act(56, "setValue", {150.0}).payload, R"({"state":"ON","brightness":254})");
  EXPECT_EQ(act(56, "setValue", {integer(0)}).payload, R"({"state":"OFF"})");
  EXPECT_EQ(act(56, "startLevelIncrease").payload, R"({"brightness_move":25})");
  EXPECT_EQ(act(56, "stopLevelChange").payload, R"({"brightness_move":"stop"})");
}

TEST_F(mqtt_mapping_zigbee2mqtt, shutter_color_and_thermostat_commands) {
  add("garage", "garage_door", "rollerShutter", R"({"zigbee2mqtt": "Garage"})");
  add(57, "strip", "colorController", R"({"zigbee2mqtt": "Strip"})");
  add(90, "radiator", "thermostat", R"({"zigbee2mqtt": "Radiator"})");
  EXPECT_EQ(act("garage", "open").payload, R"({"state":"OPEN"})");
  EXPECT_EQ(act("garage", "close").payload, R"({"state":"CLOSE"})");
  EXPECT_EQ(act("garage", "stop").payload, R"({"state":"STOP"})");
  EXPECT_EQ(act("garage", "setPosition", {integer(30)}).payload, R"({"position":30})");
  EXPECT_EQ(act("garage", "setValue", {integer(70)}).payload, R"({"position":70})");
  EXPECT_EQ(act(57, "setColor", {integer(255), integer(0), integer(64)}).payload,
            R"({"color":{"r":255,"g":0,"b":64}})");
  EXPECT_EQ(act(57, "setColor", {json("[1,2,3,4]")}).payload, R"({"color":{"r":1,"g":2,"b":3}})");
  EXPECT_EQ(act(90, "setHeatingThermostatSetpoint", {21.5}).payload,
            R"({"current_heating_setpoint":21.5})");
  EXPECT_EQ(act(90, "setThermostatMode", {text("Heat")}).payload, R"({"system_mode":"heat"})");
}

TEST_F(mqtt_mapping_zigbee2mqtt, an_action_with_bad_arguments_says_what_it_needs) {
  add(56, "kitchen_dimmer", "multilevelSwitch", R"({"zigbee2mqtt": "Kitchen"})");
  std::string problem;
  EXPECT_TRUE(router_.on_action(action(56, "setValue", {text("bright")}), &problem).empty());
  EXPECT_EQ(problem, "device 'kitchen_dimmer' (Zigbee2MQTT): setValue needs a level 0-99");
  EXPECT_TRUE(router_.on_action(action(56, "play"), &problem).empty());
  EXPECT_EQ(problem, "device 'kitchen_dimmer' (Zigbee2MQTT): action 'play' has no command mapping");
}

TEST_F(mqtt_mapping_zigbee2mqtt, the_mapping_reads_the_state_availability_and_bridge_topics) {
  RouterOptions options;
  options.zigbee2mqtt_base = "z2m";
  Router router(options);
  ASSERT_TRUE(
      router.add_device(device(55, "hall_lamp", "binarySwitch", R"({"zigbee2mqtt": "Hall Plug"})"))
          .empty());
  EXPECT_EQ(router.subscriptions(),
            (std::vector<std::string>{"z2m/Hall Plug", "z2m/Hall Plug/availability",
                                      "z2m/bridge/state"}));
  EXPECT_TRUE(router.devices_without_availability().empty());
}

TEST_F(mqtt_mapping_zigbee2mqtt, mapping_problems_are_reported_when_the_device_is_added) {
  EXPECT_EQ(
      router_.add_device(device(1, "a", "binarySwitch", R"({"zigbee2mqtt": "Plug", "relay": 2})")),
      std::vector<std::string>{
          "device 'a' (Zigbee2MQTT): unknown key 'relay' in a zigbee2mqtt mapping"});
  EXPECT_EQ(router_.add_device(device(2, "b", "binarySwitch", R"({"zigbee2mqtt": ""})")),
            std::vector<std::string>{"device 'b' (Zigbee2MQTT): zigbee2mqtt must be the device's "
                                     "friendly name (a non-empty string)"});
  EXPECT_EQ(
      router_.add_device(device(3, "c", "binarySwitch", R"({"zigbee2mqtt": "Plug/#"})")),
      std::vector<std::string>{
          "device 'c' (Zigbee2MQTT): zigbee2mqtt friendly name: topic 'Plug/#' has a wildcard"});
  EXPECT_EQ(
      router_.add_device(device(4, "d", "player", R"({"zigbee2mqtt": "Speaker"})")),
      std::vector<std::string>{"device 'd' (Zigbee2MQTT): Zigbee2MQTT cannot drive a player"});
  EXPECT_TRUE(router_.devices().empty());
}

// ---- Discovery ---------------------------------------------------------------------

// A bridge/devices list as Zigbee2MQTT retains it (definitions shortened).
constexpr std::string_view kBridgeDevices = R"([
  {"friendly_name":"Coordinator","ieee_address":"0x00124b0022d2b7d8","type":"Coordinator","definition":null},
  {"friendly_name":"Living Room/Lamp","ieee_address":"0x0017880104e45517","type":"Router",
   "definition":{"model":"9290012573A","vendor":"Philips","exposes":[
     {"type":"light","features":[{"type":"binary","name":"state","property":"state","value_on":"ON"},
                                 {"type":"numeric","name":"brightness","property":"brightness","value_max":254}]},
     {"type":"numeric","name":"linkquality","property":"linkquality"}]}},
  {"friendly_name":"0x00158d0001a2b3c4","ieee_address":"0x00158d0001a2b3c4","type":"EndDevice",
   "definition":{"model":"RTCGQ11LM","vendor":"Xiaomi","exposes":[
     {"type":"binary","name":"occupancy","property":"occupancy","value_on":true},
     {"type":"numeric","name":"illuminance","property":"illuminance"},
     {"type":"numeric","name":"battery","property":"battery"}]}},
  {"friendly_name":"Dimmer Switch","ieee_address":"0x001788010bcf1a2b","type":"EndDevice",
   "definition":{"model":"324131092621","vendor":"Philips","exposes":[
     {"type":"enum","name":"action","property":"action","values":["on_press","off_press"]},
     {"type":"numeric","name":"battery","property":"battery"}]}},
  {"friendly_name":"Plug","ieee_address":"0xa4c138aa0000beef","type":"Router",
   "definition":{"model":"TS011F","vendor":"TuYa","exposes":[
     {"type":"switch","features":[{"type":"binary","name":"state","property":"state"}]},
     {"type":"numeric","name":"power","property":"power"}]}},
  {"friendly_name":"Repeater","ieee_address":"0x00124b0000000001","type":"Router",
   "definition":{"model":"CC2530.ROUTER","vendor":"Custom","exposes":[{"type":"numeric","name":"linkquality"}]}},
  {"friendly_name":"New Device","ieee_address":"0x00124b0000000002","type":"EndDevice","definition":null}
])";

class MqttZigbee2mqttDiscovery : public ::testing::Test {
 protected:
  static RouterOptions discovering() {
    RouterOptions options;
    options.discover_zigbee2mqtt = true;
    return options;
  }
  Router router_{discovering()};
};
// The suite is named <part>_<module> (docs/testing.md).
using mqtt_mapping_zigbee2mqtt_discovery = MqttZigbee2mqttDiscovery;

TEST_F(mqtt_mapping_zigbee2mqtt_discovery, the_device_list_defines_devices_with_types_names_and_ids) {
  EXPECT_EQ(router_.subscriptions(), std::vector<std::string>{"zigbee2mqtt/bridge/devices"});
  const MessageResult result =
      router_.on_message("zigbee2mqtt/bridge/devices", kBridgeDevices, true);
  EXPECT_EQ(result.problem, std::nullopt);
  ASSERT_EQ(result.discovered.size(), 4u);
  const auto expect_device = [&](std::size_t i, const char* id, const char* name, const char* type,
                                 const char* friendly) {
    const DeviceSpec& spec = result.discovered[i].spec;
    EXPECT_EQ(spec.id, DeviceId(std::string(id)));
    EXPECT_EQ(spec.name, name);
    EXPECT_EQ(spec.type, type);
    EXPECT_EQ(spec.mqtt, nlohmann::json({{"zigbee2mqtt", friendly}}));
  };
  expect_device(0, "z2m:Living Room/Lamp", "living_room_lamp", "multilevelSwitch",
                "Living Room/Lamp");
  expect_device(1, "z2m:0x00158d0001a2b3c4", "z_0x00158d0001a2b3c4", "binarySensor",
                "0x00158d0001a2b3c4");
  expect_device(2, "z2m:Dimmer Switch", "dimmer_switch", "remoteController", "Dimmer Switch");
  expect_device(3, "z2m:Plug", "plug", "binarySwitch", "Plug");
  EXPECT_EQ(result.subscribe,
            (std::vector<std::string>{
                "zigbee2mqtt/0x00158d0001a2b3c4", "zigbee2mqtt/0x00158d0001a2b3c4/availability",
                "zigbee2mqtt/Dimmer Switch", "zigbee2mqtt/Dimmer Switch/availability",
                "zigbee2mqtt/Living Room/Lamp", "zigbee2mqtt/Living Room/Lamp/availability",
                "zigbee2mqtt/Plug", "zigbee2mqtt/Plug/availability", "zigbee2mqtt/bridge/state"}));
  // The discovered devices are mapped at once.
  EXPECT_EQ(last(router_.on_message("zigbee2mqtt/Plug", R"({"state":"ON"})", false), "value"),
            DeviceValue(true));
  EXPECT_EQ(router_.devices().size(), 4u);
}

TEST_F(mqtt_mapping_zigbee2mqtt_discovery, a_list_announced_again_reports_only_new_devices) {
  router_.on_message("zigbee2mqtt/bridge/devices", kBridgeDevices, true);
  const MessageResult again =
      router_.on_message("zigbee2mqtt/bridge/devices", kBridgeDevices, false);
  EXPECT_TRUE(again.discovered.empty());
  EXPECT_TRUE(again.subscribe.empty());
  // "New Device" finished its interview: it now has a definition.
  const MessageResult interviewed = router_.on_message("zigbee2mqtt/bridge/devices", R"([
    {"friendly_name":"New Device","type":"EndDevice","definition":{"exposes":[
      {"type":"binary","name":"contact","property":"contact"}]}}])",
                                                       false);
  ASSERT_EQ(interviewed.discovered.size(), 1u);
  EXPECT_EQ(interviewed.discovered[0].spec.name, "new_device");
  EXPECT_EQ(interviewed.discovered[0].spec.type, "binarySensor");
}

TEST_F(mqtt_mapping_zigbee2mqtt_discovery, devices_the_home_defines_are_not_discovered) {
  ASSERT_TRUE(
      router_
          .add_device(device(55, "plug", "binarySwitch", R"({"state": {"topic": "plug/state"}})"))
          .empty());
  ASSERT_TRUE(router_
                  .add_device(device(56, "lamp", "multilevelSwitch",
                                     R"({"zigbee2mqtt": "Living Room/Lamp"})"))
                  .empty());
  const MessageResult result =
      router_.on_message("zigbee2mqtt/bridge/devices", kBridgeDevices, true);
  ASSERT_EQ(result.discovered.size(), 2u);
  EXPECT_EQ(result.discovered[0].spec.name, "z_0x00158d0001a2b3c4");
  EXPECT_EQ(result.discovered[1].spec.name, "dimmer_switch");
}

TEST_F(mqtt_mapping_zigbee2mqtt_discovery, names_that_sanitise_alike_get_a_number) {
  const MessageResult result = router_.on_message("zigbee2mqtt/bridge/devices", R"([
    {"friendly_name":"Desk Lamp","type":"Router","definition":{"exposes":[{"type":"switch"}]}},
    {"friendly_name":"desk-lamp!","type":"Router","definition":{"exposes":[{"type":"switch"}]}}])",
                                                  true);
  ASSERT_EQ(result.discovered.size(), 2u);
  EXPECT_EQ(result.discovered[0].spec.name, "desk_lamp");
  EXPECT_EQ(result.discovered[1].spec.name, "desk_lamp_2");
  EXPECT_EQ(result.discovered[1].spec.id, DeviceId(std::string("z2m:desk-lamp!")));
}

TEST_F(mqtt_mapping_zigbee2mqtt_discovery, a_list_that_is_not_json_is_a_problem) {
  const MessageResult result = router_.on_message("zigbee2mqtt/bridge/devices", "[{", true);
  EXPECT_EQ(result.problem,
            "Zigbee2MQTT device list on 'zigbee2mqtt/bridge/devices': it is not valid JSON");
  EXPECT_TRUE(result.discovered.empty());
}

TEST_F(mqtt_mapping_zigbee2mqtt, discovered_names_are_lowercase_words_joined_by_underscores) {
  // Through discovery, since naming is internal: one device per case.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"Living Room/Lamp", "living_room_lamp"},
      {"  Küche  Licht ", "k_che_licht"},
      {"3rd floor", "z_3rd_floor"},
      {"!!!", "device"}};
  for (const auto& [friendly, name] : cases) {
    RouterOptions options;
    options.discover_zigbee2mqtt = true;
    Router router(options);
    const nlohmann::json list = {
        {{"friendly_name", friendly}, {"definition", {{"exposes", {{{"type", "switch"}}}}}}}};
    const MessageResult result = router.on_message("zigbee2mqtt/bridge/devices", list.dump(), true);
    ASSERT_EQ(result.discovered.size(), 1u) << friendly;
    EXPECT_EQ(result.discovered[0].spec.name, name);
  }
}

}  // namespace
}  // namespace er::mqtt

// Devices built from Home Assistant MQTT discovery configs, through the Router:
// configs as Tasmota, Zigbee2MQTT and hand-written YAML publish them (abbreviated keys,
// `~`), each component's state and commands, availability, templates, removal, and
// discovery of the entities the home did not define.

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

// Tasmota's (legacy) discovery of a relay, abbreviated as Tasmota sends it.
constexpr std::string_view kTasmotaSwitchTopic = "homeassistant/switch/35EBF6_RL_1/config";
constexpr std::string_view kTasmotaSwitch =
    R"({"name":"3DPrinter","stat_t":"tele/EZPlug_35EBF6/STATE","avty_t":"tele/EZPlug_35EBF6/LWT",)"
    R"("pl_avail":"Online","pl_not_avail":"Offline","cmd_t":"cmnd/EZPlug_35EBF6/POWER1","pl_off":"OFF",)"
    R"("pl_on":"ON","val_tpl":"{{value_json.POWER1}}","uniq_id":"35EBF6_RL_1","dev":{"ids":["35EBF6"]}})";

// Zigbee2MQTT's discovery of a dimmable light (JSON schema, availability list).
constexpr std::string_view kZ2mLightTopic = "homeassistant/light/0x0017880104e45517/light/config";
constexpr std::string_view kZ2mLight =
    R"({"availability":[{"topic":"zigbee2mqtt/bridge/state","value_template":"{{ value_json.state }}"},)"
    R"({"topic":"zigbee2mqtt/Living Room/Lamp/availability","value_template":"{{ value_json.state }}"}],)"
    R"("availability_mode":"all","brightness":true,"brightness_scale":254,)"
    R"("command_topic":"zigbee2mqtt/Living Room/Lamp/set","device":{"identifiers":["zigbee2mqtt_0x0017880104e45517"]},)"
    R"("name":null,"object_id":"living_room_lamp","schema":"json","state_topic":"zigbee2mqtt/Living Room/Lamp",)"
    R"("supported_color_modes":["xy"],"unique_id":"0x0017880104e45517_light_zigbee2mqtt"})";

// Zigbee2MQTT's discovery of an occupancy sensor: boolean payloads.
constexpr std::string_view kZ2mMotionTopic =
    "homeassistant/binary_sensor/0x00158d0001a2b3c4/occupancy/config";
constexpr std::string_view kZ2mMotion =
    R"({"device_class":"occupancy","object_id":"hall_motion_occupancy","payload_off":false,"payload_on":true,)"
    R"("state_topic":"zigbee2mqtt/Hall Motion","unique_id":"0x00158d0001a2b3c4_occupancy_zigbee2mqtt",)"
    R"("value_template":"{{ value_json.occupancy }}"})";

class MqttHomeAssistant : public testing::RouterTest {};
// The suite is named <part>_<module> (docs/testing.md).
using mqtt_mapping_homeassistant = MqttHomeAssistant;

TEST_F(mqtt_mapping_homeassistant, a_device_reads_nothing_until_its_config_arrives) {
  add(55, "printer", "binarySwitch", R"({"homeassistant": "35EBF6_RL_1"})");
  EXPECT_EQ(router_.subscriptions(),
            (std::vector<std::string>{"homeassistant/+/+/+/config", "homeassistant/+/+/config"}));
  EXPECT_TRUE(message("tele/EZPlug_35EBF6/STATE", R"({"POWER1":"ON"})").reports.empty());
  std::string problem;
  EXPECT_TRUE(router_.on_action(action(55, "turnOn"), &problem).empty());
  EXPECT_EQ(
      problem,
      "device 'printer' (Home Assistant): its Home Assistant discovery config has not arrived");
}

TEST_F(mqtt_mapping_homeassistant, an_abbreviated_switch_config_maps_state_commands_and_availability) {
  add(55, "printer", "binarySwitch", R"({"homeassistant": "35EBF6_RL_1"})");
  const MessageResult config = message(kTasmotaSwitchTopic, kTasmotaSwitch);
  EXPECT_EQ(config.problem, std::nullopt);
  EXPECT_EQ(config.subscribe,
            (std::vector<std::string>{"tele/EZPlug_35EBF6/LWT", "tele/EZPlug_35EBF6/STATE"}));
  EXPECT_TRUE(config.reports.empty());  // Availability comes from the LWT.
  EXPECT_EQ(last(message("tele/EZPlug_35EBF6/STATE", R"({"Time":"x","POWER1":"ON"})"), "value"),
            DeviceValue(true));
  EXPECT_EQ(last(message("tele/EZPlug_35EBF6/LWT", "Offline"), "available"), DeviceValue(false));
  EXPECT_EQ(single(act_all(55, "turnOff")), (Publish{"cmnd/EZPlug_35EBF6/POWER1", "OFF", 1, false}));
  // Without a native toggle, toggle switches by the last value (on: off).
  EXPECT_EQ(single(act_all(55, "toggle")).payload, "OFF");
}

TEST_F(mqtt_mapping_homeassistant, the_object_id_also_names_the_entity) {
  add(55, "printer", "binarySwitch", R"({"homeassistant": "35EBF6_RL_1"})");
  std::string config(kTasmotaSwitch);
  config.replace(config.find("\"uniq_id\":\"35EBF6_RL_1\","),
                 std::string("\"uniq_id\":\"35EBF6_RL_1\",").size(), "");
  EXPECT_EQ(message(kTasmotaSwitchTopic, config).subscribe.size(), 2u);
}

TEST_F(mqtt_mapping_homeassistant, the_base_topic_replaces_a_leading_or_trailing_tilde) {
  add(56, "kitchen", "binarySwitch", R"({"homeassistant": "kitchen_light"})");
  const MessageResult config = message(
      "homeassistant/light/kitchen/config",
      R"({"~":"home/kitchen/light","name":"Kitchen","uniq_id":"kitchen_light","cmd_t":"~/set","stat_t":"~/state","avty_t":"status/~"})");
  EXPECT_EQ(config.subscribe,
            (std::vector<std::string>{"home/kitchen/light/state", "status/home/kitchen/light"}));
  EXPECT_EQ(single(act_all(56, "turnOn")).topic, "home/kitchen/light/set");
}

TEST_F(mqtt_mapping_homeassistant, a_json_light_scales_brightness_and_combines_its_availability) {
  add(57, "lamp", "multilevelSwitch",
      R"({"homeassistant": "0x0017880104e45517_light_zigbee2mqtt"})");
  message(kZ2mLightTopic, kZ2mLight);
  EXPECT_EQ(last(message("zigbee2mqtt/Living Room/Lamp",
                         R"({"brightness":127,"color_mode":"xy","state":"ON"})"),
                 "value"),
            integer(50));
  EXPECT_EQ(
      last(message("zigbee2mqtt/Living Room/Lamp", R"({"brightness":127,"state":"OFF"})"), "value"),
      integer(0));
  // Availability mode "all": the bridge and the lamp must both be online.
  EXPECT_EQ(last(message("zigbee2mqtt/bridge/state", R"({"state":"online"})"), "available"),
            DeviceValue(false));
  EXPECT_EQ(last(message("zigbee2mqtt/Living Room/Lamp/availability", R"({"state":"online"})"),
                 "available"),
            DeviceValue(true));
  EXPECT_EQ(last(message("zigbee2mqtt/bridge/state", "offline"), "available"), DeviceValue(false));
  EXPECT_EQ(single(act_all(57, "setValue", {integer(99)})),
            (Publish{"zigbee2mqtt/Living Room/Lamp/set", R"({"state":"ON","brightness":254})", 1,
                     false}));
  EXPECT_EQ(single(act_all(57, "setValue", {integer(0)})).payload, R"({"state":"OFF"})");
}

TEST_F(mqtt_mapping_homeassistant, a_json_color_light_reports_and_sets_rgb) {
  add(58, "strip", "colorController", R"({"homeassistant": "strip"})");
  message(
      "homeassistant/light/strip/config",
      R"({"schema":"json","uniq_id":"strip","cmd_t":"strip/set","stat_t":"strip/state","sup_clrm":["rgb"]})");
  EXPECT_EQ(last(message("strip/state",
                         R"({"state":"ON","brightness":255,"color":{"r":0,"g":0,"b":255}})"),
                 "color"),
            json("[0,0,255,0]"));
  EXPECT_EQ(single(act_all(58, "setColor", {integer(255), integer(0), integer(0)})).payload,
            R"({"state":"ON","color":{"r":255,"g":0,"b":0}})");
}

TEST_F(mqtt_mapping_homeassistant, a_default_schema_light_uses_its_brightness_topics) {
  add(56, "desk", "multilevelSwitch", R"({"homeassistant": "desk_light"})");
  message(
      "homeassistant/light/desk/config",
      R"({"name":"Desk","uniq_id":"desk_light","cmd_t":"desk/light/switch","stat_t":"desk/light/status",)"
      R"("bri_cmd_t":"desk/brightness/set","bri_stat_t":"desk/brightness/status","bri_scl":100,"pl_on":"1","pl_off":"0"})");
  EXPECT_EQ(last(message("desk/brightness/status", "50"), "value"), integer(50));
  EXPECT_EQ(last(message("desk/light/status", "0"), "value"), integer(0));
  EXPECT_EQ(last(message("desk/light/status", "1"), "value"), integer(50));
  // HA's default on_command_type "last": the brightness, then ON.
  EXPECT_EQ(act_all(56, "setValue", {integer(99)}),
            (std::vector<Publish>{{"desk/brightness/set", "100", 1, false},
                                  {"desk/light/switch", "1", 1, false}}));
  EXPECT_EQ(act_all(56, "setValue", {integer(0)}),
            (std::vector<Publish>{{"desk/light/switch", "0", 1, false}}));
}

TEST_F(mqtt_mapping_homeassistant, a_binary_sensor_compares_with_boolean_payloads) {
  add(66, "hall_motion", "binarySensor",
      R"({"homeassistant": "0x00158d0001a2b3c4_occupancy_zigbee2mqtt"})");
  message(kZ2mMotionTopic, kZ2mMotion);
  EXPECT_EQ(last(message("zigbee2mqtt/Hall Motion", R"({"battery":90,"occupancy":true})"), "value"),
            DeviceValue(true));
  EXPECT_EQ(last(message("zigbee2mqtt/Hall Motion", R"({"occupancy":false})"), "value"),
            DeviceValue(false));
  // A message without the templated key (only the battery changed) reports nothing.
  EXPECT_TRUE(message("zigbee2mqtt/Hall Motion", R"({"battery":89})").reports.empty());
}

TEST_F(mqtt_mapping_homeassistant, a_sensor_value_goes_through_its_template) {
  add(77, "outdoor", "multilevelSensor", R"({"homeassistant": "outdoor_temp"})");
  message(
      "homeassistant/sensor/weather/outdoor/config",
      R"({"name":"Outdoor","stat_t":"weather/outdoor","val_tpl":"{{ value_json.temp | round(1) }}","unit_of_meas":"°C","uniq_id":"outdoor_temp"})");
  EXPECT_EQ(last(message("weather/outdoor", R"({"temp":12.345,"hum":80})"), "value"),
            DeviceValue(12.3));
}

TEST_F(mqtt_mapping_homeassistant, a_template_outside_the_subset_is_reported_once_and_the_raw_payload_used) {
  add(77, "meter", "multilevelSensor", R"({"homeassistant": "meter"})");
  const std::string config =
      R"({"uniq_id":"meter","stat_t":"meter/power","val_tpl":"{{ (value | float) * 1000 }}"})";
  const MessageResult first = message("homeassistant/sensor/meter/config", config);
  EXPECT_EQ(first.problem,
            "device 'meter' (Home Assistant): value_template '{{ (value | float) * 1000 }}' is "
            "outside the supported "
            "template subset; the raw payload is used");
  EXPECT_EQ(message("homeassistant/sensor/meter/config", config).problem, std::nullopt);
  EXPECT_EQ(last(message("meter/power", "1.5"), "value"), DeviceValue(1.5));
}

TEST_F(mqtt_mapping_homeassistant, a_cover_scales_its_position_range) {
  add("garage", "garage_door", "rollerShutter", R"({"homeassistant": "garage"})");
  message(
      "homeassistant/cover/garage/config",
      R"({"uniq_id":"garage","cmd_t":"garage/set","pos_t":"garage/position","pos_tpl":"{{ value_json.pos }}",)"
      R"("set_pos_t":"garage/position/set","set_pos_tpl":"{\"pos\": {{ position }}}","pos_open":255,"pos_clsd":0,)"
      R"("pl_stop":null})");
  const MessageResult moved = message("garage/position", R"({"pos":51})");
  EXPECT_EQ(last(moved, "value"), integer(20));
  EXPECT_EQ(last(moved, "position"), integer(20));
  EXPECT_EQ(single(act_all("garage", "setPosition", {integer(50)})),
            (Publish{"garage/position/set", R"({"pos": 128})", 1, false}));
  EXPECT_EQ(single(act_all("garage", "open")), (Publish{"garage/set", "OPEN", 1, false}));
  EXPECT_EQ(single(act_all("garage", "close")).payload, "CLOSE");
  std::string problem;
  EXPECT_TRUE(router_.on_action(action("garage", "stop"), &problem).empty());  // pl_stop: null
  EXPECT_EQ(problem, "device 'garage_door' (Home Assistant): action 'stop' has no command mapping");
}

TEST_F(mqtt_mapping_homeassistant, a_cover_without_position_reads_open_and_closed) {
  add("gate", "gate", "rollerShutter", R"({"homeassistant": "gate"})");
  message("homeassistant/cover/gate/config",
          R"({"uniq_id":"gate","cmd_t":"gate/set","stat_t":"gate/state","qos":0,"ret":true})");
  EXPECT_EQ(last(message("gate/state", "open"), "value"), integer(100));
  EXPECT_EQ(last(message("gate/state", "closed"), "position"), integer(0));
  EXPECT_TRUE(message("gate/state", "opening").reports.empty());
  EXPECT_EQ(single(act_all("gate", "stop")),
            (Publish{"gate/set", "STOP", 0, true}));  // The config's qos and retain.
}

TEST_F(mqtt_mapping_homeassistant, a_button_press_publishes_its_payload) {
  add(91, "restart", "remoteController", R"({"homeassistant": "esp_restart"})");
  message("homeassistant/button/esp/restart/config",
          R"({"name":"Restart","uniq_id":"esp_restart","cmd_t":"esp/restart","pl_prs":"RESTART"})");
  EXPECT_EQ(single(act_all(91, "press")), (Publish{"esp/restart", "RESTART", 1, false}));
}

TEST_F(mqtt_mapping_homeassistant, a_number_reads_and_sets_its_value_through_templates) {
  add(92, "target", "multilevelSwitch", R"({"homeassistant": "target"})");
  message(
      "homeassistant/number/thing/target/config",
      R"({"uniq_id":"target","cmd_t":"thing/target/set","stat_t":"thing/target","cmd_tpl":"{\"value\": {{ value }}}"})");
  EXPECT_EQ(last(message("thing/target", "42"), "value"), integer(42));
  EXPECT_EQ(single(act_all(92, "setValue", {30.0})).payload, R"({"value": 30})");
}

TEST_F(mqtt_mapping_homeassistant, a_climate_entity_reads_several_values_from_one_topic) {
  add(90, "office", "thermostat", R"({"homeassistant": "office_hvac"})");
  message(
      "homeassistant/climate/office/config",
      R"({"uniq_id":"office_hvac","curr_temp_t":"office/hvac/state","curr_temp_tpl":"{{ value_json.current }}",)"
      R"("temp_stat_t":"office/hvac/state","temp_stat_tpl":"{{ value_json.target }}","temp_cmd_t":"office/hvac/target/set",)"
      R"("mode_stat_t":"office/hvac/state","mode_stat_tpl":"{{ value_json.mode }}","mode_cmd_t":"office/hvac/mode/set",)"
      R"("modes":["off","heat","auto"]})");
  const MessageResult result =
      message("office/hvac/state", R"({"current":20.5,"target":21,"mode":"heat"})");
  EXPECT_EQ(last(result, "value"), DeviceValue(20.5));
  EXPECT_EQ(last(result, "heatingThermostatSetpoint"), integer(21));
  EXPECT_EQ(last(result, "thermostatMode"), text("Heat"));
  EXPECT_EQ(single(act_all(90, "setHeatingThermostatSetpoint", {21.5})),
            (Publish{"office/hvac/target/set", "21.5", 1, false}));
  EXPECT_EQ(single(act_all(90, "setThermostatMode", {text("Off")})).payload, "off");
}

TEST_F(mqtt_mapping_homeassistant, custom_availability_payloads_and_a_config_without_any) {
  add(55, "pump", "binarySwitch", R"({"homeassistant": "pump"})");
  add(56, "fan", "binarySwitch", R"({"homeassistant": "fan_relay"})");
  message(
      "homeassistant/switch/pump/config",
      R"({"uniq_id":"pump","cmd_t":"pump/set","avty_t":"pump/status","pl_avail":"alive","pl_not_avail":"dead"})");
  EXPECT_EQ(last(message("pump/status", "dead"), "available"), DeviceValue(false));
  EXPECT_TRUE(message("pump/status", "online").reports.empty());
  // Without availability the entity is available once its config is there.
  EXPECT_EQ(message("homeassistant/switch/fan_relay/config",
                    R"({"uniq_id":"fan_relay","cmd_t":"fan/set"})")
                .reports,
            (std::vector<Report>{{56, "available", true, false}}));
}

TEST_F(mqtt_mapping_homeassistant, availability_mode_any_needs_one_source_online) {
  add(55, "pump", "binarySwitch", R"({"homeassistant": "pump"})");
  message(
      "homeassistant/switch/pump/config",
      R"({"uniq_id":"pump","cmd_t":"pump/set","avty_mode":"any","avty":[{"t":"pump/wifi"},{"t":"pump/lora"}]})");
  EXPECT_EQ(last(message("pump/wifi", "offline"), "available"), DeviceValue(false));
  EXPECT_EQ(last(message("pump/lora", "online"), "available"), DeviceValue(true));
  EXPECT_EQ(last(message("pump/wifi", "offline"), "available"), DeviceValue(true));
  EXPECT_EQ(last(message("pump/lora", "offline"), "available"), DeviceValue(false));
}

TEST_F(mqtt_mapping_homeassistant, on_command_type_first_sends_on_before_the_brightness) {
  add(56, "desk", "multilevelSwitch", R"({"homeassistant": "desk"})");
  message("homeassistant/light/desk/config",
          R"({"uniq_id":"desk","cmd_t":"desk/on","bri_cmd_t":"desk/bri","on_cmd_type":"first"})");
  EXPECT_EQ(act_all(56, "setValue", {integer(50)}),
            (std::vector<Publish>{{"desk/on", "ON", 1, false}, {"desk/bri", "129", 1, false}}));
}

TEST_F(mqtt_mapping_homeassistant, an_empty_config_removes_the_entity) {
  add(55, "printer", "binarySwitch", R"({"homeassistant": "35EBF6_RL_1"})");
  message(kTasmotaSwitchTopic, kTasmotaSwitch);
  EXPECT_EQ(message(kTasmotaSwitchTopic, "").reports,
            (std::vector<Report>{{55, "available", false, false}}));
  EXPECT_TRUE(message("tele/EZPlug_35EBF6/STATE", R"({"POWER1":"ON"})").reports.empty());
  EXPECT_EQ(router_.subscriptions().size(), 2u);  // Only the discovery filters.
  // Announced again, it is mapped again.
  EXPECT_EQ(message(kTasmotaSwitchTopic, kTasmotaSwitch).subscribe.size(), 2u);
}

TEST_F(mqtt_mapping_homeassistant, a_config_that_cannot_drive_the_device_is_a_problem) {
  add(66, "motion", "binarySensor", R"({"homeassistant": "35EBF6_RL_1"})");
  const MessageResult result = message(kTasmotaSwitchTopic, kTasmotaSwitch);
  EXPECT_EQ(result.problem,
            "device 'motion' (Home Assistant): config on "
            "'homeassistant/switch/35EBF6_RL_1/config': a Home Assistant "
            "switch cannot drive a binarySensor");
  EXPECT_TRUE(result.subscribe.empty());
  EXPECT_EQ(message("homeassistant/fan/attic/config", R"({"uniq_id":"35EBF6_RL_1"})").problem,
            "device 'motion' (Home Assistant): config on 'homeassistant/fan/attic/config': Home "
            "Assistant component "
            "'fan' is not supported");
}

TEST_F(mqtt_mapping_homeassistant, a_config_with_unusable_topics_is_a_problem) {
  add(55, "pump", "binarySwitch", R"({"homeassistant": "pump"})");
  EXPECT_EQ(message("homeassistant/switch/pump/config",
                    R"({"uniq_id":"pump","cmd_t":"pump/#","stat_t":"pump/state"})")
                .problem,
            "device 'pump' (Home Assistant): config on 'homeassistant/switch/pump/config': "
            "command_topic: topic 'pump/#' "
            "has a wildcard");
  EXPECT_EQ(message("homeassistant/switch/pump/config",
                    R"({"uniq_id":"pump","cmd_t":"pump/set","stat_t":"pump+state"})")
                .problem,
            "device 'pump' (Home Assistant): config on 'homeassistant/switch/pump/config': "
            "state_topic: a wildcard that is "
            "not a whole level");
  EXPECT_EQ(router_.subscriptions().size(), 2u);
  // A state topic may be a filter, as in Home Assistant.
  EXPECT_EQ(message("homeassistant/switch/pump/config",
                    R"({"uniq_id":"pump","cmd_t":"pump/set","stat_t":"pump/+/state"})")
                .subscribe,
            std::vector<std::string>{"pump/+/state"});
  EXPECT_EQ(last(message("pump/1/state", "ON"), "value"), DeviceValue(true));
}

// ---- Discovery ---------------------------------------------------------------------

class MqttHomeAssistantDiscovery : public MqttHomeAssistant {
 protected:
  static RouterOptions discovering() {
    RouterOptions options;
    options.discover_homeassistant = true;
    return options;
  }
  void SetUp() override { router_ = Router(discovering()); }
};
// The suite is named <part>_<module> (docs/testing.md).
using mqtt_mapping_homeassistant_discovery = MqttHomeAssistantDiscovery;

TEST_F(mqtt_mapping_homeassistant_discovery, every_config_the_home_did_not_map_becomes_a_device) {
  EXPECT_EQ(router_.subscriptions(),
            (std::vector<std::string>{"homeassistant/+/+/+/config", "homeassistant/+/+/config"}));
  const MessageResult light = message(kZ2mLightTopic, kZ2mLight);
  ASSERT_EQ(light.discovered.size(), 1u);
  const DeviceSpec& spec = light.discovered[0].spec;
  EXPECT_EQ(spec.id, DeviceId(std::string("ha:0x0017880104e45517_light_zigbee2mqtt")));
  EXPECT_EQ(spec.name, "living_room_lamp");  // The config's object_id.
  EXPECT_EQ(spec.type, "multilevelSwitch");
  EXPECT_EQ(spec.mqtt, nlohmann::json({{"homeassistant", "0x0017880104e45517_light_zigbee2mqtt"}}));
  EXPECT_EQ(light.subscribe, (std::vector<std::string>{"zigbee2mqtt/Living Room/Lamp",
                                                       "zigbee2mqtt/Living Room/Lamp/availability",
                                                       "zigbee2mqtt/bridge/state"}));
  const MessageResult sw = message(kTasmotaSwitchTopic, kTasmotaSwitch);
  ASSERT_EQ(sw.discovered.size(), 1u);
  EXPECT_EQ(sw.discovered[0].spec.name, "z_35ebf6_rl_1");
  EXPECT_EQ(sw.discovered[0].spec.type, "binarySwitch");
  EXPECT_EQ(message(kTasmotaSwitchTopic, kTasmotaSwitch).discovered.size(),
            0u);  // Announced again.
  EXPECT_EQ(router_.devices().size(), 2u);
}

TEST_F(mqtt_mapping_homeassistant_discovery,
       names_and_ids_without_object_id_or_unique_id_come_from_the_topic) {
  const MessageResult result =
      message("homeassistant/sensor/livingroom/temperature/config",
              R"({"name":"Temperature","stat_t":"livingroom/sensor/temperature/state"})");
  ASSERT_EQ(result.discovered.size(), 1u);
  EXPECT_EQ(result.discovered[0].spec.id, DeviceId(std::string("ha:livingroom/temperature")));
  EXPECT_EQ(result.discovered[0].spec.name, "livingroom_temperature");
  EXPECT_EQ(result.discovered[0].spec.type, "multilevelSensor");
}

TEST_F(mqtt_mapping_homeassistant_discovery, components_get_their_types_and_unsupported_ones_are_skipped) {
  const auto type_of = [&](const char* topic, const char* config) -> std::string {
    const MessageResult result = message(topic, config);
    return result.discovered.empty() ? "-" : result.discovered[0].spec.type;
  };
  EXPECT_EQ(type_of("homeassistant/button/b/config", R"({"cmd_t":"b/press"})"), "binarySwitch");
  EXPECT_EQ(type_of("homeassistant/number/n/config", R"({"cmd_t":"n/set"})"), "multilevelSwitch");
  EXPECT_EQ(type_of("homeassistant/cover/c/config", R"({"cmd_t":"c/set"})"), "rollerShutter");
  EXPECT_EQ(type_of("homeassistant/climate/t/config", R"({"mode_cmd_t":"t/mode"})"), "thermostat");
  EXPECT_EQ(type_of("homeassistant/binary_sensor/d/config", R"({"stat_t":"d/state"})"),
            "binarySensor");
  EXPECT_EQ(type_of("homeassistant/light/l/config", R"({"cmd_t":"l/set"})"), "binarySwitch");
  EXPECT_EQ(type_of("homeassistant/fan/f/config", R"({"cmd_t":"f/set"})"), "-");
  // A discovered button is pressed by turnOn.
  EXPECT_EQ(single(act_all(std::string("ha:b"), "turnOn")), (Publish{"b/press", "PRESS", 1, false}));
}

TEST_F(mqtt_mapping_homeassistant_discovery, devices_the_home_defines_win) {
  add(55, "printer", "binarySwitch", R"({"homeassistant": "35EBF6_RL_1"})");
  add(60, "living_room_lamp", "binarySwitch", R"({"state": {"topic": "lamp/state"}})");
  const MessageResult sw = message(kTasmotaSwitchTopic, kTasmotaSwitch);
  EXPECT_TRUE(sw.discovered.empty());
  EXPECT_EQ(sw.subscribe.size(), 2u);  // Bound to the home's device instead.
  EXPECT_TRUE(message(kZ2mLightTopic, kZ2mLight).discovered.empty());  // Same name.
}

TEST_F(mqtt_mapping_homeassistant_discovery, a_removed_entity_announced_again_is_the_same_device) {
  ASSERT_EQ(message(kTasmotaSwitchTopic, kTasmotaSwitch).discovered.size(), 1u);
  EXPECT_EQ(message(kTasmotaSwitchTopic, "").reports,
            (std::vector<Report>{{std::string("ha:35EBF6_RL_1"), "available", false, false}}));
  const MessageResult again = message(kTasmotaSwitchTopic, kTasmotaSwitch);
  EXPECT_TRUE(again.discovered.empty());
  EXPECT_EQ(again.subscribe.size(), 2u);
  EXPECT_EQ(router_.devices(), std::vector<DeviceId>{std::string("ha:35EBF6_RL_1")});
}

TEST_F(mqtt_mapping_homeassistant_discovery, a_config_that_is_not_json_is_a_problem) {
  EXPECT_EQ(message("homeassistant/switch/x/config", "{oops").problem,
            "Home Assistant config on 'homeassistant/switch/x/config': it is not valid JSON");
}

}  // namespace
}  // namespace er::mqtt

// Devices on plain topics through the Router: payload conversion, JSON paths, maps,
// several properties, command payloads and templates, availability, and the problems
// of a mapping.

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

class MqttPlain : public testing::RouterTest {};
// The suite is named <part>_<module> (docs/testing.md).
using mqtt_mapping_plain = MqttPlain;

TEST_F(mqtt_mapping_plain, json_booleans_and_numbers_are_converted_and_the_rest_is_text) {
  add(1, "probe", "multilevelSensor", R"({"state": {"topic": "garden/probe"}})");
  EXPECT_EQ(last(message("garden/probe", "17.5"), "value"), DeviceValue(17.5));
  EXPECT_EQ(last(message("garden/probe", "-3"), "value"), integer(-3));
  EXPECT_EQ(last(message("garden/probe", "true"), "value"), DeviceValue(true));
  EXPECT_EQ(last(message("garden/probe", "warm"), "value"), text("warm"));
  EXPECT_EQ(last(message("garden/probe", R"({"t":1})"), "value"), text(R"({"t":1})"));
}

TEST_F(mqtt_mapping_plain, a_json_path_picks_a_value_from_the_payload) {
  add(2, "meter", "multilevelSensor",
      R"({"state": {"topic": "tele/meter/SENSOR", "json": "ENERGY.Power"}})");
  EXPECT_EQ(
      last(message("tele/meter/SENSOR", R"({"ENERGY":{"Power":230.5,"Voltage":231}})"), "value"),
      DeviceValue(230.5));
  EXPECT_TRUE(
      message("tele/meter/SENSOR", R"({"ANALOG":{"A0":12}})").reports.empty());  // Path not there.
  EXPECT_EQ(message("tele/meter/SENSOR", "230 W").problem,
            "device 'meter' (plain MQTT): state on 'tele/meter/SENSOR': it is not valid JSON");
}

TEST_F(mqtt_mapping_plain, a_map_turns_payloads_into_values) {
  add("gate", "gate", "binarySensor",
      R"({"state": {"topic": "gate/state", "map": {"OPEN": true, "CLOSED": false}}})");
  EXPECT_EQ(last(message("gate/state", "OPEN"), "value"), DeviceValue(true));
  EXPECT_EQ(last(message("gate/state", "CLOSED"), "value"), DeviceValue(false));
  const MessageResult other = message("gate/state", "JAMMED");
  EXPECT_TRUE(other.reports.empty());
  EXPECT_EQ(other.problem,
            "device 'gate' (plain MQTT): state on 'gate/state': 'JAMMED' is not in the map");
}

TEST_F(mqtt_mapping_plain, number_parses_text_and_a_json_value_can_be_mapped) {
  add(3, "level", "multilevelSensor", R"({"state": {"topic": "tank/level", "number": true}})");
  add(4, "pump", "binarySwitch",
      R"({"state": {"topic": "pump/status", "json": "state", "map": {"running": true, "idle": false}}})");
  EXPECT_EQ(last(message("tank/level", " 42 "), "value"), integer(42));
  EXPECT_EQ(message("tank/level", "full").problem,
            "device 'level' (plain MQTT): state on 'tank/level': 'full' is not a number");
  EXPECT_EQ(last(message("pump/status", R"({"state":"running","since":12})"), "value"),
            DeviceValue(true));
}

TEST_F(mqtt_mapping_plain, a_list_of_states_reports_several_properties) {
  add(5, "heat_pump", "thermostat", R"({"state": [
      {"topic": "hp/state", "json": "room", "property": "value"},
      {"topic": "hp/state", "json": "target", "property": "heatingThermostatSetpoint"},
      {"topic": "hp/mode", "property": "thermostatMode"}]})");
  const MessageResult result = message("hp/state", R"({"room":20.5,"target":22})");
  EXPECT_EQ(result.reports,
            (std::vector<Report>{{5, "value", 20.5, false},
                                 {5, "heatingThermostatSetpoint", integer(22), false}}));
  EXPECT_EQ(last(message("hp/mode", "Heat"), "thermostatMode"), text("Heat"));
}

TEST_F(mqtt_mapping_plain, state_topics_may_have_wildcards) {
  add(6, "any_door", "binarySensor", R"({"state": {"topic": "doors/+/open"}})");
  EXPECT_EQ(router_.subscriptions(), std::vector<std::string>{"doors/+/open"});
  EXPECT_EQ(last(message("doors/front/open", "true"), "value"), DeviceValue(true));
  EXPECT_TRUE(message("doors/front/closed", "true").reports.empty());
}

TEST_F(mqtt_mapping_plain, commands_publish_their_payloads_and_fill_templates) {
  add("gate", "gate", "rollerShutter",
      R"({"command": {"topic": "gate/cmd", "open": "OPEN", "close": "CLOSE", "setPosition": "{\"pos\": {{ value }}}", "stop": 0}})");
  add(7, "display", "binarySwitch",
      R"({"command": {"topic": "display/set", "setValue": "{{value}}", "retain": true, "qos": 2}})");
  EXPECT_EQ(act("gate", "open"), (Publish{"gate/cmd", "OPEN", 1, false}));
  EXPECT_EQ(act("gate", "stop").payload, "0");
  EXPECT_EQ(act("gate", "setPosition", {integer(40)}).payload, R"({"pos": 40})");
  EXPECT_EQ(act(7, "setValue", {json(R"({"text":"hi"})")}),
            (Publish{"display/set", R"({"text":"hi"})", 2, true}));
  EXPECT_EQ(act(7, "setValue", {70.0}).payload, "70");
}

TEST_F(mqtt_mapping_plain, toggle_without_a_payload_switches_by_the_last_value) {
  add(8, "relay", "binarySwitch",
      R"({"state": {"topic": "relay/state", "map": {"1": true, "0": false}}, "command": {"topic": "relay/set", "turnOn": "1", "turnOff": "0"}})");
  EXPECT_EQ(act(8, "toggle").payload, "1");  // Nothing known: on.
  message("relay/state", "1");
  EXPECT_EQ(act(8, "toggle").payload, "0");
  message("relay/state", "0");
  EXPECT_EQ(act(8, "toggle").payload, "1");
}

TEST_F(mqtt_mapping_plain, an_action_without_a_payload_says_so) {
  add("gate", "gate", "rollerShutter",
      R"({"command": {"topic": "gate/cmd", "open": "OPEN", "setPosition": "{{value}}"}})");
  std::string problem;
  EXPECT_TRUE(act("gate", "setColor", {}, &problem).empty());
  EXPECT_EQ(problem, "device 'gate' (plain MQTT): action 'setColor' has no command mapping");
  EXPECT_TRUE(act("gate", "setPosition", {}, &problem).empty());
  EXPECT_EQ(problem,
            "device 'gate' (plain MQTT): setPosition needs an argument for its payload template");
}

TEST_F(mqtt_mapping_plain, availability_has_its_own_topic_and_payloads) {
  add(9, "sensor", "binarySensor",
      R"({"state": {"topic": "s/state"}, "availability": {"topic": "s/lwt", "online": "up", "offline": "down"}})");
  add(10, "plain", "binarySensor", R"({"state": {"topic": "p/state"}})");
  EXPECT_EQ(last(message("s/lwt", "down"), "available"), DeviceValue(false));
  EXPECT_EQ(last(message("s/lwt", "up"), "available"), DeviceValue(true));
  EXPECT_EQ(message("s/lwt", "online").problem,
            "device 'sensor' (plain MQTT): availability 'online' is neither 'up' nor 'down'");
  EXPECT_EQ(router_.devices_without_availability(), std::vector<DeviceId>{10});
}

TEST_F(mqtt_mapping_plain, mapping_problems_are_reported_when_the_device_is_added) {
  const auto problems = [&](std::string_view mqtt) {
    return router_.add_device(device(11, "thing", "binarySwitch", mqtt));
  };
  EXPECT_EQ(problems(R"({"state": {"topic": "a"}, "comand": {"topic": "b"}})"),
            std::vector<std::string>{
                "device 'thing' (plain MQTT): unknown key 'comand' in the mqtt table"});
  EXPECT_EQ(problems(R"({"state": {"json": "a"}})"),
            std::vector<std::string>{"device 'thing' (plain MQTT): state needs topic (a string)"});
  EXPECT_EQ(problems(R"({"state": {"topic": "a/#/b"}})"),
            std::vector<std::string>{
                "device 'thing' (plain MQTT): state topic 'a/#/b': '#' before the last level"});
  EXPECT_EQ(problems(R"({"command": {"topic": "a/+", "turnOn": "1"}})"),
            std::vector<std::string>{
                "device 'thing' (plain MQTT): command topic: topic 'a/+' has a wildcard"});
  EXPECT_EQ(problems(R"({"command": {"topic": "a", "qos": 3}})"),
            std::vector<std::string>{"device 'thing' (plain MQTT): command qos must be 0, 1 or 2"});
  EXPECT_EQ(problems(R"({"command": {"topic": "a", "turnOn": {"x": 1}}})"),
            std::vector<std::string>{
                "device 'thing' (plain MQTT): command 'turnOn' must be a payload (a string)"});
  EXPECT_TRUE(router_.devices().empty());
}

}  // namespace
}  // namespace er::mqtt

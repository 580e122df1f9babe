// Tasmota devices through the Router: stat/tele messages as Tasmota publishes them,
// the LWT, commands, the state queries on connect, and FullTopic patterns.

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
using testing::values_of;

class MqttTasmota : public testing::RouterTest {};
// The suite is named <part>_<module> (docs/testing.md).
using mqtt_mapping_tasmota = MqttTasmota;

TEST_F(mqtt_mapping_tasmota, power_state_comes_from_stat_power_result_and_state) {
  add(55, "hall_lamp", "binarySwitch", R"({"tasmota": "sonoff_hall"})");
  EXPECT_EQ(last(message("stat/sonoff_hall/POWER", "ON"), "value"), DeviceValue(true));
  EXPECT_EQ(last(message("stat/sonoff_hall/RESULT", R"({"POWER":"OFF"})"), "value"),
            DeviceValue(false));
  const MessageResult state = message(
      "tele/sonoff_hall/STATE",
      R"({"Time":"2024-05-01T10:00:00","Uptime":"0T01:00:00","Heap":25,"POWER":"ON","Wifi":{"AP":1,"RSSI":78}})");
  EXPECT_EQ(values_of(state, "value"), std::vector<DeviceValue>{true});
  EXPECT_EQ(last(state, "Wifi"), std::nullopt);  // STATE's housekeeping is not reported.
}

TEST_F(mqtt_mapping_tasmota, a_relay_number_picks_its_power_key) {
  add(55, "left", "binarySwitch", R"({"tasmota": "dual", "relay": 2})");
  EXPECT_TRUE(message("stat/dual/RESULT", R"({"POWER1":"ON"})").reports.empty());
  EXPECT_EQ(last(message("stat/dual/RESULT", R"({"POWER2":"ON"})"), "value"), DeviceValue(true));
  EXPECT_EQ(last(message("stat/dual/POWER2", "OFF"), "value"), DeviceValue(false));
  EXPECT_EQ(act(55, "turnOn"), (Publish{"cmnd/dual/POWER2", "ON", 1, false}));
}

TEST_F(mqtt_mapping_tasmota, a_single_relay_answers_to_power_and_power1) {
  add(55, "plug", "binarySwitch", R"({"tasmota": "plug"})");
  EXPECT_EQ(last(message("stat/plug/RESULT", R"({"POWER1":"ON"})"), "value"), DeviceValue(true));
  EXPECT_EQ(last(message("stat/plug/POWER1", "OFF"), "value"), DeviceValue(false));
}

TEST_F(mqtt_mapping_tasmota, a_dimmer_reports_its_dimmer_level_while_on) {
  add(56, "dimmer", "multilevelSwitch", R"({"tasmota": "dimmer"})");
  EXPECT_EQ(values_of(message("stat/dimmer/RESULT", R"({"POWER":"ON","Dimmer":40})"), "value"),
            std::vector<DeviceValue>{integer(40)});
  EXPECT_EQ(last(message("stat/dimmer/RESULT", R"({"Dimmer":100})"), "value"), integer(99));
  EXPECT_EQ(last(message("stat/dimmer/POWER", "OFF"), "value"), integer(0));
  // A level while the relay is off keeps the value at 0, and is the value once on.
  EXPECT_EQ(last(message("stat/dimmer/RESULT", R"({"Dimmer":30})"), "value"), integer(0));
  EXPECT_EQ(last(message("stat/dimmer/POWER", "ON"), "value"), integer(30));
  EXPECT_EQ(last(message("tele/dimmer/STATE", R"({"POWER":"ON","Dimmer":20})"), "value"),
            integer(20));
}

TEST_F(mqtt_mapping_tasmota, sensor_objects_are_properties_and_energy_power_is_power) {
  add(55, "washer", "binarySwitch", R"({"tasmota": "washer"})");
  const MessageResult result = message(
      "tele/washer/SENSOR",
      R"({"Time":"2024-05-01T10:00:00","ENERGY":{"TotalStartTime":"2024-01-01T00:00:00","Total":12.345,"Power":512.5,"Voltage":230},"TempUnit":"C"})");
  EXPECT_EQ(last(result, "power"), DeviceValue(512.5));
  EXPECT_EQ(
      last(result, "ENERGY"),
      json(
          R"({"TotalStartTime":"2024-01-01T00:00:00","Total":12.345,"Power":512.5,"Voltage":230})"));
  EXPECT_EQ(last(result, "TempUnit"), DeviceValue(std::string("C")));
  EXPECT_EQ(last(result, "Time"), std::nullopt);
  EXPECT_EQ(last(result, "value"), std::nullopt);
}

TEST_F(mqtt_mapping_tasmota, a_meter_with_several_channels_reports_the_relays_channel) {
  add(55, "left", "binarySwitch", R"({"tasmota": "dual", "relay": 2})");
  EXPECT_EQ(
      last(message("tele/dual/SENSOR", R"({"ENERGY":{"Power":[12,34],"Voltage":230}})"), "power"),
      integer(34));
}

TEST_F(mqtt_mapping_tasmota, a_multilevel_sensor_takes_the_first_temperature) {
  add(77, "attic", "multilevelSensor", R"({"tasmota": "attic"})");
  const MessageResult result = message(
      "tele/attic/SENSOR",
      R"({"Time":"2024-05-01T10:00:00","BH1750":{"Illuminance":310},"AM2301":{"Temperature":21.3,"Humidity":40.1},"TempUnit":"C"})");
  EXPECT_EQ(last(result, "value"), DeviceValue(21.3));
  EXPECT_EQ(last(result, "AM2301"), json(R"({"Temperature":21.3,"Humidity":40.1})"));
}

TEST_F(mqtt_mapping_tasmota, sensor_chooses_another_measurement_and_status10_answers_too) {
  add(78, "attic_light", "multilevelSensor",
      R"({"tasmota": "attic", "sensor": "BH1750.Illuminance"})");
  EXPECT_EQ(last(message("tele/attic/SENSOR",
                         R"({"BH1750":{"Illuminance":310},"AM2301":{"Temperature":21.3}})"),
                 "value"),
            integer(310));
  EXPECT_EQ(last(message("stat/attic/STATUS10", R"({"StatusSNS":{"BH1750":{"Illuminance":280}}})"),
                 "value"),
            integer(280));
}

TEST_F(mqtt_mapping_tasmota, a_switch_input_is_a_binary_sensor) {
  add(67, "door", "binarySensor", R"({"tasmota": "door"})");
  EXPECT_EQ(last(message("tele/door/SENSOR", R"({"Time":"x","Switch1":"ON"})"), "value"),
            DeviceValue(true));
}

TEST_F(mqtt_mapping_tasmota, the_lwt_is_the_availability) {
  add(55, "plug", "binarySwitch", R"({"tasmota": "plug"})");
  EXPECT_EQ(last(message("tele/plug/LWT", "Online"), "available"), DeviceValue(true));
  EXPECT_EQ(last(message("tele/plug/LWT", "Offline"), "available"), DeviceValue(false));
  EXPECT_EQ(message("tele/plug/LWT", "gone").problem,
            "device 'plug' (Tasmota): LWT is not Online or Offline");
}

TEST_F(mqtt_mapping_tasmota, commands_publish_to_cmnd_topics) {
  add(55, "plug", "binarySwitch", R"({"tasmota": "plug"})");
  add(56, "dimmer", "multilevelSwitch", R"({"tasmota": "dimmer"})");
  add(57, "bulb", "colorController", R"({"tasmota": "bulb"})");
  EXPECT_EQ(act(55, "turnOff"), (Publish{"cmnd/plug/POWER", "OFF", 1, false}));
  EXPECT_EQ(act(55, "toggle").payload, "TOGGLE");
  EXPECT_EQ(act(55, "setValue", {false}).payload, "OFF");
  EXPECT_EQ(act(56, "setValue", {integer(40)}), (Publish{"cmnd/dimmer/Dimmer", "40", 1, false}));
  EXPECT_EQ(act(56, "setValue", {integer(250)}).payload, "100");
  EXPECT_EQ(act(56, "setValue", {-3.0}).payload, "0");
  EXPECT_EQ(act(57, "setColor", {integer(255), integer(128), integer(0)}),
            (Publish{"cmnd/bulb/Color", "255,128,0", 1, false}));
  EXPECT_EQ(
      last(message("stat/bulb/RESULT", R"({"POWER":"ON","Dimmer":100,"Color":"FF8000"})"), "color"),
      json("[255,128,0,0]"));
}

TEST_F(mqtt_mapping_tasmota, on_connect_asks_every_device_for_its_state) {
  add(55, "left", "binarySwitch", R"({"tasmota": "dual", "relay": 1})");
  add(77, "attic", "multilevelSensor", R"({"tasmota": "attic"})");
  EXPECT_EQ(router_.on_connect(), (std::vector<Publish>{{"cmnd/dual/POWER1", "", 1, false},
                                                        {"cmnd/attic/STATUS", "10", 1, false}}));
}

TEST_F(mqtt_mapping_tasmota, the_full_topic_pattern_may_put_the_topic_first) {
  RouterOptions options;
  options.tasmota_full_topic = "%topic%/%prefix%/";
  Router router(options);
  ASSERT_TRUE(
      router.add_device(device(55, "plug", "binarySwitch", R"({"tasmota": "plug"})")).empty());
  EXPECT_EQ(router.subscriptions(),
            (std::vector<std::string>{"plug/stat/POWER", "plug/stat/POWER1", "plug/stat/RESULT",
                                      "plug/tele/LWT", "plug/tele/SENSOR", "plug/tele/STATE"}));
  EXPECT_EQ(last(router.on_message("plug/stat/POWER", "ON", false), "value"), DeviceValue(true));
  std::string problem;
  EXPECT_EQ(single(router.on_action(action(55, "turnOn"), &problem)).topic, "plug/cmnd/POWER");
}

TEST_F(mqtt_mapping_tasmota, mapping_problems_are_reported_when_the_device_is_added) {
  RouterOptions options;
  options.tasmota_full_topic = "%prefix%/%hostname%/";
  Router router(options);
  EXPECT_EQ(router.add_device(device(55, "plug", "binarySwitch", R"({"tasmota": "plug"})")),
            std::vector<std::string>{"device 'plug' (Tasmota): the Tasmota FullTopic "
                                     "'%prefix%/%hostname%/' needs %prefix% and %topic%"});
  EXPECT_EQ(
      router_.add_device(device(55, "plug", "binarySwitch", R"({"tasmota": "plug", "relay": 0})")),
      std::vector<std::string>{"device 'plug' (Tasmota): relay must be a relay number 1-32"});
  EXPECT_EQ(
      router_.add_device(device(90, "heater", "thermostat", R"({"tasmota": "heater"})")),
      std::vector<std::string>{"device 'heater' (Tasmota): Tasmota cannot drive a thermostat"});
}

TEST_F(mqtt_mapping_tasmota, bad_payloads_are_problems) {
  add(56, "dimmer", "multilevelSwitch", R"({"tasmota": "dimmer"})");
  const MessageResult result = message("stat/dimmer/RESULT", R"({"POWER":"ON","Dimmer":"bright"})");
  EXPECT_EQ(result.problem,
            "device 'dimmer' (Tasmota): 'Dimmer' on 'stat/dimmer/RESULT' is not a number");
  EXPECT_EQ(message("stat/dimmer/POWER", "MAYBE").problem,
            "device 'dimmer' (Tasmota): POWER is not ON or OFF");
  EXPECT_EQ(message("tele/dimmer/STATE", "{").problem,
            "device 'dimmer' (Tasmota): 'tele/dimmer/STATE': it is not valid JSON");
}

}  // namespace
}  // namespace er::mqtt

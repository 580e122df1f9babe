// fake-devices as Tasmota devices: the retained LWT and its will, POWER and Dimmer
// answered on stat/RESULT and stat/POWER, the group topic, sensor telemetry by
// TelePeriod and on demand.

#include <gtest/gtest.h>

#include <string>

#include "mqtt/support/broker.h"
#include "mqtt/support/fake_devices.h"
#include "mqtt/support/payload.h"
#include "mqtt/support/test_client.h"

namespace er::mqtt_test {
namespace {

using nlohmann::json;

class tasmota : public ::testing::Test {
 protected:
  TestBroker broker;
  FakeDevices fake{broker,
                   {"--tasmota", "coffee=plug", "--tasmota", "kitchen-light=dimmer", "--tasmota",
                    "weather=sensor", "--tele-period", "1"}};
  TestClient observer{broker};

  /// Sends a command to cmnd/<topic>/<command> and returns the stat/<topic>/RESULT answer.
  json result_of(const std::string& topic, const std::string& command, const std::string& payload) {
    const std::size_t mark = observer.received();
    observer.publish("cmnd/" + topic + "/" + command, payload, 1);
    return parse_json(
        observer.wait_for("stat/" + topic + "/RESULT", any_payload, kDefaultTimeout, mark).payload);
  }
};

TEST_F(tasmota, lwt_is_retained_online_and_the_will_says_offline) {
  observer.subscribe("tele/+/LWT");
  EXPECT_TRUE(observer.wait_for("tele/coffee/LWT", is("Online")).retained);
  std::size_t mark = observer.received();
  fake.command("offline tasmota coffee");  // The plug loses its connection.
  observer.wait_for("tele/coffee/LWT", is("Offline"), kDefaultTimeout, mark);
  mark = observer.received();
  fake.command("online tasmota coffee");
  observer.wait_for("tele/coffee/LWT", is("Online"), kDefaultTimeout, mark);
}

TEST_F(tasmota, power_commands_answer_on_result_and_power) {
  observer.subscribe("stat/coffee/#");
  std::size_t mark = observer.received();
  EXPECT_EQ(result_of("coffee", "POWER", "ON"), json({{"POWER", "ON"}}));
  observer.wait_for("stat/coffee/POWER", is("ON"), kDefaultTimeout, mark);
  EXPECT_EQ(result_of("coffee", "POWER", "TOGGLE"), json({{"POWER", "OFF"}}));
  EXPECT_EQ(result_of("coffee", "power", "on"), json({{"POWER", "ON"}}));  // Any case.
  mark = observer.received();
  EXPECT_EQ(result_of("coffee", "POWER", ""), json({{"POWER", "ON"}}));  // A query.
  observer.wait_for("stat/coffee/POWER", is("ON"), kDefaultTimeout, mark);
  EXPECT_EQ(result_of("coffee", "Fly", "1"), json({{"Command", "Unknown"}}));
}

TEST_F(tasmota, the_group_topic_reaches_every_device) {
  observer.subscribe("stat/+/POWER");
  observer.publish("cmnd/tasmotas/POWER", "ON", 1);
  observer.wait_for("stat/coffee/POWER", is("ON"));
  observer.wait_for("stat/kitchen-light/POWER", is("ON"));
}

TEST_F(tasmota, dimmer_sets_the_level_and_the_power) {
  observer.subscribe("stat/kitchen-light/#");
  EXPECT_EQ(result_of("kitchen-light", "Dimmer", "40"), json({{"POWER", "ON"}, {"Dimmer", 40}}));
  EXPECT_EQ(result_of("kitchen-light", "Dimmer", "+"), json({{"POWER", "ON"}, {"Dimmer", 50}}));
  EXPECT_EQ(result_of("kitchen-light", "Dimmer", "0"), json({{"POWER", "OFF"}, {"Dimmer", 0}}));
  EXPECT_EQ(result_of("kitchen-light", "POWER", "ON"), json({{"POWER", "ON"}, {"Dimmer", 0}}));
}

TEST_F(tasmota, the_sensor_reports_by_tele_period_and_on_demand) {
  observer.subscribe("tele/weather/SENSOR");
  observer.subscribe("stat/weather/#");
  // Two reports a second apart: --tele-period 1.
  const std::size_t first = observer.received();
  observer.wait_for("tele/weather/SENSOR", any_payload, kDefaultTimeout, first);
  const std::size_t second = observer.received();
  const json report = parse_json(
      observer.wait_for("tele/weather/SENSOR", any_payload, kDefaultTimeout, second).payload);
  EXPECT_TRUE(json_contains(
      report, {{"AM2301", {{"Temperature", 21.5}, {"Humidity", 45.0}}}, {"TempUnit", "C"}}));
  EXPECT_TRUE(report.contains("Time"));

  fake.command(R"(sensor weather {"temperature": 12.5})");
  observer.wait_for("tele/weather/SENSOR", json_has({{"AM2301", {{"Temperature", 12.5}}}}));
  observer.publish("cmnd/weather/Status", "10", 1);
  observer.wait_for("stat/weather/STATUS10",
                    json_has({{"StatusSNS", {{"AM2301", {{"Temperature", 12.5}}}}}}));
  EXPECT_EQ(result_of("weather", "TelePeriod", "60"), json({{"TelePeriod", 60}}));
}

}  // namespace
}  // namespace er::mqtt_test

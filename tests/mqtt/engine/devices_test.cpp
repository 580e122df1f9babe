// Real devices end to end: a Zigbee2MQTT motion sensor, a Tasmota plug and a light
// announced by Home Assistant discovery (fake-devices, speaking the real protocols on
// a real broker), and `eventrunner run` with rules between them.

#include <gtest/gtest.h>

#include "engine_run.h"
#include "mqtt/support/broker.h"
#include "mqtt/support/fake_devices.h"
#include "mqtt/support/payload.h"
#include "mqtt/support/test_client.h"

namespace er::mqtt_test {
namespace {

std::string home_lua(const TestBroker& broker) {
  return "return {mqtt = {broker = '" + broker.url() + "'}, devices = {\n"
         "  {id = 11, name = 'hall_motion', type = 'binarySensor', mqtt = {zigbee2mqtt = 'hall/motion'}},\n"
         "  {id = 33, name = 'coffee_maker', type = 'binarySwitch', mqtt = {tasmota = 'coffee'}},\n"
         "  {id = 30, name = 'kitchen_light', type = 'multilevelSwitch', mqtt = {homeassistant = 'kitchen_light'}},\n"
         "}}\n";
}

// Answers `test/ping` with a log line: once it is seen, every subscription of the engine
// is in place and the retained messages before it were applied (the broker sends them
// after each SUBACK, in order, and the engine applies its bus in order).
constexpr const char* kPing = "#mqtt{topic = 'test/ping'} => log('pong %s', hall_motion:value)\n";

void sync(EngineRun& engine, TestClient& client) {
  engine.wait_for("mqtt: connected");
  engine.publish_until(client, "test/ping", "1", "pong");
}

TEST(devices, motion_switches_a_tasmota_plug_and_the_plugs_report_comes_back) {
  TestBroker broker;
  FakeDevices fake(broker, {"--z2m", "hall/motion=motion", "--tasmota", "coffee=plug", "--ha-light", "kitchen_light"});
  TestClient observer(broker);
  observer.subscribe("cmnd/#", 1);
  TestHome home(home_lua(broker), std::string(kPing) +
                                      "hall_motion:breached => coffee_maker:on; kitchen_light:value = 60\n"
                                      "coffee_maker:isOn => log('coffee maker reports on')\n"
                                      "kitchen_light:value > 0 => log('kitchen light at %s', kitchen_light:value)\n");
  EngineRun engine(home);
  sync(engine, observer);
  const std::size_t before = observer.received();
  fake.command("set z2m hall/motion occupancy=true");
  const Message command = observer.wait_for("cmnd/coffee/POWER", is("ON"), kDefaultTimeout, before);
  EXPECT_FALSE(command.retained);
  EXPECT_EQ(command.qos, 1);
  engine.wait_for("coffee_maker: turnOn");
  engine.wait_for("coffee maker reports on");  // The plug's stat/coffee/RESULT, as an event.
  engine.wait_for("kitchen light at 60");      // The light's state after its brightness command.
}

TEST(devices, retained_state_at_start_sets_values_without_running_rules) {
  TestBroker broker;
  FakeDevices fake(broker, {"--z2m", "hall/motion=motion", "--tasmota", "coffee=plug", "--ha-light", "kitchen_light"});
  fake.command("set z2m hall/motion occupancy=true");
  TestClient observer(broker);
  observer.subscribe("zigbee2mqtt/hall/motion");
  observer.wait_for("zigbee2mqtt/hall/motion", json_has({{"occupancy", true}}));
  TestHome home(home_lua(broker), std::string(kPing) + "hall_motion:breached => log('motion rule ran')\n");
  EngineRun engine(home);
  sync(engine, observer);
  engine.wait_for("pong true");
  EXPECT_EQ(engine.count("motion rule ran"), 0U) << engine.output();
  fake.command("set z2m hall/motion occupancy=false");
  fake.command("set z2m hall/motion occupancy=true");
  engine.wait_for("motion rule ran");  // Live messages are events.
}

TEST(devices, a_discovered_home_assistant_light_is_controllable) {
  TestBroker broker;
  FakeDevices fake(broker, {"--ha-light", "kitchen_light"});
  TestClient observer(broker);
  TestHome home("return {mqtt = {broker = '" + broker.url() + "', discover = {homeassistant = 'homeassistant'}}}\n",
                "#mqtt{topic = 'test/ping'} => log('pong')\n"
                "#mqtt{topic = 'test/light', payload = '$v'} => kitchen_light:value = tonumber(v)\n"
                "kitchen_light:value > 0 => log('kitchen light at %s', kitchen_light:value)\n");
  EngineRun engine(home);  // The rules name the discovered light: it was there in time.
  engine.wait_for("mqtt: connected");
  engine.publish_until(observer, "test/light", "30", "kitchen light at 30");
  fake.wait_for_output("->");  // The light received a command from the engine.
}

TEST(devices, availability_follows_the_device) {
  TestBroker broker;
  FakeDevices fake(broker, {"--z2m", "hall/motion=motion", "--tasmota", "coffee=plug"});
  TestClient observer(broker);
  TestHome home(home_lua(broker), std::string(kPing) +
                                      "coffee_maker:available == false => log('plug offline')\n"
                                      "coffee_maker:available == true => log('plug online')\n");
  EngineRun engine(home);
  sync(engine, observer);
  fake.command("offline tasmota coffee");
  engine.wait_for("plug offline");
  fake.command("online tasmota coffee");
  engine.wait_for("plug online");
}

}  // namespace
}  // namespace er::mqtt_test

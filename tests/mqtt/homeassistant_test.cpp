// fake-devices as Home Assistant discovery devices: retained configs with abbreviated
// keys and `~`, availability with a will, commands answered with the new state, and
// the configs again after Home Assistant's birth message.

#include <gtest/gtest.h>

#include <string>

#include "mqtt/support/broker.h"
#include "mqtt/support/fake_devices.h"
#include "mqtt/support/payload.h"
#include "mqtt/support/test_client.h"

namespace er::mqtt_test {
namespace {

using nlohmann::json;

class homeassistant : public ::testing::Test {
 protected:
  TestBroker broker;
  FakeDevices fake{broker, {"--ha-light", "desk", "--ha-switch", "fan", "--ha-sensor", "garden"}};
  TestClient observer{broker};
};

TEST_F(homeassistant, discovery_configs_are_retained_with_abbreviated_keys) {
  observer.subscribe("homeassistant/+/+/config");
  const Message light = observer.wait_for("homeassistant/light/desk/config");
  EXPECT_TRUE(light.retained);
  EXPECT_TRUE(
      json_contains(parse_json(light.payload), {{"~", "fake-devices/desk"},
                                                {"uniq_id", "fake-devices-desk"},
                                                {"stat_t", "~/state"},
                                                {"cmd_t", "~/set"},
                                                {"bri_stat_t", "~/brightness"},
                                                {"bri_cmd_t", "~/brightness/set"},
                                                {"bri_scl", 255},
                                                {"avty_t", "~/status"},
                                                {"dev", {{"ids", {"fake-devices-desk"}}}}}));
  EXPECT_TRUE(
      json_contains(parse_json(observer.wait_for("homeassistant/switch/fan/config").payload),
                    {{"cmd_t", "~/set"}, {"pl_on", "ON"}, {"pl_off", "OFF"}}));
  EXPECT_TRUE(
      json_contains(parse_json(observer.wait_for("homeassistant/sensor/garden/config").payload),
                    {{"val_tpl", "{{ value_json.temperature }}"}, {"dev_cla", "temperature"}}));

  observer.subscribe("fake-devices/#");
  EXPECT_TRUE(observer.wait_for("fake-devices/desk/status", is("online")).retained);
  observer.wait_for("fake-devices/garden/state", json_has({{"temperature", 21.5}}));
}

TEST_F(homeassistant, commands_are_answered_with_the_new_state) {
  observer.subscribe("fake-devices/+/state");
  observer.subscribe("fake-devices/desk/brightness");
  std::size_t mark = observer.received();
  observer.publish("fake-devices/desk/set", "ON", 1);
  observer.wait_for("fake-devices/desk/state", is("ON"), kDefaultTimeout, mark);
  mark = observer.received();
  observer.publish("fake-devices/desk/brightness/set", "128", 1);
  observer.wait_for("fake-devices/desk/brightness", is("128"), kDefaultTimeout, mark);
  mark = observer.received();
  observer.publish("fake-devices/fan/set", "ON", 1);
  observer.wait_for("fake-devices/fan/state", is("ON"), kDefaultTimeout, mark);
  mark = observer.received();
  fake.command(R"(sensor garden {"temperature": 12.5})");
  observer.wait_for("fake-devices/garden/state",
                    json_has({{"temperature", 12.5}, {"humidity", 48}}), kDefaultTimeout, mark);
}

TEST_F(homeassistant, a_birth_message_brings_the_configs_again) {
  observer.subscribe("homeassistant/light/desk/config");
  observer.wait_for("homeassistant/light/desk/config");
  const std::size_t mark = observer.received();
  observer.publish("homeassistant/status", "online", 1);
  EXPECT_FALSE(
      observer.wait_for("homeassistant/light/desk/config", any_payload, kDefaultTimeout, mark)
          .retained);
}

TEST_F(homeassistant, availability_follows_the_connection) {
  observer.subscribe("fake-devices/fan/status");
  observer.wait_for("fake-devices/fan/status", is("online"));
  std::size_t mark = observer.received();
  fake.command("offline ha fan");
  observer.wait_for("fake-devices/fan/status", is("offline"), kDefaultTimeout, mark);
  mark = observer.received();
  fake.command("online ha fan");
  observer.wait_for("fake-devices/fan/status", is("online"), kDefaultTimeout, mark);
}

}  // namespace
}  // namespace er::mqtt_test

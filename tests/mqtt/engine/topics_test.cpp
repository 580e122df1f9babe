// Rules' own topics (`#mqtt` triggers, mqtt.publish) and the engine published back
// ($globals and rule switches, settable over MQTT), with `eventrunner run` on a real
// broker.

#include <gtest/gtest.h>

#include "engine_run.h"
#include "mqtt/support/broker.h"
#include "mqtt/support/payload.h"
#include "mqtt/support/test_client.h"

namespace er::mqtt_test {
namespace {

TEST(topics, a_mqtt_trigger_runs_a_rule_that_publishes) {
  TestBroker broker;
  TestClient observer(broker);
  observer.subscribe("home/chime");
  observer.subscribe("er/status");
  TestHome home("return {mqtt = {broker = '" + broker.url() + "', base_topic = 'er'}}\n",
                "#mqtt{topic = 'home/doorbell/#', payload = '$p'} => mqtt.publish('home/chime', {ring = p.button})\n");
  EngineRun engine(home);
  // Without `controller` in home.lua the engine's status is `<base>/status` (one engine
  // on its broker); a named controller's is `<base>/<controller>/status` (below).
  observer.wait_for("er/status", is("online"));
  // The subscription follows the status; publish until the rule has it.
  std::size_t since = observer.received();
  for (int attempt = 0; attempt < 50 && observer.received() == since; ++attempt) {
    observer.publish("home/doorbell/front", R"({"button":"front"})");
    if (observer.stays_quiet("home/chime", Millis(200), since)) continue;
  }
  const Message chime = observer.wait_for("home/chime", json_has({{"ring", "front"}}), kDefaultTimeout, since);
  EXPECT_FALSE(chime.retained);
  since = observer.received();
  observer.publish("home/garage", "x");  // No rule listens there.
  EXPECT_TRUE(observer.stays_quiet("home/chime", Millis(300), since));
}

TEST(topics, globals_and_rule_switches_are_published_and_settable) {
  TestBroker broker;
  TestClient observer(broker);
  observer.subscribe("er/#", 1);
  TestHome home("return {controller = 'hub', mqtt = {broker = '" + broker.url() + "', base_topic = 'er', "
                "publish = {globals = true, rules = true}}}\n",
                "$Mode == 'away' => log('mode is away')\n"
                "$Mode = 'home'\n");
  EngineRun engine(home);
  EXPECT_TRUE(observer.wait_for("er/global/Mode", is("home")).qos >= 0);
  observer.wait_for("er/rule/RULE1", is("ON"));
  observer.publish("er/global/Mode/set", "away", 1);
  engine.wait_for("mode is away");
  observer.wait_for("er/global/Mode", is("away"));
  observer.publish("er/rule/RULE1/set", "OFF", 1);
  observer.wait_for("er/rule/RULE1", is("OFF"));

  // Retained: a dashboard that connects later sees the current state at once.
  TestClient dashboard(broker);
  dashboard.subscribe("er/#");
  EXPECT_TRUE(dashboard.wait_for("er/global/Mode", is("away")).retained);
  EXPECT_TRUE(dashboard.wait_for("er/rule/RULE1", is("OFF")).retained);
  EXPECT_TRUE(dashboard.wait_for("er/hub/status", is("online")).retained);
  engine.stop();
  observer.wait_for("er/hub/status", is("offline"));
}

TEST(topics, named_scenes_are_home_assistant_scenes) {
  TestBroker broker;
  TestClient observer(broker);
  observer.subscribe("homeassistant/scene/#", 1);
  TestHome home("return {devices = {{id = 1, name = 'lamp', type = 'multilevelSwitch'}},\n"
                "  mqtt = {broker = '" + broker.url() + "', base_topic = 'er', publish = {homeassistant = true}}}\n",
                "scene cozy = {lamp:value = 30}\n");
  EngineRun engine(home);
  observer.wait_for("homeassistant/scene/er/scene_cozy/config",
                    json_has({{"command_topic", "er/scene/cozy/set"}, {"payload_on", "ON"}}));
  TestClient later(broker);  // Retained: Home Assistant finds the scene when it connects.
  later.subscribe("homeassistant/scene/#");
  EXPECT_TRUE(later.wait_for("homeassistant/scene/er/scene_cozy/config", json_has({{"payload_on", "ON"}})).retained);
  observer.publish("er/scene/cozy/set", "ON", 1);
  engine.wait_for("lamp: setValue(30)");
  observer.publish("er/scene/nowhere/set", "ON", 1);
  engine.wait_for("no scene named 'nowhere'");
}

}  // namespace
}  // namespace er::mqtt_test

// er.mqtt: `#mqtt` triggers, mqtt.publish, and the engine's globals and rule switches
// published back, driven through the engine's Lua state with a transport that records
// what would go to the broker, and "er.mqtt" bus messages as the network thread posts
// them. The broker itself is exercised in tests/mqtt.

#include <string>

#include "engine_fixture.h"

namespace er::testing {
namespace {

// SENT: every publish as "topic payload qos retain"; SUBSCRIBED: filter -> count.
constexpr const char* kPrelude = R"lua(
  E = require("er.engine").E
  SENT, SUBSCRIBED = {}, {}
  TRANSPORT = {
    publish = function(topic, payload, qos, retain)
      SENT[#SENT + 1] = topic .. " " .. payload .. " " .. qos .. " " .. tostring(retain)
      return true
    end,
    subscribe = function(filter) SUBSCRIBED[filter] = (SUBSCRIBED[filter] or 0) + 1 end,
    unsubscribe = function(filter) SUBSCRIBED[filter] = nil end,
  }
  function sent_text() return table.concat(SENT, "\n") end
)lua";

class MqttModuleTest : public EngineTest {
 protected:
  void SetUp() override { ASSERT_EQ(lua(kPrelude), "nil"); }

  void attach(const std::string& options = "{}") {
    ASSERT_EQ(lua("E.mqtt.attach(TRANSPORT, " + options + ")"), "nil");
  }

  // Posts what the network thread posts for a received message, and delivers it.
  void receive(const std::string& topic, const std::string& payload, bool retained = false) {
    luasys::Message message;
    message.id = luasys::StaticText{"er.mqtt"};
    message.args = {luasys::StaticText{"message"}, topic, payload, retained};
    message.argc = 4;
    ASSERT_TRUE(engine_->runtime().bus().try_post(std::move(message)));
    advance(0);
  }

  void post_kind(const char* kind) {
    luasys::Message message;
    message.id = luasys::StaticText{"er.mqtt"};
    message.args = {luasys::StaticText{kind, std::char_traits<char>::length(kind)}, {}, {}, {}};
    message.argc = 1;
    ASSERT_TRUE(engine_->runtime().bus().try_post(std::move(message)));
    advance(0);
  }

  std::string sent() { return lua("return sent_text()"); }
};
// The suite is named <part>_<module> (docs/testing.md).
using engine_mqtt = MqttModuleTest;

TEST_F(engine_mqtt, RulesSubscribeToTheFiltersOfTheirPatterns) {
  attach();
  lua("er.eval([[#mqtt{topic = 'home/doorbell/#'} => log('a')]])"
      " er.eval([[#mqtt{topic = 'home/doorbell/#', payload = 'x'} => log('b')]])"
      " er.eval([[#mqtt{topic = 'sensors/+/battery'} => log('c')]])");
  EXPECT_EQ(lua("return SUBSCRIBED['home/doorbell/#']"), "1");  // Once for both rules.
  EXPECT_EQ(lua("return SUBSCRIBED['sensors/+/battery']"), "1");
  EXPECT_EQ(lua("return table.concat(E.mqtt.filters(), ' ')"), "home/doorbell/# sensors/+/battery");
}

TEST_F(engine_mqtt, FiltersOfRulesDefinedBeforeTheTransportAreSubscribedOnAttach) {
  lua("er.eval([[#mqtt{topic = 'a/b'} => log('a')]])");
  attach();
  EXPECT_EQ(lua("return SUBSCRIBED['a/b']"), "1");
}

TEST_F(engine_mqtt, AMessageOnAFilterTriggersWithTopicAndDecodedPayload) {
  attach();
  lua("er.eval([[#mqtt{topic = 'home/doorbell/#', payload = '$p'} => $Got = p.button]])"
      " er.eval([[#mqtt{topic = 'home/+/text', payload = '$t'} => $Text = t]])"
      " er.eval([[#mqtt{topic = 'home/doorbell/back'} => $Back = true]])");
  receive("home/doorbell/front", R"({"button":"front"})");
  receive("home/kitchen/text", "hello");
  EXPECT_EQ(lua("return er.globals.Got"), "front");
  EXPECT_EQ(lua("return er.globals.Text"), "hello");
  EXPECT_EQ(lua("return er.globals.Back"), "nil");  // The front door is not the back door.
}

TEST_F(engine_mqtt, RetainedMessagesReplayedOnSubscribeTriggerNothing) {
  attach();
  lua("er.eval([[#mqtt{topic = 'home/#'} => $Runs = ($Runs or 0) + 1]])");
  receive("home/a", "1", true);
  EXPECT_EQ(lua("return er.globals.Runs"), "nil");
  receive("home/a", "2");
  EXPECT_EQ(lua("return er.globals.Runs"), "1");
}

TEST_F(engine_mqtt, RulesPublishTextTablesAndOptions) {
  attach();
  lua("er.eval([[mqtt.publish('home/chime', 'ding'); mqtt.publish('home/alarm', {armed = true}, {retain = true, qos = 0})]])");
  EXPECT_EQ(sent(), "home/chime ding 1 false\nhome/alarm {\"armed\":true} 0 true");
}

TEST_F(engine_mqtt, PublishingWithoutABrokerOrWithAWildcardIsAnError) {
  lua("er.eval([[mqtt.publish('a', 'b')]])");
  EXPECT_TRUE(logged("this engine has no MQTT connection")) << all_logs();
  attach();
  lua("er.eval([[mqtt.publish('a/#', 'b')]])");
  EXPECT_TRUE(logged("without wildcards")) << all_logs();
  EXPECT_EQ(sent(), "");
}

TEST_F(engine_mqtt, GlobalsAndRuleSwitchesArePublishedAndSettable) {
  attach("{base_topic = 'er', globals = true, rules = true}");
  lua("er.eval([[$Mode = 'home']]) er.rule([[#mqtt{topic = 'x'} => log('x')]], {name = 'lights'})");
  EXPECT_EQ(sent(), "");  // Nothing goes out before the broker is connected.
  post_kind("connected");
  EXPECT_NE(sent().find("er/global/Mode home 1 true"), std::string::npos) << sent();
  EXPECT_NE(sent().find("er/rule/lights ON 1 true"), std::string::npos) << sent();
  EXPECT_EQ(lua("return SUBSCRIBED['er/global/+/set']"), "1");
  EXPECT_EQ(lua("return SUBSCRIBED['er/rule/+/set']"), "1");

  receive("er/global/Mode/set", "away");
  receive("er/global/Heat/set", "21.5");
  receive("er/rule/lights/set", "OFF");
  EXPECT_EQ(lua("return er.globals.Mode"), "away");
  EXPECT_EQ(lua("return er.globals.Heat"), "21.5");
  EXPECT_EQ(lua("return math.type(er.globals.Heat)"), "float");
  EXPECT_EQ(lua("return E.rule_by_name.lights.enabled"), "false");
  EXPECT_NE(sent().find("er/global/Mode away 1 true"), std::string::npos) << sent();
  EXPECT_NE(sent().find("er/rule/lights OFF 1 true"), std::string::npos) << sent();
  receive("er/rule/nosuch/set", "ON");
  EXPECT_TRUE(logged("no rule named 'nosuch'")) << all_logs();
}

TEST_F(engine_mqtt, HomeAssistantDiscoveryAnnouncesAndReannouncesOnItsRestart) {
  attach("{base_topic = 'er', globals = true, homeassistant = true}");
  lua("er.eval([[$Vacation = false]])");
  post_kind("connected");
  const std::string first = sent();
  EXPECT_NE(first.find("homeassistant/switch/er/global_Vacation/config"), std::string::npos) << first;
  EXPECT_NE(first.find("\"command_topic\":\"er/global/Vacation/set\""), std::string::npos) << first;
  lua("SENT = {}");
  receive("homeassistant/status", "online");
  EXPECT_NE(sent().find("homeassistant/switch/er/global_Vacation/config"), std::string::npos) << sent();
}

TEST_F(engine_mqtt, NetworkLogLinesAndDiscoveredDevicesReachTheEngine) {
  luasys::Message log_line;
  log_line.id = luasys::StaticText{"er.mqtt"};
  log_line.args = {luasys::StaticText{"log"}, luasys::StaticText{"warn"}, std::string("mqtt: hello"), {}};
  log_line.argc = 3;
  ASSERT_TRUE(engine_->runtime().bus().try_post(std::move(log_line)));
  luasys::Message device;
  device.id = luasys::StaticText{"er.mqtt"};
  device.args = {luasys::StaticText{"device"},
                 std::string(R"({"id":"z2m:Hall/Motion","name":"hall_motion","type":"binarySensor"})"), {}, {}};
  device.argc = 2;
  ASSERT_TRUE(engine_->runtime().bus().try_post(std::move(device)));
  advance(0);
  EXPECT_TRUE(logged("mqtt: hello")) << all_logs();
  EXPECT_EQ(lua("return er.device('z2m:Hall/Motion').name"), "hall_motion");
  EXPECT_EQ(lua("return er.device('z2m:Hall/Motion').backend"), "mqtt");
  EXPECT_EQ(lua("return er.device('z2m:Hall/Motion'):get('available')"), "false");
}

TEST_F(engine_mqtt, TopicFiltersMatchAsMqttSays) {
  const char* cases[][3] = {
      {"a/+", "a/b", "true"},   {"a/+", "a/b/c", "false"}, {"a/#", "a", "true"},
      {"#", "$SYS/x", "false"}, {"+/x", "$SYS/x", "false"}, {"a/+/c", "a//c", "true"},
      {"a/b", "a/b/c", "false"}};
  for (const auto& c : cases) {
    EXPECT_EQ(lua(std::string("return E.util.mqtt_topic_matches('") + c[0] + "', '" + c[1] + "')"), c[2])
        << c[0] << " " << c[1];
  }
}

}  // namespace
}  // namespace er::testing

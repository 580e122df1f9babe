// The `mqtt = {...}` table of home.lua (config.h): addresses, credentials, options and
// the problems a user sees for a wrong one.

#include "adapters/mqtt/config.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace er::mqtt {
namespace {

using nlohmann::json;

std::string problems_of(const json& table, const std::string& home = "") {
  std::string text;
  for (const std::string& problem : parse_config(table, home).problems) text += problem + "\n";
  return text;
}

TEST(mqtt_client_config, broker_addresses_give_host_port_and_tls) {
  MqttConfig plain = parse_config(json{{"broker", "mqtt://10.0.0.2:1884"}}, "").config;
  EXPECT_EQ(plain.host, "10.0.0.2");
  EXPECT_EQ(plain.port, 1884);
  EXPECT_FALSE(plain.tls);
  MqttConfig secure = parse_config(json{{"broker", "mqtts://broker.lan"}}, "").config;
  EXPECT_EQ(secure.host, "broker.lan");
  EXPECT_EQ(secure.port, 8883);
  EXPECT_TRUE(secure.tls);
  const MqttConfig defaults = parse_config(json::object(), "").config;
  EXPECT_EQ(defaults.host, "127.0.0.1");
  EXPECT_EQ(defaults.port, 1883);
  EXPECT_EQ(defaults.client_id, "eventrunner-eventrunner");
  EXPECT_EQ(defaults.version, 4);
}

TEST(mqtt_client_config, wrong_settings_are_named) {
  EXPECT_EQ(problems_of(json{{"broker", "http://x"}}), "mqtt.broker: 'http://x' is not an mqtt:// or mqtts:// address\n");
  EXPECT_EQ(problems_of(json{{"broker", "mqtt://x:99999"}}), "mqtt.broker: 'mqtt://x:99999' has no valid port\n");
  EXPECT_EQ(problems_of(json{{"brokr", "mqtt://x"}}), "mqtt.brokr: unknown setting\n");
  EXPECT_EQ(problems_of(json{{"keepalive", 2}}), "mqtt.keepalive must be a whole number from 5 to 65535\n");
  EXPECT_EQ(problems_of(json{{"version", 6}}), "mqtt.version must be \"3.1.1\" or 5\n");
  EXPECT_EQ(problems_of(json{{"base_topic", "a/#"}}), "mqtt.base_topic must be a topic without wildcards\n");
  EXPECT_EQ(problems_of(json{{"publish", {{"globals", "yes"}}}}), "mqtt.publish.globals must be true or false\n");
  EXPECT_EQ(problems_of(json{{"discover", {{"tasmota", true}}}}),
            "mqtt.discover.tasmota: only zigbee2mqtt and homeassistant can be discovered\n");
}

TEST(mqtt_client_config, the_password_comes_from_a_file_beside_home_lua_or_the_environment) {
  const std::filesystem::path home = std::filesystem::temp_directory_path() / "er-mqtt-config-test";
  std::filesystem::create_directories(home);
  std::ofstream(home / "mqtt.pass") << "s3cret\nsecond line\n";
  const MqttConfig from_file = parse_config(json{{"username", "er"}, {"password_file", "mqtt.pass"}}, home).config;
  EXPECT_EQ(from_file.username, "er");
  EXPECT_EQ(from_file.password, "s3cret");
  setenv("ER_TEST_MQTT_PASSWORD", "from-env", 1);
  EXPECT_EQ(parse_config(json{{"password_env", "ER_TEST_MQTT_PASSWORD"}}, "").config.password, "from-env");
  unsetenv("ER_TEST_MQTT_PASSWORD");
  EXPECT_EQ(problems_of(json{{"password_env", "ER_TEST_MQTT_PASSWORD"}}),
            "mqtt.password_env: the environment variable ER_TEST_MQTT_PASSWORD is not set\n");
  EXPECT_EQ(problems_of(json{{"password_file", "missing.pass"}}, home.string()),
            "mqtt.password_file: cannot read 'missing.pass'\n");
  std::filesystem::remove_all(home);
}

TEST(mqtt_client_config, discovery_and_publishing_options) {
  const MqttConfig config =
      parse_config(json{{"discover", {{"zigbee2mqtt", "z2m"}, {"homeassistant", true}}},
                        {"publish", {{"globals", true}, {"rules", true}, {"homeassistant", true}}},
                        {"version", 5}},
                   "")
          .config;
  EXPECT_TRUE(config.router.discover_zigbee2mqtt);
  EXPECT_EQ(config.router.zigbee2mqtt_base, "z2m");
  EXPECT_TRUE(config.router.discover_homeassistant);
  EXPECT_EQ(config.router.homeassistant_prefix, "homeassistant");
  EXPECT_TRUE(config.publish_globals && config.publish_rules && config.publish_homeassistant);
  EXPECT_EQ(config.version, 5);
}

}  // namespace
}  // namespace er::mqtt

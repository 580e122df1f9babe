// MQTT 3.1.1 topic filters: topic_matches and check_filter.

#include <gtest/gtest.h>

#include "adapters/mqtt/router.h"

namespace er::mqtt {
namespace {

TEST(mqtt_mapping_topic, exact_filters_match_only_the_same_topic) {
  EXPECT_TRUE(topic_matches("zigbee2mqtt/Hall Lamp", "zigbee2mqtt/Hall Lamp"));
  EXPECT_FALSE(topic_matches("zigbee2mqtt/Hall Lamp", "zigbee2mqtt/Hall Lamp/set"));
  EXPECT_FALSE(topic_matches("zigbee2mqtt/Hall Lamp/set", "zigbee2mqtt/Hall Lamp"));
  EXPECT_FALSE(topic_matches("a/b", "a/b/"));
}

TEST(mqtt_mapping_topic, plus_matches_exactly_one_level_also_an_empty_one) {
  EXPECT_TRUE(topic_matches("homeassistant/+/+/config", "homeassistant/light/kitchen/config"));
  EXPECT_FALSE(
      topic_matches("homeassistant/+/+/config", "homeassistant/light/node/kitchen/config"));
  EXPECT_TRUE(topic_matches("a/+/c", "a//c"));
  EXPECT_TRUE(topic_matches("+/+", "/finance"));
  EXPECT_FALSE(topic_matches("+", "/finance"));
  EXPECT_FALSE(topic_matches("a/+", "a"));
}

TEST(mqtt_mapping_topic, hash_matches_the_parent_and_every_level_below) {
  EXPECT_TRUE(topic_matches("tele/#", "tele"));
  EXPECT_TRUE(topic_matches("tele/#", "tele/plug/SENSOR"));
  EXPECT_TRUE(topic_matches("#", "anything/at/all"));
  EXPECT_FALSE(topic_matches("tele/#", "stat/plug/POWER"));
}

TEST(mqtt_mapping_topic, dollar_topics_are_not_matched_by_leading_wildcards) {
  EXPECT_FALSE(topic_matches("#", "$SYS/broker/uptime"));
  EXPECT_FALSE(topic_matches("+/broker/uptime", "$SYS/broker/uptime"));
  EXPECT_TRUE(topic_matches("$SYS/#", "$SYS/broker/uptime"));
  EXPECT_TRUE(topic_matches("$SYS/+/uptime", "$SYS/broker/uptime"));
}

TEST(mqtt_mapping_topic, check_filter_accepts_whole_level_wildcards) {
  EXPECT_EQ(check_filter("a/b"), std::nullopt);
  EXPECT_EQ(check_filter("+/+/config"), std::nullopt);
  EXPECT_EQ(check_filter("a/#"), std::nullopt);
  EXPECT_EQ(check_filter("#"), std::nullopt);
  EXPECT_EQ(check_filter("a//b/"), std::nullopt);
}

TEST(mqtt_mapping_topic, check_filter_says_why_a_filter_is_invalid) {
  EXPECT_EQ(check_filter(""), "an empty topic filter");
  EXPECT_EQ(check_filter("a/b+"), "a wildcard that is not a whole level");
  EXPECT_EQ(check_filter("a#"), "a wildcard that is not a whole level");
  EXPECT_EQ(check_filter("a/#/b"), "'#' before the last level");
  EXPECT_EQ(check_filter(std::string_view("a\0b", 3)), "a topic filter with a NUL byte");
  EXPECT_EQ(check_filter(std::string(65536, 'a')), "a topic filter longer than 65535 bytes");
}

}  // namespace
}  // namespace er::mqtt

// The JSON helpers of the mappings (json_value.h): payload values, paths, limits.

#include "json_value.h"

#include <gtest/gtest.h>

#include "mqtt_test_support.h"

namespace er::mqtt {
namespace {

using testing::integer;

TEST(mqtt_mapping_json_value, payloads_become_booleans_numbers_or_text) {
  EXPECT_EQ(payload_value("true"), DeviceValue(true));
  EXPECT_EQ(payload_value("42"), integer(42));
  EXPECT_EQ(payload_value("-2.5e1"), DeviceValue(-25.0));
  EXPECT_EQ(payload_value("ON"), DeviceValue(std::string("ON")));
  EXPECT_EQ(payload_value("12 apples"), DeviceValue(std::string("12 apples")));
  EXPECT_EQ(payload_value("18446744073709551615"), DeviceValue(18446744073709551615.0));
}

TEST(mqtt_mapping_json_value, values_are_written_without_needless_decimals) {
  EXPECT_EQ(payload_text(DeviceValue(70.0)), "70");
  EXPECT_EQ(payload_text(DeviceValue(21.5)), "21.5");
  EXPECT_EQ(payload_text(DeviceValue(false)), "false");
  EXPECT_EQ(payload_text(DeviceValue(JsonText{"[1,2]"})), "[1,2]");
}

TEST(mqtt_mapping_json_value, deep_nesting_is_refused_before_parsing) {
  std::string error;
  EXPECT_EQ(parse_json(std::string(65, '[') + std::string(65, ']'), &error), std::nullopt);
  EXPECT_EQ(error, "it nests deeper than 64 levels");
  EXPECT_NE(parse_json(std::string(64, '[') + std::string(64, ']'), &error), std::nullopt);
  // Brackets inside strings do not count.
  EXPECT_NE(parse_json("\"" + std::string(100, '[') + "\"", &error), std::nullopt);
}

TEST(mqtt_mapping_json_value, paths_are_dotted_keys_with_brackets) {
  const Json document = Json::parse(R"({"a":{"b c":[10,{"d":4}]}})");
  const std::optional<JsonPath> path = parse_path("a['b c'][1].d");
  ASSERT_TRUE(path.has_value());
  const Json* found = find_path(document, *path);
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(*found, Json(4));
  EXPECT_EQ(parse_path(""), std::nullopt);
  EXPECT_EQ(parse_path("a..b"), std::nullopt);
  EXPECT_EQ(parse_path("a[1"), std::nullopt);
}

}  // namespace
}  // namespace er::mqtt

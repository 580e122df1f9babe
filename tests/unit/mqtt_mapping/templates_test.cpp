// The Home Assistant template subset (templates.h).

#include "templates.h"

#include <gtest/gtest.h>

#include "mqtt_test_support.h"

namespace er::mqtt {
namespace {


std::optional<Json> evaluate(std::string_view text, std::string_view payload,
                             std::string* problem = nullptr) {
  std::string ignored;
  return ValueTemplate(std::string(text)).apply(payload, problem != nullptr ? problem : &ignored);
}

TEST(mqtt_mapping_templates, no_template_and_value_pass_the_payload_through) {
  EXPECT_EQ(evaluate("", "ON"), Json("ON"));
  EXPECT_EQ(evaluate("{{ value }}", "21.5"), Json("21.5"));
  EXPECT_EQ(evaluate("{{value}}", "OFF"), Json("OFF"));
}

TEST(mqtt_mapping_templates, value_json_follows_dots_brackets_and_indexes) {
  const std::string_view sensor = R"({"ENERGY":{"Power":[12.5,3]},"AM2301":{"Temperature":21.3}})";
  EXPECT_EQ(evaluate("{{ value_json.AM2301.Temperature }}", sensor), Json(21.3));
  EXPECT_EQ(evaluate("{{value_json['ENERGY']['Power'][1]}}", sensor), Json(3));
  EXPECT_EQ(evaluate(R"({{ value_json["ENERGY"].Power[0] }})", sensor), Json(12.5));
  EXPECT_EQ(evaluate("{{ value_json }}", R"({"a":1})"), Json::parse(R"({"a":1})"));
}

TEST(mqtt_mapping_templates, a_missing_path_gives_no_value) {
  EXPECT_EQ(evaluate("{{ value_json.POWER2 }}", R"({"POWER1":"ON"})"), std::nullopt);
  EXPECT_EQ(evaluate("{{ value_json.list[3] }}", R"({"list":[1]})"), std::nullopt);
}

TEST(mqtt_mapping_templates, filters_convert_numbers_and_case) {
  EXPECT_EQ(evaluate("{{ value | float }}", "21.5"), Json(21.5));
  EXPECT_EQ(evaluate("{{ value_json.t | int }}", R"({"t":"21.9"})"), Json(21));
  EXPECT_EQ(evaluate("{{ value_json.t | round(1) }}", R"({"t":21.37})"), Json(21.4));
  EXPECT_EQ(evaluate("{{ value_json.mode | upper }}", R"({"mode":"heat"})"), Json("HEAT"));
  EXPECT_EQ(evaluate("{{ value | lower }}", "ON"), Json("on"));
  std::string problem;
  EXPECT_EQ(evaluate("{{ value | float }}", "warm", &problem), std::nullopt);
  EXPECT_EQ(problem, "the template's value 'warm' is not a number");
}

TEST(mqtt_mapping_templates, templates_outside_the_subset_are_unsupported_and_pass_the_payload) {
  for (const char* text : {"{% if value == 'ON' %}on{% endif %}", "{{ value_json.a + 1 }}",
                           "{{ states('sensor.x') }}", "{{ value_json.a | default(0) }}", "value",
                           "{{ value }} W", "{{ values }}", "{{ value_json.a }}{{ value }}"}) {
    const ValueTemplate value_template{std::string(text)};
    EXPECT_FALSE(value_template.supported()) << text;
    std::string problem;
    EXPECT_EQ(value_template.apply("raw", &problem), Json("raw")) << text;
  }
  EXPECT_TRUE(ValueTemplate("{{ value_json.a | round }}").supported());
}

TEST(mqtt_mapping_templates, a_payload_that_is_not_json_is_used_raw_with_a_problem) {
  std::string problem;
  EXPECT_EQ(evaluate("{{ value_json.state }}", "online", &problem), Json("online"));
  EXPECT_EQ(problem, "the payload is not JSON for the template (it is not valid JSON)");
}

TEST(mqtt_mapping_templates, command_templates_fill_value_and_refuse_other_expressions) {
  EXPECT_EQ(render_command(R"({"state": "{{ value }}"})", {{"value", "ON"}}), R"({"state": "ON"})");
  EXPECT_EQ(render_command("{{value}}/{{ position }}", {{"value", "1"}, {"position", "40"}}),
            "1/40");
  EXPECT_EQ(render_command("no template", {{"value", "x"}}), "no template");
  EXPECT_EQ(render_command("{{ value * 2 }}", {{"value", "1"}}), std::nullopt);
  EXPECT_EQ(render_command("{% if x %}", {{"value", "1"}}), std::nullopt);
  EXPECT_EQ(render_command("{{ value", {{"value", "1"}}), std::nullopt);
}

}  // namespace
}  // namespace er::mqtt

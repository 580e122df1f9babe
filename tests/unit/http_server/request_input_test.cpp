#include "adapters/http/request_input.h"

#include <gtest/gtest.h>

using namespace er::http;

TEST(http_server_request_input, TargetSplitsPathSegmentsAndQuery) {
  const Target target = parse_target("/api/rules/morning%20lights/enable?since=4&kinds=device,rule");
  EXPECT_EQ(target.path, "/api/rules/morning lights/enable");
  EXPECT_EQ(target.segments, (std::vector<std::string>{"api", "rules", "morning lights", "enable"}));
  EXPECT_EQ(target.query, (QueryParameters{{"since", "4"}, {"kinds", "device,rule"}}));
}

TEST(http_server_request_input, AnEncodedSlashStaysInsideItsSegment) {
  const Target target = parse_target("/api/devices/a%2Fb");
  EXPECT_EQ(target.path, "/api/devices/a/b");
  EXPECT_EQ(target.segments, (std::vector<std::string>{"api", "devices", "a/b"}));
}

TEST(http_server_request_input, QueryDecodesPlusAndPercentAndKeepsOrderAndRepeats) {
  const Target target = parse_target("/s?match=hall+lamp%21&k&&k=2&=v#fragment");
  EXPECT_EQ(target.query, (QueryParameters{{"match", "hall lamp!"}, {"k", ""}, {"k", "2"}, {"", "v"}}));
}

TEST(http_server_request_input, MalformedEscapesAreKeptAsTheyAre) {
  EXPECT_EQ(percent_decode("100%", false), "100%");
  EXPECT_EQ(percent_decode("%zz%4", false), "%zz%4");
  EXPECT_EQ(percent_decode("a+b", false), "a+b");
  EXPECT_EQ(percent_decode("%41%62", false), "Ab");
}

TEST(http_server_request_input, BearerTokenMustMatchExactly) {
  EXPECT_TRUE(bearer_token_matches("Bearer secret", "secret"));
  EXPECT_TRUE(bearer_token_matches("bearer secret", "secret"));
  EXPECT_FALSE(bearer_token_matches("Bearer secreT", "secret"));
  EXPECT_FALSE(bearer_token_matches("Bearer secret2", "secret"));
  EXPECT_FALSE(bearer_token_matches("Bearer secre", "secret"));
  EXPECT_FALSE(bearer_token_matches("Basic secret", "secret"));
  EXPECT_FALSE(bearer_token_matches("Bearer ", ""));
  EXPECT_FALSE(bearer_token_matches("", "secret"));
}

TEST(http_server_request_input, ContentLengthIsDigitsOnly) {
  EXPECT_EQ(parse_content_length("1048577"), 1048577U);
  EXPECT_EQ(parse_content_length("0"), 0U);
  EXPECT_FALSE(parse_content_length("-1"));
  EXPECT_FALSE(parse_content_length("12a"));
  EXPECT_FALSE(parse_content_length(""));
  EXPECT_FALSE(parse_content_length("99999999999999999999"));
}

TEST(http_server_request_input, EmptyBodyIsNullAndObjectsPass) {
  EXPECT_TRUE(check_json_body("").value.is_null());
  EXPECT_TRUE(check_json_body("").error.empty());
  const BodyCheck check = check_json_body(R"({"action": "turnOn", "args": [1]})");
  EXPECT_TRUE(check.error.empty());
  EXPECT_EQ(check.value["action"], "turnOn");
}

TEST(http_server_request_input, BadJsonAndNonObjectsAreRefusedWithTheReason) {
  const BodyCheck bad = check_json_body("{x");
  EXPECT_TRUE(bad.value.is_null());
  EXPECT_EQ(bad.error.rfind("the body is not JSON: parse error at line 1, column 2", 0), 0U) << bad.error;
  EXPECT_EQ(check_json_body("[1, 2]").error, "the body must be a JSON object, not array");
  EXPECT_EQ(check_json_body("42").error, "the body must be a JSON object, not number");
}

TEST(http_server_request_input, DeepNestingIsRefusedBeforeParsing) {
  const std::string deep = "{\"a\":" + std::string(100, '[') + std::string(100, ']') + "}";
  EXPECT_EQ(check_json_body(deep).error, "the body nests deeper than 64 levels");
  const std::string in_string = R"({"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["})";
  EXPECT_TRUE(check_json_body(in_string).error.empty());
}

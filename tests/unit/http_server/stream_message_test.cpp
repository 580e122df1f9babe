#include "adapters/http/stream_message.h"

#include <gtest/gtest.h>

using namespace er::http;

TEST(http_server_stream_message, NoParametersAcceptEverything) {
  const StreamFilter filter = StreamFilter::from_query({});
  EXPECT_TRUE(filter.accepts("device", "55 hall_lamp"));
  EXPECT_TRUE(filter.accepts("log", ""));
}

TEST(http_server_stream_message, KindsAreCommaSeparatedAndAddUp) {
  const StreamFilter filter = StreamFilter::from_query({{"kinds", "device,,rule"}, {"kinds", "log"}, {"x", "y"}});
  EXPECT_EQ(filter.kinds, (std::vector<std::string>{"device", "rule", "log"}));
  EXPECT_TRUE(filter.accepts("rule", ""));
  EXPECT_FALSE(filter.accepts("timeline", ""));
}

TEST(http_server_stream_message, MatchIsASubstringOfTheMatchText) {
  const StreamFilter filter = StreamFilter::from_query({{"kinds", "device"}, {"match", "hall"}});
  EXPECT_TRUE(filter.accepts("device", "55 hall_lamp"));
  EXPECT_FALSE(filter.accepts("device", "56 kitchen_lamp"));
  EXPECT_FALSE(filter.accepts("rule", "hall_rule"));
}

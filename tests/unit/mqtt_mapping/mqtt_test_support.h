#pragma once
// Helpers of the mapping tests: device specs from JSON text, and the reports of a
// message by property.

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/mqtt/router.h"

namespace er {

// GoogleTest prints DeviceValue alternatives with these.
inline void PrintTo(const JsonText& json, std::ostream* out) {
  *out << "JsonText(" << json.text << ")";
}

}  // namespace er

namespace er::mqtt::testing {

inline DeviceSpec device(DeviceId id, std::string name, std::string type,
                         std::string_view mqtt_json) {
  return DeviceSpec{std::move(id), std::move(name), std::move(type),
                    nlohmann::json::parse(mqtt_json)};
}

inline DeviceValue integer(std::int64_t value) {
  return value;
}

inline DeviceValue text(std::string value) {
  return value;
}

inline DeviceValue json(std::string value) {
  return JsonText{std::move(value)};
}

/// The values reported for `property` (any device), in order.
inline std::vector<DeviceValue> values_of(const MessageResult& result, std::string_view property) {
  std::vector<DeviceValue> values;
  for (const Report& report : result.reports) {
    if (report.property == property) values.push_back(report.value);
  }
  return values;
}

/// The last value reported for `property`, or nullopt.
inline std::optional<DeviceValue> last(const MessageResult& result, std::string_view property) {
  std::vector<DeviceValue> values = values_of(result, property);
  if (values.empty()) return std::nullopt;
  return values.back();
}

/// The single message an action publishes (fails the test for any other count).
inline Publish single(const std::vector<Publish>& messages) {
  EXPECT_EQ(messages.size(), 1u);
  return messages.empty() ? Publish{} : messages.front();
}

inline DeviceAction action(DeviceId device, std::string name, std::vector<DeviceValue> args = {}) {
  return DeviceAction{std::move(device), std::move(name), std::move(args)};
}

/// A Router with no options and the steps every mapping's tests take: add a device
/// (no problems expected), deliver a live message, perform an action.
class RouterTest : public ::testing::Test {
 protected:
  void add(DeviceId id, std::string name, std::string type, std::string_view mqtt) {
    ASSERT_EQ(router_.add_device(device(std::move(id), std::move(name), std::move(type), mqtt)),
              std::vector<std::string>{});
  }
  MessageResult message(std::string_view topic, std::string_view payload) {
    return router_.on_message(topic, payload, false);
  }
  /// What an action publishes, with its problem in `*problem`.
  std::vector<Publish> act(DeviceId id, std::string name, std::vector<DeviceValue> args, std::string* problem) {
    return router_.on_action(action(std::move(id), std::move(name), std::move(args)), problem);
  }
  /// What an action publishes; the action must have no problem.
  std::vector<Publish> act_all(DeviceId id, std::string name, std::vector<DeviceValue> args = {}) {
    std::string problem;
    std::vector<Publish> messages = act(std::move(id), std::move(name), std::move(args), &problem);
    EXPECT_EQ(problem, "");
    return messages;
  }
  /// The one message an action publishes; the action must have no problem.
  Publish act(DeviceId id, std::string name, std::vector<DeviceValue> args = {}) {
    return single(act_all(std::move(id), std::move(name), std::move(args)));
  }

  Router router_{RouterOptions{}};
};

}  // namespace er::mqtt::testing

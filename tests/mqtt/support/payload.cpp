#include "mqtt/support/payload.h"

#include <utility>

#include "support/process.h"

namespace er::mqtt_test {

PayloadMatch is(std::string text) {
  return [text = std::move(text)](std::string_view payload) { return payload == text; };
}

bool json_contains(const nlohmann::json& value, const nlohmann::json& subset) {
  if (!subset.is_object()) return value == subset;
  if (!value.is_object()) return false;
  for (const auto& [key, wanted] : subset.items()) {
    if (!value.contains(key) || !json_contains(value[key], wanted)) return false;
  }
  return true;
}

PayloadMatch json_has(nlohmann::json subset) {
  return [subset = std::move(subset)](std::string_view payload) {
    const nlohmann::json value = nlohmann::json::parse(payload, nullptr, false);
    return !value.is_discarded() && json_contains(value, subset);
  };
}

nlohmann::json parse_json(std::string_view payload) {
  nlohmann::json value = nlohmann::json::parse(payload, nullptr, false);
  if (value.is_discarded()) test_support::fail("not JSON: " + std::string(payload));
  return value;
}

}  // namespace er::mqtt_test

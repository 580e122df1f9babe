#pragma once
// Payload predicates for TestClient::wait_for: an exact text, or JSON that holds
// some keys with given values (a device's state holds more than a test checks).

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "mqtt/support/test_client.h"

namespace er::mqtt_test {

/// Exactly `text`.
PayloadMatch is(std::string text);

/// A JSON object with every key of `subset` and the same value; an object value
/// matches an object that holds its keys in turn.
PayloadMatch json_has(nlohmann::json subset);

/// True when `value` holds `subset` in the sense of json_has.
bool json_contains(const nlohmann::json& value, const nlohmann::json& subset);

/// The payload as JSON; throws test_support::Failure when it is not JSON.
nlohmann::json parse_json(std::string_view payload);

}  // namespace er::mqtt_test

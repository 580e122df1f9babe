#pragma once
// JSON as the mappings meet it: payloads parsed within limits, paths into a document,
// and the conversions between JSON, payload text, numbers and device values.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "rules/device_backend.h"

namespace er::mqtt {

/// Payloads keep the order of their keys, so that "the first key found" and the order
/// of reports follow what the device sent.
using Json = nlohmann::ordered_json;

/// Deeper payloads are refused before parsing: printing and comparing JSON recurse.
inline constexpr int kMaxJsonDepth = 64;

/// `text` as JSON; nullopt with a short reason in `*error` (never a quote of the text)
/// when it is not JSON or nests deeper than kMaxJsonDepth.
std::optional<Json> parse_json(std::string_view text, std::string* error);

/// The member `key` of an object, or nullptr when `object` is not an object or has none.
const Json* member(const Json& object, std::string_view key);

/// One step of a path into a document: an object key or an array index.
using PathStep = std::variant<std::string, std::size_t>;
using JsonPath = std::vector<PathStep>;

/// "ENERGY.Power", "a[0].b", "['a b'][\"c\"]", ".a" (a leading dot is allowed): nullopt
/// for an empty path, an empty key or an unclosed bracket.
std::optional<JsonPath> parse_path(std::string_view text);

/// The value at `path` in `document`, or nullptr when any step is missing.
const Json* find_path(const Json& document, const JsonPath& path);

/// A JSON value as a device value: objects and arrays as JsonText, numbers as integers
/// when they are integral and fit, null as nil.
DeviceValue to_device_value(const Json& value);

/// A value of a device's `mqtt` table (nlohmann::json) as payload JSON.
inline Json from_spec(const nlohmann::json& value) {
  return Json(value);
}

/// A device value as JSON (JsonText parsed back; text that is not JSON stays a string).
Json to_json(const DeviceValue& value);

/// A payload as a device value: JSON true/false and numbers converted, anything else
/// the text itself.
DeviceValue payload_value(std::string_view payload);

/// How a value is written into a payload: strings as they are, whole numbers without a
/// decimal part, booleans true/false, tables as their JSON text, nil as "".
std::string payload_text(const DeviceValue& value);

/// The payload text of a JSON value (strings unquoted).
std::string payload_text(const Json& value);

/// JSON text for a publish or a JsonText (invalid UTF-8 in strings is replaced).
std::string dump(const Json& value);

/// A number written as decimal text (surrounding spaces allowed; no "inf" or "nan").
std::optional<double> parse_number(std::string_view text);

/// A JSON number, or a string holding one.
std::optional<double> number_of(const Json& value);

/// A number argument or value: integers, floats, numeric strings, booleans as 1/0.
std::optional<double> number_of(const DeviceValue& value);

/// `value` rounded to the nearest integer and clamped to [low, high]; NaN gives `low`.
std::int64_t round_clamped(double value, std::int64_t low, std::int64_t high);

/// A whole number stays an integer, anything else a float (how numbers are reported).
DeviceValue number_value(double value);

}  // namespace er::mqtt

#pragma once
// Human text for the control API's answers (docs/api.md), shared by `eventrunner
// console` and `eventrunner ctl`. Every function takes the answer as the engine sent
// it and copes with missing or mistyped fields (printing "-"), so a newer or older
// engine never makes the client throw.

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace er::cli {

/// Rows of cells as columns aligned by two spaces; the first row is the header. The
/// last column is not padded, so lines carry no trailing spaces.
std::string format_table(const std::vector<std::vector<std::string>>& rows);

/// A JSON value as one line: strings quoted, numbers and tables as JSON.
std::string format_value(const nlohmann::json& value);

/// `GET /api/rules`: NAME, STATE (enabled, disabled, error), NEXT, and ERROR when a
/// rule was disabled by an error.
std::string format_rules_table(const nlohmann::json& answer);
/// `GET /api/devices`: ID, NAME, TYPE, VALUE (the main value), AVAILABLE.
std::string format_devices_table(const nlohmann::json& answer);
/// One rule (the answer of `GET /api/rules/{rule}` or of enable/disable/run).
std::string format_rule(const nlohmann::json& rule);
/// One rule as "<name>: <state>", the answer to enable, disable and run.
std::string format_rule_state(const nlohmann::json& rule);
/// One device (`GET /api/devices/{device}`).
std::string format_device(const nlohmann::json& device);
/// `GET /api/health`.
std::string format_health(const nlohmann::json& health);
/// `GET /api/globals`: "Name = value" lines in name order.
std::string format_globals(const nlohmann::json& answer);
/// The summary line of a reload or rollback answer.
std::string format_reload_summary(const nlohmann::json& answer);
/// The `text` of every diagnostic in a check or reload answer, in order.
std::string format_diagnostics(const nlohmann::json& answer);
/// The `text` of the timeline lines that contain `filter` (all when it is empty).
std::string format_timeline(const nlohmann::json& answer, std::string_view filter);

/// Helpers for reading an answer without throwing.
std::string text_field(const nlohmann::json& object, std::string_view key, std::string_view fallback = "-");
const nlohmann::json& field(const nlohmann::json& object, std::string_view key);
bool answer_failed(const nlohmann::json& answer);  ///< The answer has `"ok": false`.

}  // namespace er::cli

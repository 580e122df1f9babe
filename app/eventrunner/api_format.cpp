#include "api_format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace er::cli {

namespace {

using nlohmann::json;

const json& null_json() {
  static const json kNull;
  return kNull;
}

const json& list_field(const json& answer, std::string_view key) {
  static const json kEmpty = json::array();
  const json& list = field(answer, key);
  return list.is_array() ? list : kEmpty;
}

std::string with_newline(std::string text) {
  if (!text.empty() && !text.ends_with('\n')) text += '\n';
  return text;
}

std::string rule_state(const json& rule) {
  if (!field(rule, "error").is_null()) return "error";
  return field(rule, "enabled") == true ? "enabled" : "disabled";
}

std::string rule_name(const json& rule) {
  const std::string name = text_field(rule, "name", "");
  return name.empty() ? text_field(rule, "identity") : name;
}

// A device's main value: its `value` property, else its first property as name=value.
std::string main_value(const json& device) {
  const json& properties = field(device, "properties");
  if (!properties.is_object() || properties.empty()) return "-";
  if (properties.contains("value")) return format_value(properties["value"]);
  return properties.begin().key() + "=" + format_value(properties.begin().value());
}

std::string number_text(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

std::string uptime_text(const json& seconds) {
  if (!seconds.is_number()) return "-";
  auto total = static_cast<long long>(seconds.get<double>());
  const long long days = total / 86400, hours = total / 3600 % 24, minutes = total / 60 % 60;
  std::string text;
  if (days > 0) text += std::to_string(days) + "d ";
  if (days > 0 || hours > 0) text += std::to_string(hours) + "h ";
  return text + std::to_string(minutes) + "m " + std::to_string(total % 60) + "s";
}

std::string count_text(const json& counts, std::string_view key) {
  const json& value = field(counts, key);
  return value.is_number() ? number_text(value.get<double>()) : "-";
}

std::string stats_text(const json& rule) {
  const json& stats = field(rule, "stats");
  return "triggered " + count_text(stats, "triggered") + ", fired " + count_text(stats, "fired") + ", errors " +
         count_text(stats, "errors") + ", running " + count_text(rule, "runs");
}

std::string rule_location(const json& rule) {
  const json& line = field(rule, "line");
  std::string text = text_field(rule, "file");
  if (line.is_number()) text.append(":").append(number_text(line.get<double>()));
  return text;
}

}  // namespace

const json& field(const json& object, std::string_view key) {
  if (!object.is_object()) return null_json();
  const auto it = object.find(std::string(key));
  return it == object.end() ? null_json() : *it;
}

std::string text_field(const json& object, std::string_view key, std::string_view fallback) {
  const json& value = field(object, key);
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return std::string(fallback);
  return format_value(value);
}

bool answer_failed(const json& answer) { return field(answer, "ok") == false; }

std::string format_value(const json& value) {
  if (value.is_number_float()) {
    const double number = value.get<double>();
    if (std::isfinite(number) && number == std::floor(number) && std::fabs(number) < 1e15) {
      return std::to_string(static_cast<long long>(number));
    }
  }
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string format_table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  std::string text;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 2, ' ');
    }
    while (line.ends_with(' ')) line.pop_back();
    text += line + '\n';
  }
  return text;
}

std::string format_rules_table(const json& answer) {
  const json& rules = list_field(answer, "rules");
  const bool any_error = std::any_of(rules.begin(), rules.end(), [](const json& r) { return !field(r, "error").is_null(); });
  std::vector<std::vector<std::string>> rows = {{"NAME", "STATE", "NEXT"}};
  if (any_error) rows[0].emplace_back("ERROR");
  for (const json& rule : rules) {
    rows.push_back({rule_name(rule), rule_state(rule), text_field(rule, "next")});
    if (any_error) rows.back().push_back(text_field(rule, "error", ""));
  }
  return format_table(rows);
}

std::string format_devices_table(const json& answer) {
  std::vector<std::vector<std::string>> rows = {{"ID", "NAME", "TYPE", "VALUE", "AVAILABLE"}};
  for (const json& device : list_field(answer, "devices")) {
    const json& available = field(device, "available");
    rows.push_back({text_field(device, "id"), text_field(device, "name"), text_field(device, "type"),
                    main_value(device), available.is_boolean() ? (available == true ? "yes" : "no") : "-"});
  }
  return format_table(rows);
}

std::string format_rule(const json& rule) {
  const json& body = field(rule, "rule").is_object() ? field(rule, "rule") : rule;
  std::vector<std::vector<std::string>> rows = {{"name:", rule_name(body)},
                                                {"identity:", text_field(body, "identity")},
                                                {"file:", rule_location(body)},
                                                {"state:", rule_state(body)},
                                                {"next:", text_field(body, "next")},
                                                {"stats:", stats_text(body)}};
  if (!field(body, "error").is_null()) rows.push_back({"error:", text_field(body, "error")});
  return format_table(rows) + "source:\n" + with_newline(text_field(body, "source", ""));
}

std::string format_rule_state(const json& answer) {
  const json& rule = field(answer, "rule").is_object() ? field(answer, "rule") : answer;
  return rule_name(rule) + ": " + rule_state(rule) + '\n';
}

std::string format_device(const json& device) {
  const json& available = field(device, "available");
  std::vector<std::vector<std::string>> rows = {
      {"id:", text_field(device, "id")},
      {"name:", text_field(device, "name")},
      {"type:", text_field(device, "type")},
      {"available:", available.is_boolean() ? (available == true ? "yes" : "no") : "-"},
      {"changed:", text_field(device, "lastChanged")}};
  const json& properties = field(device, "properties");
  if (properties.is_object()) {
    for (const auto& [name, value] : properties.items()) rows.push_back({"  " + name, format_value(value)});
  }
  return format_table(rows);
}

std::string format_health(const json& health) {
  const json& counts = field(health, "counts");
  return text_field(health, "home") + ": version " + text_field(health, "version") + ", up " +
         uptime_text(field(health, "uptime")) + ", clock " + text_field(health, "clock") +
         (field(health, "virtual") == true ? " (virtual)" : "") + ", generation " + text_field(health, "generation") +
         "\n" + count_text(counts, "devices") + " devices, " + count_text(counts, "rules") + " rules (" +
         count_text(counts, "enabled") + " enabled, " + count_text(counts, "disabled_by_error") +
         " disabled by errors), " + count_text(counts, "globals") + " globals, " + count_text(counts, "runs") +
         " runs, " + count_text(counts, "errors") + " errors\n";
}

std::string format_globals(const json& answer) {
  std::string text;
  const json& globals = field(answer, "globals");
  if (!globals.is_object()) return text;
  for (const auto& [name, value] : globals.items()) text += name + " = " + format_value(value) + '\n';
  return text;
}

std::string format_reload_summary(const json& answer) {
  const json& summary = field(answer, "summary");
  const bool dry_run = field(answer, "dry_run") == true;
  std::string text = dry_run ? "dry run: no changes made; " : "generation " + text_field(answer, "generation") + ": ";
  return text + count_text(summary, "unchanged") + " unchanged, " + count_text(summary, "changed") + " changed, " +
         count_text(summary, "added") + " added, " + count_text(summary, "removed") + " removed\n";
}

std::string format_diagnostics(const json& answer) {
  std::string text;
  for (const json& diagnostic : list_field(answer, "diagnostics")) {
    const std::string line = text_field(diagnostic, "text", "");
    text += with_newline(line.empty() ? text_field(diagnostic, "message") : line);
  }
  return text;
}

std::string format_timeline(const json& answer, std::string_view filter) {
  std::string text;
  for (const json& line : list_field(answer, "lines")) {
    const std::string content = text_field(line, "text", "");
    if (filter.empty() || content.find(filter) != std::string::npos) text += with_newline(content);
  }
  return text;
}

}  // namespace er::cli

#include "top_format.h"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "api_format.h"

namespace er::cli {

namespace {

using nlohmann::json;

double number(const json& object, std::string_view key) {
  const json& value = field(object, key);
  return value.is_number() ? value.get<double>() : 0.0;
}

// `value` with `decimals` digits after the point.
std::string fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

std::string count_text(double value) { return fixed(value, 0); }

std::string bytes_text(double bytes) {
  if (bytes >= 1024.0 * 1024.0) return fixed(bytes / (1024.0 * 1024.0), 1) + " MB";
  return fixed(bytes / 1024.0, 0) + " kB";
}

// events/s over the interval since `previous`, else the engine's average since its start.
std::string events_rate(const json& engine, const json* previous) {
  if (previous != nullptr) {
    const json& before = field(*previous, "engine");
    const double elapsed = number(engine, "uptime_seconds") - number(before, "uptime_seconds");
    if (elapsed > 0) return fixed((number(engine, "events") - number(before, "events")) / elapsed, 1) + "/s";
  }
  return fixed(number(engine, "events_per_second"), 1) + "/s avg";
}

std::string engine_line(const json& engine, const json* previous) {
  const json& lag = field(engine, "loop_lag");
  return "events " + events_rate(engine, previous) + " (" + count_text(number(engine, "events")) + " total)" +
         "  runs in flight " + count_text(number(engine, "runs_in_flight")) + "  loop lag p50 " +
         format_seconds(number(lag, "p50_seconds")) + " p99 " + format_seconds(number(lag, "p99_seconds")) +
         "\nbus " + count_text(number(engine, "bus_depth")) + "/" + count_text(number(engine, "bus_slots")) + " (" +
         count_text(number(engine, "bus_dropped")) + " dropped)  heap " + bytes_text(number(engine, "heap_bytes")) +
         " (peak " + bytes_text(number(engine, "heap_peak_bytes")) + ")  rules " +
         count_text(number(engine, "rules_enabled")) + "/" + count_text(number(engine, "rules")) + " enabled\n";
}

std::string mqtt_line(const json& mqtt) {
  if (!mqtt.is_object()) return "";
  return std::string("mqtt ") + (number(mqtt, "connected") > 0 ? "connected" : "disconnected") + ", " +
         count_text(number(mqtt, "messages_received")) + " in, " + count_text(number(mqtt, "messages_sent")) +
         " out, " + count_text(number(mqtt, "reconnects")) + " reconnects, " +
         count_text(number(mqtt, "dropped_payloads")) + " dropped\n";
}

std::string log_line(const json& log) {
  if (!log.is_object()) return "";
  const json& lines = field(log, "lines");
  return "log " + count_text(number(lines, "error")) + " errors, " + count_text(number(lines, "warn")) +
         " warnings, " + count_text(number(log, "repeats_suppressed")) + " repeats suppressed\n";
}

std::vector<std::string> rule_row(const json& rule) {
  return {text_field(rule, "name"), count_text(number(rule, "runs")), count_text(number(rule, "conditions")),
          count_text(number(rule, "actions")), count_text(number(rule, "errors")),
          format_seconds(number(rule, "run_seconds")), format_seconds(number(rule, "mean_seconds")),
          format_seconds(number(rule, "max_seconds")), format_seconds(number(rule, "suspended_seconds")),
          count_text(number(rule, "in_flight"))};
}

std::string rules_table(const json& rules, std::size_t limit) {
  std::vector<std::vector<std::string>> rows = {
      {"RULE", "RUNS", "CONDITIONS", "ACTIONS", "ERRORS", "TIME", "MEAN", "MAX", "SUSPENDED", "IN FLIGHT"}};
  if (!rules.is_array()) return format_table(rows);
  for (const json& rule : rules) {
    if (limit != 0 && rows.size() > limit) break;
    rows.push_back(rule_row(rule));
  }
  return format_table(rows);
}

}  // namespace

std::string format_seconds(double seconds) {
  if (seconds <= 0) return "0";
  if (seconds < 0.001) return fixed(seconds * 1e6, 0) + "us";  // ASCII: format_table pads by bytes.
  if (seconds < 1) return fixed(seconds * 1e3, 1) + "ms";
  if (seconds < 60) return fixed(seconds, 2) + "s";
  const auto whole = static_cast<long long>(seconds);
  if (whole < 3600) return std::to_string(whole / 60) + "m " + std::to_string(whole % 60) + "s";
  return std::to_string(whole / 3600) + "h " + std::to_string(whole % 3600 / 60) + "m";
}

std::string format_top(const json& metrics, const TopView& view) {
  const json& engine = field(metrics, "engine");
  std::string text = text_field(metrics, "home") + " (eventrunner " + text_field(metrics, "version") + "), up " +
                     format_seconds(number(engine, "uptime_seconds")) + "\n";
  text += engine_line(engine, view.previous);
  text += mqtt_line(field(metrics, "mqtt"));
  text += log_line(field(metrics, "log"));
  return text + "\n" + rules_table(field(metrics, "rules"), view.limit);
}

}  // namespace er::cli

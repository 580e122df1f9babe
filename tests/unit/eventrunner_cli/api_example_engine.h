#pragma once
// A fake engine that answers as the examples of docs/api.md do, for the tests of ctl
// and the console, and a private token file to reach it with.

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "fake_engine.h"

namespace er::cli::testing {

inline nlohmann::json rule_with(bool enabled) {
  nlohmann::json rule = nlohmann::json::parse(R"({"identity": "morning_lights", "name": "morning_lights",
    "file": "20-lights.er", "line": 12, "source": "::morning_lights:: @07:00 & !Away => hall_lamp:on",
    "group": null, "error": null, "stats": {"triggered": 3, "fired": 2, "errors": 0}, "runs": 0,
    "next": "2026-12-08 07:00:00"})");
  rule["enabled"] = enabled;
  return rule;
}

inline nlohmann::json broken_rule() {
  return nlohmann::json::parse(R"({"identity": "20-lights.er:3", "name": "RULE3", "file": "20-lights.er", "line": 3,
    "source": "x => y", "enabled": false, "error": "attempt to index a nil value", "next": null})");
}

inline FakeAnswer example_answer(const FakeRequest& request) {
  using nlohmann::json;
  const std::string& path = request.path;
  const std::string key = request.method + " " + path;
  const json body = json::parse(request.body.empty() ? "{}" : request.body, nullptr, false);
  if (key == "GET /api/health") {
    return {200, json::parse(R"({"home": "My flat", "version": "0.9.0", "uptime": 3605.2,
      "clock": "2026-12-07 07:00:05", "virtual": false, "generation": 2, "counts": {"devices": 30, "rules": 58,
      "enabled": 57, "disabled_by_error": 1, "globals": 4, "runs": 1203, "errors": 1}})")};
  }
  if (key == "GET /api/names") {
    return {200, json::parse(R"({"devices": ["hall_lamp"], "globals": ["Mode"], "rules": ["morning_lights"],
      "builtins": ["log"]})")};
  }
  if (key == "GET /api/rules") return {200, {{"rules", json::array({rule_with(true), broken_rule()})}}};
  if (key == "GET /api/rules/morning_lights") return {200, rule_with(true)};
  if (key == "POST /api/rules/morning_lights/disable") return {200, {{"rule", rule_with(false)}}};
  if (key == "POST /api/rules/morning_lights/enable") return {200, {{"rule", rule_with(true)}}};
  if (key == "POST /api/rules/morning_lights/run") return {200, {{"rule", rule_with(true)}}};
  if (path.starts_with("/api/rules/")) return {404, {{"error", "no rule '" + path.substr(11) + "'"}}};
  if (key == "GET /api/devices") {
    return {200, json::parse(R"({"devices": [
      {"id": 55, "name": "hall_lamp", "type": "binarySwitch", "properties": {"value": true}, "available": true,
       "lastChanged": 1796626805.0},
      {"id": "garage", "name": "garage_door", "type": "binarySensor", "properties": {"batteryLevel": 80},
       "available": false, "lastChanged": 1796626805.0}]})")};
  }
  if (key == "GET /api/devices/55" || key == "GET /api/devices/hall_lamp") {
    return {200, json::parse(R"({"id": 55, "name": "hall_lamp", "type": "binarySwitch",
      "properties": {"value": true, "power": 4.5}, "available": true, "lastChanged": 1796626805.0})")};
  }
  if (request.method == "POST" && path.starts_with("/api/devices/")) return {200, {{"ok", true}}};
  if (key == "GET /api/globals") return {200, {{"globals", {{"Mode", "away"}, {"Guests", 2}}}}};
  if (key == "GET /api/globals/Mode") return {200, {{"name", "Mode"}, {"value", "away"}}};
  if (key == "PUT /api/globals/Mode") return {200, {{"name", "Mode"}, {"value", body["value"]}}};
  if (key == "POST /api/events") return {200, {{"ok", true}}};
  if (key == "POST /api/eval") {
    const std::string source = body.value("source", "");
    if (source.find("error") != std::string::npos) {
      return {200, {{"ok", false}, {"error", "eval:1:1: error: boom\n" + source + "\n^\n"}}};
    }
    if (source.find("wait") != std::string::npos) return {200, {{"ok", true}, {"suspended", true}}};
    return {200, {{"ok", true}, {"values", json::array({"true", "\"on\""})}}};
  }
  if (key == "POST /api/check") {
    if (body["files"].dump().find("x > 5") == std::string::npos) return {200, {{"ok", true}, {"diagnostics", json::array()}}};
    return {200, json::parse(R"({"ok": false, "diagnostics": [{"file": "20-lights.er", "line": 3, "col": 1,
      "severity": "error", "message": "Rule has no triggers: x > 5",
      "text": "20-lights.er:3:1: error: Rule has no triggers: x > 5\nx > 5 => log(x)\n^\n"}]})")};
  }
  if (key == "POST /api/reload") {
    return {200, {{"ok", true}, {"dry_run", body.value("dry_run", false)}, {"generation", 3},
                  {"summary", {{"unchanged", 3}, {"changed", 1}, {"added", 1}, {"removed", 0}}},
                  {"diagnostics", json::array()}}};
  }
  if (key == "POST /api/rollback") return {409, {{"error", "nothing to roll back to"}}};
  if (path.starts_with("/api/timeline")) {
    const bool later = path.find("since=") != std::string::npos;
    return {200, {{"lines", later ? json::array() : json::parse(R"([
      {"seq": 40, "text": "2026-12-07 06:59:00  [night] 20 living_dimmer: off"},
      {"seq": 41, "text": "2026-12-07 07:00:00  [morning_lights] 55 hall_lamp: turnOn"}])")}, {"next", 42}}};
  }
  return {404, {{"error", "unknown path " + path}}};
}

/// A private token file in a fresh temporary folder, removed with the object.
class TokenFile {
 public:
  TokenFile() {
    dir_ = std::filesystem::temp_directory_path() / ("er_token_" + std::to_string(::getpid()) + "_" +
                                                     std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    std::filesystem::create_directories(dir_);
    std::ofstream(path()) << "secret\n";
    ::chmod(path().c_str(), 0600);
  }
  ~TokenFile() { std::filesystem::remove_all(dir_); }
  TokenFile(const TokenFile&) = delete;
  TokenFile& operator=(const TokenFile&) = delete;
  [[nodiscard]] std::string path() const { return (dir_ / "token").string(); }
  [[nodiscard]] std::filesystem::path dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
};

}  // namespace er::cli::testing

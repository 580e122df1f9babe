#include "adapters/mqtt/scan.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <string_view>

#include <nlohmann/json.hpp>

namespace er::mqtt {

namespace {

using nlohmann::json;

constexpr std::size_t kOtherTopicsShown = 40;
constexpr std::size_t kPayloadShown = 60;

// The Home Assistant components a discovery topic may name.
bool is_component(std::string_view name) {
  static const std::set<std::string_view> kComponents = {
      "switch", "light", "binary_sensor", "sensor", "cover", "button", "number", "climate", "fan",
      "lock", "select", "text", "scene", "siren", "valve", "device_automation", "event", "update"};
  return kComponents.contains(name);
}

std::vector<std::string_view> levels_of(std::string_view topic) {
  std::vector<std::string_view> levels;
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = topic.find('/', start);
    levels.push_back(topic.substr(start, slash - start));
    if (slash == std::string_view::npos) return levels;
    start = slash + 1;
  }
}

// "<prefix>/<component>/[<node>/]<object>/config"
bool is_discovery_config(std::string_view topic, std::string& prefix) {
  const std::vector<std::string_view> levels = levels_of(topic);
  if ((levels.size() != 4 && levels.size() != 5) || levels.back() != "config" || !is_component(levels[1])) {
    return false;
  }
  prefix = std::string(levels[0]);
  return true;
}

// Feeds every message to a router that discovers, and keeps what it found.
std::vector<DeviceSpec> discover(const RouterOptions& options, const std::vector<ScannedMessage>& messages) {
  Router router(options);
  std::vector<DeviceSpec> found;
  for (const ScannedMessage& message : messages) {
    for (DiscoveredDevice& device : router.on_message(message.topic, message.payload, true).discovered) {
      found.push_back(std::move(device.spec));
    }
  }
  return found;
}

// A Tasmota topic as a device name: lower case, other characters as '_'.
std::string name_of(std::string_view topic) {
  std::string name;
  for (const char c : topic) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    name += plain ? c : (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : '_';
  }
  return name;
}

// Tasmota devices under the default FullTopic: tele/<t>/LWT names one; its type comes
// from what else it published (POWER: a switch, Dimmer: a dimmer, SENSOR only: a sensor).
std::vector<DeviceSpec> find_tasmota(const std::vector<ScannedMessage>& messages) {
  std::map<std::string, std::string> types;  // topic -> type
  for (const ScannedMessage& message : messages) {
    const std::vector<std::string_view> levels = levels_of(message.topic);
    if (levels.size() == 3 && levels[0] == "tele" && levels[2] == "LWT") types.emplace(levels[1], "");
  }
  for (const ScannedMessage& message : messages) {
    const std::vector<std::string_view> levels = levels_of(message.topic);
    if (levels.size() != 3 || !types.contains(std::string(levels[1]))) continue;
    std::string& type = types[std::string(levels[1])];
    if (message.payload.find("\"Dimmer\"") != std::string::npos) type = "multilevelSwitch";
    if (type.empty() && (levels[2].starts_with("POWER") || message.payload.find("\"POWER") != std::string::npos)) {
      type = "binarySwitch";
    }
  }
  std::vector<DeviceSpec> devices;
  for (const auto& [topic, type] : types) {
    devices.push_back(DeviceSpec{std::string("tasmota:") + topic, name_of(topic), type.empty() ? "multilevelSensor" : type,
                                 json{{"tasmota", topic}}});
  }
  return devices;
}

bool belongs_to_devices(std::string_view topic, const ScanReport& report) {
  const auto under = [topic](const std::string& base) {
    return !base.empty() && (topic == base || topic.starts_with(base + "/"));
  };
  if (under(report.zigbee2mqtt_base) || under(report.homeassistant_prefix)) return true;
  return topic.starts_with("tele/") || topic.starts_with("stat/") || topic.starts_with("cmnd/");
}

}  // namespace

ScanReport analyse_scan(const std::vector<ScannedMessage>& messages) {
  ScanReport report;
  std::string prefix;
  for (const ScannedMessage& message : messages) {
    if (message.topic.ends_with("/bridge/devices")) {
      report.zigbee2mqtt_base = message.topic.substr(0, message.topic.size() - 15);
    } else if (report.homeassistant_prefix.empty() && is_discovery_config(message.topic, prefix)) {
      report.homeassistant_prefix = prefix;
    }
  }
  if (!report.zigbee2mqtt_base.empty()) {
    RouterOptions options;
    options.zigbee2mqtt_base = report.zigbee2mqtt_base;
    options.discover_zigbee2mqtt = true;
    report.zigbee2mqtt = discover(options, messages);
  }
  if (!report.homeassistant_prefix.empty()) {
    RouterOptions options;
    options.homeassistant_prefix = report.homeassistant_prefix;
    options.discover_homeassistant = true;
    report.homeassistant = discover(options, messages);
  }
  report.tasmota = find_tasmota(messages);
  for (const ScannedMessage& message : messages) {
    if (!belongs_to_devices(message.topic, report)) report.other.push_back(message);
  }
  return report;
}

namespace {

// A Lua string literal.
std::string lua_string(std::string_view text) { return json(std::string(text)).dump(); }

// The mqtt table of a device as Lua: {zigbee2mqtt = "hall/motion"}.
std::string lua_table(const json& mapping) {
  std::string text = "{";
  for (const auto& [key, value] : mapping.items()) {
    text += (text.size() > 1 ? ", " : "") + key + " = " + value.dump();
  }
  return text + "}";
}

void write_devices(std::ostringstream& out, const char* title, const std::vector<DeviceSpec>& devices, int& next_id) {
  if (devices.empty()) return;
  out << "    -- " << title << "\n";
  for (const DeviceSpec& device : devices) {
    out << "    {id = " << next_id++ << ", name = " << lua_string(device.name) << ", type = " << lua_string(device.type)
        << ", mqtt = " << lua_table(device.mqtt) << "},\n";
  }
}

std::string shortened(const std::string& payload) {
  std::string text = payload.substr(0, kPayloadShown);
  std::replace(text.begin(), text.end(), '\n', ' ');
  return payload.size() > kPayloadShown ? text + "..." : text;
}

}  // namespace

std::string format_scan(const ScanReport& report, const std::string& broker) {
  std::ostringstream out;
  out << "-- eventrunner mqtt scan " << broker << ": " << report.zigbee2mqtt.size() << " Zigbee2MQTT, "
      << report.tasmota.size() << " Tasmota, " << report.homeassistant.size() << " Home Assistant devices\n";
  out << "  mqtt = {broker = " << lua_string(broker);
  if (!report.zigbee2mqtt_base.empty() && report.zigbee2mqtt_base != "zigbee2mqtt") {
    out << ", zigbee2mqtt_base = " << lua_string(report.zigbee2mqtt_base);
  }
  if (!report.homeassistant_prefix.empty() && report.homeassistant_prefix != "homeassistant") {
    out << ", homeassistant_prefix = " << lua_string(report.homeassistant_prefix);
  }
  out << "},\n  devices = {\n";
  int next_id = 1;
  write_devices(out, "Zigbee2MQTT", report.zigbee2mqtt, next_id);
  write_devices(out, "Tasmota", report.tasmota, next_id);
  write_devices(out, "Home Assistant discovery", report.homeassistant, next_id);
  out << "  },\n";
  if (!report.other.empty()) {
    out << "  -- Other retained topics (map one with mqtt = {state = {topic = ...}}):\n";
    for (std::size_t i = 0; i < report.other.size() && i < kOtherTopicsShown; ++i) {
      out << "  --   " << report.other[i].topic << " = " << shortened(report.other[i].payload) << "\n";
    }
    if (report.other.size() > kOtherTopicsShown) {
      out << "  --   ... and " << report.other.size() - kOtherTopicsShown << " more\n";
    }
  }
  return out.str();
}

}  // namespace er::mqtt

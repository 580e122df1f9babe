#include "adapters/mqtt/config.h"

#include <cstdlib>
#include <fstream>
#include <string_view>

namespace er::mqtt {

namespace {

using nlohmann::json;

// Keys the `mqtt` table may have; anything else is a typo worth reporting.
constexpr std::string_view kKnownKeys[] = {
    "broker", "username", "password", "password_file", "password_env", "client_id", "keepalive",
    "version", "ca_file", "cert_file", "key_file", "base_topic", "discover", "publish",
    "tasmota_full_topic", "zigbee2mqtt_base", "homeassistant_prefix", "controller", "status_per_controller", "hold"};

bool is_known(const std::string& key) {
  for (std::string_view known : kKnownKeys) {
    if (key == known) return true;
  }
  return false;
}

// Reads string field `key` into `out` when present; a non-string is a problem.
void read_string(const json& table, const char* key, std::string& out, std::vector<std::string>& problems) {
  const auto it = table.find(key);
  if (it == table.end() || it->is_null()) return;
  if (!it->is_string()) {
    problems.push_back(std::string("mqtt.") + key + " must be a string");
    return;
  }
  out = it->get<std::string>();
}

void read_flag(const json& table, const char* key, bool& out, const char* where,
               std::vector<std::string>& problems) {
  const auto it = table.find(key);
  if (it == table.end() || it->is_null()) return;
  if (!it->is_boolean()) {
    problems.push_back(std::string(where) + key + " must be true or false");
    return;
  }
  out = it->get<bool>();
}

std::string resolve(const std::string& home_dir, const std::string& name) {
  if (name.empty() || name.front() == '/' || home_dir.empty()) return name;
  return home_dir + "/" + name;
}

// "mqtt://host:port" or "mqtts://host[:port]" (also a bare "host[:port]").
void read_broker(const std::string& url, MqttConfig& config, std::vector<std::string>& problems) {
  std::string_view rest = url;
  if (rest.starts_with("mqtts://")) {
    config.tls = true;
    config.port = 8883;
    rest.remove_prefix(8);
  } else if (rest.starts_with("mqtt://")) {
    rest.remove_prefix(7);
  } else if (rest.find("://") != std::string_view::npos) {
    problems.push_back("mqtt.broker: '" + url + "' is not an mqtt:// or mqtts:// address");
    return;
  }
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  const std::size_t colon = rest.rfind(':');
  std::string_view host = rest.substr(0, colon);
  if (colon != std::string_view::npos) {
    const std::string port_text(rest.substr(colon + 1));
    char* end = nullptr;
    const long port = std::strtol(port_text.c_str(), &end, 10);
    if (port_text.empty() || *end != '\0' || port < 1 || port > 65535) {
      problems.push_back("mqtt.broker: '" + url + "' has no valid port");
      return;
    }
    config.port = static_cast<int>(port);
  }
  if (host.empty()) {
    problems.push_back("mqtt.broker: '" + url + "' names no host");
    return;
  }
  config.host = std::string(host);
}

// The first line of a password file, without its line end.
bool read_password_file(const std::string& path, std::string& password) {
  std::ifstream file(path);
  if (!file) return false;
  std::getline(file, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  return true;
}

void read_password(const json& table, const std::string& home_dir, MqttConfig& config,
                   std::vector<std::string>& problems) {
  read_string(table, "password", config.password, problems);
  std::string file;
  read_string(table, "password_file", file, problems);
  if (!file.empty() && !read_password_file(resolve(home_dir, file), config.password)) {
    problems.push_back("mqtt.password_file: cannot read '" + file + "'");
  }
  std::string variable;
  read_string(table, "password_env", variable, problems);
  if (!variable.empty()) {
    const char* value = std::getenv(variable.c_str());
    if (value == nullptr) {
      problems.push_back("mqtt.password_env: the environment variable " + variable + " is not set");
    } else {
      config.password = value;
    }
  }
}

void read_integer(const json& table, const char* key, int low, int high, int& out,
                  std::vector<std::string>& problems) {
  const auto it = table.find(key);
  if (it == table.end() || it->is_null()) return;
  if (!it->is_number_integer() || it->get<long long>() < low || it->get<long long>() > high) {
    problems.push_back(std::string("mqtt.") + key + " must be a whole number from " + std::to_string(low) +
                       " to " + std::to_string(high));
    return;
  }
  out = it->get<int>();
}

// version = 5 or "5", 4, "3.1.1".
void read_version(const json& table, MqttConfig& config, std::vector<std::string>& problems) {
  const auto it = table.find("version");
  if (it == table.end() || it->is_null()) return;
  if (*it == 5 || *it == "5") {
    config.version = 5;
  } else if (*it == 4 || *it == "4" || *it == "3.1.1") {
    config.version = 4;
  } else {
    problems.push_back("mqtt.version must be \"3.1.1\" or 5");
  }
}

// discover = {zigbee2mqtt = "<base>", homeassistant = "<prefix>"} (true: the default).
void read_discover(const json& table, RouterOptions& router, std::vector<std::string>& problems) {
  const auto it = table.find("discover");
  if (it == table.end() || it->is_null()) return;
  if (!it->is_object()) {
    problems.push_back("mqtt.discover must be a table such as {zigbee2mqtt = \"zigbee2mqtt\"}");
    return;
  }
  for (const auto& [key, value] : it->items()) {
    std::string* base = key == "zigbee2mqtt"     ? &router.zigbee2mqtt_base
                        : key == "homeassistant" ? &router.homeassistant_prefix
                                                 : nullptr;
    bool* flag = key == "zigbee2mqtt" ? &router.discover_zigbee2mqtt : &router.discover_homeassistant;
    if (base == nullptr) {
      problems.push_back("mqtt.discover." + key + ": only zigbee2mqtt and homeassistant can be discovered");
    } else if (value.is_string()) {
      *base = value.get<std::string>();
      *flag = true;
    } else if (value.is_boolean()) {
      *flag = value.get<bool>();
    } else {
      problems.push_back("mqtt.discover." + key + " must be a base topic or true");
    }
  }
}

void read_publish(const json& table, MqttConfig& config, std::vector<std::string>& problems) {
  const auto it = table.find("publish");
  if (it == table.end() || it->is_null()) return;
  if (!it->is_object()) {
    problems.push_back("mqtt.publish must be a table such as {globals = true, rules = true}");
    return;
  }
  read_flag(*it, "globals", config.publish_globals, "mqtt.publish.", problems);
  read_flag(*it, "rules", config.publish_rules, "mqtt.publish.", problems);
  read_flag(*it, "homeassistant", config.publish_homeassistant, "mqtt.publish.", problems);
}

// hold = {"<filter>", ...}: set by the host, not by users (docs/multi-controller.md).
void read_hold(const json& table, MqttConfig& config, std::vector<std::string>& problems) {
  const auto it = table.find("hold");
  if (it == table.end() || it->is_null() || (it->is_object() && it->empty())) return;  // Lua's {} is an object.
  if (!it->is_array()) {
    problems.push_back("mqtt.hold must be a list of topic filters");
    return;
  }
  for (const json& filter : *it) {
    if (filter.is_string()) config.hold.push_back(filter.get<std::string>());
  }
}

}  // namespace

ConfigResult parse_config(const json& mqtt, const std::string& home_dir) {
  ConfigResult result;
  MqttConfig& config = result.config;
  std::vector<std::string>& problems = result.problems;
  if (!mqtt.is_object()) {
    problems.push_back("mqtt must be a table such as {broker = \"mqtt://127.0.0.1:1883\"}");
    return result;
  }
  for (const auto& [key, value] : mqtt.items()) {
    if (!is_known(key)) problems.push_back("mqtt." + key + ": unknown setting");
  }
  std::string broker = "mqtt://127.0.0.1:1883";
  read_string(mqtt, "broker", broker, problems);
  read_broker(broker, config, problems);
  read_string(mqtt, "username", config.username, problems);
  read_password(mqtt, home_dir, config, problems);
  read_string(mqtt, "client_id", config.client_id, problems);
  read_integer(mqtt, "keepalive", 5, 65535, config.keepalive, problems);
  read_version(mqtt, config, problems);
  for (auto [key, field] : {std::pair{"ca_file", &config.ca_file}, std::pair{"cert_file", &config.cert_file},
                            std::pair{"key_file", &config.key_file}}) {
    read_string(mqtt, key, *field, problems);
    *field = resolve(home_dir, *field);
  }
  read_string(mqtt, "base_topic", config.base_topic, problems);
  if (config.base_topic.empty() || config.base_topic.find_first_of("+#") != std::string::npos) {
    problems.push_back("mqtt.base_topic must be a topic without wildcards");
  }
  // Set by the host from home.lua's top-level `controller` (docs/multi-controller.md).
  read_string(mqtt, "controller", config.controller, problems);
  if (config.controller.find_first_of("+#/") != std::string::npos) {
    problems.push_back("controller: '" + config.controller + "' must be one topic level (no '/', '+' or '#')");
  }
  read_flag(mqtt, "status_per_controller", config.status_per_controller, "mqtt.", problems);
  read_hold(mqtt, config, problems);
  read_string(mqtt, "tasmota_full_topic", config.router.tasmota_full_topic, problems);
  read_string(mqtt, "zigbee2mqtt_base", config.router.zigbee2mqtt_base, problems);
  read_string(mqtt, "homeassistant_prefix", config.router.homeassistant_prefix, problems);
  read_discover(mqtt, config.router, problems);
  read_publish(mqtt, config, problems);
  if (config.client_id.empty()) {
    const bool named = config.status_per_controller && !config.controller.empty();
    config.client_id = "eventrunner-" + config.base_topic + (named ? "-" + config.controller : "");
  }
  return result;
}

}  // namespace er::mqtt

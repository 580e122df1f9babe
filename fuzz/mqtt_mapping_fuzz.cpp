// Fuzzes the MQTT device mapping: a Router with devices of every mapping (Zigbee2MQTT,
// Tasmota, Home Assistant discovery, plain topics) and both discoveries on is fed
// messages, actions and new devices read from the input, one per line:
//
//   m<topic>\t<payload>     a message ("r" instead of "m": retained)
//   m@<n>\t<payload>        a message on the n-th topic the router subscribes to
//   a<n><action>\t<arg>...  an action on the n-th device (args: JSON tables, true/false,
//                           numbers, else strings)
//   d<n><mqtt table JSON>   a device of the n-th standard type
//   c                       the queries: on_connect, subscriptions, devices
//
// A crash or sanitizer report is a bug; so is an exception out of the Router, a
// problem text with a control byte, a report for a device the router does not map,
// or a JsonText that is not JSON.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/mqtt/router.h"

namespace {

using er::mqtt::Router;

constexpr std::array<const char*, 9> kTypes = {
    "binarySwitch",     "multilevelSwitch", "binarySensor",
    "multilevelSensor", "rollerShutter",    "remoteController",
    "thermostat",       "colorController",  "player"};

// The home every input starts from: name, type, mqtt table.
constexpr std::array<std::array<const char*, 3>, 14> kHome = {{
    {"hall_lamp", "binarySwitch", R"({"zigbee2mqtt": "Hall Lamp"})"},
    {"dimmer", "multilevelSwitch", R"({"zigbee2mqtt": "Kitchen/Dimmer"})"},
    {"door", "binarySensor", R"({"zigbee2mqtt": "Front Door"})"},
    {"remote", "remoteController", R"({"zigbee2mqtt": "Remote"})"},
    {"radiator", "thermostat", R"({"zigbee2mqtt": "Radiator"})"},
    {"strip", "colorController", R"({"zigbee2mqtt": "Strip", "property": "state"})"},
    {"plug", "binarySwitch", R"({"tasmota": "plug", "relay": 2})"},
    {"bulb", "colorController", R"({"tasmota": "bulb"})"},
    {"attic", "multilevelSensor", R"({"tasmota": "attic", "sensor": "AM2301.Temperature"})"},
    {"printer", "binarySwitch", R"({"homeassistant": "35EBF6_RL_1"})"},
    {"garage", "rollerShutter", R"({"homeassistant": "garage"})"},
    {"office", "thermostat", R"({"homeassistant": "office_hvac"})"},
    {"gate", "binarySensor",
     R"({"state": [{"topic": "gate/state", "map": {"OPEN": true}}, {"topic": "gate/+/json", "json": "a.b[0]", "property": "x"}],
         "command": {"topic": "gate/cmd", "turnOn": "{{value}}", "setValue": "{\"v\": {{ value }}}"},
         "availability": {"topic": "gate/lwt"}})"},
    {"meter", "multilevelSensor", R"({"state": {"topic": "meter/#", "number": true}})"},
}};

void fail(const char* what, std::string_view detail) {
  std::fprintf(stderr, "%s: %.*s\n", what, static_cast<int>(detail.size()), detail.data());
  std::abort();
}

void check_text(std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) fail("a problem holds a control byte", text);
  }
}

Router make_router() {
  er::mqtt::RouterOptions options;
  options.discover_zigbee2mqtt = true;
  options.discover_homeassistant = true;
  options.max_payload = 16 * 1024;
  Router router(options);
  std::int64_t id = 1;
  for (const auto& [name, type, mqtt] : kHome) {
    if (!router.add_device({id++, name, type, nlohmann::json::parse(mqtt)}).empty())
      fail("the home", name);
  }
  return router;
}

er::DeviceValue argument(std::string_view text) {
  if (text == "true" || text == "false") return text == "true";
  if (!text.empty() && (text.front() == '{' || text.front() == '['))
    return er::JsonText{std::string(text)};
  char* end = nullptr;
  const std::string copy(text);
  const double number = std::strtod(copy.c_str(), &end);
  if (!copy.empty() && end == copy.c_str() + copy.size()) {
    // Whole numbers the engine would pass as integers; NaN, infinities and huge values
    // stay floats (the mapping must cope with those too).
    if (std::fabs(number) < 1e15 && std::trunc(number) == number)
      return static_cast<std::int64_t>(number);
    return number;
  }
  return copy;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  for (std::size_t pos = 0;;) {
    const std::size_t end = text.find(separator, pos);
    parts.push_back(
        text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos));
    if (end == std::string_view::npos) return parts;
    pos = end + 1;
  }
}

void check_result(Router& router, const er::mqtt::MessageResult& result) {
  if (result.problem) check_text(*result.problem);
  const std::vector<er::DeviceId> devices = router.devices();
  for (const er::mqtt::Report& report : result.reports) {
    if (std::find(devices.begin(), devices.end(), report.device) == devices.end()) {
      fail("a report for an unmapped device", report.property);
    }
    if (const auto* json = std::get_if<er::JsonText>(&report.value)) {
      if (!nlohmann::json::accept(json->text)) fail("a JsonText that is not JSON", json->text);
    }
  }
}

void message(Router& router, std::string_view line, bool retained) {
  const std::size_t tab = line.find('\t');
  std::string topic(line.substr(0, tab));
  const std::string_view payload =
      tab == std::string_view::npos ? std::string_view() : line.substr(tab + 1);
  if (topic.size() == 2 && topic[0] == '@') {
    const std::vector<std::string> topics = router.subscriptions();
    if (topics.empty()) return;
    topic = topics[static_cast<unsigned char>(topic[1]) % topics.size()];
  }
  check_result(router, router.on_message(topic, payload, retained));
}

void act(Router& router, std::string_view line) {
  const std::vector<er::DeviceId> devices = router.devices();
  if (line.empty() || devices.empty()) return;
  const er::DeviceId& device = devices[static_cast<unsigned char>(line[0]) % devices.size()];
  const std::vector<std::string_view> parts = split(line.substr(1), '\t');
  std::vector<er::DeviceValue> args;
  for (std::size_t i = 1; i < parts.size(); ++i) args.push_back(argument(parts[i]));
  std::string problem;
  const std::vector<er::mqtt::Publish> messages =
      router.on_action({device, std::string(parts[0]), args}, &problem);
  check_text(problem);
  if (messages.empty() == problem.empty())
    fail("an action gave messages and a problem, or neither", parts[0]);
}

void define(Router& router, std::string_view line, std::int64_t id) {
  if (line.empty()) return;
  const nlohmann::json mqtt = nlohmann::json::parse(line.substr(1), nullptr, false);
  if (mqtt.is_discarded()) return;
  const char* type = kTypes[static_cast<unsigned char>(line[0]) % kTypes.size()];
  for (const std::string& problem :
       router.add_device({id, "fuzzed_" + std::to_string(id), type, mqtt})) {
    check_text(problem);
  }
}

void query(const Router& router) {
  (void)router.on_connect();
  for (const std::string& filter : router.subscriptions()) {
    if (const std::optional<std::string> bad = er::mqtt::check_filter(filter))
      fail("a bad subscription", filter);
  }
  (void)router.devices_without_availability();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  Router router = make_router();
  std::int64_t next_id = 1000;
  try {
    for (const std::string_view line : split(input, '\n')) {
      if (line.empty()) continue;
      const std::string_view rest = line.substr(1);
      switch (line[0]) {
        case 'm':
          message(router, rest, false);
          break;
        case 'r':
          message(router, rest, true);
          break;
        case 'a':
          act(router, rest);
          break;
        case 'd':
          define(router, rest, next_id++);
          break;
        case 'c':
          query(router);
          break;
        default:
          break;
      }
    }
  } catch (const std::exception& e) {
    fail("an exception escaped the Router", e.what());
  }
  return 0;
}

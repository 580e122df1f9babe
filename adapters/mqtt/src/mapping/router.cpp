// The Router: the devices' mappings, discovery, and the routing of messages and
// actions to them (adapters/mqtt/router.h).

#include "adapters/mqtt/router.h"

#include <algorithm>
#include <exception>
#include <iterator>
#include <utility>

#include "discovery.h"
#include "homeassistant.h"
#include "plain.h"
#include "registry.h"
#include "tasmota.h"
#include "text.h"
#include "zigbee2mqtt.h"

namespace er::mqtt {

namespace {

constexpr std::size_t kMaxWhatText = 120;

enum class MappingKind { zigbee2mqtt, tasmota, homeassistant, plain };

// The mapping a device's `mqtt` table asks for, or nullopt with the reason.
std::optional<MappingKind> mapping_kind(const nlohmann::json& mqtt, std::string* problem) {
  if (!mqtt.is_object()) {
    *problem = "the mqtt table must be a table";
    return std::nullopt;
  }
  std::vector<MappingKind> kinds;
  if (mqtt.contains("zigbee2mqtt")) kinds.push_back(MappingKind::zigbee2mqtt);
  if (mqtt.contains("tasmota")) kinds.push_back(MappingKind::tasmota);
  if (mqtt.contains("homeassistant")) kinds.push_back(MappingKind::homeassistant);
  if (mqtt.contains("state") || mqtt.contains("command")) kinds.push_back(MappingKind::plain);
  if (kinds.size() == 1) return kinds.front();
  *problem =
      kinds.empty()
          ? "the mqtt table has no mapping: zigbee2mqtt, tasmota, homeassistant or state/command"
          : "the mqtt table mixes mappings: use one of zigbee2mqtt, tasmota, homeassistant and "
            "state/command";
  return std::nullopt;
}

std::unique_ptr<DeviceMapping> make_mapping(MappingKind kind, const DeviceSpec& spec,
                                            const RouterOptions& options,
                                            std::vector<std::string>* problems) {
  switch (kind) {
    case MappingKind::zigbee2mqtt:
      return Zigbee2mqttDevice::create(spec, options, problems);
    case MappingKind::tasmota:
      return TasmotaDevice::create(spec, options, problems);
    case MappingKind::homeassistant:
      return HomeAssistantDevice::create(spec, options, problems);
    default:
      return PlainDevice::create(spec, problems);
  }
}

const char* kind_label(MappingKind kind) {
  switch (kind) {
    case MappingKind::zigbee2mqtt:
      return " (Zigbee2MQTT)";
    case MappingKind::tasmota:
      return " (Tasmota)";
    case MappingKind::homeassistant:
      return " (Home Assistant)";
    default:
      return " (plain MQTT)";
  }
}

std::string id_text(const DeviceId& id) {
  if (const auto* number = std::get_if<std::int64_t>(&id)) return std::to_string(*number);
  return in_quotes(std::get<std::string>(id));
}

}  // namespace

struct Router::State {
  explicit State(RouterOptions router_options) : options(std::move(router_options)) {}

  std::vector<std::string> add_device(const DeviceSpec& device);
  void read(std::string_view topic, std::string_view payload, MessageResult& out);
  bool read_discovery(std::string_view topic, std::string_view payload, MessageResult& out);
  [[nodiscard]] bool too_large(std::string_view topic, std::size_t size, std::size_t limit,
                               MessageResult& out);
  [[nodiscard]] bool uses_homeassistant() const;
  [[nodiscard]] std::string device_list_topic() const {
    return options.zigbee2mqtt_base + "/bridge/devices";
  }

  RouterOptions options;
  DeviceRegistry registry;
  Zigbee2mqttDiscovery zigbee2mqtt_discovery;
  bool has_homeassistant_devices = false;  ///< Given ones: discovered ones need discovery on.
};

std::vector<std::string> Router::State::add_device(const DeviceSpec& device) {
  std::string reason;
  const std::optional<MappingKind> kind = mapping_kind(device.mqtt, &reason);
  const std::string prefix =
      "device " + in_quotes(device.name) + (kind ? kind_label(*kind) : "") + ": ";
  std::vector<std::string> problems;
  if (!kind) problems.push_back(reason);
  if (registry.find(device.id) != nullptr && !registry.is_discovered(device.id)) {
    problems.push_back("device " + id_text(device.id) + " already has an MQTT mapping");
  }
  const DeviceMapping* named = registry.find_by_name(device.name);
  if (named != nullptr && !registry.is_discovered(named->spec().id)) {
    problems.push_back("another device with an MQTT mapping has this name");
  }
  std::unique_ptr<DeviceMapping> mapping =
      kind ? make_mapping(*kind, device, options, &problems) : nullptr;
  if (!problems.empty() || !mapping) {
    for (std::string& problem : problems) problem.insert(0, prefix);
    return problems;
  }
  registry.remove_discovered(device.id, device.name);  // The home's own definition wins.
  registry.add(std::move(mapping), false);
  has_homeassistant_devices = has_homeassistant_devices || kind == MappingKind::homeassistant;
  return {};
}

bool Router::State::uses_homeassistant() const {
  return options.discover_homeassistant || has_homeassistant_devices;
}

void Router::State::read(std::string_view topic, std::string_view payload, MessageResult& out) {
  if (read_discovery(topic, payload, out)) return;
  const std::vector<DeviceMapping*> readers = registry.readers(topic);
  if (readers.empty()) return;
  if (payload.size() > options.max_payload) {
    add_problem(out, readers.front()->describe() + ": payload on " + in_quotes(topic) +
                         " is too large (" + std::to_string(payload.size()) +
                         " bytes, the limit is " + std::to_string(options.max_payload) + ")");
    return;
  }
  for (DeviceMapping* mapping : readers) mapping->on_message(topic, payload, out);
}

// Discovery messages: Zigbee2MQTT's device list and Home Assistant's configs. True
// when `topic` was one. Topics of devices added here are returned to subscribe to.
bool Router::State::read_discovery(std::string_view topic, std::string_view payload,
                                   MessageResult& out) {
  const bool device_list = options.discover_zigbee2mqtt && topic == device_list_topic();
  const std::optional<HaTopic> ha_topic = device_list || !uses_homeassistant()
                                              ? std::nullopt
                                              : parse_ha_topic(options.homeassistant_prefix, topic);
  if (!device_list && !ha_topic) return false;
  const std::size_t limit = device_list
                                ? std::max(options.max_device_list_payload, options.max_payload)
                                : options.max_payload;
  if (too_large(topic, payload.size(), limit, out)) return true;
  const std::set<std::string> before = registry.topics();
  if (device_list) zigbee2mqtt_discovery.on_devices(topic, payload, options, registry, out);
  if (ha_topic) on_ha_config(*ha_topic, payload, options.discover_homeassistant, registry, out);
  const std::set<std::string> after = registry.topics();
  std::set_difference(after.begin(), after.end(), before.begin(), before.end(),
                      std::back_inserter(out.subscribe));
  return true;
}

bool Router::State::too_large(std::string_view topic, std::size_t size, std::size_t limit,
                              MessageResult& out) {
  if (size <= limit) return false;
  add_problem(out, "payload on " + in_quotes(topic) + " is too large (" + std::to_string(size) +
                       " bytes, the limit is " + std::to_string(limit) + ")");
  return true;
}

Router::Router(RouterOptions options) : state_(std::make_unique<State>(std::move(options))) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

std::vector<std::string> Router::add_device(const DeviceSpec& device) {
  try {
    return state_->add_device(device);
  } catch (const std::exception& e) {
    return {"device " + in_quotes(device.name) + ": its mqtt table could not be read (" +
            clip(e.what(), kMaxWhatText) + ")"};
  }
}

std::vector<std::string> Router::subscriptions() const {
  std::set<std::string> topics = state_->registry.topics();
  if (state_->options.discover_zigbee2mqtt) topics.insert(state_->device_list_topic());
  if (state_->uses_homeassistant()) {
    topics.insert(state_->options.homeassistant_prefix + "/+/+/config");
    topics.insert(state_->options.homeassistant_prefix + "/+/+/+/config");
  }
  return {topics.begin(), topics.end()};
}

MessageResult Router::on_message(std::string_view topic, std::string_view payload,
                                 bool /*retained*/) {
  MessageResult out;
  try {
    state_->read(topic, payload, out);
  } catch (const std::exception& e) {
    add_problem(out, "reading " + in_quotes(topic) + " failed: " + clip(e.what(), kMaxWhatText));
  }
  return out;
}

std::vector<Publish> Router::on_action(const DeviceAction& action, std::string* problem) {
  try {
    DeviceMapping* mapping = state_->registry.find(action.device);
    if (mapping != nullptr) return mapping->perform(action, problem);
    if (problem != nullptr) *problem = "device " + id_text(action.device) + " has no MQTT mapping";
  } catch (const std::exception& e) {
    if (problem != nullptr)
      *problem = "action " + in_quotes(action.action) + " failed: " + clip(e.what(), kMaxWhatText);
  }
  return {};
}

std::vector<Publish> Router::on_connect() const {
  std::vector<Publish> messages;
  for (const DeviceMapping* mapping : state_->registry.all()) {
    for (Publish& message : mapping->on_connect()) messages.push_back(std::move(message));
  }
  return messages;
}

std::vector<DeviceId> Router::devices() const {
  std::vector<DeviceId> ids;
  for (const DeviceMapping* mapping : state_->registry.all()) ids.push_back(mapping->spec().id);
  return ids;
}

std::vector<DeviceId> Router::devices_without_availability() const {
  std::vector<DeviceId> ids;
  for (const DeviceMapping* mapping : state_->registry.all()) {
    if (!mapping->has_availability()) ids.push_back(mapping->spec().id);
  }
  return ids;
}

}  // namespace er::mqtt

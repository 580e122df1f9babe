// Zigbee2MQTT and Home Assistant discovery (discovery.h).

#include "discovery.h"

#include <algorithm>
#include <array>

#include "homeassistant.h"
#include "text.h"
#include "zigbee2mqtt.h"

namespace er::mqtt {

namespace {

// How an expose suggests a type; the lowest rank wins (a light with a motion sensor
// is a light).
struct TypeHint {
  int rank;
  std::string_view type;
};

std::string_view text_of(const Json& object, const char* key) {
  const Json* found = member(object, key);
  if (found == nullptr || !found->is_string()) return {};
  return found->get_ref<const std::string&>();
}

bool has_feature(const Json& expose, std::string_view name) {
  const Json* features = member(expose, "features");
  if (features == nullptr || !features->is_array()) return false;
  for (const Json& feature : *features) {
    if (text_of(feature, "name") == name) return true;
  }
  return false;
}

std::optional<TypeHint> hint_of(const Json& expose) {
  constexpr std::array<std::string_view, 4> kBinarySensors = {"occupancy", "contact", "water_leak",
                                                              "smoke"};
  constexpr std::array<std::string_view, 4> kSensors = {"temperature", "illuminance",
                                                        "illuminance_lux", "humidity"};
  const std::string_view type = text_of(expose, "type");
  const std::string_view name = text_of(expose, "name");
  if (type == "light")
    return TypeHint{0, has_feature(expose, "brightness") ? "multilevelSwitch" : "binarySwitch"};
  if (type == "switch") return TypeHint{1, "binarySwitch"};
  if (type == "cover") return TypeHint{2, "rollerShutter"};
  if (type == "climate") return TypeHint{3, "thermostat"};
  if (type == "binary" &&
      std::find(kBinarySensors.begin(), kBinarySensors.end(), name) != kBinarySensors.end()) {
    return TypeHint{4, "binarySensor"};
  }
  if (type == "numeric" && std::find(kSensors.begin(), kSensors.end(), name) != kSensors.end()) {
    return TypeHint{5, "multilevelSensor"};
  }
  if (name == "action") return TypeHint{6, "remoteController"};
  return std::nullopt;
}

// True when the home defined this device itself: the name is a given device's.
bool is_given_name(const DeviceRegistry& registry, const std::string& name) {
  const DeviceMapping* named = registry.find_by_name(name);
  return named != nullptr && !registry.is_discovered(named->spec().id);
}

HomeAssistantDevice* bound_device(const DeviceRegistry& registry, const std::string& config_topic) {
  for (HomeAssistantDevice* device : registry.all_of<HomeAssistantDevice>()) {
    if (device->config_topic() == config_topic) return device;
  }
  return nullptr;
}

// A device waiting for this config: given devices first (all() lists them first).
HomeAssistantDevice* waiting_device(const DeviceRegistry& registry, const HaConfig& config) {
  for (HomeAssistantDevice* device : registry.all_of<HomeAssistantDevice>()) {
    if (device->config_topic().empty() && device->matches(config)) return device;
  }
  return nullptr;
}

HomeAssistantDevice* discover_entity(const HaConfig& config, DeviceRegistry& registry,
                                     MessageResult& out) {
  const std::optional<std::string> type = ha_discovery_type(config);
  if (!type) return nullptr;
  const std::string key = config.key();
  const DeviceId id = "ha:" + key;
  if (registry.find(id) != nullptr) return nullptr;  // Another config with the same key.
  const std::string base = device_name_from(config.object_name());
  if (is_given_name(registry, base)) return nullptr;
  DeviceSpec spec{id, registry.free_name(base), *type, nlohmann::json{{"homeassistant", key}}};
  auto device = std::make_unique<HomeAssistantDevice>(spec, key);
  HomeAssistantDevice* added = device.get();
  registry.add(std::move(device), true);
  out.discovered.push_back(DiscoveredDevice{std::move(spec)});
  return added;
}

}  // namespace

std::optional<std::string> zigbee2mqtt_type(const Json& exposes) {
  if (!exposes.is_array()) return std::nullopt;
  std::optional<TypeHint> best;
  for (const Json& expose : exposes) {
    const std::optional<TypeHint> hint = hint_of(expose);
    if (hint && (!best || hint->rank < best->rank)) best = hint;
  }
  if (!best) return std::nullopt;
  return std::string(best->type);
}

void Zigbee2mqttDiscovery::on_devices(std::string_view topic, std::string_view payload,
                                      const RouterOptions& options, DeviceRegistry& registry,
                                      MessageResult& out) {
  std::string error;
  const std::optional<Json> devices = parse_json(payload, &error);
  if (!devices || !devices->is_array()) {
    add_problem(out, "Zigbee2MQTT device list on " + in_quotes(topic) + ": " +
                         (devices ? std::string("not a JSON list") : error));
    return;
  }
  for (const Json& device : *devices) discover(device, options, registry, out);
}

void Zigbee2mqttDiscovery::discover(const Json& device, const RouterOptions& options,
                                    DeviceRegistry& registry, MessageResult& out) {
  const std::string friendly(text_of(device, "friendly_name"));
  if (friendly.empty() || text_of(device, "type") == "Coordinator") return;
  const Json* definition = member(device, "definition");
  // Until its interview is done a device has no definition: it is considered later.
  if (definition == nullptr || !definition->is_object()) return;
  if (!seen_.insert(friendly).second) return;
  const Json* exposes = member(*definition, "exposes");
  const std::optional<std::string> type =
      exposes == nullptr ? std::nullopt : zigbee2mqtt_type(*exposes);
  if (!type) return;
  for (const Zigbee2mqttDevice* mapped : registry.all_of<Zigbee2mqttDevice>()) {
    if (mapped->friendly_name() == friendly) return;
  }
  const std::string base = device_name_from(friendly);
  const DeviceId id = "z2m:" + friendly;
  if (is_given_name(registry, base) || registry.find(id) != nullptr) return;
  DeviceSpec spec{id, registry.free_name(base), *type, nlohmann::json{{"zigbee2mqtt", friendly}}};
  std::vector<std::string> problems;
  std::unique_ptr<Zigbee2mqttDevice> mapping = Zigbee2mqttDevice::create(spec, options, &problems);
  if (!mapping) {
    add_problem(out, "Zigbee2MQTT device " + in_quotes(friendly) + ": " + problems.front());
    return;
  }
  registry.add(std::move(mapping), true);
  out.discovered.push_back(DiscoveredDevice{std::move(spec)});
}

void on_ha_config(const HaTopic& topic, std::string_view payload, bool discover,
                  DeviceRegistry& registry, MessageResult& out) {
  HomeAssistantDevice* bound = bound_device(registry, topic.config_topic);
  if (payload.empty()) {
    if (bound != nullptr) bound->unbind(out);
    registry.topics_changed();
    return;
  }
  std::string error;
  const std::optional<HaConfig> config = HaConfig::parse(topic, payload, &error);
  if (!config) {
    const std::string where =
        bound != nullptr ? bound->describe() + ": config on " : "Home Assistant config on ";
    add_problem(out, where + in_quotes(topic.config_topic) + ": " + error);
    return;
  }
  HomeAssistantDevice* device = bound != nullptr ? bound : waiting_device(registry, *config);
  if (device == nullptr && discover) device = discover_entity(*config, registry, out);
  if (device != nullptr && device->bind(*config, out)) registry.topics_changed();
}

}  // namespace er::mqtt

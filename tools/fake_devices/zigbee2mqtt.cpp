#include "zigbee2mqtt.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>

#include "output.h"

namespace er::fake_devices {
namespace {

bool is_switchable(Z2mKind kind) {
  return kind == Z2mKind::light || kind == Z2mKind::dimmer || kind == Z2mKind::plug;
}

bool is_dimmable(Z2mKind kind) {
  return kind == Z2mKind::light || kind == Z2mKind::dimmer;
}

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

/// Zigbee2MQTT's message for a key a device has no converter for.
std::string no_converter(const std::string& key, const OrderedJson& value) {
  return "No converter available for '" + key + "' (" + value.dump() + ")";
}

int clamped(const OrderedJson& value, int low, int high) {
  return std::clamp(static_cast<int>(std::lround(value.get<double>())), low, high);
}

/// A plug draws power while it is on (its metering follows the switch).
void update_metering(OrderedJson& state) {
  const bool on = state["state"] == "ON";
  state["power"] = on ? 42.5 : 0;
  state["current"] = on ? 0.19 : 0;
}

std::string apply_switch(Z2mKind kind, OrderedJson& state, const std::string& wanted_text) {
  std::string wanted = upper(wanted_text);
  if (wanted == "TOGGLE") wanted = state["state"] == "ON" ? "OFF" : "ON";
  if (wanted != "ON" && wanted != "OFF") {
    return "Value '" + wanted_text + "' is not allowed, expected one of ON, OFF, TOGGLE";
  }
  state["state"] = wanted;
  if (kind == Z2mKind::plug) update_metering(state);
  return "";
}

std::string apply_cover(OrderedJson& state, const std::string& wanted_text) {
  const std::string wanted = upper(wanted_text);
  if (wanted == "OPEN" || wanted == "CLOSE") {
    state["state"] = wanted;
    state["position"] = wanted == "OPEN" ? 100 : 0;
  } else if (wanted != "STOP") {
    return "Value '" + wanted_text + "' is not allowed, expected one of OPEN, CLOSE, STOP";
  }
  return "";
}

void set_brightness(OrderedJson& state, int brightness) {
  // Brightness 0 switches the light off and keeps the last brightness, as Zigbee2MQTT does.
  state["state"] = brightness > 0 ? "ON" : "OFF";
  if (brightness > 0) state["brightness"] = brightness;
}

/// What one key of a /set command does to the state, as Zigbee2MQTT's converters do;
/// the problem when the device has no converter for it.
std::string apply_key(Z2mKind kind, OrderedJson& state, const std::string& key,
                      const OrderedJson& value) {
  if (key == "transition") return "";  // An option of the other keys, not a value.
  if (key == "state" && value.is_string() && is_switchable(kind)) {
    return apply_switch(kind, state, value.get<std::string>());
  }
  if (key == "state" && value.is_string() && kind == Z2mKind::cover) {
    return apply_cover(state, value.get<std::string>());
  }
  if (!value.is_number()) return no_converter(key, value);
  if (key == "brightness" && is_dimmable(kind)) {
    set_brightness(state, clamped(value, 0, 254));
  } else if (key == "brightness_step" && is_dimmable(kind)) {
    const int from = state["state"] == "ON" ? state["brightness"].get<int>() : 0;
    set_brightness(state, std::clamp(from + clamped(value, -254, 254), 0, 254));
  } else if (key == "color_temp" && kind == Z2mKind::light) {
    state["color_temp"] = clamped(value, 250, 454);
  } else if (key == "position" && kind == Z2mKind::cover) {
    const int position = clamped(value, 0, 100);
    state["position"] = position;
    state["state"] = position > 0 ? "OPEN" : "CLOSE";
  } else {
    return no_converter(key, value);
  }
  return "";
}

/// A value published on <name>/set/<key>: JSON when it parses, else the text.
OrderedJson bare_value(const std::string& payload) {
  OrderedJson value = OrderedJson::parse(payload, nullptr, false);
  return value.is_discarded() ? OrderedJson(payload) : value;
}

}  // namespace

Zigbee2Mqtt::Zigbee2Mqtt(const BrokerAddress& broker, Z2mOptions options,
                         const std::vector<std::pair<std::string, Z2mKind>>& devices)
    : options_(std::move(options)),
      bridge_(broker, "zigbee2mqtt_" + hex_tag(options_.base + std::to_string(getpid()), 8),
              Will{options_.base + "/bridge/state", R"({"state":"offline"})"}) {
  for (const auto& [name, kind] : devices) {
    names_.push_back(name);
    devices_[name] = Device{kind, z2m_initial_state(kind)};
  }
  bridge_.set_handlers(
      [this] { on_connected(); },
      [this](const std::string& topic, const std::string& payload) { on_message(topic, payload); });
}

bool Zigbee2Mqtt::has(const std::string& device) const {
  return devices_.contains(device);
}

std::string Zigbee2Mqtt::change(const std::string& name, const nlohmann::json& values) {
  std::lock_guard lock(mutex_);
  const auto found = devices_.find(name);
  if (found == devices_.end()) return "no Zigbee2MQTT device '" + name + "'";
  Device& device = found->second;
  if (!device.online) return name + " is offline";
  OrderedJson action;
  for (const auto& [key, value] : values.items()) {
    // An action is an event, not a state: published once, never retained or kept.
    if (key == "action") {
      action["action"] = value;
    } else {
      device.state[key] = value;
    }
  }
  if (device.kind == Z2mKind::plug) update_metering(device.state);
  publish_state(name, device, action);
  return "";
}

std::string Zigbee2Mqtt::set_online(const std::string& name, bool online) {
  if (name.empty()) {
    // The bridge itself: losing its connection makes the broker publish its will.
    online ? bridge_.resume() : bridge_.drop();
    return "";
  }
  std::lock_guard lock(mutex_);
  const auto found = devices_.find(name);
  if (found == devices_.end()) return "no Zigbee2MQTT device '" + name + "'";
  found->second.online = online;
  publish_availability(name, found->second);
  return "";
}

void Zigbee2Mqtt::shut_down() {
  bridge_.publish(options_.base + "/bridge/state", R"({"state":"offline"})", true);
}

void Zigbee2Mqtt::on_connected() {
  std::lock_guard lock(mutex_);
  publish_bridge();
  for (const std::string& name : names_) {
    const Device& device = devices_.at(name);
    publish_availability(name, device);
    publish_state(name, device);
    for (const char* command : {"/set", "/set/+", "/get", "/get/+"}) {
      bridge_.subscribe(topic_of(name) + command);
    }
  }
}

void Zigbee2Mqtt::publish_bridge() {
  const std::string& base = options_.base;
  bridge_.publish(base + "/bridge/state", R"({"state":"online"})", true);
  const OrderedJson coordinator = z2m_coordinator_entry(base);
  const OrderedJson info = {
      {"version", "2.1.3"},
      {"commit", "fake-devices"},
      {"coordinator", {{"ieee_address", coordinator["ieee_address"]}, {"type", "zStack3x0"}}},
      {"network", {{"channel", 11}, {"pan_id", 6754}, {"extended_pan_id", "0xdddddddddddddddd"}}},
      {"log_level", "info"},
      {"permit_join", false},
      {"restart_required", false},
      {"config", {{"mqtt", {{"base_topic", base}}}}}};
  bridge_.publish(base + "/bridge/info", info.dump(), true);
  OrderedJson devices = OrderedJson::array({coordinator});
  for (const std::string& name : names_)
    devices.push_back(z2m_device_entry(name, devices_.at(name).kind));
  bridge_.publish(base + "/bridge/devices", devices.dump(), true);
  bridge_.publish(base + "/bridge/groups", "[]", true);
}

void Zigbee2Mqtt::on_message(const std::string& topic, const std::string& payload) {
  std::lock_guard lock(mutex_);
  std::string name;
  std::string rest;
  Device* device = device_of(topic, name, rest);
  if (device == nullptr) return;
  if (rest == "get" || rest.starts_with("get/")) {
    publish_state(name, *device);
    return;
  }
  if (rest != "set" && !rest.starts_with("set/")) return;
  OrderedJson command;
  if (rest.starts_with("set/")) {
    command[rest.substr(4)] = bare_value(payload);
  } else {
    command = OrderedJson::parse(payload, nullptr, false);
  }
  if (!command.is_object()) {
    log_error("Invalid message '" + payload + "', skipping...");
    return;
  }
  handle_set(name, *device, command);
}

Zigbee2Mqtt::Device* Zigbee2Mqtt::device_of(const std::string& topic, std::string& name,
                                            std::string& rest) {
  const std::string prefix = options_.base + "/";
  if (!topic.starts_with(prefix)) return nullptr;
  const std::string path = topic.substr(prefix.size());
  Device* found = nullptr;
  // The longest friendly name wins: "hall" and "hall/lamp" may both be devices.
  for (auto& [candidate, device] : devices_) {
    if (path.starts_with(candidate + "/") && candidate.size() >= name.size()) {
      name = candidate;
      found = &device;
    }
  }
  if (found != nullptr) rest = path.substr(name.size() + 1);
  return found;
}

void Zigbee2Mqtt::handle_set(const std::string& name, Device& device, const OrderedJson& command) {
  if (!device.online) {
    // The radio message gets no answer: Zigbee2MQTT logs the failure, the state stays.
    log_error("Publish 'set' 'state' to '" + name + "' failed: 'Error: Delivery failed'");
    return;
  }
  for (const auto& [key, value] : command.items()) {
    const std::string problem = apply_key(device.kind, device.state, key, value);
    if (!problem.empty()) log_error(problem);
  }
  publish_state(name, device);
}

void Zigbee2Mqtt::publish_state(const std::string& name, const Device& device,
                                const OrderedJson& event) {
  OrderedJson state = device.state;
  if (event.is_object()) state.update(event);
  bridge_.publish(topic_of(name), state.dump(), options_.retain_state && event.is_null());
}

void Zigbee2Mqtt::publish_availability(const std::string& name, const Device& device) {
  bridge_.publish(topic_of(name) + "/availability",
                  device.online ? R"({"state":"online"})" : R"({"state":"offline"})", true);
}

void Zigbee2Mqtt::log_error(const std::string& message) {
  const OrderedJson entry = {{"level", "error"}, {"message", message}};
  bridge_.publish(options_.base + "/bridge/logging", entry.dump(), false);
}

std::string Zigbee2Mqtt::topic_of(const std::string& name) const {
  return options_.base + "/" + name;
}

}  // namespace er::fake_devices

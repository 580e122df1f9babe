// Zigbee2MQTT devices: state, availability and commands (zigbee2mqtt.h).

#include "zigbee2mqtt.h"

#include <algorithm>
#include <array>
#include <utility>

#include "color.h"
#include "text.h"

namespace er::mqtt {

namespace {

// The keys that give a binary sensor's value, most telling first.
constexpr std::array<std::string_view, 7> kBinarySensorKeys = {
    "occupancy", "contact", "water_leak", "smoke", "vibration", "presence", "tamper"};

// The keys that give a multilevel sensor's value, most telling first.
constexpr std::array<std::string_view, 6> kSensorKeys = {
    "temperature", "illuminance_lux", "illuminance", "humidity", "pressure", "co2"};

// Keys of the state JSON that are not reported as properties of the same name:
// `action` is an event, and `value`/`available` would be taken for the device's value
// and availability.
constexpr std::array<std::string_view, 3> kKeysNotReported = {"action", "value", "available"};

// Brightness 0-254 as the engine's level 0-99; a lit lamp never reads as 0.
std::int64_t level_from_brightness(double brightness) {
  const std::int64_t level = round_clamped(brightness * 99.0 / 254.0, 0, 99);
  return brightness > 0 ? std::max<std::int64_t>(level, 1) : level;
}

template <std::size_t N>
bool is_one_of(std::string_view key, const std::array<std::string_view, N>& keys) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

// "ON"/"OFF" (any case) or a boolean.
std::optional<bool> on_off(const Json& value) {
  if (value.is_boolean()) return value.get<bool>();
  if (!value.is_string()) return std::nullopt;
  const auto& text = value.get_ref<const std::string&>();
  if (equals_ignoring_case(text, "ON")) return true;
  if (equals_ignoring_case(text, "OFF")) return false;
  return std::nullopt;
}

// What a value key must hold.
enum class Expect { boolean, on_off, number, any };

Expect expected_for(std::string_view key, DeviceType type) {
  if (is_one_of(key, kBinarySensorKeys)) return Expect::boolean;
  if (is_one_of(key, kSensorKeys) || key == "position" || key == "local_temperature" ||
      key == "brightness") {
    return Expect::number;
  }
  if (type == DeviceType::binary_switch || type == DeviceType::binary_sensor) return Expect::on_off;
  return Expect::any;
}

const char* expectation_text(Expect expect) {
  switch (expect) {
    case Expect::boolean:
      return "a boolean";
    case Expect::on_off:
      return "ON, OFF or a boolean";
    case Expect::number:
      return "a number";
    default:
      return "a value";
  }
}

// The first of `keys` that the state holds, or "".
template <std::size_t N>
std::string_view first_present(const Json& state, const std::array<std::string_view, N>& keys) {
  const auto found = std::find_if(keys.begin(), keys.end(),
                                  [&](std::string_view key) { return state.contains(key); });
  return found == keys.end() ? std::string_view{} : *found;
}

}  // namespace

std::optional<bool> zigbee2mqtt_online(std::string_view payload) {
  const std::string_view text = trim(payload);
  if (text == "online") return true;
  if (text == "offline") return false;
  std::string ignored;
  const std::optional<Json> document = parse_json(text, &ignored);
  if (!document || !document->is_object()) return std::nullopt;
  const Json* state = member(*document, "state");
  if (state == nullptr || !state->is_string()) return std::nullopt;
  return zigbee2mqtt_online(state->get_ref<const std::string&>());
}

std::unique_ptr<Zigbee2mqttDevice> Zigbee2mqttDevice::create(const DeviceSpec& spec,
                                                             const RouterOptions& options,
                                                             std::vector<std::string>* problems) {
  const std::size_t before = problems->size();
  for (std::string& problem :
       unknown_keys(spec.mqtt, {"zigbee2mqtt", "property"}, "a zigbee2mqtt mapping")) {
    problems->push_back(std::move(problem));
  }
  const std::optional<std::string> friendly = string_member(spec.mqtt, "zigbee2mqtt");
  if (!friendly || friendly->empty()) {
    problems->push_back("zigbee2mqtt must be the device's friendly name (a non-empty string)");
  } else if (std::optional<std::string> bad = check_publish_topic(*friendly)) {
    problems->push_back("zigbee2mqtt friendly name: " + *bad);
  }
  const std::optional<std::string> property = string_member(spec.mqtt, "property");
  if (spec.mqtt.contains("property") && (!property || property->empty())) {
    problems->push_back("property must be the name of a key of the device's state (a string)");
  }
  if (std::optional<std::string> bad = check_publish_topic(options.zigbee2mqtt_base)) {
    problems->push_back("the Zigbee2MQTT base topic: " + *bad);
  }
  if (device_type(spec.type) == DeviceType::player) {
    problems->push_back("Zigbee2MQTT cannot drive a " + spec.type);
  }
  if (problems->size() != before) return nullptr;
  return std::unique_ptr<Zigbee2mqttDevice>(
      new Zigbee2mqttDevice(spec, options.zigbee2mqtt_base, *friendly, property.value_or("")));
}

Zigbee2mqttDevice::Zigbee2mqttDevice(DeviceSpec spec, const std::string& base, std::string friendly,
                                     std::string property)
    : DeviceMapping(std::move(spec), "Zigbee2MQTT"),
      friendly_(std::move(friendly)),
      property_(std::move(property)),
      state_topic_(base + "/" + friendly_),
      availability_topic_(state_topic_ + "/availability"),
      bridge_topic_(base + "/bridge/state"),
      set_topic_(state_topic_ + "/set") {}

std::vector<std::string> Zigbee2mqttDevice::topics() const {
  return {state_topic_, availability_topic_, bridge_topic_};
}

void Zigbee2mqttDevice::on_message(std::string_view topic, std::string_view payload,
                                   MessageResult& out) {
  if (topic == state_topic_) read_state(payload, out);
  if (topic == availability_topic_) read_availability(payload, out);
  if (topic == bridge_topic_) read_bridge_state(payload, out);
}

// ---- State ---------------------------------------------------------------------

void Zigbee2mqttDevice::read_state(std::string_view payload, MessageResult& out) {
  std::string error;
  const std::optional<Json> state = parse_json(payload, &error);
  if (!state || !state->is_object()) {
    problem(out,
            "state on " + in_quotes(state_topic_) + ": " + (state ? "not a JSON object" : error));
    return;
  }
  report_properties(*state, out);
  if (type() == DeviceType::thermostat) report_thermostat(*state, out);
  if (is_level_type(type()) && property_.empty()) {
    report_level(*state, out);
  } else {
    report_value(*state, out);
  }
  report_action(*state, out);
}

void Zigbee2mqttDevice::report_properties(const Json& state, MessageResult& out) {
  const bool color_device = type() == DeviceType::color_controller;
  for (const auto& item : state.items()) {
    const std::string& key = item.key();
    if (is_one_of(key, kKeysNotReported)) continue;
    if (color_device && key == "color") {
      // The engine's color is {r, g, b, w}; Zigbee2MQTT reports xy or hue/saturation.
      if (const std::optional<Rgbw> color = color_from_report(item.value())) {
        report(out, "color", color_value(*color));
      }
      continue;
    }
    report(out, key, to_device_value(item.value()));
  }
  if (const Json* battery = member(state, "battery")) {
    const std::optional<double> level = number_of(*battery);
    if (level) report(out, "batteryLevel", number_value(*level));
    if (!level && !battery->is_null())
      problem(out, "'battery' on " + in_quotes(state_topic_) + " is not a number");
  }
}

std::string_view Zigbee2mqttDevice::value_key(const Json& state) const {
  if (!property_.empty()) return property_;
  switch (type()) {
    case DeviceType::binary_sensor:
      return first_present(state, kBinarySensorKeys);
    case DeviceType::multilevel_sensor:
      return first_present(state, kSensorKeys);
    case DeviceType::binary_switch:
      return "state";
    case DeviceType::roller_shutter:
      return "position";
    case DeviceType::thermostat:
      return "local_temperature";
    default:
      return {};
  }
}

void Zigbee2mqttDevice::report_value(const Json& state, MessageResult& out) {
  const std::string_view key = value_key(state);
  const Json* value = key.empty() ? nullptr : member(state, key);
  if (value == nullptr || value->is_null()) return;
  if (std::optional<DeviceValue> converted = value_of(key, *value, out)) {
    report(out, "value", std::move(*converted));
  }
}

std::optional<DeviceValue> Zigbee2mqttDevice::value_of(std::string_view key, const Json& value,
                                                       MessageResult& out) {
  const Expect expect = expected_for(key, type());
  std::optional<DeviceValue> converted;
  if (expect == Expect::boolean && value.is_boolean()) converted = value.get<bool>();
  if (expect == Expect::on_off) {
    if (const std::optional<bool> on = on_off(value)) converted = *on;
  }
  if (expect == Expect::number) {
    if (const std::optional<double> number = number_of(value)) {
      converted =
          key == "brightness" ? DeviceValue(level_from_brightness(*number)) : number_value(*number);
    }
  }
  if (expect == Expect::any) converted = to_device_value(value);
  if (!converted) {
    problem(out, in_quotes(key) + " on " + in_quotes(state_topic_) + " is not " +
                     expectation_text(expect));
    return std::nullopt;
  }
  // An open door reports contact=false: the engine's binary sensor is then breached.
  if (key == "contact") converted = !std::get<bool>(*converted);
  return converted;
}

void Zigbee2mqttDevice::report_level(const Json& state, MessageResult& out) {
  const Json* brightness = member(state, "brightness");
  if (brightness != nullptr && !brightness->is_null()) {
    if (const std::optional<double> number = number_of(*brightness)) {
      level_ = level_from_brightness(*number);
    } else {
      problem(out, "'brightness' on " + in_quotes(state_topic_) + " is not a number");
      brightness = nullptr;
    }
  }
  std::optional<bool> on;
  if (const Json* switched = member(state, "state")) {
    on = on_off(*switched);
    if (!on) problem(out, "'state' on " + in_quotes(state_topic_) + " is not ON or OFF");
  }
  if (on == false) {
    report(out, "value", std::int64_t{0});
  } else if ((on == true || (brightness != nullptr && !brightness->is_null())) && level_) {
    report(out, "value", *level_);
  }
}

void Zigbee2mqttDevice::report_thermostat(const Json& state, MessageResult& out) {
  const Json* heating = member(state, "current_heating_setpoint");
  if (heating == nullptr) heating = member(state, "occupied_heating_setpoint");
  if (heating != nullptr) {
    if (const std::optional<double> number = number_of(*heating)) {
      report(out, "heatingThermostatSetpoint", number_value(*number));
    }
  }
  if (const Json* cooling = member(state, "occupied_cooling_setpoint")) {
    if (const std::optional<double> number = number_of(*cooling)) {
      report(out, "coolingThermostatSetpoint", number_value(*number));
    }
  }
  const Json* mode = member(state, "system_mode");
  if (mode != nullptr && mode->is_string()) {
    report(out, "thermostatMode", capitalize(mode->get_ref<const std::string&>()));
  }
}

void Zigbee2mqttDevice::report_action(const Json& state, MessageResult& out) const {
  const Json* action = member(state, "action");
  // Zigbee2MQTT clears the action with "" (or null) after each press: not an event.
  if (action == nullptr || !action->is_string() || action->get_ref<const std::string&>().empty()) {
    return;
  }
  const std::string& name = action->get_ref<const std::string&>();
  emit(out, "action", name);
  if (type() == DeviceType::remote_controller) {
    Json scene = Json::object();
    scene["keyId"] = 1;
    scene["keyAttribute"] = name;
    emit(out, "centralSceneEvent", JsonText{dump(scene)});
  }
}

// ---- Availability ------------------------------------------------------------------

void Zigbee2mqttDevice::read_availability(std::string_view payload, MessageResult& out) {
  const std::optional<bool> online = zigbee2mqtt_online(payload);
  if (!online) {
    problem(out, "availability on " + in_quotes(availability_topic_) + " is not online or offline");
    return;
  }
  own_available_ = *online;
  report(out, "available", bridge_online_ && *online);
}

void Zigbee2mqttDevice::read_bridge_state(std::string_view payload, MessageResult& out) {
  const std::optional<bool> online = zigbee2mqtt_online(payload);
  if (!online) {
    problem(out, "bridge state on " + in_quotes(bridge_topic_) + " is not online or offline");
    return;
  }
  bridge_online_ = *online;
  // Back online, each device is as it last said (available if it never said).
  report(out, "available", bridge_online_ && own_available_.value_or(true));
}

// ---- Commands ----------------------------------------------------------------------

Commands Zigbee2mqttDevice::command(std::string_view action, const std::vector<DeviceValue>& args,
                                    std::string* error) {
  struct Fixed {
    std::string_view action;
    std::string_view key;  ///< Empty: the state key.
    std::string_view value;
  };
  static constexpr std::array<Fixed, 7> kFixed = {{
      {"turnOn", "", "ON"},
      {"turnOff", "", "OFF"},
      {"toggle", "", "TOGGLE"},
      {"open", "state", "OPEN"},
      {"close", "state", "CLOSE"},
      {"stop", "state", "STOP"},
      {"stopLevelChange", "brightness_move", "stop"},
  }};
  for (const Fixed& fixed : kFixed) {
    if (fixed.action != action) continue;
    Json payload = Json::object();
    payload[fixed.key.empty() ? state_key() : std::string(fixed.key)] = fixed.value;
    return set(std::move(payload));
  }
  if (action == "setValue") return set_value(args, error);
  return set_with_argument(action, args, error);
}

Commands Zigbee2mqttDevice::set_value(const std::vector<DeviceValue>& args,
                                      std::string* error) const {
  if (is_level_type(type())) return set_level(args, error);
  if (type() == DeviceType::roller_shutter) return set_with_argument("setPosition", args, error);
  const std::optional<bool> on = switch_arg(args);
  if (!on) {
    *error = "setValue needs on/off (a boolean or a number)";
    return std::nullopt;
  }
  Json payload = Json::object();
  payload[state_key()] = *on ? "ON" : "OFF";
  return set(std::move(payload));
}

Commands Zigbee2mqttDevice::set_level(const std::vector<DeviceValue>& args,
                                      std::string* error) const {
  const std::optional<double> number = number_arg(args);
  if (!number) {
    *error = "setValue needs a level 0-99";
    return std::nullopt;
  }
  const std::int64_t level = round_clamped(*number, 0, 99);
  Json payload = Json::object();
  payload["state"] = level > 0 ? "ON" : "OFF";
  if (level > 0)
    payload["brightness"] = round_clamped(static_cast<double>(level) * 254.0 / 99.0, 1, 254);
  return set(std::move(payload));
}

Commands Zigbee2mqttDevice::set_with_argument(std::string_view action,
                                              const std::vector<DeviceValue>& args,
                                              std::string* error) const {
  Json payload = Json::object();
  if (action == "setColor") {
    const std::optional<Rgbw> color = color_from_args(args);
    if (!color) {
      *error = "setColor needs r, g, b [, w]";
      return std::nullopt;
    }
    payload["color"] = Json{{"r", color->r}, {"g", color->g}, {"b", color->b}};
  } else if (action == "setThermostatMode") {
    if (args.empty()) {
      *error = "setThermostatMode needs a mode";
      return std::nullopt;
    }
    payload["system_mode"] = lowercase(payload_text(args.front()));
  } else if (action == "startLevelIncrease" || action == "startLevelDecrease") {
    // About 10 levels a second, as the engine's simulated dimmers move.
    payload["brightness_move"] = action == "startLevelIncrease" ? 25 : -25;
  } else {
    return set_number(action, args, error);
  }
  return set(std::move(payload));
}

Commands Zigbee2mqttDevice::set_number(std::string_view action,
                                       const std::vector<DeviceValue>& args,
                                       std::string* error) const {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kNumberKeys = {{
      {"setPosition", "position"},
      {"setHeatingThermostatSetpoint", "current_heating_setpoint"},
      {"setCoolingThermostatSetpoint", "occupied_cooling_setpoint"},
  }};
  const auto found = std::find_if(kNumberKeys.begin(), kNumberKeys.end(),
                                  [&](const auto& entry) { return entry.first == action; });
  if (found == kNumberKeys.end()) return std::nullopt;
  const std::optional<double> number = number_arg(args);
  if (!number) {
    *error = std::string(action) + " needs a number";
    return std::nullopt;
  }
  Json payload = Json::object();
  payload[std::string(found->second)] = action == "setPosition"
                                            ? Json(round_clamped(*number, 0, 100))
                                            : to_json(number_value(*number));
  return set(std::move(payload));
}

Commands Zigbee2mqttDevice::set(Json payload) const {
  return std::vector<Publish>{command_message(set_topic_, dump(payload))};
}

std::string Zigbee2mqttDevice::state_key() const {
  // A switch whose value comes from another key (state_l2 of a two-gang switch) is
  // also switched through that key.
  return type() == DeviceType::binary_switch && !property_.empty() ? property_ : "state";
}

}  // namespace er::mqtt

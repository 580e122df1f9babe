// Tasmota devices (tasmota.h).

#include "tasmota.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

#include "text.h"

namespace er::mqtt {

namespace {

constexpr std::string_view kPrefixToken = "%prefix%";
constexpr std::string_view kTopicToken = "%topic%";

// The measurements that give a multilevel sensor's value, in this order.
constexpr std::array<std::string_view, 3> kMeasurements = {"Temperature", "Illuminance",
                                                           "Humidity"};

void replace_all(std::string& text, std::string_view token, std::string_view by) {
  for (std::size_t pos = text.find(token); pos != std::string::npos;
       pos = text.find(token, pos + by.size())) {
    text.replace(pos, token.size(), by);
  }
}

// Why Tasmota's FullTopic pattern cannot be used, or nullopt.
std::optional<std::string> check_full_topic(std::string pattern) {
  if (pattern.find(kPrefixToken) == std::string::npos ||
      pattern.find(kTopicToken) == std::string::npos) {
    return "the Tasmota FullTopic " + in_quotes(pattern) + " needs %prefix% and %topic%";
  }
  replace_all(pattern, kPrefixToken, "");
  replace_all(pattern, kTopicToken, "");
  if (pattern.find('%') != std::string::npos) {
    return "the Tasmota FullTopic may only use %prefix% and %topic%";
  }
  return std::nullopt;
}

std::optional<bool> on_off_text(std::string_view text) {
  text = trim(text);
  if (equals_ignoring_case(text, "ON")) return true;
  if (equals_ignoring_case(text, "OFF")) return false;
  return std::nullopt;
}

std::optional<bool> on_off_json(const Json& value) {
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_string()) return on_off_text(value.get_ref<const std::string&>());
  return std::nullopt;
}

// Tasmota's Color: hex "FF8000" (RGB, RGBW, RGBCW) or decimal "255,128,0" (SetOption17).
std::optional<Rgbw> tasmota_color(std::string_view text) {
  std::array<std::int64_t, 4> channels{};
  std::size_t count = 0;
  const bool decimal = text.find(',') != std::string_view::npos;
  while (!text.empty() && count < channels.size()) {
    const std::size_t width =
        decimal ? std::min(text.find(','), text.size()) : std::min<std::size_t>(2, text.size());
    const std::string_view part = trim(text.substr(0, width));
    const auto [end, error] =
        std::from_chars(part.data(), part.data() + part.size(), channels[count], decimal ? 10 : 16);
    if (error != std::errc() || end != part.data() + part.size()) return std::nullopt;
    ++count;
    text.remove_prefix(std::min(text.size(), width + (decimal ? 1 : 0)));
  }
  if (count < 3) return std::nullopt;
  const auto clamp = [](std::int64_t c) { return std::clamp<std::int64_t>(c, 0, 255); };
  return Rgbw{clamp(channels[0]), clamp(channels[1]), clamp(channels[2]), clamp(channels[3])};
}

bool is_switch_input(std::string_view key) {
  return key.starts_with("Switch") && key.size() > 6 &&
         std::all_of(key.begin() + 6, key.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// relay = n: 1-32, or 0 (the only relay) when absent.
std::int64_t relay_of(const nlohmann::json& mqtt, std::vector<std::string>* problems) {
  if (!mqtt.contains("relay")) return 0;
  const nlohmann::json& given = mqtt["relay"];
  const std::int64_t relay = given.is_number_integer() ? given.get<std::int64_t>() : -1;
  if (relay < 1 || relay > 32) problems->push_back("relay must be a relay number 1-32");
  return relay;
}

// sensor = "<path>": the SENSOR value that is the device's value, when given.
std::optional<JsonPath> sensor_path_of(const nlohmann::json& mqtt,
                                       std::vector<std::string>* problems) {
  if (!mqtt.contains("sensor")) return std::nullopt;
  const std::optional<std::string> text = string_member(mqtt, "sensor");
  std::optional<JsonPath> path = text ? parse_path(*text) : std::nullopt;
  if (!path)
    problems->push_back("sensor must be a path into the SENSOR JSON, e.g. \"AM2301.Temperature\"");
  return path;
}

bool tasmota_drives(DeviceType type) {
  return type == DeviceType::binary_switch || type == DeviceType::binary_sensor ||
         type == DeviceType::multilevel_sensor || is_level_type(type);
}

}  // namespace

std::unique_ptr<TasmotaDevice> TasmotaDevice::create(const DeviceSpec& spec,
                                                     const RouterOptions& options,
                                                     std::vector<std::string>* problems) {
  const std::size_t before = problems->size();
  for (std::string& problem :
       unknown_keys(spec.mqtt, {"tasmota", "relay", "sensor"}, "a tasmota mapping")) {
    problems->push_back(std::move(problem));
  }
  const std::optional<std::string> topic = string_member(spec.mqtt, "tasmota");
  if (!topic || topic->empty()) {
    problems->push_back("tasmota must be the device's topic (a non-empty string)");
  } else if (std::optional<std::string> bad = check_publish_topic(*topic)) {
    problems->push_back("tasmota topic: " + *bad);
  }
  const std::int64_t relay = relay_of(spec.mqtt, problems);
  std::optional<JsonPath> sensor_path = sensor_path_of(spec.mqtt, problems);
  if (std::optional<std::string> bad = check_full_topic(options.tasmota_full_topic))
    problems->push_back(*bad);
  if (!tasmota_drives(device_type(spec.type)))
    problems->push_back("Tasmota cannot drive a " + spec.type);
  if (problems->size() != before) return nullptr;
  return std::unique_ptr<TasmotaDevice>(
      new TasmotaDevice(spec, options.tasmota_full_topic, *topic, relay, std::move(sensor_path)));
}

TasmotaDevice::TasmotaDevice(DeviceSpec spec, std::string full_topic, std::string topic,
                             std::int64_t relay, std::optional<JsonPath> sensor_path)
    : DeviceMapping(std::move(spec), "Tasmota"),
      full_topic_(std::move(full_topic)),
      topic_(std::move(topic)),
      relay_(relay),
      power_(relay > 0 ? "POWER" + std::to_string(relay) : "POWER"),
      sensor_path_(std::move(sensor_path)),
      read_topics_{topic_for("tele", "LWT"), topic_for("tele", "SENSOR"),
                   topic_for("stat", "STATUS10"), topic_for("stat", "RESULT"),
                   topic_for("tele", "STATE")} {}

std::string TasmotaDevice::topic_for(std::string_view prefix, std::string_view command) const {
  std::string topic = full_topic_;
  replace_all(topic, kPrefixToken, prefix);
  replace_all(topic, kTopicToken, topic_);
  if (topic.empty() || topic.back() != '/') topic += '/';
  return topic + std::string(command);
}

bool TasmotaDevice::is_sensor() const {
  return type() == DeviceType::multilevel_sensor || type() == DeviceType::binary_sensor;
}

bool TasmotaDevice::is_power_key(std::string_view key) const {
  // A single relay reports POWER, or POWER1 with SetOption26; relay 1 of several POWER1.
  if (key == power_) return true;
  return (relay_ == 0 && key == "POWER1") || (relay_ == 1 && key == "POWER");
}

std::vector<std::string> TasmotaDevice::topics() const {
  std::vector<std::string> topics = {read_topics_.lwt, read_topics_.sensor};
  if (is_sensor()) {
    topics.push_back(read_topics_.status);
    return topics;
  }
  topics.push_back(topic_for("stat", power_));
  if (relay_ <= 1) topics.push_back(topic_for("stat", relay_ == 0 ? "POWER1" : "POWER"));
  topics.push_back(read_topics_.result);
  topics.push_back(read_topics_.state);
  return topics;
}

void TasmotaDevice::on_message(std::string_view topic, std::string_view payload,
                               MessageResult& out) {
  if (topic == read_topics_.lwt) return read_lwt(payload, out);
  if (topic == read_topics_.sensor) return read_sensors(topic, payload, out);
  if (topic == read_topics_.status) return read_status(payload, out);
  if (topic == read_topics_.result || topic == read_topics_.state) {
    return read_state(topic, payload, out);
  }
  read_power(payload, out);  // stat/<t>/POWER[n], the only topic left.
}

// ---- Switches and lights -----------------------------------------------------------

void TasmotaDevice::read_power(std::string_view payload, MessageResult& out) {
  const std::optional<bool> on = on_off_text(payload);
  if (!on) {
    problem(out, power_ + " is not ON or OFF");
    return;
  }
  on_ = *on;
  report_switch_value(out, false);
}

void TasmotaDevice::read_state(std::string_view topic, std::string_view payload,
                               MessageResult& out) {
  std::string error;
  const std::optional<Json> state = parse_json(payload, &error);
  if (!state || !state->is_object()) {
    problem(out, in_quotes(topic) + ": " + (state ? "not a JSON object" : error));
    return;
  }
  StateChange change;
  for (const auto& item : state->items())
    read_state_key(topic, item.key(), item.value(), change, out);
  if (change.power || change.level) report_switch_value(out, change.level);
}

void TasmotaDevice::read_state_key(std::string_view topic, std::string_view key, const Json& value,
                                   StateChange& change, MessageResult& out) {
  if (is_power_key(key)) {
    const std::optional<bool> on = on_off_json(value);
    if (!on) return problem(out, in_quotes(key) + " on " + in_quotes(topic) + " is not ON or OFF");
    on_ = *on;
    change.power = true;
  } else if (key == "Dimmer" && is_level_type(type())) {
    const std::optional<double> dimmer = number_of(value);
    if (!dimmer) return problem(out, "'Dimmer' on " + in_quotes(topic) + " is not a number");
    // Dimmer 100 is the engine's 99, and a lit light never reads as 0.
    level_ = std::max<std::int64_t>(round_clamped(*dimmer, 0, 99), *dimmer > 0 ? 1 : 0);
    change.level = true;
  } else if (key == "Color" && type() == DeviceType::color_controller && value.is_string()) {
    if (const std::optional<Rgbw> color = tasmota_color(value.get_ref<const std::string&>())) {
      report(out, "color", color_value(*color));
    }
  }
}

void TasmotaDevice::report_switch_value(MessageResult& out, bool level_changed) {
  if (!is_level_type(type())) {
    if (on_) report(out, "value", *on_);
    return;
  }
  if (on_ == false) {
    report(out, "value", std::int64_t{0});
  } else if (level_ && (on_ == true || level_changed)) {
    report(out, "value", *level_);
  }
}

// ---- Sensors -----------------------------------------------------------------------

void TasmotaDevice::read_sensors(std::string_view topic, std::string_view payload,
                                 MessageResult& out) {
  std::string error;
  const std::optional<Json> sensors = parse_json(payload, &error);
  if (!sensors || !sensors->is_object()) {
    problem(out, in_quotes(topic) + ": " + (sensors ? "not a JSON object" : error));
    return;
  }
  report_sensors(*sensors, out);
}

void TasmotaDevice::read_status(std::string_view payload, MessageResult& out) {
  std::string error;
  const std::optional<Json> status = parse_json(payload, &error);
  const Json* sensors = status ? member(*status, "StatusSNS") : nullptr;
  if (sensors == nullptr || !sensors->is_object()) {
    problem(out, "STATUS10: " + (status ? std::string("no StatusSNS object") : error));
    return;
  }
  report_sensors(*sensors, out);
}

void TasmotaDevice::report_sensors(const Json& sensors, MessageResult& out) {
  for (const auto& item : sensors.items()) {
    // Time changes with every telemetry message: as a property it would be an event each time.
    if (item.key() == "Time") continue;
    report(out, item.key(), to_device_value(item.value()));
  }
  report_power_use(sensors, out);
  if (is_sensor()) report_sensor_value(sensors, out);
}

void TasmotaDevice::report_power_use(const Json& sensors, MessageResult& out) {
  const Json* energy = member(sensors, "ENERGY");
  const Json* power = energy != nullptr ? member(*energy, "Power") : nullptr;
  if (power == nullptr) return;
  // A meter with several channels reports a list: the relay's channel, else the first.
  if (power->is_array()) {
    const std::size_t channel = relay_ > 0 ? static_cast<std::size_t>(relay_ - 1) : 0;
    power = channel < power->size() ? &(*power)[channel] : nullptr;
  }
  const std::optional<double> watts = power != nullptr ? number_of(*power) : std::nullopt;
  if (watts) report(out, "power", number_value(*watts));
}

// The first Temperature, else Illuminance, else Humidity of the sensor objects.
const Json* TasmotaDevice::find_measurement(const Json& sensors) {
  for (const std::string_view measurement : kMeasurements) {
    for (const auto& item : sensors.items()) {
      if (const Json* value = member(item.value(), measurement)) return value;
    }
  }
  return nullptr;
}

// The first switch input ("Switch1":"ON") of the sensor object.
const Json* TasmotaDevice::find_switch_input(const Json& sensors) {
  for (const auto& item : sensors.items()) {
    if (is_switch_input(item.key())) return &item.value();
  }
  return nullptr;
}

void TasmotaDevice::report_sensor_value(const Json& sensors, MessageResult& out) {
  const Json* value = nullptr;
  if (sensor_path_) {
    value = find_path(sensors, *sensor_path_);
  } else {
    value = type() == DeviceType::binary_sensor ? find_switch_input(sensors)
                                                : find_measurement(sensors);
  }
  if (value == nullptr) return;
  if (type() == DeviceType::binary_sensor) {
    const std::optional<bool> on = on_off_json(*value);
    if (on) report(out, "value", *on);
    if (!on) problem(out, "the sensor value is not ON or OFF");
    return;
  }
  const std::optional<double> number = number_of(*value);
  if (number) report(out, "value", number_value(*number));
  if (!number) problem(out, "the sensor value is not a number");
}

void TasmotaDevice::read_lwt(std::string_view payload, MessageResult& out) {
  const std::string_view text = trim(payload);
  if (equals_ignoring_case(text, "Online") || equals_ignoring_case(text, "Offline")) {
    report(out, "available", equals_ignoring_case(text, "Online"));
    return;
  }
  problem(out, "LWT is not Online or Offline");
}

// ---- Commands ----------------------------------------------------------------------

std::vector<Publish> TasmotaDevice::on_connect() const {
  if (is_sensor()) return {publish("STATUS", "10")};
  return {publish(power_, "")};
}

Commands TasmotaDevice::command(std::string_view action, const std::vector<DeviceValue>& args,
                                std::string* error) {
  if (is_sensor()) return std::nullopt;
  if (action == "turnOn") return std::vector<Publish>{publish(power_, "ON")};
  if (action == "turnOff") return std::vector<Publish>{publish(power_, "OFF")};
  if (action == "toggle") return std::vector<Publish>{publish(power_, "TOGGLE")};
  if (action == "setValue") return set_value(args, error);
  if (action == "setColor" && type() == DeviceType::color_controller) return set_color(args, error);
  return std::nullopt;
}

Commands TasmotaDevice::set_value(const std::vector<DeviceValue>& args, std::string* error) const {
  if (is_level_type(type())) {
    const std::optional<double> level = number_arg(args);
    if (level)
      return std::vector<Publish>{publish("Dimmer", std::to_string(round_clamped(*level, 0, 100)))};
    *error = "setValue needs a level 0-100";
    return std::nullopt;
  }
  const std::optional<bool> on = switch_arg(args);
  if (on) return std::vector<Publish>{publish(power_, *on ? "ON" : "OFF")};
  *error = "setValue needs on/off (a boolean or a number)";
  return std::nullopt;
}

Commands TasmotaDevice::set_color(const std::vector<DeviceValue>& args, std::string* error) const {
  const std::optional<Rgbw> color = color_from_args(args);
  if (!color) {
    *error = "setColor needs r, g, b [, w]";
    return std::nullopt;
  }
  std::string text =
      std::to_string(color->r) + "," + std::to_string(color->g) + "," + std::to_string(color->b);
  if (color->w > 0) text += "," + std::to_string(color->w);
  return std::vector<Publish>{publish("Color", text)};
}

Publish TasmotaDevice::publish(std::string_view command, std::string payload) const {
  return command_message(topic_for("cmnd", command), std::move(payload));
}

}  // namespace er::mqtt

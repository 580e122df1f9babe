// Home Assistant entities: the shared parts, the component table, and the sensor,
// number, cover and climate components (the switching ones are in ha_lights.cpp).

#include "ha_entities.h"

#include <algorithm>
#include <array>

#include "text.h"

namespace er::mqtt {

namespace {

using Factory = std::unique_ptr<HaEntity> (*)(const HaConfig&, DeviceType, std::string*);

// A supported component, the factory of its entities, and the types it can drive
// (besides the host's own types, which any component may drive).
struct Component {
  std::string_view name;
  Factory make;
  std::array<DeviceType, 3> types;
};

constexpr DeviceType kOther = DeviceType::other;

const std::array<Component, 8> kComponents = {{
    {"switch", make_ha_switch, {DeviceType::binary_switch, kOther, kOther}},
    {"light",
     make_ha_light,
     {DeviceType::binary_switch, DeviceType::multilevel_switch, DeviceType::color_controller}},
    {"button", make_ha_button, {kOther, kOther, kOther}},  // Checked apart: any type.
    {"binary_sensor", make_ha_binary_sensor, {DeviceType::binary_sensor, kOther, kOther}},
    {"sensor", make_ha_sensor, {DeviceType::multilevel_sensor, kOther, kOther}},
    {"number",
     make_ha_number,
     {DeviceType::multilevel_sensor, DeviceType::multilevel_switch, kOther}},
    {"cover", make_ha_cover, {DeviceType::roller_shutter, kOther, kOther}},
    {"climate", make_ha_climate, {DeviceType::thermostat, kOther, kOther}},
}};

// A sensor's value: numbers (also in strings) as numbers, other text as it is.
DeviceValue sensor_value(const Json& value) {
  if (value.is_string()) {
    if (const std::optional<double> number = parse_number(value.get_ref<const std::string&>())) {
      return number_value(*number);
    }
  }
  return to_device_value(value);
}


// ---- binary_sensor -------------------------------------------------------------------

class HaBinarySensor final : public HaValueEntity {
 public:
  HaBinarySensor(const HaConfig& config, DeviceType type)
      : HaValueEntity(config, type),
        on_(config.value_or("payload_on", "ON")),
        off_(config.value_or("payload_off", "OFF")) {}

  [[nodiscard]] std::vector<std::string> topics() const override { return {state_topic_}; }

  Commands command(std::string_view, const std::vector<DeviceValue>&, std::string*) const override {
    return std::nullopt;
  }

 private:
  void read_value(const Json& value, HaReading& reading) override {
    if (ha_payload_matches(value, on_)) return reading.add("value", true);
    if (ha_payload_matches(value, off_)) return reading.add("value", false);
    reading.problems.push_back("state " + in_quotes(payload_text(value)) +
                               " is neither payload_on nor payload_off");
  }

  Json on_;
  Json off_;
};

// ---- sensor ------------------------------------------------------------------------

class HaSensor final : public HaValueEntity {
 public:
  HaSensor(const HaConfig& config, DeviceType type) : HaValueEntity(config, type) {}

  [[nodiscard]] std::vector<std::string> topics() const override { return {state_topic_}; }

  Commands command(std::string_view, const std::vector<DeviceValue>&, std::string*) const override {
    return std::nullopt;
  }

 private:
  void read_value(const Json& value, HaReading& reading) override {
    reading.add("value", sensor_value(value));
  }
};

// ---- number ------------------------------------------------------------------------

class HaNumber final : public HaValueEntity {
 public:
  HaNumber(const HaConfig& config, DeviceType type)
      : HaValueEntity(config, type), command_(command_topic(config, "command")) {}

  [[nodiscard]] std::vector<std::string> topics() const override {
    return given_topics({state_topic_});
  }

  Commands command(std::string_view action, const std::vector<DeviceValue>& args,
                   std::string* error) const override {
    if (action != "setValue") return std::nullopt;
    const std::optional<double> number = number_arg(args);
    if (!number) {
      *error = "setValue needs a number";
      return std::nullopt;
    }
    return send(command_, payload_text(to_json(number_value(*number))), error);
  }

 private:
  void read_value(const Json& value, HaReading& reading) override {
    const std::optional<double> number = number_of(value);
    if (number) return reading.add("value", number_value(*number));
    reading.problems.push_back("state " + in_quotes(payload_text(value)) + " is not a number");
  }

  HaCommandTopic command_;
};

// ---- cover -------------------------------------------------------------------------

class HaCover final : public HaEntity {
 public:
  HaCover(const HaConfig& config, DeviceType type)
      : HaEntity(config, type),
        state_topic_(config.text("state_topic").value_or("")),
        state_template_(value_template(config, "value_template")),
        position_topic_(config.text("position_topic").value_or("")),
        position_template_(value_template(config, "position_template")),
        state_open_(config.value_or("state_open", "open")),
        state_closed_(config.value_or("state_closed", "closed")),
        command_topic_(config.text("command_topic").value_or("")),
        payload_open_(config.value_or("payload_open", "OPEN")),
        payload_close_(config.value_or("payload_close", "CLOSE")),
        payload_stop_(config.value_or("payload_stop", "STOP")),
        set_position_topic_(config.text("set_position_topic").value_or("")),
        set_position_template_(command_template(config, "set_position_template")),
        open_(config.number_or("position_open", 100)),
        closed_(config.number_or("position_closed", 0)) {
    if (open_ == closed_) open_ = closed_ + 100;  // A config that would divide by zero.
  }

  [[nodiscard]] std::vector<std::string> topics() const override {
    return given_topics({state_topic_, position_topic_});
  }

  void read(std::string_view topic, std::string_view payload, HaReading& reading) override {
    if (topic == position_topic_) read_position(payload, reading);
    // Open and closed say the position only when no position topic does.
    if (topic == state_topic_ && position_topic_.empty()) read_state(payload, reading);
  }

  Commands command(std::string_view action, const std::vector<DeviceValue>& args,
                   std::string* error) const override {
    if (action == "setPosition" || action == "setValue") return set_position(args, error);
    const Json* payload = action == "open"    ? &payload_open_
                          : action == "close" ? &payload_close_
                          : action == "stop"  ? &payload_stop_
                                              : nullptr;
    if (payload == nullptr || payload->is_null() || command_topic_.empty()) return std::nullopt;
    return std::vector<Publish>{publish(command_topic_, payload_text(*payload))};
  }

 private:
  void read_state(std::string_view payload, HaReading& reading) const {
    const std::optional<Json> value = templated(state_template_, payload, reading);
    if (!value) return;
    std::optional<std::int64_t> position;
    if (ha_payload_matches(*value, state_open_)) position = 100;
    if (ha_payload_matches(*value, state_closed_)) position = 0;
    if (!position) return;  // opening, closing, stopped: no position to report.
    reading.add("value", *position);
    reading.add("position", *position);
  }

  void read_position(std::string_view payload, HaReading& reading) const {
    const std::optional<Json> value = templated(position_template_, payload, reading);
    if (!value) return;
    const std::optional<double> raw = number_of(*value);
    if (!raw) {
      reading.problems.push_back("position " + in_quotes(payload_text(*value)) +
                                 " is not a number");
      return;
    }
    const std::int64_t percent =
        round_clamped((*raw - closed_) / (open_ - closed_) * 100.0, 0, 100);
    reading.add("value", percent);
    reading.add("position", percent);
  }

  Commands set_position(const std::vector<DeviceValue>& args, std::string* error) const {
    if (set_position_topic_.empty()) return std::nullopt;
    const std::optional<double> percent = number_arg(args);
    if (!percent) {
      *error = "setPosition needs a position 0-100";
      return std::nullopt;
    }
    const double raw = closed_ + std::clamp(*percent, 0.0, 100.0) / 100.0 * (open_ - closed_);
    const std::string text = std::to_string(round_clamped(raw, -1000000000, 1000000000));
    if (!set_position_template_) return std::vector<Publish>{publish(set_position_topic_, text)};
    const std::optional<std::string> payload =
        render_command(*set_position_template_, {{"position", text}, {"value", text}});
    if (!payload) {
      *error = "set_position_template is outside the supported subset";
      return std::nullopt;
    }
    return std::vector<Publish>{publish(set_position_topic_, *payload)};
  }

  std::string state_topic_;
  ValueTemplate state_template_;
  std::string position_topic_;
  ValueTemplate position_template_;
  Json state_open_;
  Json state_closed_;
  std::string command_topic_;
  Json payload_open_;
  Json payload_close_;
  Json payload_stop_;
  std::string set_position_topic_;
  std::optional<std::string> set_position_template_;
  double open_;
  double closed_;
};

// ---- climate -----------------------------------------------------------------------

class HaClimate final : public HaEntity {
 public:
  HaClimate(const HaConfig& config, DeviceType type) : HaEntity(config, type) {
    add_reading(config, "current_temperature", "value", false);
    add_reading(config, "temperature_state", "heatingThermostatSetpoint", false);
    add_reading(config, "temperature_high_state", "coolingThermostatSetpoint", false);
    add_reading(config, "mode_state", "thermostatMode", true);
    add_command(config, "setHeatingThermostatSetpoint", "temperature_command", false);
    add_command(config, "setCoolingThermostatSetpoint", "temperature_high_command", false);
    add_command(config, "setThermostatMode", "mode_command", true);
  }

  [[nodiscard]] std::vector<std::string> topics() const override {
    std::vector<std::string> topics;
    for (const Reading& reading : readings_) topics.push_back(reading.topic);
    return topics;
  }

  void read(std::string_view topic, std::string_view payload, HaReading& reading) override {
    for (const Reading& field : readings_) {
      if (field.topic != topic) continue;
      const std::optional<Json> value = templated(field.value_template, payload, reading);
      if (!value) continue;
      if (field.is_mode) {
        reading.add(field.property, capitalize(payload_text(*value)));
      } else if (const std::optional<double> number = number_of(*value)) {
        reading.add(field.property, number_value(*number));
      } else {
        reading.problems.push_back(field.property + " " + in_quotes(payload_text(*value)) +
                                   " is not a number");
      }
    }
  }

  Commands command(std::string_view action, const std::vector<DeviceValue>& args,
                   std::string* error) const override {
    const auto found = std::find_if(commands_.begin(), commands_.end(),
                                    [&](const Command& c) { return c.action == action; });
    if (found == commands_.end()) return std::nullopt;
    std::optional<std::string> value;
    if (found->is_mode && !args.empty()) value = lowercase(payload_text(args.front()));
    if (!found->is_mode) {
      const std::optional<double> number = number_arg(args);
      if (number) value = payload_text(to_json(number_value(*number)));
    }
    if (!value) {
      *error = std::string(action) + (found->is_mode ? " needs a mode" : " needs a number");
      return std::nullopt;
    }
    return send(found->command, *value, error);
  }

 private:
  struct Reading {
    std::string topic;
    ValueTemplate value_template;
    std::string property;
    bool is_mode;
  };
  struct Command {
    std::string action;
    HaCommandTopic command;
    bool is_mode;
  };

  // <stem>_topic with <stem>_template: HA's naming of each climate value.
  void add_reading(const HaConfig& config, const std::string& stem, std::string property,
                   bool is_mode) {
    std::optional<std::string> topic = config.text(stem + "_topic");
    if (!topic || topic->empty()) return;
    readings_.push_back({std::move(*topic), value_template(config, stem + "_template"),
                         std::move(property), is_mode});
  }

  void add_command(const HaConfig& config, std::string action, const std::string& stem,
                   bool is_mode) {
    const std::optional<std::string> topic = config.text(stem + "_topic");
    if (!topic || topic->empty()) return;
    commands_.push_back({std::move(action), command_topic(config, stem), is_mode});
  }

  std::vector<Reading> readings_;
  std::vector<Command> commands_;
};

}  // namespace

// ---- Shared parts ------------------------------------------------------------------

HaEntity::HaEntity(const HaConfig& config, DeviceType type)
    : type_(type), qos_(config.qos()), retain_(config.retain()) {}

ValueTemplate HaEntity::value_template(const HaConfig& config, std::string_view key) {
  ValueTemplate result = config.value_template(key);
  if (!result.supported())
    unsupported_.push_back(std::string(key) + " " + in_quotes(result.text()));
  return result;
}

std::optional<std::string> HaEntity::command_template(const HaConfig& config,
                                                      std::string_view key) {
  std::optional<std::string> text = config.text(key);
  if (text && !render_command(*text, {{"value", ""}, {"position", ""}})) {
    unsupported_.push_back(std::string(key) + " " + in_quotes(*text));
  }
  return text;
}

std::optional<Json> HaEntity::templated(const ValueTemplate& value_template,
                                        std::string_view payload, HaReading& reading) {
  std::string problem;
  std::optional<Json> value = value_template.apply(payload, &problem);
  if (!problem.empty()) reading.problems.push_back(std::move(problem));
  return value;
}

HaValueEntity::HaValueEntity(const HaConfig& config, DeviceType type)
    : HaEntity(config, type),
      state_topic_(config.text("state_topic").value_or("")),
      template_(value_template(config, "value_template")) {}

void HaValueEntity::read(std::string_view /*topic*/, std::string_view payload,
                         HaReading& reading) {
  if (const std::optional<Json> value = templated(template_, payload, reading)) {
    read_value(*value, reading);
  }
}

HaCommandTopic HaEntity::command_topic(const HaConfig& config, std::string_view stem) {
  const std::string prefix(stem);
  std::string topic = config.text(prefix + "_topic").value_or("");
  return {std::move(topic), command_template(config, prefix + "_template")};
}

Publish HaEntity::publish(const std::string& topic, std::string payload) const {
  return Publish{topic, std::move(payload), qos_, retain_};
}

std::optional<std::string> HaEntity::render(const std::optional<std::string>& command_template,
                                            const std::string& value, std::string* error) {
  if (!command_template) return value;
  std::optional<std::string> payload = render_command(*command_template, {{"value", value}});
  if (!payload)
    *error =
        "command template " + in_quotes(*command_template) + " is outside the supported subset";
  return payload;
}

Commands HaEntity::send(const HaCommandTopic& command, const std::string& value,
                        std::string* error) const {
  const std::optional<std::string> payload = render(command.payload_template, value, error);
  if (!payload) return std::nullopt;
  return std::vector<Publish>{publish(command.topic, *payload)};
}

std::vector<std::string> HaEntity::given_topics(std::initializer_list<std::string_view> topics) {
  std::vector<std::string> given;
  for (const std::string_view topic : topics) {
    if (!topic.empty()) given.emplace_back(topic);
  }
  return given;
}

bool ha_payload_matches(const Json& value, const Json& expected) {
  if (value == expected) return true;
  const std::string value_text = payload_text(value);
  const std::string expected_text = payload_text(expected);
  if (value_text == expected_text) return true;
  return (value.is_boolean() || expected.is_boolean()) &&
         equals_ignoring_case(value_text, expected_text);
}

std::unique_ptr<HaEntity> make_ha_entity(const HaConfig& config, DeviceType type,
                                         std::string* problem) {
  const std::string& component = config.topic().component;
  const auto found = std::find_if(kComponents.begin(), kComponents.end(),
                                  [&](const Component& c) { return c.name == component; });
  if (found == kComponents.end()) {
    *problem = "Home Assistant component " + in_quotes(component) + " is not supported";
    return nullptr;
  }
  const bool drives =
      type == DeviceType::other || component == "button" ||
      std::find(found->types.begin(), found->types.end(), type) != found->types.end();
  if (!drives) {
    *problem = "a Home Assistant " + component + " cannot drive a " + std::string(type_name(type));
    return nullptr;
  }
  return found->make(config, type, problem);
}

std::optional<std::string> ha_discovery_type(const HaConfig& config) {
  const std::string& component = config.topic().component;
  if (component == "light") {
    const bool json_schema = config.text("schema") == "json";
    bool dimmable = config.has("brightness_command_topic");
    if (json_schema) {
      const Json modes = config.value_or("supported_color_modes", Json::array());
      dimmable = config.value_or("brightness", false) == Json(true) ||
                 (modes.is_array() && std::any_of(modes.begin(), modes.end(), [](const Json& m) {
                    return m.is_string() && m.get_ref<const std::string&>() != "onoff";
                  }));
    }
    return dimmable ? "multilevelSwitch" : "binarySwitch";
  }
  if (component == "switch" || component == "button") return "binarySwitch";
  if (component == "binary_sensor") return "binarySensor";
  if (component == "sensor") return "multilevelSensor";
  if (component == "number") return "multilevelSwitch";
  if (component == "cover") return "rollerShutter";
  if (component == "climate") return "thermostat";
  return std::nullopt;
}

// ---- Factories ---------------------------------------------------------------------

std::string ha_missing_key(const HaConfig& config, std::string_view key) {
  return "a Home Assistant " + config.topic().component + " config without " + std::string(key);
}

std::unique_ptr<HaEntity> make_ha_binary_sensor(const HaConfig& config, DeviceType type, std::string* problem) {
  return make_ha_requiring<HaBinarySensor>(config, type, "state_topic", problem);
}

std::unique_ptr<HaEntity> make_ha_sensor(const HaConfig& config, DeviceType type, std::string* problem) {
  return make_ha_requiring<HaSensor>(config, type, "state_topic", problem);
}

std::unique_ptr<HaEntity> make_ha_number(const HaConfig& config, DeviceType type, std::string* problem) {
  return make_ha_requiring<HaNumber>(config, type, "command_topic", problem);
}

std::unique_ptr<HaEntity> make_ha_cover(const HaConfig& config, DeviceType type,
                                        std::string* /*problem*/) {
  return std::make_unique<HaCover>(config, type);
}

std::unique_ptr<HaEntity> make_ha_climate(const HaConfig& config, DeviceType type,
                                          std::string* /*problem*/) {
  return std::make_unique<HaClimate>(config, type);
}

}  // namespace er::mqtt

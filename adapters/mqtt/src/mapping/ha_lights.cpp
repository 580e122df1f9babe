// Home Assistant entities that switch: switch, button, and light in its default
// schema (ON/OFF and brightness on their own topics) and its JSON schema.

#include <cstdint>

#include "color.h"
#include "ha_entities.h"
#include "text.h"

namespace er::mqtt {

namespace {

constexpr double kDefaultBrightnessScale = 255;

// A brightness on the config's scale as the engine's level 0-99; lit is never 0.
std::int64_t level_from(double brightness, double scale) {
  const std::int64_t level = round_clamped(brightness * 99.0 / scale, 0, 99);
  return brightness > 0 ? std::max<std::int64_t>(level, 1) : level;
}

std::int64_t brightness_from(double level, double scale) {
  const auto top = static_cast<std::int64_t>(scale);
  return round_clamped(std::clamp(level, 0.0, 99.0) * scale / 99.0, 1,
                       std::max<std::int64_t>(top, 1));
}

double brightness_scale(const HaConfig& config) {
  const double scale = config.number_or("brightness_scale", kDefaultBrightnessScale);
  return scale >= 1 && scale <= 1e6 ? scale : kDefaultBrightnessScale;
}

// On/off and level as a light reported them, and the value they make for its device.
struct LightState {
  std::optional<bool> on;
  std::optional<std::int64_t> level;

  // A dimmable device's value is its level while on (99 when the light has no
  // brightness at all); a switch's value is on/off.
  void report(HaReading& reading, DeviceType type, bool has_brightness) const {
    if (!on) return;
    if (!is_level_type(type)) return reading.add("value", *on);
    if (!*on) return reading.add("value", std::int64_t{0});
    if (level) return reading.add("value", *level);
    if (!has_brightness) reading.add("value", std::int64_t{99});
  }
};

// ---- switch ------------------------------------------------------------------------

class HaSwitch final : public HaValueEntity {
 public:
  HaSwitch(const HaConfig& config, DeviceType type)
      : HaValueEntity(config, type),
        payload_on_(config.value_or("payload_on", "ON")),
        payload_off_(config.value_or("payload_off", "OFF")),
        state_on_(config.value_or("state_on", payload_on_)),
        state_off_(config.value_or("state_off", payload_off_)),
        command_(command_topic(config, "command")) {}

  [[nodiscard]] std::vector<std::string> topics() const override {
    return given_topics({state_topic_});
  }

  Commands command(std::string_view action, const std::vector<DeviceValue>& args,
                   std::string* error) const override {
    std::optional<bool> on;
    if (action == "turnOn" || action == "turnOff") on = action == "turnOn";
    if (action == "setValue") {
      on = switch_arg(args);
      if (!on) *error = "setValue needs on/off (a boolean or a number)";
    }
    if (!on) return std::nullopt;
    return send(command_, payload_text(*on ? payload_on_ : payload_off_), error);
  }

 private:
  void read_value(const Json& value, HaReading& reading) override {
    if (ha_payload_matches(value, state_on_)) return reading.add("value", true);
    if (ha_payload_matches(value, state_off_)) return reading.add("value", false);
    reading.problems.push_back("state " + in_quotes(payload_text(value)) +
                               " is neither state_on nor state_off");
  }

  Json payload_on_;
  Json payload_off_;
  Json state_on_;
  Json state_off_;
  HaCommandTopic command_;
};

// ---- button ------------------------------------------------------------------------

class HaButton final : public HaEntity {
 public:
  HaButton(const HaConfig& config, DeviceType type)
      : HaEntity(config, type),
        payload_press_(payload_text(config.value_or("payload_press", "PRESS"))),
        command_(command_topic(config, "command")) {}

  [[nodiscard]] std::vector<std::string> topics() const override { return {}; }
  void read(std::string_view, std::string_view, HaReading&) override {}

  // press, or turnOn for a button defined as a switch (the type discovery gives it).
  Commands command(std::string_view action, const std::vector<DeviceValue>& /*args*/,
                   std::string* error) const override {
    if (action != "press" && action != "turnOn") return std::nullopt;
    return send(command_, payload_press_, error);
  }

 private:
  std::string payload_press_;
  HaCommandTopic command_;
};

// ---- light, default schema ---------------------------------------------------------

class HaLight final : public HaEntity {
 public:
  HaLight(const HaConfig& config, DeviceType type)
      : HaEntity(config, type),
        state_topic_(config.text("state_topic").value_or("")),
        state_template_(value_template(config, "state_value_template")),
        payload_on_(config.value_or("payload_on", "ON")),
        payload_off_(config.value_or("payload_off", "OFF")),
        command_topic_(config.text("command_topic").value_or("")),
        brightness_state_topic_(config.text("brightness_state_topic").value_or("")),
        brightness_template_(value_template(config, "brightness_value_template")),
        brightness_command_topic_(config.text("brightness_command_topic").value_or("")),
        brightness_command_template_(command_template(config, "brightness_command_template")),
        on_command_type_(config.text("on_command_type").value_or("last")),
        scale_(brightness_scale(config)) {}

  [[nodiscard]] std::vector<std::string> topics() const override {
    return given_topics({state_topic_, brightness_state_topic_});
  }

  void read(std::string_view topic, std::string_view payload, HaReading& reading) override {
    if (topic == brightness_state_topic_) read_brightness(payload, reading);
    if (topic == state_topic_) read_state(payload, reading);
  }

  Commands command(std::string_view action, const std::vector<DeviceValue>& args,
                   std::string* error) const override {
    if (action == "turnOn") return std::vector<Publish>{switch_message(true)};
    if (action == "turnOff") return std::vector<Publish>{switch_message(false)};
    if (action != "setValue") return std::nullopt;
    if (is_level_type(type_)) return set_level(args, error);
    const std::optional<bool> on = switch_arg(args);
    if (on) return std::vector<Publish>{switch_message(*on)};
    *error = "setValue needs on/off (a boolean or a number)";
    return std::nullopt;
  }

 private:
  void read_state(std::string_view payload, HaReading& reading) {
    const std::optional<Json> value = templated(state_template_, payload, reading);
    if (!value) return;
    if (ha_payload_matches(*value, payload_on_)) {
      state_.on = true;
    } else if (ha_payload_matches(*value, payload_off_)) {
      state_.on = false;
    } else {
      reading.problems.push_back("state " + in_quotes(payload_text(*value)) +
                                 " is neither payload_on nor payload_off");
      return;
    }
    state_.report(reading, type_, !brightness_state_topic_.empty());
  }

  void read_brightness(std::string_view payload, HaReading& reading) {
    const std::optional<Json> value = templated(brightness_template_, payload, reading);
    if (!value) return;
    const std::optional<double> brightness = number_of(*value);
    if (!brightness) {
      reading.problems.push_back("brightness " + in_quotes(payload_text(*value)) +
                                 " is not a number");
      return;
    }
    state_.level = level_from(*brightness, scale_);
    // A light that reports only brightness is on while its brightness is above 0.
    if (state_topic_.empty()) state_.on = *brightness > 0;
    if (state_.on != false && is_level_type(type_)) reading.add("value", *state_.level);
  }

  [[nodiscard]] Publish switch_message(bool on) const {
    return publish(command_topic_, payload_text(on ? payload_on_ : payload_off_));
  }

  Commands set_level(const std::vector<DeviceValue>& args, std::string* error) const {
    const std::optional<double> level = number_arg(args);
    if (!level) {
      *error = "setValue needs a level 0-99";
      return std::nullopt;
    }
    if (round_clamped(*level, 0, 99) == 0) return std::vector<Publish>{switch_message(false)};
    if (brightness_command_topic_.empty()) return std::vector<Publish>{switch_message(true)};
    const std::optional<std::string> payload = render(
        brightness_command_template_, std::to_string(brightness_from(*level, scale_)), error);
    if (!payload) return std::nullopt;
    const Publish brightness = publish(brightness_command_topic_, *payload);
    // HA's on_command_type: when the ON command goes relative to the brightness.
    if (on_command_type_ == "brightness") return std::vector<Publish>{brightness};
    if (on_command_type_ == "first") return std::vector<Publish>{switch_message(true), brightness};
    return std::vector<Publish>{brightness, switch_message(true)};
  }

  std::string state_topic_;
  ValueTemplate state_template_;
  Json payload_on_;
  Json payload_off_;
  std::string command_topic_;
  std::string brightness_state_topic_;
  ValueTemplate brightness_template_;
  std::string brightness_command_topic_;
  std::optional<std::string> brightness_command_template_;
  std::string on_command_type_;
  double scale_;
  LightState state_;
};

// ---- light, JSON schema ------------------------------------------------------------

class HaJsonLight final : public HaEntity {
 public:
  HaJsonLight(const HaConfig& config, DeviceType type)
      : HaEntity(config, type),
        state_topic_(config.text("state_topic").value_or("")),
        command_topic_(config.text("command_topic").value_or("")),
        scale_(brightness_scale(config)) {}

  [[nodiscard]] std::vector<std::string> topics() const override {
    return given_topics({state_topic_});
  }

  void read(std::string_view /*topic*/, std::string_view payload, HaReading& reading) override {
    std::string error;
    const std::optional<Json> state = parse_json(payload, &error);
    if (!state || !state->is_object()) {
      reading.problems.push_back("state: " + (state ? std::string("not a JSON object") : error));
      return;
    }
    read_members(*state, reading);
    state_.report(reading, type_, false);
  }

  Commands command(std::string_view action, const std::vector<DeviceValue>& args,
                   std::string* error) const override {
    if (action == "turnOn" || action == "turnOff")
      return send({{"state", action == "turnOn" ? "ON" : "OFF"}});
    if (action == "setColor") return set_color(args, error);
    if (action != "setValue") return std::nullopt;
    if (is_level_type(type_)) return set_level(args, error);
    const std::optional<bool> on = switch_arg(args);
    if (on) return send({{"state", *on ? "ON" : "OFF"}});
    *error = "setValue needs on/off (a boolean or a number)";
    return std::nullopt;
  }

 private:
  void read_members(const Json& state, HaReading& reading) {
    const auto on = state.find("state");
    if (on != state.end() && on->is_string()) {
      const auto& text = on->get_ref<const std::string&>();
      if (equals_ignoring_case(text, "ON") || equals_ignoring_case(text, "OFF")) {
        state_.on = equals_ignoring_case(text, "ON");
      }
    }
    const auto brightness = state.find("brightness");
    if (brightness != state.end() && brightness->is_number()) {
      state_.level = level_from(brightness->get<double>(), scale_);
    }
    const auto color = state.find("color");
    if (color != state.end() && type_ == DeviceType::color_controller) {
      if (const std::optional<Rgbw> rgbw = color_from_report(*color))
        reading.add("color", color_value(*rgbw));
    }
  }

  Commands set_level(const std::vector<DeviceValue>& args, std::string* error) const {
    const std::optional<double> level = number_arg(args);
    if (!level) {
      *error = "setValue needs a level 0-99";
      return std::nullopt;
    }
    if (round_clamped(*level, 0, 99) == 0) return send({{"state", "OFF"}});
    return send({{"state", "ON"}, {"brightness", brightness_from(*level, scale_)}});
  }

  Commands set_color(const std::vector<DeviceValue>& args, std::string* error) const {
    const std::optional<Rgbw> color = color_from_args(args);
    if (!color) {
      *error = "setColor needs r, g, b [, w]";
      return std::nullopt;
    }
    Json channels = {{"r", color->r}, {"g", color->g}, {"b", color->b}};
    if (color->w > 0) channels["w"] = color->w;
    return send({{"state", "ON"}, {"color", channels}});
  }

  [[nodiscard]] Commands send(const Json& payload) const {
    return std::vector<Publish>{publish(command_topic_, dump(payload))};
  }

  std::string state_topic_;
  std::string command_topic_;
  double scale_;
  LightState state_;
};


}  // namespace

std::unique_ptr<HaEntity> make_ha_switch(const HaConfig& config, DeviceType type, std::string* problem) {
  return make_ha_requiring<HaSwitch>(config, type, "command_topic", problem);
}

std::unique_ptr<HaEntity> make_ha_light(const HaConfig& config, DeviceType type,
                                        std::string* problem) {
  if (!config.text("command_topic")) {
    *problem = ha_missing_key(config, "command_topic");
    return nullptr;
  }
  if (config.text("schema") == "json") return std::make_unique<HaJsonLight>(config, type);
  if (config.has("schema") && config.text("schema") != "default" &&
      config.text("schema") != "basic") {
    *problem = "the Home Assistant light schema " + in_quotes(config.text("schema").value_or("?")) +
               " is not supported";
    return nullptr;
  }
  return std::make_unique<HaLight>(config, type);
}

std::unique_ptr<HaEntity> make_ha_button(const HaConfig& config, DeviceType type, std::string* problem) {
  return make_ha_requiring<HaButton>(config, type, "command_topic", problem);
}

}  // namespace er::mqtt

// What all device mappings share (mapping.h).

#include "mapping.h"

#include <algorithm>
#include <array>
#include <utility>

#include "text.h"

namespace er::mqtt {

namespace {

constexpr std::size_t kMaxProblemText = 400;

struct TypeName {
  std::string_view name;
  DeviceType type;
};

constexpr std::array<TypeName, 9> kTypeNames = {{
    {"binarySwitch", DeviceType::binary_switch},
    {"multilevelSwitch", DeviceType::multilevel_switch},
    {"binarySensor", DeviceType::binary_sensor},
    {"multilevelSensor", DeviceType::multilevel_sensor},
    {"rollerShutter", DeviceType::roller_shutter},
    {"remoteController", DeviceType::remote_controller},
    {"thermostat", DeviceType::thermostat},
    {"colorController", DeviceType::color_controller},
    {"player", DeviceType::player},
}};

}  // namespace

DeviceType device_type(std::string_view name) {
  for (const TypeName& entry : kTypeNames) {
    if (entry.name == name) return entry.type;
  }
  return DeviceType::other;
}

std::string_view type_name(DeviceType type) {
  for (const TypeName& entry : kTypeNames) {
    if (entry.type == type) return entry.name;
  }
  return "other";
}

bool is_level_type(DeviceType type) {
  return type == DeviceType::multilevel_switch || type == DeviceType::color_controller;
}

bool is_on(const DeviceValue& value) {
  if (const auto* flag = std::get_if<bool>(&value)) return *flag;
  if (const auto* integer = std::get_if<std::int64_t>(&value)) return *integer > 0;
  if (const auto* real = std::get_if<double>(&value)) return *real > 0;
  return false;
}

Publish command_message(std::string topic, std::string payload) {
  return Publish{std::move(topic), std::move(payload), 1, false};
}

void add_problem(MessageResult& out, std::string problem) {
  if (!out.problem) {
    out.problem = clip(problem, kMaxProblemText);
    return;
  }
  // Many problems from one message are summarised: the first ones say enough.
  if (out.problem->size() >= kMaxProblemText) {
    if (!out.problem->ends_with("; ...")) *out.problem += "; ...";
    return;
  }
  *out.problem += "; " + clip(problem, kMaxProblemText);
}

DeviceMapping::DeviceMapping(DeviceSpec spec, std::string kind)
    : spec_(std::move(spec)), kind_(std::move(kind)), type_(device_type(spec_.type)) {}

std::string DeviceMapping::describe() const {
  return "device " + in_quotes(spec_.name) + " (" + kind_ + ")";
}

std::vector<Publish> DeviceMapping::perform(const DeviceAction& action, std::string* problem) {
  std::string error;
  Commands commands = command(action.action, action.args, &error);
  if (!commands && error.empty() && action.action == "toggle") {
    const bool on = last_value_ && is_on(*last_value_);
    commands = command(on ? "turnOff" : "turnOn", {}, &error);
  }
  if (commands) return std::move(*commands);
  if (problem != nullptr) {
    *problem =
        describe() + ": " +
        (error.empty() ? "action " + in_quotes(action.action) + " has no command mapping" : error);
  }
  return {};
}

void DeviceMapping::report(MessageResult& out, std::string property, DeviceValue value) {
  if (property == "value") last_value_ = value;
  out.reports.push_back(Report{spec_.id, std::move(property), std::move(value), false});
}

void DeviceMapping::emit(MessageResult& out, std::string property, DeviceValue value) const {
  out.reports.push_back(Report{spec_.id, std::move(property), std::move(value), true});
}

void DeviceMapping::problem(MessageResult& out, std::string_view reason) const {
  add_problem(out, describe() + ": " + std::string(reason));
}

std::optional<double> number_arg(const std::vector<DeviceValue>& args) {
  if (args.empty()) return std::nullopt;
  return number_of(args.front());
}

std::optional<bool> switch_arg(const std::vector<DeviceValue>& args) {
  if (args.empty()) return std::nullopt;
  if (const auto* text = std::get_if<std::string>(&args.front())) {
    if (equals_ignoring_case(*text, "on") || *text == "true") return true;
    if (equals_ignoring_case(*text, "off") || *text == "false") return false;
  }
  if (std::holds_alternative<JsonText>(args.front())) return std::nullopt;
  const std::optional<double> number = number_of(args.front());
  if (!number) return std::nullopt;
  return *number > 0;
}

std::optional<std::string> text_arg(const std::vector<DeviceValue>& args) {
  if (args.empty()) return std::nullopt;
  return payload_text(args.front());
}

std::optional<std::string> string_member(const nlohmann::json& table, const char* key) {
  if (!table.is_object()) return std::nullopt;
  const auto found = table.find(key);
  if (found == table.end() || !found->is_string()) return std::nullopt;
  return found->get<std::string>();
}

std::vector<std::string> unknown_keys(const nlohmann::json& table,
                                      std::initializer_list<std::string_view> known,
                                      std::string_view where) {
  std::vector<std::string> problems;
  if (!table.is_object()) return problems;
  for (const auto& item : table.items()) {
    if (std::find(known.begin(), known.end(), item.key()) == known.end()) {
      problems.push_back("unknown key " + in_quotes(item.key()) + " in " + std::string(where));
    }
  }
  return problems;
}

std::optional<std::string> check_publish_topic(std::string_view topic) {
  if (topic.empty()) return "an empty topic";
  if (topic.find_first_of("+#") != std::string_view::npos) {
    return "topic " + in_quotes(topic) + " has a wildcard";
  }
  if (topic.find('\0') != std::string_view::npos)
    return "topic " + in_quotes(topic) + " has a NUL byte";
  return std::nullopt;
}

}  // namespace er::mqtt

// Devices on plain topics (plain.h).

#include "plain.h"

#include <algorithm>
#include <utility>

#include "templates.h"
#include "text.h"

namespace er::mqtt {

namespace {

using SpecJson = nlohmann::json;
using Problems = std::vector<std::string>;

// The short quote of a payload in a problem: enough to recognise it, never all of it.
std::string payload_quote(std::string_view payload) {
  return "'" + clip(payload, 32) + "'";
}

std::optional<std::string> filter_member(const SpecJson& table, const char* key,
                                         std::string_view where, Problems* problems) {
  const std::optional<std::string> topic = string_member(table, key);
  if (!topic) {
    problems->push_back(std::string(where) + " needs " + key + " (a string)");
    return std::nullopt;
  }
  if (std::optional<std::string> bad = check_filter(*topic)) {
    problems->push_back(std::string(where) + " " + key + " " + in_quotes(*topic) + ": " + *bad);
    return std::nullopt;
  }
  return topic;
}

// A string option of a table: its value, the default when absent, a problem otherwise.
std::string text_option(const SpecJson& table, const char* key, std::string fallback,
                        std::string_view where, Problems* problems) {
  if (!table.contains(key)) return fallback;
  const std::optional<std::string> text = string_member(table, key);
  if (!text) problems->push_back(std::string(where) + " " + key + " must be a string");
  return text.value_or(fallback);
}

// map = {OPEN = true, CLOSED = false}: payload text -> value. An empty Lua table may
// arrive as an empty list.
void parse_map(const SpecJson& map, PlainDevice::StateBinding* binding, Problems* problems) {
  if (map.is_array() && map.empty()) return;
  if (!map.is_object()) {
    problems->push_back("state map must be a table of payload = value");
    return;
  }
  for (const auto& item : map.items()) {
    binding->map.emplace_back(item.key(), to_device_value(from_spec(item.value())));
  }
}

std::optional<PlainDevice::StateBinding> parse_state(const SpecJson& table, Problems* problems) {
  const std::size_t before = problems->size();
  if (!table.is_object()) {
    problems->push_back("state must be a table {topic = ...} or a list of them");
    return std::nullopt;
  }
  for (std::string& p :
       unknown_keys(table, {"topic", "json", "map", "number", "property"}, "state")) {
    problems->push_back(std::move(p));
  }
  PlainDevice::StateBinding binding;
  binding.topic = filter_member(table, "topic", "state", problems).value_or("");
  if (table.contains("json")) {
    const std::optional<std::string> path = string_member(table, "json");
    if (path) binding.json = parse_path(*path);
    if (!binding.json)
      problems->push_back("state json must be a path such as \"a.b\" or \"list[0]\"");
  }
  if (table.contains("map")) parse_map(table["map"], &binding, problems);
  if (table.contains("number")) {
    binding.number = table["number"].is_boolean() && table["number"].get<bool>();
    if (!table["number"].is_boolean()) problems->push_back("state number must be true or false");
  }
  binding.property = text_option(table, "property", "value", "state", problems);
  if (binding.property.empty()) problems->push_back("state property must not be empty");
  if (problems->size() != before) return std::nullopt;
  return binding;
}

// The payload an action publishes: a string, or a number or boolean written as text.
std::optional<std::string> command_payload(const SpecJson& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number() || value.is_boolean()) return payload_text(from_spec(value));
  return std::nullopt;
}

std::optional<PlainDevice::CommandTable> parse_command(const SpecJson& table, Problems* problems) {
  const std::size_t before = problems->size();
  if (!table.is_object()) {
    problems->push_back("command must be a table {topic = ..., turnOn = ...}");
    return std::nullopt;
  }
  PlainDevice::CommandTable command;
  command.topic = string_member(table, "topic").value_or("");
  if (std::optional<std::string> bad = check_publish_topic(command.topic)) {
    problems->push_back("command topic: " +
                        (table.contains("topic") ? *bad : std::string("missing")));
  }
  for (const auto& item : table.items()) {
    const std::string& key = item.key();
    const SpecJson& value = item.value();
    if (key == "topic") continue;
    if (key == "retain") {
      command.retain = value.is_boolean() && value.get<bool>();
      if (!value.is_boolean()) problems->push_back("command retain must be true or false");
    } else if (key == "qos") {
      command.qos = value.is_number_integer() ? value.get<int>() : -1;
      if (command.qos < 0 || command.qos > 2) problems->push_back("command qos must be 0, 1 or 2");
    } else if (std::optional<std::string> payload = command_payload(value)) {
      command.payloads.emplace(key, std::move(*payload));
    } else {
      problems->push_back("command " + in_quotes(key) + " must be a payload (a string)");
    }
  }
  if (problems->size() != before) return std::nullopt;
  return command;
}

std::optional<PlainDevice::Availability> parse_availability(const SpecJson& table,
                                                            Problems* problems) {
  const std::size_t before = problems->size();
  if (!table.is_object()) {
    problems->push_back("availability must be a table {topic = ..., online = ..., offline = ...}");
    return std::nullopt;
  }
  for (std::string& p : unknown_keys(table, {"topic", "online", "offline"}, "availability")) {
    problems->push_back(std::move(p));
  }
  PlainDevice::Availability availability;
  availability.topic = filter_member(table, "topic", "availability", problems).value_or("");
  availability.online = text_option(table, "online", "online", "availability", problems);
  availability.offline = text_option(table, "offline", "offline", "availability", problems);
  if (problems->size() != before) return std::nullopt;
  return availability;
}

}  // namespace

std::unique_ptr<PlainDevice> PlainDevice::create(const DeviceSpec& spec, Problems* problems) {
  const std::size_t before = problems->size();
  const SpecJson& mqtt = spec.mqtt;
  for (std::string& p :
       unknown_keys(mqtt, {"state", "command", "availability"}, "the mqtt table")) {
    problems->push_back(std::move(p));
  }
  std::unique_ptr<PlainDevice> device(new PlainDevice(spec));
  if (mqtt.contains("state")) {
    const SpecJson& state = mqtt["state"];
    const bool list = state.is_array() && !state.empty();
    for (const SpecJson& table : list ? state : SpecJson::array({state})) {
      if (std::optional<StateBinding> binding = parse_state(table, problems)) {
        device->states_.push_back(std::move(*binding));
      }
    }
  }
  if (mqtt.contains("command")) device->command_ = parse_command(mqtt["command"], problems);
  if (mqtt.contains("availability"))
    device->availability_ = parse_availability(mqtt["availability"], problems);
  if (!mqtt.contains("state") && !mqtt.contains("command")) {
    problems->push_back("a plain MQTT mapping needs a state or a command table");
  }
  if (problems->size() != before) return nullptr;
  return device;
}

PlainDevice::PlainDevice(DeviceSpec spec) : DeviceMapping(std::move(spec), "plain MQTT") {}

std::vector<std::string> PlainDevice::topics() const {
  std::vector<std::string> topics;
  for (const StateBinding& binding : states_) topics.push_back(binding.topic);
  if (availability_) topics.push_back(availability_->topic);
  return topics;
}

void PlainDevice::on_message(std::string_view topic, std::string_view payload, MessageResult& out) {
  for (const StateBinding& binding : states_) {
    if (topic_matches(binding.topic, topic)) read_state(binding, topic, payload, out);
  }
  if (availability_ && topic_matches(availability_->topic, topic)) read_availability(payload, out);
}

void PlainDevice::read_state(const StateBinding& binding, std::string_view topic,
                             std::string_view payload, MessageResult& out) {
  std::string text(payload);
  std::optional<DeviceValue> value;
  if (binding.json) {
    std::string error;
    const std::optional<Json> document = parse_json(payload, &error);
    if (!document) return problem(out, "state on " + in_quotes(topic) + ": " + error);
    const Json* found = find_path(*document, *binding.json);
    if (found == nullptr) return;  // Messages on a shared topic need not hold every path.
    text = payload_text(*found);
    value = to_device_value(*found);
  }
  if (!binding.map.empty()) {
    value = mapped(binding, text, out);
  } else if (binding.number) {
    const std::optional<double> number = parse_number(text);
    if (!number)
      problem(out,
              "state on " + in_quotes(topic) + ": " + payload_quote(text) + " is not a number");
    value = number ? std::optional<DeviceValue>(number_value(*number)) : std::nullopt;
  } else if (!value) {
    value = payload_value(payload);
  }
  if (value) report(out, binding.property, std::move(*value));
}

std::optional<DeviceValue> PlainDevice::mapped(const StateBinding& binding, std::string_view text,
                                               MessageResult& out) const {
  const auto found = std::find_if(binding.map.begin(), binding.map.end(),
                                  [&](const auto& entry) { return entry.first == text; });
  if (found != binding.map.end()) return found->second;
  problem(out, "state on " + in_quotes(binding.topic) + ": " + payload_quote(text) +
                   " is not in the map");
  return std::nullopt;
}

void PlainDevice::read_availability(std::string_view payload, MessageResult& out) {
  if (payload == availability_->online || payload == availability_->offline) {
    report(out, "available", payload == availability_->online);
    return;
  }
  problem(out, "availability " + payload_quote(payload) + " is neither " +
                   in_quotes(availability_->online) + " nor " + in_quotes(availability_->offline));
}

Commands PlainDevice::command(std::string_view action, const std::vector<DeviceValue>& args,
                              std::string* error) {
  if (!command_) return std::nullopt;
  const auto found = command_->payloads.find(action);
  if (found == command_->payloads.end()) return std::nullopt;
  const std::string& payload = found->second;
  if (args.empty() && payload.find("{{") != std::string::npos) {
    *error = std::string(action) + " needs an argument for its payload template";
    return std::nullopt;
  }
  const std::optional<std::string> rendered = render_command(
      payload, {{"value", args.empty() ? std::string() : payload_text(args.front())}});
  if (!rendered) {
    *error = "the payload of " + in_quotes(action) + " uses a template other than {{value}}";
    return std::nullopt;
  }
  return std::vector<Publish>{Publish{command_->topic, *rendered, command_->qos, command_->retain}};
}

}  // namespace er::mqtt

#include "commands.h"

#include <charconv>
#include <vector>

namespace er::fake_devices {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

/// Takes the first word off `text`.
std::string_view next_word(std::string_view& text) {
  text = trimmed(text);
  std::size_t end = 0;
  while (end < text.size() && !is_space(text[end])) ++end;
  const std::string_view word = text.substr(0, end);
  text = trimmed(text.substr(end));
  return word;
}

/// The family's short name, or empty when `name` names none.
std::string family_of(std::string_view name) {
  if (name == "z2m" || name == "zigbee2mqtt") return "z2m";
  if (name == "tasmota") return "tasmota";
  if (name == "ha" || name == "homeassistant") return "ha";
  return "";
}

/// VALUE of KEY=VALUE: JSON when it parses as JSON, else the text as a string.
nlohmann::json value_of(std::string_view text) {
  nlohmann::json value = nlohmann::json::parse(text, nullptr, false);
  return value.is_discarded() ? nlohmann::json(std::string(text)) : value;
}

bool parse_set(std::string_view rest, Command& command, std::string& problem) {
  command.family = family_of(next_word(rest));
  command.device = next_word(rest);
  if (command.family.empty() || command.device.empty() || rest.empty()) {
    problem = "expected: set z2m|tasmota|ha NAME KEY=VALUE...";
    return false;
  }
  command.values = nlohmann::json::object();
  while (!rest.empty()) {
    const std::string_view assignment = next_word(rest);
    const std::size_t equals = assignment.find('=');
    if (equals == 0 || equals == std::string_view::npos) {
      problem = "expected KEY=VALUE, got '" + std::string(assignment) + "'";
      return false;
    }
    command.values[std::string(assignment.substr(0, equals))] =
        value_of(assignment.substr(equals + 1));
  }
  return true;
}

bool parse_sensor(std::string_view rest, Command& command, std::string& problem) {
  command.device = next_word(rest);
  command.values = nlohmann::json::parse(rest, nullptr, false);
  if (command.device.empty() || !command.values.is_object()) {
    problem = "expected: sensor NAME {JSON object}";
    return false;
  }
  return true;
}

bool parse_pub(std::string_view rest, Command& command, std::string& problem) {
  command.topic = next_word(rest);
  constexpr std::string_view kRetain = " retain";
  if (rest == "retain") {
    rest = "";
    command.retain = true;
  } else if (rest.ends_with(kRetain)) {
    rest.remove_suffix(kRetain.size());
    command.retain = true;
  }
  command.payload = trimmed(rest);
  if (command.topic.empty()) problem = "expected: pub TOPIC PAYLOAD [retain]";
  return !command.topic.empty();
}

bool parse_availability(std::string_view rest, Command& command, std::string& problem) {
  command.family = family_of(next_word(rest));
  command.device = next_word(rest);
  if (command.family.empty() || !rest.empty()) {
    problem = "expected: offline|online z2m|tasmota|ha [NAME]";
    return false;
  }
  return true;
}

bool parse_wait(std::string_view rest, Command& command, std::string& problem) {
  const std::string_view number = next_word(rest);
  const auto [end, error] =
      std::from_chars(number.data(), number.data() + number.size(), command.wait_ms);
  if (error != std::errc() || end != number.data() + number.size() || command.wait_ms < 0 ||
      !rest.empty()) {
    problem = "expected: wait MILLISECONDS";
    return false;
  }
  return true;
}

}  // namespace

std::optional<Command> parse_command(std::string_view line, std::string& problem) {
  problem.clear();
  std::string_view rest = trimmed(line);
  if (rest.empty() || rest.front() == '#') return std::nullopt;
  const std::string_view verb = next_word(rest);
  Command command;
  bool parsed = false;
  if (verb == "set") {
    command.verb = Verb::set;
    parsed = parse_set(rest, command, problem);
  } else if (verb == "sensor") {
    command.verb = Verb::sensor;
    parsed = parse_sensor(rest, command, problem);
  } else if (verb == "pub") {
    command.verb = Verb::pub;
    parsed = parse_pub(rest, command, problem);
  } else if (verb == "offline" || verb == "online") {
    command.verb = verb == "online" ? Verb::online : Verb::offline;
    parsed = parse_availability(rest, command, problem);
  } else if (verb == "wait") {
    command.verb = Verb::wait;
    parsed = parse_wait(rest, command, problem);
  } else if (verb == "exit" || verb == "quit") {
    parsed = true;
  } else {
    problem = "unknown command '" + std::string(verb) +
              "' (set, sensor, pub, offline, online, wait, exit)";
  }
  if (!parsed) return std::nullopt;
  return command;
}

}  // namespace er::fake_devices

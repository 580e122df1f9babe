// Home Assistant discovery configs (ha_config.h).

#include "ha_config.h"

#include <cmath>
#include <utility>

#include "mapping.h"

namespace er::mqtt {

namespace {

constexpr std::string_view kConfigLevel = "/config";

// Keys ending in "topic" take the base topic for a leading or trailing '~'.
void substitute_base(Json& object, const std::string& base) {
  for (auto& item : object.items()) {
    if (!item.key().ends_with("topic") || !item.value().is_string()) continue;
    std::string value = item.value().get<std::string>();
    if (value.empty()) continue;
    if (value.front() == '~') value = base + value.substr(1);
    if (value.back() == '~') value = value.substr(0, value.size() - 1) + base;
    item.value() = std::move(value);
  }
}

// An object with every key in its full name.
Json expanded(const Json& object) {
  Json out = Json::object();
  for (const auto& item : object.items()) out[std::string(ha_full_key(item.key()))] = item.value();
  return out;
}

// A config with full key names, also in the availability list, and `~` substituted.
Json expanded_config(const Json& config) {
  Json out = expanded(config);
  const auto base = out.find("~");
  const bool has_base = base != out.end() && base->is_string();
  const std::string base_topic = has_base ? base->get<std::string>() : std::string();
  if (has_base) substitute_base(out, base_topic);
  const auto list = out.find("availability");
  if (list != out.end() && list->is_array()) {
    for (Json& entry : *list) {
      if (!entry.is_object()) continue;
      entry = expanded(entry);
      if (has_base) substitute_base(entry, base_topic);
    }
  }
  return out;
}

std::optional<HaAvailabilitySource> availability_source(const Json& entry) {
  const auto topic = entry.find("topic");
  if (topic == entry.end() || !topic->is_string() || topic->get_ref<const std::string&>().empty()) {
    return std::nullopt;
  }
  HaAvailabilitySource source;
  source.topic = topic->get<std::string>();
  source.available = entry.value("payload_available", Json("online"));
  source.not_available = entry.value("payload_not_available", Json("offline"));
  const auto value_template = entry.find("value_template");
  if (value_template != entry.end() && value_template->is_string()) {
    source.value_template = ValueTemplate(value_template->get<std::string>());
  }
  return source;
}

// Commands are published to these; every other topic is subscribed to.
bool is_command_topic(std::string_view key) {
  return key.ends_with("command_topic") || key == "set_position_topic";
}

std::optional<std::string> check_topic(std::string_view key, const Json& value) {
  if (!value.is_string()) return std::nullopt;  // Entities ignore topics that are no strings.
  const std::string& topic = value.get_ref<const std::string&>();
  std::optional<std::string> problem =
      is_command_topic(key) ? check_publish_topic(topic) : check_filter(topic);
  if (problem) return std::string(key) + ": " + *problem;
  return std::nullopt;
}

}  // namespace

std::optional<HaTopic> parse_ha_topic(std::string_view prefix, std::string_view topic) {
  if (!topic.starts_with(prefix) || topic.size() <= prefix.size() || topic[prefix.size()] != '/' ||
      !topic.ends_with(kConfigLevel)) {
    return std::nullopt;
  }
  std::string_view middle = topic.substr(prefix.size() + 1);
  if (middle.size() < kConfigLevel.size()) return std::nullopt;
  middle.remove_suffix(kConfigLevel.size());
  std::vector<std::string_view> levels;
  for (std::size_t pos = 0; pos <= middle.size();) {
    const std::size_t end = std::min(middle.find('/', pos), middle.size());
    levels.push_back(middle.substr(pos, end - pos));
    pos = end + 1;
  }
  if (levels.size() < 2 || levels.size() > 3) return std::nullopt;
  for (const std::string_view level : levels) {
    if (level.empty()) return std::nullopt;
  }
  HaTopic parsed{std::string(topic), std::string(levels.front()), "", std::string(levels.back())};
  if (levels.size() == 3) parsed.node_id = levels[1];
  return parsed;
}

std::optional<HaConfig> HaConfig::parse(HaTopic topic, std::string_view payload,
                                        std::string* error) {
  std::optional<Json> json = parse_json(payload, error);
  if (!json) return std::nullopt;
  if (!json->is_object()) {
    *error = "it is not a JSON object";
    return std::nullopt;
  }
  return HaConfig(std::move(topic), expanded_config(*json));
}

std::string HaConfig::key() const {
  const std::optional<std::string> unique_id = text("unique_id");
  if (unique_id && !unique_id->empty()) return *unique_id;
  return topic_.node_id.empty() ? topic_.object_id : topic_.node_id + "/" + topic_.object_id;
}

std::string HaConfig::object_name() const {
  const std::optional<std::string> object_id = text("object_id");
  if (object_id && !object_id->empty()) return *object_id;
  return topic_.node_id.empty() ? topic_.object_id : topic_.node_id + "_" + topic_.object_id;
}

bool HaConfig::has(std::string_view key) const {
  const auto found = json_.find(key);
  return found != json_.end() && !found->is_null();
}

std::optional<std::string> HaConfig::text(std::string_view key) const {
  const auto found = json_.find(key);
  if (found == json_.end() || !found->is_string()) return std::nullopt;
  return found->get<std::string>();
}

Json HaConfig::value_or(std::string_view key, Json fallback) const {
  const auto found = json_.find(key);
  return found == json_.end() ? std::move(fallback) : *found;
}

double HaConfig::number_or(std::string_view key, double fallback) const {
  const auto found = json_.find(key);
  if (found == json_.end() || !found->is_number()) return fallback;
  const double number = found->get<double>();
  return std::isfinite(number) ? number : fallback;
}

ValueTemplate HaConfig::value_template(std::string_view key) const {
  return ValueTemplate(text(key).value_or(""));
}

int HaConfig::qos() const {
  const auto found = json_.find("qos");
  if (found == json_.end() || !found->is_number_integer()) return 1;
  const auto qos = found->get<std::int64_t>();
  return qos >= 0 && qos <= 2 ? static_cast<int>(qos) : 1;
}

bool HaConfig::retain() const {
  const auto found = json_.find("retain");
  return found != json_.end() && found->is_boolean() && found->get<bool>();
}

std::optional<std::string> HaConfig::topic_problem() const {
  for (const auto& item : json_.items()) {
    if (!item.key().ends_with("topic")) continue;
    if (std::optional<std::string> problem = check_topic(item.key(), item.value())) return problem;
  }
  for (const HaAvailabilitySource& source : availability()) {
    if (std::optional<std::string> problem = check_filter(source.topic))
      return "availability topic: " + *problem;
  }
  return std::nullopt;
}

std::vector<HaAvailabilitySource> HaConfig::availability() const {
  std::vector<HaAvailabilitySource> sources;
  const auto list = json_.find("availability");
  if (list != json_.end() && list->is_array()) {
    for (const Json& entry : *list) {
      if (!entry.is_object()) continue;
      if (std::optional<HaAvailabilitySource> source = availability_source(entry)) {
        sources.push_back(std::move(*source));
      }
    }
    return sources;
  }
  Json single = Json::object();
  single["topic"] = value_or("availability_topic", nullptr);
  single["payload_available"] = value_or("payload_available", "online");
  single["payload_not_available"] = value_or("payload_not_available", "offline");
  single["value_template"] = value_or("availability_template", nullptr);
  if (std::optional<HaAvailabilitySource> source = availability_source(single)) {
    sources.push_back(std::move(*source));
  }
  return sources;
}

HaAvailabilityMode HaConfig::availability_mode() const {
  const std::optional<std::string> mode = text("availability_mode");
  if (mode == "all") return HaAvailabilityMode::all;
  if (mode == "any") return HaAvailabilityMode::any;
  return HaAvailabilityMode::latest;
}

}  // namespace er::mqtt

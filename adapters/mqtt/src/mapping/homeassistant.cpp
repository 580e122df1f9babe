// Devices built from Home Assistant discovery configs (homeassistant.h).

#include "homeassistant.h"

#include <algorithm>
#include <utility>

#include "text.h"

namespace er::mqtt {

std::unique_ptr<HomeAssistantDevice> HomeAssistantDevice::create(
    const DeviceSpec& spec, const RouterOptions& options, std::vector<std::string>* problems) {
  const std::size_t before = problems->size();
  for (std::string& problem :
       unknown_keys(spec.mqtt, {"homeassistant"}, "a homeassistant mapping")) {
    problems->push_back(std::move(problem));
  }
  const std::optional<std::string> key = string_member(spec.mqtt, "homeassistant");
  if (!key || key->empty()) {
    problems->push_back(
        "homeassistant must be the entity's unique_id or object_id (a non-empty string)");
  }
  if (std::optional<std::string> bad = check_publish_topic(options.homeassistant_prefix)) {
    problems->push_back("the Home Assistant discovery prefix: " + *bad);
  }
  if (device_type(spec.type) == DeviceType::player) {
    problems->push_back("Home Assistant discovery cannot drive a " + spec.type);
  }
  if (problems->size() != before) return nullptr;
  return std::make_unique<HomeAssistantDevice>(spec, *key);
}

HomeAssistantDevice::HomeAssistantDevice(DeviceSpec spec, std::string key)
    : DeviceMapping(std::move(spec), "Home Assistant"), key_(std::move(key)) {}

bool HomeAssistantDevice::matches(const HaConfig& config) const {
  const HaTopic& topic = config.topic();
  return config.text("unique_id") == key_ || topic.object_id == key_ ||
         (!topic.node_id.empty() && topic.node_id + "/" + topic.object_id == key_);
}

bool HomeAssistantDevice::bind(const HaConfig& config, MessageResult& out) {
  std::string reason;
  if (std::optional<std::string> bad = config.topic_problem()) reason = *bad;
  std::unique_ptr<HaEntity> entity =
      reason.empty() ? make_ha_entity(config, type(), &reason) : nullptr;
  if (!entity) {
    problem(out, "config on " + in_quotes(config.topic().config_topic) + ": " + reason);
    return false;
  }
  entity_ = std::move(entity);
  config_topic_ = config.topic().config_topic;
  sources_ = config.availability();
  source_states_.assign(sources_.size(), std::nullopt);
  mode_ = config.availability_mode();
  latest_.reset();
  for (const std::string& unsupported : entity_->unsupported_templates()) {
    if (!reported_templates_.insert(unsupported).second) continue;
    problem(out,
            unsupported + " is outside the supported template subset; the raw payload is used");
  }
  if (sources_.empty()) report(out, "available", true);
  return true;
}

void HomeAssistantDevice::unbind(MessageResult& out) {
  entity_.reset();
  config_topic_.clear();
  sources_.clear();
  source_states_.clear();
  report(out, "available", false);
}

std::vector<std::string> HomeAssistantDevice::topics() const {
  if (!entity_) return {};
  std::vector<std::string> topics = entity_->topics();
  for (const HaAvailabilitySource& source : sources_) topics.push_back(source.topic);
  return topics;
}

void HomeAssistantDevice::on_message(std::string_view topic, std::string_view payload,
                                     MessageResult& out) {
  if (!entity_) return;
  // Entities know their topics as configured: a state topic may be a filter (a/+/b),
  // so the entity is handed the filter that matched, each one once.
  std::vector<std::string> filters = entity_->topics();
  std::sort(filters.begin(), filters.end());
  filters.erase(std::unique(filters.begin(), filters.end()), filters.end());
  for (const std::string& filter : filters) {
    if (!topic_matches(filter, topic)) continue;
    HaReading reading;
    entity_->read(filter, payload, reading);
    for (auto& [property, value] : reading.reports)
      report(out, std::move(property), std::move(value));
    for (const std::string& reason : reading.problems)
      problem(out, in_quotes(topic) + ": " + reason);
  }
  for (std::size_t i = 0; i < sources_.size(); ++i) {
    if (topic_matches(sources_[i].topic, topic)) read_availability(i, payload, out);
  }
}

void HomeAssistantDevice::read_availability(std::size_t source, std::string_view payload,
                                            MessageResult& out) {
  // A payload that is not JSON for a value_json template (a bridge's legacy "online")
  // is read as it is, without a problem.
  std::string ignored;
  const std::optional<Json> value = sources_[source].value_template.apply(payload, &ignored);
  if (!value) return;
  std::optional<bool> available;
  if (ha_payload_matches(*value, sources_[source].available)) available = true;
  if (ha_payload_matches(*value, sources_[source].not_available)) available = false;
  if (!available) return;  // Home Assistant ignores other payloads too.
  source_states_[source] = available;
  latest_ = available;
  if (const std::optional<bool> combined = combined_availability())
    report(out, "available", *combined);
}

std::optional<bool> HomeAssistantDevice::combined_availability() const {
  const auto is_true = [](const std::optional<bool>& state) { return state == true; };
  switch (mode_) {
    case HaAvailabilityMode::all:
      return std::all_of(source_states_.begin(), source_states_.end(), is_true);
    case HaAvailabilityMode::any:
      return std::any_of(source_states_.begin(), source_states_.end(), is_true);
    default:
      return latest_;
  }
}

Commands HomeAssistantDevice::command(std::string_view action, const std::vector<DeviceValue>& args,
                                      std::string* error) {
  if (!entity_) {
    if (action != "toggle") *error = "its Home Assistant discovery config has not arrived";
    return std::nullopt;
  }
  return entity_->command(action, args, error);
}

}  // namespace er::mqtt

#pragma once
// A device built from a Home Assistant discovery config:
// {homeassistant = "<unique_id or object_id>"}.
//
// Until its config arrives (retained, under the discovery prefix) the device reads no
// topic. The config gives the entity (ha_entities.h) and its availability; a new
// config replaces both, and an empty one removes the entity (the device becomes
// unavailable).

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "ha_config.h"
#include "ha_entities.h"
#include "mapping.h"

namespace er::mqtt {

class HomeAssistantDevice final : public DeviceMapping {
 public:
  /// The mapping of `spec` (given by the user), or nullptr with the reasons added to
  /// `*problems`.
  static std::unique_ptr<HomeAssistantDevice> create(const DeviceSpec& spec,
                                                     const RouterOptions& options,
                                                     std::vector<std::string>* problems);
  /// The mapping of a discovered entity, keyed by `key`.
  HomeAssistantDevice(DeviceSpec spec, std::string key);

  /// True when `config` is this device's entity: its unique_id, object id or
  /// node_id/object_id is the device's key.
  [[nodiscard]] bool matches(const HaConfig& config) const;
  /// The config topic of the entity this device is bound to; empty before any.
  [[nodiscard]] const std::string& config_topic() const { return config_topic_; }

  /// Takes the entity's config (first or new): its topics, templates and availability.
  /// False, with a problem in `out`, when the config cannot drive the device.
  bool bind(const HaConfig& config, MessageResult& out);
  /// The entity was removed: the device is unavailable and reads no topic.
  void unbind(MessageResult& out);

  [[nodiscard]] std::vector<std::string> topics() const override;
  void on_message(std::string_view topic, std::string_view payload, MessageResult& out) override;
  // has_availability() stays true: the mapping reports availability itself (from the
  // config's sources, or true when the config has none, false when the entity is removed).

 private:
  // Private in a final class: DeviceMapping::perform() is the way in.
  Commands command(std::string_view action, const std::vector<DeviceValue>& args,
                   std::string* error) override;
  void read_availability(std::size_t source, std::string_view payload, MessageResult& out);
  [[nodiscard]] std::optional<bool> combined_availability() const;

  std::string key_;
  std::string config_topic_;
  std::unique_ptr<HaEntity> entity_;
  std::vector<HaAvailabilitySource> sources_;
  std::vector<std::optional<bool>> source_states_;  ///< Per source, once it reported.
  HaAvailabilityMode mode_ = HaAvailabilityMode::latest;
  std::optional<bool> latest_;
  std::set<std::string> reported_templates_;  ///< Unsupported templates already reported.
};

}  // namespace er::mqtt

#pragma once
// Home Assistant entities as the mapping drives them: one class per component
// (switch, light, button in ha_lights.cpp; binary_sensor, sensor, number, cover,
// climate in ha_entities.cpp), built from an expanded discovery config (ha_config.h).
// An entity reads its state topics and makes the commands of actions; availability
// and reporting belong to HomeAssistantDevice (homeassistant.h).

#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ha_config.h"
#include "mapping.h"

namespace er::mqtt {

/// A command topic and the template that makes its payloads (HA's `<stem>_topic` and
/// `<stem>_template`); the topic is empty when the config has none.
struct HaCommandTopic {
  std::string topic;
  std::optional<std::string> payload_template;
};

/// What an entity read from one message: properties of its device and problems.
struct HaReading {
  std::vector<std::pair<std::string, DeviceValue>> reports;
  std::vector<std::string> problems;

  void add(std::string property, DeviceValue value) {
    reports.emplace_back(std::move(property), std::move(value));
  }
};

class HaEntity {
 public:
  virtual ~HaEntity() = default;
  HaEntity(const HaEntity&) = delete;
  HaEntity& operator=(const HaEntity&) = delete;

  /// The state topics the entity reads.
  [[nodiscard]] virtual std::vector<std::string> topics() const = 0;
  /// Reads a message on one of topics() (a topic may hold several of its values).
  virtual void read(std::string_view topic, std::string_view payload, HaReading& reading) = 0;
  /// The messages of an action: nullopt when the entity has no such action (with
  /// `*error` set when the arguments are what is wrong).
  virtual Commands command(std::string_view action, const std::vector<DeviceValue>& args,
                           std::string* error) const = 0;
  /// The config's templates outside the supported subset, as "key '{{ ... }}'".
  [[nodiscard]] const std::vector<std::string>& unsupported_templates() const {
    return unsupported_;
  }

 protected:
  HaEntity(const HaConfig& config, DeviceType type);

  /// A template of the config; one outside the subset is noted for the device to report.
  ValueTemplate value_template(const HaConfig& config, std::string_view key);
  /// The value of a payload through a template (the raw payload without one); nullopt
  /// when the template finds nothing.
  static std::optional<Json> templated(const ValueTemplate& value_template,
                                       std::string_view payload, HaReading& reading);
  /// A command template of the config (nullopt when absent); one outside the subset is
  /// noted like a value template.
  std::optional<std::string> command_template(const HaConfig& config, std::string_view key);
  /// The config's `<stem>_topic` and `<stem>_template`, the template checked like
  /// command_template().
  HaCommandTopic command_topic(const HaConfig& config, std::string_view stem);
  /// A message with the config's qos and retain.
  [[nodiscard]] Publish publish(const std::string& topic, std::string payload) const;
  /// The payload a command template makes of `value` (the value itself without one).
  static std::optional<std::string> render(const std::optional<std::string>& command_template,
                                           const std::string& value, std::string* error);
  /// The one message that carries `value` on `command`'s topic, through its template;
  /// nullopt with `*error` set when the template is outside the supported subset.
  [[nodiscard]] Commands send(const HaCommandTopic& command, const std::string& value,
                              std::string* error) const;
  /// The topics of `topics` that the config gave (an absent one is empty), for topics().
  static std::vector<std::string> given_topics(std::initializer_list<std::string_view> topics);

  DeviceType type_;

 private:
  int qos_;
  bool retain_;
  std::vector<std::string> unsupported_;
};

/// An entity that reads one state topic through value_template (binary_sensor, sensor,
/// number, switch): read() hands each value the template finds to read_value().
class HaValueEntity : public HaEntity {
 public:
  void read(std::string_view topic, std::string_view payload, HaReading& reading) final;

 protected:
  HaValueEntity(const HaConfig& config, DeviceType type);

  /// Reads one value of the state topic, as the template gave it.
  virtual void read_value(const Json& value, HaReading& reading) = 0;

  std::string state_topic_;

 private:
  ValueTemplate template_;
};

/// The entity of `config` for a device of `type`; nullptr with the reason in
/// `*problem` for a component the mapping does not support, a type the component
/// cannot drive, or a config without the topics the component needs.
std::unique_ptr<HaEntity> make_ha_entity(const HaConfig& config, DeviceType type,
                                         std::string* problem);

/// The device type for a discovered entity, or nullopt for a component the mapping
/// does not support.
std::optional<std::string> ha_discovery_type(const HaConfig& config);

/// True when a template's value equals a configured payload (payload_on, state_open,
/// ...): the same JSON, or the same text (booleans in any case: "True" is true).
bool ha_payload_matches(const Json& value, const Json& expected);

/// Why `config` makes no entity: it lacks `key` ("a Home Assistant switch config
/// without command_topic").
std::string ha_missing_key(const HaConfig& config, std::string_view key);

/// An `Entity` for `config` when it has the topic `required`; nullptr with the reason
/// in `*problem` otherwise. Most factories below are this.
template <class Entity>
std::unique_ptr<HaEntity> make_ha_requiring(const HaConfig& config, DeviceType type, std::string_view required,
                                            std::string* problem) {
  if (!config.text(required)) {
    *problem = ha_missing_key(config, required);
    return nullptr;
  }
  return std::make_unique<Entity>(config, type);
}

// The entity factories of each component (ha_lights.cpp, ha_entities.cpp).
std::unique_ptr<HaEntity> make_ha_switch(const HaConfig& config, DeviceType type,
                                         std::string* problem);
std::unique_ptr<HaEntity> make_ha_light(const HaConfig& config, DeviceType type,
                                        std::string* problem);
std::unique_ptr<HaEntity> make_ha_button(const HaConfig& config, DeviceType type,
                                         std::string* problem);
std::unique_ptr<HaEntity> make_ha_binary_sensor(const HaConfig& config, DeviceType type,
                                                std::string* problem);
std::unique_ptr<HaEntity> make_ha_sensor(const HaConfig& config, DeviceType type,
                                         std::string* problem);
std::unique_ptr<HaEntity> make_ha_number(const HaConfig& config, DeviceType type,
                                         std::string* problem);
std::unique_ptr<HaEntity> make_ha_cover(const HaConfig& config, DeviceType type,
                                        std::string* problem);
std::unique_ptr<HaEntity> make_ha_climate(const HaConfig& config, DeviceType type,
                                          std::string* problem);

}  // namespace er::mqtt

#pragma once
// Home Assistant MQTT discovery configs: where they are published, and their contents
// with abbreviations expanded and `~` (the base topic) substituted, so that the
// entities read full key names only.
//
//   <prefix>/<component>/[<node_id>/]<object_id>/config
//   {"~": "tasmota/plug", "stat_t": "~/STATE", "cmd_t": "~/POWER", "uniq_id": "plug_1"}

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json_value.h"
#include "templates.h"

namespace er::mqtt {

/// The full name of a discovery config key ("stat_t" -> "state_topic"); other keys as
/// they are.
std::string_view ha_full_key(std::string_view key);

/// Where a discovery config was published.
struct HaTopic {
  std::string config_topic;
  std::string component;  ///< "light", "sensor", ...
  std::string node_id;    ///< Empty when the topic has none.
  std::string object_id;
};

/// The parts of a discovery config topic under `prefix`, or nullopt for other topics.
std::optional<HaTopic> parse_ha_topic(std::string_view prefix, std::string_view topic);

/// One source of an entity's availability.
struct HaAvailabilitySource {
  std::string topic;
  Json available = "online";
  Json not_available = "offline";
  ValueTemplate value_template;
};

/// How several availability sources combine (HA's availability_mode).
enum class HaAvailabilityMode { latest, all, any };

class HaConfig {
 public:
  /// The config published on `topic`; nullopt with the reason in `*error` when it is
  /// not a JSON object.
  static std::optional<HaConfig> parse(HaTopic topic, std::string_view payload, std::string* error);

  [[nodiscard]] const HaTopic& topic() const { return topic_; }
  /// The entity's key: its unique_id, else its object id (node_id/object_id with a node).
  [[nodiscard]] std::string key() const;
  /// The object id the config asks for (object_id), else the topic's, with its node.
  [[nodiscard]] std::string object_name() const;

  [[nodiscard]] bool has(std::string_view key) const;
  /// A string member, or nullopt when absent or not a string.
  [[nodiscard]] std::optional<std::string> text(std::string_view key) const;
  /// A member of any type, or `fallback` when absent.
  [[nodiscard]] Json value_or(std::string_view key, Json fallback) const;
  /// A number member, or `fallback` when absent or not a number.
  [[nodiscard]] double number_or(std::string_view key, double fallback) const;
  [[nodiscard]] ValueTemplate value_template(std::string_view key) const;
  [[nodiscard]] int qos() const;
  [[nodiscard]] bool retain() const;

  /// Why a topic of the config cannot be used (a state topic that is no valid filter,
  /// a command topic with a wildcard), or nullopt.
  [[nodiscard]] std::optional<std::string> topic_problem() const;

  /// The entity's availability sources (availability_topic or the availability list).
  [[nodiscard]] std::vector<HaAvailabilitySource> availability() const;
  [[nodiscard]] HaAvailabilityMode availability_mode() const;

 private:
  HaConfig(HaTopic topic, Json json) : topic_(std::move(topic)), json_(std::move(json)) {}

  HaTopic topic_;
  Json json_;
};

}  // namespace er::mqtt

#pragma once
// What every device mapping is: the topics it reads, what a message on them means
// for its device, and the messages an action publishes. The four kinds (Zigbee2MQTT,
// Tasmota, Home Assistant discovery, plain topics) derive from DeviceMapping; the
// Router (router.cpp) owns them and routes messages by topic.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/mqtt/router.h"
#include "json_value.h"

namespace er::mqtt {

/// The engine's standard device types (docs/devices.md); `other` for a host's own.
enum class DeviceType {
  binary_switch,
  multilevel_switch,
  binary_sensor,
  multilevel_sensor,
  roller_shutter,
  remote_controller,
  thermostat,
  color_controller,
  player,
  other,
};

DeviceType device_type(std::string_view name);

/// The engine's name of a standard type ("binarySwitch"); "other" for other types.
std::string_view type_name(DeviceType type);

/// Types whose value is a level 0-99 (dimmers and color lights).
bool is_level_type(DeviceType type);

/// The engine's on(v): true, or a number above 0.
bool is_on(const DeviceValue& value);

/// A command message with the mapping defaults: QoS 1, not retained.
Publish command_message(std::string topic, std::string payload);

/// Adds a reason to a result's problem ("; " between several, the total kept short).
void add_problem(MessageResult& out, std::string problem);

/// The messages of one action: nullopt when the action has no MQTT form, with a reason
/// in `*error` when the arguments are what is wrong.
using Commands = std::optional<std::vector<Publish>>;

class DeviceMapping {
 public:
  /// `kind` names the mapping in problems: "Zigbee2MQTT", "plain MQTT", ...
  DeviceMapping(DeviceSpec spec, std::string kind);
  virtual ~DeviceMapping() = default;
  DeviceMapping(const DeviceMapping&) = delete;
  DeviceMapping& operator=(const DeviceMapping&) = delete;

  [[nodiscard]] const DeviceSpec& spec() const { return spec_; }
  [[nodiscard]] DeviceType type() const { return type_; }
  /// "device 'lamp' (Zigbee2MQTT)": how problems name the device.
  [[nodiscard]] std::string describe() const;

  /// The topic filters this mapping reads now: exact topics, or (plain topics only)
  /// filters with wildcards.
  [[nodiscard]] virtual std::vector<std::string> topics() const = 0;
  /// Reads one message on a topic that topics() matches.
  virtual void on_message(std::string_view topic, std::string_view payload, MessageResult& out) = 0;
  /// False when nothing tells this device's availability (the client assumes it).
  /// Zigbee2MQTT, Tasmota and Home Assistant devices always tell it, so that is the
  /// default; plain topics tell it only with an availability topic.
  [[nodiscard]] virtual bool has_availability() const { return true; }
  /// Messages to publish after a (re)connect.
  [[nodiscard]] virtual std::vector<Publish> on_connect() const { return {}; }

  /// The messages that carry out `action`; empty with `*problem` set when it has no
  /// MQTT form. A toggle without a native form becomes turnOn or turnOff from the last
  /// reported value.
  std::vector<Publish> perform(const DeviceAction& action, std::string* problem);

 protected:
  virtual Commands command(std::string_view action, const std::vector<DeviceValue>& args,
                           std::string* error) = 0;

  /// Adds a report for this device (and remembers `value` for toggles).
  void report(MessageResult& out, std::string property, DeviceValue value);
  /// Adds an event-only report (a button's action).
  void emit(MessageResult& out, std::string property, DeviceValue value) const;
  /// Adds "<describe()>: <reason>" to the result's problem.
  void problem(MessageResult& out, std::string_view reason) const;
  [[nodiscard]] const std::optional<DeviceValue>& last_value() const { return last_value_; }

 private:
  DeviceSpec spec_;
  std::string kind_;
  DeviceType type_;
  std::optional<DeviceValue> last_value_;
};

/// The first argument as a number, or nullopt.
std::optional<double> number_arg(const std::vector<DeviceValue>& args);

/// The first argument as on/off: booleans, numbers (on above 0), "on"/"off"/"true"/"false".
std::optional<bool> switch_arg(const std::vector<DeviceValue>& args);

/// The first argument as text (tables as JSON); nullopt without arguments.
std::optional<std::string> text_arg(const std::vector<DeviceValue>& args);

/// The text of a string member of the `mqtt` table, or nullopt.
std::optional<std::string> string_member(const nlohmann::json& table, const char* key);

/// The problems of keys in `table` outside `known` ("unknown key 'x' in the mqtt table").
std::vector<std::string> unknown_keys(const nlohmann::json& table,
                                      std::initializer_list<std::string_view> known,
                                      std::string_view where);

/// Empty when `topic` can be published to (not empty, no wildcard, no NUL), else why not.
std::optional<std::string> check_publish_topic(std::string_view topic);

}  // namespace er::mqtt

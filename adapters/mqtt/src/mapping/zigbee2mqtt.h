#pragma once
// A Zigbee2MQTT device: {zigbee2mqtt = "<friendly name>", property = "<key>"?}.
//
//   <base>/<name>               state JSON: every key a property; `value` from the
//                               key that fits the type; `action` an event
//   <base>/<name>/availability  "online"/"offline" or {"state":"online"}
//   <base>/bridge/state         the bridge; offline makes every device unavailable
//   <base>/<name>/set           commands as JSON ({"state":"ON"}, {"brightness":127})

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mapping.h"

namespace er::mqtt {

/// "online"/"offline" or {"state":"online"|"offline"}: Zigbee2MQTT's availability forms.
std::optional<bool> zigbee2mqtt_online(std::string_view payload);

class Zigbee2mqttDevice final : public DeviceMapping {
 public:
  /// The mapping of `spec`, or nullptr with the reasons added to `*problems`.
  static std::unique_ptr<Zigbee2mqttDevice> create(const DeviceSpec& spec,
                                                   const RouterOptions& options,
                                                   std::vector<std::string>* problems);

  [[nodiscard]] const std::string& friendly_name() const { return friendly_; }
  [[nodiscard]] std::vector<std::string> topics() const override;
  void on_message(std::string_view topic, std::string_view payload, MessageResult& out) override;

 private:
  // Private in a final class: DeviceMapping::perform() is the way in.
  Commands command(std::string_view action, const std::vector<DeviceValue>& args,
                   std::string* error) override;
  Zigbee2mqttDevice(DeviceSpec spec, const std::string& base, std::string friendly,
                    std::string property);

  void read_state(std::string_view payload, MessageResult& out);
  void read_availability(std::string_view payload, MessageResult& out);
  void read_bridge_state(std::string_view payload, MessageResult& out);
  void report_properties(const Json& state, MessageResult& out);
  [[nodiscard]] std::string_view value_key(const Json& state) const;
  void report_value(const Json& state, MessageResult& out);
  void report_level(const Json& state, MessageResult& out);
  void report_thermostat(const Json& state, MessageResult& out);
  void report_action(const Json& state, MessageResult& out) const;
  std::optional<DeviceValue> value_of(std::string_view key, const Json& value, MessageResult& out);
  Commands set_value(const std::vector<DeviceValue>& args, std::string* error) const;
  Commands set_level(const std::vector<DeviceValue>& args, std::string* error) const;
  Commands set_with_argument(std::string_view action, const std::vector<DeviceValue>& args,
                             std::string* error) const;
  Commands set_number(std::string_view action, const std::vector<DeviceValue>& args,
                      std::string* error) const;
  [[nodiscard]] Commands set(Json payload) const;
  [[nodiscard]] std::string state_key() const;

  std::string friendly_;
  std::string property_;  ///< The key that gives `value` when the user chose one.
  std::string state_topic_;
  std::string availability_topic_;
  std::string bridge_topic_;
  std::string set_topic_;
  std::optional<bool> own_available_;  ///< The device's own availability, once reported.
  bool bridge_online_ = true;
  std::optional<std::int64_t> level_;  ///< The last brightness, as 0-99.
};

}  // namespace er::mqtt

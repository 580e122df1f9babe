#pragma once
// A Tasmota device: {tasmota = "<topic>", relay = n?, sensor = "<path>"?}.
//
// Topics follow the FullTopic pattern (default "%prefix%/%topic%/"), prefixes cmnd, stat
// and tele:
//   stat/<t>/POWER[n]   ON/OFF            stat/<t>/RESULT  {"POWER":"ON","Dimmer":40}
//   tele/<t>/STATE      {"POWER":"ON"}    tele/<t>/SENSOR  {"ENERGY":{"Power":12.5}}
//   tele/<t>/LWT        Online/Offline    stat/<t>/STATUS10 {"StatusSNS":{...}}
//   cmnd/<t>/POWER[n], cmnd/<t>/Dimmer, cmnd/<t>/Color, cmnd/<t>/STATUS

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "color.h"
#include "mapping.h"

namespace er::mqtt {

class TasmotaDevice final : public DeviceMapping {
 public:
  /// The mapping of `spec`, or nullptr with the reasons added to `*problems`.
  static std::unique_ptr<TasmotaDevice> create(const DeviceSpec& spec, const RouterOptions& options,
                                               std::vector<std::string>* problems);

  [[nodiscard]] std::vector<std::string> topics() const override;
  void on_message(std::string_view topic, std::string_view payload, MessageResult& out) override;
  /// Asks for the current state: an empty POWER command (switches and lights) or
  /// STATUS 10 (sensors).
  [[nodiscard]] std::vector<Publish> on_connect() const override;

 private:
  // Private in a final class: DeviceMapping::perform() is the way in.
  Commands command(std::string_view action, const std::vector<DeviceValue>& args,
                   std::string* error) override;
  TasmotaDevice(DeviceSpec spec, std::string full_topic, std::string topic, std::int64_t relay,
                std::optional<JsonPath> sensor_path);

  [[nodiscard]] std::string topic_for(std::string_view prefix, std::string_view command) const;
  [[nodiscard]] bool is_sensor() const;
  [[nodiscard]] bool is_power_key(std::string_view key) const;
  void read_power(std::string_view payload, MessageResult& out);
  // What one RESULT or STATE message changed.
  struct StateChange {
    bool power = false;
    bool level = false;
  };

  void read_state(std::string_view topic, std::string_view payload, MessageResult& out);
  void read_state_key(std::string_view topic, std::string_view key, const Json& value,
                      StateChange& change, MessageResult& out);
  void read_status(std::string_view payload, MessageResult& out);
  void read_sensors(std::string_view topic, std::string_view payload, MessageResult& out);
  void report_sensors(const Json& sensors, MessageResult& out);
  void report_power_use(const Json& sensors, MessageResult& out);
  void report_sensor_value(const Json& sensors, MessageResult& out);
  static const Json* find_measurement(const Json& sensors);
  static const Json* find_switch_input(const Json& sensors);
  void report_switch_value(MessageResult& out, bool level_changed);
  void read_lwt(std::string_view payload, MessageResult& out);
  Commands set_value(const std::vector<DeviceValue>& args, std::string* error) const;
  Commands set_color(const std::vector<DeviceValue>& args, std::string* error) const;
  [[nodiscard]] Publish publish(std::string_view command, std::string payload) const;

  std::string full_topic_;
  std::string topic_;
  std::int64_t relay_;  ///< 0: the device's only relay (POWER).
  std::string power_;   ///< POWER or POWER<n>.
  std::optional<JsonPath> sensor_path_;
  // The topics every message is compared with, made once.
  struct ReadTopics {
    std::string lwt;
    std::string sensor;
    std::string status;
    std::string result;
    std::string state;
  };
  ReadTopics read_topics_;
  std::optional<bool> on_;             ///< The relay's last state.
  std::optional<std::int64_t> level_;  ///< The last Dimmer, as 0-99.
};

}  // namespace er::mqtt

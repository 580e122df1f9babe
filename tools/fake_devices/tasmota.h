#pragma once
// Fake Tasmota devices, each with its own connection, on Tasmota's topics with the
// FullTopic %prefix%/%topic%/ (docs: tasmota.github.io, "MQTT"):
//
//   tele/<t>/LWT          "Online" retained; the will (and a clean shutdown) "Offline"
//   tele/<t>/INFO1        on connecting: module, version, group topic
//   tele/<t>/STATE        on connecting and every TelePeriod: uptime, POWER, Dimmer, Wifi
//   tele/<t>/SENSOR       (sensor) {"Time":..,"AM2301":{"Temperature":..,"Humidity":..,
//                         "DewPoint":..},"TempUnit":"C"}, with STATE and on demand
//   cmnd/<t>/POWER        ON|OFF|TOGGLE|1|0|2|empty (a query) -> stat/<t>/RESULT
//                         {"POWER":"ON"} and stat/<t>/POWER ON
//   cmnd/<t>/Dimmer       (dimmer) 0..100|+|-|empty -> stat/<t>/RESULT
//                         {"POWER":..,"Dimmer":n}
//   cmnd/<t>/Status       empty, 8/10 (StatusSNS), 11 (StatusSTS) -> stat/<t>/STATUS..
//   cmnd/<t>/TelePeriod   empty|n -> RESULT {"TelePeriod":n}; a new period reports now
//   cmnd/<t>/State        -> RESULT with the STATE telemetry
//   cmnd/tasmotas/...     the group topic: every device runs the command
//
// Commands are case-insensitive; others answer RESULT {"Command":"Unknown"}.

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "family.h"

namespace er::fake_devices {

using OrderedJson = nlohmann::ordered_json;

enum class TasmotaKind { plug, dimmer, sensor };

inline constexpr const char* kTasmotaKindNames = "plug, dimmer, sensor";

std::optional<TasmotaKind> tasmota_kind_named(std::string_view name);

struct TasmotaOptions {
  std::string full_topic = "%prefix%/%topic%/";
  int tele_period_s = 300;  ///< Tasmota's TelePeriod default.
};

class Tasmota final : public Family {
 public:
  Tasmota(const BrokerAddress& broker, TasmotaOptions options,
          const std::vector<std::pair<std::string, TasmotaKind>>& devices);

  [[nodiscard]] const char* name() const override { return "tasmota"; }
  std::vector<Connection*> connections() override;
  [[nodiscard]] bool has(const std::string& device) const override;
  std::string change(const std::string& device, const nlohmann::json& values) override;
  std::string set_online(const std::string& device, bool online) override;
  void tick(Clock::time_point now) override;
  void shut_down() override;

 private:
  struct Device {
    std::string topic;
    std::string client_id;  ///< DVES_ and six hex digits, as Tasmota names itself.
    TasmotaKind kind;
    bool power = false;
    int dimmer = 100;
    double temperature = 21.5;
    double humidity = 45.0;
    int tele_period_s = 300;
    int connections = 0;  ///< Tasmota's MqttCount.
    Clock::time_point next_telemetry;
    std::unique_ptr<Connection> connection;
  };

  void on_connected(Device& device);
  void on_message(Device& device, const std::string& topic, const std::string& payload);
  void run_command(Device& device, const std::string& command, const std::string& payload);
  void power_command(Device& device, const std::string& payload);
  void dimmer_command(Device& device, const std::string& payload);
  void status_command(Device& device, const std::string& payload);
  void tele_period_command(Device& device, const std::string& payload);
  /// Switches the relay and reports it as Tasmota does: RESULT, then (for POWER
  /// commands and changes of the relay) stat/<t>/POWER.
  void set_power(Device& device, bool on, const OrderedJson& result, bool report_power);
  void publish_result(Device& device, const OrderedJson& result);
  void publish_telemetry(Device& device);
  [[nodiscard]] OrderedJson state_of(const Device& device) const;
  [[nodiscard]] OrderedJson sensor_of(const Device& device) const;
  /// The topic of `device` under `prefix` (cmnd, stat, tele) for `command`.
  [[nodiscard]] std::string topic_of(const char* prefix, const std::string& device_topic,
                                     const std::string& command) const;
  Device* find(const std::string& topic);

  TasmotaOptions options_;
  Clock::time_point started_ = Clock::now();
  std::vector<std::unique_ptr<Device>> devices_;  ///< Pointers stay valid for the handlers.
  std::mutex mutex_;                              ///< Guards the devices' states.
};

}  // namespace er::fake_devices

#pragma once
// A fake Zigbee2MQTT bridge with its devices, on Zigbee2MQTT's topics under the base
// topic (docs: zigbee2mqtt.io, "MQTT Topics and Messages"):
//
//   <base>/bridge/state           {"state":"online"} retained; the will says "offline"
//   <base>/bridge/info, /devices, /groups   retained; /devices in Zigbee2MQTT's format
//   <base>/<name>                 the device's whole state as JSON (retained unless
//                                 --z2m-no-retain; a button's action never is)
//   <base>/<name>/availability    {"state":"online"|"offline"} retained
//   <base>/<name>/set             {"state":"ON"|"OFF"|"TOGGLE"}, {"brightness":n},
//                                 {"color_temp":n}, {"position":n}: the new whole
//                                 state follows on <base>/<name>
//   <base>/<name>/set/<key>       the same with a bare value
//   <base>/<name>/get             publishes the state again
//   <base>/bridge/logging         {"level":"error","message":...} for what fails
//
// Friendly names may hold '/' (hall/lamp), as in Zigbee2MQTT.

#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "family.h"
#include "z2m_models.h"

namespace er::fake_devices {

struct Z2mOptions {
  std::string base = "zigbee2mqtt";
  /// Zigbee2MQTT retains device states only with a device's `retain: true`; the fake
  /// does by default, --z2m-no-retain plays Zigbee2MQTT's own default.
  bool retain_state = true;
};

class Zigbee2Mqtt final : public Family {
 public:
  Zigbee2Mqtt(const BrokerAddress& broker, Z2mOptions options,
              const std::vector<std::pair<std::string, Z2mKind>>& devices);

  [[nodiscard]] const char* name() const override { return "z2m"; }
  std::vector<Connection*> connections() override { return {&bridge_}; }
  [[nodiscard]] bool has(const std::string& device) const override;
  std::string change(const std::string& device, const nlohmann::json& values) override;
  std::string set_online(const std::string& device, bool online) override;
  void shut_down() override;

 private:
  struct Device {
    Z2mKind kind;
    OrderedJson state;
    bool online = true;
  };

  void on_connected();
  void on_message(const std::string& topic, const std::string& payload);
  /// The device a command topic is for, and the rest of the topic ("set", "get/state").
  Device* device_of(const std::string& topic, std::string& name, std::string& rest);
  void handle_set(const std::string& name, Device& device, const OrderedJson& command);
  void publish_bridge();
  /// Publishes the state, with `event` (an action) merged in: an event is never retained.
  void publish_state(const std::string& name, const Device& device,
                     const OrderedJson& event = OrderedJson());
  void publish_availability(const std::string& name, const Device& device);
  void log_error(const std::string& message);
  [[nodiscard]] std::string topic_of(const std::string& name) const;

  Z2mOptions options_;
  std::vector<std::string> names_;  ///< In command-line order, for bridge/devices.
  std::map<std::string, Device> devices_;
  std::mutex mutex_;  ///< Guards devices_.
  Connection bridge_;
};

}  // namespace er::fake_devices

#pragma once
// Fake devices that announce themselves by Home Assistant MQTT discovery (docs:
// home-assistant.io, "MQTT Discovery"), each with its own connection, as an ESPHome
// node has. Every config uses the abbreviated keys and the `~` base topic
// `fake-devices/<object id>`:
//
//   <prefix>/<light|switch|sensor>/<object id>/config   retained discovery config
//   ~/status              "online" retained; the will (and a clean shutdown) "offline"
//   ~/state               light and switch: ON|OFF; sensor: JSON readings
//                         ({"temperature":21.5,"humidity":48}) read by a value template
//   ~/set                 light and switch commands ON|OFF -> the new ~/state
//   ~/brightness          light: 0..255 (bri_scl 255), with ~/brightness/set commands
//   <prefix>/status       "online" from a restarted Home Assistant: configs again
//
// States are retained, as ESPHome retains them by default.

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

enum class HaKind { light, switch_, sensor };

struct HaOptions {
  std::string prefix = "homeassistant";  ///< The discovery prefix.
};

class HomeAssistant final : public Family {
 public:
  HomeAssistant(const BrokerAddress& broker, HaOptions options,
                const std::vector<std::pair<std::string, HaKind>>& entities);

  [[nodiscard]] const char* name() const override { return "ha"; }
  std::vector<Connection*> connections() override;
  [[nodiscard]] bool has(const std::string& object_id) const override;
  std::string change(const std::string& object_id, const nlohmann::json& values) override;
  std::string set_online(const std::string& object_id, bool online) override;
  void shut_down() override;

 private:
  struct Entity {
    std::string object_id;
    HaKind kind = HaKind::switch_;
    bool on = false;
    int brightness = 255;
    OrderedJson readings;  ///< A sensor's state.
    std::unique_ptr<Connection> connection;
  };

  void on_connected(Entity& entity);
  void on_message(Entity& entity, const std::string& topic, const std::string& payload);
  void set_on(Entity& entity, const std::string& payload);
  void set_brightness(Entity& entity, int brightness);
  void publish_config(Entity& entity);
  void publish_state(Entity& entity);
  [[nodiscard]] OrderedJson config_of(const Entity& entity) const;
  Entity* find(const std::string& object_id);

  HaOptions options_;
  std::vector<std::unique_ptr<Entity>> entities_;  ///< Pointers stay valid for the handlers.
  std::mutex mutex_;                               ///< Guards the entities' states.
};

}  // namespace er::fake_devices

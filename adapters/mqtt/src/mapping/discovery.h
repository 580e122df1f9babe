#pragma once
// Discovery: devices defined from what Zigbee2MQTT and Home Assistant discovery
// announce, for the devices the home did not define itself.
//
// Names come from the announced name ("Living Room Lamp" -> living_room_lamp), ids are
// stable across restarts ("z2m:<friendly name>", "ha:<unique_id or object id>"), and a
// device the home defined (same mapping or same name) is never discovered again.

#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "ha_config.h"
#include "registry.h"

namespace er::mqtt {

/// The device type that a Zigbee2MQTT definition's `exposes` suggest, or nullopt
/// when none fits.
std::optional<std::string> zigbee2mqtt_type(const Json& exposes);

/// Reads Zigbee2MQTT's retained device list (<base>/bridge/devices).
class Zigbee2mqttDiscovery {
 public:
  /// Defines the devices of the list not seen before.
  void on_devices(std::string_view topic, std::string_view payload, const RouterOptions& options,
                  DeviceRegistry& registry, MessageResult& out);

 private:
  void discover(const Json& device, const RouterOptions& options, DeviceRegistry& registry,
                MessageResult& out);

  std::set<std::string> seen_;  ///< Friendly names already considered.
};

/// Reads one Home Assistant discovery config: binds it to the device it belongs to,
/// or (with `discover`) defines a device for it. An empty payload removes the entity.
void on_ha_config(const HaTopic& topic, std::string_view payload, bool discover,
                  DeviceRegistry& registry, MessageResult& out);

}  // namespace er::mqtt

#pragma once
// A family of fake devices (Zigbee2MQTT, Tasmota, Home Assistant discovery): the
// protocol of one kind of real installation. The runner drives each family through
// this interface; the family answers the MQTT commands on its connections by itself.
//
// Thread safety: the network threads (MQTT commands) and the command thread (script
// commands, ticks, shutdown) call a family at once; each family guards its state with
// its own mutex.

#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "connection.h"

namespace er::fake_devices {

class Family {
 public:
  virtual ~Family() = default;

  /// Its name in commands: "z2m", "tasmota" or "ha".
  [[nodiscard]] virtual const char* name() const = 0;
  /// Every connection of the family's devices.
  virtual std::vector<Connection*> connections() = 0;
  /// Whether `device` (a friendly name, a topic, an object id) is one of this family's.
  [[nodiscard]] virtual bool has(const std::string& device) const = 0;

  /// A change the device makes by itself (a reading, a button pressed by hand):
  /// `values`, a JSON object, merges into its state and the device publishes what the
  /// real one would. Returns the problem, empty when done.
  virtual std::string change(const std::string& device, const nlohmann::json& values) = 0;
  /// The device goes away (`online` false) or comes back; an empty `device` names the
  /// family's bridge where it has one. Returns the problem, empty when done.
  virtual std::string set_online(const std::string& device, bool online) = 0;
  /// Called by the runner at least once a second: periodic telemetry.
  virtual void tick(Clock::time_point /*now*/) {}
  /// Publishes what the real devices publish when they shut down cleanly.
  virtual void shut_down() = 0;
};

/// A short stable hexadecimal tag for `text` (ids, addresses): FNV-1a, `digits` long.
inline std::string hex_tag(const std::string& text, int digits) {
  std::uint64_t hash = 1469598103934665603ULL;
  for (const char c : text) {
    hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  }
  static const char* const kHex = "0123456789abcdef";
  std::string tag;
  for (int digit = 0; digit < digits; ++digit) tag += kHex[(hash >> (4 * digit)) & 0xF];
  return tag;
}

}  // namespace er::fake_devices

#pragma once
// `eventrunner mqtt scan BROKER`: what a broker's retained topics say about the devices
// behind it (Zigbee2MQTT bridges, Tasmota devices, Home Assistant discovery entities),
// turned into a `devices = {...}` block for home.lua.

#include <string>
#include <vector>

#include "adapters/mqtt/router.h"

namespace er::mqtt {

struct ScannedMessage {
  std::string topic;
  std::string payload;
};

struct ScanReport {
  std::string zigbee2mqtt_base;       ///< Empty when no bridge was seen.
  std::string homeassistant_prefix;   ///< Empty when no discovery config was seen.
  std::vector<DeviceSpec> zigbee2mqtt;
  std::vector<DeviceSpec> tasmota;
  std::vector<DeviceSpec> homeassistant;
  std::vector<ScannedMessage> other;  ///< Retained topics that belong to no device found.
};

/// Sorts what a scan received into devices and other topics.
ScanReport analyse_scan(const std::vector<ScannedMessage>& messages);

/// The report as Lua to paste into home.lua: an `mqtt = {...}` line, a `devices = {...}`
/// block (numeric ids from 1), and the other retained topics as comments.
std::string format_scan(const ScanReport& report, const std::string& broker);

}  // namespace er::mqtt

#pragma once
// fake-devices' command line (the usage text in options.cpp is its reference).

#include <string>
#include <utility>
#include <vector>

#include "connection.h"
#include "homeassistant.h"
#include "tasmota.h"
#include "zigbee2mqtt.h"

namespace er::fake_devices {

struct Options {
  BrokerAddress broker;
  int connect_timeout_s = 10;
  Z2mOptions z2m;
  std::vector<std::pair<std::string, Z2mKind>> z2m_devices;
  TasmotaOptions tasmota;
  std::vector<std::pair<std::string, TasmotaKind>> tasmota_devices;
  HaOptions ha;
  std::vector<std::pair<std::string, HaKind>> ha_entities;
  std::string script;  ///< Commands from this file; empty: from stdin.
  bool help = false;
};

/// The usage text, for --help and after a mistake.
const char* usage();

/// Reads the command line; the password comes from --password-file or $MQTT_PASSWORD,
/// never from an argument. Returns the problem, empty when the options are complete.
std::string parse_options(int argc, char** argv, Options& options);

}  // namespace er::fake_devices

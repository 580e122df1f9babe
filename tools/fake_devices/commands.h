#pragma once
// The command lines of a --script file or of stdin, one per line:
//
//   set FAMILY NAME KEY=VALUE...   the device changes by itself (a reading, a button
//                                  pressed by hand); VALUE is JSON when it parses as
//                                  JSON (true, 12.5, "x", {...}), else a string
//   sensor NAME JSON               new readings of the device NAME, in whichever family
//   pub TOPIC PAYLOAD [retain]     a raw publish (the payload may hold spaces)
//   offline FAMILY [NAME]          the device (no NAME: the Zigbee2MQTT bridge) goes away
//   online FAMILY [NAME]           ... and comes back
//   wait MS                        pauses the commands (telemetry goes on)
//   exit                           ends fake-devices as SIGTERM does
//
// FAMILY is z2m (or zigbee2mqtt), tasmota, or ha (or homeassistant). Blank lines and
// lines starting with '#' are skipped.

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace er::fake_devices {

enum class Verb { set, sensor, pub, offline, online, wait, exit };

struct Command {
  Verb verb = Verb::exit;
  std::string family;     ///< "z2m", "tasmota" or "ha" (set, offline, online).
  std::string device;     ///< NAME (set, sensor, offline, online); may be empty for offline/online.
  nlohmann::json values;  ///< A JSON object (set, sensor).
  std::string topic;      ///< pub
  std::string payload;    ///< pub
  bool retain = false;    ///< pub
  long wait_ms = 0;       ///< wait
};

/// The command on `line`; nullopt with `problem` empty for a blank line or a comment,
/// nullopt with `problem` set for a line that is not a command.
std::optional<Command> parse_command(std::string_view line, std::string& problem);

}  // namespace er::fake_devices

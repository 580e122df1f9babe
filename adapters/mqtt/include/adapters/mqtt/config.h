#pragma once
// The `mqtt = {...}` table of home.lua (docs/mqtt.md) as the client uses it: where the
// broker is, who the engine is to it, and what the engine publishes of itself.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/mqtt/router.h"

namespace er::mqtt {

struct MqttConfig {
  std::string host = "127.0.0.1";
  int port = 1883;
  bool tls = false;           ///< mqtts://
  std::string ca_file;        ///< TLS: the CA certificate (PEM); empty: the system's CAs.
  std::string cert_file;      ///< TLS client certificate (PEM), with key_file.
  std::string key_file;
  std::string username;
  std::string password;       ///< Never logged.
  std::string client_id;      ///< Default "eventrunner-<base_topic>-<controller>".
  int keepalive = 60;         ///< Seconds.
  int version = 4;            ///< MQTT protocol level: 4 (3.1.1) or 5.
  std::string base_topic = "eventrunner";
  /// The engine's name among controllers (home.lua `controller`, set by the host; the
  /// home folder's name by default). What it shares lives under `<base>/<controller>/`;
  /// empty (a bridge made without a home) keeps the status at `<base>/status`.
  std::string controller;
  /// The status (and its last will) is `<base>/<controller>/status` instead of
  /// `<base>/status`: set by the host when home.lua names its `controller`, so a
  /// single engine keeps the `<base>/status` of docs/mqtt.md and engines that share a
  /// broker each have their own.
  bool status_per_controller = false;
  /// A persistent session (clean session off): QoS 1 messages for the engine's
  /// subscriptions wait at the broker while the connection is down. The session left by
  /// an earlier process is cleared once at start, so a restart replays nothing.
  bool persistent_session = true;
  /// Filters whose retained messages at start the host reads before it defines the
  /// rules (`held` of the transport): the shared devices of other controllers. Set by
  /// the host from home.lua's `remote`.
  std::vector<std::string> hold;
  RouterOptions router;
  bool publish_globals = false;
  bool publish_rules = false;
  bool publish_homeassistant = false;
};

/// The configuration, or the problems that keep it from being one (each names the key).
struct ConfigResult {
  MqttConfig config;
  std::vector<std::string> problems;
};

/// Reads home.lua's `mqtt` table. Relative file names (password_file, ca_file, ...) are
/// read from `home_dir`. The password comes from `password`, `password_file` (its first
/// line) or the environment variable named by `password_env`.
ConfigResult parse_config(const nlohmann::json& mqtt, const std::string& home_dir);

}  // namespace er::mqtt

#pragma once
// The MQTT device mapping: which topics a home's devices live on, what an incoming
// message means for them, and which messages an action on them publishes. Pure
// translation (no network, no engine, no threads): the client (adapters/mqtt/client.h) feeds it
// messages and actions and carries out what it returns. docs/mqtt-mappings.md is the
// user's description of every mapping.
//
// Four mappings, chosen by the key of a device's `mqtt` table (home.lua):
//   {zigbee2mqtt = "<friendly name>", property = "<key>"?}
//   {tasmota = "<topic>", relay = n?}
//   {homeassistant = "<unique_id or object_id>"}
//   {state = {topic, json?, map?, number?, property?} | {...list...},
//    command = {topic, <action> = payload-or-template, retain?, qos?}}
//
// Not thread-safe: the client serialises calls.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "rules/device_backend.h"

namespace er::mqtt {

/// One message to publish.
struct Publish {
  std::string topic;
  std::string payload;
  int qos = 1;
  bool retain = false;
  friend bool operator==(const Publish&, const Publish&) = default;
};

/// A property of a device as a message set it. `event_only` for emissions that keep no
/// value (a button's `action`). A report of property "available" is the device's
/// availability (true/false).
struct Report {
  DeviceId device;
  std::string property;
  DeviceValue value;
  bool event_only = false;
  friend bool operator==(const Report&, const Report&) = default;
};

/// A device of the home with an MQTT mapping: its `mqtt` table as JSON.
struct DeviceSpec {
  DeviceId id;
  std::string name;
  std::string type;        ///< A standard type (binarySwitch, multilevelSensor, ...).
  nlohmann::json mqtt;     ///< The device's `mqtt` table.
};

/// A device found by discovery, for the engine to define. Its `spec.mqtt` is the
/// mapping the router already uses for it.
struct DiscoveredDevice {
  DeviceSpec spec;
};

/// What one incoming message means.
struct MessageResult {
  std::vector<Report> reports;              ///< In the order they should apply.
  /// New devices (discovery), to be defined before `reports` apply (reports may name them).
  std::vector<DiscoveredDevice> discovered;
  std::vector<std::string> subscribe;       ///< Topic filters to subscribe to from now on.
  std::vector<Publish> publish;             ///< E.g. a Tasmota state query for a new device.
  /// Why the payload could not be used (bad JSON, a wrong type, too large, a template
  /// outside the supported subset); reports may still hold what could be used.
  std::optional<std::string> problem;
};

struct RouterOptions {
  std::string zigbee2mqtt_base = "zigbee2mqtt";  ///< Zigbee2MQTT's base topic.
  std::string homeassistant_prefix = "homeassistant";  ///< HA discovery prefix.
  std::string tasmota_full_topic = "%prefix%/%topic%/";  ///< Tasmota's FullTopic.
  bool discover_zigbee2mqtt = false;  ///< Define the devices of `<base>/bridge/devices`.
  bool discover_homeassistant = false;  ///< Define the entities found by HA discovery.
  std::size_t max_payload = 256 * 1024;  ///< Larger payloads are a problem, not parsed.
  /// The limit for Zigbee2MQTT's retained device list (<base>/bridge/devices), which
  /// holds every device's definition and outgrows max_payload on large networks.
  std::size_t max_device_list_payload = 16 * 1024 * 1024;
};

class Router {
 public:
  explicit Router(RouterOptions options);
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  /// Adds a device of the home. Returns the problems of its mapping (unknown mapping
  /// key, missing topic, a type the mapping cannot drive); the device is left out when
  /// there is any. A device added here wins over a discovered one with the same name.
  std::vector<std::string> add_device(const DeviceSpec& device);

  /// Every topic filter the mapping needs now (devices, their availability, discovery).
  [[nodiscard]] std::vector<std::string> subscriptions() const;

  /// What a message means. `retained` is the broker's retain flag (it does not change the
  /// reports; the engine applies retained reports without events).
  MessageResult on_message(std::string_view topic, std::string_view payload, bool retained);

  /// The messages that carry out an action on a device this router maps; empty with
  /// `*problem` set when the device is unknown or the action has no MQTT form.
  std::vector<Publish> on_action(const DeviceAction& action, std::string* problem);

  /// Messages to publish after every (re)connect: Tasmota's empty POWER queries.
  [[nodiscard]] std::vector<Publish> on_connect() const;

  /// The devices this router maps (given or discovered), by engine id.
  [[nodiscard]] std::vector<DeviceId> devices() const;

  /// The devices whose mapping has no availability source (no availability topic, no
  /// LWT, no bridge state): the client reports them available while it is connected.
  [[nodiscard]] std::vector<DeviceId> devices_without_availability() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// True when `topic` matches the MQTT topic filter `filter` (`+` one level, `#` the
/// rest, `$`-topics only by filters that name them).
bool topic_matches(std::string_view filter, std::string_view topic);

/// Empty when `filter` is a valid subscription filter, else why not.
std::optional<std::string> check_filter(std::string_view filter);

}  // namespace er::mqtt

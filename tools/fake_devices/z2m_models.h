#pragma once
// The real Zigbee products the fake Zigbee2MQTT devices play, one per kind, and what
// Zigbee2MQTT publishes about them: the entry of `bridge/devices` (definition and
// exposes in Zigbee2MQTT's own format) and the first state.

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace er::fake_devices {

using OrderedJson = nlohmann::ordered_json;

enum class Z2mKind { motion, contact, light, dimmer, plug, button, temperature, cover };

/// The kinds as --z2m takes them, for the usage text.
inline constexpr const char* kZ2mKindNames =
    "motion, contact, light, dimmer, plug, button, temperature, cover";

std::optional<Z2mKind> z2m_kind_named(std::string_view name);

/// Battery devices report `battery`; mains-powered ones are Zigbee routers.
bool z2m_has_battery(Z2mKind kind);

/// The device's entry in `<base>/bridge/devices`.
OrderedJson z2m_device_entry(const std::string& friendly_name, Z2mKind kind);
/// The coordinator's entry, the first of `<base>/bridge/devices`.
OrderedJson z2m_coordinator_entry(const std::string& base);
/// The state a device of this kind has when fake-devices starts.
OrderedJson z2m_initial_state(Z2mKind kind);

}  // namespace er::fake_devices

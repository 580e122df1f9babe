#pragma once
// Text helpers of the mapping: names for discovered devices, case changes, and the
// short printable quotes of topics and names that problem messages carry.

#include <cstddef>
#include <string>
#include <string_view>

namespace er::mqtt {

/// `text` fit for a one-line problem message: control bytes become '?', and text
/// longer than `limit` bytes is cut and ends with "...".
std::string clip(std::string_view text, std::size_t limit = 80);

/// `text` in single quotes, clipped: how problem messages quote topics and names.
std::string in_quotes(std::string_view text);

/// A device name made from a discovered label: lowercase ASCII letters and digits,
/// every run of other bytes one '_', no '_' at either end, "z_" before a leading
/// digit, and "device" when nothing is left ("Living Room/Lamp 1" -> living_room_lamp_1).
std::string device_name_from(std::string_view label);

std::string lowercase(std::string_view text);
std::string uppercase(std::string_view text);

/// "heat" -> "Heat": thermostat modes as the engine's thermostats name them ("Off").
std::string capitalize(std::string_view text);

bool equals_ignoring_case(std::string_view a, std::string_view b);

/// `text` without the spaces, tabs and line ends around it.
std::string_view trim(std::string_view text);

}  // namespace er::mqtt

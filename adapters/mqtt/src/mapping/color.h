#pragma once
// Colors between the engine and MQTT devices. The engine's color property is the list
// {r, g, b, w} (0-255 each) that setColor(r, g, b [, w]) sets; devices report r/g/b
// objects, CIE xy coordinates or hue/saturation, and take r/g/b objects or "r,g,b".

#include <cstdint>
#include <optional>
#include <vector>

#include "json_value.h"

namespace er::mqtt {

struct Rgbw {
  std::int64_t r = 0;
  std::int64_t g = 0;
  std::int64_t b = 0;
  std::int64_t w = 0;
  friend bool operator==(const Rgbw&, const Rgbw&) = default;
};

/// A reported color: {"r","g","b"[,"w"]}, {"x","y"} (at full brightness) or
/// {"hue","saturation"} (degrees, percent); nullopt for anything else.
std::optional<Rgbw> color_from_report(const Json& color);

/// setColor's arguments: r, g, b [, w] as numbers, or one table {r, g, b [, w]} (a list
/// or r/g/b/w keys). Channels are rounded and clamped to 0-255.
std::optional<Rgbw> color_from_args(const std::vector<DeviceValue>& args);

/// The engine's color value: JsonText "[r,g,b,w]".
JsonText color_value(const Rgbw& color);

}  // namespace er::mqtt

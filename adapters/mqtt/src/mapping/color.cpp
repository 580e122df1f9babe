// Color conversions (color.h).

#include "color.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace er::mqtt {

namespace {

std::int64_t channel(double value) {
  return round_clamped(value, 0, 255);
}

// sRGB's transfer function, for a linear channel in [0, 1].
double gamma_encoded(double linear) {
  return linear <= 0.0031308 ? 12.92 * linear : 1.055 * std::pow(linear, 1.0 / 2.4) - 0.055;
}

// CIE 1931 xy at luminance 1 through the sRGB (D65) matrix, scaled so that the
// brightest channel is full: the color's hue and saturation, not its brightness.
std::optional<Rgbw> rgb_from_xy(double x, double y) {
  if (!(y > 0.0) || !(x >= 0.0) || x + y > 1.0) return std::nullopt;
  const double big_x = x / y;
  const double big_z = (1.0 - x - y) / y;
  std::array<double, 3> rgb = {3.2406 * big_x - 1.5372 - 0.4986 * big_z,
                               -0.9689 * big_x + 1.8758 + 0.0415 * big_z,
                               0.0557 * big_x - 0.2040 + 1.0570 * big_z};
  for (double& c : rgb) c = std::max(c, 0.0);
  const double top = std::max({rgb[0], rgb[1], rgb[2]});
  if (!(top > 0.0)) return std::nullopt;
  for (double& c : rgb) c = gamma_encoded(c / top);
  return Rgbw{channel(rgb[0] * 255), channel(rgb[1] * 255), channel(rgb[2] * 255), 0};
}

// Hue in degrees and saturation in percent, at full value.
std::optional<Rgbw> rgb_from_hs(double hue, double saturation) {
  const double h = std::fmod(std::fmod(hue, 360.0) + 360.0, 360.0) / 60.0;
  const double s = std::clamp(saturation / 100.0, 0.0, 1.0);
  const double f = h - std::floor(h);
  const double p = 1.0 - s;
  const double q = 1.0 - s * f;
  const double t = 1.0 - s * (1.0 - f);
  // The six sectors of the hue circle, red at 0 degrees.
  const std::array<std::array<double, 3>, 6> sectors = {
      {{1.0, t, p}, {q, 1.0, p}, {p, 1.0, t}, {p, q, 1.0}, {t, p, 1.0}, {1.0, p, q}}};
  const std::array<double, 3>& rgb = sectors[std::min<std::size_t>(static_cast<std::size_t>(h), 5)];
  return Rgbw{channel(rgb[0] * 255), channel(rgb[1] * 255), channel(rgb[2] * 255), 0};
}

std::optional<double> member_number(const Json& object, const char* key) {
  const auto found = object.find(key);
  if (found == object.end()) return std::nullopt;
  return number_of(*found);
}

// {r, g, b [, w]} as a list or with keys.
std::optional<Rgbw> rgb_from_table(const Json& table) {
  std::array<std::optional<double>, 4> channels{};
  if (table.is_array()) {
    if (table.size() < 3) return std::nullopt;
    for (std::size_t i = 0; i < std::min<std::size_t>(table.size(), 4); ++i)
      channels[i] = number_of(table[i]);
    if (table.size() == 3) channels[3] = 0.0;
  } else if (table.is_object()) {
    channels = {member_number(table, "r"), member_number(table, "g"), member_number(table, "b"),
                member_number(table, "w")};
    if (!channels[3]) channels[3] = 0.0;
  }
  if (!channels[0] || !channels[1] || !channels[2] || !channels[3]) return std::nullopt;
  return Rgbw{channel(*channels[0]), channel(*channels[1]), channel(*channels[2]),
              channel(*channels[3])};
}

}  // namespace

std::optional<Rgbw> color_from_report(const Json& color) {
  if (!color.is_object()) return std::nullopt;
  if (color.contains("r")) return rgb_from_table(color);
  const std::optional<double> x = member_number(color, "x");
  const std::optional<double> y = member_number(color, "y");
  if (x && y) return rgb_from_xy(*x, *y);
  const std::optional<double> hue = member_number(color, "hue");
  const std::optional<double> saturation = member_number(color, "saturation");
  if (hue && saturation) return rgb_from_hs(*hue, *saturation);
  return std::nullopt;
}

std::optional<Rgbw> color_from_args(const std::vector<DeviceValue>& args) {
  if (args.size() == 1) {
    if (const auto* table = std::get_if<JsonText>(&args[0])) return rgb_from_table(to_json(*table));
    return std::nullopt;
  }
  if (args.size() < 3) return std::nullopt;
  Json list = Json::array();
  for (std::size_t i = 0; i < std::min<std::size_t>(args.size(), 4); ++i) {
    const std::optional<double> number = number_of(args[i]);
    if (!number || std::holds_alternative<bool>(args[i])) return std::nullopt;
    list.push_back(*number);
  }
  return rgb_from_table(list);
}

JsonText color_value(const Rgbw& color) {
  return JsonText{dump(Json::array({color.r, color.g, color.b, color.w}))};
}

}  // namespace er::mqtt

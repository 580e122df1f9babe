#include "duration.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <string>

namespace luasys::app {

std::optional<double> parse_non_negative(std::string_view text) {
  if (text.empty()) return std::nullopt;
  double value = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (result.ec != std::errc{} || result.ptr != text.data() + text.size()) return std::nullopt;
  if (!(value >= 0) || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::optional<Millis> parse_duration(std::string_view text) {
  std::string t(text);
  for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  struct Unit {
    std::string_view suffix;
    double ms;
  };
  static constexpr Unit kUnits[] = {
      {"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}, {"d", 86400000}};
  std::string_view number = t;
  double scale = 1000;  // A bare number counts seconds.
  for (const Unit& unit : kUnits) {
    if (number.size() > unit.suffix.size() && number.ends_with(unit.suffix) &&
        std::isdigit(static_cast<unsigned char>(number[number.size() - unit.suffix.size() - 1])) !=
            0) {
      number.remove_suffix(unit.suffix.size());
      scale = unit.ms;
      break;
    }
  }
  const auto value = parse_non_negative(number);
  if (!value || *value * scale > 9.0e15) return std::nullopt;
  return static_cast<Millis>(std::ceil(*value * scale));
}

std::optional<std::size_t> parse_size(std::string_view text) {
  std::string t(text);
  for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string_view number = t;
  if (number.ends_with("b")) number.remove_suffix(1);
  double scale = 1;
  if (number.ends_with("k")) scale = 1024.0;
  if (number.ends_with("m")) scale = 1024.0 * 1024.0;
  if (number.ends_with("g")) scale = 1024.0 * 1024.0 * 1024.0;
  if (scale > 1) number.remove_suffix(1);
  const auto value = parse_non_negative(number);
  if (!value || *value * scale > 1.0e15) return std::nullopt;
  return static_cast<std::size_t>(*value * scale);
}

}  // namespace luasys::app

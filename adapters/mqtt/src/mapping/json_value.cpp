// JSON helpers of the mapping (json_value.h).

#include "json_value.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "common/json_depth.h"
#include "text.h"

namespace er::mqtt {

namespace {

// The quoted key of a bracket step ['key'] or ["key"], starting at the quote.
std::optional<std::string> quoted_key(std::string_view text, std::size_t& pos) {
  const char quote = text[pos];
  const std::size_t end = text.find(quote, pos + 1);
  if (end == std::string_view::npos || end + 1 >= text.size() || text[end + 1] != ']') {
    return std::nullopt;
  }
  std::string key(text.substr(pos + 1, end - pos - 1));
  pos = end + 2;
  return key;
}

// A bracket step starting after '[': an index or a quoted key.
std::optional<PathStep> bracket_step(std::string_view text, std::size_t& pos) {
  if (pos >= text.size()) return std::nullopt;
  if (text[pos] == '\'' || text[pos] == '"') return quoted_key(text, pos);
  std::size_t index = 0;
  const auto [end, error] = std::from_chars(text.data() + pos, text.data() + text.size(), index);
  const auto next = static_cast<std::size_t>(end - text.data());
  if (error != std::errc() || next >= text.size() || text[next] != ']') return std::nullopt;
  pos = next + 1;
  return index;
}

// A dotted key: everything up to the next '.' or '['.
std::optional<PathStep> dotted_step(std::string_view text, std::size_t& pos) {
  const std::size_t end = std::min(text.find('.', pos), text.find('[', pos));
  const std::size_t stop = end == std::string_view::npos ? text.size() : end;
  if (stop == pos) return std::nullopt;
  std::string key(text.substr(pos, stop - pos));
  pos = stop;
  return key;
}

std::string integer_text(double value) {
  return std::to_string(static_cast<std::int64_t>(value));
}

}  // namespace

std::optional<Json> parse_json(std::string_view text, std::string* error) {
  if (common::json_nests_deeper_than(text, kMaxJsonDepth)) {
    *error = "it nests deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    return std::nullopt;
  }
  Json parsed = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    *error = "it is not valid JSON";
    return std::nullopt;
  }
  return parsed;
}

std::optional<JsonPath> parse_path(std::string_view text) {
  JsonPath path;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::optional<PathStep> step;
    if (text[pos] == '[') {
      step = bracket_step(text, ++pos);
    } else {
      if (text[pos] == '.') ++pos;  // A separator, or the leading dot of ".a".
      step = dotted_step(text, pos);
    }
    if (!step) return std::nullopt;
    path.push_back(std::move(*step));
  }
  if (path.empty()) return std::nullopt;
  return path;
}

const Json* member(const Json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  const auto found = object.find(key);
  return found == object.end() ? nullptr : &*found;
}

const Json* find_path(const Json& document, const JsonPath& path) {
  const Json* at = &document;
  for (const PathStep& step : path) {
    if (const auto* key = std::get_if<std::string>(&step)) {
      if (!at->is_object()) return nullptr;
      const auto found = at->find(*key);
      if (found == at->end()) return nullptr;
      at = &*found;
    } else {
      const std::size_t index = std::get<std::size_t>(step);
      if (!at->is_array() || index >= at->size()) return nullptr;
      at = &(*at)[index];
    }
  }
  return at;
}

DeviceValue to_device_value(const Json& value) {
  switch (value.type()) {
    case Json::value_t::boolean:
      return value.get<bool>();
    case Json::value_t::number_integer:
      return value.get<std::int64_t>();
    case Json::value_t::number_unsigned: {
      const auto unsigned_value = value.get<std::uint64_t>();
      if (unsigned_value <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        return static_cast<std::int64_t>(unsigned_value);
      }
      return static_cast<double>(unsigned_value);
    }
    case Json::value_t::number_float:
      return value.get<double>();
    case Json::value_t::string:
      return value.get<std::string>();
    case Json::value_t::object:
    case Json::value_t::array:
      return JsonText{dump(value)};
    default:
      return std::monostate{};
  }
}

Json to_json(const DeviceValue& value) {
  return std::visit(
      [](const auto& v) -> Json {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return nullptr;
        } else if constexpr (std::is_same_v<T, JsonText>) {
          std::string ignored;
          std::optional<Json> parsed = parse_json(v.text, &ignored);
          return parsed ? std::move(*parsed) : Json(v.text);
        } else {
          return Json(v);
        }
      },
      value);
}

DeviceValue payload_value(std::string_view payload) {
  if (payload == "true") return true;
  if (payload == "false") return false;
  // Only text that is exactly a JSON number is taken as one ("1e3", not " 12" or "0x1F").
  if (!payload.empty() &&
      (payload.front() == '-' || (payload.front() >= '0' && payload.front() <= '9'))) {
    std::string ignored;
    std::optional<Json> parsed = parse_json(payload, &ignored);
    if (parsed && parsed->is_number()) return to_device_value(*parsed);
  }
  return std::string(payload);
}

std::string payload_text(const DeviceValue& value) {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return "";
        } else if constexpr (std::is_same_v<T, bool>) {
          return v ? "true" : "false";
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          return std::to_string(v);
        } else if constexpr (std::is_same_v<T, double>) {
          return payload_text(Json(v));
        } else if constexpr (std::is_same_v<T, std::string>) {
          return v;
        } else {
          return v.text;
        }
      },
      value);
}

std::string payload_text(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_float()) {
    const double number = value.get<double>();
    if (std::isfinite(number) && std::trunc(number) == number && std::fabs(number) < 1e15) {
      return integer_text(number);
    }
  }
  return dump(value);
}

std::string dump(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::optional<double> parse_number(std::string_view text) {
  text = trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  double number = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(number)) {
    return std::nullopt;
  }
  return number;
}

std::optional<double> number_of(const Json& value) {
  if (value.is_number()) return value.get<double>();
  if (value.is_string()) return parse_number(value.get_ref<const std::string&>());
  return std::nullopt;
}

std::optional<double> number_of(const DeviceValue& value) {
  if (const auto* integer = std::get_if<std::int64_t>(&value)) return static_cast<double>(*integer);
  if (const auto* real = std::get_if<double>(&value)) {
    return std::isfinite(*real) ? std::optional<double>(*real) : std::nullopt;
  }
  if (const auto* flag = std::get_if<bool>(&value)) return *flag ? 1.0 : 0.0;
  if (const auto* text = std::get_if<std::string>(&value)) return parse_number(*text);
  return std::nullopt;
}

std::int64_t round_clamped(double value, std::int64_t low, std::int64_t high) {
  if (std::isnan(value)) return low;
  const double rounded = std::round(value);
  if (rounded <= static_cast<double>(low)) return low;
  if (rounded >= static_cast<double>(high)) return high;
  return static_cast<std::int64_t>(rounded);
}

DeviceValue number_value(double value) {
  if (std::isfinite(value) && std::trunc(value) == value && std::fabs(value) < 9e15) {
    return static_cast<std::int64_t>(value);
  }
  return value;
}

}  // namespace er::mqtt

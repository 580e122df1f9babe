// The template subset (templates.h).

#include "templates.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "text.h"

namespace er::mqtt {

namespace {

constexpr std::string_view kValueJson = "value_json";
constexpr std::string_view kValue = "value";

// Where the path after value_json ends: at the first blank or '|' outside brackets.
std::size_t path_end(std::string_view text) {
  char quote = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == ' ' || c == '\t' || c == '|') {
      return i;
    }
  }
  return text.size();
}

// "(n)" after round: the number of digits, 0 to 15.
std::optional<int> round_digits(std::string_view& text) {
  text = trim(text);
  if (text.empty() || text.front() != '(') return 0;
  const std::size_t close = text.find(')');
  if (close == std::string_view::npos) return std::nullopt;
  const std::string_view inside = trim(text.substr(1, close - 1));
  int digits = 0;
  const auto [end, error] = std::from_chars(inside.data(), inside.data() + inside.size(), digits);
  if (error != std::errc() || end != inside.data() + inside.size() || digits < 0 || digits > 15) {
    return std::nullopt;
  }
  text.remove_prefix(close + 1);
  return digits;
}

double rounded(double number, int digits) {
  const double scale = std::pow(10.0, digits);
  const double result = std::round(number * scale) / scale;
  return std::isfinite(result) ? result : number;
}

std::int64_t truncated(double number) {
  constexpr double kLimit = 9.2e18;  // Inside the int64 range.
  return static_cast<std::int64_t>(std::trunc(std::clamp(number, -kLimit, kLimit)));
}

}  // namespace

ValueTemplate::ValueTemplate(std::string text) : text_(std::move(text)) {
  if (!text_.empty()) supported_ = parse(trim(text_));
}

bool ValueTemplate::parse(std::string_view body) {
  if (body.size() < 4 || body.substr(0, 2) != "{{" || body.substr(body.size() - 2) != "}}") {
    return false;
  }
  std::string_view inner = body.substr(2, body.size() - 4);
  if (inner.find("{{") != std::string_view::npos || inner.find("}}") != std::string_view::npos ||
      inner.find("{%") != std::string_view::npos) {
    return false;
  }
  inner = trim(inner);
  if (inner.substr(0, kValueJson.size()) == kValueJson) {
    inner.remove_prefix(kValueJson.size());
    from_json_ = true;
    const std::size_t end = path_end(inner);
    const std::string_view path_text = inner.substr(0, end);
    if (!path_text.empty()) {
      if (path_text.front() != '.' && path_text.front() != '[') return false;
      std::optional<JsonPath> path = parse_path(path_text);
      if (!path) return false;
      path_ = std::move(*path);
    }
    return parse_filters(inner.substr(end));
  }
  if (inner.substr(0, kValue.size()) != kValue) return false;
  inner.remove_prefix(kValue.size());
  if (!inner.empty() && inner.front() != ' ' && inner.front() != '\t' && inner.front() != '|') {
    return false;  // value2, values, ...
  }
  return parse_filters(inner);
}

bool ValueTemplate::parse_filters(std::string_view text) {
  text = trim(text);
  while (!text.empty()) {
    if (text.front() != '|') return false;
    text = trim(text.substr(1));
    std::size_t name_end = 0;
    while (name_end < text.size() && ((text[name_end] >= 'a' && text[name_end] <= 'z'))) ++name_end;
    const std::string_view name = text.substr(0, name_end);
    text.remove_prefix(name_end);
    std::optional<FilterStep> step = parse_filter(name, text);
    if (!step) return false;
    filters_.push_back(*step);
    text = trim(text);
  }
  return true;
}

// One filter by name; `text` is what follows the name (round's "(n)" is taken from it).
std::optional<ValueTemplate::FilterStep> ValueTemplate::parse_filter(std::string_view name,
                                                                     std::string_view& text) {
  if (name == "float") return FilterStep{Filter::to_float};
  if (name == "int") return FilterStep{Filter::to_int};
  if (name == "lower") return FilterStep{Filter::lower};
  if (name == "upper") return FilterStep{Filter::upper};
  if (name != "round") return std::nullopt;
  const std::optional<int> digits = round_digits(text);
  if (!digits) return std::nullopt;
  return FilterStep{Filter::round, *digits};
}

std::optional<Json> ValueTemplate::apply(std::string_view payload, std::string* problem) const {
  if (text_.empty() || !supported_) return Json(std::string(payload));
  if (!from_json_) return filtered(Json(std::string(payload)), problem);
  std::string error;
  std::optional<Json> document = parse_json(payload, &error);
  if (!document) {
    *problem = "the payload is not JSON for the template (" + error + ")";
    return Json(std::string(payload));
  }
  const Json* found = find_path(*document, path_);
  if (found == nullptr) return std::nullopt;
  return filtered(*found, problem);
}

std::optional<Json> ValueTemplate::filtered(Json value, std::string* problem) const {
  for (const FilterStep& step : filters_) {
    if (step.filter == Filter::lower) {
      value = lowercase(payload_text(value));
      continue;
    }
    if (step.filter == Filter::upper) {
      value = uppercase(payload_text(value));
      continue;
    }
    const std::optional<double> number = number_of(value);
    if (!number) {
      *problem = "the template's value " + in_quotes(payload_text(value)) + " is not a number";
      return std::nullopt;
    }
    if (step.filter == Filter::to_float) value = *number;
    if (step.filter == Filter::to_int) value = truncated(*number);
    if (step.filter == Filter::round) value = rounded(*number, step.digits);
  }
  return value;
}

std::optional<std::string> render_command(std::string_view text, const TemplateValues& values) {
  if (text.find("{%") != std::string_view::npos || text.find("{#") != std::string_view::npos) {
    return std::nullopt;
  }
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t open = text.find("{{", pos);
    if (open == std::string_view::npos) break;
    const std::size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos) return std::nullopt;
    out.append(text.substr(pos, open - pos));
    const std::string_view name = trim(text.substr(open + 2, close - open - 2));
    const auto found = std::find_if(values.begin(), values.end(),
                                    [&](const auto& entry) { return entry.first == name; });
    if (found == values.end()) return std::nullopt;
    out += found->second;
    pos = close + 2;
  }
  out.append(text.substr(std::min(pos, text.size())));
  return out;
}

}  // namespace er::mqtt

#pragma once
// The part of Home Assistant's Jinja templates that the mapping evaluates itself, so
// that discovery configs work without a template engine:
//
//   value templates    {{ value }}  {{ value_json.a.b }}  {{ value_json['a'][0] }}
//                      optionally followed by | float, | int, | round(n), | lower, | upper
//   command templates  any text whose expressions are {{ value }} (covers: {{ position }})
//
// Anything else ({% if %}, arithmetic, other filters) is "outside the subset": the
// caller reports it once and uses the raw payload.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "json_value.h"

namespace er::mqtt {

class ValueTemplate {
 public:
  /// No template: values are the payloads as they are.
  ValueTemplate() = default;
  explicit ValueTemplate(std::string text);

  [[nodiscard]] bool empty() const { return text_.empty(); }
  /// False for a template outside the subset (apply() then passes the payload through).
  [[nodiscard]] bool supported() const { return supported_; }
  [[nodiscard]] const std::string& text() const { return text_; }

  /// The value `payload` stands for. Without a usable template: the payload as a
  /// string. nullopt when the template's path is not in the payload, or when a filter
  /// cannot apply (with the reason in `*problem`). A payload that is not JSON for a
  /// value_json template gives the raw payload and a reason in `*problem`.
  std::optional<Json> apply(std::string_view payload, std::string* problem) const;

 private:
  enum class Filter { to_float, to_int, round, lower, upper };
  struct FilterStep {
    Filter filter;
    int digits = 0;  ///< round(n)
  };

  bool parse(std::string_view body);
  bool parse_filters(std::string_view text);
  static std::optional<FilterStep> parse_filter(std::string_view name, std::string_view& text);
  std::optional<Json> filtered(Json value, std::string* problem) const;

  std::string text_;
  bool supported_ = true;
  bool from_json_ = false;
  JsonPath path_;  ///< Empty: the whole document.
  std::vector<FilterStep> filters_;
};

/// A template's variables by name, e.g. {{"value", "21.5"}}.
using TemplateValues = std::vector<std::pair<std::string_view, std::string>>;

/// `text` with every {{ name }} of `values` filled in; nullopt when it holds any other
/// expression, a statement ({% %}) or an unclosed {{.
std::optional<std::string> render_command(std::string_view text, const TemplateValues& values);

}  // namespace er::mqtt

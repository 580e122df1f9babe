#include "rules/calendar/calendar_spec.h"

#include <algorithm>
#include <array>
#include <span>
#include <string>
#include <vector>

namespace er::calendar {

namespace {

constexpr std::array<std::string_view, 7> kWeekdayNames = {
    "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};
constexpr std::array<std::string_view, 12> kMonthNames = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};

// Names must be at least this long, so "ma" cannot mean both March and May.
constexpr std::size_t kMinNameLength = 3;
// lastw is the last day minus six: the first day of the month's last seven.
constexpr int kLastWeekOffset = 6;

// What one field accepts. Values are kept in the field's own numbering (weekdays
// 1–7 with 1 = Sunday) until they are stored as bits.
struct FieldSyntax {
  int low = 0;
  int high = 0;
  std::span<const std::string_view> names;  // Name i has the value first_name_value + i.
  int first_name_value = 0;
  bool numbers = true;         // Plain numbers are values (wday() takes names only).
  bool last_keywords = false;  // `last` and `lastw` (days only).
  bool steps = false;          // *, */s, v/s and a-b/s (date() only).
};

// A field value that may count back from the month's last day.
struct Bound {
  int value = 0;
  bool from_last = false;  // The value is last - value.

  [[nodiscard]] int resolve(int high) const { return from_last ? high - value : value; }
};

// One list item: the values first, first + step, … up to last, wrapping past high.
struct Item {
  Bound first;
  Bound last;
  int step = 1;
};

constexpr Bound kFieldEnd{0, true};

// Whether a field is a whole spec (wday("mon-fri")) or one of date()'s five fields,
// which also take *, steps and weekday numbers.
enum class FieldContext { kAlone, kInDate };

// ASCII only, independent of the C locale, so specs parse the same on every target.
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string lower_ascii(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// A small decimal number; more than three digits is never a valid calendar value.
bool parse_small_number(std::string_view text, int& value) {
  if (!all_digits(text) || text.size() > 3) return false;
  value = 0;
  for (char c : text) value = value * 10 + (c - '0');
  return true;
}

bool parse_name(std::string_view text, const FieldSyntax& syntax, int& value) {
  const std::string lower = lower_ascii(text);
  if (lower.size() < kMinNameLength) return false;
  for (std::size_t i = 0; i < syntax.names.size(); ++i) {
    if (syntax.names[i].starts_with(lower)) {
      value = syntax.first_name_value + static_cast<int>(i);
      return true;
    }
  }
  return false;
}

bool parse_bound(std::string_view text, const FieldSyntax& syntax, Bound& bound) {
  const std::string lower = lower_ascii(text);
  if (syntax.last_keywords && (lower == "last" || lower == "lastw")) {
    bound = Bound{lower == "last" ? 0 : kLastWeekOffset, true};
    return true;
  }
  bound.from_last = false;
  if (all_digits(text)) {
    return syntax.numbers && parse_small_number(text, bound.value) && bound.value >= syntax.low &&
           bound.value <= syntax.high;
  }
  return parse_name(text, syntax, bound.value);
}

// base := '*' | value | value '-' value
bool parse_item_base(std::string_view base, const FieldSyntax& syntax, Item& item) {
  if (base == "*") {
    item.first = Bound{syntax.low, false};
    item.last = kFieldEnd;
    return syntax.steps;
  }
  const std::size_t dash = base.find('-');
  if (dash == std::string_view::npos) {
    if (!parse_bound(base, syntax, item.first)) return false;
    item.last = item.first;
    return true;
  }
  return parse_bound(base.substr(0, dash), syntax, item.first) &&
         parse_bound(base.substr(dash + 1), syntax, item.last);
}

// item := base ['/' step]; a single value with a step runs to the end of the field.
bool parse_item(std::string_view text, const FieldSyntax& syntax, Item& item) {
  const std::size_t slash = text.find('/');
  const std::string_view base = trim(text.substr(0, slash));
  if (!parse_item_base(base, syntax, item)) return false;
  if (slash == std::string_view::npos) return true;
  if (!syntax.steps || !parse_small_number(trim(text.substr(slash + 1)), item.step)) return false;
  if (base.find('-') == std::string_view::npos && base != "*") item.last = kFieldEnd;
  return item.step > 0;
}

bool parse_list(std::string_view text, const FieldSyntax& syntax, std::vector<Item>& items) {
  for (;;) {
    const std::size_t comma = text.find(',');
    Item item;
    if (!parse_item(trim(text.substr(0, comma)), syntax, item)) return false;
    items.push_back(item);
    if (comma == std::string_view::npos) return true;
    text.remove_prefix(comma + 1);
  }
}

// The bits of one item's values in [low, high]; a range with first > last wraps from
// high to low, and the step counts across the wrap.
std::uint64_t item_bits(const Item& item, int low, int high) {
  const int first = item.first.resolve(high);
  const int last = item.last.resolve(high);
  const bool wraps = first > last;
  const int before_wrap = wraps ? std::max(0, high - first + 1) : last - first + 1;
  const int count = wraps ? before_wrap + (last - low + 1) : before_wrap;
  std::uint64_t bits = 0;
  for (int i = 0; i < count; i += item.step) {
    const int value = i < before_wrap ? first + i : low + (i - before_wrap);
    if (value >= low && value <= high) bits |= std::uint64_t{1} << value;
  }
  return bits;
}

std::uint64_t list_bits(const std::vector<Item>& items, int low, int high) {
  std::uint64_t bits = 0;
  for (const Item& item : items) bits |= item_bits(item, low, high);
  return bits;
}

FieldSyntax numeric_syntax(int low, int high, FieldContext context) {
  FieldSyntax syntax;
  syntax.low = low;
  syntax.high = high;
  syntax.steps = context == FieldContext::kInDate;
  return syntax;
}

FieldSyntax minute_syntax() {
  return numeric_syntax(0, 59, FieldContext::kInDate);
}
FieldSyntax hour_syntax() {
  return numeric_syntax(0, 23, FieldContext::kInDate);
}

FieldSyntax day_syntax(FieldContext context) {
  FieldSyntax syntax = numeric_syntax(1, 31, context);
  syntax.last_keywords = true;
  return syntax;
}

FieldSyntax month_syntax(FieldContext context) {
  FieldSyntax syntax = numeric_syntax(1, 12, context);
  syntax.names = kMonthNames;
  syntax.first_name_value = 1;
  return syntax;
}

// Weekdays are numbered 1–7 from Sunday in the syntax; wday() takes names only.
FieldSyntax weekday_syntax(FieldContext context) {
  FieldSyntax syntax = numeric_syntax(1, 7, context);
  syntax.names = kWeekdayNames;
  syntax.first_name_value = 1;
  syntax.numbers = context == FieldContext::kInDate;
  return syntax;
}

std::string_view kind_name(CalendarSpecKind kind) {
  switch (kind) {
    case CalendarSpecKind::kWday:
      return "wday";
    case CalendarSpecKind::kDay:
      return "day";
    case CalendarSpecKind::kMonth:
      return "month";
    case CalendarSpecKind::kDate:
      return "date";
  }
  return "date";
}

// Splits a date() spec at runs of whitespace; false unless there are exactly five fields.
bool split_date_fields(std::string_view text, std::array<std::string_view, 5>& fields) {
  std::size_t count = 0;
  text = trim(text);
  while (!text.empty()) {
    if (count == fields.size()) return false;
    std::size_t end = 0;
    while (end < text.size() && !is_space(text[end])) ++end;
    fields[count++] = text.substr(0, end);
    text = trim(text.substr(end));
  }
  return count == fields.size();
}

}  // namespace

// Fills a CalendarSpec field by field; each setter returns false on a bad list.
class CalendarSpecParser {
 public:
  static bool set_minutes(CalendarSpec& spec, std::string_view text) {
    std::vector<Item> items;
    if (!parse_list(text, minute_syntax(), items)) return false;
    spec.minutes_ = list_bits(items, 0, 59);
    return true;
  }

  static bool set_hours(CalendarSpec& spec, std::string_view text) {
    std::vector<Item> items;
    if (!parse_list(text, hour_syntax(), items)) return false;
    spec.hours_ = static_cast<std::uint32_t>(list_bits(items, 0, 23));
    return true;
  }

  static bool set_days(CalendarSpec& spec, std::string_view text, FieldContext context) {
    std::vector<Item> items;
    if (!parse_list(text, day_syntax(context), items)) return false;
    for (int length = 28; length <= 31; ++length) {
      spec.days_by_length_[static_cast<std::size_t>(length - 28)] =
          static_cast<std::uint32_t>(list_bits(items, 1, length));
    }
    return true;
  }

  static bool set_months(CalendarSpec& spec, std::string_view text, FieldContext context) {
    std::vector<Item> items;
    if (!parse_list(text, month_syntax(context), items)) return false;
    spec.months_ = static_cast<std::uint16_t>(list_bits(items, 1, 12));
    return true;
  }

  // The syntax numbers weekdays 1–7 from Sunday; the bits are 0–6 from Sunday.
  static bool set_weekdays(CalendarSpec& spec, std::string_view text, FieldContext context) {
    std::vector<Item> items;
    if (!parse_list(text, weekday_syntax(context), items)) return false;
    spec.weekdays_ = static_cast<std::uint8_t>(list_bits(items, 1, 7) >> 1);
    return true;
  }

  static bool set_date(CalendarSpec& spec, std::string_view text) {
    std::array<std::string_view, 5> fields;
    return split_date_fields(text, fields) && set_minutes(spec, fields[0]) &&
           set_hours(spec, fields[1]) && set_days(spec, fields[2], FieldContext::kInDate) &&
           set_months(spec, fields[3], FieldContext::kInDate) &&
           set_weekdays(spec, fields[4], FieldContext::kInDate);
  }
};

Result<CalendarSpec> CalendarSpec::parse(CalendarSpecKind kind, std::string_view text) {
  CalendarSpec spec;
  bool ok = false;
  switch (kind) {
    case CalendarSpecKind::kWday:
      ok = CalendarSpecParser::set_weekdays(spec, text, FieldContext::kAlone);
      break;
    case CalendarSpecKind::kDay:
      ok = CalendarSpecParser::set_days(spec, text, FieldContext::kAlone);
      break;
    case CalendarSpecKind::kMonth:
      ok = CalendarSpecParser::set_months(spec, text, FieldContext::kAlone);
      break;
    case CalendarSpecKind::kDate:
      ok = CalendarSpecParser::set_date(spec, text);
      break;
  }
  if (!ok)
    return Error{"bad " + std::string(kind_name(kind)) + " spec: '" + std::string(text) + "'"};
  return spec;
}

bool CalendarSpec::has_minute(int minute) const {
  return minute >= 0 && minute < 60 && ((minutes_ >> minute) & 1U) != 0;
}

bool CalendarSpec::has_hour(int hour) const {
  return hour >= 0 && hour < 24 && ((hours_ >> hour) & 1U) != 0;
}

bool CalendarSpec::has_day(int day, int month_length) const {
  if (day < 1 || day > 31 || month_length < 28 || month_length > 31) return false;
  return ((days_by_length_[static_cast<std::size_t>(month_length - 28)] >> day) & 1U) != 0;
}

bool CalendarSpec::has_month(int month) const {
  return month >= 1 && month <= 12 && ((months_ >> month) & 1U) != 0;
}

bool CalendarSpec::has_weekday(int weekday) const {
  return weekday >= 0 && weekday < 7 && ((weekdays_ >> weekday) & 1U) != 0;
}

bool CalendarSpec::matches(const LocalTime& local) const {
  return has_minute(local.minute) && has_hour(local.hour) && has_month(local.date.month) &&
         has_weekday(local.weekday) &&
         has_day(local.date.day, days_in_month(local.date.year, local.date.month));
}

Result<CalendarSpec> parse_wday_spec(std::string_view text) {
  return CalendarSpec::parse(CalendarSpecKind::kWday, text);
}

Result<CalendarSpec> parse_day_spec(std::string_view text) {
  return CalendarSpec::parse(CalendarSpecKind::kDay, text);
}

Result<CalendarSpec> parse_month_spec(std::string_view text) {
  return CalendarSpec::parse(CalendarSpecKind::kMonth, text);
}

Result<CalendarSpec> parse_date_spec(std::string_view text) {
  return CalendarSpec::parse(CalendarSpecKind::kDate, text);
}

}  // namespace er::calendar

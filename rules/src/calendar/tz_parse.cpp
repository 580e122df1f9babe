// Parser for POSIX TZ rule strings (see tz.h for the grammar). It accepts what newlib
// (ESP-IDF) accepts: names of one or more letters or a <quoted> name of letters, digits,
// '+' and '-'; offsets [+-]hh[:mm[:ss]]; rules Mm.w.d, Jn and n with an optional
// /[+-]hhh[:mm[:ss]] time. A DST name without rules gets the US rules M3.2.0,M11.1.0,
// as in newlib and glibc.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "rules/calendar/tz.h"

namespace er::calendar {

namespace {

constexpr std::int32_t kMaxOffsetHours = 24;     // POSIX: offsets are 0–24 hours.
constexpr std::int32_t kMaxRuleTimeHours = 167;  // POSIX 2024: rule times ±167 hours.
constexpr std::int32_t kDefaultDstShift = 3600;  // DST without an offset: one hour ahead.

bool is_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_quoted_name_char(char c) {
  return is_letter(c) || is_digit(c) || c == '+' || c == '-';
}

// A hand-written recursive-descent reader over the rule text. Each read_* function
// consumes one production and returns false after recording the first error.
class TzRuleParser {
 public:
  explicit TzRuleParser(std::string_view text) : text_(text) {}

  Result<TimeZone> parse();

 private:
  [[nodiscard]] bool at_end() const { return pos_ >= text_.size(); }
  [[nodiscard]] char peek() const { return at_end() ? '\0' : text_[pos_]; }
  bool accept(char c);
  bool fail(std::string reason) { return fail_at(pos_, std::move(reason)); }
  bool fail_at(std::size_t position, std::string reason);

  bool read_name(std::string_view role, std::string& name);
  bool read_number(int max_digits, std::int32_t& value);
  bool read_clock(std::int32_t max_hours, std::int32_t& seconds);
  bool read_signed_clock(std::int32_t max_hours, std::int32_t& seconds);
  bool read_offset(std::int32_t& east_seconds);
  bool read_rule(TransitionRule& rule);
  bool read_month_week_day(TransitionRule& rule);
  bool read_bounded(int max_digits, std::int32_t low, std::int32_t high, std::string_view what,
                    int& value);
  bool read_dst(std::int32_t standard_offset, DaylightSaving& dst);

  std::string_view text_;
  std::size_t pos_ = 0;
  std::string error_;
};

bool TzRuleParser::accept(char c) {
  if (peek() != c) return false;
  ++pos_;
  return true;
}

bool TzRuleParser::fail_at(std::size_t position, std::string reason) {
  if (error_.empty()) {
    error_ = "bad TZ rule '" + std::string(text_) + "': " + reason + " (at character " +
             std::to_string(position + 1) + ")";
  }
  return false;
}

// name := letter+ | '<' (alnum | '+' | '-')+ '>'
bool TzRuleParser::read_name(std::string_view role, std::string& name) {
  const bool quoted = accept('<');
  const std::size_t start = pos_;
  while (!at_end() && (quoted ? is_quoted_name_char(peek()) : is_letter(peek()))) ++pos_;
  name = std::string(text_.substr(start, pos_ - start));
  if (name.empty()) return fail("expected the " + std::string(role) + " zone name");
  if (quoted && !accept('>')) return fail("expected '>' to close the quoted zone name");
  return true;
}

// A run of 1..max_digits decimal digits.
bool TzRuleParser::read_number(int max_digits, std::int32_t& value) {
  value = 0;
  int digits = 0;
  while (is_digit(peek()) && digits < max_digits) {
    value = value * 10 + (peek() - '0');
    ++pos_;
    ++digits;
  }
  if (digits == 0) return fail("expected a number");
  if (is_digit(peek())) return fail("number has too many digits");
  return true;
}

// clock := hh[:mm[:ss]], hours up to max_hours.
bool TzRuleParser::read_clock(std::int32_t max_hours, std::int32_t& seconds) {
  std::int32_t hours = 0;
  std::int32_t minutes = 0;
  std::int32_t secs = 0;
  if (!read_bounded(3, 0, max_hours, "hours", hours)) return false;
  if (accept(':')) {
    if (!read_bounded(2, 0, 59, "minutes", minutes)) return false;
    if (accept(':') && !read_bounded(2, 0, 59, "seconds", secs)) return false;
  }
  seconds = hours * 3600 + minutes * 60 + secs;
  return true;
}

bool TzRuleParser::read_signed_clock(std::int32_t max_hours, std::int32_t& seconds) {
  const bool negative = accept('-');
  if (!negative) accept('+');
  if (!read_clock(max_hours, seconds)) return false;
  if (negative) seconds = -seconds;
  return true;
}

// offset := [+-]hh[:mm[:ss]], west-positive in the text, returned east-positive.
bool TzRuleParser::read_offset(std::int32_t& east_seconds) {
  std::int32_t west_seconds = 0;
  if (!is_digit(peek()) && peek() != '+' && peek() != '-') {
    return fail("expected a UTC offset such as -1 or 5:30");
  }
  if (!read_signed_clock(kMaxOffsetHours, west_seconds)) return false;
  east_seconds = -west_seconds;
  return true;
}

bool TzRuleParser::read_bounded(int max_digits, std::int32_t low, std::int32_t high,
                                std::string_view what, int& value) {
  std::int32_t number = 0;
  const std::size_t start = pos_;
  if (!read_number(max_digits, number)) return false;
  if (number < low || number > high) {
    return fail_at(
        start, std::string(what) + " must be " + std::to_string(low) + "-" + std::to_string(high));
  }
  value = number;
  return true;
}

// Mm.w.d
bool TzRuleParser::read_month_week_day(TransitionRule& rule) {
  rule.kind = TransitionDayKind::kMonthWeekDay;
  if (!read_bounded(2, 1, 12, "the month of an M rule", rule.month)) return false;
  if (!accept('.')) return fail("expected '.' after the month of an M rule");
  if (!read_bounded(1, 1, 5, "the week of an M rule", rule.week)) return false;
  if (!accept('.')) return fail("expected '.' after the week of an M rule");
  return read_bounded(1, 0, 6, "the weekday of an M rule", rule.weekday);
}

// rule := (Mm.w.d | Jn | n) ['/' [+-]hhh[:mm[:ss]]]
bool TzRuleParser::read_rule(TransitionRule& rule) {
  bool ok = false;
  if (accept('M')) {
    ok = read_month_week_day(rule);
  } else if (accept('J')) {
    rule.kind = TransitionDayKind::kJulianNoLeap;
    ok = read_bounded(3, 1, 365, "a J rule day", rule.day);
  } else if (is_digit(peek())) {
    rule.kind = TransitionDayKind::kZeroBasedDay;
    ok = read_bounded(3, 0, 365, "a day-of-year rule", rule.day);
  } else {
    return fail("expected a transition rule (Mm.w.d, Jn or n)");
  }
  if (!ok) return false;
  rule.time = 7200;
  if (accept('/')) return read_signed_clock(kMaxRuleTimeHours, rule.time);
  return true;
}

// dst [offset] [',' rule ',' rule]
bool TzRuleParser::read_dst(std::int32_t standard_offset, DaylightSaving& dst) {
  if (!read_name("DST", dst.name)) return false;
  dst.utc_offset = standard_offset + kDefaultDstShift;
  if (!at_end() && peek() != ',' && !read_offset(dst.utc_offset)) return false;
  if (at_end()) {
    dst.start = TransitionRule{TransitionDayKind::kMonthWeekDay, 3, 2, 0, 0, 7200};
    dst.end = TransitionRule{TransitionDayKind::kMonthWeekDay, 11, 1, 0, 0, 7200};
    return true;
  }
  if (!accept(',')) return fail("expected ',' before the DST start rule");
  if (!read_rule(dst.start)) return false;
  if (!accept(',')) return fail("expected ',' before the DST end rule");
  return read_rule(dst.end);
}

Result<TimeZone> TzRuleParser::parse() {
  if (text_.empty()) {
    fail("the rule is empty; UTC is \"UTC0\"");
    return Error{error_};
  }
  if (text_.front() == ':') {
    fail(
        "zone files (':...') are not supported; give a POSIX rule such as "
        "CET-1CEST,M3.5.0,M10.5.0/3");
    return Error{error_};
  }
  std::string standard_name;
  std::int32_t standard_offset = 0;
  std::optional<DaylightSaving> dst;
  bool ok = read_name("standard", standard_name) && read_offset(standard_offset);
  if (ok && !at_end()) ok = read_dst(standard_offset, dst.emplace());
  if (ok && !at_end()) ok = fail("unexpected text after the rule");
  if (!ok) return Error{error_};
  return TimeZone(std::move(standard_name), standard_offset, std::move(dst));
}

}  // namespace

Result<TimeZone> TimeZone::parse(std::string_view rule) {
  return TzRuleParser(rule).parse();
}

Result<TimeZone> parse_time_zone(std::string_view rule) {
  return TimeZone::parse(rule);
}

}  // namespace er::calendar

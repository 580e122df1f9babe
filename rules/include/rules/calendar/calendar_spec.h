#pragma once
// The calendar tests of spec §9.7 — wday("mon-fri"), day("lastw-last"),
// month("nov-may") and the cron-like date("min hour day month wday") — parsed once into
// bit sets, then matched against a local time with a few bit tests.
//
// Lists are comma-separated items; an item is a value or a range a-b, and a range whose
// start is after its end wraps around (fri-mon is Fri, Sat, Sun, Mon). date() items may
// also be *, */s, v/s (v to the end of the field) and a-b/s. Names are English,
// case-insensitive, and may be any prefix of at least three letters of the full name
// ("mon", "Monday", "thurs"). Days accept `last` and `lastw` (last − 6), which are
// resolved per month length. All five date() fields must match (unlike Vixie cron,
// which ORs a restricted day with a restricted weekday).

#include <array>
#include <cstdint>
#include <string_view>

#include "rules/calendar/result.h"
#include "rules/calendar/tz.h"

namespace er::calendar {

/// Which EventScript function a spec belongs to; it decides the syntax and the error
/// message ("bad wday spec: 'xyz'").
enum class CalendarSpecKind {
  kWday,   ///< Weekday names: mon…sun.
  kDay,    ///< Days of the month: 1–31, last, lastw.
  kMonth,  ///< Months: jan…dec or 1–12.
  kDate,   ///< "min hour day month wday", weekday numbers 1–7 with 1 = Sunday.
};

/// A parsed calendar test. Fields a spec does not mention match everything.
class CalendarSpec {
 public:
  /// Parses `text`; a bad spec gives the error "bad <kind> spec: '<text>'".
  static Result<CalendarSpec> parse(CalendarSpecKind kind, std::string_view text);

  /// True when the local time is in every field's set.
  [[nodiscard]] bool matches(const LocalTime& local) const;

  [[nodiscard]] bool has_minute(int minute) const;              ///< 0–59
  [[nodiscard]] bool has_hour(int hour) const;                  ///< 0–23
  [[nodiscard]] bool has_day(int day, int month_length) const;  ///< day 1–31, length 28–31
  [[nodiscard]] bool has_month(int month) const;                ///< 1–12
  [[nodiscard]] bool has_weekday(int weekday) const;            ///< 0 = Sunday

 private:
  friend class CalendarSpecParser;

  std::uint64_t minutes_ = (std::uint64_t{1} << 60) - 1;  // Bit m: minute m.
  std::uint32_t hours_ = (std::uint32_t{1} << 24) - 1;    // Bit h: hour h.
  // One day set per month length 28–31, because last and lastw depend on it. Bit d:
  // day d.
  std::array<std::uint32_t, 4> days_by_length_ = {~std::uint32_t{0}, ~std::uint32_t{0},
                                                  ~std::uint32_t{0}, ~std::uint32_t{0}};
  std::uint16_t months_ = 0x1FFE;  // Bit m: month m (1–12).
  std::uint8_t weekdays_ = 0x7F;   // Bit d: weekday d (0 = Sunday).
};

/// Shorthands for CalendarSpec::parse with each kind.
Result<CalendarSpec> parse_wday_spec(std::string_view text);
Result<CalendarSpec> parse_day_spec(std::string_view text);
Result<CalendarSpec> parse_month_spec(std::string_view text);
Result<CalendarSpec> parse_date_spec(std::string_view text);

}  // namespace er::calendar

#pragma once
// Proleptic Gregorian calendar arithmetic on 64-bit day counts. Day 0 is 1970-01-01,
// so a day count times 86400 is the Unix time of that day's UTC midnight. Nothing here
// knows about time zones; see tz.h for local time.

#include <compare>
#include <cstdint>

namespace er::calendar {

/// Seconds since 1970-01-01 00:00:00 UTC (Unix time, no leap seconds).
using EpochSeconds = std::int64_t;

inline constexpr std::int64_t kSecondsPerDay = 86'400;

/// Weekday numbers used throughout the calendar: 0 = Sunday … 6 = Saturday, as in C's
/// tm_wday. (Lua's os.date wday and the spec's date() field are this plus one.)
enum Weekday : int {
  kSunday = 0,
  kMonday = 1,
  kTuesday = 2,
  kWednesday = 3,
  kThursday = 4,
  kFriday = 5,
  kSaturday = 6,
};

/// A calendar date. A normalised date has month 1–12 and day 1–days_in_month; the
/// functions below accept out-of-range months and days and roll them over.
struct CivilDate {
  std::int64_t year = 1970;
  int month = 1;
  int day = 1;

  friend bool operator==(const CivilDate&, const CivilDate&) = default;
  friend auto operator<=>(const CivilDate&, const CivilDate&) = default;
};

/// Floor division and the matching non-negative remainder (for a positive divisor):
/// floor_div(-1, 86400) is -1 and floor_mod(-1, 86400) is 86399.
std::int64_t floor_div(std::int64_t value, std::int64_t divisor);
std::int64_t floor_mod(std::int64_t value, std::int64_t divisor);

bool is_leap_year(std::int64_t year);
/// Days in `month` (1–12) of `year`.
int days_in_month(std::int64_t year, int month);

/// Days since 1970-01-01 of a date. Months outside 1–12 move the year, and days
/// outside the month roll over: (2025, 2, 30) is the day of 2025-03-02, (2025, 13, 1)
/// that of 2026-01-01, (2025, 3, 0) that of 2025-02-28.
std::int64_t days_from_civil(std::int64_t year, int month, int day);
std::int64_t days_from_civil(const CivilDate& date);

/// The normalised date of a day count (the inverse of days_from_civil).
CivilDate civil_from_days(std::int64_t days);

/// A date with month and day rolled over into range: normalize({2025, 2, 30}) is
/// 2025-03-02.
CivilDate normalize(const CivilDate& date);

/// The date `count` days after `date` (count may be negative).
CivilDate add_days(const CivilDate& date, std::int64_t count);

/// Weekday (0 = Sunday) of a day count / of a date.
int weekday_from_days(std::int64_t days);
int weekday_of(const CivilDate& date);

/// Day of the year, 1 for January 1st.
int day_of_year(const CivilDate& date);

/// ISO 8601 week number (1–53): weeks start on Monday, and week 1 is the week that
/// holds the year's first Thursday. Wednesday 2025-05-14 is in week 20.
int iso_week_number(const CivilDate& date);

}  // namespace er::calendar

#include "rules/calendar/civil.h"

#include <cstddef>

namespace er::calendar {

namespace {

// The day-count algorithms work in 400-year eras (146097 days each) of years that
// start on March 1st, so the leap day is the last day of its year and every month
// before it has a fixed offset.
constexpr std::int64_t kDaysPerEra = 146'097;
constexpr std::int64_t kYearsPerEra = 400;
// Days from 0000-03-01 (the start of era 0) to 1970-01-01.
constexpr std::int64_t kEpochShift = 719'468;

// Days from March 1st to the first of a March-based month (0 = March … 11 = February).
std::int64_t days_before_march_based_month(std::int64_t month_from_march) {
  return (153 * month_from_march + 2) / 5;
}

}  // namespace

std::int64_t floor_div(std::int64_t value, std::int64_t divisor) {
  std::int64_t quotient = value / divisor;
  if ((value % divisor != 0) && ((value < 0) != (divisor < 0))) --quotient;
  return quotient;
}

std::int64_t floor_mod(std::int64_t value, std::int64_t divisor) {
  return value - floor_div(value, divisor) * divisor;
}

bool is_leap_year(std::int64_t year) {
  return floor_mod(year, 4) == 0 && (floor_mod(year, 100) != 0 || floor_mod(year, 400) == 0);
}

int days_in_month(std::int64_t year, int month) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && is_leap_year(year)) return 29;
  return kDays[static_cast<std::size_t>(month - 1)];
}

std::int64_t days_from_civil(std::int64_t year, int month, int day) {
  // Fold the month into 1–12 first; the day needs no folding because the result is
  // linear in it, which is what makes 2025-02-30 land on 2025-03-02.
  year += floor_div(month - 1, 12);
  const std::int64_t month_in_year = floor_mod(month - 1, 12) + 1;
  const std::int64_t march_year = month_in_year <= 2 ? year - 1 : year;
  const std::int64_t era = floor_div(march_year, kYearsPerEra);
  const std::int64_t year_of_era = march_year - era * kYearsPerEra;  // 0–399
  const std::int64_t month_from_march = (month_in_year + 9) % 12;
  const std::int64_t day_of_march_year = days_before_march_based_month(month_from_march) + day - 1;
  const std::int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_march_year;
  return era * kDaysPerEra + day_of_era - kEpochShift;
}

std::int64_t days_from_civil(const CivilDate& date) {
  return days_from_civil(date.year, date.month, date.day);
}

CivilDate civil_from_days(std::int64_t days) {
  const std::int64_t shifted = days + kEpochShift;
  const std::int64_t era = floor_div(shifted, kDaysPerEra);
  const std::int64_t day_of_era = shifted - era * kDaysPerEra;  // 0–146096
  // Remove the leap days before this day of the era, so 365-day years divide evenly.
  const std::int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::int64_t day_of_march_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t month_from_march = (5 * day_of_march_year + 2) / 153;
  const std::int64_t day = day_of_march_year - days_before_march_based_month(month_from_march) + 1;
  const std::int64_t month = month_from_march < 10 ? month_from_march + 3 : month_from_march - 9;
  const std::int64_t year = year_of_era + era * kYearsPerEra + (month <= 2 ? 1 : 0);
  return CivilDate{year, static_cast<int>(month), static_cast<int>(day)};
}

CivilDate normalize(const CivilDate& date) {
  return civil_from_days(days_from_civil(date));
}

CivilDate add_days(const CivilDate& date, std::int64_t count) {
  return civil_from_days(days_from_civil(date) + count);
}

int weekday_from_days(std::int64_t days) {
  // 1970-01-01 was a Thursday.
  return static_cast<int>(floor_mod(days + kThursday, 7));
}

int weekday_of(const CivilDate& date) {
  return weekday_from_days(days_from_civil(date));
}

int day_of_year(const CivilDate& date) {
  const CivilDate normal = normalize(date);
  return static_cast<int>(days_from_civil(normal) - days_from_civil(normal.year, 1, 1)) + 1;
}

int iso_week_number(const CivilDate& date) {
  // The ISO week belongs to the year of its Thursday, and that Thursday's day of the
  // year tells which week of that year it is.
  const std::int64_t days = days_from_civil(date);
  const int iso_weekday = weekday_from_days(days) == kSunday ? 7 : weekday_from_days(days);
  const std::int64_t thursday = days + (4 - iso_weekday);
  const CivilDate thursday_date = civil_from_days(thursday);
  const std::int64_t thursday_index = thursday - days_from_civil(thursday_date.year, 1, 1);
  return static_cast<int>(thursday_index / 7) + 1;
}

}  // namespace er::calendar

#include "local_time.h"

#include <array>

namespace er::cli {

namespace {

constexpr std::array<std::string_view, 12> kMonthNames = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

// The number that `digits` characters at `at` spell, or -1 when one is not a digit.
int number_at(std::string_view text, std::size_t at, std::size_t digits) {
  if (at + digits > text.size()) return -1;
  int value = 0;
  for (std::size_t i = at; i < at + digits; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in(int year, int month) {
  constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

std::string shape_error(std::string_view text) {
  return "expected \"YYYY-MM-DD HH:MM[:SS]\", got '" + std::string(text) + "'";
}

bool has_date_shape(std::string_view text) {
  return text.size() >= 10 && number_at(text, 0, 4) >= 0 && text[4] == '-' &&
         number_at(text, 5, 2) >= 0 && text[7] == '-' && number_at(text, 8, 2) >= 0;
}

// The "YYYY-MM-DD" at the start of `text` (has_date_shape): nothing if it is a real date.
std::optional<std::string> check_date(std::string_view text) {
  const int year = number_at(text, 0, 4);
  const int month = number_at(text, 5, 2);
  const int day = number_at(text, 8, 2);
  const std::string date(text.substr(0, 10));
  if (month < 1 || month > 12) {
    return date + " is not a date: months go from 01 to 12";
  }
  const int days = days_in(year, month);
  if (day < 1 || day > days) {
    return date + " is not a date: " + std::string(kMonthNames[static_cast<std::size_t>(month - 1)]) +
           " " + std::to_string(year) + " has " + std::to_string(days) + " days";
  }
  return std::nullopt;
}

// "HH:MM" or "HH:MM:SS" as all of `clock`.
std::optional<std::string> check_clock(std::string_view clock, std::string_view text) {
  const bool seconds = clock.size() == 8;
  if ((clock.size() != 5 && !seconds) || clock[2] != ':' || (seconds && clock[5] != ':')) {
    return shape_error(text);
  }
  const int hour = number_at(clock, 0, 2);
  const int minute = number_at(clock, 3, 2);
  const int second = seconds ? number_at(clock, 6, 2) : 0;
  if (hour < 0 || minute < 0 || second < 0) return shape_error(text);
  const std::string time(clock);
  if (hour > 23) return time + " is not a time of day: hours go from 00 to 23";
  if (minute > 59) return time + " is not a time of day: minutes go from 00 to 59";
  if (second > 59) return time + " is not a time of day: seconds go from 00 to 59";
  return std::nullopt;
}

}  // namespace

std::optional<std::string> check_local_time(std::string_view text) {
  if (!has_date_shape(text)) return shape_error(text);
  // A wrong date is named even without a time: "--at 2025-02-31" says what is wrong.
  if (std::optional<std::string> wrong_date = check_date(text)) return wrong_date;
  if (text.size() < 11 || (text[10] != ' ' && text[10] != 'T')) return shape_error(text);
  return check_clock(text.substr(11), text);
}

}  // namespace er::cli

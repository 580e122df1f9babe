#include "rules/calendar/local_time.h"

#include <cstdio>

namespace er::calendar {

namespace {

// Seconds after midnight shown by HM/HMS for a short or long time.
std::int64_t displayed_seconds(const TimeZone& zone, std::int64_t time) {
  if (is_short_time(time)) return time_of_day(time);
  return zone.to_local(time).seconds_of_day();
}

enum class ClockFields { kHoursMinutes, kHoursMinutesSeconds };

// Two decimal digits per field; the fields are always 0–59 or 0–23 here.
std::string format_clock(std::int64_t seconds, ClockFields fields) {
  char buffer[16];
  const auto hours = static_cast<int>(seconds / 3600);
  const auto minutes = static_cast<int>(seconds / 60 % 60);
  const auto secs = static_cast<int>(seconds % 60);
  if (fields == ClockFields::kHoursMinutesSeconds) {
    std::snprintf(buffer, sizeof buffer, "%02d:%02d:%02d", hours, minutes, secs);
  } else {
    std::snprintf(buffer, sizeof buffer, "%02d:%02d", hours, minutes);
  }
  return buffer;
}

bool is_period_day(const CivilDate& date, Period period) {
  switch (period) {
    case Period::kDaily:
      return true;
    case Period::kWeekly:
      return weekday_of(date) == kMonday;
    case Period::kMonthly:
      return date.day == 1;
  }
  return false;
}

// The first date on or after `date` that is one of the period's days.
CivilDate next_period_day(const CivilDate& date, Period period) {
  switch (period) {
    case Period::kDaily:
      return date;
    case Period::kWeekly:
      return add_days(date, floor_mod(kMonday - weekday_of(date), 7));
    case Period::kMonthly:
      return date.day == 1 ? date : normalize(CivilDate{date.year, date.month + 1, 1});
  }
  return date;
}

}  // namespace

std::int64_t time_of_day(std::int64_t short_time) {
  return floor_mod(short_time, kSecondsPerDay);
}

CivilDate local_date_of(const TimeZone& zone, EpochSeconds instant) {
  return zone.to_local(instant).date;
}

EpochSeconds local_midnight(const TimeZone& zone, const CivilDate& date) {
  return zone.from_local(date, 0);
}

EpochSeconds start_of_local_day(const TimeZone& zone, EpochSeconds instant) {
  return local_midnight(zone, local_date_of(zone, instant));
}

EpochSeconds next_local_midnight(const TimeZone& zone, EpochSeconds instant) {
  // Where the clock is turned back across midnight, the next date's first midnight can
  // lie before `instant`; the later occurrence, or the day after, is then the next one.
  CivilDate date = local_date_of(zone, instant);
  for (;;) {
    date = add_days(date, 1);
    const LocalInstants midnight = zone.resolve_local(date, 0);
    if (midnight.first > instant) return midnight.first;
    if (midnight.last > instant) return midnight.last;
  }
}

EpochSeconds wall_clock_on(const TimeZone& zone, const CivilDate& date, std::int64_t short_time) {
  return zone.from_local(date, time_of_day(short_time));
}

EpochSeconds today_at(const TimeZone& zone, EpochSeconds now, std::int64_t short_time) {
  return wall_clock_on(zone, local_date_of(zone, now), short_time);
}

EpochSeconds next_at(const TimeZone& zone, EpochSeconds now, std::int64_t short_time) {
  const CivilDate today = local_date_of(zone, now);
  const EpochSeconds today_instant = wall_clock_on(zone, today, short_time);
  if (today_instant > now) return today_instant;
  return wall_clock_on(zone, add_days(today, 1), short_time);
}

std::optional<EpochSeconds> period_instant_on(const TimeZone& zone, const CivilDate& date,
                                              Period period) {
  if (!is_period_day(date, period)) return std::nullopt;
  return local_midnight(zone, date);
}

EpochSeconds next_period_instant(const TimeZone& zone, EpochSeconds instant, Period period) {
  CivilDate candidate = next_period_day(local_date_of(zone, instant), period);
  for (;;) {
    const EpochSeconds at = local_midnight(zone, candidate);
    if (at > instant) return at;
    candidate = next_period_day(add_days(candidate, 1), period);
  }
}

std::string format_hm(const TimeZone& zone, std::int64_t time) {
  return format_clock(displayed_seconds(zone, time), ClockFields::kHoursMinutes);
}

std::string format_hms(const TimeZone& zone, std::int64_t time) {
  return format_clock(displayed_seconds(zone, time), ClockFields::kHoursMinutesSeconds);
}

}  // namespace er::calendar

#pragma once
// The engine's day planning on top of TimeZone: short and long times (spec §9.1),
// local midnights (§8.8), today's wall-clock instants for `@` and edge timers (§7.5,
// §7.7), the t/ and n/ prefixes (§9.4), @daily/@weekly/@monthly, and HM/HMS (§9.6).

#include <cstdint>
#include <optional>
#include <string>

#include "rules/calendar/civil.h"
#include "rules/calendar/tz.h"

namespace er::calendar {

/// Values below this (365 days) are short times: a duration or seconds after local
/// midnight. Others are long times: Unix epoch seconds (§9.1).
inline constexpr std::int64_t kShortTimeLimit = 31'536'000;

[[nodiscard]] inline bool is_short_time(std::int64_t value) {
  return value < kShortTimeLimit;
}

/// A short time folded into one day: t % 86400, never negative (90000 → 3600).
[[nodiscard]] std::int64_t time_of_day(std::int64_t short_time);

/// The local date of an instant.
[[nodiscard]] CivilDate local_date_of(const TimeZone& zone, EpochSeconds instant);

/// The first instant of a local date (its midnight, or the transition when midnight
/// itself is skipped).
[[nodiscard]] EpochSeconds local_midnight(const TimeZone& zone, const CivilDate& date);

/// The first instant of the local day that contains `instant` (the spec's `midnight`).
[[nodiscard]] EpochSeconds start_of_local_day(const TimeZone& zone, EpochSeconds instant);

/// The first instant of the next local day: the engine re-plans there (§8.8). Always
/// strictly after `instant`.
[[nodiscard]] EpochSeconds next_local_midnight(const TimeZone& zone, EpochSeconds instant);

/// The instant of wall-clock time `short_time % 86400` on a local date, by §9.3: a
/// skipped time maps to the transition, a repeated one to its first occurrence.
[[nodiscard]] EpochSeconds wall_clock_on(const TimeZone& zone, const CivilDate& date,
                                         std::int64_t short_time);

/// t/x: the wall-clock time x today (the local day of `now`).
[[nodiscard]] EpochSeconds today_at(const TimeZone& zone, EpochSeconds now,
                                    std::int64_t short_time);

/// n/x: t/x if that is later than `now`, else the same wall-clock time tomorrow.
[[nodiscard]] EpochSeconds next_at(const TimeZone& zone, EpochSeconds now, std::int64_t short_time);

/// The periodic daily-timer shorthands of §7.5.
enum class Period {
  kDaily,    ///< @daily: 00:00 every day.
  kWeekly,   ///< @weekly: 00:00 on Mondays.
  kMonthly,  ///< @monthly: 00:00 on the first of the month.
};

/// The period's instant on a local date, or nothing when the date is not one of its
/// days (a Tuesday for kWeekly).
[[nodiscard]] std::optional<EpochSeconds> period_instant_on(const TimeZone& zone,
                                                            const CivilDate& date, Period period);

/// The first instant of the period strictly after `instant`.
[[nodiscard]] EpochSeconds next_period_instant(const TimeZone& zone, EpochSeconds instant,
                                               Period period);

/// "HH:MM" / "HH:MM:SS" of a long time's local wall clock, or of t % 86400 for a short
/// time (§9.6): HM(36030) is "10:00", HM(90000) is "01:00".
[[nodiscard]] std::string format_hm(const TimeZone& zone, std::int64_t time);
[[nodiscard]] std::string format_hms(const TimeZone& zone, std::int64_t time);

}  // namespace er::calendar

#pragma once
// Local time from a POSIX TZ rule string, as ESP-IDF (newlib) and glibc accept it:
//
//   std offset [dst [offset] [,start[/time],end[/time]]]
//
// e.g. "CET-1CEST,M3.5.0,M10.5.0/3". Everything is computed from the rule, with no OS
// time functions and no zone database, so the same code runs on Linux and ESP32.
// Offsets in this API are east-positive seconds (UTC+1 is 3600), the opposite of the
// POSIX text, where "CET-1" means one hour east of Greenwich.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "rules/calendar/civil.h"
#include "rules/calendar/result.h"

namespace er::calendar {

/// How a DST rule names the day of a transition.
enum class TransitionDayKind {
  kMonthWeekDay,  ///< "Mm.w.d": weekday d (0 = Sunday) of week w (5 = last) of month m.
  kJulianNoLeap,  ///< "Jn": day n, 1–365, with February 29 never counted.
  kZeroBasedDay,  ///< "n": day n, 0–365, counting February 29 in leap years.
};

/// One DST transition: the day, and the local wall-clock time on it (in the time that
/// is in force before the transition).
struct TransitionRule {
  TransitionDayKind kind = TransitionDayKind::kMonthWeekDay;
  int month = 3;    ///< kMonthWeekDay only.
  int week = 5;     ///< kMonthWeekDay only: 1–5, 5 meaning the last such weekday.
  int weekday = 0;  ///< kMonthWeekDay only: 0 = Sunday.
  int day = 0;      ///< kJulianNoLeap (1–365) and kZeroBasedDay (0–365) only.
  /// Seconds after local midnight; POSIX allows -167h to +167h, default 02:00:00.
  std::int32_t time = 7200;

  friend bool operator==(const TransitionRule&, const TransitionRule&) = default;
};

/// The days of `year` on which a rule falls, as days since 1970-01-01.
std::int64_t transition_day(const TransitionRule& rule, std::int64_t year);

/// The daylight-saving part of a zone.
struct DaylightSaving {
  std::string name;
  std::int32_t utc_offset = 0;  ///< East-positive seconds.
  TransitionRule start;         ///< Standard time → DST, in standard local time.
  TransitionRule end;           ///< DST → standard time, in DST local time.
};

/// A UTC instant broken down into the zone's wall-clock time.
struct LocalTime {
  CivilDate date;
  int hour = 0;
  int minute = 0;
  int second = 0;
  int weekday = kThursday;      ///< 0 = Sunday.
  int year_day = 1;             ///< 1 for January 1st.
  std::int32_t utc_offset = 0;  ///< East-positive seconds in force at the instant.
  bool is_dst = false;

  /// Wall-clock seconds since local midnight (the spec's `now`): 0–86399.
  [[nodiscard]] std::int64_t seconds_of_day() const { return hour * 3600 + minute * 60 + second; }
};

/// How a local date and wall-clock time maps to UTC instants.
enum class LocalTimeKind {
  kUnique,    ///< Exactly one instant has this wall-clock time.
  kRepeated,  ///< The clock was turned back: two instants have it (first < last).
  kSkipped,   ///< The clock was turned forward over it: first = last = the transition.
};

struct LocalInstants {
  LocalTimeKind kind = LocalTimeKind::kUnique;
  EpochSeconds first = 0;
  EpochSeconds last = 0;
};

/// DST transitions of one calendar year (of the standard-time date), as UTC instants.
struct YearTransitions {
  EpochSeconds dst_start = 0;
  EpochSeconds dst_end = 0;
};

/// A time zone given by a POSIX TZ rule. Cheap to copy; all queries are pure.
class TimeZone {
 public:
  /// UTC, the zone "UTC0".
  TimeZone();
  TimeZone(std::string standard_name, std::int32_t standard_offset,
           std::optional<DaylightSaving> daylight_saving);

  /// Parses a TZ rule; on error the message names the rule and what is wrong with it.
  static Result<TimeZone> parse(std::string_view rule);

  [[nodiscard]] const std::string& standard_name() const { return standard_name_; }
  [[nodiscard]] std::int32_t standard_offset() const { return standard_offset_; }
  [[nodiscard]] const std::optional<DaylightSaving>& daylight_saving() const { return dst_; }
  [[nodiscard]] bool has_dst() const { return dst_.has_value(); }

  /// East-positive UTC offset in seconds in force at `instant`.
  [[nodiscard]] std::int32_t utc_offset_at(EpochSeconds instant) const;
  [[nodiscard]] bool is_dst_at(EpochSeconds instant) const;
  /// The abbreviation in force at `instant` ("CET" or "CEST").
  [[nodiscard]] const std::string& abbreviation_at(EpochSeconds instant) const;

  /// The wall-clock time at `instant`.
  [[nodiscard]] LocalTime to_local(EpochSeconds instant) const;

  /// The instant of a local date and wall-clock time, by spec §9.3: in a skipped hour
  /// the first valid instant after it (the transition), in a repeated hour the first
  /// occurrence. seconds_of_day may be negative or ≥ 86400 and rolls over into other
  /// days, as the date's month and day do.
  [[nodiscard]] EpochSeconds from_local(const CivilDate& date, std::int64_t seconds_of_day) const;
  [[nodiscard]] EpochSeconds from_local(std::int64_t year, int month, int day, int hour, int minute,
                                        int second) const;

  /// Every instant with this local date and time, and whether it is unique.
  [[nodiscard]] LocalInstants resolve_local(const CivilDate& date,
                                            std::int64_t seconds_of_day) const;

  /// The year's transitions, or nothing for a zone without DST.
  [[nodiscard]] std::optional<YearTransitions> transitions_in(std::int64_t year) const;

  /// The first DST transition strictly after `instant`, if the zone has DST.
  [[nodiscard]] std::optional<EpochSeconds> next_transition_after(EpochSeconds instant) const;

 private:
  [[nodiscard]] LocalInstants resolve_local_seconds(std::int64_t local_seconds) const;

  std::string standard_name_;
  std::int32_t standard_offset_ = 0;
  std::optional<DaylightSaving> dst_;
};

/// Same as TimeZone::parse.
Result<TimeZone> parse_time_zone(std::string_view rule);

}  // namespace er::calendar

#include "rules/calendar/tz.h"

#include <algorithm>
#include <array>
#include <utility>

namespace er::calendar {

namespace {

// One change of offset: the UTC instant and whether DST begins or ends there.
struct Transition {
  EpochSeconds at = 0;
  bool to_dst = false;
};

// The years whose transitions are examined around an instant. A rule time may be up
// to ±167 hours, so a transition of one year can fall in the next or previous one.
constexpr std::int64_t kYearsBefore = 1;
constexpr std::int64_t kYearsAfter = 2;
constexpr std::size_t kTransitionCount = 2 * (kYearsBefore + kYearsAfter + 1);
using TransitionList = std::array<Transition, kTransitionCount>;

EpochSeconds transition_instant(const TransitionRule& rule, std::int64_t year,
                                std::int32_t offset_before) {
  return transition_day(rule, year) * kSecondsPerDay + rule.time - offset_before;
}

YearTransitions year_transitions(const DaylightSaving& dst, std::int32_t standard_offset,
                                 std::int64_t year) {
  // POSIX: the start time is in standard time and the end time in DST.
  return YearTransitions{transition_instant(dst.start, year, standard_offset),
                         transition_instant(dst.end, year, dst.utc_offset)};
}

// The year of an instant's date in standard time, which anchors the transition search.
std::int64_t standard_year_of(EpochSeconds instant, std::int32_t standard_offset) {
  return civil_from_days(floor_div(instant + standard_offset, kSecondsPerDay)).year;
}

TransitionList transitions_around(const DaylightSaving& dst, std::int32_t standard_offset,
                                  EpochSeconds instant) {
  const std::int64_t year = standard_year_of(instant, standard_offset);
  TransitionList list{};
  std::size_t next = 0;
  for (std::int64_t y = year - kYearsBefore; y <= year + kYearsAfter; ++y) {
    const YearTransitions pair = year_transitions(dst, standard_offset, y);
    list[next++] = Transition{pair.dst_start, true};
    list[next++] = Transition{pair.dst_end, false};
  }
  return list;
}

// True when `candidate` is the later of the two; at the same instant a DST start wins,
// so rules whose end meets the next start (e.g. J1/0,J365/25) give permanent DST.
bool is_later(const Transition& candidate, const Transition& best) {
  if (candidate.at != best.at) return candidate.at > best.at;
  return candidate.to_dst && !best.to_dst;
}

bool dst_in_force(const TransitionList& list, EpochSeconds instant) {
  const Transition* latest = nullptr;
  const Transition* earliest = &list[0];
  for (const Transition& transition : list) {
    if (transition.at < earliest->at) earliest = &transition;
    if (transition.at > instant) continue;
    if (latest == nullptr || is_later(transition, *latest)) latest = &transition;
  }
  // Before every listed transition the state is the opposite of the first change.
  if (latest == nullptr) return !earliest->to_dst;
  return latest->to_dst;
}

}  // namespace

std::int64_t transition_day(const TransitionRule& rule, std::int64_t year) {
  const std::int64_t january_first = days_from_civil(year, 1, 1);
  switch (rule.kind) {
    case TransitionDayKind::kJulianNoLeap: {
      // Day 60 is always March 1st, so in leap years February 29 is stepped over.
      const int leap_day = (is_leap_year(year) && rule.day >= 60) ? 1 : 0;
      return january_first + rule.day - 1 + leap_day;
    }
    case TransitionDayKind::kZeroBasedDay:
      return january_first + rule.day;
    case TransitionDayKind::kMonthWeekDay:
      break;
  }
  const std::int64_t month_first = days_from_civil(year, rule.month, 1);
  const std::int64_t first_match =
      month_first + floor_mod(rule.weekday - weekday_from_days(month_first), 7);
  std::int64_t day = first_match + 7 * (rule.week - 1);
  if (day >= month_first + days_in_month(year, rule.month)) day -= 7;  // "5" = last.
  return day;
}

TimeZone::TimeZone() : standard_name_("UTC") {}

TimeZone::TimeZone(std::string standard_name, std::int32_t standard_offset,
                   std::optional<DaylightSaving> daylight_saving)
    : standard_name_(std::move(standard_name)),
      standard_offset_(standard_offset),
      dst_(std::move(daylight_saving)) {}

bool TimeZone::is_dst_at(EpochSeconds instant) const {
  if (!dst_) return false;
  return dst_in_force(transitions_around(*dst_, standard_offset_, instant), instant);
}

std::int32_t TimeZone::utc_offset_at(EpochSeconds instant) const {
  return is_dst_at(instant) ? dst_->utc_offset : standard_offset_;
}

const std::string& TimeZone::abbreviation_at(EpochSeconds instant) const {
  return is_dst_at(instant) ? dst_->name : standard_name_;
}

LocalTime TimeZone::to_local(EpochSeconds instant) const {
  LocalTime local;
  local.is_dst = is_dst_at(instant);
  local.utc_offset = local.is_dst ? dst_->utc_offset : standard_offset_;
  const EpochSeconds wall = instant + local.utc_offset;
  const std::int64_t days = floor_div(wall, kSecondsPerDay);
  const auto seconds = static_cast<int>(wall - days * kSecondsPerDay);
  local.date = civil_from_days(days);
  local.hour = seconds / 3600;
  local.minute = seconds / 60 % 60;
  local.second = seconds % 60;
  local.weekday = weekday_from_days(days);
  local.year_day = static_cast<int>(days - days_from_civil(local.date.year, 1, 1)) + 1;
  return local;
}

EpochSeconds TimeZone::from_local(const CivilDate& date, std::int64_t seconds_of_day) const {
  return resolve_local(date, seconds_of_day).first;
}

EpochSeconds TimeZone::from_local(std::int64_t year, int month, int day, int hour, int minute,
                                  int second) const {
  return from_local(CivilDate{year, month, day},
                    std::int64_t{hour} * 3600 + std::int64_t{minute} * 60 + second);
}

LocalInstants TimeZone::resolve_local(const CivilDate& date, std::int64_t seconds_of_day) const {
  return resolve_local_seconds(days_from_civil(date) * kSecondsPerDay + seconds_of_day);
}

LocalInstants TimeZone::resolve_local_seconds(std::int64_t local_seconds) const {
  const EpochSeconds as_standard = local_seconds - standard_offset_;
  if (!dst_) return LocalInstants{LocalTimeKind::kUnique, as_standard, as_standard};
  const EpochSeconds as_dst = local_seconds - dst_->utc_offset;
  const bool standard_valid = !is_dst_at(as_standard);
  const bool dst_valid = is_dst_at(as_dst);
  if (standard_valid && dst_valid && as_standard != as_dst) {
    const auto [first, last] = std::minmax(as_standard, as_dst);
    return LocalInstants{LocalTimeKind::kRepeated, first, last};
  }
  if (standard_valid) return LocalInstants{LocalTimeKind::kUnique, as_standard, as_standard};
  if (dst_valid) return LocalInstants{LocalTimeKind::kUnique, as_dst, as_dst};
  // Neither reading exists: the clock jumped over this time at a transition between
  // the two candidate instants, and §9.3 maps it to that transition.
  const EpochSeconds transition =
      next_transition_after(std::min(as_standard, as_dst)).value_or(std::max(as_standard, as_dst));
  return LocalInstants{LocalTimeKind::kSkipped, transition, transition};
}

std::optional<YearTransitions> TimeZone::transitions_in(std::int64_t year) const {
  if (!dst_) return std::nullopt;
  return year_transitions(*dst_, standard_offset_, year);
}

std::optional<EpochSeconds> TimeZone::next_transition_after(EpochSeconds instant) const {
  if (!dst_) return std::nullopt;
  std::optional<EpochSeconds> next;
  for (const Transition& transition : transitions_around(*dst_, standard_offset_, instant)) {
    if (transition.at > instant && (!next || transition.at < *next)) next = transition.at;
  }
  return next;
}

}  // namespace er::calendar

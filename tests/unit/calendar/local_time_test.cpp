#include "rules/calendar/local_time.h"

#include <gtest/gtest.h>

namespace er::calendar {
namespace {

constexpr EpochSeconds kReferenceNow = 1747216800;  // Wed 2025-05-14 12:00 CEST (spec §0).
constexpr std::int64_t kHour = 3600;

TimeZone berlin() {
  return TimeZone::parse("CET-1CEST,M3.5.0,M10.5.0/3").value();
}
TimeZone santiago() {
  return TimeZone::parse("<-04>4<-03>,M9.1.6/24,M4.1.6/24").value();
}

TEST(calendar_local_time, short_and_long_times) {
  EXPECT_TRUE(is_short_time(0));
  EXPECT_TRUE(is_short_time(31'535'999));
  EXPECT_FALSE(is_short_time(31'536'000));
  EXPECT_FALSE(is_short_time(kReferenceNow));
  EXPECT_TRUE(is_short_time(-60));
  EXPECT_EQ(time_of_day(90000), 3600);
  EXPECT_EQ(time_of_day(-60), 86340);
  EXPECT_EQ(time_of_day(36030), 36030);
}

TEST(calendar_local_time, midnight_of_the_reference_day) {
  const TimeZone zone = berlin();
  EXPECT_EQ(local_date_of(zone, kReferenceNow), (CivilDate{2025, 5, 14}));
  EXPECT_EQ(start_of_local_day(zone, kReferenceNow), 1747173600);  // Spec §9.2 `midnight`.
  EXPECT_EQ(start_of_local_day(zone, 1747173600), 1747173600);
  EXPECT_EQ(start_of_local_day(zone, 1747173599), 1747173600 - 24 * kHour);
  EXPECT_EQ(next_local_midnight(zone, kReferenceNow), 1747260000);
  EXPECT_EQ(next_local_midnight(zone, 1747173600), 1747260000);
  EXPECT_EQ(next_local_midnight(zone, 1747173599), 1747173600);
}

TEST(calendar_local_time, midnights_around_dst_changes) {
  const TimeZone zone = berlin();
  EXPECT_EQ(local_midnight(zone, CivilDate{2025, 3, 30}), 1743289200);
  EXPECT_EQ(next_local_midnight(zone, 1743289200), 1743372000);  // A 23-hour day.
  EXPECT_EQ(local_midnight(zone, CivilDate{2025, 10, 26}), 1761429600);
  EXPECT_EQ(next_local_midnight(zone, 1761429600), 1761519600);  // A 25-hour day.
  EXPECT_EQ(start_of_local_day(zone, 1761442200), 1761429600);   // The second 02:30.
}

TEST(calendar_local_time, skipped_midnight_starts_the_day_at_the_transition) {
  // Chile moves from 24:00 on Saturday 2025-09-06 straight to 01:00 on Sunday.
  const TimeZone zone = santiago();
  EXPECT_EQ(local_midnight(zone, CivilDate{2025, 9, 7}), 1757217600);
  EXPECT_EQ(next_local_midnight(zone, 1757131200 + 12 * kHour), 1757217600);
  EXPECT_EQ(start_of_local_day(zone, 1757217600 + kHour), 1757217600);
}

TEST(calendar_local_time, next_midnight_after_a_repeated_late_evening) {
  // Chile turns 24:00 on Saturday 2025-04-05 back to 23:00, so 23:00–23:59 repeats.
  const TimeZone zone = santiago();
  const EpochSeconds second_half_past_eleven = 1743910200;
  EXPECT_EQ(local_date_of(zone, second_half_past_eleven), (CivilDate{2025, 4, 5}));
  EXPECT_EQ(next_local_midnight(zone, second_half_past_eleven), 1743912000);
  EXPECT_EQ(next_local_midnight(zone, 1743906600), 1743912000);  // The first 23:30.
}

TEST(calendar_local_time, t_and_n_prefixes) {
  const TimeZone zone = berlin();
  EXPECT_EQ(today_at(zone, kReferenceNow, 8 * kHour), 1747202400);               // t/08:00
  EXPECT_EQ(next_at(zone, kReferenceNow, 8 * kHour), 1747288800);                // n/08:00
  EXPECT_EQ(next_at(zone, kReferenceNow, 18 * kHour), 1747238400);               // n/18:00
  EXPECT_EQ(next_at(zone, kReferenceNow, 12 * kHour), 1747216800 + 24 * kHour);  // Not later.
  EXPECT_EQ(today_at(zone, kReferenceNow, 25 * kHour), 1747177200);  // 25:00 % 24h = 01:00.
}

TEST(calendar_local_time, daily_times_on_the_dst_change_days) {
  const TimeZone zone = berlin();
  const std::int64_t half_past_two = 2 * kHour + 30 * 60;
  // @02:30 fires once at 03:00 CEST in spring and once at the first 02:30 in autumn.
  EXPECT_EQ(wall_clock_on(zone, CivilDate{2025, 3, 30}, half_past_two), 1743296400);
  EXPECT_EQ(wall_clock_on(zone, CivilDate{2025, 10, 26}, half_past_two), 1761438600);
  // @12:00 is 12:00 local on both days.
  EXPECT_EQ(wall_clock_on(zone, CivilDate{2025, 3, 30}, 12 * kHour), 1743328800);
  EXPECT_EQ(wall_clock_on(zone, CivilDate{2025, 10, 26}, 12 * kHour), 1761476400);
  EXPECT_EQ(zone.to_local(1743328800).hour, 12);
  EXPECT_EQ(zone.to_local(1761476400).hour, 12);
  // Short times are taken modulo one day.
  EXPECT_EQ(wall_clock_on(zone, CivilDate{2025, 5, 14}, 36 * kHour), 1747216800);
}

TEST(calendar_local_time, periodic_shorthands) {
  const TimeZone zone = berlin();
  EXPECT_EQ(period_instant_on(zone, CivilDate{2025, 5, 14}, Period::kDaily), 1747173600);
  EXPECT_FALSE(period_instant_on(zone, CivilDate{2025, 5, 14}, Period::kWeekly).has_value());
  EXPECT_EQ(period_instant_on(zone, CivilDate{2025, 5, 19}, Period::kWeekly), 1747605600);
  EXPECT_FALSE(period_instant_on(zone, CivilDate{2025, 5, 14}, Period::kMonthly).has_value());
  EXPECT_EQ(period_instant_on(zone, CivilDate{2025, 6, 1}, Period::kMonthly), 1748728800);
  EXPECT_EQ(next_period_instant(zone, kReferenceNow, Period::kDaily), 1747260000);
  EXPECT_EQ(next_period_instant(zone, kReferenceNow, Period::kWeekly), 1747605600);
  EXPECT_EQ(next_period_instant(zone, kReferenceNow, Period::kMonthly), 1748728800);
  // Exactly at a period's instant, the next one is a full period later.
  EXPECT_EQ(next_period_instant(zone, 1747605600, Period::kWeekly), 1747605600 + 7 * 24 * kHour);
  EXPECT_EQ(next_period_instant(zone, 1748728800, Period::kMonthly), 1751320800);
  EXPECT_EQ(next_period_instant(zone, 1748728800 - 1, Period::kMonthly), 1748728800);
  // Across a year end: Monday 2025-12-29.
  EXPECT_EQ(next_period_instant(zone, 1766595600, Period::kWeekly), 1766962800);
  EXPECT_EQ(next_period_instant(zone, 1766595600, Period::kMonthly), 1767222000);
}

TEST(calendar_local_time, hm_and_hms_formatting) {
  const TimeZone zone = berlin();
  EXPECT_EQ(format_hm(zone, 36030), "10:00");
  EXPECT_EQ(format_hms(zone, 36030), "10:00:30");
  EXPECT_EQ(format_hm(zone, 1747216800), "12:00");
  EXPECT_EQ(format_hm(zone, 90000), "01:00");
  EXPECT_EQ(format_hm(zone, 75240 - 1800), "20:24");  // HM(sunset - 00:30)
  EXPECT_EQ(format_hms(zone, 1747216800 + 59), "12:00:59");
  EXPECT_EQ(format_hm(zone, 0), "00:00");
  EXPECT_EQ(format_hm(zone, -60), "23:59");
  EXPECT_EQ(format_hms(zone, 1761442200), "02:30:00");  // The second 02:30 shows 02:30.
}

}  // namespace
}  // namespace er::calendar

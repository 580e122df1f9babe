#include "rules/calendar/civil.h"

#include <gtest/gtest.h>

namespace er::calendar {
namespace {

TEST(calendar_civil, day_counts_of_known_dates) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(2025, 5, 14), 20222);
  EXPECT_EQ(days_from_civil(2000, 2, 29), 11016);
  EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);
  EXPECT_EQ(days_from_civil(1, 1, 1), -719162);
  EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
  EXPECT_EQ(civil_from_days(20222), (CivilDate{2025, 5, 14}));
  EXPECT_EQ(civil_from_days(-1), (CivilDate{1969, 12, 31}));
  EXPECT_EQ(civil_from_days(-719162), (CivilDate{1, 1, 1}));
}

// Walking day by day across several 400-year eras, each date must follow the previous
// one, and the conversion must round-trip.
TEST(calendar_civil, consecutive_days_follow_the_calendar_and_round_trip) {
  CivilDate previous = civil_from_days(-800'001);
  for (std::int64_t days = -800'000; days <= 800'000; ++days) {
    const CivilDate date = civil_from_days(days);
    ASSERT_EQ(days_from_civil(date), days);
    const bool next_day =
        date.year == previous.year && date.month == previous.month && date.day == previous.day + 1;
    const bool next_month =
        date.day == 1 && previous.day == days_in_month(previous.year, previous.month) &&
        ((date.month == previous.month + 1 && date.year == previous.year) ||
         (date.month == 1 && previous.month == 12 && date.year == previous.year + 1));
    ASSERT_TRUE(next_day || next_month) << date.year << "-" << date.month << "-" << date.day;
    previous = date;
  }
}

TEST(calendar_civil, far_years_use_64_bit_day_counts) {
  const CivilDate far{1'000'000'000, 7, 4};
  EXPECT_EQ(civil_from_days(days_from_civil(far)), far);
  const CivilDate before{-1'000'000'000, 2, 29};  // Divisible by 400: a leap year.
  EXPECT_EQ(civil_from_days(days_from_civil(before)), before);
}

TEST(calendar_civil, leap_years_and_month_lengths) {
  EXPECT_TRUE(is_leap_year(2024));
  EXPECT_TRUE(is_leap_year(2000));
  EXPECT_TRUE(is_leap_year(0));
  EXPECT_FALSE(is_leap_year(1900));
  EXPECT_FALSE(is_leap_year(2025));
  EXPECT_TRUE(is_leap_year(-4));
  EXPECT_EQ(days_in_month(2024, 2), 29);
  EXPECT_EQ(days_in_month(2025, 2), 28);
  EXPECT_EQ(days_in_month(2025, 4), 30);
  EXPECT_EQ(days_in_month(2025, 12), 31);
}

TEST(calendar_civil, day_overflow_rolls_over_as_date_literals_do) {
  // Spec §1.6: 2025/02/30 is 2025-03-02.
  EXPECT_EQ(days_from_civil(2025, 2, 30), days_from_civil(2025, 3, 2));
  EXPECT_EQ(normalize(CivilDate{2025, 2, 30}), (CivilDate{2025, 3, 2}));
  EXPECT_EQ(normalize(CivilDate{2024, 2, 30}), (CivilDate{2024, 3, 1}));
  EXPECT_EQ(normalize(CivilDate{2025, 4, 31}), (CivilDate{2025, 5, 1}));
  EXPECT_EQ(normalize(CivilDate{2025, 3, 0}), (CivilDate{2025, 2, 28}));
  EXPECT_EQ(normalize(CivilDate{2025, 13, 1}), (CivilDate{2026, 1, 1}));
  EXPECT_EQ(normalize(CivilDate{2025, 0, 1}), (CivilDate{2024, 12, 1}));
  EXPECT_EQ(normalize(CivilDate{2025, -11, 1}), (CivilDate{2024, 1, 1}));
  EXPECT_EQ(add_days(CivilDate{2024, 12, 31}, 1), (CivilDate{2025, 1, 1}));
  EXPECT_EQ(add_days(CivilDate{2025, 3, 1}, -1), (CivilDate{2025, 2, 28}));
}

TEST(calendar_civil, weekdays) {
  EXPECT_EQ(weekday_from_days(0), kThursday);  // 1970-01-01
  EXPECT_EQ(weekday_from_days(-1), kWednesday);
  EXPECT_EQ(weekday_of(CivilDate{2025, 5, 14}), kWednesday);
  EXPECT_EQ(weekday_of(CivilDate{2025, 3, 30}), kSunday);
  EXPECT_EQ(weekday_of(CivilDate{2000, 1, 1}), kSaturday);
}

TEST(calendar_civil, day_of_year) {
  EXPECT_EQ(day_of_year(CivilDate{2025, 1, 1}), 1);
  EXPECT_EQ(day_of_year(CivilDate{2025, 5, 14}), 134);
  EXPECT_EQ(day_of_year(CivilDate{2024, 12, 31}), 366);
  EXPECT_EQ(day_of_year(CivilDate{2025, 12, 31}), 365);
}

TEST(calendar_civil, iso_week_numbers) {
  EXPECT_EQ(iso_week_number(CivilDate{2025, 5, 14}), 20);  // Spec §9.6.
  EXPECT_EQ(iso_week_number(CivilDate{2021, 1, 3}), 53);   // Sunday in 2020's week 53.
  EXPECT_EQ(iso_week_number(CivilDate{2024, 12, 30}), 1);  // Monday in 2025's week 1.
  EXPECT_EQ(iso_week_number(CivilDate{2019, 12, 30}), 1);
  EXPECT_EQ(iso_week_number(CivilDate{2020, 12, 31}), 53);
  EXPECT_EQ(iso_week_number(CivilDate{2026, 12, 31}), 53);
  EXPECT_EQ(iso_week_number(CivilDate{2027, 1, 1}), 53);
  EXPECT_EQ(iso_week_number(CivilDate{2010, 1, 3}), 53);
  EXPECT_EQ(iso_week_number(CivilDate{2025, 1, 1}), 1);
}

TEST(calendar_civil, floor_division_rounds_toward_negative_infinity) {
  EXPECT_EQ(floor_div(7, 2), 3);
  EXPECT_EQ(floor_div(-7, 2), -4);
  EXPECT_EQ(floor_div(-8, 2), -4);
  EXPECT_EQ(floor_mod(-1, 86400), 86399);
  EXPECT_EQ(floor_mod(90000, 86400), 3600);
  EXPECT_EQ(floor_mod(-86400, 86400), 0);
}

}  // namespace
}  // namespace er::calendar

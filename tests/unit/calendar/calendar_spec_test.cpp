#include "rules/calendar/calendar_spec.h"

#include <gtest/gtest.h>

#include <string>

namespace er::calendar {
namespace {

constexpr EpochSeconds kReferenceNow = 1747216800;  // Wed 2025-05-14 12:00 CEST (spec §0).

LocalTime reference_time() {
  return TimeZone::parse("CET-1CEST,M3.5.0,M10.5.0/3").value().to_local(kReferenceNow);
}

// A local time with just the fields the matcher reads.
LocalTime at(std::int64_t year, int month, int day, int hour = 12, int minute = 0) {
  LocalTime local;
  local.date = CivilDate{year, month, day};
  local.hour = hour;
  local.minute = minute;
  local.weekday = weekday_of(local.date);
  return local;
}

bool matches_now(CalendarSpecKind kind, std::string_view text) {
  const Result<CalendarSpec> spec = CalendarSpec::parse(kind, text);
  EXPECT_TRUE(spec.ok()) << spec.error();
  return spec.ok() && spec.value().matches(reference_time());
}

CalendarSpec parsed(CalendarSpecKind kind, std::string_view text) {
  Result<CalendarSpec> spec = CalendarSpec::parse(kind, text);
  EXPECT_TRUE(spec.ok()) << spec.error();
  return spec.ok() ? spec.value() : CalendarSpec{};
}

std::string error_of(CalendarSpecKind kind, std::string_view text) {
  const Result<CalendarSpec> spec = CalendarSpec::parse(kind, text);
  EXPECT_FALSE(spec.ok()) << text;
  return spec.error();
}

TEST(calendar_calendar_spec, spec_reference_values) {
  EXPECT_TRUE(matches_now(CalendarSpecKind::kWday, "mon-fri"));
  EXPECT_FALSE(matches_now(CalendarSpecKind::kWday, "sat,sun"));
  EXPECT_FALSE(matches_now(CalendarSpecKind::kWday, "fri-mon"));
  EXPECT_TRUE(matches_now(CalendarSpecKind::kDay, "1-15"));
  EXPECT_FALSE(matches_now(CalendarSpecKind::kDay, "lastw-last"));
  EXPECT_TRUE(matches_now(CalendarSpecKind::kMonth, "nov-may"));
  EXPECT_TRUE(matches_now(CalendarSpecKind::kDate, "* 8-17 * * mon-fri"));
  EXPECT_TRUE(matches_now(CalendarSpecKind::kDate, "0 12 14 5 *"));
  EXPECT_TRUE(matches_now(CalendarSpecKind::kDate, "*/15 * * * *"));
  EXPECT_FALSE(matches_now(CalendarSpecKind::kDate, "0 18 * * *"));
}

TEST(calendar_calendar_spec, weekday_names_are_case_insensitive_and_may_be_long) {
  EXPECT_TRUE(matches_now(CalendarSpecKind::kWday, "MON-FRI"));
  EXPECT_TRUE(matches_now(CalendarSpecKind::kWday, "Monday-Friday"));
  EXPECT_TRUE(matches_now(CalendarSpecKind::kWday, "wednesday"));
  EXPECT_TRUE(matches_now(CalendarSpecKind::kWday, "tues, Wed"));
  EXPECT_FALSE(matches_now(CalendarSpecKind::kWday, "thurs"));
}

TEST(calendar_calendar_spec, weekday_ranges_wrap) {
  const CalendarSpec weekend = parsed(CalendarSpecKind::kWday, "fri-mon");
  EXPECT_TRUE(weekend.has_weekday(kFriday));
  EXPECT_TRUE(weekend.has_weekday(kSaturday));
  EXPECT_TRUE(weekend.has_weekday(kSunday));
  EXPECT_TRUE(weekend.has_weekday(kMonday));
  EXPECT_FALSE(weekend.has_weekday(kTuesday));
  EXPECT_FALSE(weekend.has_weekday(kThursday));
  const CalendarSpec all = parsed(CalendarSpecKind::kWday, "sun-sat");
  for (int day = kSunday; day <= kSaturday; ++day) EXPECT_TRUE(all.has_weekday(day));
}

TEST(calendar_calendar_spec, days_resolve_last_and_lastw_per_month) {
  const CalendarSpec last = parsed(CalendarSpecKind::kDay, "last");
  EXPECT_TRUE(last.matches(at(2025, 2, 28)));
  EXPECT_FALSE(last.matches(at(2024, 2, 28)));
  EXPECT_TRUE(last.matches(at(2024, 2, 29)));
  EXPECT_TRUE(last.matches(at(2025, 4, 30)));
  EXPECT_TRUE(last.matches(at(2025, 5, 31)));
  const CalendarSpec last_week = parsed(CalendarSpecKind::kDay, "lastw-last");
  EXPECT_FALSE(last_week.matches(at(2025, 5, 24)));
  EXPECT_TRUE(last_week.matches(at(2025, 5, 25)));
  EXPECT_TRUE(last_week.matches(at(2025, 2, 22)));
  EXPECT_FALSE(last_week.matches(at(2025, 2, 21)));
  EXPECT_TRUE(parsed(CalendarSpecKind::kDay, "LASTW").matches(at(2025, 4, 24)));
}

TEST(calendar_calendar_spec, day_ranges_wrap_and_lists_combine) {
  const CalendarSpec turn_of_month = parsed(CalendarSpecKind::kDay, "25-5");
  EXPECT_TRUE(turn_of_month.matches(at(2025, 4, 30)));
  EXPECT_TRUE(turn_of_month.matches(at(2025, 5, 1)));
  EXPECT_TRUE(turn_of_month.matches(at(2025, 5, 5)));
  EXPECT_FALSE(turn_of_month.matches(at(2025, 5, 6)));
  EXPECT_FALSE(turn_of_month.matches(at(2025, 5, 24)));
  const CalendarSpec list = parsed(CalendarSpecKind::kDay, "1,15,last");
  EXPECT_TRUE(list.matches(at(2025, 5, 15)));
  EXPECT_FALSE(list.matches(at(2025, 5, 14)));
  EXPECT_TRUE(list.matches(at(2025, 6, 30)));
  // Day 31 does not exist in April, and a range through it stops at the month's end.
  EXPECT_FALSE(parsed(CalendarSpecKind::kDay, "31").has_day(30, 30));
  EXPECT_TRUE(parsed(CalendarSpecKind::kDay, "28-31").has_day(28, 28));
}

TEST(calendar_calendar_spec, months_by_name_or_number_and_wrapping) {
  const CalendarSpec winter = parsed(CalendarSpecKind::kMonth, "nov-may");
  for (int month : {11, 12, 1, 2, 3, 4, 5}) EXPECT_TRUE(winter.has_month(month)) << month;
  for (int month : {6, 7, 8, 9, 10}) EXPECT_FALSE(winter.has_month(month)) << month;
  EXPECT_TRUE(matches_now(CalendarSpecKind::kMonth, "5"));
  EXPECT_TRUE(matches_now(CalendarSpecKind::kMonth, "MAY"));
  EXPECT_TRUE(matches_now(CalendarSpecKind::kMonth, "april-june"));
  EXPECT_TRUE(parsed(CalendarSpecKind::kMonth, "sept").has_month(9));
  EXPECT_TRUE(parsed(CalendarSpecKind::kMonth, "September").has_month(9));
  EXPECT_TRUE(parsed(CalendarSpecKind::kMonth, "10-2").has_month(1));
}

TEST(calendar_calendar_spec, date_fields_and_steps) {
  const CalendarSpec quarter_hours = parsed(CalendarSpecKind::kDate, "*/15 * * * *");
  for (int minute = 0; minute < 60; ++minute) {
    EXPECT_EQ(quarter_hours.has_minute(minute), minute % 15 == 0) << minute;
  }
  const CalendarSpec from_five = parsed(CalendarSpecKind::kDate, "5/20 * * * *");
  EXPECT_TRUE(from_five.has_minute(5));
  EXPECT_TRUE(from_five.has_minute(25));
  EXPECT_TRUE(from_five.has_minute(45));
  EXPECT_FALSE(from_five.has_minute(0));
  const CalendarSpec stepped_range = parsed(CalendarSpecKind::kDate, "10-20/5 * * * *");
  EXPECT_TRUE(stepped_range.has_minute(15));
  EXPECT_TRUE(stepped_range.has_minute(20));
  EXPECT_FALSE(stepped_range.has_minute(25));
  EXPECT_FALSE(stepped_range.has_minute(11));
  const CalendarSpec night = parsed(CalendarSpecKind::kDate, "0 22-2/2 * * *");
  EXPECT_TRUE(night.has_hour(22));
  EXPECT_TRUE(night.has_hour(0));
  EXPECT_TRUE(night.has_hour(2));
  EXPECT_FALSE(night.has_hour(23));
  EXPECT_FALSE(night.has_hour(1));
  EXPECT_FALSE(night.has_hour(12));
}

TEST(calendar_calendar_spec, date_weekday_numbers_start_on_sunday) {
  EXPECT_TRUE(parsed(CalendarSpecKind::kDate, "* * * * 1").has_weekday(kSunday));
  EXPECT_TRUE(parsed(CalendarSpecKind::kDate, "* * * * 7").has_weekday(kSaturday));
  const CalendarSpec workdays = parsed(CalendarSpecKind::kDate, "* * * * 2-6");
  EXPECT_TRUE(workdays.has_weekday(kMonday));
  EXPECT_TRUE(workdays.has_weekday(kFriday));
  EXPECT_FALSE(workdays.has_weekday(kSunday));
  EXPECT_TRUE(matches_now(CalendarSpecKind::kDate, "* * * * 4"));  // Wednesday.
  EXPECT_TRUE(matches_now(CalendarSpecKind::kDate, "* * * may wed"));
}

TEST(calendar_calendar_spec, date_requires_every_field_and_allows_last) {
  const CalendarSpec month_end = parsed(CalendarSpecKind::kDate, "0 0 last * *");
  EXPECT_TRUE(month_end.matches(at(2025, 2, 28, 0, 0)));
  EXPECT_FALSE(month_end.matches(at(2025, 2, 28, 0, 1)));
  EXPECT_FALSE(month_end.matches(at(2025, 2, 27, 0, 0)));
  // Day and weekday must both match (no cron-style OR).
  const CalendarSpec friday_13th = parsed(CalendarSpecKind::kDate, "* * 13 * fri");
  EXPECT_TRUE(friday_13th.matches(at(2025, 6, 13)));
  EXPECT_FALSE(friday_13th.matches(at(2025, 5, 13)));
  EXPECT_FALSE(friday_13th.matches(at(2025, 6, 20)));
  EXPECT_TRUE(matches_now(CalendarSpecKind::kDate, "  0\t12  14 5 *  "));
  EXPECT_TRUE(matches_now(CalendarSpecKind::kDate, "0,30 11-13 1-15 * *"));
}

TEST(calendar_calendar_spec, bad_specs_give_the_spec_error_text) {
  EXPECT_EQ(error_of(CalendarSpecKind::kWday, "xyz"), "bad wday spec: 'xyz'");
  EXPECT_EQ(error_of(CalendarSpecKind::kDay, "32"), "bad day spec: '32'");
  EXPECT_EQ(error_of(CalendarSpecKind::kMonth, "13"), "bad month spec: '13'");
  EXPECT_EQ(error_of(CalendarSpecKind::kDate, "* * *"), "bad date spec: '* * *'");
  EXPECT_EQ(error_of(CalendarSpecKind::kWday, ""), "bad wday spec: ''");
  EXPECT_EQ(parse_wday_spec("1").error(), "bad wday spec: '1'");  // wday() takes names.
  EXPECT_EQ(parse_day_spec("0").error(), "bad day spec: '0'");
  EXPECT_EQ(parse_month_spec("ma").error(), "bad month spec: 'ma'");  // Too short.
  EXPECT_EQ(parse_date_spec("*/0 * * * *").error(), "bad date spec: '*/0 * * * *'");
  for (const char* bad : {"mon,", "mon-", "-fri", "mon-fri/2", "*", "mon--fri", "funday"}) {
    EXPECT_EQ(parse_wday_spec(bad).error(), "bad wday spec: '" + std::string(bad) + "'");
  }
  for (const char* bad :
       {"60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *", "* * * * 0", "* * * * 8",
        "* * * * * *", "x * * * *", "1000 * * * *", "*/ * * * *", "1-2-3 * * * *"}) {
    EXPECT_EQ(parse_date_spec(bad).error(), "bad date spec: '" + std::string(bad) + "'");
  }
  EXPECT_FALSE(parse_day_spec("1/2").ok());  // Steps only in date().
  EXPECT_FALSE(parse_month_spec("*").ok());  // So is '*'.
}

TEST(calendar_calendar_spec, matching_reads_the_local_time_fields) {
  const CalendarSpec office = parsed(CalendarSpecKind::kDate, "* 8-17 * * mon-fri");
  EXPECT_TRUE(office.matches(at(2025, 5, 14, 8, 0)));
  EXPECT_TRUE(office.matches(at(2025, 5, 14, 17, 59)));
  EXPECT_FALSE(office.matches(at(2025, 5, 14, 18, 0)));
  EXPECT_FALSE(office.matches(at(2025, 5, 17, 12, 0)));  // Saturday.
}

// Damaged specs must parse or fail with the spec error, never crash (sanitizers).
TEST(calendar_calendar_spec, damaged_specs_fail_cleanly) {
  const std::string specs[] = {"* 8-17 * * mon-fri", "0 12 14 5 *", "*/15 22-2/2 lastw-last * 1-7",
                               "5/20 0 1,15,last nov-may sun"};
  const std::string replacements = "*/-, 0139lastwxZ";
  for (const std::string& spec : specs) {
    for (std::size_t at = 0; at < spec.size(); ++at) {
      for (char replacement : replacements) {
        std::string damaged = spec;
        damaged[at] = replacement;
        const Result<CalendarSpec> parsed = parse_date_spec(damaged);
        if (parsed.ok()) {
          (void)parsed.value().matches(reference_time());
        } else {
          EXPECT_EQ(parsed.error(), "bad date spec: '" + damaged + "'");
        }
      }
    }
  }
}

}  // namespace
}  // namespace er::calendar

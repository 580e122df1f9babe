#include "rules/calendar/tz.h"

#include <gtest/gtest.h>

#include <string>

namespace er::calendar {
namespace {

constexpr const char* kBerlinRule = "CET-1CEST,M3.5.0,M10.5.0/3";
constexpr EpochSeconds kReferenceNow = 1747216800;  // Wed 2025-05-14 12:00 CEST (spec §0).

TimeZone zone(std::string_view rule) {
  Result<TimeZone> parsed = TimeZone::parse(rule);
  EXPECT_TRUE(parsed.ok()) << parsed.error();
  return parsed.ok() ? parsed.value() : TimeZone();
}

std::string parse_error(std::string_view rule) {
  Result<TimeZone> parsed = TimeZone::parse(rule);
  EXPECT_FALSE(parsed.ok()) << rule;
  return parsed.error();
}

// --- Parsing ---------------------------------------------------------------------

TEST(calendar_tz, parses_the_reference_rule) {
  const TimeZone berlin = zone(kBerlinRule);
  EXPECT_EQ(berlin.standard_name(), "CET");
  EXPECT_EQ(berlin.standard_offset(), 3600);  // POSIX "-1" is one hour east.
  ASSERT_TRUE(berlin.has_dst());
  const DaylightSaving& dst = *berlin.daylight_saving();
  EXPECT_EQ(dst.name, "CEST");
  EXPECT_EQ(dst.utc_offset, 7200);  // Default: one hour ahead of standard time.
  EXPECT_EQ(dst.start, (TransitionRule{TransitionDayKind::kMonthWeekDay, 3, 5, 0, 0, 7200}));
  EXPECT_EQ(dst.end, (TransitionRule{TransitionDayKind::kMonthWeekDay, 10, 5, 0, 0, 10800}));
}

TEST(calendar_tz, parses_zones_without_dst) {
  const TimeZone utc = zone("UTC0");
  EXPECT_EQ(utc.standard_name(), "UTC");
  EXPECT_EQ(utc.standard_offset(), 0);
  EXPECT_FALSE(utc.has_dst());
  EXPECT_EQ(zone("JST-9").standard_offset(), 9 * 3600);
  EXPECT_EQ(zone("EST5").standard_offset(), -5 * 3600);
  EXPECT_EQ(zone("XYZ+5").standard_offset(), -5 * 3600);
}

TEST(calendar_tz, parses_quoted_names_and_minutes_and_seconds) {
  const TimeZone tehran = zone("<+0330>-3:30");
  EXPECT_EQ(tehran.standard_name(), "+0330");
  EXPECT_EQ(tehran.standard_offset(), 3 * 3600 + 1800);
  EXPECT_EQ(zone("<-03>3").standard_offset(), -3 * 3600);
  EXPECT_EQ(zone("LMT-0:53:28").standard_offset(), 53 * 60 + 28);
  const TimeZone nuuk = zone("<-02>2<-01>,M3.5.0/-1,M10.5.0/0");
  EXPECT_EQ(nuuk.daylight_saving()->name, "-01");
  EXPECT_EQ(nuuk.daylight_saving()->utc_offset, -3600);
  EXPECT_EQ(nuuk.daylight_saving()->start.time, -3600);
  EXPECT_EQ(nuuk.daylight_saving()->end.time, 0);
}

TEST(calendar_tz, parses_explicit_dst_offset_and_julian_rules) {
  const TimeZone julian = zone("AAA3BBB1:30,J60/1:30:15,300/25");
  const DaylightSaving& dst = *julian.daylight_saving();
  EXPECT_EQ(dst.utc_offset, -5400);
  EXPECT_EQ(dst.start.kind, TransitionDayKind::kJulianNoLeap);
  EXPECT_EQ(dst.start.day, 60);
  EXPECT_EQ(dst.start.time, 5415);
  EXPECT_EQ(dst.end.kind, TransitionDayKind::kZeroBasedDay);
  EXPECT_EQ(dst.end.day, 300);
  EXPECT_EQ(dst.end.time, 25 * 3600);
}

TEST(calendar_tz, dst_without_rules_uses_the_us_rules_as_newlib_does) {
  const TimeZone eastern = zone("EST5EDT");
  const DaylightSaving& dst = *eastern.daylight_saving();
  EXPECT_EQ(dst.start, (TransitionRule{TransitionDayKind::kMonthWeekDay, 3, 2, 0, 0, 7200}));
  EXPECT_EQ(dst.end, (TransitionRule{TransitionDayKind::kMonthWeekDay, 11, 1, 0, 0, 7200}));
  const YearTransitions y2025 = *eastern.transitions_in(2025);
  EXPECT_EQ(y2025.dst_start, 1741503600);  // 2025-03-09 07:00 UTC
  EXPECT_EQ(y2025.dst_end, 1762063200);    // 2025-11-02 06:00 UTC
}

TEST(calendar_tz, reports_bad_rules_with_a_clear_message) {
  EXPECT_EQ(parse_error("CET"),
            "bad TZ rule 'CET': expected a UTC offset such as -1 or 5:30 (at character 4)");
  EXPECT_EQ(parse_error(""), "bad TZ rule '': the rule is empty; UTC is \"UTC0\" (at character 1)");
  EXPECT_EQ(
      parse_error("CET-1CEST,M3.5.0"),
      "bad TZ rule 'CET-1CEST,M3.5.0': expected ',' before the DST end rule (at character 17)");
  EXPECT_EQ(parse_error("CET-1CEST,M13.5.0,M10.5.0"),
            "bad TZ rule 'CET-1CEST,M13.5.0,M10.5.0': the month of an M rule must be 1-12 "
            "(at character 12)");
  EXPECT_NE(parse_error(":Europe/Berlin").find("zone files"), std::string::npos);
  EXPECT_NE(parse_error("CET-1CEST,M3.6.0,M10.5.0").find("week of an M rule"), std::string::npos);
  EXPECT_NE(parse_error("CET-1CEST,M3.5.7,M10.5.0").find("weekday of an M rule"),
            std::string::npos);
  EXPECT_NE(parse_error("CET-25").find("hours must be 0-24"), std::string::npos);
  EXPECT_NE(parse_error("CET-1:60").find("minutes"), std::string::npos);
  EXPECT_NE(parse_error("<+03-3").find("'>'"), std::string::npos);
  EXPECT_NE(parse_error("<>-3").find("zone name"), std::string::npos);
  EXPECT_NE(parse_error("CET-1CEST,J0,J365").find("J rule day"), std::string::npos);
  EXPECT_NE(parse_error("CET-1CEST,366,1").find("day-of-year rule"), std::string::npos);
  EXPECT_NE(parse_error("CET-1CEST,M3.5.0/168,M10.5.0").find("167"), std::string::npos);
  EXPECT_NE(parse_error("CET-1 CEST").find("DST"), std::string::npos);
  EXPECT_NE(parse_error("CET-1CEST,M3.5.0,M10.5.0x").find("unexpected text"), std::string::npos);
  EXPECT_NE(parse_error("-1CET").find("zone name"), std::string::npos);
  EXPECT_NE(parse_error("CET-1CEST,X").find("transition rule"), std::string::npos);
}

// --- Transition days ---------------------------------------------------------------

TEST(calendar_tz, month_week_day_rules_pick_the_nth_or_last_weekday) {
  const TransitionRule last_sunday_march{TransitionDayKind::kMonthWeekDay, 3, 5, 0, 0, 7200};
  EXPECT_EQ(civil_from_days(transition_day(last_sunday_march, 2025)), (CivilDate{2025, 3, 30}));
  EXPECT_EQ(civil_from_days(transition_day(last_sunday_march, 2026)), (CivilDate{2026, 3, 29}));
  const TransitionRule first_sunday_april{TransitionDayKind::kMonthWeekDay, 4, 1, 0, 0, 7200};
  EXPECT_EQ(civil_from_days(transition_day(first_sunday_april, 2025)), (CivilDate{2025, 4, 6}));
  const TransitionRule fifth_saturday_feb{TransitionDayKind::kMonthWeekDay, 2, 5, 6, 0, 0};
  EXPECT_EQ(civil_from_days(transition_day(fifth_saturday_feb, 2025)), (CivilDate{2025, 2, 22}));
}

TEST(calendar_tz, julian_rules_skip_or_count_february_29) {
  const TransitionRule j60{TransitionDayKind::kJulianNoLeap, 0, 0, 0, 60, 7200};
  EXPECT_EQ(civil_from_days(transition_day(j60, 2024)), (CivilDate{2024, 3, 1}));
  EXPECT_EQ(civil_from_days(transition_day(j60, 2025)), (CivilDate{2025, 3, 1}));
  const TransitionRule j59{TransitionDayKind::kJulianNoLeap, 0, 0, 0, 59, 7200};
  EXPECT_EQ(civil_from_days(transition_day(j59, 2024)), (CivilDate{2024, 2, 28}));
  const TransitionRule n59{TransitionDayKind::kZeroBasedDay, 0, 0, 0, 59, 7200};
  EXPECT_EQ(civil_from_days(transition_day(n59, 2024)), (CivilDate{2024, 2, 29}));
  EXPECT_EQ(civil_from_days(transition_day(n59, 2025)), (CivilDate{2025, 3, 1}));
  const TransitionRule n0{TransitionDayKind::kZeroBasedDay, 0, 0, 0, 0, 7200};
  EXPECT_EQ(civil_from_days(transition_day(n0, 2025)), (CivilDate{2025, 1, 1}));
}

TEST(calendar_tz, julian_zone_changes_offset_on_the_rule_days) {
  // DST from March 1st 02:00 to day 300 (zero-based: October 28th in 2025) 02:00.
  const TimeZone julian = zone("AAA0BBB,J60,300");
  const EpochSeconds march_first_2025 = days_from_civil(2025, 3, 1) * kSecondsPerDay;
  EXPECT_EQ(julian.utc_offset_at(march_first_2025 + 7199), 0);
  EXPECT_EQ(julian.utc_offset_at(march_first_2025 + 7200), 3600);
  const EpochSeconds day_300_2025 = days_from_civil(2025, 10, 28) * kSecondsPerDay;
  EXPECT_EQ(julian.utc_offset_at(day_300_2025 + 3599), 3600);  // 01:59:59 UTC = 02:59:59 BBB.
  EXPECT_EQ(julian.utc_offset_at(day_300_2025 + 3600), 0);
  // In leap 2024, zero-based day 300 is October 27th.
  const EpochSeconds day_300_2024 = days_from_civil(2024, 10, 27) * kSecondsPerDay;
  EXPECT_EQ(julian.utc_offset_at(day_300_2024 + 3600), 0);
  EXPECT_EQ(julian.utc_offset_at(day_300_2024 + 3599), 3600);
}

// --- Offsets at instants ------------------------------------------------------------

TEST(calendar_tz, berlin_offsets_around_both_transitions_of_2025) {
  const TimeZone berlin = zone(kBerlinRule);
  const EpochSeconds spring = 1743296400;  // 2025-03-30 01:00 UTC
  const EpochSeconds autumn = 1761440400;  // 2025-10-26 01:00 UTC
  EXPECT_EQ(berlin.utc_offset_at(spring - 1), 3600);
  EXPECT_EQ(berlin.utc_offset_at(spring), 7200);
  EXPECT_EQ(berlin.utc_offset_at(autumn - 1), 7200);
  EXPECT_EQ(berlin.utc_offset_at(autumn), 3600);
  EXPECT_TRUE(berlin.is_dst_at(kReferenceNow));
  EXPECT_EQ(berlin.abbreviation_at(kReferenceNow), "CEST");
  EXPECT_EQ(berlin.abbreviation_at(autumn), "CET");
  const YearTransitions y2025 = *berlin.transitions_in(2025);
  EXPECT_EQ(y2025.dst_start, spring);
  EXPECT_EQ(y2025.dst_end, autumn);
  EXPECT_EQ(berlin.next_transition_after(kReferenceNow), autumn);
  EXPECT_EQ(berlin.next_transition_after(spring), autumn);
  EXPECT_EQ(berlin.next_transition_after(spring - 1), spring);
}

TEST(calendar_tz, to_local_breaks_down_the_reference_time) {
  const LocalTime local = zone(kBerlinRule).to_local(kReferenceNow);
  EXPECT_EQ(local.date, (CivilDate{2025, 5, 14}));
  EXPECT_EQ(local.hour, 12);
  EXPECT_EQ(local.minute, 0);
  EXPECT_EQ(local.second, 0);
  EXPECT_EQ(local.weekday, kWednesday);
  EXPECT_EQ(local.year_day, 134);
  EXPECT_EQ(local.utc_offset, 7200);
  EXPECT_TRUE(local.is_dst);
  EXPECT_EQ(local.seconds_of_day(), 43200);
}

TEST(calendar_tz, wall_clock_repeats_on_the_autumn_change) {
  const TimeZone berlin = zone(kBerlinRule);
  const LocalTime first = berlin.to_local(1761438600);
  const LocalTime second = berlin.to_local(1761442200);
  EXPECT_EQ(first.hour, 2);
  EXPECT_EQ(first.minute, 30);
  EXPECT_TRUE(first.is_dst);
  EXPECT_EQ(second.hour, 2);
  EXPECT_EQ(second.minute, 30);
  EXPECT_FALSE(second.is_dst);
}

TEST(calendar_tz, southern_hemisphere_dst_spans_the_new_year) {
  const TimeZone sydney = zone("AEST-10AEDT,M10.1.0,M4.1.0/3");
  EXPECT_EQ(sydney.utc_offset_at(1759593599), 10 * 3600);  // 2025-10-05 01:59:59 AEST
  EXPECT_EQ(sydney.utc_offset_at(1759593600), 11 * 3600);  // 03:00:00 AEDT
  EXPECT_EQ(sydney.utc_offset_at(1743868799), 11 * 3600);  // 2025-04-06 02:59:59 AEDT
  EXPECT_EQ(sydney.utc_offset_at(1743868800), 10 * 3600);  // 02:00:00 AEST
  EXPECT_TRUE(sydney.is_dst_at(days_from_civil(2025, 1, 1) * kSecondsPerDay));
  EXPECT_FALSE(sydney.is_dst_at(days_from_civil(2025, 7, 1) * kSecondsPerDay));
  EXPECT_TRUE(sydney.is_dst_at(days_from_civil(2025, 12, 31) * kSecondsPerDay));
}

TEST(calendar_tz, negative_dst_as_in_irish_rules) {
  // Ireland's standard time is summer time (IST, UTC+1); "DST" is winter GMT.
  const TimeZone dublin = zone("IST-1GMT0,M10.5.0,M3.5.0/1");
  const EpochSeconds january = days_from_civil(2025, 1, 15) * kSecondsPerDay;
  const EpochSeconds july = days_from_civil(2025, 7, 15) * kSecondsPerDay;
  EXPECT_EQ(dublin.utc_offset_at(january), 0);
  EXPECT_TRUE(dublin.is_dst_at(january));
  EXPECT_EQ(dublin.utc_offset_at(july), 3600);
  EXPECT_EQ(dublin.utc_offset_at(1743296400 - 1), 0);  // 2025-03-30 01:00 UTC
  EXPECT_EQ(dublin.utc_offset_at(1743296400), 3600);
  EXPECT_EQ(dublin.utc_offset_at(1761440400 - 1), 3600);  // 2025-10-26 01:00 UTC
  EXPECT_EQ(dublin.utc_offset_at(1761440400), 0);
}

TEST(calendar_tz, negative_and_late_rule_times) {
  // Greenland: DST starts at -1:00 on the last Sunday of March (Saturday 23:00 local).
  const TimeZone nuuk = zone("<-02>2<-01>,M3.5.0/-1,M10.5.0/0");
  EXPECT_EQ(nuuk.utc_offset_at(1743296400 - 1), -7200);  // 2025-03-30 01:00 UTC
  EXPECT_EQ(nuuk.utc_offset_at(1743296400), -3600);
  // Chile: 24:00 on the first Saturday of September (Sunday's midnight is skipped).
  const TimeZone santiago = zone("<-04>4<-03>,M9.1.6/24,M4.1.6/24");
  EXPECT_EQ(santiago.utc_offset_at(1757217600 - 1), -4 * 3600);
  EXPECT_EQ(santiago.utc_offset_at(1757217600), -3 * 3600);
  EXPECT_EQ(santiago.utc_offset_at(1743908400 - 1), -3 * 3600);
  EXPECT_EQ(santiago.utc_offset_at(1743908400), -4 * 3600);
}

TEST(calendar_tz, permanent_dst_when_the_end_meets_the_next_start) {
  // The glibc manual's spelling of all-year DST.
  const TimeZone always = zone("EST5EDT,0/0,J365/25");
  for (int month = 1; month <= 12; ++month) {
    EXPECT_TRUE(always.is_dst_at(days_from_civil(2025, month, 1) * kSecondsPerDay)) << month;
  }
  EXPECT_TRUE(always.is_dst_at(days_from_civil(2026, 1, 1) * kSecondsPerDay + 5 * 3600));
}

TEST(calendar_tz, zones_without_dst_have_one_offset) {
  const TimeZone tokyo = zone("JST-9");
  EXPECT_EQ(tokyo.from_local(2025, 5, 14, 12, 0, 0), 1747191600);
  EXPECT_EQ(tokyo.to_local(1747191600).hour, 12);
  EXPECT_FALSE(tokyo.next_transition_after(0).has_value());
  EXPECT_FALSE(tokyo.transitions_in(2025).has_value());
  const TimeZone utc = zone("UTC0");
  EXPECT_EQ(utc.from_local(1970, 1, 1, 0, 0, 0), 0);
  EXPECT_EQ(utc.to_local(-1).date, (CivilDate{1969, 12, 31}));
  EXPECT_EQ(utc.to_local(-1).second, 59);
  const TimeZone tehran = zone("<+0330>-3:30");
  EXPECT_EQ(tehran.to_local(0).hour, 3);
  EXPECT_EQ(tehran.to_local(0).minute, 30);
}

// --- Local to UTC (spec §9.3) -------------------------------------------------------

TEST(calendar_tz, from_local_reference_values) {
  const TimeZone berlin = zone(kBerlinRule);
  EXPECT_EQ(berlin.from_local(2025, 5, 14, 12, 0, 0), 1747216800);
  EXPECT_EQ(berlin.from_local(2025, 5, 14, 0, 0, 0), 1747173600);
  EXPECT_EQ(berlin.from_local(2025, 12, 24, 18, 0, 0), 1766595600);  // 2025/12/24/18:00
  EXPECT_EQ(berlin.from_local(2026, 1, 1, 0, 0, 0), 1767222000);     // 2026/01/01
  EXPECT_EQ(berlin.from_local(2025, 12, 24, 0, 0, 0), 1766530800);   // /12/24
  EXPECT_EQ(berlin.from_local(2025, 2, 30, 0, 0, 0), berlin.from_local(2025, 3, 2, 0, 0, 0));
}

TEST(calendar_tz, skipped_local_time_maps_to_the_transition) {
  const TimeZone berlin = zone(kBerlinRule);
  EXPECT_EQ(berlin.from_local(2025, 3, 30, 2, 30, 0), 1743296400);  // 03:00 CEST
  EXPECT_EQ(berlin.from_local(2025, 3, 30, 2, 0, 0), 1743296400);
  EXPECT_EQ(berlin.from_local(2025, 3, 30, 2, 59, 59), 1743296400);
  EXPECT_EQ(berlin.from_local(2025, 3, 30, 1, 59, 59), 1743296399);
  EXPECT_EQ(berlin.from_local(2025, 3, 30, 3, 0, 0), 1743296400);
  const LocalInstants skipped = berlin.resolve_local(CivilDate{2025, 3, 30}, 2 * 3600 + 1800);
  EXPECT_EQ(skipped.kind, LocalTimeKind::kSkipped);
  EXPECT_EQ(skipped.first, 1743296400);
  EXPECT_EQ(skipped.last, 1743296400);
}

TEST(calendar_tz, repeated_local_time_maps_to_the_first_occurrence) {
  const TimeZone berlin = zone(kBerlinRule);
  EXPECT_EQ(berlin.from_local(2025, 10, 26, 2, 30, 0), 1761438600);  // 02:30 CEST
  const LocalInstants repeated = berlin.resolve_local(CivilDate{2025, 10, 26}, 2 * 3600 + 1800);
  EXPECT_EQ(repeated.kind, LocalTimeKind::kRepeated);
  EXPECT_EQ(repeated.first, 1761438600);
  EXPECT_EQ(repeated.last, 1761442200);
  EXPECT_EQ(berlin.from_local(2025, 10, 26, 3, 0, 0), 1761444000);  // Unique again.
  EXPECT_EQ(berlin.resolve_local(CivilDate{2025, 10, 26}, 3 * 3600).kind, LocalTimeKind::kUnique);
}

TEST(calendar_tz, noon_is_unique_on_both_change_days) {
  const TimeZone berlin = zone(kBerlinRule);
  EXPECT_EQ(berlin.from_local(2025, 3, 30, 12, 0, 0), 1743328800);   // 12:00 CEST
  EXPECT_EQ(berlin.from_local(2025, 10, 26, 12, 0, 0), 1761476400);  // 12:00 CET
}

TEST(calendar_tz, southern_hemisphere_skipped_and_repeated_times) {
  const TimeZone sydney = zone("AEST-10AEDT,M10.1.0,M4.1.0/3");
  EXPECT_EQ(sydney.from_local(2025, 10, 5, 2, 30, 0), 1759593600);  // Skipped → 03:00 AEDT.
  EXPECT_EQ(sydney.from_local(2025, 4, 6, 2, 30, 0), 1743867000);   // First (AEDT) 02:30.
  EXPECT_EQ(sydney.resolve_local(CivilDate{2025, 4, 6}, 9000).last, 1743870600);
}

TEST(calendar_tz, from_local_round_trips_every_hour_of_a_year) {
  const TimeZone berlin = zone(kBerlinRule);
  const EpochSeconds start = days_from_civil(2025, 1, 1) * kSecondsPerDay;
  for (EpochSeconds instant = start; instant < start + 366 * kSecondsPerDay; instant += 1800) {
    const LocalTime local = berlin.to_local(instant);
    const LocalInstants back = berlin.resolve_local(local.date, local.seconds_of_day());
    ASSERT_TRUE(back.first == instant || back.last == instant) << instant;
  }
}

// Every prefix and every one-character corruption of valid rules must either parse or
// fail with the rule error, never crash (run under the sanitizers).
TEST(calendar_tz, damaged_rules_fail_cleanly) {
  const std::string rules[] = {kBerlinRule, "<+0330>-3:30", "<-02>2<-01>,M3.5.0/-1,M10.5.0/0",
                               "AAA3BBB1:30,J60/1:30:15,300/25"};
  const std::string replacements = "<>+-:,./MJ09Az \x7f";
  for (const std::string& rule : rules) {
    for (std::size_t length = 0; length <= rule.size(); ++length) {
      const Result<TimeZone> parsed = TimeZone::parse(rule.substr(0, length));
      if (!parsed.ok()) {
        EXPECT_EQ(parsed.error().rfind("bad TZ rule '", 0), 0U);
      }
    }
    for (std::size_t at = 0; at < rule.size(); ++at) {
      for (char replacement : replacements) {
        std::string damaged = rule;
        damaged[at] = replacement;
        const Result<TimeZone> parsed = TimeZone::parse(damaged);
        if (parsed.ok()) (void)parsed.value().utc_offset_at(1747216800);
      }
    }
  }
}

TEST(calendar_tz, far_instants_convert_without_overflow) {
  const TimeZone berlin = zone(kBerlinRule);
  for (const EpochSeconds instant : {EpochSeconds{1} << 60, -(EpochSeconds{1} << 60)}) {
    const LocalTime local = berlin.to_local(instant);
    EXPECT_EQ(berlin.from_local(local.date, local.seconds_of_day()), instant);
  }
}

}  // namespace
}  // namespace er::calendar

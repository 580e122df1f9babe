// The NOAA solar-calculator equations, transcribed from spec §9.5 in the same order and
// with the same names, so the two can be compared line by line. The spec works in
// degrees; the sin_deg/cos_deg helpers keep the transcription readable.

#include "rules/calendar/sun.h"

#include <cmath>
#include <numbers>

namespace er::calendar {

namespace {

constexpr double kRadiansPerDegree = std::numbers::pi / 180.0;
constexpr std::int64_t kLastMinuteOfDay = 86'340;  // 23:59, the polar-night sunset.

double to_radians(double angle) {
  return angle * kRadiansPerDegree;
}
double to_degrees(double angle) {
  return angle / kRadiansPerDegree;
}
double sin_deg(double angle) {
  return std::sin(to_radians(angle));
}
double cos_deg(double angle) {
  return std::cos(to_radians(angle));
}
double tan_deg(double angle) {
  return std::tan(to_radians(angle));
}

// The position of the sun at one instant: its declination and the equation of time.
struct SolarPosition {
  double declination_degrees = 0.0;
  double equation_of_time_minutes = 0.0;
};

// JD of local noon: the Meeus calendar-to-Julian-day formula plus (12 - z)/24.
double julian_day_at_local_noon(const CivilDate& date, double utc_offset_hours) {
  auto year = static_cast<double>(date.year);
  auto month = static_cast<double>(date.month);
  if (date.month <= 2) {
    year -= 1.0;
    month += 12.0;
  }
  const double a = std::floor(year / 100.0);
  const double b = 2.0 - a + std::floor(a / 4.0);
  return std::floor(365.25 * (year + 4716.0)) + std::floor(30.6001 * (month + 1.0)) +
         static_cast<double>(date.day) + b - 1524.5 + (12.0 - utc_offset_hours) / 24.0;
}

SolarPosition solar_position(double julian_day) {
  const double t = (julian_day - 2451545.0) / 36525.0;
  const double l0 = std::fmod(280.46646 + t * (36000.76983 + 0.0003032 * t), 360.0);
  const double ma = 357.52911 + t * (35999.05029 - 0.0001537 * t);
  const double e = 0.016708634 - t * (0.000042037 + 0.0000001267 * t);
  const double c = sin_deg(ma) * (1.914602 - t * (0.004817 + 0.000014 * t)) +
                   sin_deg(2.0 * ma) * (0.019993 - 0.000101 * t) + sin_deg(3.0 * ma) * 0.000289;
  const double om = 125.04 - 1934.136 * t;
  const double lam = l0 + c - 0.00569 - 0.00478 * sin_deg(om);
  const double eps = 23.0 +
                     (26.0 + (21.448 - t * (46.815 + t * (0.00059 - 0.001813 * t))) / 60.0) / 60.0 +
                     0.00256 * cos_deg(om);
  const double y = std::pow(tan_deg(eps / 2.0), 2.0);
  const double eot =
      4.0 * to_degrees(y * sin_deg(2.0 * l0) - 2.0 * e * sin_deg(ma) +
                       4.0 * e * y * sin_deg(ma) * cos_deg(2.0 * l0) -
                       0.5 * y * y * sin_deg(4.0 * l0) - 1.25 * e * e * sin_deg(2.0 * ma));
  // std::fmod keeps the sign, but L0 only enters through sines and cosines, so a
  // negative remainder (for dates before 2000) gives the same values as its positive one.
  return SolarPosition{to_degrees(std::asin(sin_deg(eps) * sin_deg(lam))), eot};
}

// Rounds minutes after midnight to the nearest whole minute, halves up, in seconds.
std::int64_t rounded_minute_seconds(double minutes) {
  return static_cast<std::int64_t>(std::floor(minutes + 0.5)) * 60;
}

}  // namespace

SunCrossings sun_crossings(const CivilDate& date, GeoLocation where, double utc_offset_hours,
                           double zenith_degrees) {
  const SolarPosition sun = solar_position(julian_day_at_local_noon(date, utc_offset_hours));
  const double noon =
      720.0 - 4.0 * where.longitude - sun.equation_of_time_minutes + 60.0 * utc_offset_hours;
  const double x =
      cos_deg(zenith_degrees) / (cos_deg(where.latitude) * cos_deg(sun.declination_degrees)) -
      tan_deg(where.latitude) * tan_deg(sun.declination_degrees);
  if (x > 1.0) return SunCrossings{rounded_minute_seconds(noon), rounded_minute_seconds(noon)};
  if (x < -1.0) return SunCrossings{0, kLastMinuteOfDay};
  const double half_day_minutes = 4.0 * to_degrees(std::acos(x));
  return SunCrossings{rounded_minute_seconds(noon - half_day_minutes),
                      rounded_minute_seconds(noon + half_day_minutes)};
}

SunTimes sun_times(const CivilDate& date, GeoLocation where, double utc_offset_hours) {
  const SunCrossings sun = sun_crossings(date, where, utc_offset_hours, kSunriseZenith);
  const SunCrossings civil = sun_crossings(date, where, utc_offset_hours, kCivilTwilightZenith);
  return SunTimes{sun.rise, sun.set, civil.rise, civil.set};
}

SunTimes sun_times(const TimeZone& zone, const CivilDate& date, GeoLocation where) {
  const EpochSeconds local_noon = zone.from_local(date, 12 * 3600);
  const double offset_hours = static_cast<double>(zone.utc_offset_at(local_noon)) / 3600.0;
  return sun_times(date, where, offset_hours);
}

}  // namespace er::calendar

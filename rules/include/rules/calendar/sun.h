#pragma once
// Sunrise, sunset, dawn and dusk by the NOAA solar-calculator equations of spec §9.5,
// evaluated once at local noon. Results are seconds after local midnight, rounded to
// the nearest minute (half up).

#include <cstdint>

#include "rules/calendar/civil.h"
#include "rules/calendar/tz.h"

namespace er::calendar {

/// Zenith angles in degrees: the sun's upper limb on the horizon with standard
/// refraction, and civil twilight (the sun's centre 6° below the horizon).
inline constexpr double kSunriseZenith = 90.833;
inline constexpr double kCivilTwilightZenith = 96.0;

/// A place on Earth in degrees: latitude north-positive, longitude east-positive.
struct GeoLocation {
  double latitude = 0.0;
  double longitude = 0.0;
};

/// One zenith crossing pair, in seconds after local midnight. When the sun stays below
/// the zenith all day (polar night, X > 1 in §9.5) both are solar noon; when it stays
/// above it all day (polar day, X < -1) rise is 0 and set is 86340 (23:59).
struct SunCrossings {
  std::int64_t rise = 0;
  std::int64_t set = 0;
};

/// The day's sun times, in seconds after local midnight.
struct SunTimes {
  std::int64_t sunrise = 0;
  std::int64_t sunset = 0;
  std::int64_t dawn = 0;  ///< Start of morning civil twilight.
  std::int64_t dusk = 0;  ///< End of evening civil twilight.
};

/// The crossings of `zenith_degrees` on a date, with `utc_offset_hours` the zone's
/// east-positive offset at local noon (2.0 for CEST, 5.5 for India).
[[nodiscard]] SunCrossings sun_crossings(const CivilDate& date, GeoLocation where,
                                         double utc_offset_hours, double zenith_degrees);

/// Sunrise/sunset (90.833°) and dawn/dusk (96°) for a date and fixed offset.
[[nodiscard]] SunTimes sun_times(const CivilDate& date, GeoLocation where, double utc_offset_hours);

/// The same, with the offset taken from the zone at local noon of the date.
[[nodiscard]] SunTimes sun_times(const TimeZone& zone, const CivilDate& date, GeoLocation where);

}  // namespace er::calendar

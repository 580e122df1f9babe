// Calendar natives (docs/engine-internals.md §2.3): the engine's local time, DST, sun
// times and calendar tests, on the zone and place in EngineContext. er/time.lua and
// er/scheduler.lua build EventScript's time values (spec §9) on these.
//
//   set_zone(rule)              -> true | nil, message   replaces the zone (er.config tz)
//   set_location(lat, lon)                               replaces the place
//   location()                  -> lat, lon
//   restore_place()                                      the zone and place of boot (E.reset)
//   local_time(epoch)           -> year, month, day, hour, min, sec, wday, yday, isdst,
//                                  utc_offset            wday 1 = Sunday, as os.date
//   zone_abbreviation(epoch)    -> "CEST"
//   from_local(y, m, d, secs)   -> first, last           §9.3; m, d, secs roll over;
//                                  first = last unless the time is repeated
//   day_info(epoch)             -> table                 the local day containing epoch:
//        {midnight, next_midnight, year, month, day, wday, wnum, sunrise, sunset, dawn,
//         dusk, offset, change_at, offset_after}; offset is the UTC offset at midnight;
//         change_at (or nil) the DST change inside the day, offset_after the one after it
//   calendar_spec(kind, text)   -> spec | nil, message   kind "wday", "day", "month", "date"
//   calendar_matches(spec, epoch) -> boolean             §9.7 at the instant's local time
//
// Epochs are integer Unix seconds. Every C++ value alive across a Lua call that may
// raise is trivially destructible or boxed in a userdata (push_boxed).

#include <string_view>

#include "natives.h"
#include "rules/calendar/calendar_spec.h"
#include "rules/calendar/local_time.h"
#include "rules/calendar/sun.h"

namespace er::detail {

namespace {

using calendar::CalendarSpec;
using calendar::CalendarSpecKind;
using calendar::CivilDate;
using calendar::EpochSeconds;
using calendar::Result;
using calendar::TimeZone;

using ParsedSpec = Result<CalendarSpec>;

// The zone and place the engine booted with, kept so E.reset() can restore them.
struct BootPlace {
  TimeZone zone;
  calendar::GeoLocation where;
};

void set_field(lua_State* L, const char* name, lua_Integer value) {
  lua_pushinteger(L, value);
  lua_setfield(L, -2, name);
}

// native.set_zone(rule) -> true | nil, message.
int set_zone(lua_State* L) {
  size_t length = 0;
  const char* text = luaL_checklstring(L, 1, &length);
  auto& parsed = push_boxed(L, [&] { return TimeZone::parse(std::string_view(text, length)); });
  if (!parsed.ok()) {
    lua_pushnil(L);
    lua_pushlstring(L, parsed.error().data(), parsed.error().size());
    return 2;
  }
  context_of(L).zone = parsed.value();
  lua_pushboolean(L, 1);
  return 1;
}

// native.set_location(latitude, longitude).
int set_location(lua_State* L) {
  const double latitude = luaL_checknumber(L, 1);
  const double longitude = luaL_checknumber(L, 2);
  context_of(L).where = {latitude, longitude};
  return 0;
}

// native.location() -> latitude, longitude.
int location(lua_State* L) {
  const auto& where = context_of(L).where;
  lua_pushnumber(L, where.latitude);
  lua_pushnumber(L, where.longitude);
  return 2;
}

// native.restore_place(): upvalue 2 is the boxed BootPlace.
int restore_place(lua_State* L) {
  const auto* boot = static_cast<const BootPlace*>(lua_touserdata(L, lua_upvalueindex(2)));
  auto& context = context_of(L);
  context.zone = boot->zone;
  context.where = boot->where;
  return 0;
}

// native.local_time(epoch) -> year, month, day, hour, min, sec, wday, yday, isdst, offset.
int local_time(lua_State* L) {
  const EpochSeconds instant = luaL_checkinteger(L, 1);
  const calendar::LocalTime local = context_of(L).zone.to_local(instant);
  lua_pushinteger(L, static_cast<lua_Integer>(local.date.year));
  lua_pushinteger(L, local.date.month);
  lua_pushinteger(L, local.date.day);
  lua_pushinteger(L, local.hour);
  lua_pushinteger(L, local.minute);
  lua_pushinteger(L, local.second);
  lua_pushinteger(L, local.weekday + 1);
  lua_pushinteger(L, local.year_day);
  lua_pushboolean(L, local.is_dst ? 1 : 0);
  lua_pushinteger(L, local.utc_offset);
  return 10;
}

// native.zone_abbreviation(epoch) -> the zone's name in force then ("CET", "CEST").
int zone_abbreviation(lua_State* L) {
  const EpochSeconds instant = luaL_checkinteger(L, 1);
  const std::string& name = context_of(L).zone.abbreviation_at(instant);
  lua_pushlstring(L, name.data(), name.size());
  return 1;
}

// native.from_local(year, month, day, seconds) -> first, last.
int from_local(lua_State* L) {
  const lua_Integer year = luaL_checkinteger(L, 1);
  const lua_Integer month = luaL_checkinteger(L, 2);
  const lua_Integer day = luaL_checkinteger(L, 3);
  const lua_Integer seconds = luaL_checkinteger(L, 4);
  // Fold months into years first so that the int fields cannot overflow.
  const CivilDate date = calendar::normalize(
      CivilDate{year + calendar::floor_div(month - 1, 12),
                static_cast<int>(calendar::floor_mod(month - 1, 12) + 1), 1});
  const CivilDate with_day = calendar::add_days(date, day - 1);
  const calendar::LocalInstants instants = context_of(L).zone.resolve_local(with_day, seconds);
  lua_pushinteger(L, instants.first);
  lua_pushinteger(L, instants.last);
  return 2;
}

// Pushes the UTC offset at midnight and the DST change inside [midnight, next) if any.
void push_offsets(lua_State* L, const TimeZone& zone, EpochSeconds midnight, EpochSeconds next) {
  set_field(L, "offset", zone.utc_offset_at(midnight));
  const std::optional<EpochSeconds> change = zone.next_transition_after(midnight);
  if (change.has_value() && *change < next) {
    set_field(L, "change_at", *change);
    set_field(L, "offset_after", zone.utc_offset_at(*change));
  }
}

// native.next_transition(epoch) -> the first DST change strictly after epoch (seconds),
// or nil in a zone without DST.
int next_transition(lua_State* L) {
  const std::optional<EpochSeconds> change = context_of(L).zone.next_transition_after(luaL_checkinteger(L, 1));
  if (change.has_value()) {
    lua_pushinteger(L, *change);
  } else {
    lua_pushnil(L);
  }
  return 1;
}

// native.day_info(epoch) -> the table described at the top of this file.
int day_info(lua_State* L) {
  const EpochSeconds instant = luaL_checkinteger(L, 1);
  const auto& context = context_of(L);
  const TimeZone& zone = context.zone;
  const CivilDate date = calendar::local_date_of(zone, instant);
  const EpochSeconds midnight = calendar::local_midnight(zone, date);
  const EpochSeconds next = calendar::next_local_midnight(zone, instant);
  const calendar::SunTimes sun = calendar::sun_times(zone, date, context.where);
  lua_createtable(L, 0, 14);
  set_field(L, "midnight", midnight);
  set_field(L, "next_midnight", next);
  set_field(L, "year", static_cast<lua_Integer>(date.year));
  set_field(L, "month", date.month);
  set_field(L, "day", date.day);
  set_field(L, "wday", calendar::weekday_of(date) + 1);
  set_field(L, "wnum", calendar::iso_week_number(date));
  set_field(L, "sunrise", sun.sunrise);
  set_field(L, "sunset", sun.sunset);
  set_field(L, "dawn", sun.dawn);
  set_field(L, "dusk", sun.dusk);
  push_offsets(L, zone, midnight, next);
  return 1;
}

CalendarSpecKind check_spec_kind(lua_State* L, int index) {
  static const char* const kNames[] = {"wday", "day", "month", "date", nullptr};
  static const CalendarSpecKind kKinds[] = {CalendarSpecKind::kWday, CalendarSpecKind::kDay,
                                            CalendarSpecKind::kMonth, CalendarSpecKind::kDate};
  return kKinds[luaL_checkoption(L, index, nullptr, kNames)];
}

// native.calendar_spec(kind, text) -> spec userdata | nil, "bad <kind> spec: '<text>'".
int calendar_spec(lua_State* L) {
  const CalendarSpecKind kind = check_spec_kind(L, 1);
  size_t length = 0;
  const char* text = luaL_checklstring(L, 2, &length);
  auto& parsed = push_boxed(L, [&] { return CalendarSpec::parse(kind, std::string_view(text, length)); });
  if (parsed.ok()) return 1;
  lua_pushnil(L);
  lua_pushlstring(L, parsed.error().data(), parsed.error().size());
  return 2;
}

// native.calendar_matches(spec, epoch) -> boolean.
int calendar_matches(lua_State* L) {
  const auto* parsed = static_cast<const ParsedSpec*>(luaL_checkudata(L, 1, typeid(ParsedSpec).name()));
  const EpochSeconds instant = luaL_checkinteger(L, 2);
  luaL_argcheck(L, parsed->ok(), 1, "not a valid calendar spec");
  lua_pushboolean(L, parsed->value().matches(context_of(L).zone.to_local(instant)) ? 1 : 0);
  return 1;
}

}  // namespace

void open_calendar_natives(lua_State* L, EngineContext& context) {
  static const luaL_Reg kFunctions[] = {
      {"set_zone", set_zone},
      {"set_location", set_location},
      {"location", location},
      {"local_time", local_time},
      {"zone_abbreviation", zone_abbreviation},
      {"from_local", from_local},
      {"day_info", day_info},
      {"next_transition", next_transition},
      {"calendar_spec", calendar_spec},
      {"calendar_matches", calendar_matches},
      {nullptr, nullptr}};
  register_natives(L, context, kFunctions);
  lua_pushlightuserdata(L, &context);
  push_boxed(L, [&] { return BootPlace{context.zone, context.where}; });
  lua_pushcclosure(L, restore_place, 2);
  lua_setfield(L, -2, "restore_place");
}

}  // namespace er::detail

// The engine's time module (rules/lua/er/time.lua) and scheduler (er/scheduler.lua) on
// the calendar natives, driven through Lua on a virtual clock. Expected values are the
// spec's reference values (spec §0: Berlin, Wednesday 2025-05-14 12:00:00 CEST).
//
// The scheduler is tested here in isolation: a fresh scheduler is built on a fake core
// (er.scheduler.new) that records timer_at, cancel_timer, start_run and rule_error, and
// the test fires recorded
// timers itself after moving the clock. tests/rules/time/ tests it with the real core.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "luabind/runtime.h"
#include "port/linux_port.h"
#include "rules/engine.h"

namespace er {
namespace {

constexpr std::int64_t kReferenceEpoch = 1747216800;  // 2025-05-14 12:00:00 CEST.

class QuietHost final : public luasys::Host {
 public:
  void write_log(luasys::LogLevel /*level*/, std::string_view line) override {
    lines.emplace_back(line);
  }
  void reboot(std::string_view /*reason*/) override {}
  std::vector<std::string> lines;
};

// A scheduler built on a recording fake of the core's interface (what er.scheduler.new
// takes): it replaces the engine's E.sched (and R.at, R.interval, R.first_in).
// Timers are kept in `timers` in arming order; fire(i) moves the clock to timer i's
// instant and calls it.
constexpr const char* kTimerRecorder = R"lua(
  E = require("er.engine").E
  R, G = E.R, E.G
  timers, runs, errors = {}, {}, {}
  local core = {}
  function core.timer_at(owner, ms, fn, ...)
    local t = {owner = owner, ms = ms, fn = fn, args = table.pack(...), live = true}
    timers[#timers + 1] = t
    return t
  end
  function core.timer(owner, ms, fn, ...) return core.timer_at(owner, E.epoch_ms() + ms, fn, ...) end
  function core.cancel_timer(t)
    local was = t.live
    t.live = false
    return was
  end
  function core.start_run(rule, event, fields)
    runs[#runs + 1] = {rule = rule, event = event, fields = fields, now = E.epoch()}
  end
  function core.rule_error(rule, err) errors[#errors + 1] = {rule = rule, err = err} end
  RULES = {}
  E.sched = require("er.scheduler").new(E.base, core, E.time, E.catch)
  E.sched.set_rules(RULES)
  -- Live timers owned by `owner` (nil: engine-level), as sorted epoch seconds.
  function live(owner)
    local list = {}
    for _, t in ipairs(timers) do
      if t.live and t.owner == owner then list[#list + 1] = t.ms // 1000 end
    end
    table.sort(list)
    return table.concat(list, ",")
  end
  -- Fires every live timer due at or before epoch second `until_s`, in time order, with
  -- the clock at each timer's instant, then leaves the clock at until_s.
  function advance_to(until_s)
    while true do
      local next_t
      for _, t in ipairs(timers) do
        if t.live and t.ms <= until_s * 1000 and (next_t == nil or t.ms < next_t.ms) then next_t = t end
      end
      if next_t == nil then break end
      next_t.live = false
      if next_t.ms > E.epoch_ms() then E.native.set_epoch_ms(next_t.ms) end
      next_t.fn(table.unpack(next_t.args, 1, next_t.args.n))
    end
    E.native.set_epoch_ms(until_s * 1000)
  end
  -- A rule as the core would hand it to the scheduler.
  function make_rule(id, d)
    local rule = {id = id, name = "RULE" .. id, enabled = true, d = d, state = {}}
    RULES[id] = rule
    return rule
  end
  function run_times()
    local list = {}
    for _, r in ipairs(runs) do
      list[#list + 1] = r.event.type .. "@" .. tostring(r.event.time) .. (r.event.catchup and "c" or "")
    end
    return table.concat(list, ",")
  end
)lua";

class EngineTimeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    clock_ = std::make_unique<luasys::VirtualClock>(kReferenceEpoch * 1000);
    engine_ = std::make_unique<Engine>(host_, port_, *clock_);
    ASSERT_TRUE(engine_->ok()) << engine_->boot_error();
    run(kTimerRecorder);
  }

  // Runs a Lua chunk; a failure fails the test.
  void run(std::string_view code) {
    lua_State* L = engine_->lua();
    if (luaL_loadbuffer(L, code.data(), code.size(), "=test") != LUA_OK ||
        lua_pcall(L, 0, 0, 0) != LUA_OK) {
      ADD_FAILURE() << lua_tostring(L, -1);
      lua_pop(L, 1);
    }
  }

  // The value of a Lua expression as tostring, or "error: <message>" (engine error
  // objects show their message).
  std::string eval(std::string_view expression) {
    const std::string chunk =
        "local ok, v = pcall(function() return " + std::string(expression) +
        " end)\n"
        "if ok then return tostring(v) end\n"
        "if type(v) == 'table' then return 'error: ' .. tostring(v.message) end\n"
        "return 'error: ' .. tostring(v)";
    lua_State* L = engine_->lua();
    if (luaL_dostring(L, chunk.c_str()) != LUA_OK) {
      std::string message = lua_tostring(L, -1);
      lua_pop(L, 1);
      return "lua: " + message;
    }
    std::string value = lua_tostring(L, -1);
    lua_pop(L, 1);
    return value;
  }

  // Moves the engine clock to a Unix epoch second.
  void set_time(std::int64_t epoch) {
    run("E.native.set_epoch_ms(" + std::to_string(epoch * 1000) + ")");
  }

  luasys::LinuxPort port_;
  QuietHost host_;
  std::unique_ptr<luasys::VirtualClock> clock_;
  std::unique_ptr<Engine> engine_;
};

// §9.2, §9.5, §9.6 -------------------------------------------------------------------

// The suite is named <part>_<module> (docs/testing.md).
using engine_calendar_natives = EngineTimeTest;

TEST_F(engine_calendar_natives, dynamic_values_at_the_reference_instant) {
  EXPECT_EQ(eval("G.now"), "43200");
  EXPECT_EQ(eval("G.midnight"), "1747173600");
  EXPECT_EQ(eval("G.sunrise"), "18660");
  EXPECT_EQ(eval("G.sunset"), "75240");
  EXPECT_EQ(eval("G.dawn"), "16080");
  EXPECT_EQ(eval("G.dusk"), "77820");
  EXPECT_EQ(eval("G.wnum"), "20");
  EXPECT_EQ(eval("G.ostime()"), "1747216800");
  EXPECT_EQ(eval("math.type(G.now)"), "integer");
}

TEST_F(engine_calendar_natives, dynamic_values_follow_the_clock_into_the_next_day) {
  EXPECT_EQ(eval("G.midnight"), "1747173600");  // Caches today.
  set_time(1747260000 + 3 * 3600 + 25);          // Thursday 03:00:25.
  EXPECT_EQ(eval("G.now"), "10825");
  EXPECT_EQ(eval("G.midnight"), "1747260000");
  EXPECT_NE(eval("G.sunrise"), "18660");  // A day later the sun rises earlier.
  set_time(1747605600 + 60);              // Monday 2025-05-19 00:01, ISO week 21.
  EXPECT_EQ(eval("G.wnum"), "21");
  EXPECT_EQ(eval("G.now"), "60");
  set_time(kReferenceEpoch);  // And back.
  EXPECT_EQ(eval("G.wnum"), "20");
  EXPECT_EQ(eval("G.now"), "43200");
}

TEST_F(engine_calendar_natives, now_follows_the_wall_clock_on_dst_change_days) {
  set_time(1743296400);  // 2025-03-30 03:00 CEST, right after the skipped hour.
  EXPECT_EQ(eval("G.now"), "10800");
  EXPECT_EQ(eval("G.midnight"), "1743289200");
  set_time(1743296399);  // 01:59:59 CET.
  EXPECT_EQ(eval("G.now"), "7199");
  set_time(1761438600);  // 2025-10-26, the first 02:30 (CEST).
  EXPECT_EQ(eval("G.now"), "9000");
  set_time(1761438600 + 3600);  // The second 02:30 (CET): now repeats.
  EXPECT_EQ(eval("G.now"), "9000");
  EXPECT_EQ(eval("G.midnight"), "1761429600");
}

// §9.4 ---------------------------------------------------------------------------------

TEST_F(engine_calendar_natives, prefix_operators) {
  EXPECT_EQ(eval("R.today(28800, 1)"), "1747202400");      // t/08:00
  EXPECT_EQ(eval("R.next_time(28800, 1)"), "1747288800");  // n/08:00
  EXPECT_EQ(eval("R.next_time(64800, 1)"), "1747238400");  // n/18:00
  EXPECT_EQ(eval("R.next_time(43200, 1)"), "1747303200");  // n/12:00 is not later than now.
  EXPECT_EQ(eval("R.from_now(600, 1)"), "1747217400");     // +/00:10
  EXPECT_EQ(eval("R.today(90000, 1)"), "1747177200");      // t/25:00 is 01:00.
  EXPECT_EQ(eval("R.today(1766595600, 1)"), "1766595600");  // A long time stays.
  EXPECT_EQ(eval("R.today(nil, 1)"), "error: attempt to perform arithmetic on a nil value");
  EXPECT_EQ(eval("R.from_now({}, 1)"), "error: attempt to perform arithmetic on a table value");
}

TEST_F(engine_calendar_natives, prefix_operators_on_dst_change_days) {
  set_time(1743289200 + 3600);  // 2025-03-30 01:00 CET.
  EXPECT_EQ(eval("R.today(9000, 1)"), "1743296400");   // t/02:30 is 03:00 CEST.
  EXPECT_EQ(eval("R.today(43200, 1)"), "1743328800");  // t/12:00 is 12:00 CEST.
  set_time(1761429600 + 3600);                         // 2025-10-26 01:00 CEST.
  EXPECT_EQ(eval("R.today(9000, 1)"), "1761438600");   // The first 02:30.
  EXPECT_EQ(eval("R.next_time(43200, 1)"), "1761476400");
}

// §9.6 HM / HMS --------------------------------------------------------------------------

TEST_F(engine_calendar_natives, hm_and_hms) {
  EXPECT_EQ(eval("G.HM(36030)"), "10:00");
  EXPECT_EQ(eval("G.HMS(36030)"), "10:00:30");
  EXPECT_EQ(eval("G.HM(1747216800)"), "12:00");
  EXPECT_EQ(eval("G.HM(90000)"), "01:00");
  EXPECT_EQ(eval("G.HM(G.sunset - 1800)"), "20:24");
  EXPECT_EQ(eval("G.HMS(1761438600 + 3600 + 5)"), "02:30:05");
}

// §1.6 date literals -----------------------------------------------------------------------

TEST_F(engine_calendar_natives, date_literals) {
  EXPECT_EQ(eval("R.date(2025, 12, 24, 64800, 1)"), "1766595600");  // 2025/12/24/18:00
  EXPECT_EQ(eval("R.date(nil, 12, 24, 0, 1)"), "1766530800");       // /12/24
  EXPECT_EQ(eval("R.date(2026, 1, 1, 0, 1)"), "1767222000");        // 2026/01/01
  EXPECT_EQ(eval("R.date(2025, 2, 30, 0, 1) == R.date(2025, 3, 2, 0, 1)"), "true");
  EXPECT_EQ(eval("R.date(2025, 3, 30, 9000, 1)"), "1743296400");   // Skipped: the transition.
  EXPECT_EQ(eval("R.date(2025, 10, 26, 9000, 1)"), "1761438600");  // Repeated: the first.
}

TEST_F(engine_calendar_natives, date_literal_year_is_the_current_one_when_evaluated) {
  set_time(1767222000 + 3600);  // 2026-01-01 01:00.
  EXPECT_EQ(eval("R.date(nil, 12, 24, 0, 1)"), "1798066800");  // 2026-12-24 00:00 CET.
}

// §9.7 calendar tests ---------------------------------------------------------------------

TEST_F(engine_calendar_natives, calendar_tests) {
  EXPECT_EQ(eval("G.wday('mon-fri')"), "true");
  EXPECT_EQ(eval("G.wday('sat,sun')"), "false");
  EXPECT_EQ(eval("G.wday('fri-mon')"), "false");
  EXPECT_EQ(eval("G.day('1-15')"), "true");
  EXPECT_EQ(eval("G.day('lastw-last')"), "false");
  EXPECT_EQ(eval("G.month('nov-may')"), "true");
  EXPECT_EQ(eval("G.date('* 8-17 * * mon-fri')"), "true");
  EXPECT_EQ(eval("G.date('0 12 14 5 *')"), "true");
  EXPECT_EQ(eval("G.date('*/15 * * * *')"), "true");
  EXPECT_EQ(eval("G.date('0 18 * * *')"), "false");
  EXPECT_EQ(eval("G.wday('xyz')"), "error: bad wday spec: 'xyz'");
  EXPECT_EQ(eval("G.date('1 2 3')"), "error: bad date spec: '1 2 3'");
  set_time(kReferenceEpoch + 4 * 86400);  // Sunday 2025-05-18.
  EXPECT_EQ(eval("G.wday('sat,sun')"), "true");
  EXPECT_EQ(eval("G.date('0 12 14 5 *')"), "false");
}

// §3.5 between --------------------------------------------------------------------------

TEST_F(engine_calendar_natives, between) {
  EXPECT_EQ(eval("R.between(36000, 50400, 1)"), "true");   // 10:00..14:00
  EXPECT_EQ(eval("R.between(43200, 43200, 1)"), "true");   // 12:00..12:00
  EXPECT_EQ(eval("R.between(79200, 21600, 1)"), "false");  // 22:00..06:00
  EXPECT_EQ(eval("R.between(82800, 46800, 1)"), "true");   // 23:00..13:00
  EXPECT_EQ(eval("R.between(G.sunset, G.sunrise, 1)"), "false");
  EXPECT_EQ(eval("R.between(R.date(2025, 5, 1, 0, 1), R.date(2025, 6, 1, 0, 1), 1)"), "true");
  EXPECT_EQ(eval("R.between('a', 1, 1)"),
            "error: '..' is the between operator on times; use '++' to join strings");
  EXPECT_EQ(eval("R.between(36000, 1747216800, 1)"),
            "error: cannot mix short and long times in '..'");
  set_time(kReferenceEpoch + 11 * 3600);  // 23:00.
  EXPECT_EQ(eval("R.between(79200, 21600, 1)"), "true");
}

// §11 osdate / ostime ----------------------------------------------------------------------

TEST_F(engine_calendar_natives, osdate_and_ostime_use_the_engine_clock_and_zone) {
  EXPECT_EQ(eval("G.osdate('%H:%M')"), "12:00");
  EXPECT_EQ(eval("G.osdate('%Y-%m-%d %H:%M:%S %Z %z %%z')"), "2025-05-14 12:00:00 CEST +0200 %z");
  EXPECT_EQ(eval("G.osdate('%H:%M', 1766595600)"), "18:00");
  EXPECT_EQ(eval("G.osdate('!%H:%M', 1766595600)"), "17:00");
  EXPECT_EQ(eval("G.osdate('*t').hour"), "12");
  EXPECT_EQ(eval("G.osdate('*t').wday"), "4");  // Wednesday; 1 is Sunday as in os.date.
  EXPECT_EQ(eval("G.ostime{year = 2025, month = 5, day = 14, hour = 12}"), "1747216800");
  EXPECT_EQ(eval("G.ostime{year = 2025, month = 12, day = 24, hour = 18}"), "1766595600");
  EXPECT_EQ(eval("G.ostime{year = 2025, month = 10, day = 26, hour = 2, min = 30}"), "1761438600");
  EXPECT_EQ(eval("G.ostime{year = 2025, month = 10, day = 26, hour = 2, min = 30, isdst = false}"),
            "1761442200");
  run("t = {year = 2025, month = 2, day = 30}; G.ostime(t)");
  EXPECT_EQ(eval("t.month .. '/' .. t.day"), "3/2");  // Normalised like os.time.
  EXPECT_EQ(eval("G.ostime{year = 2025}"), "error: field 'month' missing in date table");
}

TEST_F(engine_calendar_natives, time_helpers_for_other_modules) {
  EXPECT_EQ(eval("E.time.local_time(1747216800).hour"), "12");
  EXPECT_EQ(eval("E.time.local_time(1747216800).yday"), "134");
  EXPECT_EQ(eval("E.time.today_at(28800)"), "1747202400");
  EXPECT_EQ(eval("E.time.is_short(31535999)"), "true");
  EXPECT_EQ(eval("E.time.is_short(31536000)"), "false");
  EXPECT_EQ(eval("E.time.is_short('1')"), "false");
}

// §12 er.config -------------------------------------------------------------------------------

TEST_F(engine_calendar_natives, config_changes_zone_and_place) {
  run("E.er.config{tz = 'UTC0'}");
  EXPECT_EQ(eval("G.now"), "36000");
  EXPECT_EQ(eval("G.midnight"), "1747180800");
  EXPECT_EQ(eval("G.osdate('%H:%M %Z')"), "10:00 UTC");
  run("E.er.config{tz = 'CET-1CEST,M3.5.0,M10.5.0/3', latitude = 48.137, longitude = 11.575}");
  EXPECT_EQ(eval("G.now"), "43200");
  EXPECT_NE(eval("G.sunrise"), "18660");  // Munich, not Berlin.
  EXPECT_EQ(eval("E.er.config{tz = 'nonsense'}").rfind("error: ", 0), 0U);
  EXPECT_THAT(eval("E.er.config{latitude = 'x'}"),
              ::testing::HasSubstr("er.config: latitude must be a number, got string"));
  run("E.reset()");  // Back to the place the engine booted with.
  EXPECT_EQ(eval("G.sunrise"), "18660");
}

TEST_F(engine_calendar_natives, config_seed_goes_to_the_random_generator) {
  run("seeded = nil; E.builtins.set_seed = function(s) seeded = s end; E.er.config{seed = 42}");
  EXPECT_EQ(eval("seeded"), "42");
}

// Scheduler: daily timers (§7.5, §8.9, §9.3) -----------------------------------------------

TEST_F(engine_calendar_natives, daily_times_at_or_after_now_become_timers) {
  run(R"lua(
    rule = make_rule(1, {daily = {function() return {25200, 43200, 68400} end}})
    E.sched.plan(rule, {catchup = true})
  )lua");
  EXPECT_EQ(eval("live(rule)"), "1747216800,1747242000");  // 12:00 (now) and 19:00.
  EXPECT_EQ(eval("#runs"), "0");                           // No catch in the table.
  run("advance_to(1747242000)");
  EXPECT_EQ(eval("run_times()"), "daily@1747216800,daily@1747242000");
  EXPECT_EQ(eval("runs[1].fields.daily"), "true");
  EXPECT_EQ(eval("R.at(runs[1].fields, 1)"), "true");
  EXPECT_EQ(eval("R.at({}, 1)"), "false");
}

TEST_F(engine_calendar_natives, catch_up_runs_once_for_the_latest_passed_time) {
  run(R"lua(
    rule = make_rule(1, {daily = {function() return {32400, 36000, 68400, E.catch} end}})
    E.sched.plan(rule, {catchup = true})
  )lua");
  ASSERT_EQ(eval("E.catch ~= nil"), "true");  // The builtins' constant.
  EXPECT_EQ(eval("run_times()"), "daily@1747209600c");  // 10:00, the latest passed.
  EXPECT_EQ(eval("live(rule)"), "1747242000");
  // Enable (no catch-up) and midnight re-planning never catch up.
  run("runs = {}; E.sched.plan(rule, {catchup = false})");
  EXPECT_EQ(eval("#runs"), "0");
}

TEST_F(engine_calendar_natives, long_daily_times_fire_on_their_own_day_only) {
  run(R"lua(
    rule = make_rule(1, {daily = {function() return R.date(2025, 5, 16, 30600, 1) end}})
    E.sched.plan(rule, {})
  )lua");
  EXPECT_EQ(eval("live(rule)"), "");  // Friday, not today.
  run("advance_to(1747346400 + 3600)");  // Friday 01:00: planned at Friday's midnight.
  EXPECT_EQ(eval("live(rule)"), "1747377000");
  run("advance_to(1747260000 + 4 * 86400)");
  EXPECT_EQ(eval("run_times()"), "daily@1747377000");
}

TEST_F(engine_calendar_natives, daily_on_the_spring_change_day_fires_once_at_the_transition) {
  set_time(1743289200 - 3600);  // Saturday 2025-03-29 23:00 CET.
  run(R"lua(
    rule = make_rule(1, {daily = {function() return {9000, 43200} end}})
    E.sched.plan(rule, {})
    advance_to(1743372000 - 1)
  )lua");
  EXPECT_EQ(eval("run_times()"), "daily@1743296400,daily@1743328800");
}

TEST_F(engine_calendar_natives, daily_on_the_autumn_change_day_fires_once_at_the_first_time) {
  set_time(1761429600 - 3600);  // Saturday 2025-10-25 23:00 CEST.
  run(R"lua(
    rule = make_rule(1, {daily = {function() return {9000, 43200} end}})
    E.sched.plan(rule, {})
    advance_to(1761519600 - 1)
  )lua");
  EXPECT_EQ(eval("run_times()"), "daily@1761438600,daily@1761476400");
}

TEST_F(engine_calendar_natives, daily_weekly_and_monthly_shorthands) {
  run(R"lua(
    d = make_rule(1, {daily = {function() return G.daily end}})
    w = make_rule(2, {daily = {function() return G.weekly end}})
    m = make_rule(3, {daily = {function() return G.monthly end}})
    E.sched.plan(d, {}); E.sched.plan(w, {}); E.sched.plan(m, {})
    advance_to(1748728800 + 60)  -- Sunday 2025-06-01 00:01.
  )lua");
  // Daily: each midnight from Thursday; weekly: Monday 05-19 and 05-26; monthly: 06-01.
  EXPECT_EQ(eval("#runs"), "21");
  run(R"lua(
    counts = {0, 0, 0}
    for _, r in ipairs(runs) do counts[r.rule.id] = counts[r.rule.id] + 1 end
    weekly_times = {}
    for _, r in ipairs(runs) do if r.rule == w then weekly_times[#weekly_times + 1] = r.event.time end end
  )lua");
  EXPECT_EQ(eval("table.concat(counts, ',')"), "18,2,1");
  EXPECT_EQ(eval("table.concat(weekly_times, ',')"), "1747605600,1748210400");
}

TEST_F(engine_calendar_natives, midnight_recomputes_runs_hooks_then_replans_in_id_order) {
  run(R"lua(
    order = {}
    E.on_midnight(function() order[#order + 1] = "hook:" .. G.wnum .. ":" .. G.midnight end)
    b = make_rule(2, {daily = {function() order[#order + 1] = "rule2"; return 0 end}})
    a = make_rule(1, {daily = {function() order[#order + 1] = "rule1"; return 0 end}})
    off = make_rule(3, {daily = {function() order[#order + 1] = "rule3"; return 0 end}})
    E.sched.plan(b, {}); E.sched.plan(a, {}); E.sched.plan(off, {})
    off.enabled = false
    order = {}
  )lua");
  EXPECT_EQ(eval("live(nil)"), "1747260000");  // One engine-level midnight timer.
  run("advance_to(1747260000)");
  EXPECT_EQ(eval("table.concat(order, ' ')"), "hook:20:1747260000 rule1 rule2");
  EXPECT_EQ(eval("run_times()"), "daily@1747260000,daily@1747260000");
  EXPECT_EQ(eval("live(nil)"), "1747346400");  // The next midnight is armed.
}

TEST_F(engine_calendar_natives, errors_at_midnight_are_runtime_errors_of_the_rule) {
  run(R"lua(
    fail_now = false
    rule = make_rule(1, {daily = {function()
      if fail_now then error({position = 1, message = "boom"}, 0) end
      return 28800
    end}})
    E.sched.plan(rule, {})
    fail_now = true
    advance_to(1747260000)
  )lua");
  EXPECT_EQ(eval("#errors"), "1");
  // An xpcall record of E.errors.handler, {err = <the error>}, as E.rule_error takes.
  EXPECT_EQ(eval("errors[1].err.err.message"), "boom");
  EXPECT_EQ(eval("errors[1].rule == rule"), "true");
}

TEST_F(engine_calendar_natives, replan_moves_todays_timers_without_catch_up) {
  run(R"lua(
    wake = 26100  -- 07:15
    rule = make_rule(1, {daily = {function() return {wake, E.catch} end}})
    E.sched.plan(rule, {})
  )lua");
  EXPECT_EQ(eval("live(rule)"), "");
  EXPECT_EQ(eval("#runs"), "0");  // Not a catch-up: plan was not asked for one.
  run("wake = 46800; E.sched.replan(rule)");  // 13:00
  EXPECT_EQ(eval("live(rule)"), "1747220400");
  run("wake = 50400; E.sched.replan(rule)");  // 14:00 replaces 13:00.
  EXPECT_EQ(eval("live(rule)"), "1747224000");
  run("advance_to(1747224000)");
  EXPECT_EQ(eval("run_times()"), "daily@1747224000");
  run("E.sched.cancel(rule); runs = {}; E.sched.replan(rule)");  // Forgotten: no-op.
  EXPECT_EQ(eval("live(rule)"), "");
}

TEST_F(engine_calendar_natives, config_change_replans_enabled_rules) {
  run(R"lua(
    rule = make_rule(1, {daily = {function() return 68400 end}})  -- 19:00
    E.sched.plan(rule, {})
    E.er.config{tz = "UTC0"}
  )lua");
  EXPECT_EQ(eval("live(rule)"), "1747249200");  // 19:00 UTC.
  EXPECT_EQ(eval("live(nil)"), "1747267200");   // UTC midnight.
}

// Scheduler: edges (§7.7) -----------------------------------------------------------------

TEST_F(engine_calendar_natives, edge_timers_at_a_and_b_plus_one_second) {
  run(R"lua(
    rule = make_rule(1, {edges = {{function() return 79200 end, function() return 21600 end}}})
    E.sched.plan(rule, {})
  )lua");
  EXPECT_EQ(eval("live(rule)"), "1747252800");  // 22:00 today; 06:00:01 already passed.
  run("advance_to(1747260000 + 86400)");
  EXPECT_EQ(eval("run_times()"),
            "between@1747252800,between@1747281601,between@1747339200");
  EXPECT_EQ(eval("runs[1].fields.between"), "true");
}

TEST_F(engine_calendar_natives, edge_at_the_end_of_the_day_fires_at_midnight) {
  run(R"lua(
    rule = make_rule(1, {edges = {{function() return 79200 end, function() return 86399 end}}})
    E.sched.plan(rule, {})
    advance_to(1747260000 + 60)
  )lua");
  EXPECT_EQ(eval("run_times()"), "between@1747252800,between@1747260000");
}

TEST_F(engine_calendar_natives, long_edges_are_planned_once) {
  run(R"lua(
    rule = make_rule(1, {edges = {{function() return R.date(2025, 5, 20, 0, 1) end,
                                   function() return R.date(2025, 5, 21, 0, 1) end}}})
    E.sched.plan(rule, {})
  )lua");
  EXPECT_EQ(eval("live(rule)"), "");  // Planned on their own days.
  run("advance_to(1747692000 + 60)");
  EXPECT_EQ(eval("live(rule)"), "");  // Tuesday 00:00 fired at once after re-planning.
  run("advance_to(1747778400)");
  EXPECT_EQ(eval("live(rule)"), "1747778401");
  run("advance_to(1747778401 + 86400)");
  EXPECT_EQ(eval("run_times()"), "between@1747692000,between@1747778401");
}

TEST_F(engine_calendar_natives, edge_timers_fire_once_on_the_autumn_change_day) {
  set_time(1761429600 - 3600);  // Saturday 2025-10-25 23:00 CEST.
  run(R"lua(
    rule = make_rule(1, {edges = {{function() return 7200 end, function() return 9000 end}}})
    E.sched.plan(rule, {})
    advance_to(1761519600 - 1)
  )lua");
  // 02:00 CEST and the first 02:30:01; the repeated hour adds nothing.
  EXPECT_EQ(eval("run_times()"), "between@1761436800,between@1761438601");
}

TEST_F(engine_calendar_natives, edge_timers_fire_once_on_the_spring_change_day) {
  set_time(1743289200 - 3600);  // Saturday 2025-03-29 23:00 CET.
  run(R"lua(
    rule = make_rule(1, {edges = {{function() return 7200 end, function() return 9000 end}}})
    E.sched.plan(rule, {})
    advance_to(1743372000 - 1)
  )lua");
  // Both ends fall into the skipped hour: 03:00 CEST and one second later.
  EXPECT_EQ(eval("run_times()"), "between@1743296400,between@1743296401");
}

// Scheduler: intervals (§7.6) ---------------------------------------------------------------

TEST_F(engine_calendar_natives, interval_runs_at_once_then_every_period) {
  run(R"lua(
    rule = make_rule(1, {interval = {aligned = false, seconds = function() return 900 end}})
    E.sched.plan(rule, {})
  )lua");
  EXPECT_EQ(eval("live(rule)"), "1747216800");  // A timer due now, not a run during plan.
  EXPECT_EQ(eval("#runs"), "0");
  run("advance_to(1747216800 + 1800)");
  EXPECT_EQ(eval("run_times()"), "interval@1747216800,interval@1747217700,interval@1747218600");
  EXPECT_EQ(eval("R.interval(runs[1].fields)"), "true");
}

TEST_F(engine_calendar_natives, aligned_interval_starts_at_the_next_multiple) {
  run(R"lua(
    rule = make_rule(1, {interval = {aligned = true, seconds = function() return 3600 end}})
    E.sched.plan(rule, {})
  )lua");
  EXPECT_EQ(eval("live(rule)"), "1747220400");  // 13:00, strictly after 12:00.
}

TEST_F(engine_calendar_natives, interval_after_missed_slots_runs_once_then_the_next_future_slot) {
  run(R"lua(
    rule = make_rule(1, {interval = {aligned = false, seconds = function() return 60 end}})
    E.sched.plan(rule, {})
    advance_to(1747216800)                  -- The first slot.
    E.native.set_epoch_ms(1747216800 * 1000 + 150500)  -- Loop stalled for 2.5 minutes.
    local t = timers[#timers]; t.live = false; t.fn(table.unpack(t.args, 1, t.args.n))
  )lua");
  EXPECT_EQ(eval("run_times()"), "interval@1747216800,interval@1747216860");
  EXPECT_EQ(eval("live(rule)"), "1747216980");  // 12:03, the first slot after 12:02:30.
}

TEST_F(engine_calendar_natives, non_positive_interval_is_a_definition_error) {
  run(R"lua(
    rule = make_rule(1, {interval = {aligned = false, p = 3, seconds = function() return 0 end}})
    ok, err = pcall(E.sched.plan, rule, {})
  )lua");
  EXPECT_EQ(eval("ok"), "false");
  EXPECT_EQ(eval("err.message"), "interval must be positive");
  EXPECT_EQ(eval("err.position"), "3");
}

TEST_F(engine_calendar_natives, describe_lists_the_timers_and_the_next_instant) {
  run(R"lua(
    daily = make_rule(1, {daily = {function() return {28800, 68430} end}})
    every = make_rule(2, {interval = {aligned = false, seconds = function() return 900 end}})
    E.sched.plan(daily, {}); E.sched.plan(every, {})
    texts, next_at = E.sched.describe(daily)
    texts2, next2 = E.sched.describe(every)
  )lua");
  EXPECT_EQ(eval("table.concat(texts, ';')"), "daily 08:00;daily 19:00:30");
  EXPECT_EQ(eval("next_at"), "1747242030");
  EXPECT_EQ(eval("table.concat(texts2, ';')"), "interval 900");
  EXPECT_EQ(eval("next2"), "1747216800");
  run("advance_to(1747242030); texts, next_at = E.sched.describe(daily)");
  EXPECT_EQ(eval("next_at"), "nil");  // Nothing left today.
}

// first_in (§6.3) ----------------------------------------------------------------------------

TEST_F(engine_calendar_natives, first_in_passes_once_per_window) {
  run(R"lua(
    rule = make_rule(1, {})
    env = {run = {rule = rule}}
  )lua");
  // 06:00..09:00 at 12:00 (outside), then the next morning.
  EXPECT_EQ(eval("R.first_in(env, 1, 21600, 32400, 1)"), "false");
  run("advance_to(1747260000 + 7 * 3600)");  // Thursday 07:00.
  EXPECT_EQ(eval("R.first_in(env, 1, 21600, 32400, 1)"), "true");
  EXPECT_EQ(eval("R.first_in(env, 1, 21600, 32400, 1)"), "false");
  EXPECT_EQ(eval("live(rule)"), "1747292401");  // Reset at 09:00:01, owned by the rule.
  run("advance_to(1747346400 + 7 * 3600)");      // Friday 07:00, no evaluation in between.
  EXPECT_EQ(eval("R.first_in(env, 1, 21600, 32400, 1)"), "true");
  EXPECT_EQ(eval("R.first_in(env, 2, 21600, 32400, 1)"), "true");  // Its own state.
}

}  // namespace
}  // namespace er

-- er.time through its interface (require("er.time").new(base, random)): a time object
-- built on a base of its own, so what it installs (R.between, G.HM, er.config, ...)
-- goes to fresh tables, with a fake random generator that records seeds.
local test = require("eventrunner.test")

local E = require("er.engine").E
local time_module = require("er.time")

-- A fresh base over the engine's natives and clock; reset hooks are collected, not run.
local function new_base()
  local base = {native = E.native, R = {}, G = {}, dynamic = {}, er = {}, reset_hooks = {},
                epoch = E.epoch, epoch_ms = E.epoch_ms, fail = E.fail}
  function base.on_reset(fn) base.reset_hooks[#base.reset_hooks + 1] = fn end
  return base
end

local function new_time()
  local seeds = {}
  local random = {set_seed = function(seed) seeds[#seeds + 1] = seed end}
  local base = new_base()
  return time_module.new(base, random), base, seeds
end

test.case("new installs into the base it is given and returns the helpers", function()
  test.start{}
  local T, base = new_time()
  test.eq(T.SHORT, 31536000)
  test.eq(T.is_short(3600), true)
  test.eq(T.is_short(T.SHORT), false)
  test.eq(T.is_short("10"), false)
  test.eq(type(base.R.between), "function")
  test.eq(type(base.G.HM), "function")
  test.eq(type(base.er.config), "function")
  test.eq(type(base.dynamic.sunset), "function")
  test.eq(type(base.dynamic.uptime), "function")
  test.eq(type(base.G.nextDST), "function")
  test.eq(#base.reset_hooks, 2)  -- The day cache and the uptime's start.
  test.eq(T.HM, base.G.HM)
  test.eq(T.HMS(8 * 3600 + 5), "08:00:05")
end)

test.case("the day, wall-clock and now follow the engine clock", function()
  test.start{}                                     -- 2025-05-14 12:00:00 CEST
  local T = new_time()
  local day = T.day()
  test.eq({day.year, day.month, day.day}, {2025, 5, 14})
  test.eq(T.now(), 12 * 3600)
  test.eq(T.today_at(12 * 3600), E.epoch())
  test.eq(T.wall_clock(day, 0), day.midnight)
  test.eq(T.next_at(8 * 3600), day.next_midnight + 8 * 3600)   -- 08:00 has passed today
  test.eq(T.next_at(13 * 3600), day.midnight + 13 * 3600)
  test.eq(T.local_time(E.epoch()).hour, 12)
  test.eq(T.day(day.midnight - 1).day, 13)
  test.advance(3600)
  test.eq(T.now(), 13 * 3600)
end)

test.case("the operators it installs read its clock", function()
  test.start{}
  local _, base = new_time()
  test.eq(base.R.between(11 * 3600, 13 * 3600, 1), true)
  test.eq(base.R.between(22 * 3600, 6 * 3600, 1), false)   -- across midnight
  test.eq(base.R.from_now(60, 1), E.epoch() + 60)
  test.eq(base.dynamic.now(), 12 * 3600)
end)

test.case("er.config passes the seed to the random object and calls the config hooks", function()
  test.start{}
  local T, base, seeds = new_time()
  local calls = 0
  T.on_config(function() calls = calls + 1 end)
  base.er.config{seed = 7}
  test.eq(seeds, {7})
  test.eq(calls, 0)                                -- no change of zone or place
  base.er.config{tz = "UTC0"}
  test.eq(calls, 1)
  test.eq(T.now(), 10 * 3600)                     -- 12:00 CEST is 10:00 UTC
  T.clock_moved()
  test.eq(calls, 2)
  for _, fn in ipairs(base.reset_hooks) do fn() end  -- the engine's place again
  test.eq(T.now(), 12 * 3600)
end)

-- Rules that trigger each other without settling (docs/limits.md): a device or
-- variable ping-pong, a rule posting two events per event, a rule re-triggering itself
-- through wait(0). Each is stopped, the rule that would run next is named with the
-- chain, and the rest of the home keeps running on time.
local test = require("eventrunner.test")

local E = require("er.engine").E
local er = E.er

-- A heartbeat rule firing every minute (the first time at once); returns a check
-- that it fired `n` times.
local function heartbeat()
  test.eval("beats = 0")
  test.eval("@@00:01 => beats += 1")
  return function(n) test.eq(test.eval("return beats"), n, "the heartbeat kept its time") end
end

local function stopped_message()
  for _, line in ipairs(test.logs()) do
    if line:find("event cascade stopped", 1, true) then return line end
  end
  return nil
end

test.case("a device ping-pong between two rules is stopped and named", function()
  test.start{home = "reference"}
  local beats = heartbeat()
  test.eval("55:isOn => 55:off", {name = "lamp_off"})
  test.eval("55:isOff => 55:on", {name = "lamp_on"})
  test.set(55, "value", true)
  local message = stopped_message()
  test.ok(message ~= nil, "the cascade was reported")
  test.ok(message:find("a chain of 101 runs, each triggered by the one before (limit cascade_depth = 100)", 1, true),
    message)
  test.ok(message:find("lamp_off -> lamp_on -> lamp_off", 1, true) or message:find("lamp_on -> lamp_off -> lamp_on", 1, true),
    "the chain is listed: " .. message)
  test.ok(message:find("rules involved: lamp_off, lamp_on", 1, true), message)
  test.advance("00:03")
  beats(4)
  test.eq(test.now(), "2025-05-14 12:03:00")
end)

test.case("a variable ping-pong on the virtual clock lets time advance", function()
  test.start{}
  local beats = heartbeat()
  er.triggerVar("Flip", false)
  test.eval("Flip == true => Flip = false", {name = "flip_down"})
  test.eval("Flip == false => Flip = true", {name = "flip_up"})
  test.eval("Flip = true")
  test.ok(stopped_message() ~= nil, "the cascade was reported")
  test.advance("00:02")
  beats(3)
  test.eq(test.now(), "2025-05-14 12:02:00")
end)

test.case("a rule posting two events per event is stopped by cascade_runs", function()
  test.start{}
  local beats = heartbeat()
  test.eval("count = 0")
  test.eval("#grow => count += 1; post(#grow); post(#grow)", {name = "doubler"})
  test.post({type = "grow"})
  local message = stopped_message()
  test.ok(message ~= nil, "the cascade was reported")
  test.ok(message:find("[doubler]", 1, true), message)
  test.ok(message:find("(limit cascade_runs = 10000)", 1, true), message)
  test.ok(test.eval("return count") <= 10001, "no more runs than the limit (after the first)")
  test.advance("00:02")
  beats(3)
  test.eq(er.getRule("doubler").enabled, false)
end)

test.case("wait(0) between two rules does not hide a ping-pong", function()
  test.start{home = "reference"}
  local beats = heartbeat()
  test.eval("55:isOn => wait(0); 55:off", {name = "slow_off"})
  test.eval("55:isOff => wait(0); 55:on", {name = "slow_on"})
  test.set(55, "value", true)
  test.advance("00:02")
  test.ok(stopped_message() ~= nil, "the cascade was reported")
  beats(3)
end)

test.case("an oscillator slower than the window is no cascade", function()
  test.start{}
  test.eval("ticks = 0")
  test.eval("#tick => ticks += 1; post(#tick, 2)", {name = "blink"})
  test.post({type = "tick"})
  test.advance("01:00")
  test.eq(test.eval("return ticks"), 1801)
  test.eq(stopped_message(), nil)
  test.eq(er.getRule("blink").enabled, true)
end)

test.case("a wide fan-out within the limits runs in full", function()
  test.start{}
  test.eval("hits = 0")
  for i = 1, 300 do test.eval("#fan => hits += 1; post(#leaf)") end
  test.eval("#leaf => hits += 1")
  test.post({type = "fan"})
  test.eq(test.eval("return hits"), 600)
  test.eq(stopped_message(), nil)
end)

test.case("the limits are configurable", function()
  test.start{home = "reference"}
  E.set_limits({cascade_depth = 10})
  test.eval("55:isOn => 55:off", {name = "a"})
  test.eval("55:isOff => 55:on", {name = "b"})
  test.set(55, "value", true)
  test.ok(stopped_message():find("a chain of 11 runs", 1, true), stopped_message())
  local ok, err = pcall(E.set_limits, {cascade_depht = 3})
  test.eq(ok, false)
  test.ok(tostring(err):find("unknown limit 'cascade_depht'", 1, true), tostring(err))
  ok, err = pcall(E.set_limits, {cascade_depth = 0})
  test.ok(tostring(err):find("must be a positive integer", 1, true), tostring(err))
end)

-- test.start: a freshly booted engine, the clock and the place.
local test = require("eventrunner.test")

local here = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."

test.case("start forgets rules, devices, variables and recordings", function()
  test.start{home = "reference"}
  test.eval("66:breached => 55:on")
  test.eval("counter = 5")
  test.set(66, "value", true)
  test.eq(test.value(55, "value"), true)
  test.start{home = "reference"}
  test.eq(test.value(55, "value"), false)
  test.eq(test.value(66, "value"), false)
  test.eq(#test.actions(), 0)
  test.eq(#test.logs(), 0)
  test.set(66, "value", true)
  test.eq(test.value(55, "value"), false)
  local value, message = test.eval("return counter")
  test.eq(value, nil)
  test.ok(message:find("Undefined variable: 'counter'", 1, true), message)
end)

test.case("without a home there are no devices", function()
  test.start{}
  local ok, failure = pcall(test.value, 55, "value")
  test.eq(ok, false)
  test.ok(tostring(failure):find("no such device: 55", 1, true), tostring(failure))
end)

test.case("the reference setting is the default", function()
  test.start{}
  test.eq(test.now(), "2025-05-14 12:00:00")
  test.eq(test.eval("return ostime()"), 1747216800)
  test.eq(test.eval("return sunrise"), 18660)
  test.eq(test.eval("return sunset"), 75240)
end)

test.case("time, zone and place", function()
  test.start{time = "2025-01-15 08:30", tz = "UTC0", lat = 0, lon = 0}
  test.eq(test.now(), "2025-01-15 08:30:00")
  test.eq(test.eval("return ostime()"), 1736929800)
  test.start{time = 1747216800}
  test.eq(test.now(), "2025-05-14 12:00:00")
end)

test.case("a case that does not call start gets the defaults", function()
  test.eq(test.now(), "2025-05-14 12:00:00")
  test.eq(test.eval("return 2 * 3"), 6)
end)

test.case("test.device defines a device whose actions are recorded", function()
  test.start{}
  test.device{id = 5, name = "fan", type = "binarySwitch"}
  test.eval("5:on")
  test.eq(test.actions(), {{time = "12:00:00", epoch = 1747216800, id = 5, action = "turnOn", args = {}}})
  test.eq(test.value(5, "value"), true)
end)

test.case("a home folder: devices, trigger variables, rules and its simulated day", function()
  -- 2025-05-17 is a Saturday: the remote marks the house as away at 12:00.
  test.start{home = here .. "/../homes/mini", time = "2025-05-17 06:59"}
  test.eq(test.value(1, "value"), false)
  test.advance("00:01")
  test.eq(test.value(2, "value"), true)
  test.eq(test.value(1, "value"), true)
  test.advance("00:05")
  test.eq(test.value(1, "value"), false)
  test.eq(test.eval("return Away"), false)
  test.advance("05:00")
  test.eq(test.eval("return Away"), true)
  test.clear()
  test.advance("20:00")  -- Sunday 07:00: motion again, but nobody is home.
  test.eq(test.now(), "2025-05-18 08:05:00")
  test.log_has("[simulation] 2 motion: value = true")
  test.log_has("away: true")
  test.eq(#test.actions(), 0)
end)

-- The first_in modifier (spec §6.3): passes on the first evaluation reaching it inside
-- a..b; resets at b + 1 s and when reached outside the window.
local test = require("eventrunner.test")

test.case("first motion this morning", function()
  test.start{time = "2025-05-14 05:00", home = "reference"}
  test.eval('66:breached first_in 06:00..09:00 => log("first motion %s", osdate("%d %H:%M"))')
  test.set(66, "value", true)       -- 05:00: outside
  test.set(66, "value", false)
  test.advance("01:30")             -- 06:30
  test.set(66, "value", true)
  test.set(66, "value", false)
  test.advance("00:30")             -- 07:00
  test.set(66, "value", true)
  test.eq(test.logs(), {"first motion 14 06:30"})
end)

test.case("the window resets at b + 1 s without an evaluation outside it", function()
  test.start{time = "2025-05-14 07:00", home = "reference"}
  test.eval('66:breached first_in 06:00..09:00 => log("first %s", osdate("%d %H:%M"))')
  test.set(66, "value", true)
  test.set(66, "value", false)
  test.advance("24:00")             -- The next day at 07:00, no motion in between.
  test.set(66, "value", true)
  test.eq(test.logs(), {"first 14 07:00", "first 15 07:00"})
end)

test.case("a window across midnight", function()
  test.start{time = "2025-05-14 22:30", home = "reference"}
  test.eval('66:breached first_in 22:00..02:00 => log("night %s", osdate("%d %H:%M"))')
  test.set(66, "value", true)
  test.set(66, "value", false)
  test.advance("02:00")             -- 00:30, same window
  test.set(66, "value", true)
  test.eq(test.logs(), {"night 14 22:30"})
end)

test.case("first_in state is only changed when reached", function()
  test.start{time = "2025-05-14 07:00", home = "reference"}
  er.vars.armed = false
  test.eval('66:breached & armed first_in 06:00..09:00 => log("first")')
  test.set(66, "value", true)       -- 'armed' is false: first_in not reached.
  test.set(66, "value", false)
  er.vars.armed = true
  test.set(66, "value", true)
  test.eq(test.logs(), {"first"})
end)

test.case("disable resets first_in", function()
  test.start{time = "2025-05-14 07:00", home = "reference"}
  local rule = test.eval('66:breached first_in 06:00..09:00 => log("first")')
  test.set(66, "value", true)
  test.set(66, "value", false)
  rule:disable()
  rule:enable()
  test.set(66, "value", true)
  test.eq(test.logs(), {"first", "first"})
end)

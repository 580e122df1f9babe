-- Between edges (spec §7.7, §3.5): in a rule without '@'/'@@', each a..b adds timers at
-- a and b + 1 s, so the rule is evaluated when the window opens and after it closes.
-- Conditions ending in "| true" let every edge run reach the action, so that the log
-- shows each edge timer.
local test = require("eventrunner.test")

test.case("66:breached & 22:00..06:00 is evaluated at 22:00:00 and 06:00:01", function()
  test.start{home = "reference"}
  test.eval('66:breached & 22:00..06:00 => 55:on')
  test.set(66, "value", true)           -- Motion at 12:00: outside the window.
  test.eq(test.value(55, "value"), false)
  test.advance("10:00")                 -- 22:00: the edge timer evaluates the condition.
  test.eq(test.value(55, "value"), true)
  test.eq(test.actions()[1].time, "22:00:00")
end)

test.case("edge runs carry {type='between', time=}", function()
  test.start{}
  test.eval('#ping | 13:00..14:00 | true => log("%s %s %s", event.type, HMS(event.time), osdate("%H:%M:%S"))')
  test.advance("03:00")
  test.eq(test.logs(), {"between 13:00:00 13:00:00", "between 14:00:01 14:00:01"})
end)

test.case("the edges of short windows are re-planned every day", function()
  test.start{}
  test.eval('#ping | 22:00..06:00 | true => log(osdate("%d %H:%M:%S"))')
  test.advance(2 * 86400)
  test.eq(test.logs(), {"14 22:00:00", "15 06:00:01", "15 22:00:00", "16 06:00:01"})
end)

test.case("a window ending at 23:59:59 closes at the next midnight", function()
  test.start{}
  test.eval('#ping | 20:00..23:59:59 | true => log("%s %s", osdate("%d %H:%M:%S"), tostring(20:00..23:59:59))')
  test.advance("12:00")
  test.eq(test.logs(), {"14 20:00:00 true", "15 00:00:00 false"})
end)

test.case("long windows add their two edges once", function()
  test.start{}
  test.eval('#ping | 2025/05/15/08:00..2025/05/16/08:00 | true => log(osdate("%d %H:%M:%S"))')
  test.advance(4 * 86400)
  test.eq(test.logs(), {"15 08:00:00", "16 08:00:01"})
end)

test.case("a rule with '@' has no edge timers", function()
  test.start{}
  test.eval('@13:00 & 10:00..14:00 => log(osdate("%H:%M:%S"))')
  test.advance("03:00")
  test.eq(test.logs(), {"13:00:00"})
end)

test.case("edges of a sunset window follow the sun", function()
  test.start{}
  test.eval('#ping | sunset..23:00 => log(osdate("%H:%M:%S"))')
  test.advance("12:00")
  test.eq(test.logs()[1], "20:54:00")
end)

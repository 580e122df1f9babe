-- Daily times and edges on the DST change days (spec §9.3), zone
-- CET-1CEST,M3.5.0,M10.5.0/3: on 2025-03-30 02:00 → 03:00, on 2025-10-26 03:00 → 02:00.
local test = require("eventrunner.test")

local STAMP = 'log("%d %s", event.time, osdate("%d %H:%M:%S %Z"))'

test.case("spring: @02:30 fires once at 03:00 CEST (1743296400)", function()
  test.start{time = "2025-03-29 12:00"}
  test.eval("@02:30 => " .. STAMP)
  test.advance(2 * 86400)
  test.eq(test.logs(), {"1743296400 30 03:00:00 CEST", "1743381000 31 02:30:00 CEST"})
end)

test.case("autumn: @02:30 fires once at the first 02:30 (1761438600)", function()
  test.start{time = "2025-10-25 12:00"}
  test.eval("@02:30 => " .. STAMP)
  test.advance(2 * 86400)
  test.eq(test.logs(), {"1761438600 26 02:30:00 CEST", "1761528600 27 02:30:00 CET"})
end)

test.case("@12:00 is 12:00 local on both change days", function()
  test.start{time = "2025-03-30 00:30"}
  test.eval("@12:00 => " .. STAMP)
  test.advance("12:00")
  test.eq(test.logs(), {"1743328800 30 12:00:00 CEST"})
  test.start{time = "2025-10-26 00:30"}
  test.eval("@12:00 => " .. STAMP)
  test.advance("13:00")   -- The day has 25 hours: 12:00 CET is 13 hours after 00:30 CEST.
  test.eq(test.logs(), {"1761476400 26 12:00:00 CET"})
end)

test.case("the spring day has 23 hours: @00:00 and @23:00 keep their wall clock", function()
  test.start{time = "2025-03-29 23:30"}
  test.eval('@{00:00, 23:00} => log(osdate("%d %H:%M %Z"))')
  test.advance(25 * 3600)
  test.eq(test.logs(), {"30 00:00 CET", "30 23:00 CEST", "31 00:00 CEST"})
end)

test.case("the autumn day has 25 hours: @@01:00 counts elapsed hours", function()
  test.start{time = "2025-10-26 00:00"}
  test.eval('@@01:00 => log(osdate("%H:%M %Z"))')
  test.advance("04:00")
  test.eq(test.logs(), {"00:00 CEST", "01:00 CEST", "02:00 CEST", "02:00 CET", "03:00 CET"})
end)

test.case("autumn: edge timers in the repeated hour fire once", function()
  test.start{time = "2025-10-25 23:00"}
  -- "| true" makes every edge run reach the action, so the log shows each edge timer.
  test.eval('#ping | 02:00..02:30 | true => log("%s %s", osdate("%H:%M:%S %Z"), tostring(02:00..02:30))')
  test.advance("06:00")
  test.eq(test.logs(), {"02:00:00 CEST true", "02:30:01 CEST false"})
end)

test.case("spring: edge timers in the skipped hour fire once each", function()
  test.start{time = "2025-03-29 23:00"}
  test.eval('#ping | 02:00..02:30 | true => log(osdate("%H:%M:%S %Z"))')
  test.advance("06:00")
  test.eq(test.logs(), {"03:00:00 CEST", "03:00:01 CEST"})
end)

test.case("now follows the wall clock through the repeated hour", function()
  test.start{time = 1761438600}   -- The first 02:30, CEST.
  test.eq(test.eval("return now"), 9000)
  test.advance("01:00")           -- The second 02:30, CET.
  test.eq(test.eval("return now"), 9000)
  test.eq(test.eval("return HM(ostime())"), "02:30")
end)

test.case("nextDST() is the next change: 2025-03-30 01:00 UTC, then 2025-10-26 01:00 UTC", function()
  test.start{time = "2025-03-29 12:00"}
  test.eq(test.eval("return nextDST()"), 1743296400)
  test.start{time = "2025-03-30 03:00"}
  test.eq(test.eval("return nextDST()"), 1761440400)
  test.eval("#restart => log('restart at %s', osdate('%d %H:%M %Z'))")
  test.eval("post(#restart, nextDST())")
  test.advance(210 * 86400)
  test.eq(test.logs(), {"restart at 26 02:00 CET"})
end)

test.case("nextDST() is nil in a zone without DST", function()
  test.start{time = "2025-03-29 12:00", tz = "UTC0"}
  test.eq(test.eval("return nextDST()"), nil)
end)

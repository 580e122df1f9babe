-- Catch-up (spec §8.9): at definition only, one run for the latest passed time today.
local test = require("eventrunner.test")

test.case("catch runs once at once for the latest passed time", function()
  test.start{}
  test.eval('@{07:00, 09:00, 18:00, catch} => log("%s %s %s", osdate("%H:%M"), HM(event.time), tostring(event.catchup))')
  test.eq(test.logs(), {"12:00 09:00 true"})
  test.advance("06:00")
  test.eq(test.logs(), {"12:00 09:00 true", "18:00 18:00 nil"})
end)

test.case("the catch-up event is {type='daily', time=, catchup=true}", function()
  test.start{}
  test.eval('@{09:00, catch} => log("%s %d %s", event.type, event.time, tostring(event.catchup))')
  test.eq(test.logs(), {"daily 1747206000 true"})
end)

test.case("nothing passed today: no catch-up", function()
  test.start{time = "2025-05-14 08:00"}
  test.eval('@{09:00, catch} => log("hi")')
  test.eq(test.logs(), {})
  test.advance("01:00")
  test.eq(test.logs(), {"hi"})
end)

test.case("enable does not catch up", function()
  test.start{}
  local rule = test.eval('@{09:00, catch} => log("hi")', {name = "late"})
  test.eq(#test.logs(), 1)
  rule:disable()
  rule:enable()
  test.eq(#test.logs(), 1)
end)

test.case("midnight re-planning does not catch up", function()
  test.start{time = "2025-05-14 23:00"}
  test.eval('@{09:00, catch} => log("%s", osdate("%d %H:%M"))')
  test.eq(test.logs(), {"14 23:00"})
  test.advance("02:00")   -- past midnight
  test.eq(test.logs(), {"14 23:00"})
  test.advance("08:00")   -- 09:00
  test.eq(test.logs(), {"14 23:00", "15 09:00"})
end)

test.case("the catch-up run is '@'-true and passes the condition", function()
  test.start{}
  test.eval('@{09:00, catch} & wday("sat,sun") => log("weekend")')
  test.eval('@{09:00, catch} & wday("wed") => log("wednesday")')
  test.eq(test.logs(), {"wednesday"})
end)

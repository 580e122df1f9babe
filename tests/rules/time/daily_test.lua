-- Daily '@' timers (spec §7.5, §7.2): wall-clock times today, tables of times, long
-- times on their own day, the '@daily' family, and the run's event.
local test = require("eventrunner.test")

-- Each run logs the clock at which it ran and its event.
local STAMP = 'log("%s %s %s", osdate("%Y-%m-%d %H:%M:%S"), event.type, HMS(event.time))'

test.case("a daily time fires today and every day after", function()
  test.start{}
  test.eval("@18:00 => " .. STAMP)
  test.log_lacks("daily")
  test.advance("06:00")
  test.log_has("2025-05-14 18:00:00 daily 18:00:00")
  test.advance("24:00")
  test.log_has("2025-05-15 18:00:00 daily 18:00:00")
  test.eq(#test.logs(), 2)
end)

test.case("a time earlier today waits for tomorrow; now itself fires", function()
  test.start{}
  test.eval("@{08:00, 12:00} => " .. STAMP)
  test.eq(test.logs(), {"2025-05-14 12:00:00 daily 12:00:00"})
  test.advance("20:00")   -- 08:00 tomorrow
  test.log_has("2025-05-15 08:00:00 daily 08:00:00")
  test.eq(#test.logs(), 2)
end)

test.case("a table of times fires at each; the same time twice fires once", function()
  test.start{}
  test.eval("@{13:00, 19:00, 13:00} => " .. STAMP)
  test.advance("08:00")
  test.eq(test.logs(), {"2025-05-14 13:00:00 daily 13:00:00", "2025-05-14 19:00:00 daily 19:00:00"})
end)

test.case("several '@' in one rule: all times count", function()
  test.start{}
  test.eval("@13:00 | @14:00 => " .. STAMP)
  test.advance("03:00")
  test.eq(test.logs(), {"2025-05-14 13:00:00 daily 13:00:00", "2025-05-14 14:00:00 daily 14:00:00"})
end)

test.case("computed short times are taken modulo 24 hours", function()
  test.start{}
  test.eval("@(13:00 + 24:00) => " .. STAMP)   -- 13:00
  test.advance("01:00")
  test.log_has("2025-05-14 13:00:00 daily 13:00:00")
end)

test.case("@sunset - 00:30 fires at 20:24 on the reference day", function()
  test.start{home = "reference"}
  test.eval("@sunset - 00:30 => 55:on")
  test.advance("08:24")
  test.eq(#test.actions(), 1)
  test.eq(test.actions()[1].time, "20:24:00")
  test.eq(test.value(55, "value"), true)
end)

test.case("the condition still filters daily runs: weekdays only", function()
  test.start{}   -- Wednesday
  test.eval('@08:00 & wday("mon-fri") => ' .. STAMP)
  test.advance(7 * 86400)
  -- Thursday, Friday, Monday, Tuesday, Wednesday; not Saturday or Sunday.
  test.eq(#test.logs(), 5)
  test.log_lacks("2025-05-17")
  test.log_lacks("2025-05-18")
end)

test.case("a long time fires once, on its own day", function()
  test.start{}
  test.eval("@2025/05/16/07:30 => " .. STAMP)
  test.advance(5 * 86400)
  test.eq(test.logs(), {"2025-05-16 07:30:00 daily 07:30:00"})
end)

test.case("a long time in the past never fires", function()
  test.start{}
  test.eval("@2025/05/14/08:00 => " .. STAMP)
  test.advance(2 * 86400)
  test.eq(#test.logs(), 0)
end)

test.case("a date literal without a year takes the current year", function()
  test.start{time = "2025-12-23 12:00"}
  test.eval("@/12/24/18:00 => " .. STAMP)
  test.advance(2 * 86400)
  test.eq(test.logs(), {"2025-12-24 18:00:00 daily 18:00:00"})
end)

test.case("@daily fires at each midnight", function()
  test.start{}
  test.eval("@daily => " .. STAMP)
  test.advance(3 * 86400)
  test.eq(test.logs(), {"2025-05-15 00:00:00 daily 00:00:00", "2025-05-16 00:00:00 daily 00:00:00",
                        "2025-05-17 00:00:00 daily 00:00:00"})
end)

test.case("@weekly fires on Mondays at 00:00", function()
  test.start{}
  test.eval("@weekly => " .. STAMP)
  test.advance(14 * 86400)
  test.eq(test.logs(), {"2025-05-19 00:00:00 daily 00:00:00", "2025-05-26 00:00:00 daily 00:00:00"})
end)

test.case("@monthly fires on the first of the month at 00:00", function()
  test.start{}
  test.eval("@monthly => " .. STAMP)
  test.advance(50 * 86400)
  test.eq(test.logs(), {"2025-06-01 00:00:00 daily 00:00:00", "2025-07-01 00:00:00 daily 00:00:00"})
end)

test.case("'@' is true only in runs its own daily timer started", function()
  test.start{}
  test.eval('@13:00 == false & #ping => log("ping run: @ is false")')
  test.eval('@13:00 == true => log("daily run: @ is true")')
  test.post({type = "ping"})
  test.eq(test.logs(), {"ping run: @ is false"})
  test.advance("01:00")
  test.eq(test.logs(), {"ping run: @ is false", "daily run: @ is true"})
end)

test.case("the daily event is {type='daily', time=<epoch>}", function()
  test.start{}
  test.eval('@13:00 => log("%s %s %s", event.type, event.time, tostring(event.catchup))')
  test.advance("01:00")
  test.eq(test.logs(), {"daily 1747220400 nil"})
end)

test.case("rule:info lists the daily times and the next timer", function()
  test.start{}
  local rule = test.eval("@{07:00, 19:00:30} => log('x')")
  local info = rule:info()
  test.eq(info.triggers, {"daily 07:00", "daily 19:00:30"})
  test.eq(info.next, 1747242030)
end)

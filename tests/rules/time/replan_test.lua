-- Re-planning on change (spec §7.5 "Recalculation", RI §5.4): '$name's and trigger
-- variables read in an '@' operand or an edge operand re-plan today's timers instead of
-- starting a run.
local test = require("eventrunner.test")

test.case("@$WakeUp: set to 13:00 at 12:00, it fires at 13:00 today", function()
  test.start{home = "reference"}
  er.globals.WakeUp = 7 * 3600 + 15 * 60    -- 07:15
  test.eval("@$WakeUp => 55:on")
  test.eq(#test.actions(), 0)
  test.eval("$WakeUp = 13:00")
  test.eq(#test.actions(), 0)               -- A re-plan, not a run.
  test.advance("01:00")
  test.eq(#test.actions(), 1)
  test.eq(test.actions()[1].time, "13:00:00")
end)

test.case("a re-planned time replaces the old one", function()
  test.start{}
  er.globals.WakeUp = 14 * 3600
  test.eval('@$WakeUp => log(osdate("%H:%M"))')
  test.eval("$WakeUp = 15:00")
  test.advance("04:00")
  test.eq(test.logs(), {"15:00"})
end)

test.case("re-planning never catches up", function()
  test.start{}
  er.globals.WakeUp = 14 * 3600
  test.eval('@{$WakeUp, catch} => log(osdate("%H:%M"))')
  test.eval("$WakeUp = 09:00")   -- Passed: skipped, no catch-up.
  test.advance("06:00")
  test.eq(test.logs(), {})
  test.advance("15:00")         -- 09:00 tomorrow
  test.eq(test.logs(), {"09:00"})
end)

test.case("an unset $name plans nothing until it is set", function()
  test.start{}
  test.eval('@$Alarm => log(osdate("%H:%M"))')
  test.eval("$Alarm = 12:30")
  test.advance("01:00")
  test.eq(test.logs(), {"12:30"})
end)

test.case("a trigger variable in an '@' operand re-plans", function()
  test.start{}
  er.triggerVar("lights_at", 18 * 3600)
  test.eval('@lights_at => log(osdate("%H:%M"))')
  test.eval("lights_at = 12:45")
  test.advance("01:00")
  test.eq(test.logs(), {"12:45"})
end)

test.case("a $name in a between operand re-plans the edges", function()
  test.start{}
  er.globals.Start = 20 * 3600
  test.eval('#ping | $Start..23:00 => log(osdate("%H:%M:%S"))')
  test.eval("$Start = 13:00")
  test.advance("02:00")
  test.eq(test.logs(), {"13:00:00"})
end)

test.case("a $name that is also an ordinary trigger starts runs", function()
  test.start{}
  er.globals.WakeUp = 14 * 3600
  test.eval('@$WakeUp | $WakeUp == 01:00 => log("run %s", event.type)')
  test.eval("$WakeUp = 01:00")
  test.eq(test.logs(), {"run global"})
end)

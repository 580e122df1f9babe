-- test.advance: virtual time passes and every timer due in between fires at its own
-- virtual time.
local test = require("eventrunner.test")

test.case("waits inside a run end at their own times", function()
  test.start{home = "reference"}
  test.eval("66:breached => wait(10); 55:on; wait(20); 55:off")
  test.set(66, "value", true)
  test.eq(#test.actions(), 0)
  test.advance(60)
  local actions = test.actions()
  test.eq(#actions, 2)
  test.eq({actions[1].time, actions[1].id, actions[1].action}, {"12:00:10", 55, "turnOn"})
  test.eq({actions[2].time, actions[2].id, actions[2].action}, {"12:00:30", 55, "turnOff"})
  test.eq(actions[2].epoch, 1747216830)
  test.eq(test.now(), "2025-05-14 12:01:00")
end)

test.case("HH:MM:SS durations, and crossing midnight", function()
  test.start{time = "2025-05-14 23:59:30", home = "reference"}
  test.eval("@00:00 => 55:on")
  test.advance("00:00:40")
  test.eq(test.value(55, "value"), true)
  test.eq(test.actions()[1].time, "00:00:00")
  test.eq(test.now(), "2025-05-15 00:00:10")
end)

test.case("an interval rule runs once per period", function()
  test.start{home = "reference"}
  test.eval("@@00:15 => 56:value = 56:value + 1")
  test.eq(test.value(56, "value"), 41)
  test.advance("01:00")
  test.eq(test.value(56, "value"), 45)
end)

test.case("an event due exactly when advance ends is delivered by then", function()
  test.start{home = "reference"}
  test.eval("#ping => 55:on")
  test.post({type = "ping"}, 5)
  test.advance(5)
  test.eq(test.value(55, "value"), true)
  test.eq(test.actions()[1].time, "12:00:05")
end)

test.case("fractions of a second", function()
  test.start{home = "reference"}
  test.eval("66:breached => wait(0.25); 55:on")
  test.set(66, "value", true)
  test.advance(0.2)
  test.eq(test.value(55, "value"), false)
  test.advance(0.05)
  test.eq(test.value(55, "value"), true)
end)

-- A rule's condition sees the event it was triggered by (docs/eventscript.md, "Which
-- value a condition sees"): when a property or variable changes again before every
-- rule has seen the older change, a condition run for the older change reads the value
-- that change carried; actions read the current value.
local test = require("eventrunner.test")

local er = require("er.engine").E.er

test.case("step 0 -> 1 -> 2 switches off once", function()
  test.start{home = "reference"}
  er.triggerVar("step", 0)
  test.eval("step == 1 => step = 2")
  test.eval("step == 2 => 55:off")
  test.set(55, "value", true)
  test.clear()
  test.eval("step = 1")
  test.eq(#test.actions(), 1, "sw:off once")
  test.eq(test.eval("return step"), 2)
end)

test.case("two changes at one instant: each run's condition reads its own value", function()
  test.start{home = "reference"}
  test.eval("seen = {}")
  test.eval("56:value > 0 => table.insert(seen, 56:value)", {name = "dim"})
  test.eval("56:value = 10; 56:value = 20")
  test.advance(0)
  -- The condition of the first run read 10 (its event); its action reads the current 20.
  test.eq(test.eval("return seen"), {20, 20})
end)

test.case("a device toggled on and off at one instant still triggers the 'on' rule", function()
  test.start{home = "reference"}
  test.eval("ons = 0; offs = 0")
  test.eval("55:isOn => ons += 1")
  test.eval("55:isOff => offs += 1")
  test.eval("55:on; 55:off")
  test.advance(0)
  test.eq(test.eval("return ons, offs"), 1)
  test.eq(select(2, test.eval("return ons, offs")), 1)
  test.eq(test.value(55, "value"), false, "the device keeps its current value")
end)

test.case("the current value is restored even when the condition fails", function()
  test.start{home = "reference"}
  test.eval("56:value == 10 & nil + 1 == 2 => log('x')", {name = "broken"})
  test.eval("56:value = 10; 56:value = 30")
  test.advance(0)
  test.log_has("[broken]")
  test.eq(test.value(56, "value"), 30)
end)

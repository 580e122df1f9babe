-- BREAK (spec §8.2) and catch (§7.5, §8.9) used by real rules.
local test = require("eventrunner.test")

test.case("BREAK stops the delivery of an event to later rules", function()
  test.start{}
  test.eval('#ping => log("first"); return BREAK')
  test.eval('#ping => log("second")')
  test.post({type = "ping"})
  test.log_has("first")
  test.log_lacks("second")
end)

test.case("an action that does not return BREAK lets the event go on", function()
  test.start{}
  test.eval('#ping => log("first"); return 1')
  test.eval('#ping => log("second")')
  test.post({type = "ping"})
  test.log_has("first")
  test.log_has("second")
end)

test.case("BREAK after a wait no longer stops anything", function()
  test.start{}
  test.eval('#ping => wait(1); return BREAK')
  test.eval('#ping => log("second")')
  test.post({type = "ping"})
  test.log_has("second")
end)

test.case("catch runs a passed daily time once at definition", function()
  test.start{time = "2025-05-14 12:00"}
  test.eval('@{09:00, catch} => log("hi %s", HM(event.time))')
  test.log_has("hi 09:00")
  test.clear()
  test.advance("21:00")   -- to 09:00 the next day
  test.log_has("hi 09:00")
end)

test.case("without catch a passed time waits for tomorrow", function()
  test.start{time = "2025-05-14 12:00"}
  test.eval('@{09:00} => log("hi")')
  test.log_lacks("hi")
end)

test.case("BREAK and catch are values", function()
  test.start{}
  test.eq(test.eval("return tostring(BREAK)"), "BREAK")
  test.eq(test.eval("return tostring(catch)"), "catch")
  test.eq(test.eval("return BREAK == BREAK & BREAK != catch"), true)
end)

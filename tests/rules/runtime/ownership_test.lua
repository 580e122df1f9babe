-- Ownership, disable and enable (spec §8.3, §8.7).
local test = require("eventrunner.test")

local er = require("er.engine").E.er

-- Cancelling runs and their posts (§8.3) ------------------------------------------------

test.case("a cancelled run runs no more code and its pending posts are cancelled", function()
  test.start{}
  test.eval('#late => log("late %d", event.n)')
  test.eval('#go single => post(#late{n = event.n}, 10); wait(20); log("end %d", event.n)')
  test.post({type = "go", n = 1})
  test.advance(5)
  test.post({type = "go", n = 2})           -- cancels run 1 and its post
  test.advance(30)
  test.eq(test.logs(), {"late 2", "end 2"})
end)

test.case("the posts of a run that ended stay pending", function()
  test.start{}
  test.eval('#late => log("late %d", event.n)')
  test.eval('#go single => post(#late{n = event.n}, 10)')
  test.post({type = "go", n = 1})
  test.post({type = "go", n = 2})
  test.advance(10)
  test.eq(test.logs(), {"late 1", "late 2"})
end)

-- disable (§8.7) -----------------------------------------------------------------------

test.case("a disabled rule ignores its triggers", function()
  test.start{}
  local rule = test.eval('#ping => log("ping")')
  rule:disable()
  test.post({type = "ping"})
  test.eq(test.logs(), {})
  test.eq(rule.enabled, false)
end)

test.case("disable cancels the rule's suspended runs", function()
  test.start{}
  local rule = test.eval('#go => log("start"); wait(10); log("after")')
  test.post({type = "go"})
  test.post({type = "go"})
  test.eq(rule:info().runs, 2)
  rule:disable()
  test.eq(rule:info().runs, 0)
  test.advance(20)
  test.eq(test.logs(), {"start", "start"})
end)

test.case("disable cancels the pending posts of its runs, ended or suspended", function()
  test.start{}
  test.eval('#late => log("late %s", event.from)')
  local rule = test.eval('#go => post(#late{from = event.from}, 10); if event.from == "waiting" then wait(60) end')
  test.post({type = "go", from = "ended"})
  test.post({type = "go", from = "waiting"})
  test.eq(rule:info().runs, 1)
  test.eval('#go2 => post(#late{from = "another rule"}, 10)')
  test.post({type = "go2"})
  rule:disable()
  test.advance(20)
  test.eq(test.logs(), {"late another rule"})
end)

test.case("disable cancels daily, interval and edge timers", function()
  test.start{}
  local daily = test.eval('@12:30 => log("daily")')
  local interval = test.eval('@@00:10 => log("interval")')
  local edge = test.eval('#never | 12:20..12:40 => log("edge")')
  test.clear()                               -- the interval's first run
  daily:disable(); interval:disable(); edge:disable()
  test.advance("01:00")
  test.eq(test.logs(), {})
  test.eq(interval:info().next, nil)
end)

test.case("disable cancels an armed trueFor timer", function()
  test.start{home = "reference"}
  local rule = test.eval('trueFor(00:10, 55:isOn) => log("fired")')
  test.set(55, "value", true)
  test.advance("00:05")
  rule:disable()
  rule:enable()
  test.advance("00:30")
  test.eq(test.logs(), {})
end)

test.case("disable resets trueFor state: a true event arms it again", function()
  test.start{home = "reference"}
  local rule = test.eval('trueFor(00:10, 77:temp > 20) => log("fired at %s", osdate("%H:%M"))')
  test.set(77, "value", 25)
  test.advance("00:15")                      -- fired at 12:10
  rule:disable()
  rule:enable()
  test.set(77, "value", 26)                  -- idle again: arms
  test.advance("00:15")
  test.eq(test.logs(), {"fired at 12:10", "fired at 12:25"})
end)

test.case("disable resets every and cooldown", function()
  test.start{}
  local counted = test.eval('#a every 2 => log("every %d", event.n)')
  local cooled = test.eval('#b cooldown 01:00 => log("cooldown %d", event.n)')
  test.post({type = "a", n = 1})             -- count 1
  test.post({type = "b", n = 1})             -- passes
  counted:disable(); counted:enable()
  cooled:disable(); cooled:enable()
  test.post({type = "a", n = 2})             -- count 1 again
  test.post({type = "b", n = 2})             -- first evaluation again: passes
  test.post({type = "a", n = 3})             -- count 2
  test.eq(test.logs(), {"cooldown 1", "cooldown 2", "every 3"})
end)

test.case("disable resets once", function()
  test.start{home = "reference"}
  local rule = test.eval('once(77:temp > 25) => log("warm %s", event.value)')
  test.set(77, "value", 26)
  rule:disable()
  rule:enable()
  test.set(77, "value", 27)
  test.eq(test.logs(), {"warm 26", "warm 27"})
end)

test.case("disable stops the rule's dim ramps", function()
  test.start{home = "reference"}
  local rule = test.eval('#go => 56:dim = {10, "up"}')
  test.post({type = "go"})
  test.advance(3)
  test.eq(test.value(56, "value"), 30)
  rule:disable()
  test.advance(10)
  test.eq(test.value(56, "value"), 30)
end)

test.case("a run disabling its own rule continues until it suspends, then is cancelled", function()
  test.start{}
  test.eval('#go => log("count %d", disable()); log("still running"); wait(1); log("never")')
  test.post({type = "go"})
  test.advance(5)
  test.eq(test.logs(), {"count 1", "still running"})
end)

test.case("a run disabling its own rule and not suspending ends normally", function()
  test.start{}
  local rule = test.eval('#go => disable(); return "done"')
  test.eq(rule:start(), "done")
  test.eq(rule.enabled, false)
end)

test.case("disable is idempotent", function()
  test.start{}
  local rule = test.eval('#go => log("go")')
  rule:disable()
  rule:disable()
  test.eq(rule.enabled, false)
  rule:enable()
  test.post({type = "go"})
  test.eq(test.logs(), {"go"})
end)

-- enable (§8.7) ------------------------------------------------------------------------

test.case("enable re-plans today's remaining daily timers", function()
  test.start{}
  local rule = test.eval('@{11:00, 12:30, 13:00} => log(osdate("%H:%M"))')
  rule:disable()
  test.advance("00:45")
  rule:enable()                              -- 12:45: 11:00 and 12:30 have passed
  test.advance("00:30")
  test.eq(test.logs(), {"13:00"})
end)

test.case("enable re-plans the edge timers", function()
  test.start{}
  local rule = test.eval('#never | 12:20..12:40 => log("edge %s", osdate("%H:%M:%S"))')
  rule:disable()
  test.advance("00:10")
  rule:enable()
  test.advance("01:00")
  test.eq(test.logs(), {"edge 12:20:00"})   -- 12:40:01 is outside: the condition is false
end)

test.case("enable restarts the interval as at definition", function()
  test.start{}
  local rule = test.eval('@@00:10 => log(osdate("%H:%M"))')
  test.advance("00:05")
  rule:disable()
  test.advance("00:02")
  rule:enable()                              -- 12:07: a run now, then every 10 min
  test.advance("00:15")
  test.eq(test.logs(), {"12:00", "12:07", "12:17"})
end)

test.case("enable is idempotent: an enabled rule is not planned twice", function()
  test.start{}
  local rule = test.eval('@@00:10 => log(osdate("%H:%M"))')
  rule:enable()
  rule:enable()
  test.advance("00:10")
  test.eq(test.logs(), {"12:00", "12:10"})
end)

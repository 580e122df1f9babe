-- wait(t) (spec §8.4).
local test = require("eventrunner.test")

local function action_list()
  local out = {}
  for _, a in ipairs(test.actions()) do out[#out + 1] = a.time .. " " .. a.id .. " " .. a.action end
  return out
end

test.case("66:breached => 55:on; wait(00:05); 55:off", function()
  test.start{home = "reference"}
  test.eval("66:breached => 55:on; wait(00:05); 55:off")
  test.set(66, "value", true)
  test.eq(test.value(55, "value"), true)
  test.advance("00:04:59")
  test.eq(test.value(55, "value"), true)
  test.advance(1)
  test.eq(action_list(), {"12:00:00 55 turnOn", "12:05:00 55 turnOff"})
end)

test.case("a short wait counts seconds with millisecond resolution", function()
  test.start{}
  test.eval('#go => wait(0.25); log("after a quarter")')
  test.post({type = "go"})
  test.advance(0.249)
  test.eq(test.logs(), {})
  test.advance(0.001)
  test.eq(test.logs(), {"after a quarter"})
end)

test.case("a long wait lasts until that instant", function()
  test.start{}
  test.eval('#go => wait(t/12:30); log("at %s", osdate("%H:%M:%S"))')
  test.eval('#go => wait(2025/05/14/13:15:30); log("at %s", osdate("%H:%M:%S"))')
  test.post({type = "go"})
  test.advance("02:00")
  test.eq(test.logs(), {"at 12:30:00", "at 13:15:30"})
end)

test.case("wait(+/x) is x seconds from now", function()
  test.start{}
  test.eval('#go => wait(+/00:10); log("at %s", osdate("%H:%M:%S"))')
  test.post({type = "go"})
  test.advance("01:00")
  test.eq(test.logs(), {"at 12:10:00"})
end)

test.case("zero, negative and past waits last until the next loop pass", function()
  test.start{}
  test.eval('#go => wait(0); log("zero at %s", osdate("%H:%M:%S"))')
  test.eval('#go => wait(-5); log("negative at %s", osdate("%H:%M:%S"))')
  test.eval('#go => wait(t/11:00); log("past at %s", osdate("%H:%M:%S"))')
  test.eval('#go => log("a later rule")')
  test.post({type = "go"})                   -- no time passes
  test.eq(test.logs(), {"a later rule", "zero at 12:00:00", "negative at 12:00:00", "past at 12:00:00"})
end)

test.case("a wait that is not a number is a runtime error", function()
  test.start{}
  test.eval('#go => wait("5"); log("never")', {name = "bad"})
  test.post({type = "go"})
  test.eq(test.logs(), {
    "[bad] bad:1:8: runtime error: wait: expected a number, got string\n"
      .. '#go => wait("5"); log("never")\n'
      .. "       ^",
    "[bad] disabled",
  })
end)

test.case("wait(nil) names nil", function()
  test.start{}
  local value, message = test.eval("wait(nothing)")
  test.eq(value, nil)
  test.ok(message:find("Undefined variable: 'nothing'", 1, true), message)
  test.eval("nothing = nil")
  local _, nil_message = test.eval("wait(nothing)")
  test.eq(nil_message, "[eval] eval:1:1: runtime error: wait: expected a number, got nil\nwait(nothing)\n^")
end)

test.case("a script waits too", function()
  test.start{}
  test.eval('log("before"); wait(00:01); log("after at %s", osdate("%H:%M"))')
  test.eq(test.logs(), {"before"})
  test.advance(60)
  test.eq(test.logs(), {"before", "after at 12:01"})
end)

test.case("several waits in one run add up", function()
  test.start{}
  test.eval('#go => for i = 1, 3 do wait(10); log("%d at %s", i, osdate("%M:%S")) end')
  test.post({type = "go"})
  test.advance(30)
  test.eq(test.logs(), {"1 at 00:10", "2 at 00:20", "3 at 00:30"})
end)

-- Intervals (spec §7.6): '@@t' from right after definition, '@@-t' aligned to the Unix
-- epoch, no drift, non-positive values.
local test = require("eventrunner.test")

local STAMP = 'log("%s %s", osdate("%H:%M:%S"), HMS(event.time))'

test.case("@@00:15 runs at 12:00, 12:15, ...", function()
  test.start{}
  test.eval("@@00:15 => " .. STAMP)
  test.eq(test.logs(), {"12:00:00 12:00:00"})   -- Right after the definition.
  test.advance("00:45")
  test.eq(test.logs(), {"12:00:00 12:00:00", "12:15:00 12:15:00", "12:30:00 12:30:00", "12:45:00 12:45:00"})
end)

test.case("the first run is asynchronous: it comes after er.eval returned", function()
  test.start{}
  local rule = er.eval('@@10 => log("tick")')
  test.ok(rule ~= nil)
  test.eq(test.logs(), {})
  test.advance(0)
  test.eq(test.logs(), {"tick"})
end)

test.case("@@-01:00 first runs at the next full hour (1747220400)", function()
  test.start{}
  test.eval('@@-01:00 => log("%d %s", event.time, osdate("%H:%M:%S"))')
  test.eq(test.logs(), {})
  test.advance("01:00")
  test.eq(test.logs(), {"1747220400 13:00:00"})
  test.advance("02:00")
  test.eq(#test.logs(), 3)
end)

test.case("@@- strictly after the definition: one second past a slot waits a whole period", function()
  test.start{time = "2025-05-14 12:00:01"}
  test.eval('@@-00:00:10 => log(osdate("%H:%M:%S"))')
  test.advance(9)
  test.eq(test.logs(), {"12:00:10"})
end)

test.case("the interval keeps its slots while runs wait", function()
  test.start{}
  test.eval('@@00:01 => wait(25); log(osdate("%H:%M:%S"))')
  test.advance("00:03")
  test.eq(test.logs(), {"12:00:25", "12:01:25", "12:02:25"})
end)

test.case("'@@' is true only in runs its interval started", function()
  test.start{}
  test.eval('@@01:00 == false & #ping => log("ping run")')
  test.eval('@@01:00 == true => log("interval run")')
  test.post({type = "ping"})
  test.eq(test.logs(), {"interval run", "ping run"})
end)

test.case("the interval event is {type='interval', time=<slot>}", function()
  test.start{}
  test.eval('@@-00:30 => log("%s %d", event.type, event.time)')
  test.advance("00:30")
  test.eq(test.logs(), {"interval 1747218600"})
end)

test.case("a non-positive interval is a definition error at the operand", function()
  test.start{}
  er.vars.period = 0
  local rule, message = test.eval("@@period => log('x')")
  test.eq(rule, nil)
  test.ok(message:find("interval must be positive", 1, true), message)
  test.log_has("error: interval must be positive")
  test.eq(er.rules(), {})
end)

test.case("disable stops the interval; enable restarts it as at definition", function()
  test.start{}
  local rule = test.eval('@@00:10 => log(osdate("%H:%M"))')
  test.advance("00:25")
  rule:disable()
  test.advance("00:30")
  test.eq(test.logs(), {"12:00", "12:10", "12:20"})
  rule:enable()   -- 12:55
  test.advance("00:10")
  test.eq(test.logs(), {"12:00", "12:10", "12:20", "12:55", "13:05"})
end)

test.case("rule:info names the interval and its next slot", function()
  test.start{}
  local rule = test.eval("@@-00:15 => log('x')")
  local info = rule:info()
  test.eq(info.triggers, {"interval -900"})
  test.eq(info.next, 1747217700)
end)

-- Settling (docs/testing-rules.md): after each driving call every event of the current
-- instant has been delivered and every run it started has ended or suspended, without
-- time passing.
local test = require("eventrunner.test")

test.case("a chain of posted events is handled before test.set returns", function()
  -- Each post is delivered on the next loop pass, so the chain needs several passes
  -- at the same instant.
  test.start{home = "reference"}
  test.eval("66:breached => post(#relay{n = 1})")
  test.eval("#relay{n = '$n'} => if n < 6 then post(#relay{n = n + 1}) else 55:on; log('chain %d', n) end")
  test.set(66, "value", true)
  test.eq(test.value(55, "value"), true)
  test.log_has("chain 6")
  test.eq(test.now(), "2025-05-14 12:00:00")
end)

test.case("a device change made by an action triggers the next rule at once", function()
  test.start{home = "reference"}
  test.eval("66:breached => 55:on")
  test.eval("55:isOn => 56:value = 70")
  test.set(66, "value", true)
  test.eq(test.value(56, "value"), 70)
  test.eq(#test.actions(), 2)
end)

test.case("test.eval settles: a script's post is delivered before it returns", function()
  test.start{home = "reference"}
  test.eval("#hello => 55:on")
  test.eval("post(#hello)")
  test.eq(test.value(55, "value"), true)
end)

test.case("test.post and test.emit settle", function()
  test.start{home = "reference"}
  test.eval("#ping => 55:on")
  test.eval("88:key == '1:Pressed' => 56:value = 10")
  test.post({type = "ping"})
  test.eq(test.value(55, "value"), true)
  test.emit(88, "centralSceneEvent", {keyId = 1, keyAttribute = "Pressed"})
  test.eq(test.value(56, "value"), 10)
end)

test.case("settling does not run what is due later", function()
  test.start{home = "reference"}
  test.eval("#ping => 55:on")
  test.post({type = "ping"}, 1)
  test.eq(test.value(55, "value"), false)
  test.advance(1)
  test.eq(test.value(55, "value"), true)
end)

test.case("an endless chain of rules at one instant is stopped by the engine", function()
  test.start{home = "reference"}
  test.eval("#ping => post(#ping)")
  test.post({type = "ping"})
  test.log_has("event cascade stopped")
end)

test.case("a task that never lets time pass is reported instead of hanging", function()
  test.start{home = "reference"}
  local ok, failure = pcall(test.eval, "sys.taskInit(function() while true do sys.wait(0) end end)")
  test.eq(ok, false)
  test.ok(tostring(failure):find("the engine did not settle", 1, true), tostring(failure))
end)

-- The assertions and the recordings of eventrunner.test.
local test = require("eventrunner.test")

local file = debug.getinfo(1, "S").source:sub(2)

test.case("eq compares deeply and reports where it failed", function()
  test.eq({a = {1, 2}, b = "x"}, {b = "x", a = {1, 2}})
  local ok, failure = pcall(test.eq, {1}, {2})
  local line = debug.getinfo(1, "l").currentline - 1
  test.eq(ok, false)
  test.eq(tostring(failure), file .. ":" .. line .. ": expected {2}, got {1}")
  ok, failure = pcall(test.eq, 1, 2, "the count")
  test.eq(tostring(failure):match(": (the count: .*)$"), "the count: expected 2, got 1")
end)

test.case("ok", function()
  test.ok(0)
  local ok, failure = pcall(test.ok, nil)
  test.eq(ok, false)
  test.ok(tostring(failure):find("expected a true value, got nil", 1, true))
end)

test.case("log lines are recorded without timestamps; log_has matches plain text", function()
  test.start{home = "reference", verbosity = "normal"}
  test.eval("66:breached => 55:on", {name = "hall"})
  test.log_has("[hall] defined: 66:breached => 55:on")
  test.eval("log('a(b %s', 'c')")
  test.log_has("a(b c")
  test.log_lacks("a.b")
  test.eq(pcall(test.log_has, "goodbye"), false)
  test.eq(pcall(test.log_lacks, "a(b"), false)
  test.clear()
  test.eq(test.logs(), {})
  test.log_lacks("a(b")
end)

test.case("rules are silent by default: no defined line", function()
  test.start{home = "reference"}
  test.eval("66:breached => log('seen')")
  test.log_lacks("seen")
  test.set(66, "value", true)
  test.eq(test.logs(), {"seen"})
end)

test.case("runtime errors of rules are in the log (spec §13.3)", function()
  test.start{home = "reference"}
  test.eval("66:breached => 55:on; log(lampp)")
  test.set(66, "value", true)
  test.log_has("[RULE1] eval:1:27: runtime error: Undefined variable: 'lampp'")
  test.log_has("[RULE1] disabled")
  test.eq(test.value(55, "value"), true)
end)

test.case("actions carry their arguments", function()
  test.start{home = "reference"}
  test.eval("56:value = 70; 56:setValue(20)")
  local actions = test.actions()
  test.eq(#actions, 2)
  test.eq({actions[1].action, actions[1].args}, {"setValue", {70}})
  test.eq({actions[2].action, actions[2].args}, {"setValue", {20}})
  test.clear()
  test.eq(test.actions(), {})
end)

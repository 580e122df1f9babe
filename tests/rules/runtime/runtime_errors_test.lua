-- What a runtime error in a run does (spec §8.6): it is logged (§13.3), disables the
-- rule (§8.7) and posts #rule_error; other rules are unaffected. The exact texts and
-- carets are in diagnostics_test.lua.
local test = require("eventrunner.test")

local er = require("er.engine").E.er

test.case("the spec's example: logged, disabled, #rule_error posted", function()
  test.start{home = "reference"}
  test.eval('#rule_error => log("error in %s: %s", event.rule, event.message)')
  test.eval("66:breached => 55:on; log(lampp)")
  test.clear()  -- The definition's warning about 'lampp'.
  test.set(66, "value", true)
  test.eq(test.logs(), {
    "[RULE2] eval:1:27: runtime error: Undefined variable: 'lampp'\n"
      .. "66:breached => 55:on; log(lampp)\n"
      .. "                          ^",
    "[RULE2] disabled",
    "error in RULE2: Undefined variable: 'lampp'",
  })
  test.eq(test.value(55, "value"), true)      -- what ran before the error stays done
  test.eq(er.getRule(2).enabled, false)
end)

test.case("a disabled rule stays disabled: later triggers do nothing", function()
  test.start{}
  local rule = test.eval("#go => log(missing)")
  test.post({type = "go"})
  test.clear()
  test.post({type = "go"})
  test.eq(test.logs(), {})
  test.eq(rule.stats.errors, 1)
end)

test.case("other rules are unaffected, also for the same event", function()
  test.start{}
  test.eval('#go => log("before %d", event.n)')
  test.eval("#go => log(missing)")
  test.eval('#go => log("after %d", event.n)')
  test.clear()  -- The definition's warning about 'missing'.
  test.post({type = "go", n = 1})
  test.post({type = "go", n = 2})
  test.eq(test.logs()[1], "before 1")
  test.eq(test.logs()[4], "after 1")
  test.eq({test.logs()[5], test.logs()[6]}, {"before 2", "after 2"})
end)

test.case("an error in the condition disables the rule", function()
  test.start{}
  test.eval("#rule_error => log('rule_error %s', event.rule)")
  test.eval("#go & missing > 1 => log('never')", {name = "cond"})
  test.post({type = "go"})
  test.log_has("[cond] cond:1:7: runtime error: Undefined variable: 'missing'")
  test.log_has("[cond] disabled")
  test.log_has("rule_error cond")
  test.eq(er.getRule("cond").stats, {triggered = 1, fired = 0, errors = 1})
end)

test.case("an error in the action before a wait", function()
  test.start{}
  test.eval('#go => log("a"); x = nil + 1; wait(5); log("b")', {name = "before"})
  test.post({type = "go"})
  test.advance(10)
  test.eq(test.logs()[1], "a")
  test.log_has("[before] before:1:26: runtime error: attempt to perform arithmetic on a nil value")
  test.log_lacks("\nb")
  test.eq(#test.logs(), 3)
end)

test.case("an error after a wait also disables the rule", function()
  test.start{}
  test.eval("#rule_error => log('rule_error %s', event.rule)")
  local rule = test.eval('#go => log("a"); wait(5); log("b"); x = nil + 1; log("c")', {name = "after"})
  test.post({type = "go"})
  test.eq(rule.enabled, true)
  test.advance(5)
  test.eq(test.logs()[1], "a")
  test.eq(test.logs()[2], "b")
  test.log_has("[after] after:1:45: runtime error: attempt to perform arithmetic on a nil value")
  test.log_has("[after] disabled")
  test.log_has("rule_error after")
  test.eq(rule.enabled, false)
end)

test.case("an error after a wait cancels the rule's other suspended runs", function()
  test.start{}
  test.eval('#go => wait(event.d); if event.fail then x = nil + 1 end; log("done %d", event.d)')
  test.post({type = "go", d = 5, fail = true})
  test.post({type = "go", d = 10})
  test.advance(20)
  for _, line in ipairs(test.logs()) do test.ok(not line:find("^done"), line) end
  test.eq(#test.logs(), 2)
end)

test.case("an error in a Lua function the rule calls", function()
  test.start{}
  er.define("parse", function(text) return tonumber(text) + 1 end)
  test.eval('#go => log("%d", parse("x"))', {name = "lua"})
  test.post({type = "go"})
  test.log_has("[lua] lua:1:18: runtime error: attempt to perform arithmetic on a nil value")
  test.log_has("[lua] disabled")
end)

test.case("an error raised with error() by a function the rule calls", function()
  test.start{}
  er.define("check", function(v) if v < 0 then error("negative value") end return v end)
  test.eval("#go => check(event.v)", {name = "checked"})
  test.post({type = "go", v = 1})
  test.eq(test.logs(), {})
  test.post({type = "go", v = -1})
  test.eq(test.logs(), {"[checked] checked:1:8: runtime error: negative value\n#go => check(event.v)\n       ^",
    "[checked] disabled"})
end)

test.case("pcall in a rule catches an error; the rule stays enabled", function()
  test.start{}
  local rule = test.eval('#go => local ok, e = pcall(error, "inner", 0); log("%s %s", ok, e)')
  test.post({type = "go"})
  test.eq(test.logs(), {"false inner"})
  test.eq(rule.enabled, true)
end)

test.case("#rule_error reaches any rule, once per error", function()
  test.start{}
  test.eval("#rule_error => log('first sees %s', event.rule)")
  test.eval("#rule_error{rule = 'b'} => log('second sees %s', event.rule)")
  test.eval("#go => log(x_undefined)", {name = "a"})
  test.eval("#go => log(y_undefined)", {name = "b"})
  test.post({type = "go"})
  local seen = {}
  for _, line in ipairs(test.logs()) do
    if line:find("sees", 1, true) then seen[#seen + 1] = line end
  end
  test.eq(seen, {"first sees a", "first sees b", "second sees b"})
end)

test.case("a script's runtime error is logged with [eval], no disabled line", function()
  test.start{}
  test.eval("#rule_error => log('rule_error')")
  local value, message = test.eval("x = 1; return x + nil")
  test.eq(value, nil)
  test.eq(message, "[eval] eval:1:17: runtime error: attempt to perform arithmetic on a nil value\n"
    .. "x = 1; return x + nil\n                ^")
  test.eq(test.logs(), {message})
end)

test.case("a script's error after a wait is logged too", function()
  test.start{}
  test.eq(table.pack(test.eval("wait(1); return nil + 1")), {n = 0})
  test.advance(1)
  test.eq(test.logs(), {"[eval] eval:1:21: runtime error: attempt to perform arithmetic on a nil value\n"
    .. "wait(1); return nil + 1\n                    ^"})
end)

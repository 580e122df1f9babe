-- Trigger collection (spec §7.1): what a condition subscribes to, when device objects
-- are evaluated, and that one event starts one run.
local test = require("eventrunner.test")

local er = require("er.engine").E.er

test.case("an event matching several subscriptions of a rule starts one run", function()
  test.start{home = "reference"}
  test.eval('55:isOn | 55:value | #device{id = 55} => log("run")')
  test.set(55, "value", true)
  test.eq(test.logs(), {"run"})
end)

test.case("two patterns of the same type matching one event start one run", function()
  test.start{}
  test.eval('#ping | #ping{n = 1} => log("run %d", event.n)')
  test.post({type = "ping", n = 1})
  test.eq(test.logs(), {"run 1"})
end)

test.case("the object of a property access is evaluated at definition", function()
  test.start{home = "reference"}
  test.eval("lamp = 55")
  test.eval('lamp:isOn => log("lamp %s is %s", lamp, lamp:isOn)')
  test.eval("lamp = 56")            -- the subscription stays on 55
  test.set(56, "value", 0)
  test.eq(test.logs(), {})
  test.set(55, "value", true)       -- a 55 change runs; the condition reads 56 now
  test.eq(test.logs(), {})          -- 56:isOn is false
  test.set(56, "value", 30)
  test.set(55, "value", false)
  test.eq(test.logs(), {"lamp 56 is true"})
end)

test.case("a list object subscribes to each of its ids", function()
  test.start{home = "reference"}
  test.eval('{77, 78}:temp => log("%s", event.id)')
  test.set(78, "value", 19)
  test.set(77, "value", 20)
  test.eq(test.logs(), {"78", "77"})
end)

test.case("a rule with no source is an error", function()
  test.start{}
  local rule, message = test.eval("x > 5 => log(x)")
  test.eq(rule, nil)
  test.eq(message, "eval:1:1: error: Rule has no triggers: x > 5\nx > 5 => log(x)\n^\n")
end)

test.case("function and lambda bodies in a condition are not walked", function()
  test.start{home = "reference"}
  local _, first = test.eval("(function() return 55:isOn end)() => log('x')")
  local _, second = test.eval("(() -> 55:isOn)() => log('x')")
  test.eq(first:match("^[^\n]*"), "eval:1:1: error: Rule has no triggers: (function() return 55:isOn end)()")
  test.eq(second:match("^[^\n]*"), "eval:1:1: error: Rule has no triggers: (() -> 55:isOn)()")
end)

test.case("an action in a condition is an error", function()
  test.start{home = "reference"}
  local _, message = test.eval("55:on => log('x')")
  test.eq(message:match("^[^\n]*"), "eval:1:1: error: 'on' is an action and cannot be used in a rule condition")
end)

test.case("a pattern's value is the event if it matched the trigger, else false", function()
  test.start{}
  local seen = {}
  er.define("seen", function(a, b)
    seen[#seen + 1] = {a and a.type or a, b and b.type or b}
    return true
  end)
  test.eval("seen(#a, #b) => log('x')")
  test.post({type = "a"})
  test.post({type = "b"})
  test.eq(seen, {{"a", false}, {false, "b"}})
end)

test.case("a $name's and a trigger variable's value in a run is the current value", function()
  test.start{}
  er.triggerVar("Level", 1)
  test.eval('$Mode == "away" & Level > 0 => log("%s %d", $Mode, Level)')
  test.eval('Level = 2; $Mode = "away"')   -- two events, delivered after the script
  test.eq(test.logs(), {"away 2", "away 2"})
  test.eval('Level = 3')
  test.eq(test.logs(), {"away 2", "away 2", "away 3"})
end)

test.case("a table constructor with a literal string type is a pattern", function()
  test.start{}
  test.eval('{type = "alarm", zone = 3} => log("alarm in %d", event.zone)')
  test.post({type = "alarm", zone = 3})
  test.post({type = "alarm", zone = 4})
  test.eq(test.logs(), {"alarm in 3"})
end)

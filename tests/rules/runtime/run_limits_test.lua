-- Actions and posts per run (docs/limits.md): a rule that performs more device actions
-- or posts than the limit without waiting is stopped as that rule's error; waiting
-- starts a new count; scripts are not limited.
local test = require("eventrunner.test")

local E = require("er.engine").E
local er = E.er

test.case("thousands of device actions without waiting stop the rule", function()
  test.start{home = "reference"}
  test.eval("#go => for i = 1, 100000 do 55:turnOff() end", {name = "flood"})
  test.eval("#alive => alive = true")
  test.post({type = "go"})
  test.log_has("[flood] ")
  test.log_has("runtime error: too many device actions without waiting (limit actions_per_run = 500)")
  test.eq(er.getRule("flood").enabled, false)
  test.post({type = "alive"})
  test.eq(test.eval("return alive"), true)
end)

test.case("the error points at the action in the source", function()
  test.start{home = "reference"}
  test.eval("#go => for i = 1, 1000 do 55:value = i % 2 == 0 end", {name = "setter"})
  test.post({type = "go"})
  test.log_has("[setter] setter:1:30: runtime error: too many device actions")
end)

test.case("thousands of posts without waiting stop the rule", function()
  test.start{}
  test.eval("#go => for i = 1, 100000 do post(#spam{n = i}) end", {name = "spammer"})
  test.eval("spam = 0")
  test.eval("#spam => spam += 1")
  test.post({type = "go"})
  test.log_has("runtime error: too many posts without waiting (limit posts_per_run = 500)")
  test.eq(er.getRule("spammer").enabled, false)
  test.advance(1)
  test.eq(test.eval("return spam"), 0, "the posts of the stopped run were cancelled")
end)

test.case("a wait starts a new count", function()
  test.start{home = "reference"}
  test.eval("#go => for j = 1, 4 do for i = 1, 400 do 55:toggle() end; wait(1) end; done = true", {name = "paced"})
  test.post({type = "go"})
  test.advance(5)
  test.eq(test.eval("return done"), true)
  test.eq(er.getRule("paced").enabled, true)
end)

test.case("scripts are not limited", function()
  test.start{home = "reference"}
  test.eval("for i = 1, 2000 do 55:toggle() end; for i = 1, 2000 do post(#x) end")
  test.log_lacks("too many")
end)

test.case("the limit is configurable", function()
  test.start{home = "reference"}
  E.set_limits({actions_per_run = 5})
  test.eval("#go => for i = 1, 6 do 55:toggle() end", {name = "six"})
  test.post({type = "go"})
  test.log_has("(limit actions_per_run = 5)")
end)

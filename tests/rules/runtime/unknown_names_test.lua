-- Names a rule uses that are neither locals, variables, devices, built-ins nor assigned
-- anywhere are warned about when the rule is defined, with a suggestion; the rule is
-- still defined (reading the name is a runtime error, as ever).
local test = require("eventrunner.test")

local er = require("er.engine").E.er

test.case("a misspelt device name", function()
  test.start{home = "reference"}
  er.defineDevice({id = 10, name = "hall_light", type = "binarySwitch"})
  local rule = test.eval("#go => hall_lihgt:on")
  test.ok(rule ~= nil, "the rule is still defined")
  test.log_has("eval:1:8: warning: unknown name 'hall_lihgt': not a device, variable or function "
    .. "(did you mean 'hall_light'?)")
end)

test.case("a misspelt function and a misspelt variable", function()
  test.start{}
  test.eval("counter = 0")
  test.eval("#go => lgo('x'); log(countr)")
  test.log_has("unknown function 'lgo': not a device, variable or function (did you mean 'log'?)")
  test.log_has("unknown name 'countr': not a device, variable or function (did you mean 'counter'?)")
end)

test.case("known names are not warned about", function()
  test.start{home = "reference"}
  test.eval("limit = 3")
  test.eval("function helper(x) return x end")
  test.eval("#go => local n = helper(limit); for i = 1, n do log('%d %s', i, sunset) end; " ..
            "later = 1; 55:on; post(#x); $Mode = 'home'")
  test.eval("#x => log('%s', later)")  -- Assigned by the rule above.
  test.eq(test.logs(), {})
end)

test.case("a name no rule assigns is warned about once per rule", function()
  test.start{}
  test.eval("#go => log(nothing); log(nothing)")
  local count = 0
  for _, line in ipairs(test.logs()) do
    if line:find("unknown name 'nothing'", 1, true) then count = count + 1 end
  end
  test.eq(count, 1)
end)

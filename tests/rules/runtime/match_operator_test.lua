-- ER6's string match operator: `a === b` is string.match(tostring(a), b), the match or
-- nil, with the precedence of '==' (docs/reference.md, "Operators").
local test = require("eventrunner.test")

test.case("'===' gives the match of a Lua pattern, or nil", function()
  test.start{}
  test.eq(test.eval("return 'kitchen_light' === 'light$'"), "light")
  test.eq(test.eval("return 'kitchen_light' === '^(%a+)_'"), "kitchen")
  test.eq(table.pack(test.eval("return 'kitchen_light' === 'fan$'")), {n = 1, nil})
  test.eq(test.eval("return 2025 === '^20'"), "20")        -- the left operand goes through tostring
  test.eq(test.eval("return 'a' ++ 'b' === 'ab' & 'yes'"), "yes")  -- looser than '++', tighter than '&'
end)

test.case("a condition with '===' triggers on its operands and its action may use it", function()
  test.start{}
  test.eval("$room = 'hall'")
  test.eval("$room === 'light$' => log('matched %s', $room === '^(%a+)_')")
  test.eval("$room = 'kitchen_light'")
  test.log_has("matched kitchen")
  test.clear()
  test.eval("$room = 'kitchen_fan'")
  test.log_lacks("matched")
end)

test.case("a bad pattern is a runtime error at the operator", function()
  test.start{}
  local value, message = test.eval("return 'a' === '%'")
  test.eq(value, nil)
  test.ok(message:find("1:12: runtime error: '===': malformed pattern (ends with '%')", 1, true), message)
  value, message = test.eval("return 'a' === {}")
  test.eq(value, nil)
  test.ok(message:find("'===' needs a pattern string on its right, got a table value", 1, true), message)
end)

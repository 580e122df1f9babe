-- Errors of the built-ins are runtime errors at the calling expression (spec §11,
-- §13.3): a script logs them and er.eval returns nil and the message; a rule is
-- disabled.
local test = require("eventrunner.test")

test.case("size of a number", function()
  test.start{}
  local value, message = test.eval("return size(5)")
  test.eq(value, nil)
  test.ok(message:find("size: expected a table or string, got number", 1, true), message)
  test.log_has("[eval] eval:1:")
  test.log_has("runtime error: size: expected a table or string, got number")
end)

test.case("a failing built-in in a rule disables the rule", function()
  test.start{}
  test.eval('#ping => log("%d", "x")', {name = "bad"})
  test.post({type = "ping"})
  test.log_has("[bad] bad:1:")
  test.log_has("bad argument #2 to 'log' (number expected, got string)")
  test.log_has("[bad] disabled")
end)

test.case("json.decode errors say where", function()
  test.start{}
  local _, message = test.eval([[return json.decode('[1,2')]])
  test.ok(message:find("json.decode: expected ',' or ']', got end of text at line 1, column 5",
                       1, true), message)
end)

test.case("json.encode refuses functions", function()
  test.start{}
  local _, message = test.eval("return json.encode({f = print})")
  test.ok(message:find("json.encode: cannot encode a value of type function", 1, true), message)
end)

test.case("log of a table that JSON cannot hold still logs", function()
  test.start{}
  test.eq(test.eval("return log({f = print})"), "{f = <function>}")
end)

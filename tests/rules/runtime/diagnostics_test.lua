-- Diagnostic texts (spec §13): definition diagnostics through er.eval (§13.1) and the
-- runtime error block with its caret (§13.3).
local test = require("eventrunner.test")

local er = require("er.engine").E.er

-- §13.1 ---------------------------------------------------------------------------------

test.case("the two examples of §13.1", function()
  test.start{home = "reference"}
  local r1, first = er.eval("@7:30 => 55:on", {name = "morning"})
  local r2, second = er.eval("66:breached && 55:isOff => 55:on")
  test.eq({r1, r2}, {nil, nil})
  test.eq(first .. second,
    "morning:1:2: error: Time literals must be in HH:MM or HH:MM:SS format: 7:30\n"
    .. "@7:30 => 55:on\n"
    .. " ^\n"
    .. "eval:1:13: error: Use '&' (or 'and') for AND, not '&&'\n"
    .. "66:breached && 55:isOff => 55:on\n"
    .. "            ^\n")
end)

test.case("a definition diagnostic is also logged", function()
  test.start{home = "reference"}
  er.eval("@7:30 => 55:on", {name = "morning"})
  test.eq(test.logs(), {"morning:1:2: error: Time literals must be in HH:MM or HH:MM:SS format: 7:30\n"
    .. "@7:30 => 55:on\n ^"})
end)

test.case("the file is opts.file, else opts.name, else eval", function()
  test.start{}
  local _, with_file = er.eval("x = 7:30", {file = "lights.er", name = "n"})
  local _, with_name = er.eval("x = 7:30", {name = "n"})
  local _, plain = er.eval("x = 7:30")
  test.eq(with_file:match("^[^:]*"), "lights.er")
  test.eq(with_name:match("^[^:]*"), "n")
  test.eq(plain:match("^[^:]*"), "eval")
end)

test.case("definition checks may give several blocks", function()
  test.start{home = "reference"}
  local _, message = er.eval("#a => 200000:on; 300000:off")
  test.eq(message, "eval:1:14: error: No such device: 200000\n#a => 200000:on; 300000:off\n             ^\n"
    .. "eval:1:25: error: No such device: 300000\n#a => 200000:on; 300000:off\n                        ^\n")
end)

test.case("'Rule has no triggers' points at the condition's first token", function()
  test.start{}
  local _, message = er.eval("  x > 5 => log(x)")
  test.eq(message, "eval:1:3: error: Rule has no triggers: x > 5\n  x > 5 => log(x)\n  ^\n")
end)

test.case("a tab before the column stays a tab in the caret line", function()
  test.start{}
  local _, message = er.eval("x =\t\t7:30")
  test.eq(message, "eval:1:6: error: Time literals must be in HH:MM or HH:MM:SS format: 7:30\nx =\t\t7:30\n   \t\t^\n")
end)

-- §13.3 ---------------------------------------------------------------------------------

-- Defines `src` as rule "r", posts #go and returns the error block (without the
-- "[r] disabled" line, which it checks).
local function runtime_error(src, ev)
  test.start{home = "reference"}
  local rule = test.eval(src, {name = "r"})
  test.ok(rule, "defined")
  test.post(ev or {type = "go"})
  local logs = test.logs()
  test.eq(logs[#logs], "[r] disabled")
  return logs[#logs - 1]
end

test.case("the spec's example", function()
  test.start{home = "reference"}
  test.eval("66:breached => 55:on; log(lampp)")
  test.clear()  -- The definition's warning about 'lampp' (definition_test.lua).
  test.set(66, "value", true)
  test.eq(table.concat(test.logs(), "\n"), [[
[RULE1] eval:1:27: runtime error: Undefined variable: 'lampp'
66:breached => 55:on; log(lampp)
                          ^
[RULE1] disabled]])
end)

test.case("arithmetic on nil: the caret is on the operator", function()
  test.eq(runtime_error("#go => local a = 1; local b = a * 2 + nil"),
    "[r] r:1:37: runtime error: attempt to perform arithmetic on a nil value\n"
    .. "#go => local a = 1; local b = a * 2 + nil\n"
    .. "                                    ^")
end)

test.case("arithmetic on a local: no variable annotation", function()
  test.eq(runtime_error("#go => local n; log(n - 1)"),
    "[r] r:1:23: runtime error: attempt to perform arithmetic on a nil value\n"
    .. "#go => local n; log(n - 1)\n"
    .. "                      ^")
end)

test.case("arithmetic on a string that is no number", function()
  test.eq(runtime_error("#go => x = 'a' + 1"),
    "[r] r:1:16: runtime error: attempt to add a 'string' with a 'number'\n"
    .. "#go => x = 'a' + 1\n"
    .. "               ^")
end)

test.case("comparison", function()
  test.eq(runtime_error("#go => log('%s', 1 < '2')"),
    "[r] r:1:20: runtime error: attempt to compare number with string\n"
    .. "#go => log('%s', 1 < '2')\n"
    .. "                   ^")
end)

test.case("call of nil", function()
  test.eq(runtime_error("#go => local f; x = 1; f(2)"),
    "[r] r:1:24: runtime error: attempt to call a nil value\n"
    .. "#go => local f; x = 1; f(2)\n"
    .. "                       ^")
end)

test.case("index of nil", function()
  test.eq(runtime_error("#go => local t = {}; log(t.a.b)"),
    "[r] r:1:30: runtime error: attempt to index a nil value\n"
    .. "#go => local t = {}; log(t.a.b)\n"
    .. "                             ^")
end)

test.case("an undefined name in the action", function()
  test.eq(runtime_error("#go => x = 1 + y_undefined"),
    "[r] r:1:16: runtime error: Undefined variable: 'y_undefined'\n"
    .. "#go => x = 1 + y_undefined\n"
    .. "               ^")
end)

test.case("an error inside a Lua function marks the call", function()
  test.start{}
  er.define("lookup", function(t) return t.missing.field end)
  test.eval("#go => log('x'); log('%s', lookup({}))", {name = "r"})
  test.post({type = "go"})
  test.eq(test.logs()[2], "[r] r:1:28: runtime error: attempt to index a nil value\n"
    .. "#go => log('x'); log('%s', lookup({}))\n"
    .. "                           ^")
end)

test.case("an error inside a Lua function called by the condition marks the call", function()
  test.start{}
  er.define("lookup", function(t) return t.missing.field end)
  test.eval("#go & lookup({}) => log('x')", {name = "r"})
  test.post({type = "go"})
  test.eq(test.logs(), {"[r] r:1:7: runtime error: attempt to index a nil value\n"
    .. "#go & lookup({}) => log('x')\n"
    .. "      ^", "[r] disabled"})
end)

test.case("an error in the condition", function()
  test.eq(runtime_error("#go & event.n + 1 > 0 => log('x')"),
    "[r] r:1:15: runtime error: attempt to perform arithmetic on a nil value\n"
    .. "#go & event.n + 1 > 0 => log('x')\n"
    .. "              ^")
end)

test.case("an error after a wait", function()
  test.start{}
  test.eval("#go => wait(1)\nlocal v = event.v\nlog('%d', v * 2)", {name = "r"})
  test.post({type = "go"})
  test.eq(test.logs(), {})
  test.advance(1)
  test.eq(test.logs(), {"[r] r:3:13: runtime error: attempt to perform arithmetic on a nil value\n"
    .. "log('%d', v * 2)\n"
    .. "            ^", "[r] disabled"})
end)

test.case("an error on a later line of a rules text names that line", function()
  test.start{}
  test.eval("#go =>\n\tx = 1 +\t\tnil", {file = "f.er", name = "r"})
  test.post({type = "go"})
  test.eq(test.logs()[1], "[r] f.er:2:8: runtime error: attempt to perform arithmetic on a nil value\n"
    .. "\tx = 1 +\t\tnil\n"
    .. "\t      ^")
end)

test.case("a script's error: [eval], no disabled line, er.eval returns nil and the text", function()
  test.start{}
  local value, message = er.eval("x = 1 +\n  foo()", {file = "script.er"})
  test.eq(value, nil)
  test.eq(message, "[eval] script.er:2:3: runtime error: Undefined variable: 'foo'\n  foo()\n  ^")
  test.eq(test.logs(), {message})
end)

-- Every runtime error is named (docs/reference.md#runtime-errors): whatever the error
-- object is and whatever bytes the source line holds, the rule's name and location are
-- logged, the rule is disabled and the error is counted.
local test = require("eventrunner.test")

local er = require("er.engine").E.er

local function fails(name, src, expected)
  test.eval(src, {name = name})
  test.post({type = "go"})
  test.log_has("[" .. name .. "] " .. name .. ":1:")
  if expected then test.log_has(expected) end
  test.log_has("[" .. name .. "] disabled")
  test.eq(er.getRule(name).enabled, false)
  test.eq(er.getRule(name).stats.errors, 1)
end

test.case("an error object whose __tostring fails", function()
  test.start{}
  fails("bad_tostring", "#go => error(setmetatable({}, {__tostring = function() error('boom') end}))",
    "runtime error: error object is a table (its __tostring failed:")
end)

test.case("a table error object is shown in canonical form", function()
  test.start{}
  fails("table_error", "#go => error({code = 1, text = 'x'})", 'runtime error: error object: {code = 1, text = "x"}')
end)

test.case("error(nil) and other values", function()
  test.start{}
  fails("nil_error", "#go => error(nil)", "runtime error: ")
  fails("bool_error", "#go => error(true)", "runtime error: true")
end)

-- Unsafe characters (bytes that are not UTF-8, control characters) show as U+FFFD.
local REPLACEMENT = "\u{FFFD}"

test.case("bytes that are not UTF-8 in the message are replaced", function()
  test.start{}
  fails("bytes", "#go => error('bad \\xff byte\\0here')", "runtime error: bad " .. REPLACEMENT .. " byte" .. REPLACEMENT .. "here")
end)

test.case("bytes that are not UTF-8 before the error column", function()
  test.start{}
  fails("raw_bytes", "#go => local s = '\xff\xfe'; return nil + 1",
    "runtime error: attempt to perform arithmetic on a nil value")
  test.log_has("#go => local s = '" .. REPLACEMENT:rep(2) .. "'; return nil + 1\n" .. string.rep(" ", 34) .. "^")
end)

test.case("a very long source line is shown as a window around the column", function()
  test.start{}
  local long = string.rep("x = 1; ", 3000)
  test.eval("#go => " .. long .. "return nil + 1", {name = "long"})
  test.post({type = "go"})
  test.log_has("runtime error: attempt to perform arithmetic on a nil value")
  for _, line in ipairs(test.logs()) do
    for part in line:gmatch("[^\n]+") do test.ok(#part < 400, "no line of the report is longer than the window") end
  end
end)

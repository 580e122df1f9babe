-- The sandbox (docs/sandbox.md): in a sandboxed home rules cannot run commands, open
-- files, use the debug library, load C modules or reach the engine; everything a
-- rule normally needs still works.
local test = require("eventrunner.test")

local E = require("er.engine").E
local er = E.er

local function sandboxed()
  test.start{home = "reference"}
  E.set_sandbox(true)
end

-- The error of running `src` as a script, or nil.
local function script_error(src)
  local _, problem = test.eval(src)
  return problem
end

test.case("a sandboxed rule cannot reach the system or the engine", function()
  sandboxed()
  local escapes = {
    "os.execute('true')",
    "io.open('/etc/passwd')",
    "debug.sethook()",
    "package.loadlib('x', 'y')",
    "require('er.engine')",
    "os.getenv('HOME')",
    "os.exit(1)",
    "dofile('/etc/passwd')",
    "loadfile('/etc/passwd')",
    "load(string.dump(print))",
    "rtos.reboot()",
    "getmetatable('').__index.rep = nil",
    "collectgarbage('stop')",
  }
  for _, src in ipairs(escapes) do
    local problem = script_error(src)
    test.ok(problem ~= nil, "refused: " .. src)
  end
  test.eq(script_error("string.rep = nil; table.insert = nil"), nil, "a rule may change its own copies")
  test.eq(("x"):rep(3), "xxx", "the engine's string library is untouched")
  test.eq(type(table.insert), "function")
  test.eq(collectgarbage("isrunning"), true)
end)

test.case("a load in the sandbox runs in the sandbox", function()
  sandboxed()
  test.ok(script_error("return load('return os.execute')()('true')") ~= nil, "no os.execute through load")
  test.eq(test.eval("return load(string.char(27) ++ 'Lua', 'x', 'b') == nil"), true, "no binary chunks")
end)

test.case("what rules need still works in the sandbox", function()
  sandboxed()
  test.eval("#go => 55:on; x = string.format('%d', math.floor(2.5)); t = {}; table.insert(t, os.date('%Y')); " ..
            "n = select('#', 1, 2); ok = pcall(error, 'e'); log('ran %s %s %s', x, t[1], n)", {name = "normal"})
  test.post({type = "go"})
  test.eq(test.value(55, "value"), true)
  test.log_has("ran 2 2025 2")
  test.eq(er.getRule("normal").enabled, true)
end)

test.case("without the sandbox rules have the whole standard library", function()
  test.start{home = "reference"}
  test.eq(script_error("return os.getenv('HOME') ~= nil and io.open ~= nil and debug.getinfo ~= nil"), nil)
end)

test.case("test.start leaves the sandbox", function()
  sandboxed()
  test.start{}
  test.eq(E.sandboxed, false)
  test.eq(script_error("return io.open ~= nil"), nil)
end)

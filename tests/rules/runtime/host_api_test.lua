-- The host API about rules, variables and events (spec §12; the device part is in
-- tests/rules/devices/host_api_test.lua), and the enable/disable built-ins of §11.
local test = require("eventrunner.test")

local er = require("er.engine").E.er

-- er.eval and er.rule ----------------------------------------------------------------

test.case("er.eval defines a rule and returns it; the spec's example", function()
  test.start{home = "reference"}
  local r = er.eval("66:breached => 55:on", {name = "hall", group = "lights"})
  test.eq({r.id, r.name}, {1, "hall"})
  test.eq(table.pack(er.eval("return 1 + 2")), {n = 1, 3})
end)

test.case("er.eval returns a script's values, or nothing if it suspended", function()
  test.start{}
  test.eq(table.pack(er.eval("return 1, nil, 'x'")), {n = 3, 1, nil, "x"})
  test.eq(table.pack(er.eval("wait(1); return 1")), {n = 0})
end)

test.case("er.eval returns nil and the message on an error, and logs it", function()
  test.start{}
  local compile = table.pack(er.eval("x = 7:30"))
  local runtime = table.pack(er.eval("return nothing_here"))
  test.eq(compile, {n = 2, nil, "eval:1:5: error: Time literals must be in HH:MM or HH:MM:SS format: 7:30\n"
    .. "x = 7:30\n    ^\n"})
  test.eq(runtime, {n = 2, nil, "[eval] eval:1:8: runtime error: Undefined variable: 'nothing_here'\n"
    .. "return nothing_here\n       ^"})
  test.eq(#test.logs(), 2)
end)

test.case("er.eval of something that is not a string is an error", function()
  test.start{}
  local ok, message = pcall(er.eval, 42)
  test.eq(ok, false)
  test.ok(tostring(message):find("eval: expected a string, got number", 1, true), message)
end)

test.case("er.rule requires a rule", function()
  test.start{}
  local rule, message = er.rule("x = 1")
  test.eq(rule, nil)
  test.eq(message, "eval:1:1: error: not a rule (no '=>')\nx = 1\n^\n")
  test.eq(test.eval("x = 5; return x"), 5, "er.rule ran nothing")
  test.eq(er.rule("#a => log('a')", {name = "a"}).name, "a")
end)

test.case("the built-in rule() requires a rule too; eval() evaluates", function()
  test.start{}
  test.eq(test.eval("return eval('return 2 * 3')"), 6)
  local value, message = test.eval("return rule('log(1)')")
  test.eq(value, nil)
  test.eq(message:match("^[^\n]*"), "eval:1:1: error: not a rule (no '=>')")
  test.eq(test.eval("return rule('#a => log(1)').id"), 1)
end)

-- Rule objects ---------------------------------------------------------------------

test.case("a rule object has id, name, src, group, enabled; tostring is the name", function()
  test.start{home = "reference"}
  local r = er.eval("66:breached => 55:on", {name = "hall", group = "lights"})
  local plain = er.eval("#a => log('a')")
  test.eq({r.id, r.name, r.src, r.group, r.enabled}, {1, "hall", "66:breached => 55:on", "lights", true})
  test.eq({plain.name, plain.group}, {"RULE2", nil})
  test.eq(tostring(r), "hall")
  test.eq(tostring(plain), "RULE2")
end)

test.case("r:disable() and r:enable() switch the rule", function()
  test.start{}
  local r = er.eval("#a => log('a')")
  r:disable()
  test.eq(r.enabled, false)
  test.post({type = "a"})
  r:enable()
  test.eq(r.enabled, true)
  test.post({type = "a"})
  test.eq(test.logs(), {"a"})
end)

test.case("r:start() skips the condition and returns the action's values", function()
  test.start{}
  local r = er.eval("#a & false => return event.type, 2")
  test.eq(table.pack(r:start()), {n = 2, "manual", 2})
  test.eq(table.pack(r:start({type = "custom"})), {n = 2, "custom", 2})
end)

test.case("r.start() and the other methods work with a dot too (EventRunner7's form)", function()
  test.start{}
  local r = er.eval("#a & false => return event.type, 2")
  test.eq(table.pack(r.start()), {n = 2, "manual", 2})
  test.eq(table.pack(r.start({type = "custom"})), {n = 2, "custom", 2})
  test.eq(r.disable(), r)
  test.eq(r.enabled, false)
  test.eq(r.enable().enabled, true)
  test.eval("rule('#go => log(\"go %s\", event.type)').start()")
  test.eq(test.logs(), {"go manual"})
end)

test.case("r:start() of a run that suspends returns nothing; the run goes on", function()
  test.start{}
  local r = er.eval("#a => wait(5); log('resumed'); return 1")
  test.eq(table.pack(r:start()), {n = 0})
  test.eq(r:info().runs, 1)
  test.advance(5)
  test.eq(test.logs(), {"resumed"})
  test.eq(r:info().runs, 0)
end)

test.case("r:start() of a disabled rule does nothing", function()
  test.start{}
  local r = er.eval("#a => log('ran'); return 1")
  r:disable()
  test.eq(table.pack(r:start()), {n = 0})
  test.eq(test.logs(), {})
end)

test.case("info() has id, name, identity, group, enabled, triggers, runs, next, file, line, source", function()
  test.start{home = "reference"}
  local r = er.eval("66:breached & $Mode == 'x' | #alarm => 55:on; wait(10)", {name = "hall", group = "lights"})
  test.eq(r:info(), {id = 1, name = "hall", group = "lights", enabled = true, runs = 0,
    triggers = {"device/66/value", "event/alarm", "global/Mode"},
    identity = "hall", file = "hall", line = 1, source = "66:breached & $Mode == 'x' | #alarm => 55:on; wait(10)"})
  test.post({type = "alarm"})
  test.set(66, "value", true)                -- $Mode is not 'x': no run
  test.eq(r:info().runs, 1)
  test.eval("$Mode = 'x'")
  test.eq(r:info().runs, 2)
end)

test.case("info() lists daily and interval triggers with the next timer", function()
  test.start{}
  local daily = er.eval("@{08:00, 20:00} => log('x')")
  local interval = er.eval("@@00:15 => log('x')")
  test.settle()                              -- the interval's first run
  test.eq(daily:info().triggers, {"daily 08:00", "daily 20:00"})
  test.eq(daily:info().next, 1747245600)     -- 20:00 today
  test.eq(interval:info().triggers, {"interval 900"})
  test.eq(interval:info().next, 1747217700)  -- 12:15
end)

test.case("info() names trigger variables and lists each device id", function()
  test.start{home = "reference"}
  er.triggerVar("Level", 1)
  local r = er.eval("Level > 1 | {77, 78}:temp > 20 => log('x')")
  test.eq(r:info().triggers, {"device/77/value", "device/78/value", "variable/Level"})
end)

test.case("stats count triggered runs, fired actions and errors", function()
  test.start{}
  local r = er.eval("#a & event.go => log('go')")
  test.eq(r.stats, {triggered = 0, fired = 0, errors = 0})
  test.post({type = "a", go = false})
  test.eq(r.stats, {triggered = 1, fired = 0, errors = 0})
  test.post({type = "a", go = true})
  test.post({type = "a", go = true})
  test.post({type = "b", go = true})         -- not a trigger of r
  test.eq(r.stats, {triggered = 3, fired = 2, errors = 0})
end)

test.case("stats count an error", function()
  test.start{}
  local r = er.eval("#a => x = 1 + nil")
  test.post({type = "a"})
  test.eq(r.stats, {triggered = 1, fired = 1, errors = 1})
  r:enable()
  test.post({type = "a"})
  test.eq(r.stats, {triggered = 2, fired = 2, errors = 2})
end)

-- er.rules, er.getRule, er.enable, er.disable ------------------------------------------

test.case("er.rules() lists all rules by id; er.getRule finds by id or name", function()
  test.start{}
  local a = er.eval("#a => log('a')", {name = "a"})
  local b = er.eval("#b => log('b')")
  local rules = er.rules()
  test.ok(rules[1] == a and rules[2] == b, "by id")
  test.eq(#rules, 2)
  test.ok(er.getRule(1) == a and er.getRule("a") == a and er.getRule("RULE2") == b, "getRule")
  test.eq(er.getRule(3), nil)
  test.eq(er.getRule("c"), nil)
end)

-- Three rules in group "lights", one other.
local function lights()
  test.start{}
  local rules = {
    er.eval("#go => log('1')", {group = "lights"}),
    er.eval("#go => log('2')", {group = "lights", name = "porch"}),
    er.eval("#go => log('3')", {name = "lights2"}),
    er.eval("#go => log('4')", {group = "lights"}),
  }
  return rules
end

local function enabled_flags(rules)
  local out = {}
  for i, r in ipairs(rules) do out[i] = r.enabled end
  return out
end

test.case("er.disable(group) disables the group and returns the count", function()
  local rules = lights()
  test.eq(er.disable("lights"), 3)
  test.eq(enabled_flags(rules), {false, false, true, false})
  test.post({type = "go"})
  test.eq(test.logs(), {"3"})
  test.eq(er.enable("lights"), 3)
  test.eq(enabled_flags(rules), {true, true, true, true})
end)

test.case("a string that names no group names a rule", function()
  local rules = lights()
  test.eq(er.disable("porch"), 1)
  test.eq(er.disable("lights2"), 1)
  test.eq(enabled_flags(rules), {true, false, false, true})
  test.eq(er.disable("nobody"), 0)
end)

test.case("er.enable/er.disable take a rule object or an id", function()
  local rules = lights()
  test.eq(er.disable(rules[4]), 1)
  test.eq(er.disable(1), 1)
  test.eq(enabled_flags(rules), {false, true, true, false})
  test.eq(er.enable(1), 1)
  test.eq(er.disable(99), 0)
  test.eq(enabled_flags(rules), {true, true, true, false})
end)

test.case("disable('lights') -> 2 from EventScript", function()
  test.start{}
  er.eval("#a => log('a')", {group = "lights"})
  er.eval("#b => log('b')", {group = "lights"})
  er.eval("#c => log('c')")
  test.eq(test.eval('return disable("lights")'), 2)
  test.eq(test.eval('return enable("lights")'), 2)
end)

test.case("enable()/disable() without argument mean the current rule", function()
  test.start{}
  local r = er.eval("#off => log('disabled %d', disable())")
  er.eval("#on => log('enabled %d', enable(1))")
  test.post({type = "off"})
  test.eq(r.enabled, false)
  test.post({type = "on"})
  test.eq(r.enabled, true)
  test.eq(test.logs(), {"disabled 1", "enabled 1"})
end)

-- Variables -------------------------------------------------------------------------

test.case("er.triggerVar declares before the rules; er.vars writes post on change", function()
  test.start{}
  er.triggerVar("Mode", "home")
  er.eval("Mode == 'away' => log('left %s', event.old)")
  er.vars.Mode = "away"
  test.settle()
  er.vars.Mode = "away"
  test.settle()
  test.eq(test.logs(), {"left home"})
  test.eq(er.vars.Mode, "away")
end)

-- Custom functions ------------------------------------------------------------------------

test.case("the spec's notify example", function()
  test.start{home = "reference", time = "2025-05-14 22:30"}
  local pushed = {}
  local function myPushService(text) pushed[#pushed + 1] = text end
  er.define("notify", function(text) myPushService(text); return true end)
  er.eval("67:isOpen & 22:00..06:00 => notify('front door open')")
  test.set(67, "value", false)
  test.set(67, "value", true)
  test.eq(pushed, {"front door open"})
end)

test.case("er.define is er.vars[name] = fn", function()
  test.start{}
  local function double(x) return 2 * x end
  er.define("double", double)
  test.ok(er.vars.double == double)
  test.eq(test.eval("return double(21)"), 42)
end)

test.case("a custom function may suspend with er.wait inside a rule", function()
  test.start{}
  er.define("slowly", function(text)
    er.wait(10)
    return text .. " later"
  end)
  er.eval("#go => log(slowly(event.text))")
  test.post({type = "go", text = "said"})
  test.eq(test.logs(), {})
  test.advance(10)
  test.eq(test.logs(), {"said later"})
end)

test.case("a custom function's error is the rule's runtime error", function()
  test.start{}
  er.define("fragile", function() error("it broke") end)
  er.eval("#go => fragile()", {name = "user"})
  test.post({type = "go"})
  test.eq(test.logs(), {"[user] user:1:8: runtime error: it broke\n#go => fragile()\n       ^", "[user] disabled"})
end)

test.case("er.wait outside a run is an error", function()
  test.start{}
  local ok, message = pcall(er.wait, 1)
  test.eq(ok, false)
  test.ok(tostring(message):find("wait: can only be used in a rule action, a script or a task", 1, true), message)
end)

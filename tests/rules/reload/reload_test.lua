-- Hot reload on the virtual clock (docs/operations.md#hot-reload): a reload is a diff
-- by rule identity; unchanged rules keep their runs, timers and state; a changed rule's
-- pending actions never happen; a reload with errors changes nothing; rollback restores
-- the previous rules.
local test = require("eventrunner.test")

-- A home of two devices and two named rules, defined through a reload so that the
-- test needs no folder (the engine starts with an empty generation).
local HOME = [[
return {devices = {
  {id = 1, name = "lamp", type = "binarySwitch", props = {value = false}},
  {id = 2, name = "door", type = "binarySensor", props = {value = false}},
}}
]]

local WAITING = "::hall:: #go => log('hall waits'); wait(00:10); log('hall done')\n"
local DOOR = "::door_open:: trueFor(00:05, door:breached) => log('door open 5 min')\n"

local function start(rules)
  test.start{}
  local result = test.reload({["home.lua"] = HOME, ["10-rules.er"] = rules})
  test.ok(result.ok, "the first reload")
  test.clear()
  return result
end

test.case("a wait() and a trueFor of unchanged rules complete on time across a reload", function()
  start(WAITING .. DOOR .. "::other:: #ping => log('ping one')\n")
  test.post({type = "go"})                       -- 12:00 hall waits until 12:10
  test.set(2, "value", true)                     -- door open: 12:05
  test.advance("00:03")
  local result = test.reload({["10-rules.er"] = WAITING .. DOOR .. "::other:: #ping => log('ping two')\n"})
  test.eq(result.summary, {unchanged = 2, changed = 1, added = 0, removed = 0})
  test.advance("00:02")
  test.log_has("door open 5 min")
  test.eq(test.now(), "2025-05-14 12:05:00")
  test.advance("00:05")
  test.eq(test.logs(), {"hall waits", "reload: 2 unchanged, 1 changed, 0 added, 0 removed",
                        "door open 5 min", "hall done"})
  test.post({type = "ping"})
  test.log_has("ping two")
  test.log_lacks("ping one")
end)

test.case("a changed rule's pending actions never happen", function()
  start(WAITING)
  test.post({type = "go"})
  test.advance("00:05")
  test.reload({["10-rules.er"] = "::hall:: #go => log('new hall')\n"})
  test.advance("00:10")
  test.log_lacks("hall done")
  test.post({type = "go"})
  test.log_has("new hall")
end)

test.case("a reload with a syntax error changes nothing and says where", function()
  start(WAITING)
  local result = test.reload({["10-rules.er"] = WAITING, ["20-broken.er"] = "#x => log('a'\n"})
  test.eq(result.ok, false)
  test.eq(result.generation, 1)
  local d = result.diagnostics[1]
  test.eq({d.file, d.line, d.col, d.severity}, {"20-broken.er", 2, 1, "error"})
  test.ok(d.text:find("20-broken.er:2:1: error: ", 1, true), d.text)
  test.log_has("reload: refused, 1 error; the running rules are unchanged")
  test.post({type = "go"})
  test.log_has("hall waits")
end)

test.case("a reload warns of a rule continued in column 1 and still applies", function()
  start(WAITING)
  local result = test.reload({["10-rules.er"] = WAITING .. "::cut:: #ping =>\nlog('at load')\n"})
  test.eq(result.ok, true)
  local d = result.diagnostics[1]
  test.eq({d.file, d.line, d.col, d.severity}, {"10-rules.er", 3, 1, "warning"})
  test.ok(d.message:find("not part of the rule 'cut' (line 2)", 1, true), d.message)
  test.log_has("at load")
end)

test.case("errors are reported with the source line and a caret", function()
  start(WAITING)
  local result = test.reload({["10-rules.er"] = "::hall:: #go => log(x y)\n"})
  test.eq(result.ok, false)
  local text = result.diagnostics[1].text
  test.ok(text:find("10-rules.er:1:23: error: ", 1, true), text)
  test.ok(text:find("::hall:: #go => log(x y)\n                      ^", 1, true), text)
end)

test.case("a dry run validates and changes nothing", function()
  start(WAITING)
  local result = test.reload({["10-rules.er"] = "::hall:: #go => log('new')\n"}, {dry_run = true})
  test.eq({result.ok, result.dry_run, result.generation}, {true, true, 1})
  test.eq(result.summary, {unchanged = 0, changed = 1, added = 0, removed = 0})
  test.post({type = "go"})
  test.log_has("hall waits")
  test.log_lacks("reload:")
end)

test.case("rollback restores the previous rules and their behaviour", function()
  start(WAITING)
  test.reload({["10-rules.er"] = "::hall:: #go => log('new hall')\n::extra:: #go => log('extra')\n"})
  local result = test.rollback()
  test.eq({result.ok, result.generation}, {true, 1})
  test.eq(result.summary, {unchanged = 0, changed = 1, added = 0, removed = 1})
  test.clear()
  test.post({type = "go"})
  test.advance("00:10")
  test.eq(test.logs(), {"hall waits", "hall done"})
  local none, problem = test.rollback()
  test.eq({none, problem}, {nil, "no previous generation"})
end)

test.case("devices added, removed and renamed in home.lua", function()
  start("::lamp_on:: #on => lamp:on\n")
  local home = [[
return {devices = {
  {id = 1, name = "hall_lamp", type = "binarySwitch", props = {value = false}},
  {id = 3, name = "fan", type = "binarySwitch", props = {value = true}},
}}
]]
  local result = test.reload({["home.lua"] = home, ["10-rules.er"] = "::lamp_on:: #on => hall_lamp:on; fan:off\n"})
  test.ok(result.ok, result.diagnostics[1] and result.diagnostics[1].text)
  test.eq(test.value(3, "value"), true)
  test.post({type = "on"})
  test.eq(test.value(1, "value"), true)
  test.eq(test.value(3, "value"), false)
  test.eq(require("er.engine").E.devices.get(2), nil)
  test.eq(require("er.engine").E.devices.named("lamp"), nil)
end)

test.case("a rule that uses a removed device refuses the reload", function()
  start("::door_log:: 2:breached => log('door')\n")
  local result = test.reload({["home.lua"] = "return {devices = {{id = 1, name = 'lamp', type = 'binarySwitch'}}}"})
  test.eq(result.ok, false)
  test.eq(result.diagnostics[1].file, "10-rules.er")
  test.ok(require("er.engine").E.devices.get(2) ~= nil, "device 2 is back")
  test.set(2, "value", true)
  test.log_has("door")
end)

test.case("unnamed rules: an edited rule is removed and added, identical ones are told apart", function()
  start("#a => log('a')\n#a => log('a')\n#b => log('b')\n")
  local E = require("er.engine").E
  local first = E.rule_by_identity["10-rules.er:" .. E.rules[1].item.hash:sub(-8)]
  test.ok(first ~= nil)
  test.ok(E.rule_by_identity[first.identity .. "#2"] ~= nil, "the second copy")
  local result = test.reload({["10-rules.er"] = "#b => log('b')\n#a => log('a')\n#a => log('a')\n#c => log('c')\n"})
  test.eq(result.summary, {unchanged = 3, changed = 0, added = 1, removed = 0})
  result = test.reload({["10-rules.er"] = "#b => log('b2')\n"})
  test.eq(result.summary, {unchanged = 0, changed = 0, added = 1, removed = 4})
end)

test.case("a renamed rule is a removal and an addition", function()
  start("::old_name:: #a => log('a')\n")
  local result = test.reload({["10-rules.er"] = "::new_name:: #a => log('a')\n"})
  test.eq(result.summary, {unchanged = 0, changed = 0, added = 1, removed = 1})
  test.eq(require("er.engine").E.er.getRule("old_name"), nil)
  test.ok(require("er.engine").E.er.getRule("new_name") ~= nil)
end)

test.case("scripts run again only when new or changed", function()
  start("log('script one')\n::r:: #a => log('a')\n")
  test.reload({["10-rules.er"] = "log('script one')\n::r:: #a => log('a2')\n"})
  test.log_lacks("script one")
  test.reload({["10-rules.er"] = "log('script two')\n::r:: #a => log('a2')\n"})
  test.log_has("script two")
end)

test.case("a rule whose device id a new script sets is checked after the script ran", function()
  start("::r:: #a => log('a')\n")
  local result = test.reload({["10-rules.er"] = "light = 1\n::r:: #a => light:on\n"})
  test.ok(result.ok, result.diagnostics[1] and result.diagnostics[1].text)
  test.post({type = "a"})
  test.eq(test.value(1, "value"), true)
end)

test.case("two rules with one name in a home refuse the reload", function()
  start("::r:: #a => log('a')\n")
  local result = test.reload({["20-more.er"] = "::r:: #b => log('b')\n"})
  test.eq(result.ok, false)
  test.eq(result.diagnostics[1].message, "rule name 'r' is used twice in this home (first at 10-rules.er:1:3)")
  test.eq({result.diagnostics[1].file, result.diagnostics[1].line, result.diagnostics[1].col}, {"20-more.er", 1, 3})
end)

test.case("on_reload hooks see every reload and rollback", function()
  start("::r:: #a => log('a')\n")
  local seen = {}
  require("er.home").on_reload(function(result) seen[#seen + 1] = {result.ok, result.generation} end)
  test.reload({["10-rules.er"] = "::r:: #a => log('b')\n"})
  test.reload({["10-rules.er"] = "::r:: #a => log(\n"})
  test.reload({["10-rules.er"] = "::r:: #a => log('c')\n"}, {dry_run = true})
  test.rollback()
  test.eq(seen, {{true, 2}, {false, 2}, {true, 1}})
end)

test.case("check_files checks against the running home and changes nothing", function()
  start("::r:: #a => lamp:on\n")
  local home = require("er.home")
  local good = home.check_files({["20-new.er"] = "#b => lamp:off\n"})
  test.eq(good, {ok = true, diagnostics = {}})
  local bad = home.check_files({["20-new.er"] = "x > 5 => log(x)\n"})
  test.eq(bad.ok, false)
  test.eq(bad.diagnostics[1].text, "20-new.er:1:1: error: Rule has no triggers: x > 5\nx > 5 => log(x)\n^\n")
  local dup = home.check_files({["20-new.er"] = "::r:: #b => lamp:off\n"})
  test.eq(dup.ok, false)
  test.eq(require("er.engine").E.reload.generation(), 1)
end)

test.case("an unchanged rule that moved reports its errors where it now is", function()
  start("::r:: #a => log('a')\n::bad:: #b =>\n  log(nope)\n")
  test.reload({["10-rules.er"] = "-- a new first line\n::r:: #a => log('a')\n\n::bad:: #b =>\n  log(nope)\n"})
  local bad = require("er.engine").E.er.getRule("bad")
  test.eq(bad:info().line, 4)
  test.post({type = "b"})
  test.log_has("[bad] 10-rules.er:5:7: runtime error: Undefined variable: 'nope'")
  test.log_has("  log(nope)\n      ^")
end)

test.case("a reload keeps a rule's enabled flag and a rule disabled by an error comes back when changed", function()
  start("::off:: #a => log('off ran')\n::bad:: #b => log(nope)\n")
  test.eval("disable('off')")
  test.post({type = "b"})
  local E = require("er.engine").E
  test.ok(E.er.getRule("bad").disabled_error:find("Undefined variable: 'nope'", 1, true))
  test.reload({["10-rules.er"] = "::off:: #a => log('off ran')\n::bad:: #b => log(nope)\n::more:: #c => log('c')\n"})
  test.eq({E.er.getRule("off").enabled, E.er.getRule("bad").enabled}, {false, false})
  test.reload({["10-rules.er"] = "::off:: #a => log('off ran')\n::bad:: #b => log('fixed')\n"})
  test.eq(E.er.getRule("bad").enabled, true)
  test.eq(E.er.getRule("bad").disabled_error, nil)
  test.post({type = "b"})
  test.log_has("fixed")
  test.post({type = "a"})
  test.log_lacks("off ran")
end)

-- The example of docs/testing-rules.md.
test.case("the hall light still goes off after a reload", function()
  test.start{home = "tests/rules/homes/mini", time = "2025-05-17 07:00"}
  test.set(2, "value", true)                    -- motion: lamp on, off at 07:05
  local result = test.reload({["20-remote.er"] = "#ping => log('pong')\n"})
  test.eq(result.summary, {unchanged = 2, changed = 0, added = 1, removed = 2})
  test.eq(test.value(1, "value"), true)
  test.advance("00:05")
  test.eq(test.value(1, "value"), false)
  test.post({type = "ping"})
  test.log_has("pong")
end)

-- home.reload reads the folder again through home.files, as the API's reload does.
local function write(path, text)
  local f = assert(io.open(path, "w"))
  f:write(text)
  f:close()
end

test.case("home.reload reads the edited folder; an unreadable home.lua refuses it", function()
  local dir = os.tmpname()
  os.remove(dir)
  assert(os.execute("mkdir '" .. dir .. "'"))
  write(dir .. "/home.lua", HOME)
  write(dir .. "/10-rules.er", WAITING)
  test.start{home = dir}
  test.post({type = "go"})
  write(dir .. "/10-rules.er", WAITING .. "::more:: #go => log('more')\n")
  local home = require("er.home")
  local result = home.reload(dir)
  test.eq({result.ok, result.generation, result.summary},
          {true, 2, {unchanged = 1, changed = 0, added = 1, removed = 0}})
  write(dir .. "/home.lua", "return {devices = ")
  result = home.reload(dir)
  test.eq({result.ok, result.diagnostics[1].file}, {false, "home.lua"})
  test.advance("00:10")
  test.log_has("hall done")
  os.remove(dir .. "/home.lua")
  os.remove(dir .. "/10-rules.er")
  os.remove(dir)
end)

-- Reading and assigning names (spec §5.1) and trigger variables (§5.2), from
-- EventScript and from the host (er.vars, §12).
local test = require("eventrunner.test")

local er = require("er.engine").E.er

test.case("an unknown name is an error", function()
  test.start{}
  local value, message = test.eval("return fopp()")
  test.eq(value, nil)
  test.ok(message:find("runtime error: Undefined variable: 'fopp'", 1, true), message)
end)

test.case("a global assigned nil is defined", function()
  test.start{}
  test.eq(test.eval("x = nil; return x ?? 99"), 99)
  test.eq(table.pack(test.eval("return x")), {n = 1})   -- no error: x exists, is nil
  test.log_lacks("Undefined variable")
end)

test.case("Lua's globals are reached when no EventScript global has the name", function()
  test.start{}
  test.eq(test.eval("math.floor(2.7)"), 2)
  test.eq(test.eval("return tostring(12) ++ type('s')"), "12string")
end)

test.case("a local goes out of scope at the end of its block", function()
  test.start{}
  local _, message = test.eval("do local z = 5 end; return z")
  test.ok(message:find("Undefined variable: 'z'", 1, true), message)
end)

test.case("locals shadow globals, globals shadow Lua's", function()
  test.start{}
  test.eq(test.eval("v = 1; do local v = 2; return v end"), 2)
  test.eq(test.eval("type = 3; return type"), 3)
  test.eq(_G.type("x"), "string", "Lua's own global is untouched")
end)

test.case("assigning a name sets the EventScript global, never Lua's", function()
  test.start{}
  test.eval("brandNew = 42")
  test.eq(rawget(_G, "brandNew"), nil)
  test.eq(er.vars.brandNew, 42)
end)

test.case("a value the host puts in Lua's globals is read", function()
  test.start{}
  _G.hostValue = 7
  test.eq(test.eval("return hostValue * 2"), 14)
  _G.hostValue = nil
end)

test.case("one global table is shared by scripts and rules", function()
  test.start{}
  test.eval("shared = 'from a script'")
  test.eval("#ping => log(shared); shared = 'from a rule'")
  test.post({type = "ping"})
  test.eq(test.logs(), {"from a script"})
  test.eq(test.eval("return shared"), "from a rule")
end)

test.case("er.vars reads and writes the same globals", function()
  test.start{}
  er.vars.level = 3
  test.eq(test.eval("level += 1; return level"), 4)
  test.eq(er.vars.level, 4)
  test.eval("level = nil")
  test.eq(er.vars.level, nil)
end)

-- Trigger variables (§5.2) ---------------------------------------------------------

test.case("a trigger variable in a condition is a trigger", function()
  test.start{}
  er.triggerVar("Level", 1)
  test.eval('Level > 2 => log("high %d", Level)')
  test.eval("Level = 3")
  test.eq(test.logs(), {"high 3"})
end)

test.case("an assignment from EventScript posts {type='variable', name, value, old}", function()
  test.start{}
  er.triggerVar("Level", 1)
  test.eval('#variable => log(json.encode(event))')
  test.eval("Level = 5")
  test.eq(test.logs(), {'{"name":"Level","old":1,"type":"variable","value":5}'})
end)

test.case("assigning the same value posts nothing", function()
  test.start{}
  er.triggerVar("Level", 1)
  test.eval('#variable => log("changed to %s", Level)')
  test.eval("Level = 1")
  er.vars.Level = 1
  test.eq(test.logs(), {})
  test.eval("Level = 2")
  test.eval("Level = 2")
  test.eq(test.logs(), {"changed to 2"})
end)

test.case("a host write through er.vars posts only on change", function()
  test.start{}
  er.triggerVar("Mode", "home")
  test.eval('Mode == "away" => log("away from %s", event.old)')
  er.vars.Mode = "away"
  test.settle()
  er.vars.Mode = "away"
  test.settle()
  test.eq(test.logs(), {"away from home"})
end)

test.case("assigning nil to a trigger variable posts with value nil", function()
  test.start{}
  er.triggerVar("Level", 4)
  test.eval('#variable{name = "Level"} => log("%s -> %s", event.old, event.value)')
  test.eval("Level = nil")
  test.eq(test.logs(), {"4 -> nil"})
end)

test.case("the event is posted, not delivered during the assignment", function()
  test.start{}
  er.triggerVar("Level", 0)
  test.eval('#variable => log("event")')
  test.eval('Level = 1; log("after the assignment")')
  test.eq(test.logs(), {"after the assignment", "event"})
end)

test.case("a plain global is no trigger and posts nothing", function()
  test.start{}
  test.eval('#variable => log("event")')
  test.eval("plain = 1")
  test.eq(test.logs(), {})
  local rule, message = test.eval('plain > 5 => log("big")')
  test.eq(rule, nil)
  test.ok(message:find("Rule has no triggers: plain > 5", 1, true), message)
end)

test.case("er.triggerVar sets the initial value without posting", function()
  test.start{}
  test.eval('#variable => log("event")')
  er.triggerVar("Fresh", 10)
  test.settle()
  test.eq(er.vars.Fresh, 10)
  test.eq(test.logs(), {})
end)

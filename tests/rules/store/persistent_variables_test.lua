-- `$name` persistent variables (spec §5.3, §12 er.globals): values, copies, nil,
-- storability errors and the global events that trigger rules.
local test = require("eventrunner.test")

test.case("spec examples", function()
  test.start{}
  test.eq(test.eval('$Mode = "away"; return $Mode'), "away")
  test.eq(test.eval("$Count = ($Count ?? 0) + 1; return $Count"), 1)
  test.eq(test.eval("$Count = ($Count ?? 0) + 1; return $Count"), 2)
end)

test.case("a never-assigned $name reads nil, and nil deletes", function()
  test.start{}
  test.eq(test.eval("return $Nothing"), nil)
  test.eval("$Gone = 5")
  test.eq(test.eval("$Gone = nil; return $Gone ?? 'deleted'"), "deleted")
end)

test.case("values keep their type", function()
  test.start{}
  test.eq(test.eval("$F = 3.0; return math.type($F)"), "float")
  test.eq(test.eval("$I = 3; return math.type($I)"), "integer")
  test.eq(test.eval("$T = {a = {1, 2}, b = 'x', [5] = true}; return $T"), {a = {1, 2}, b = "x", [5] = true})
end)

test.case("a write stores a copy and each read is a fresh copy", function()
  test.start{}
  test.eq(test.eval("t = {1}; $T = t; t[1] = 2; return $T[1]"), 1)
  test.eq(test.eval("local r = $T; r[1] = 3; return $T[1]"), 1)
  test.eq(test.eval("return $T == $T"), false)
end)

test.case("an unstorable value is a runtime error at the $", function()
  test.start{}
  local value, message = test.eval("x = 1; $f = print")
  test.eq(value, nil)
  test.ok(message:find("$f: a value of type 'function' cannot be stored", 1, true), message)
  test.log_has("[eval] eval:1:8: runtime error: $f: a value of type 'function' cannot be stored")
  local _, nested = test.eval("$g = {list = {1, print}}")
  test.ok(nested:find("$g: a value of type 'function' cannot be stored", 1, true), nested)
  test.eq(test.eval("return $f"), nil)
end)

test.case("a change triggers rules with a global event; an equal write does not", function()
  test.start{}
  test.eval('$Mode => log("Mode %s, was %s", event.value, event.old ?? "unset")', {name = "watch"})
  test.eval('$Mode = "away"')
  test.log_has("Mode away, was unset")
  test.clear()
  test.eval('$Mode = "away"')
  test.log_lacks("Mode away")
  test.eval('$Mode = "home"')
  test.log_has("Mode home, was away")
end)

test.case("equal tables post nothing, different ones do", function()
  test.start{}
  test.eval('$List => log("List changed to %s", json.encode($List))', {name = "list"})
  test.eval("$List = {1, 2}")
  test.clear()
  test.eval("$List = {1, 2}")
  test.log_lacks("List changed")
  test.eval("$List = {1, 3}")
  test.log_has("List changed to [1,3]")
end)

test.case("er.globals reads and writes $ variables with events", function()
  test.start{}
  test.eval('$Mode == "night" => log("good night")', {name = "night"})
  er.globals.Mode = "night"
  test.advance(0)
  test.log_has("good night")
  test.eq(test.eval("return $Mode"), "night")
  test.eval("$Cfg = {level = 2}")
  local cfg = er.globals.Cfg
  cfg.level = 3
  test.eq(er.globals.Cfg.level, 2)
  local ok, err = pcall(function() er.globals.bad = print end)
  test.eq(ok, false)
  test.ok(err:find("$bad: a value of type 'function' cannot be stored", 1, true), err)
end)

-- EventRunner7's global-variable functions over `$` globals ------------------------------

test.case("global creates $name as '' once; deleteglobal deletes it; listglobals lists names", function()
  test.start{}
  test.eval("$Mode = 'home'")
  test.eq(test.eval("return global('systemStatus')"), true)
  test.eq(test.eval("return $systemStatus"), "")
  test.eq(test.eval("return global('systemStatus')"), false)
  test.eq(test.eval("return global('Mode')"), false)
  test.eq(test.eval("return listglobals()"), {"Mode", "systemStatus"})
  test.eval("deleteglobal('systemStatus')")
  test.eq(test.eval("return $systemStatus"), nil)
  test.eq(test.eval("return listglobals()"), {"Mode"})
end)

test.case("global events fire for global and deleteglobal", function()
  test.start{}
  test.eval("#global{name='flag'} => log('flag is %s', event.value ?? 'gone')")
  test.eval("global('flag')")
  test.eval("deleteglobal('flag')")
  test.eq(test.logs(), {"flag is ", "flag is gone"})
end)

test.case("a name that is not a string is an error", function()
  test.start{}
  local _, message = test.eval("global(5)")
  test.eq(message:match("runtime error: ([^\n]*)"), "global: expected a name (a string), got number")
end)
